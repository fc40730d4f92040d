"""Odoo connector: ``res.partner`` ↔ customers and contacts (see mapping.py), ``account.move`` for standing.

The system's base URL is the Odoo server (``https://mycompany.odoo.com``). Three protocols, chosen by
``settings["protocol"]``:

- ``json2`` (default, Odoo 19+): ``POST /json/2/<model>/<method>`` with ``Authorization: bearer <api_key>`` and,
  where one server hosts several databases, ``X-Odoo-Database``; the body holds the method's keyword arguments
  (``domain``, ``fields``, ``offset``, ``limit``, ``order``, ``ids``, ``vals_list``, ``vals``, ``context``) and the
  answer is the return value. Errors carry a real HTTP status and ``{"name", "message", "arguments", "context",
  "debug"}``: 401 for a bad key, 403 ``AccessError``, 404 ``MissingError``, 422 ``ValidationError``/``UserError``.
- ``jsonrpc`` (Odoo up to 18; deprecated in 19): ``POST /jsonrpc`` calling ``common.authenticate(db, login, key, {})``
  once per process, then ``object.execute_kw(db, uid, key, model, method, args, kw)``. Errors answer HTTP 200 with
  an ``error`` member naming the exception, which is judged as JSON-2 would have answered it.
- ``xmlrpc`` (Odoo up to 18; deprecated in 19): the same two calls as ``POST /xmlrpc/2/common`` and
  ``/xmlrpc/2/object``, ``text/xml`` coded by ``xmlrpc.client``. Errors answer HTTP 200 with a ``<fault>`` whose
  integer code stands for the exception's class (``odoo/addons/base/controllers/rpc.py``): 3 ``AccessDenied``,
  4 ``AccessError``, 2 any ``UserError`` (``ValidationError``, ``MissingError``: only the message tells them apart),
  1 anything else, with the traceback naming it. Each is judged by that name, as JSON-RPC's are.

Credentials: ``{"api_key", "database", "login"}`` (``login`` for JSON-RPC and XML-RPC only; the database may be given
in ``settings["database"]`` instead), plus the webhook pair below. No protocol has a rate limit of its own; a 429
or 503 from a proxy in front of Odoo is retried after its ``Retry-After``; other 4xx dead-letter, 5xx retry.

Pull: ``search_read`` with the entity's domain and ``write_date >= since``, ordered ``write_date asc, id asc``, in
pages of ``settings["page_size"]`` (default 200), with ``context.active_test = false`` so archived partners come
too. ``write_date`` is UTC ``YYYY-MM-DD HH:MM:SS``, shown to the second while Odoo stores microseconds, so the
boundary second is read again (``>=``, not ``>``): the cursor ``{"since", "seen", "offset"}`` keeps what was read
at that second (ID and a digest of the record) and skips only those, so a record written again within the second is
not lost. Each page re-queries from the cursor instead of walking ``offset`` deep, because records edited during a
read move to the end of the order and shift every offset after them; ``offset`` is used only when one second holds
more records than a page. One request per page. Deletes are not visible in Odoo's feed (archiving is).

Credit tags (mapping.py) are matched by name: the first page that meets a tagged partner looks their IDs up once
(``res.partner.category``), unless ``settings["credit_tag_ids"]`` gives them (``{"12": "hold"}``).

Push: Odoo has no upsert. The golden ID goes into ``ref`` (``settings["external_id_field"]``) of the partners the
hub creates; a push writes to the partner the hub knows (``write``), else finds it by that field, else ``create``s
it, so a retry after a lost answer finds what it created. The field is written on create only, so the customer
numbers Odoo users keep in ``ref`` on their own partners stay theirs. A contact is a child partner
(``parent_id`` = its customer's partner, ``type = 'contact'``); while its customer is not in Odoo yet it waits.
The country is written as ``country_id``, looked up by code. New customers get ``customer_rank = 1`` and their
credit limit; the ERP's financial fields and credit tags are never overwritten by the hub.

Standing: ``res.partner/read`` (credit limit, receivable, currency, tags) and the open posted customer invoices
(``account.move``: ``move_type = out_invoice``, ``state = posted``, ``payment_state in (not_paid, partial)``), with
``settings["standing_timeout"]`` (default 2 s). Amounts are ``amount_residual_signed`` (company currency); overdue
means ``invoice_date_due`` before today (UTC). ``as_of`` is the ERP's ``Date`` header.

Webhooks: Odoo's automation rules can run a *Send Webhook Notification* server action, which posts
``{"_action", "_id", "_model", <chosen fields>}`` as JSON and carries no signature and no custom header. It posts
with ``requests``, which turns credentials in the URL into Basic auth, so the configured scheme is Basic auth:

1. In Odoo (Settings > Technical > Automation Rules): model *Contact*, trigger *On create and edit*, apply on
   ``[("write_uid", "!=", <integration user id>)]`` (the hub's own writes need no echo), action *Send Webhook
   Notification* to ``https://<webhook_username>:<webhook_password>@<hub>/api/v1/webhooks/<system code>/`` with the
   field ``write_date``.
2. In the hub: ``credentials["webhook_username"]`` and ``["webhook_password"]``, compared in constant time. Without
   them every event is refused: webhooks are opt-in.

What this cannot do: Basic auth proves the sender knows the secret (over HTTPS), not that the body is unaltered or
fresh, and anyone who can read the automation rule in Odoo can read the secret. The hub therefore trusts nothing in
an event but which partner to look at: it re-reads the partner through the authenticated API, so a forged or
replayed event can at worst cause a re-read. The event ID is model, ID and ``write_date`` (a repeated delivery of
one change is applied once); an event without ``write_date`` gets a fresh ID (applied again, harmlessly). Odoo sends
each event once, with a one-second timeout: the scheduled pull remains the safety net.
"""

