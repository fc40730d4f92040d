"""ServiceNow Customer Service Management connector (Table API, ``/api/now/table/{table}``).

Objects: ``customer_account`` ↔ customers, ``customer_contact`` ↔ contacts, ``service_entitlement`` ↔ entitlements
and ``ast_contract`` ↔ contracts (or the plugin's ``sn_pss_core_service_contract`` by mapping override); the
``account`` reference of the last three is their customer. Entitlement and contract ``state`` values are translated
to the hub's term statuses and back; see mapping.py. The system's base URL is the instance
(``https://{instance}.service-now.com``) or its ``/api/now/`` root.

- Auth: credentials ``{"username", "password"}`` (Basic) or ``{"token"}`` (an OAuth access token, sent as Bearer).
- Pull: ``GET /table/{t}?sysparm_query=sys_updated_on>={since}^ORDERBYsys_updated_on^ORDERBYsys_id`` (UTC,
  ``YYYY-MM-DD HH:MM:SS``: a plain-text date in an encoded query is read as UTC, whatever the user's time zone).
  The cursor is JSON ``{"since", "seen", "next"}``: the newest ``sys_updated_on`` read and the
  ``sys_id:sys_mod_count`` already read at that second, so the inclusive boundary re-reads that second (a record
  written or edited again later in it is not lost) while what was already read is skipped. Each page re-queries
  from the cursor rather than walking ``sysparm_offset`` deep, because records edited while a feed is read move to
  its end and shift every offset after them; only when one second holds more rows than a page is the
  ``Link rel="next"`` URL followed. The feed is drained when an answer carries no ``rel="next"``.
  ``settings["page_size"]`` sets ``sysparm_limit`` (default 500).
- Push: the Table API has no upsert, so the golden ID is written to a custom column (``u_mdm_golden_id``; rename it
  with ``settings["external_id_field"]``) and looked up before a create: PATCH ``/table/{t}/{sys_id}`` when the hub
  knows the record or finds it by that column, else POST. A retry after a lost answer therefore finds the record it
  created. ServiceNow ignores query conditions on columns a table lacks and answers every row, so a look-up whose rows
  do not carry the golden ID is refused (permanent) instead of overwriting some other record. A contact's ``account``
  is its customer's sys_id (the hub's cross-reference, else the look-up); a customer not in ServiceNow yet makes the
  contact wait (transient) when this system receives customers. The same holds for an entitlement's or a contract's
  ``account``. A new entitlement is named (``entitlement_name``, which ServiceNow requires) after its SKU and serial
  number; later pushes leave the name to the agents.
- Errors: ``{"error": {"message", "detail"}, "status": "failure"}``. 429 carries ``Retry-After`` (else
  ``X-RateLimit-Reset``, Unix time) and pauses the system; 5xx retry; other 4xx (400, 403 from an ACL or a data
  policy) are permanent and dead-letter.

Webhooks: ServiceNow has none built in. An admin adds an *after* Business Rule (insert, update, delete) on each table
that posts a thin event to ``https://{hub}/api/v1/webhooks/{system code}/``, authenticated in one of two ways, both
kept in the system's encrypted credentials and compared in constant time:

1. HMAC (``credentials["webhook_secret"]``, preferred): header ``X-Mdmhub-Timestamp`` = Unix seconds and header
   ``X-Mdmhub-Signature`` = base64(HMAC-SHA256(secret, timestamp + "." + raw body)), which is what
   ``GlideCertificateEncryption.generateMac`` returns (``sha256=<hex>`` of the same MAC is accepted too). Events
   older or newer than ``settings["webhook_window"]`` seconds (default 300) are refused, so a captured one cannot
   be replayed later.
2. Basic auth (``credentials["webhook_username"]`` and ``["webhook_password"]``) via ``setBasicAuth``, for
   instances that cannot sign; use it over HTTPS only.

The body is ``{"table", "sys_id", "operation", "sys_updated_on", "sys_mod_count"}``; the hub re-reads the record
through the Table API, so the event carries no data. ``sys_mod_count`` makes each change's event ID distinct (two
edits in one second are two events); a repeated delivery of the same change is applied once. Deletes are accepted
and ignored (the hub does not delete golden records on a platform's word). The Business Rule script::

    (function executeRule(current, previous) {
        var body = JSON.stringify({table: current.getTableName(), sys_id: current.getUniqueValue(),
            operation: current.operation(), sys_updated_on: current.getValue('sys_updated_on'),
            sys_mod_count: current.getValue('sys_mod_count')});
        var stamp = String(Math.floor(new GlideDateTime().getNumericValue() / 1000));
        var key = GlideStringUtil.base64Encode(gs.getProperty('mdmhub.webhook_secret'));
        var request = new sn_ws.RESTMessageV2();
        request.setEndpoint(gs.getProperty('mdmhub.webhook_url'));
        request.setHttpMethod('POST');
        request.setRequestHeader('Content-Type', 'application/json');
        request.setRequestHeader('X-Mdmhub-Timestamp', stamp);
        request.setRequestHeader('X-Mdmhub-Signature',
            new GlideCertificateEncryption().generateMac(key, 'HmacSHA256', stamp + '.' + body));
        request.setRequestBody(body);
        request.executeAsync();
    })(current, previous);

Keep the secret in a password2 system property. To keep the hub's own writes from echoing back, give the rule the
condition ``gs.getUserName() != '<integration user>'`` (echoes are harmless, only wasted work).
"""

