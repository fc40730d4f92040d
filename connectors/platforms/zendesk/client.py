"""Zendesk Support API v2 connector.

Objects: organizations ↔ customers, end users ↔ contacts (a user's ``organization_id`` is its customer). Zendesk has
no entitlement or contract object; installations that keep them in custom objects map them by override.

- Auth: ``{"email", "api_token"}`` (Basic ``email/token:api_token``) or ``{"oauth_token"}`` (Bearer).
- Pull: organizations by the time-based incremental export (``/incremental/organizations?start_time=``; cursor
  ``<unix time>``), users by the cursor-based export (``/incremental/users/cursor``; cursor ``start:<unix>`` or
  ``cursor:<token>``). Both follow ``next_page``/``after_url`` until ``end_of_stream``; Zendesk repeats items at
  page boundaries and leaves out the last minute, which ingest and the next pull absorb.
- Push: ``POST /organizations/create_or_update`` and ``/users/create_or_update`` with the golden ID as
  ``external_id`` (Zendesk matches organizations on ``id``/``external_id`` and users also on e-mail), so a repeated
  push updates, never duplicates. An organization whose name already exists (``DuplicateValue``) is found by name
  and claimed by writing our external ID to it.
- Webhooks: event webhooks (``zen:event-type:organization.*``, ``user.*``) signed with
  ``X-Zendesk-Webhook-Signature`` = base64(HMAC-SHA256(signing secret, timestamp + raw body)) and
  ``X-Zendesk-Webhook-Signature-Timestamp``; verified in constant time within ``webhook_window`` seconds (default
  300). The signing secret is the credential ``webhook_secret``. Events are thin: the record is re-read.
- Limits: 429 + ``Retry-After`` pauses the system (delivery engine) or the pull (next pull after it).
"""

import base64
import hashlib
import hmac
from datetime import UTC, datetime

import httpx

from canonical.models import CrossReference

from ...base import Connector, InboundChange, Outbound, PullPage, register
from ...feeds import json_object
from ...http import ApiClient, RemoteError, basic_auth, error_of
from ...mapping import ObjectMap

ORGANIZATION = ObjectMap(
    entity="customer",
    remote="organizations",
    fields={
        "name": "name",
        "website": "domain_names|item0",
        "tax_id": "organization_fields.tax_id",
        "phone": "organization_fields.phone",
        "credit_status": "organization_fields.credit_status",
        "credit_limit": "organization_fields.credit_limit",
        "address.line1": "organization_fields.address_line1",
        "address.city": "organization_fields.address_city",
        "address.postal_code": "organization_fields.address_postal_code",
        "address.country": "organization_fields.address_country",
    },
    constants={"kind": "organization"},
)
USER = ObjectMap(
    entity="contact",
    remote="users",
    fields={
        "first_name": "name|first",
        "last_name": "name|last",
        "email": "email",
        "phone": "phone",
        "role": "user_fields.job_title",
    },
    references={"customer": "organization_id"},
)


def judge(response: httpx.Response) -> RemoteError:
    """Zendesk's signals: 429 + Retry-After (also on 503 maintenance); 422 RecordInvalid is ours to fix."""
    error = error_of(response)
    if response.status_code == 429 and error.retry_after is None:
        error.retry_after = 60.0  # Zendesk always sends Retry-After; a proxy may have dropped it
    return error


def _unix(value: str | None) -> int:
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()) if value else 0