import abc
import hashlib
import hmac
import itertools
import json
import uuid
import xmlrpc.client
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from functools import cached_property
from xml.parsers.expat import ExpatError

import httpx

from ...base import Connector, InboundChange, Outbound, PullPage, Standing, register
from ...feeds import json_object, naive_utc, stored_cursor
from ...http import ApiClient, RemoteError, basic_auth, error_of
from .mapping import (
    CONTACT,
    CREDIT_BLOCKS,
    CREDIT_TAGS,
    DOMAINS,
    EXTERNAL_ID_FIELD,
    EXTRA_FIELDS,
    KIND,
    PARTNER,
    READ_ONLY,
    STATUS,
    credit_status,
)

READ_CONTEXT = {"active_test": False}  # archived partners are part of the feed (they read as inactive)
OPEN_INVOICES = [
    ["move_type", "=", "out_invoice"],
    ["state", "=", "posted"],
    ["payment_state", "in", ["not_paid", "partial"]],
]
STANDING_FIELDS = ["credit_limit", "use_partner_credit_limit", "credit", "currency_id", "category_id", "active"]

# The HTTP status JSON-2 gives each exception Odoo names; JSON-RPC and XML-RPC name them in a 200 answer. Others are
# transient.
RPC_STATUS = {
    "odoo.exceptions.AccessDenied": 401,
    "odoo.exceptions.AccessError": 403,
    "odoo.exceptions.MissingError": 404,
    "odoo.exceptions.ValidationError": 422,
    "odoo.exceptions.UserError": 422,
    "odoo.exceptions.RedirectWarning": 422,
    "werkzeug.exceptions.NotFound": 404,
}
# The exception an XML-RPC fault code stands for. Code 2 is every UserError, so a MissingError shows only by its
# message (in the integration user's language; English is the usual one).
FAULT_NAMES = {2: "odoo.exceptions.UserError", 3: "odoo.exceptions.AccessDenied", 4: "odoo.exceptions.AccessError"}
MISSING = "Record does not exist or has been deleted"


