import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
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


def pytest_collection_modifyitems(items):
    """Tests with real hub processes (worker, beat, web server) and simulators posting to them run last. Tests that
    fork (mdm_match's process pool) then run in a process that has not yet held those servers' threads and pooled
    connections: a forked pool worker was seen to die after them, hanging the pool (notes of issue #5)."""
    items.sort(
        key=lambda item: "/integration/" in str(item.fspath) or "hub_web_process" in getattr(item, "fixturenames", ())
    )


@pytest.fixture(autouse=True)
def _default_rules_in_transactional_tests(request):
    """Transactional tests flush the database, and with it the ownership rules the data migration loads: put them
    back, so each such test sees the rules a fresh installation has."""
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        import importlib

        from django.apps import apps

        request.getfixturevalue("transactional_db")
        importlib.import_module("canonical.migrations.0002_default_ownership_rules").create_rules(apps, None)


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


def process_env() -> dict[str, str]:
    """The environment of a hub process (web server, Celery worker or beat) working on the test database."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": settings.CELERY_BROKER_URL}


def stop_process(process: subprocess.Popen) -> None:
    """SIGTERM, and SIGKILL if it has not exited within 20 s."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


class WebProcess:
    """The hub's web server as its own process on the test database (what platforms post webhooks to). Preferred to
    pytest-django's live_server thread, which would stay in the test process and be inherited by later forks."""

    def __init__(self) -> None:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = process_env()
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload", "--nothreading"],
            cwd=Path(__file__).resolve().parents[1],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        wait_until(self._answers, timeout=60, what="the hub's web server to answer")

    def _answers(self) -> bool:
        import httpx

        try:
            return httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        stop_process(self.process)


@pytest.fixture
def hub_web_process(transactional_db):
    web = WebProcess()
    yield web
    web.stop()