@register
class ZendeskConnector(Connector):
    type = "zendesk"
    objects = {"customer": ORGANIZATION, "contact": USER}

    @property
    def api(self) -> ApiClient:
        creds = self.credentials
        if creds.get("oauth_token"):
            auth = f"Bearer {creds['oauth_token']}"
        else:
            auth = basic_auth(f"{creds.get('email', '')}/token", creds.get("api_token", ""))
        return ApiClient(
            self.system.base_url,
            {"Authorization": auth, "Accept": "application/json"},
            timeout=float(self.settings.get("timeout", 15)),
            judge=judge,
        )

    # --- pull ------------------------------------------------------------------------------------------------------
    def pull_page(self, entity: str, cursor: str | None) -> PullPage:
        mapping = self.object_map(entity)
        api = self.api
        if entity == "customer":
            start = int(cursor) if cursor else 0
            body = api.get(f"incremental/{mapping.remote}", params={"start_time": start, **self._page_size()}).json()
            records = body.get(mapping.remote, [])
            end = body.get("end_time") or start
            return PullPage(self._changes(entity, records), str(end), bool(body.get("end_of_stream")))
        if cursor and cursor.startswith("cursor:"):
            params = {"cursor": cursor.removeprefix("cursor:")}
        else:
            params = {"start_time": int((cursor or "start:0").removeprefix("start:"))}
        body = api.get(f"incremental/{mapping.remote}/cursor", params={**params, **self._page_size()}).json()
        records = [u for u in body.get(mapping.remote, []) if self._is_contact(u)]
        after = body.get("after_cursor")
        next_cursor = f"cursor:{after}" if after else cursor
        return PullPage(self._changes(entity, records), next_cursor, bool(body.get("end_of_stream")))

    def _page_size(self) -> dict:
        return {"per_page": int(self.settings["page_size"])} if self.settings.get("page_size") else {}

    def _is_contact(self, user: dict) -> bool:
        return user.get("role", "end-user") in self.settings.get("contact_roles", ["end-user"])

    def _changes(self, entity: str, records: list[dict]) -> list[InboundChange]:
        return [self.change_of(entity, record) for record in records]

    # --- push ------------------------------------------------------------------------------------------------------
    def upsert(self, outbound: Outbound) -> str | None:
        mapping = self.object_map(outbound.entity)
        fields = self.remote_fields(outbound.entity, outbound.data)
        fields["external_id"] = outbound.golden_id
        if outbound.remote_id:
            fields["id"] = int(outbound.remote_id) if outbound.remote_id.isdigit() else outbound.remote_id
        singular = mapping.remote.removesuffix("s")
        for entity, path in mapping.references.items():
            if (ref := self.ref_id(outbound, entity)) is not None:
                fields[path] = int(ref) if ref.isdigit() else ref
        api = self.api
        try:
            answer = api.request("POST", f"{mapping.remote}/create_or_update", json={singular: fields}).json()
        except RemoteError as exc:
            existing = self._claim_by_name(api, mapping, exc, fields)
            if existing is None:
                raise
            answer = {singular: existing}
        return str(answer[singular]["id"])

    def _claim_by_name(self, api: ApiClient, mapping: ObjectMap, exc: RemoteError, fields: dict) -> dict | None:
        """An organization Zendesk already has under this name (created there by hand): write our external ID to it
        and update it, instead of dead-lettering the delivery."""
        details = exc.body.get("details", {}) if exc.status == 422 and isinstance(exc.body, dict) else {}
        if mapping.entity != "customer" or not any(d.get("error") == "DuplicateValue" for d in details.get("name", [])):
            return None
        found = api.get(f"{mapping.remote}/search", params={"name": fields.get("name", "")}).json()
        matches = found.get(mapping.remote, [])
        if len(matches) != 1:
            return None
        found = matches[0]
        # Only a record nobody else owns: not carrying another golden ID, and not linked to another golden record.
        if found.get("external_id") not in (None, "", fields["external_id"]):
            return None
        linked = CrossReference.objects.filter(system=self.system, entity="customer", local_id=str(found["id"]))
        if linked.exclude(golden_id=fields["external_id"]).exists():
            return None
        fields = {**fields, "id": found["id"]}
        return api.request("PUT", f"{mapping.remote}/{matches[0]['id']}", json={"organization": fields}).json()[
            "organization"
        ]

    # --- webhooks --------------------------------------------------------------------------------------------------
    def verify_webhook(self, headers: dict[str, str], body: bytes) -> bool:
        secret = self.credentials.get("webhook_secret", "")
        signature = headers.get("x-zendesk-webhook-signature", "")
        stamp = headers.get("x-zendesk-webhook-signature-timestamp", "")
        if not (secret and signature and stamp):
            return False
        try:
            sent = _unix(stamp)
        except ValueError:
            return False
        window = float(self.settings.get("webhook_window", 300))
        if abs(datetime.now(UTC).timestamp() - sent) > window:
            return False
        expected = base64.b64encode(hmac.new(secret.encode(), stamp.encode() + body, hashlib.sha256).digest())
        return hmac.compare_digest(expected, signature.encode())

    def webhook_key(self, headers: dict[str, str], body: bytes) -> str:
        event_id = json_object(body).get("id")
        return f"event:{event_id}" if event_id else super().webhook_key(headers, body)

    def parse_webhook(self, headers: dict[str, str], body: bytes) -> list[InboundChange]:
        event = json_object(body)
        kind, _, remote_id = str(event.get("subject", "")).removeprefix("zen:").partition(":")
        entity = {"organization": "customer", "user": "contact"}.get(kind)
        if entity is None or not remote_id or str(event.get("type", "")).endswith(".deleted"):
            return []
        mapping = self.object_map(entity)
        try:
            record = self.api.get(f"{mapping.remote}/{remote_id}").json()[mapping.remote.removesuffix("s")]
        except RemoteError as exc:
            if exc.status == 404:
                return []  # deleted since: nothing to read
            raise
        if entity == "contact" and not self._is_contact(record):
            return []
        return [self.change_of(entity, record)]