def judge(response: httpx.Response) -> RemoteError:
    """An HTTP error answer (JSON-2, or a proxy in front of either protocol), with Odoo's exception in the message."""
    error = error_of(response)
    reason = _reason(error.body if isinstance(error.body, dict) else {})
    return RemoteError(
        error.status,
        f"HTTP {error.status}: {reason}" if reason else str(error),
        permanent=error.permanent,
        retry_after=error.retry_after,
        body=error.body,
    )


def rpc_error(error: dict) -> RemoteError:
    """A JSON-RPC ``error`` member (answered with HTTP 200), judged by the exception it names."""
    data = error.get("data") if isinstance(error.get("data"), dict) else {}
    reason = _reason(data) or str(error.get("message", "Odoo Server Error"))
    session_expired = error.get("code") == 100
    return _named_error(str(data.get("name", "")), reason, error, status=401 if session_expired else None)


def fault_error(fault: xmlrpc.client.Fault) -> RemoteError:
    """An XML-RPC ``<fault>`` (answered with HTTP 200), judged by the exception its code or traceback names."""
    code, text = fault.faultCode, str(fault.faultString)
    if code in FAULT_NAMES:
        name = "odoo.exceptions.MissingError" if code == 2 and text.startswith(MISSING) else FAULT_NAMES[code]
        reason = f"{name}: {text}"
    else:
        lines = text.strip().splitlines()
        # A traceback ends with the exception's line(s), after the last indented frame line.
        last_frame = max((i for i, line in enumerate(lines) if line[:1].isspace()), default=-1)
        reason = "\n".join(lines[last_frame + 1 :]) or f"fault {code}"
        name = reason.partition(":")[0].strip()
    return _named_error(name, reason, {"faultCode": code, "faultString": text})


def _named_error(name: str, reason: str, body: object, *, status: int | None = None) -> RemoteError:
    status = status or RPC_STATUS.get(name)
    label = f"Odoo error ({status})" if status else "Odoo error"
    return RemoteError(status, f"{label}: {reason}", permanent=status is not None, body=body)


def _reason(body: dict) -> str:
    return ": ".join(str(body[k]) for k in ("name", "message") if body.get(k))


class Json2:
    """``POST /json/2/<model>/<method>``: keyword arguments in, the method's return value out."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    def call(self, model: str, method: str, **params: object) -> object:
        return self.api.request("POST", f"json/2/{model}/{method}", json=params).json()


# Authenticated user IDs (either protocol), so a page costs one request.
_UIDS: dict[tuple[str, str, str, str], int] = {}


class ExecuteKw(abc.ABC):
    """The older RPC: ``common.authenticate`` once, then ``object.execute_kw`` with the IDs as first argument. The
    protocols differ only in how ``_rpc`` carries a call (``JsonRpc``, ``XmlRpc``)."""

    def __init__(self, api: ApiClient, database: str, login: str, key: str) -> None:
        self.api, self.database, self.login, self.key = api, database, login, key
        self.numbers = itertools.count(1)
        self.identity = (api.base_url, database, login, hashlib.sha256(key.encode()).hexdigest())

    @property
    def uid(self) -> int:
        if self.identity not in _UIDS:
            uid = self._rpc("common", "authenticate", [self.database, self.login, self.key, {}])
            if not uid:
                raise RemoteError(401, "Odoo refused the login and API key (authenticate: false)", permanent=True)
            _UIDS[self.identity] = uid
        return _UIDS[self.identity]

    def call(self, model: str, method: str, *, ids: list[int] | None = None, **params: object) -> object:
        args = [self.database, self.uid, self.key, model, method, [ids] if ids is not None else [], params]
        try:
            return self._rpc("object", "execute_kw", args)
        except RemoteError as exc:
            if exc.status == 401:
                _UIDS.pop(self.identity, None)  # a revoked key: authenticate again next time
            raise

    @abc.abstractmethod
    def _rpc(self, service: str, method: str, args: list) -> object:
        """One call of ``method`` on the ``service`` endpoint, in the transport's encoding."""


