"""ERPNext connector (Frappe REST API, ``/api/resource/{DocType}``).

Objects: ``Customer`` ↔ customers (with its primary ``Address`` and the credit limit of one company), ``Contact`` ↔
contacts (its customer is its ``links`` row to a Customer). Flags, credit standing and the joins are described in
mapping.py. The system's base URL is the site (``https://erp.example.com``) or its ``/api`` root.

- Auth: credentials ``{"api_key", "api_secret"}`` sent as ``Authorization: token key:secret`` (the API user's
  permissions apply), or ``{"access_token"}`` from Frappe's OAuth provider, sent as Bearer.
- Pull: ``GET /resource/{DocType}?fields=["name","modified"]&filters=[["modified",">=",since]]&order_by=modified
  asc, name asc&limit_page_length=N``, then each document by ``GET /resource/{DocType}/{name}``: a list answers
  top-level fields only, while the credit limits and a contact's links live in child tables, which only the
  document carries. ``modified`` has microseconds and is in the site's time zone (``settings["time_zone"]``, default
  UTC; set it to System Settings' time zone). The cursor is JSON ``{"since", "seen", "offset"}``: the newest
  ``modified`` read and the names already read at it, so the inclusive boundary re-reads that instant (a record
  saved again later in it is not lost) while what was read is skipped. Each page re-queries from the cursor instead
  of walking ``limit_start`` deep (a document saved while the feed is read moves to its end and would shift every
  offset); only a page whose rows all share one ``modified`` (a bulk import) steps on by ``limit_start``. The feed is
  drained when a page comes back short. ``settings["page_size"]`` (default 100). Contacts without a link to a
  Customer (a supplier's) are skipped. Deleted documents are not read (Deleted Document is not polled).
- Push: Frappe has no upsert, so the golden ID goes to a custom field (``mdm_golden_id``, unique; rename it with
  ``settings["external_id_field"]``): the document the hub knows by name, else the one the field finds, is PUT;
  otherwise POSTed. A retry after a lost answer finds what it created; a concurrent create that ERPNext refuses as
  ``DuplicateEntryError`` (409, the unique field) is found and updated. A Customer's address is written to its
  primary Address (created with a link to the customer and set as ``customer_primary_address`` when there is none);
  an incomplete address (ERPNext requires line 1, city and country) is not written. A contact's e-mail and phone go
  to the primary rows of ``email_ids``/``phone_nos``, its customer to ``links``; the contact's other rows and links
  to other DocTypes are kept. A contact whose customer is not in ERPNext yet waits (transient). Financial attributes
  are not written (mapping.py ``READ_ONLY``).
- Standing: the Customer (flags, ``credit_limits``) and its submitted Sales Invoices with ``outstanding_amount > 0``
  (overdue: ``due_date`` before today in the site's time zone), within ``settings["standing_timeout"]`` (2 s).
- Errors: ``{"exc_type", "exception", "_server_messages"}``. 417 (validation: ``MandatoryError``,
  ``LinkValidationError``, ``DataError``…), 403, 404 and 409 are permanent, except the 417s a retry can clear
  (``TimestampMismatchError``, ``QueryDeadlockError``, ``QueryTimeoutError``). 429 waits for ``Retry-After``, else
  ``X-RateLimit-Reset`` (seconds); 5xx and network failures retry.

Webhooks: one Frappe ``Webhook`` per DocType and event (Customer, Contact and Address; after_insert, on_update,
on_trash), request URL ``https://{hub}/api/v1/webhooks/{system code}/``, "Enable Security" with the secret kept in
the system's credentials as ``webhook_secret``, request structure JSON, a header ``Content-Type: application/json``,
the condition ``doc.modified_by != "<integration user>"`` (so the hub's own writes do not echo back), and the body::

    {"doctype": "{{ doc.doctype }}", "name": {{ doc.name | tojson }}, "modified": "{{ doc.modified }}",
     "event": "on_update"}

(the event named literally per Webhook). Frappe sends ``X-Frappe-Webhook-Signature`` = base64(HMAC-SHA256(secret,
body)), verified here in constant time. The scheme carries no timestamp: a replayed event is recognised by its key
(DocType, name, ``modified``, event), and one replayed after a newer change only makes the hub re-read the record's
current state, since events are thin. An Address event re-reads the customers it is linked to. ``on_trash`` events
are accepted and ignored (the hub does not delete golden records on a platform's word).
"""

