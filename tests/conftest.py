import json
import threading
import time

import pytest
from django.test import Client

from canonical.api.auth import forget_tokens
from canonical.selectors import forget_systems
from canonical.services.systems import source_system_create


class ApiClient:
    """A test client speaking JSON with a system's token."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Token {token}"} if token else {}

    def request(self, method: str, path: str, body=None, raw: bytes | str | None = None, **headers):
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        kwargs = {"content_type": "application/json"} if data is not None else {}
        return getattr(self.client, method)(path, data, headers={**self.headers, **headers}, **kwargs)

    def get(self, path: str, **headers):
        return self.client.get(path, headers={**self.headers, **headers})

    def put(self, path: str, body=None, **kwargs):
        return self.request("put", path, body, **kwargs)

    def post(self, path: str, body=None, **kwargs):
        return self.request("post", path, body, **kwargs)


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    # Tests create and drop systems; production never deletes one, which is what these caches rely on.
    forget_tokens()
    forget_systems()
    yield
    forget_tokens()
    forget_systems()


@pytest.fixture
def sap(db):
    system, token = source_system_create(code="sap", kind="erp", trust_rank=10)
    system.token = token
    return system


@pytest.fixture
def odoo(db):
    system, token = source_system_create(code="odoo", kind="erp", trust_rank=20)
    system.token = token
    return system


@pytest.fixture
def zendesk(db):
    system, token = source_system_create(code="zendesk", kind="support", trust_rank=50)
    system.token = token
    return system


@pytest.fixture
def servicenow(db):
    system, token = source_system_create(code="servicenow", kind="support", trust_rank=60)
    system.token = token
    return system


@pytest.fixture
def sap_api(sap) -> ApiClient:
    return ApiClient(sap.token)


@pytest.fixture
def zendesk_api(zendesk) -> ApiClient:
    return ApiClient(zendesk.token)


def webhook_system(code: str, url: str, secret: str, entity: str = "customer", **settings):
    """A support system that receives deliveries through the webhook connector, subscribed to ``entity``."""
    from connectors.models import Subscription

    system, token = source_system_create(code=code, kind="support")
    system.connector_type = "webhook"
    system.settings = {"url": url, **settings}
    system.credentials = {"secret": secret}
    system.save()
    system.token = token
    Subscription.objects.create(system=system, entity=entity)
    return system


def wait_until(condition, timeout: float, what: str):
    """Check ``condition`` until it returns something truthy (returned) or ``timeout`` seconds pass (fail, naming
    ``what``). For state that nothing announces, such as rows written by other processes."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout} s waiting for {what}")
        pause.wait(0.05)
    return value