class JsonRpc(ExecuteKw):
    """``POST /jsonrpc`` with ``{"service", "method", "args"}``; a failure is an ``error`` member."""

    def _rpc(self, service: str, method: str, args: list) -> object:
        body = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": args},
            "id": next(self.numbers),
        }
        answer = self.api.request("POST", "jsonrpc", json=body).json()
        if not isinstance(answer, dict):
            raise RemoteError(None, "Odoo answered JSON-RPC with something else than an object")
        if answer.get("error"):
            raise rpc_error(answer["error"])
        return answer.get("result")


class XmlRpc(ExecuteKw):
    """``POST /xmlrpc/2/<service>`` with a ``methodCall``; a failure is a ``<fault>``."""

    def _rpc(self, service: str, method: str, args: list) -> object:
        body = xmlrpc.client.dumps(tuple(args), method, allow_none=True).encode()
        answer = self.api.request("POST", f"xmlrpc/2/{service}", content=body)
        try:
            (result,), _ = xmlrpc.client.loads(answer.content)
        except xmlrpc.client.Fault as fault:
            raise fault_error(fault) from None
        except (ExpatError, xmlrpc.client.ResponseError, ValueError, TypeError) as exc:  # no methodResponse
            raise RemoteError(None, f"Odoo answered XML-RPC with something else than a methodResponse: {exc}") from exc
        return result


RPC_PROTOCOLS: dict[str, tuple[type[ExecuteKw], str]] = {
    "jsonrpc": (JsonRpc, "application/json"),
    "xmlrpc": (XmlRpc, "text/xml"),
}