import base64
import email.utils
import hashlib
import hmac
import json
from dataclasses import replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property
from urllib.parse import quote
from zoneinfo import ZoneInfo

import httpx

from ...base import Connector, InboundChange, Outbound, PullPage, Standing, register
from ...feeds import json_object, stored_cursor
from ...http import ApiClient, RemoteError, error_of
from .mapping import (
    CONTACT,
    CUSTOMER,
    CUSTOMER_TYPES,
    EXCEEDED_BLOCK,
    EXTERNAL_ID_FIELD,
    KINDS,
    NEW_ADDRESS,
    NEW_CUSTOMER,
    READ_ONLY,
    flags_of,
)

# 417s that say "try again", not "your data is wrong".
TRANSIENT = {"TimestampMismatchError", "QueryDeadlockError", "QueryTimeoutError"}
ADDRESS_REQUIRED = ("address_line1", "city", "country")


def judge(response: httpx.Response) -> RemoteError:
    """Frappe's signals: ``exc_type`` and ``_server_messages`` in the message; 429 waits for ``Retry-After``, else
    ``X-RateLimit-Reset`` (seconds until the window resets)."""
    error = error_of(response)
    body = error.body if isinstance(error.body, dict) else {}
    exc_type = str(body.get("exc_type") or "")
    reason = "; ".join(_server_messages(body)) or str(body.get("exception") or "")
    wait = error.retry_after
    if response.status_code == 429 and wait is None:
        try:
            wait = max(1.0, float(response.headers.get("X-RateLimit-Reset", "")))
        except ValueError:
            wait = 60.0
    detail = ": ".join(p for p in (exc_type, reason) if p)
    return RemoteError(
        error.status,
        f"HTTP {error.status}: {detail}" if detail else str(error),
        permanent=error.permanent and exc_type not in TRANSIENT,
        retry_after=wait,
        body=error.body,
    )


def _server_messages(body: dict) -> list[str]:
    """``_server_messages`` is a JSON list of JSON objects, each with a ``message``."""
    try:
        notices = json.loads(body.get("_server_messages") or "[]")
        return [str(json.loads(n).get("message", "")) if isinstance(n, str) else str(n) for n in notices]
    except (ValueError, AttributeError):
        return []


def api_root(base_url: str) -> str:
    root = (base_url or "").rstrip("/")
    return root if not root or root.endswith("/api") else root + "/api"


def resource(doctype: str, name: str | None = None) -> str:
    path = f"resource/{quote(doctype)}"
    return f"{path}/{quote(name, safe='')}" if name is not None else path