import base64
import binascii
import hashlib
import hmac
import json
import re
import time
from dataclasses import replace
from functools import cached_property

import httpx

from ...base import Connector, InboundChange, Outbound, PullPage, register
from ...feeds import json_object, naive_utc, stored_cursor
from ...http import ApiClient, RemoteError, basic_auth, error_of
from .mapping import ACCOUNT, CONTACT, CONTRACT, ENTITLEMENT, EXTERNAL_ID_FIELD, NAMED_ON_CREATE, STATES

SYS_ID = re.compile(r"^[0-9a-f]{32}$")
SAFE_VALUE = re.compile(r"^[\w.:-]+$")  # a golden ID fits in an encoded query without escaping
READ = {"sysparm_exclude_reference_link": "true", "sysparm_display_value": "false"}


def judge(response: httpx.Response) -> RemoteError:
    """ServiceNow's signals: the ``{"error": {"message", "detail"}}`` body in the message; 429 waits for
    ``Retry-After``, else until ``X-RateLimit-Reset``."""
    error = error_of(response)
    found = error.body.get("error") if isinstance(error.body, dict) else None
    reason = (
        ": ".join(str(found.get(k)) for k in ("message", "detail") if found.get(k)) if isinstance(found, dict) else ""
    )
    if rule := response.headers.get("X-RateLimit-Rule"):
        reason += f" (rate limit rule {rule})"
    wait = error.retry_after
    if response.status_code == 429 and wait is None:
        try:
            wait = max(1.0, float(response.headers.get("X-RateLimit-Reset", "")) - time.time())
        except ValueError:
            wait = 60.0
    return RemoteError(
        error.status,
        f"HTTP {error.status}: {reason}" if reason else str(error),
        permanent=error.permanent,
        retry_after=wait,
        body=error.body,
    )


def api_root(base_url: str) -> str:
    root = (base_url or "").rstrip("/")
    return root if not root or root.endswith("/api/now") else root + "/api/now"