@register
class OdooConnector(Connector):
    type = "odoo"
    objects = {"customer": PARTNER, "contact": CONTACT}

    @cached_property
    def rpc(self) -> Json2 | ExecuteKw:
        return self.transport(float(self.settings.get("timeout", 15)))

    def transport(self, timeout: float) -> Json2 | ExecuteKw:
        creds = self.credentials
        key = creds.get("api_key") or ""
        if not key:
            raise RemoteError(None, "no Odoo credentials: set api_key", permanent=True)
        database = creds.get("database") or self.settings.get("database") or ""
        protocol = self.settings.get("protocol", "json2")
        headers = {"Accept": "application/json", "User-Agent": "mdmhub-odoo-connector"}
        root = _root(self.system.base_url)
        if protocol == "json2":
            headers["Authorization"] = f"bearer {key}"
            if database:
                headers["X-Odoo-Database"] = database
            return Json2(ApiClient(root, headers, timeout=timeout, judge=judge))
        if protocol not in RPC_PROTOCOLS:
            raise RemoteError(None, f"unknown Odoo protocol {protocol!r}: use json2, jsonrpc or xmlrpc", permanent=True)
        if not database or not creds.get("login"):
            raise RemoteError(None, f"Odoo {protocol} needs the database and the login", permanent=True)
        rpc, content_type = RPC_PROTOCOLS[protocol]
        headers.update({"Accept": content_type, "Content-Type": content_type})
        return rpc(ApiClient(root, headers, timeout=timeout, judge=judge), database, creds["login"], key)

    @property
    def external_id_field(self) -> str:
        return self.settings.get("external_id_field") or EXTERNAL_ID_FIELD

    def domain(self, entity: str) -> list:
        return list((self.settings.get("domains") or {}).get(entity, DOMAINS[entity]))

    def read_fields(self, entity: str) -> list[str]:
        mapping = self.object_map(entity)
        names = {mapping.id_field, mapping.updated_field, self.external_id_field, *EXTRA_FIELDS.get(entity, ())}
        names |= {spec.partition("|")[0].split(".")[0] for spec in mapping.fields.values()}
        names |= {path.split(".")[0] for path in mapping.references.values()}
        return sorted(names | set(self.settings.get("extra_fields", ())))

    # --- reading ---------------------------------------------------------------------------------------------------
    def change_of(self, entity: str, record: dict) -> InboundChange:
        change = super().change_of(entity, _plain(record))
        attributes = {**change.attributes, **self._translated(entity, record)}
        if attributes.get("kind") == "person":
            first, _, last = str(record.get("name") or "").strip().partition(" ")
            attributes.pop("name", None)
            attributes.update({k: v for k, v in (("first_name", first), ("last_name", last.strip())) if v})
        return replace(change, attributes=attributes, raw=record, source_updated_at=naive_utc(change.source_updated_at))

    def _translated(self, entity: str, record: dict) -> dict:
        if entity != "customer":
            return {}
        out = {}
        if "is_company" in record:
            out["kind"] = KIND[bool(record["is_company"])]
        if "active" in record:
            out["status"] = STATUS[bool(record["active"])]
        if "category_id" in record:
            tags = self.credit_tags(self.rpc) if record["category_id"] else {}
            out["credit_status"] = credit_status(record, tags, self.settings.get("over_limit"))
        return out

    _credit_tags: dict[int, str] | None = None

    def credit_tags(self, rpc: Json2 | ExecuteKw) -> dict[int, str]:
        """Tag ID → credit status, looked up by name once per connector (or given by ``credit_tag_ids``)."""
        if self._credit_tags is None:
            if configured := self.settings.get("credit_tag_ids"):
                self._credit_tags = {int(k): v for k, v in configured.items()}
            else:
                names = self.settings.get("credit_tags") or CREDIT_TAGS
                rows = rpc.call(
                    "res.partner.category",
                    "search_read",
                    domain=[["name", "in", sorted(names)]],
                    fields=["id", "name"],
                    context=READ_CONTEXT,
                )
                self._credit_tags = {r["id"]: names[r["name"]] for r in rows if r.get("name") in names}
        return self._credit_tags

    def pull_page(self, entity: str, cursor: str | None) -> PullPage:
        mapping = self.object_map(entity)
        updated = mapping.updated_field
        state = stored_cursor(cursor)
        since, seen, offset = state.get("since"), set(state.get("seen", [])), int(state.get("offset", 0))
        size = int(self.settings.get("page_size", 200))
        records = self.rpc.call(
            mapping.remote,
            "search_read",
            domain=self.domain(entity) + ([[updated, ">=", since]] if since else []),
            fields=self.read_fields(entity),
            offset=offset,
            limit=size,
            order=f"{updated} asc, id asc",
            context=READ_CONTEXT,
        )
        fresh = [r for r in records if not (r.get(updated) == since and _version(r) in seen)]
        full = len(records) >= size
        if records:
            last = records[-1].get(updated)
            at_last = {_version(r) for r in records if r.get(updated) == last}
            # A page all within one second: re-querying from it would answer the same page, so walk the offset.
            crowded = full and records[0].get(updated) == last
            offset = ((offset if last == since else 0) + len(records)) if crowded else 0
            seen = seen | at_last if last == since else at_last
            since = last
        state = {"since": since, "seen": sorted(seen), "offset": offset}
        return PullPage([self.change_of(entity, r) for r in fresh], json.dumps(state), not full)

    # --- writing ---------------------------------------------------------------------------------------------------
    def upsert(self, outbound: Outbound) -> str | None:
        model = self.object_map(outbound.entity).remote
        vals = self._vals(outbound)
        if outbound.remote_id:
            try:
                self.rpc.call(model, "write", ids=[_int_id(outbound.remote_id)], vals=vals)
                return str(outbound.remote_id)
            except RemoteError as exc:
                if exc.status != 404:
                    raise
                # Deleted in Odoo since: find it by golden ID or create it again.
        found = self._find(model, outbound.golden_id)
        if found is not None:
            self.rpc.call(model, "write", ids=[found], vals=vals)
            return str(found)
        created = self.rpc.call(model, "create", vals_list=[{**vals, **self._first_vals(outbound)}])
        return str(created[0] if isinstance(created, list) else created)

    def _vals(self, outbound: Outbound) -> dict:
        mapping = self.object_map(outbound.entity)
        fields = self.remote_fields(outbound.entity, outbound.data)
        if "country_code" in fields:
            code = fields["country_code"]
            fields["country_id"] = self._country_id(code) if code else False
        vals = {k: (False if v is None else v) for k, v in fields.items() if k not in READ_ONLY}
        if outbound.entity == "customer" and outbound.data.get("kind") in ("organization", "person"):
            vals["is_company"] = outbound.data["kind"] == "organization"
        if outbound.entity == "contact":
            vals["is_company"] = False
        for entity, path in mapping.references.items():
            if entity in outbound.data and (found := self._reference(outbound, entity)) is not None:
                vals[path.split(".")[0]] = found
        return vals

    def _first_vals(self, outbound: Outbound) -> dict:
        """What a new partner gets once: the golden ID, its role, and (customers) the credit limit it starts with."""
        first: dict = {self.external_id_field: outbound.golden_id}
        if outbound.entity == "contact":
            return {**first, "type": "contact"}
        first["customer_rank"] = 1
        limit = _decimal(outbound.data.get("credit_limit"))
        if limit is not None:
            first.update(credit_limit=float(limit), use_partner_credit_limit=True)
        return first

    def _find(self, model: str, golden_id: str) -> int | None:
        field = self.external_id_field
        rows = self.rpc.call(
            model,
            "search_read",
            domain=[[field, "=", golden_id]],
            fields=["id", field],
            limit=2,
            order="id asc",
            context=READ_CONTEXT,
        )
        return next((r["id"] for r in rows if r.get(field) == golden_id), None)

    def _reference(self, outbound: Outbound, entity: str) -> int | None:
        """The partner ID of a referenced golden record; None leaves the field as it is."""
        remote = self.object_map(entity).remote
        found = self.ref_or_find(outbound, entity, lambda golden_id: self._find(remote, golden_id))
        return _int_id(found) if found is not None else None

    @cached_property
    def countries(self) -> dict[str, int]:
        return {}  # country code → ID, filled as pushes need them

    def _country_id(self, code: str) -> int:
        countries = self.countries
        if code not in countries:
            rows = self.rpc.call("res.country", "search_read", domain=[["code", "=", code]], fields=["id"], limit=1)
            if not rows:
                raise RemoteError(None, f"Odoo has no country with the code {code!r}", permanent=True)
            countries[code] = rows[0]["id"]
        return countries[code]

    # --- standing --------------------------------------------------------------------------------------------------
    def standing(self, local_id: str) -> Standing:
        rpc = self.transport(float(self.settings.get("standing_timeout", 2)))
        partner_id = _int_id(local_id)
        rows = rpc.call("res.partner", "read", ids=[partner_id], fields=STANDING_FIELDS, context=READ_CONTEXT)
        if not rows:
            raise RemoteError(404, f"Odoo has no partner {local_id}", permanent=True)
        partner = rows[0]
        invoices = rpc.call(
            "account.move",
            "search_read",
            domain=[["commercial_partner_id", "=", partner_id], *OPEN_INVOICES],
            fields=["name", "invoice_date_due", "amount_residual_signed", "payment_state"],
            order="invoice_date_due asc, id asc",
        )
        as_of = _http_date(rpc.api.last_response)
        tags = self.credit_tags(rpc) if partner.get("category_id") else {}
        status = credit_status(partner, tags, self.settings.get("over_limit"))
        currency = _plain_value(partner.get("currency_id"))
        currency = currency["name"] if isinstance(currency, dict) else None
        today = datetime.now(UTC).date().isoformat()
        overdue = [i for i in invoices if i.get("invoice_date_due") and i["invoice_date_due"] < today]
        return Standing(
            credit_status=status,
            credit_limit=_money(partner.get("credit_limit")),
            currency=currency,
            blocks=CREDIT_BLOCKS.get(status, ()),
            overdue={
                "count": len(overdue),
                "amount": _money(sum((_decimal(i.get("amount_residual_signed")) or 0 for i in overdue), Decimal(0))),
                "currency": currency,
                "oldest_due_on": overdue[0]["invoice_date_due"] if overdue else None,
            },
            open_items={
                "count": len(invoices),
                "amount": _money(sum((_decimal(i.get("amount_residual_signed")) or 0 for i in invoices), Decimal(0))),
                "currency": currency,
            },
            as_of=as_of,
        )

    # --- webhooks --------------------------------------------------------------------------------------------------
    def verify_webhook(self, headers: dict[str, str], body: bytes) -> bool:
        creds = self.credentials
        if not creds.get("webhook_password"):
            return False  # opt-in: without a configured secret nobody can post events for this system
        expected = basic_auth(creds.get("webhook_username", ""), creds["webhook_password"])
        return hmac.compare_digest(headers.get("authorization", "").encode(), expected.encode())

    def webhook_key(self, headers: dict[str, str], body: bytes) -> str:
        event = json_object(body)
        parts = [event.get(k) for k in ("_model", "_id", "write_date")]
        if all(p not in (None, "", False) for p in parts):
            return "odoo:" + ":".join(str(p) for p in parts)
        return f"receipt:{uuid.uuid4().hex}"  # no change stamp: every delivery is applied (a re-read is harmless)

    def parse_webhook(self, headers: dict[str, str], body: bytes) -> list[InboundChange]:
        event = json_object(body)
        model, record_id = event.get("_model"), event.get("_id")
        if not isinstance(record_id, int) or isinstance(record_id, bool):
            return []
        for entity in self.entities():
            if self.object_map(entity).remote != model:
                continue
            rows = self.rpc.call(
                model,
                "search_read",
                domain=[["id", "=", record_id], *self.domain(entity)],
                fields=self.read_fields(entity),
                limit=1,
                context=READ_CONTEXT,
            )
            if rows:
                return [self.change_of(entity, rows[0])]
        return []  # deleted since, or a partner the hub does not read (a vendor, an address)