@register
class ERPNextConnector(Connector):
    type = "erpnext"
    objects = {"customer": CUSTOMER, "contact": CONTACT}

    @cached_property
    def api(self) -> ApiClient:
        return self._client(float(self.settings.get("timeout", 15)))

    def _client(self, timeout: float) -> ApiClient:
        creds = self.credentials
        if creds.get("access_token"):
            auth = f"Bearer {creds['access_token']}"
        elif creds.get("api_key") and creds.get("api_secret"):
            auth = f"token {creds['api_key']}:{creds['api_secret']}"
        else:
            raise RemoteError(None, "no ERPNext credentials: set api_key/api_secret or access_token", permanent=True)
        headers = {"Authorization": auth, "Accept": "application/json"}
        return ApiClient(api_root(self.system.base_url), headers, timeout=timeout, judge=judge)

    @property
    def external_id_field(self) -> str:
        return self.settings.get("external_id_field") or EXTERNAL_ID_FIELD

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.settings.get("time_zone") or "UTC")

    # --- reading ---------------------------------------------------------------------------------------------------
    def pull_page(self, entity: str, cursor: str | None) -> PullPage:
        mapping = self.object_map(entity)
        updated, size = mapping.updated_field, int(self.settings.get("page_size", 100))
        state = stored_cursor(cursor)
        since, seen, offset = state.get("since"), set(state.get("seen", [])), int(state.get("offset", 0))
        params = {
            "fields": json.dumps(["name", updated]),
            "order_by": f"{updated} asc, name asc",
            "limit_start": offset,
            "limit_page_length": size,
        }
        if since:
            params["filters"] = json.dumps([[updated, ">=", since]])
        rows = self.api.get(resource(mapping.remote), params=params).json().get("data", [])
        fresh = [r["name"] for r in rows if not (r.get(updated) == since and r["name"] in seen)]
        changes = [c for c in (self.read(entity, name) for name in fresh) if c is not None]
        if rows:
            last = rows[-1][updated]
            at_last = {r["name"] for r in rows if r[updated] == last}
            seen = seen | at_last if last == since else at_last
            # Only a page that one instant fills steps on by offset: re-querying from it would repeat the page.
            crowded = len(rows) == size and rows[0][updated] == last
            offset = (offset if last == since else 0) + len(rows) if crowded else 0
            since = last
        state = {"since": since, "seen": sorted(seen), "offset": offset}
        return PullPage(changes, json.dumps(state), len(rows) < size)

    def read(self, entity: str, name: str) -> InboundChange | None:
        """One record as the hub sees it, read now; None when it is gone or is not a customer's (a contact of a
        supplier only)."""
        doc = self._document(self.object_map(entity).remote, name)
        if doc is None:
            return None
        if entity == "customer":
            return self.change_of(entity, self._customer_joined(doc))
        customer = next((link["link_name"] for link in _customer_links(doc)), None)
        return self.change_of(entity, {**doc, "_customer": customer}) if customer else None

    def _document(self, doctype: str, name: str, api: ApiClient | None = None) -> dict | None:
        try:
            return (api or self.api).get(resource(doctype, name)).json()["data"]
        except RemoteError as exc:
            if exc.status == 404:
                return None
            raise

    def _customer_joined(self, doc: dict) -> dict:
        credit_status, status, _ = flags_of(doc)
        kind = CUSTOMER_TYPES.get(doc.get("customer_type") or "", None)
        joined = {**doc, "_kind": kind, "_credit_status": credit_status, "_status": status}
        joined["_credit"] = self._credit_row(doc)
        if kind == "person":
            first, _, last = (doc.get("customer_name") or "").strip().partition(" ")
            joined.update(_first_name=first or None, _last_name=last.strip() or None)
        if doc.get("customer_primary_address"):
            address = self._document("Address", doc["customer_primary_address"])
            if address is not None:
                joined["_address"] = {**address, "country_code": self._country_code(address.get("country"))}
        return joined

    def _credit_row(self, doc: dict) -> dict | None:
        rows = doc.get("credit_limits") or []
        company = self.settings.get("company")
        return next((r for r in rows if r.get("company") == company), rows[0] if rows else None)

    def _country_code(self, country: str | None) -> str | None:
        if not country:
            return None
        codes = self._country_codes
        if country not in codes:
            found = self._document("Country", country) or {}
            codes[country] = (found.get("code") or "").upper() or None
        return codes[country]

    @cached_property
    def _country_codes(self) -> dict[str, str | None]:
        return {}

    def _country_name(self, code: str) -> str | None:
        params = {"fields": json.dumps(["name"]), "filters": json.dumps([["code", "=", code.lower()]])}
        rows = self.api.get(resource("Country"), params=params).json().get("data", [])
        return rows[0]["name"] if rows else None

    def change_of(self, entity: str, record: dict) -> InboundChange:
        change = super().change_of(entity, record)
        return replace(change, source_updated_at=self._aware(change.source_updated_at))

    def _aware(self, stamp: str | None) -> str | None:
        """``modified`` is naive, in the site's time zone."""
        if not stamp:
            return stamp
        try:
            moment = datetime.fromisoformat(stamp)
        except ValueError:
            return stamp
        return (moment if moment.tzinfo else moment.replace(tzinfo=self.zone)).isoformat()

    # --- push ------------------------------------------------------------------------------------------------------
    def upsert(self, outbound: Outbound) -> str | None:
        mapping = self.object_map(outbound.entity)
        read_only = self.settings.get("read_only", READ_ONLY)
        data = {k: v for k, v in outbound.data.items() if k not in read_only}
        remote = self.remote_fields(outbound.entity, data)
        fields = {k: v for k, v in remote.items() if not k.startswith("_")}
        fields[self.external_id_field] = outbound.golden_id
        current = self._current(mapping.remote, outbound)
        if outbound.entity == "customer":
            if "_kind" in remote or current is None:
                fields["customer_type"] = KINDS.get(remote.get("_kind") or "organization", "Company")
            doc = self._save(mapping.remote, current, fields, NEW_CUSTOMER)
            if any(v not in (None, "") for v in (remote.get("_address") or {}).values()):
                self._address_save(doc, remote["_address"])
            return doc["name"]
        fields.update(self._contact_tables(outbound, current or {}, fields))
        return self._save(mapping.remote, current, fields, {})["name"]

    def _current(self, doctype: str, outbound: Outbound) -> dict | None:
        """The document this golden record already is in ERPNext: by the name the hub knows, else by golden ID."""
        if outbound.remote_id:
            doc = self._document(doctype, outbound.remote_id)
            if doc is not None and doc.get(self.external_id_field) in (None, "", outbound.golden_id):
                return doc
        name = self._find(doctype, outbound.golden_id)
        return self._document(doctype, name) if name else None

    def _find(self, doctype: str, golden_id: str) -> str | None:
        params = {
            "fields": json.dumps(["name"]),
            "filters": json.dumps([[self.external_id_field, "=", golden_id]]),
            "order_by": "creation asc",
            "limit_page_length": 1,
        }
        rows = self.api.get(resource(doctype), params=params).json().get("data", [])
        return rows[0]["name"] if rows else None

    def _save(self, doctype: str, current: dict | None, fields: dict, defaults: dict) -> dict:
        if current is not None:
            return self.api.request("PUT", resource(doctype, current["name"]), json=fields).json()["data"]
        try:
            return self.api.request("POST", resource(doctype), json={**defaults, **fields}).json()["data"]
        except RemoteError as exc:
            # Created meanwhile by another push of the same record: the unique golden-ID field refused ours.
            found = self._find(doctype, fields[self.external_id_field]) if exc.status == 409 else None
            if found is None:
                raise
            return self.api.request("PUT", resource(doctype, found), json=fields).json()["data"]

    def _address_save(self, customer: dict, parts: dict) -> None:
        values = {k: v for k, v in parts.items() if k != "country_code"}
        code = parts.get("country_code")
        values["country"] = self._country_name(code) if code else None
        if any(not values.get(k) for k in ADDRESS_REQUIRED):
            return  # ERPNext refuses an Address without them; the customer itself is saved
        name = customer.get("customer_primary_address") or self._linked_address(customer["name"])
        current = self._document("Address", name) if name else None
        if current is None:
            fields = {**NEW_ADDRESS, "address_title": customer["customer_name"], **values}
            fields["links"] = [{"link_doctype": "Customer", "link_name": customer["name"]}]
            name = self.api.request("POST", resource("Address"), json=fields).json()["data"]["name"]
        elif any((current.get(k) or None) != (v or None) for k, v in values.items()):
            self.api.request("PUT", resource("Address", name), json=values)
        if customer.get("customer_primary_address") != name:
            self.api.request("PUT", resource("Customer", customer["name"]), json={"customer_primary_address": name})

    def _linked_address(self, customer: str) -> str | None:
        """An address already linked to the customer (one a lost answer left without being made primary)."""
        filters = [["Dynamic Link", "link_doctype", "=", "Customer"], ["Dynamic Link", "link_name", "=", customer]]
        params = {"fields": json.dumps(["name"]), "filters": json.dumps(filters), "limit_page_length": 1}
        rows = self.api.get(resource("Address"), params=params).json().get("data", [])
        return rows[0]["name"] if rows else None

    def _contact_tables(self, outbound: Outbound, current: dict, fields: dict) -> dict:
        """``email_ids``, ``phone_nos`` and ``links`` for the contact's new values, keeping the rows it has."""
        tables = {}
        for field, table, column, flag in (
            ("email_id", "email_ids", "email_id", "is_primary"),
            ("phone", "phone_nos", "phone", "is_primary_phone"),
        ):
            if field in fields:
                tables[table] = _primary_rows(current.get(table) or [], column, flag, fields.pop(field))
        if outbound.data.get("customer"):
            customer = self._customer_name(outbound)
            links = current.get("links") or []
            if customer is not None and [link["link_name"] for link in _customer_links(current)] != [customer]:
                others = [_row(link) for link in links if link.get("link_doctype") != "Customer"]
                tables["links"] = [{"link_doctype": "Customer", "link_name": customer}, *others]
        return tables

    def _customer_name(self, outbound: Outbound) -> str | None:
        """The contact's customer in ERPNext; waits (transient error) while it is yet to be delivered there."""
        return self.ref_or_find(outbound, "customer", lambda golden_id: self._find("Customer", golden_id))

    # --- standing --------------------------------------------------------------------------------------------------
    def standing(self, local_id: str) -> Standing:
        api = self._client(float(self.settings.get("standing_timeout", 2)))
        customer = self._document("Customer", local_id, api)
        if customer is None:
            raise RemoteError(404, f"ERPNext has no Customer {local_id}", permanent=True)
        filters = [["customer", "=", local_id], ["docstatus", "=", 1], ["outstanding_amount", ">", 0]]
        params = {
            "fields": json.dumps(["name", "due_date", "outstanding_amount", "party_account_currency", "status"]),
            "filters": json.dumps(filters),
            "order_by": "due_date asc",
            "limit_page_length": 0,
        }
        response = api.get(resource("Sales Invoice"), params=params)
        invoices = response.json().get("data", [])
        credit_status, _, blocks = flags_of(customer)
        currency = customer.get("default_currency") or next(
            (i["party_account_currency"] for i in invoices if i.get("party_account_currency")), None
        )
        today = datetime.now(self.zone).date().isoformat()
        overdue = [i for i in invoices if (i.get("due_date") or today) < today]
        limit = _decimal((self._credit_row(customer) or {}).get("credit_limit"))
        open_amount = sum((_decimal(i["outstanding_amount"]) or Decimal(0) for i in invoices), Decimal(0))
        if limit and open_amount > limit and EXCEEDED_BLOCK not in blocks:
            blocks = (*blocks, EXCEEDED_BLOCK)
        return Standing(
            credit_status=credit_status,
            credit_limit=f"{limit:.2f}" if limit is not None else None,
            currency=currency,
            blocks=blocks,
            overdue=_sum(overdue, currency) | {"oldest_due_on": overdue[0]["due_date"] if overdue else None},
            open_items=_sum(invoices, currency),
            as_of=_http_date(response.headers.get("Date")),
        )

    # --- webhooks --------------------------------------------------------------------------------------------------
    def verify_webhook(self, headers: dict[str, str], body: bytes) -> bool:
        secret = self.credentials.get("webhook_secret") or ""
        given = headers.get("x-frappe-webhook-signature", "")
        if not (secret and given):
            return False
        expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
        return hmac.compare_digest(expected, given.encode())

    def webhook_key(self, headers: dict[str, str], body: bytes) -> str:
        event = json_object(body)
        parts = [event.get(k) for k in ("doctype", "name", "modified", "event")]
        if all(p not in (None, "") for p in parts):
            return "doc:" + ":".join(str(p) for p in parts)
        return super().webhook_key(headers, body)

    def parse_webhook(self, headers: dict[str, str], body: bytes) -> list[InboundChange]:
        event = json_object(body)
        doctype, name = str(event.get("doctype") or ""), str(event.get("name") or "")
        if not name or event.get("event") in ("on_trash", "after_delete"):
            return []
        if doctype == "Address":
            address = self._document("Address", name)
            names = [link["link_name"] for link in _customer_links(address or {})]
            return [c for c in (self.read("customer", n) for n in names) if c is not None]
        entity = next((e for e in self.entities() if self.object_map(e).remote == doctype), None)
        change = self.read(entity, name) if entity else None
        return [change] if change else []


