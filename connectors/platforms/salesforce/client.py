"""Salesforce Service Cloud connector (REST API).

Objects: ``Account`` ↔ customers, ``Contact`` ↔ contacts, ``Entitlement`` ↔ entitlements and ``ServiceContract`` ↔
contracts (the last three name their customer in ``AccountId``); the default pairing is in mapping.py and is
overridden per system like every mapping. Picklist values that differ from the hub's (an entitlement's ``Type``, the
``Status`` of both term objects) are translated both ways by the tables in mapping.py, which ``picklists`` adapts per
system: ``{"entitlement": {"kind": {"inbound": {"Onsite": "support"}, "outbound": {"support": "Onsite"}}}}``.

- Base URL: the org's My Domain root (``https://acme.my.salesforce.com/``; one given with ``/services/data/...`` is
  cut back to it). The connector builds the versioned REST paths (``services/data/v{api_version}/``, setting
  ``api_version``, default ``60.0``) and the OAuth token endpoint (``services/oauth2/token``) under it, so both go
  through one ``ApiClient`` and nothing outside the org is called. The token answer's ``instance_url`` is not
  followed: with My Domain it is this same host.
- Auth: credentials ``{"client_id", "client_secret"}`` of a connected app with the client-credentials flow (the
  token is cached per process and fetched again once when Salesforce answers 401 ``INVALID_SESSION_ID``), or
  ``{"access_token"}`` issued elsewhere (when it expires, requests fail until it is replaced).
- Pull: ``SELECT <mapped fields> FROM <object> WHERE SystemModstamp >= <cursor> ORDER BY SystemModstamp, Id``,
  following ``nextRecordsUrl`` until ``done``. SOQL compares date-times to the second, so the cursor keeps the newest
  ``SystemModstamp`` read (milliseconds included) and the IDs read at exactly that moment, which the next pull skips;
  anything else at the boundary comes back and ingest absorbs it. ``overlap_seconds`` (default 0) widens the window
  for records whose transaction committed late. A full load is the same query without the ``WHERE``. A query locator
  that expired mid-feed (``INVALID_QUERY_LOCATOR``) restarts the query from the newest record read. Setting
  ``extra_fields`` adds unmapped fields to the query; they are kept in the raw payload. Deleted records are not read.
  An entitlement or contract whose Status changes only because its date passed keeps its ``SystemModstamp``, so the
  feed does not report it: the hub learns the new status at its next edit or full load (its dates are already known).
- Push: upsert by external ID, ``PATCH sobjects/<object>/<external_id_field>/<golden ID>`` (201 created, 200
  updated; before v46 204, then the ID is read back), so a retry never creates a second record. A record the hub
  already knows by its Salesforce ID (it came from Salesforce) is updated by ID and gets the golden ID written to its
  external-ID field. ``external_id_field`` defaults to ``Mdm_Golden_Id__c``. A contact carries its account as
  ``AccountId``; while the account's own delivery is still on its way the push waits (a transient failure). A
  system that gets no customers from the hub links contacts by the relationship by external ID (``"Account":
  {"Mdm_Golden_Id__c": <customer golden ID>}``); an account without that ID ("Foreign key external ID ... not
  found") dead-letters the contact, for a steward to see. Entitlements and contracts are linked the same way.
- Fields Salesforce computes are never written: the ``Status`` of entitlements and service contracts (it follows
  their dates), ``ContractNumber``, ``GrandTotal``. An entitlement's ``AccountId`` can be set only when it is created,
  so an entitlement the hub has no Salesforce ID for is looked up by its golden ID first (an upsert that turned out
  to update it would be refused for naming the account): found, it is updated by ID without the account; not found,
  it is created by the upsert, with a ``Name`` (required) made of its SKU and serial number.
- Webhooks: Outbound Messages (SOAP ``notifications``; no signature). Verified by the ``OrganizationId`` in the
  message matching the credential ``organization_id`` and a shared secret (credential ``webhook_secret``) sent as
  the password of HTTP Basic (the endpoint URL's user info: ``https://salesforce:<secret>@hub/...``), both compared
  in constant time. The key is the message's notification IDs (Salesforce resends the same ones). Notifications are
  thin to us: the records are re-read by ID. Salesforce expects the SOAP acknowledgement ``webhook_answer()``.
- Limits and errors: ``[{"message", "errorCode", "fields"}]``. 403 ``REQUEST_LIMIT_EXCEEDED`` (the rolling 24-hour
  API limit) waits ``request_limit_wait`` seconds (default 900); 429, 503, ``UNABLE_TO_LOCK_ROW`` and the other
  transient codes are retried; 300 (several records carry the golden ID) and the other 4xx are dead-lettered.
"""

