"""Generic JSON-over-HTTP webhook: each golden change is POSTed to the configured URL, signed with HMAC-SHA256.

Settings (SourceSystem.settings): ``url`` (required), ``timeout`` (seconds, default 10); the HMAC key is the
credential ``secret`` (encrypted with the other credentials).
The request carries the golden ID as the external ID, so a receiver upserts by it and a retry after a timeout never
creates a second record. Headers: ``X-Mdmhub-Timestamp`` (Unix seconds), ``X-Mdmhub-Signature``
(``sha256=<hex HMAC of "<timestamp>.<body>">``), ``X-Correlation-ID``, ``Idempotency-Key``
(``<golden ID>:<version>``). A JSON answer's ``id`` is recorded as the system's local ID for the record.
"""

import hashlib
import hmac
import json
import time

import httpx

from ...base import Connector, Outbound, PushResult, register
from ...http import client, failure_of, result_of


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


@register
class WebhookConnector(Connector):
    type = "webhook"

    def push(self, outbound: Outbound) -> PushResult:
        body = json.dumps(
            {
                "event": outbound.action,
                "entity": outbound.entity,
                "external_id": outbound.golden_id,
                "id": outbound.remote_id,
                "version": outbound.version,
                "changed": outbound.changed,
                "data": outbound.data,
            },
            separators=(",", ":"),
            sort_keys=True,
        ).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Mdmhub-Timestamp": timestamp,
            "X-Correlation-ID": outbound.correlation_id,
            "Idempotency-Key": f"{outbound.golden_id}:{outbound.version}",
        }
        if secret := self.credentials.get("secret"):
            headers["X-Mdmhub-Signature"] = signature(secret, timestamp, body)
        try:
            response = client().post(
                self.settings["url"], content=body, headers=headers, timeout=float(self.settings.get("timeout", 10))
            )
        except httpx.HTTPError as exc:
            return failure_of(exc)
        remote_id = None
        if response.is_success and response.content:
            try:
                answer = response.json()
                remote_id = str(answer["id"]) if isinstance(answer, dict) and answer.get("id") is not None else None
            except ValueError:
                remote_id = None
        return result_of(response, remote_id)