def _root(base_url: str) -> str:
    root = (base_url or "").rstrip("/")
    return root.removesuffix("/json/2").removesuffix("/jsonrpc").removesuffix("/xmlrpc/2")


def _version(record: dict) -> str:
    """A record as read: the same ID with other values (written again within the second) reads as new."""
    digest = hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return f"{record.get('id')}:{digest}"


def _plain(record: dict) -> dict:
    """A record as the field paths read it: many-to-one pairs as ``{"id", "name"}``, Odoo's ``false`` as absent."""
    return {name: _plain_value(value) for name, value in record.items()}


def _plain_value(value: object) -> object:
    if value is False:
        return None
    if (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], int)
        and not isinstance(value[0], bool)
        and isinstance(value[1], str)
    ):
        return {"id": value[0], "name": value[1]}
    return value


def _int_id(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise RemoteError(None, f"{value!r} is not an Odoo record ID", permanent=True) from None


def _decimal(value: object) -> Decimal | None:
    if value is None or value is False or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _money(value: object) -> str | None:
    number = _decimal(value)
    return None if number is None else str(number.quantize(Decimal("0.01")))


def _http_date(response: httpx.Response | None) -> str | None:
    stamp = response.headers.get("Date") if response is not None else None
    try:
        return parsedate_to_datetime(stamp).astimezone(UTC).isoformat() if stamp else None
    except (TypeError, ValueError):
        return None