import base64
import hashlib
import hmac
import json
import threading
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import httpx

from ...base import Connector, InboundChange, Outbound, PullPage, register
from ...http import ApiClient, RemoteError, error_of
from ...mapping import ObjectMap
from .mapping import (
    ACCOUNT,
    ALSO_READ,
    CONTACT,
    CREATE_ONLY,
    DEFAULT_EXTERNAL_ID_FIELD,
    ENTITLEMENT,
    NAMED_ON_CREATE,
    PICKLISTS,
    READ_ONLY,
    SERVICE_CONTRACT,
    Picklist,
)

OUTBOUND_NS = "{http://soap.sforce.com/2005/09/outbound}"
SOBJECT_NS = "{urn:sobject.enterprise.soap.sforce.com}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
ACK = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
    b'<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>'
    b"</soapenv:Body></soapenv:Envelope>"
)
# Codes Salesforce answers for conditions that pass: contention, maintenance, limits.
TRANSIENT_CODES = {
    "REQUEST_LIMIT_EXCEEDED", "UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE", "REQUEST_RUNNING_TOO_LONG",
    "QUERY_TIMEOUT", "TXN_SECURITY_METERING_ERROR",
}  # fmt: skip
SEEN_LIMIT = 500  # more records than this at one moment: skip none of them next time (repeats are harmless)

_tokens: dict[tuple[str, str], str] = {}
_token_locks: dict[tuple[str, str], threading.Lock] = {}
_token_locks_guard = threading.Lock()


def error_code(body: object) -> tuple[str, str]:
    """(code, message) of an error answer: ``[{"message", "errorCode", "fields"}]``, or OAuth's ``{"error", ...}``."""
    if isinstance(body, list) and body and isinstance(body[0], dict):
        return str(body[0].get("errorCode", "")), str(body[0].get("message", ""))
    if isinstance(body, dict) and body.get("error"):
        return str(body["error"]), str(body.get("error_description", ""))
    return "", ""


def judge(response: httpx.Response, *, limit_wait: float = 900.0) -> RemoteError:
    """Salesforce's signals: 300 (several records match), the rolling daily API limit (403 REQUEST_LIMIT_EXCEEDED,
    a long wait), and error codes of conditions that pass."""
    error = error_of(response)
    code, message = error_code(error.body)
    message = message or response.text[:300]
    if response.status_code == 300:
        error.permanent, message = True, f"several records carry this external ID: {error.body}"
    elif code == "REQUEST_LIMIT_EXCEEDED":
        error.permanent, error.retry_after = False, max(error.retry_after or 0.0, limit_wait)
    elif code in TRANSIENT_CODES:
        error.permanent = False
    error.args = (f"HTTP {response.status_code} {code}: {message}"[:500],)
    return error


def _moment(stamp: str) -> datetime:
    """A Salesforce date-time (``2026-11-28T12:00:00.000+0000``)."""
    try:
        return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%f%z")
    except ValueError:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _notifications(body: bytes) -> ET.Element | None:
    """The ``notifications`` element of an Outbound Message; None for anything else (DTDs are refused outright)."""
    if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
        return None
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    return root if root.tag == f"{OUTBOUND_NS}notifications" else root.find(f".//{OUTBOUND_NS}notifications")


def _basic_password(headers: dict[str, str]) -> str:
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return ""
    try:
        return base64.b64decode(value.strip(), validate=True).decode().partition(":")[2]
    except (ValueError, UnicodeDecodeError):
        return ""