@register
class ServiceNowConnector(Connector):
    type = "servicenow"
    objects = {"customer": ACCOUNT, "contact": CONTACT, "entitlement": ENTITLEMENT, "contract": CONTRACT}

    @cached_property
    def api(self) -> ApiClient:
        creds = self.credentials
        if creds.get("token"):
            auth = f"Bearer {creds['token']}"
        elif creds.get("username"):
            auth = basic_auth(creds["username"], creds.get("password", ""))
        else:
            raise RemoteError(None, "no ServiceNow credentials: set username/password or token", permanent=True)
        return ApiClient(
            api_root(self.system.base_url),
            {"Authorization": auth, "Accept": "application/json"},
            timeout=float(self.settings.get("timeout", 15)),
            judge=judge,
        )

    def change_of(self, entity: str, record: dict) -> InboundChange:
        change = super().change_of(entity, record)
        attributes = dict(change.attributes)
        for name, translation in STATES.get(entity, {}).items():
            if name in attributes:
                attributes[name] = translation.read(attributes[name])
        return replace(change, attributes=attributes, source_updated_at=naive_utc(change.source_updated_at))

    def remote_fields(self, entity: str, data: dict) -> dict:
        translated = {name: t.write(data[name]) for name, t in STATES.get(entity, {}).items() if name in data}
        return super().remote_fields(entity, {**data, **translated})

    @property
    def external_id_field(self) -> str:
        return self.settings.get("external_id_field") or EXTERNAL_ID_FIELD

    # --- pull ------------------------------------------------------------------------------------------------------
    def pull_page(self, entity: str, cursor: str | None) -> PullPage:
        mapping = self.object_map(entity)
        updated = mapping.updated_field
        state = stored_cursor(cursor)
        since, seen = state.get("since"), set(state.get("seen", []))
        if state.get("next"):
            response = self.api.get(state["next"])
        else:
            order = f"ORDERBY{updated}^ORDERBYsys_id"
            params = {
                "sysparm_query": f"{updated}>={since}^{order}" if since else order,
                "sysparm_limit": int(self.settings.get("page_size", 500)),
                "sysparm_offset": 0,
                **READ,
            }
            response = self.api.get(f"table/{mapping.remote}", params=params)
        records = response.json().get("result", [])
        fresh = [r for r in records if not (r.get(updated) == since and _version(r) in seen)]
        more = response.links.get("next", {}).get("url")
        if records:
            last = records[-1].get(updated)
            at_last = {_version(r) for r in records if r.get(updated) == last}
            seen = seen | at_last if last == since else at_last
            since = last
        # Only a second holding more rows than a page needs the offset: re-querying from it would repeat this page.
        crowded = bool(more and records) and all(r.get(updated) == since for r in records)
        state = {"since": since, "seen": sorted(seen), "next": more if crowded else None}
        return PullPage([self.change_of(entity, r) for r in fresh], json.dumps(state), not more)

    # --- push ------------------------------------------------------------------------------------------------------
    def upsert(self, outbound: Outbound) -> str | None:
        mapping = self.object_map(outbound.entity)
        fields = self.remote_fields(outbound.entity, outbound.data)
        fields[self.external_id_field] = outbound.golden_id
        for entity, column in mapping.references.items():
            if entity in outbound.data and (found := self._reference(outbound, entity)) is not None:
                fields[column] = found
        if outbound.remote_id:
            try:
                return self._save(mapping.remote, fields, outbound.remote_id)
            except RemoteError as exc:
                if exc.status != 404:
                    raise
                # Deleted in ServiceNow (or hidden by an ACL) since: find it by golden ID or create it again.
        sys_id = self._find(mapping.remote, outbound.golden_id)
        return self._save(mapping.remote, fields if sys_id else {**self._first_fields(outbound), **fields}, sys_id)

    def _first_fields(self, outbound: Outbound) -> dict:
        """Columns a new row needs that no canonical attribute fills; set once, so an agent's later edit stands."""
        if outbound.entity not in NAMED_ON_CREATE:
            return {}
        column, parts = NAMED_ON_CREATE[outbound.entity]
        name = " ".join(str(outbound.data[p]) for p in parts if outbound.data.get(p))
        return {column: name or outbound.golden_id}

    def _save(self, table: str, fields: dict, sys_id: str | None) -> str:
        params = {**READ, "sysparm_fields": "sys_id"}
        if sys_id:
            response = self.api.request("PATCH", f"table/{table}/{sys_id}", params=params, json=fields)
        else:
            response = self.api.request("POST", f"table/{table}", params=params, json=fields)
        return str(response.json()["result"]["sys_id"])

    def _find(self, table: str, golden_id: str) -> str | None:
        """The sys_id of the record carrying this golden ID in the external-ID column, if there is one."""
        column = self.external_id_field
        if not SAFE_VALUE.match(golden_id):
            raise RemoteError(None, f"golden ID {golden_id!r} cannot be used in a ServiceNow query", permanent=True)
        params = {
            "sysparm_query": f"{column}={golden_id}^ORDERBYsys_created_on",
            "sysparm_fields": f"sys_id,{column}",
            "sysparm_limit": 2,
            **READ,
        }
        rows = self.api.get(f"table/{table}", params=params).json().get("result", [])
        matches = [r["sys_id"] for r in rows if r.get(column) == golden_id]
        if rows and not matches:
            raise RemoteError(
                None, f"{table} has no column {column} (ServiceNow ignored the condition): add it", permanent=True
            )
        return matches[0] if matches else None

    def _reference(self, outbound: Outbound, entity: str) -> str | None:
        """The sys_id to write in a reference column; None leaves the column as it is."""
        golden_id = outbound.data.get(entity)
        if not golden_id:
            return ""  # an empty reference clears it
        remote = self.object_map(entity).remote
        return self.ref_or_find(outbound, entity, lambda golden_id: self._find(remote, golden_id))

    # --- webhooks --------------------------------------------------------------------------------------------------
    def verify_webhook(self, headers: dict[str, str], body: bytes) -> bool:
        creds = self.credentials
        if creds.get("webhook_secret"):
            return self._signed(creds["webhook_secret"], headers, body)
        if creds.get("webhook_password"):
            expected = basic_auth(creds.get("webhook_username", ""), creds["webhook_password"])
            return hmac.compare_digest(headers.get("authorization", "").encode(), expected.encode())
        return False  # no scheme configured: nobody can post events for this system

    def _signed(self, secret: str, headers: dict[str, str], body: bytes) -> bool:
        stamp, signature = headers.get("x-mdmhub-timestamp", ""), headers.get("x-mdmhub-signature", "")
        try:
            sent = int(stamp)
        except ValueError:
            return False
        if abs(time.time() - sent) > float(self.settings.get("webhook_window", 300)):
            return False
        mac = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).digest()
        if signature.startswith("sha256="):
            return hmac.compare_digest(signature.removeprefix("sha256=").encode(), mac.hex().encode())
        try:
            given = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            return False
        return hmac.compare_digest(given, mac)

    def webhook_key(self, headers: dict[str, str], body: bytes) -> str:
        event = json_object(body)
        parts = [event.get(k) for k in ("table", "sys_id", "operation", "sys_mod_count")]
        if all(p not in (None, "") for p in parts):
            return "event:" + ":".join(str(p) for p in parts)
        # Without the modification count, two edits in one second would read alike: the timestamp tells them apart.
        stamp = headers.get("x-mdmhub-timestamp", "").encode()
        return "sha256:" + hashlib.sha256(stamp + b"." + body).hexdigest()

    def parse_webhook(self, headers: dict[str, str], body: bytes) -> list[InboundChange]:
        event = json_object(body)
        table, sys_id = str(event.get("table", "")), str(event.get("sys_id", ""))
        entity = next((e for e in self.entities() if self.object_map(e).remote == table), None)
        if entity is None or not SYS_ID.match(sys_id) or event.get("operation") == "delete":
            return []
        try:
            record = self.api.get(f"table/{table}/{sys_id}", params=READ).json()["result"]
        except RemoteError as exc:
            if exc.status == 404:
                return []  # deleted since: nothing to read
            raise
        return [self.change_of(entity, record)]


def _version(record: dict) -> str:
    """A record as of one change: a second edit within the same second raises the count, so it is read again."""
    return f"{record.get('sys_id')}:{record.get('sys_mod_count')}"