def _customer_links(doc: dict) -> list[dict]:
    return [link for link in doc.get("links") or [] if link.get("link_doctype") == "Customer" and link.get("link_name")]


def _row(row: dict) -> dict:
    """A child row to send back: its values and name, without the parent bookkeeping Frappe fills in itself."""
    skip = {"parent", "parentfield", "parenttype", "idx", "docstatus", "doctype", "owner", "creation", "modified"}
    return {k: v for k, v in row.items() if k not in skip and k != "modified_by"}


def _primary_rows(rows: list[dict], column: str, flag: str, value: object) -> list[dict]:
    """The child table with ``value`` as its primary row (added if new); no value: no primary row."""
    out = [{**_row(r), flag: 0} for r in rows]
    if value in (None, ""):
        return out
    match = next((r for r in out if r.get(column) == value), None)
    if match is None:
        match = {column: value}
        out.append(match)
    match[flag] = 1
    return out


def _decimal(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _sum(invoices: list[dict], currency: str | None) -> dict:
    total = sum((_decimal(i.get("outstanding_amount")) or Decimal(0) for i in invoices), Decimal(0))
    return {"count": len(invoices), "amount": f"{total:.2f}", "currency": currency}


def _http_date(value: str | None) -> str | None:
    try:
        return email.utils.parsedate_to_datetime(value).isoformat() if value else None
    except (TypeError, ValueError):
        return None