@register
class SalesforceConnector(Connector):
    type = "salesforce"
    objects = {"customer": ACCOUNT, "contact": CONTACT, "entitlement": ENTITLEMENT, "contract": SERVICE_CONTRACT}

    # --- configuration ---------------------------------------------------------------------------------------------
    @property
    def api_root(self) -> str:
        return f"services/data/v{str(self.settings.get('api_version', '60.0')).lstrip('vV')}/"

    @property
    def external_id_field(self) -> str:
        return str(self.settings.get("external_id_field", DEFAULT_EXTERNAL_ID_FIELD))

    @property
    def root(self) -> str:
        """The My Domain root, also when the base URL was configured with the REST path."""
        base = self.system.base_url or ""
        return base.partition("/services/")[0].rstrip("/") + "/" if base else ""

    def picklists(self, entity: str) -> dict[str, Picklist]:
        """The value translations of the entity's attributes: the defaults, adapted by ``settings["picklists"]``."""
        overrides = (self.settings.get("picklists") or {}).get(entity) or {}
        defaults = PICKLISTS.get(entity, {})
        return {
            name: defaults.get(name, Picklist({}, {})).overridden(overrides.get(name))
            for name in {*defaults, *overrides}
        }

    # --- mapping ---------------------------------------------------------------------------------------------------
    def change_of(self, entity: str, record: dict) -> InboundChange:
        change = super().change_of(entity, record)
        attributes = dict(change.attributes)
        for name, picklist in self.picklists(entity).items():
            if name in attributes:
                attributes[name] = picklist.read(attributes[name])
        return replace(change, attributes=attributes)

    def remote_fields(self, entity: str, data: dict) -> dict:
        translated = {name: picklist.write(data[name]) for name, picklist in self.picklists(entity).items()
                      if name in data}  # fmt: skip
        fields = super().remote_fields(entity, {**data, **translated})
        computed = READ_ONLY.get(self.object_map(entity).remote, frozenset())
        return {name: value for name, value in fields.items() if name not in computed}

    def _client(self, headers: dict[str, str]) -> ApiClient:
        wait = float(self.settings.get("request_limit_wait", 900))
        return ApiClient(
            self.root,
            {"Accept": "application/json", **headers},
            timeout=float(self.settings.get("timeout", 15)),
            judge=lambda response: judge(response, limit_wait=wait),
        )

    # --- authentication --------------------------------------------------------------------------------------------
    @property
    def _uses_client_credentials(self) -> bool:
        return bool(self.credentials.get("client_id"))

    def _token(self, stale: str | None = None) -> str:
        """A bearer token: the pre-issued one, or the cached client-credentials token (fetched when there is none or
        the cached one is ``stale``; one fetch per system at a time)."""
        creds = self.credentials
        if not self._uses_client_credentials:
            if not creds.get("access_token"):
                raise RemoteError(None, "no credentials: client_id/client_secret or access_token", permanent=True)
            return creds["access_token"]
        key = (self.root, creds["client_id"])
        with _token_locks_guard:
            lock = _token_locks.setdefault(key, threading.Lock())
        with lock:
            cached = _tokens.get(key)
            if cached and cached != stale:
                return cached
            form = {
                "grant_type": "client_credentials",
                "client_id": creds["client_id"],
                "client_secret": creds.get("client_secret", ""),
            }
            answer = self._client({}).request("POST", "services/oauth2/token", data=form).json()
            _tokens[key] = answer["access_token"]
            return _tokens[key]

    def _call(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        token = self._token()
        try:
            return self._client({"Authorization": f"Bearer {token}"}).request(method, path, **kwargs)
        except RemoteError as exc:
            if exc.status != 401 or not self._uses_client_credentials:
                raise
        # INVALID_SESSION_ID: the session timed out or was revoked; one new token, one more try.
        token = self._token(stale=token)
        return self._client({"Authorization": f"Bearer {token}"}).request(method, path, **kwargs)

    # --- pull ------------------------------------------------------------------------------------------------------
    def pull_page(self, entity: str, cursor: str | None) -> PullPage:
        mapping = self.object_map(entity)
        state = json.loads(cursor) if cursor else {}
        body = None
        if state.get("next"):
            try:
                body = self._call("GET", state["next"]).json()
            except RemoteError as exc:
                if error_code(exc.body)[0] != "INVALID_QUERY_LOCATOR":
                    raise
                state = {"since": state.get("newest"), "seen": state.get("newest_ids", [])}
        if body is None:
            body = self._query(mapping, state.get("since"))
        records = body.get("records", [])
        since, seen = state.get("since"), set(state.get("seen", []))
        fresh = [
            r
            for r in records
            if not (since and r.get(mapping.updated_field) == since and r.get(mapping.id_field) in seen)
        ]
        newest, newest_ids = state.get("newest", since), list(state.get("newest_ids", seen))
        for record in records:
            stamp, record_id = record.get(mapping.updated_field), record.get(mapping.id_field)
            if not stamp:
                continue
            if newest is None or _moment(stamp) > _moment(newest):
                newest, newest_ids = stamp, [record_id]
            elif stamp == newest:
                newest_ids.append(record_id)
        newest_ids = newest_ids if len(newest_ids) <= SEEN_LIMIT else []
        done = bool(body.get("done", True)) or not body.get("nextRecordsUrl")
        if done:
            following = {"since": newest, "seen": newest_ids}
        else:
            following = {"since": since, "seen": sorted(seen), "newest": newest, "newest_ids": newest_ids,
                         "next": body["nextRecordsUrl"]}  # fmt: skip
        return PullPage([self.change_of(entity, r) for r in fresh], json.dumps(following), done)

    def _query(self, mapping: ObjectMap, since: str | None) -> dict:
        soql = f"SELECT {', '.join(self._columns(mapping))} FROM {mapping.remote}"
        if since:
            start = _moment(since).astimezone(UTC) - timedelta(seconds=float(self.settings.get("overlap_seconds", 0)))
            soql += f" WHERE {mapping.updated_field} >= {start.strftime('%Y-%m-%dT%H:%M:%SZ')}"
        soql += f" ORDER BY {mapping.updated_field}, {mapping.id_field}"
        return self._call("GET", self.api_root + "query", params={"q": soql}).json()

    def _columns(self, mapping: ObjectMap) -> list[str]:
        """The fields to read: what the mapping names, the external ID, and ``extra_fields`` (kept in raw)."""
        named = [spec.partition("|")[0] for spec in mapping.fields.values()] + list(mapping.references.values())
        extra = self.settings.get("extra_fields") or []
        if isinstance(extra, dict):
            extra = extra.get(mapping.entity, [])
        kept = ALSO_READ.get(mapping.remote, ())
        columns = [mapping.id_field, mapping.updated_field, *named, self.external_id_field, *kept, *extra]
        return list(dict.fromkeys(columns))

    def _read(self, mapping: ObjectMap, record_id: str) -> dict | None:
        path = f"{self.api_root}sobjects/{mapping.remote}/{quote(record_id, safe='')}"
        try:
            return self._call("GET", path, params={"fields": ",".join(self._columns(mapping))}).json()
        except RemoteError as exc:
            if exc.status == 404:
                return None  # deleted since the notification was queued
            raise

    # --- push ------------------------------------------------------------------------------------------------------
    def upsert(self, outbound: Outbound) -> str | None:
        mapping = self.object_map(outbound.entity)
        external = self.external_id_field
        fields = self.remote_fields(outbound.entity, outbound.data)
        for name in (mapping.id_field, external, *mapping.references.values()):
            fields.pop(name, None)
        if "customer" in mapping.references:
            fields.update(self._account_of(outbound))
        rows = f"{self.api_root}sobjects/{mapping.remote}"
        create_only = CREATE_ONLY.get(mapping.remote, frozenset())
        updated = {name: value for name, value in fields.items() if name not in create_only}
        if outbound.remote_id:
            try:
                by_id = f"{rows}/{quote(outbound.remote_id, safe='')}"
                self._call("PATCH", by_id, json={**updated, external: outbound.golden_id})
                return outbound.remote_id
            except RemoteError as exc:
                if exc.status != 404:
                    raise
                # Deleted in Salesforce: create it again below, keyed by the golden ID like any new record.
        by_golden = f"{rows}/{external}/{quote(outbound.golden_id, safe='')}"
        if create_only or outbound.entity in NAMED_ON_CREATE:
            # Only a creation may carry these fields: look first, and update what is found by its ID.
            found = self._find(by_golden, mapping)
            if found:
                self._call("PATCH", f"{rows}/{quote(found, safe='')}", json={**updated, external: outbound.golden_id})
                return found
            fields = {**self._first_fields(outbound), **fields}
        response = self._call("PATCH", by_golden, json=fields)
        if response.status_code == 204 or not response.content:  # API versions before 46.0 answer updates empty
            return str(self._call("GET", by_golden, params={"fields": mapping.id_field}).json()[mapping.id_field])
        return str(response.json()["id"])

    def _find(self, by_golden: str, mapping: ObjectMap) -> str | None:
        """The ID of the record carrying the golden ID, None when there is none (several: a permanent 300)."""
        try:
            return str(self._call("GET", by_golden, params={"fields": mapping.id_field}).json()[mapping.id_field])
        except RemoteError as exc:
            if exc.status == 404:
                return None
            raise

    @staticmethod
    def _first_fields(outbound: Outbound) -> dict:
        """Fields a new record needs that no attribute fills (an entitlement's ``Name``)."""
        if outbound.entity not in NAMED_ON_CREATE:
            return {}
        field, parts = NAMED_ON_CREATE[outbound.entity]
        return {field: " ".join(str(outbound.data[p]) for p in parts if outbound.data.get(p)) or outbound.golden_id}

    def _account_of(self, outbound: Outbound) -> dict:
        """The record's account: its Salesforce ID (waiting, as a transient failure, while the account's own delivery
        is on its way), or, for a system that gets no customers from the hub, the relationship by external ID."""
        field = self.object_map(outbound.entity).references.get("customer")
        if not field or "customer" not in outbound.data:
            return {}
        customer = outbound.data["customer"]
        if not customer:
            return {field: None}
        account_id = self.ref_id(outbound, "customer")
        if account_id:
            return {field: account_id}
        relationship = field.removesuffix("Id") if field.endswith("Id") else field.replace("__c", "__r")
        return {relationship: {self.external_id_field: customer}}

    # --- webhooks (Outbound Messages) ------------------------------------------------------------------------------
    def verify_webhook(self, headers: dict[str, str], body: bytes) -> bool:
        creds = self.credentials
        organization, secret = str(creds.get("organization_id", "")), str(creds.get("webhook_secret", ""))
        if not (organization and secret):
            return False
        if not hmac.compare_digest(_basic_password(headers).encode(), secret.encode()):
            return False
        message = _notifications(body)
        if message is None:
            return False
        sent = (message.findtext(f"{OUTBOUND_NS}OrganizationId") or "").strip()
        # 15- and 18-character forms of one ID share the case-sensitive first 15 characters.
        return len(sent) >= 15 and hmac.compare_digest(sent[:15].encode(), organization[:15].encode())

    def webhook_key(self, headers: dict[str, str], body: bytes) -> str:
        message = _notifications(body)
        ids = sorted(
            (n.findtext(f"{OUTBOUND_NS}Id") or "") for n in message.iter(f"{OUTBOUND_NS}Notification")
        ) if message is not None else []  # fmt: skip
        if not any(ids):
            return super().webhook_key(headers, body)
        key = "om:" + ",".join(ids)
        return key if len(key) <= 200 else "om:sha256:" + hashlib.sha256(key.encode()).hexdigest()

    def parse_webhook(self, headers: dict[str, str], body: bytes) -> list[InboundChange]:
        message = _notifications(body)
        if message is None:
            return []
        entities = {self.object_map(entity).remote: entity for entity in self.objects}
        changes = []
        for notification in message.iter(f"{OUTBOUND_NS}Notification"):
            sobject = notification.find(f"{OUTBOUND_NS}sObject")
            if sobject is None:
                continue
            entity = entities.get(sobject.get(XSI_TYPE, "").rpartition(":")[2])
            record_id = (sobject.findtext(f"{SOBJECT_NS}Id") or "").strip()
            if entity is None or not record_id:
                continue
            record = self._read(self.object_map(entity), record_id)
            if record is not None:
                changes.append(self.change_of(entity, record))
        return changes

    def webhook_answer(self) -> tuple[bytes, str]:
        """What Salesforce needs back to stop resending a message: the SOAP acknowledgement."""
        return ACK, "text/xml; charset=utf-8"
