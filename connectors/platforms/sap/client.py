"""SAP S/4HANA Cloud connector (OData V2 APIs of a communication arrangement).

Objects: business partners with a customer role ↔ customers, person business partners linked to an organisation by
an ``A_BusinessPartnerContact`` relationship ↔ contacts; the pairing and the block-flag translations are in
mapping.py. The ERP is the system of record for financial standing: credit limit, currency, payment terms, credit
status and status are read, never written.

- Base URL: the API host root (``https://my000000-api.s4hanacloud.cloud.sap/``; a URL given down to a service is
  cut back to the host). Services live under it at ``sap/opu/odata/sap/<SERVICE>/``: ``API_BUSINESS_PARTNER``,
  ``API_CRDTMBUSINESSPARTNER`` (``CreditManagementAccount``) and ``API_OPLACCTGDOCITEMCUBE_SRV`` (open items).
- Auth: the communication user, credentials ``{"username", "password"}`` (Basic), or ``{"access_token"}`` issued by
  the tenant's OAuth server (sent as Bearer; when it expires, requests fail until it is replaced).
- Pull: ``A_BusinessPartner?$filter=LastChangeDate gt datetime'D' or (LastChangeDate eq datetime'D' and
  LastChangeTime ge time'PT…')`` ordered by ``LastChangeDate,LastChangeTime,BusinessPartner`` with ``$top``,
  ``$skip`` and ``$inlinecount=allpages`` (customers expand addresses, tax numbers and the customer with its
  company codes). ``LastChangeDate`` is a date, so the time comes from ``LastChangeTime`` (UTC); the boundary second
  is inclusive and re-filtered on the client: the cursor is JSON ``{"since", "seen", "skip"}``, the newest change
  read and the partners already read at that second, which the next page skips (a server that ignored the time
  condition would only cost repeats). Each page queries again from the cursor, so a partner edited while the feed
  is read moves to its end instead of shifting the pages; only a second holding more rows than a page walks
  ``$skip``. The feed is drained when neither ``__count`` nor ``__next`` says there is more. ``page_size``
  (default 100) sets ``$top``. Business partners without a customer (contact persons, suppliers) are skipped by the
  customer feed; the contact feed reads persons (``BusinessPartnerCategory eq '1'``) and their relationships.
  The credit accounts of a page's customers are read in one more request (``BusinessPartner eq … or …``).
  A credit account has no change timestamp of its own (only ``CreditLimitLastChangeDate``): a credit block or limit
  change reaches the feed because it counts as a change of the business partner (the simulator stamps the
  partner; on a tenant, the credit analyst's change raises the business partner event and, where it does not stamp
  ``LastChangeDate``, only that event carries it). An operator can re-read from a date by setting the cursor to
  ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS``.
- Push: no upsert in OData. The golden ID goes to ``BusinessPartnerIDByExtSystem``, which holds 20 characters:
  the golden ID without its type prefix, cut to 20 (10 of time, 10 random: unique in practice). A push looks the
  partner up by that ID (or by the ID the hub knows), then ``POST A_BusinessPartner`` with a deep insert of address,
  tax number (category ``settings["tax_type"]``, else ``<country>0``) and customer roles, or ``PATCH`` only what
  differs on ``A_BusinessPartner``, ``A_BusinessPartnerAddress`` and ``A_BusinessPartnerTaxNumber``. A contact is a
  person (role ``BUP001``) and a relationship to its customer's partner (``POST A_BusinessPartnerContact`` with
  ``to_ContactRelationship`` for e-mail and phone, later ``PATCH A_BPContactToFuncAndDept``). A retry after a lost
  answer finds what the first try created. Writes carry the CSRF token and session cookie of a ``GET`` with
  ``X-CSRF-Token: Fetch``, cached per process; a 403 with ``X-CSRF-Token: Required`` fetches a new one once.
  ``If-Match`` is sent with the ``__metadata.etag`` the push read, where the API models one (the published EDMX
  gives business partners none). A 412 means the entity changed between that read and the write (a user in the
  ERP): the connector reads it again by key and writes what still differs, with the new ETag, once; a second 412
  is transient, so the delivery engine retries the whole push later (it reads everything afresh). A 428 means the
  connector sent no ``If-Match`` to an entity that needs one (it read no ETag): permanent, as the same request
  cannot succeed.
- Errors: ``{"error": {"code", "message": {"lang", "value"}, "innererror"}}``. SAP publishes no rate limits: 429 and
  503 from the gateway are retried (``Retry-After`` when given); 400 (validation) and the other 4xx dead-letter.
- Webhooks: Event Mesh CloudEvents (structured ``application/cloudevents+json`` or binary ``ce-*`` headers) of type
  ``sap.s4.beh.businesspartner.v1.BusinessPartner.Created|Changed.v1`` with ``data {"BusinessPartner"}``. Event
  Mesh signs nothing: its webhook subscription authenticates to the hub with Basic auth, user
  ``credentials["webhook_user"]`` and password ``credentials["webhook_secret"]``, compared in constant time. The
  event ID (with its source) is the de-duplication key. Events are thin: the partner is read again (one request,
  expanded) with its credit account or contact relationships (a second), so one event costs two requests.
- Standing: ``A_Customer('<id>')`` with company codes (blocks), the credit account, and the uncleared items of
  ``A_OperationalAcctgDocItemCube`` (``ClearingAccountingDocument eq ''``; overdue when ``NetDueDate`` is before
  today), within ``standing_timeout`` seconds in all (default 2). ``settings["open_items"] = false`` skips the items.
"""

import hashlib
import hmac
import json
import re
import threading
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from functools import cached_property
from urllib.parse import urlsplit

import httpx

from ...base import Connector, InboundChange, Outbound, PullPage, Standing, register
from ...feeds import stored_cursor
from ...http import ApiClient, RemoteError, basic_auth, error_of
from ...mapping import get_path
from .mapping import (
    BLOCKS,
    CATEGORIES,
    CONTACT,
    CONTACT_CATEGORY,
    CONTACT_ROLE,
    CREDIT_STATUS,
    CUSTOMER,
    CUSTOMER_ROLES,
    INACTIVE_WHEN,
    KINDS,
    VALID_UNTIL,
)

ODATA = "sap/opu/odata/sap/"
PARTNERS = ODATA + "API_BUSINESS_PARTNER/"
CREDIT = ODATA + "API_CRDTMBUSINESSPARTNER/CreditManagementAccount"
ITEMS = ODATA + "API_OPLACCTGDOCITEMCUBE_SRV/A_OperationalAcctgDocItemCube"
CUSTOMER_EXPAND = "to_BusinessPartnerAddress,to_BusinessPartnerTax,to_Customer,to_Customer/to_CustomerCompany"
ORDER = "LastChangeDate,LastChangeTime,BusinessPartner"
EVENT_PREFIX = "sap.s4.beh.businesspartner.v1.BusinessPartner."
PARTNER_ID = re.compile(r"^[A-Za-z0-9]{1,10}$")
DATE = re.compile(r"/Date\((-?\d+)(?:[+-]\d{4})?\)/")
TIME = re.compile(r"PT(\d+)H(\d+)M(\d+)S")
EXTERNAL_ID_LENGTH = 20  # BUT000-BPEXT
CHUNK = 100  # partners named in one "or" filter

_sessions: dict[tuple[str, str], tuple[str, str]] = {}  # (base URL, login digest) -> (CSRF token, session cookies)
_sessions_lock = threading.Lock()


class CsrfRequired(RemoteError):
    """The gateway refused the write's CSRF token (expired session): fetch a new one."""


def judge(response: httpx.Response) -> RemoteError:
    """SAP's signals: the OData error's code and text in the message; 403 ``X-CSRF-Token: Required``."""
    error = error_of(response)
    found = error.body.get("error") if isinstance(error.body, dict) else None
    reason = ""
    if isinstance(found, dict):
        message = found.get("message")
        text = message.get("value") if isinstance(message, dict) else message
        reason = " ".join(str(p) for p in (found.get("code"), text) if p)
    message = f"HTTP {error.status}: {reason}" if reason else str(error)
    if response.status_code == 403 and response.headers.get("x-csrf-token", "").lower() == "required":
        return CsrfRequired(403, message, body=error.body)
    if response.status_code == 412:  # changed since read: a later try reads the entity again and can succeed
        return RemoteError(412, message, body=error.body)
    return RemoteError(error.status, message, permanent=error.permanent, retry_after=error.retry_after, body=error.body)


def host_root(base_url: str) -> str:
    parts = urlsplit(base_url or "")
    path = parts.path.split("/sap/opu/odata/")[0]
    return f"{parts.scheme}://{parts.netloc}{path}".rstrip("/") + "/" if parts.netloc else ""


def external_id(golden_id: str) -> str:
    """The golden ID as ``BusinessPartnerIDByExtSystem`` holds it (20 characters)."""
    return golden_id.partition("_")[2][:EXTERNAL_ID_LENGTH] if "_" in golden_id else golden_id[:EXTERNAL_ID_LENGTH]


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _any_of(field: str, values: list[str]) -> str:
    return " or ".join(f"{field} eq {_quoted(v)}" for v in values)


def _results(value: object) -> list[dict]:
    if isinstance(value, dict):
        value = value.get("results", [])
    return [v for v in value or [] if isinstance(v, dict)]


def _stamp(record: dict) -> str | None:
    """``LastChangeDate`` + ``LastChangeTime`` as ``YYYY-MM-DDTHH:MM:SS`` (UTC), which orders as text."""
    day = DATE.fullmatch(str(record.get("LastChangeDate") or ""))
    if not day:
        return None
    moment = datetime.fromtimestamp(int(day.group(1)) / 1000, UTC)
    clock = TIME.fullmatch(str(record.get("LastChangeTime") or ""))
    hours, minutes, seconds = map(int, clock.groups()) if clock else (0, 0, 0)
    return f"{moment.date().isoformat()}T{hours:02d}:{minutes:02d}:{seconds:02d}"


def _since_filter(since: str) -> str:
    day, _, clock = since.partition("T")
    hours, minutes, seconds = (clock or "00:00:00").split(":")
    midnight = f"datetime'{day}T00:00:00'"
    return (
        f"LastChangeDate gt {midnight} or (LastChangeDate eq {midnight} and "
        f"LastChangeTime ge time'PT{hours}H{minutes}M{seconds}S')"
    )


def _cursor(text: str | None) -> dict:
    cursor = stored_cursor(text)
    if text and not text.lstrip().startswith("{") and "T" not in cursor["since"]:
        cursor["since"] += "T00:00:00"  # a date an operator typed in: from its start
    return cursor


def _unread(record: dict, since: str | None, seen: set[str]) -> bool:
    stamp = _stamp(record) or ""
    return not since or stamp > since or (stamp == since and record["BusinessPartner"] not in seen)


def _advanced(records: list[dict], since: str | None, seen: set[str], skip: int, more: bool) -> tuple:
    """The cursor after a page: the newest second read and the partners read at it; ``skip`` only while one second
    holds more rows than a page (the next query starts at that second and must pass what was read of it)."""
    if not records:
        return since, seen, skip
    last = _stamp(records[-1]) or ""
    if since and last <= since:  # the whole page lies in the boundary second: walk on through it
        return (
            since,
            seen | {r["BusinessPartner"] for r in records if _stamp(r) == since},
            skip + len(records) if more else 0,
        )
    crowded = more and all(_stamp(r) == last for r in records)
    return last, {r["BusinessPartner"] for r in records if _stamp(r) == last}, len(records) if crowded else 0


def _differing(current: dict, wanted: dict) -> dict:
    return {k: v for k, v in wanted.items() if (current.get(k) or "") != (v or "")}


def _etag(record: dict) -> str | None:
    return (record.get("__metadata") or {}).get("etag")


def _holds(record: dict, paths: tuple[str, ...] | list[str]) -> bool:
    return any(get_path(record, path) not in (None, "", False) for path in paths)


def _decimal(value: object) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


@register
class SapConnector(Connector):
    type = "sap"
    objects = {"customer": CUSTOMER, "contact": CONTACT}

    # --- requests --------------------------------------------------------------------------------------------------
    @cached_property
    def login(self) -> str:
        creds = self.credentials
        if creds.get("access_token"):
            return f"Bearer {creds['access_token']}"
        if creds.get("username"):
            return basic_auth(creds["username"], creds.get("password", ""))
        raise RemoteError(None, "no SAP credentials: set username/password or access_token", permanent=True)

    def client(self, timeout: float | None = None) -> ApiClient:
        return ApiClient(
            host_root(self.system.base_url),
            {"Authorization": self.login, "Accept": "application/json"},
            timeout=timeout or float(self.settings.get("timeout", 15)),
            judge=judge,
        )

    @cached_property
    def api(self) -> ApiClient:
        return self.client()

    def _get(self, path: str, params: dict | None = None, api: ApiClient | None = None) -> object:
        return (api or self.api).get(path, params=params).json()["d"]

    def _list(self, path: str, params: dict, api: ApiClient | None = None) -> list[dict]:
        return _results(self._get(path, params, api))

    def _csrf(self, stale: str | None = None) -> tuple[str, str]:
        """A CSRF token and its session cookies, fetched once per process and again when the gateway refuses it."""
        key = (self.api.base_url, hashlib.sha256(self.login.encode()).hexdigest())
        with _sessions_lock:
            cached = _sessions.get(key)
            if cached and cached[0] != stale:
                return cached
            response = self.api.get(PARTNERS, headers={"X-CSRF-Token": "Fetch"})
            cookies = "; ".join(c.split(";", 1)[0].strip() for c in response.headers.get_list("set-cookie"))
            _sessions[key] = (response.headers.get("x-csrf-token", ""), cookies)
            return _sessions[key]

    def _write(self, method: str, path: str, body: dict, etag: str | None = None) -> httpx.Response:
        token, cookies = self._csrf()
        for attempt in range(2):
            headers = {"X-CSRF-Token": token, "Cookie": cookies, "Content-Type": "application/json"}
            if etag:
                headers["If-Match"] = etag
            try:
                return self.api.request(method, path, headers=headers, json=body)
            except CsrfRequired:
                if attempt:
                    raise
                token, cookies = self._csrf(stale=token)
        raise AssertionError("unreachable")

    # --- reading ---------------------------------------------------------------------------------------------------
    def _credit_accounts(self, partners: list[str]) -> dict[str, list[dict]]:
        found: dict[str, list[dict]] = {}
        for start in range(0, len(partners), CHUNK):
            params = {"$filter": _any_of("BusinessPartner", partners[start : start + CHUNK])}
            for account in self._list(CREDIT, params):
                found.setdefault(str(account.get("BusinessPartner")), []).append(account)
        return found

    def _relationships(self, persons: list[str]) -> dict[str, list[dict]]:
        found: dict[str, list[dict]] = {}
        for start in range(0, len(persons), CHUNK):
            params = {
                "$filter": _any_of("BusinessPartnerPerson", persons[start : start + CHUNK]),
                "$expand": "to_ContactRelationship",
            }
            for relationship in self._list(PARTNERS + "A_BusinessPartnerContact", params):
                found.setdefault(str(relationship.get("BusinessPartnerPerson")), []).append(relationship)
        return found

    def _pick(self, entries: list[dict], field: str, setting: str) -> dict | None:
        wanted = self.settings.get(setting)
        return next((e for e in entries if e.get(field) == wanted), None) or (entries[0] if entries else None)

    def customer_view(self, record: dict, credit_accounts: list[dict]) -> dict:
        """The partner with the entries the mapping reads picked out of its expanded collections (mapping.py)."""
        customer = record.get("to_Customer") or {}
        return {
            **record,
            "LastChange": _stamp(record),
            "Address": (_results(record.get("to_BusinessPartnerAddress")) or [None])[0],
            "TaxNumber": self._pick(_results(record.get("to_BusinessPartnerTax")), "BPTaxType", "tax_type"),
            "CustomerCompany": self._pick(_results(customer.get("to_CustomerCompany")), "CompanyCode", "company_code"),
            "CreditAccount": self._pick(credit_accounts, "CreditSegment", "credit_segment"),
        }

    def customer_change(self, record: dict, credit_accounts: list[dict]) -> InboundChange:
        view = self.customer_view(record, credit_accounts)
        change = self.change_of("customer", view)
        attributes = {**change.attributes, "credit_status": self.credit_status(view), "status": self.status(view)}
        if kind := KINDS.get(str(record.get("BusinessPartnerCategory"))):
            attributes["kind"] = kind
        return replace(change, attributes=attributes, source_updated_at=_utc(view["LastChange"]))

    def contact_change(self, record: dict, relationships: list[dict]) -> InboundChange:
        standard = next((r for r in relationships if r.get("IsStandardRelationship")), relationships[0])
        view = {**record, "LastChange": _stamp(record), "Relationship": standard}
        change = self.change_of("contact", view)
        return replace(change, source_updated_at=_utc(view["LastChange"]))

    def credit_status(self, view: dict) -> str:
        rules = self.settings.get("credit_status_rules") or CREDIT_STATUS
        return next((status for status, paths in rules if _holds(view, paths)), "ok")

    def status(self, view: dict) -> str:
        return "inactive" if _holds(view, self.settings.get("inactive_when") or INACTIVE_WHEN) else "active"

    def _customer_changes(self, records: list[dict]) -> list[InboundChange]:
        customers = [r for r in records if r.get("to_Customer")]
        accounts = self._credit_accounts([str(r["BusinessPartner"]) for r in customers]) if customers else {}
        return [self.customer_change(r, accounts.get(str(r["BusinessPartner"]), [])) for r in customers]

    def _contact_changes(self, records: list[dict]) -> list[InboundChange]:
        persons = [str(r["BusinessPartner"]) for r in records if str(r.get("BusinessPartnerCategory")) == "1"]
        found = self._relationships(persons) if persons else {}
        return [
            self.contact_change(r, found[str(r["BusinessPartner"])]) for r in records if found.get(r["BusinessPartner"])
        ]

    # --- pull ------------------------------------------------------------------------------------------------------
    def pull_page(self, entity: str, cursor: str | None) -> PullPage:
        self.object_map(entity)
        state = _cursor(cursor)
        since, seen, skip = state.get("since"), set(state.get("seen", [])), int(state.get("skip", 0))
        terms = ["BusinessPartnerCategory eq '1'"] if entity == "contact" else []
        if since:
            terms.append(f"({_since_filter(since)})")
        top = int(self.settings.get("page_size", 100))
        params = {"$orderby": ORDER, "$top": top, "$skip": skip, "$inlinecount": "allpages"}
        if terms:
            params["$filter"] = " and ".join(terms)
        if entity == "customer":
            params["$expand"] = CUSTOMER_EXPAND
        answer = self._get(PARTNERS + "A_BusinessPartner", params)
        records = _results(answer)
        fresh = [r for r in records if _unread(r, since, seen)]
        more = bool(records) and (bool(answer.get("__next")) or skip + len(records) < int(answer.get("__count") or 0))
        since, seen, skip = _advanced(records, since, seen, skip, more)
        changes = self._customer_changes(fresh) if entity == "customer" else self._contact_changes(fresh)
        return PullPage(changes, json.dumps({"since": since, "seen": sorted(seen), "skip": skip}), not more)

    # --- push ------------------------------------------------------------------------------------------------------
    def upsert(self, outbound: Outbound) -> str | None:
        if outbound.entity == "customer":
            return self._push_customer(outbound)
        if outbound.entity == "contact":
            return self._push_contact(outbound)
        self.object_map(outbound.entity)
        return None

    def _partner(self, remote_id: str | None, golden_id: str, expand: str) -> dict | None:
        """The partner the hub knows by ID, else the one carrying the golden ID (a push whose answer was lost)."""
        if remote_id and PARTNER_ID.match(remote_id):
            try:
                return self._get(f"{PARTNERS}A_BusinessPartner({_quoted(remote_id)})", {"$expand": expand})
            except RemoteError as exc:
                if exc.status != 404:
                    raise
        params = {"$filter": f"BusinessPartnerIDByExtSystem eq {_quoted(external_id(golden_id))}", "$top": 2}
        if expand:
            params["$expand"] = expand
        found = self._list(PARTNERS + "A_BusinessPartner", params)
        return found[0] if found else None

    def _header(self, fields: dict, category: str, golden_id: str) -> dict:
        """The partner's own fields to write: what the mapping yields outside the expanded entities, without the
        other category's name fields (a person has no organisation name, an organisation no first name)."""
        other = ("OrganizationBPName1",) if category == "1" else ("FirstName", "LastName")
        header = {k: v or "" for k, v in fields.items() if not isinstance(v, dict) and k not in other}
        return {**header, "BusinessPartnerIDByExtSystem": external_id(golden_id)}

    def _push_customer(self, outbound: Outbound) -> str:
        fields = self.remote_fields("customer", outbound.data)
        current = self._partner(
            outbound.remote_id, outbound.golden_id, "to_BusinessPartnerAddress,to_BusinessPartnerTax"
        )
        category = (
            str(current["BusinessPartnerCategory"]) if current else CATEGORIES.get(outbound.data.get("kind"), "2")
        )
        header = self._header(fields, category, outbound.golden_id)
        address = {k: v or "" for k, v in (fields.get("Address") or {}).items()}
        tax_number = (fields.get("TaxNumber") or {}).get("BPTaxNumber")
        tax_type = self.settings.get("tax_type") or (f"{address['Country']}0" if address.get("Country") else None)
        if current is None:
            body = {
                **header,
                "BusinessPartnerCategory": category,
                "to_BusinessPartnerRole": {"results": [{"BusinessPartnerRole": r} for r in CUSTOMER_ROLES]},
            }
            if address:
                body["to_BusinessPartnerAddress"] = {"results": [address]}
            if tax_number and tax_type:
                body["to_BusinessPartnerTax"] = {"results": [{"BPTaxType": tax_type, "BPTaxNumber": tax_number}]}
            return str(self._write("POST", PARTNERS + "A_BusinessPartner", body).json()["d"]["BusinessPartner"])
        bp = str(current["BusinessPartner"])
        self._patch_changed(f"A_BusinessPartner({_quoted(bp)})", current, header)
        addresses = _results(current.get("to_BusinessPartnerAddress"))
        if addresses:
            key = f"BusinessPartner={_quoted(bp)},AddressID={_quoted(str(addresses[0]['AddressID']))}"
            self._patch_changed(f"A_BusinessPartnerAddress({key})", addresses[0], address)
        elif any(address.values()):
            self._write("POST", PARTNERS + "A_BusinessPartnerAddress", {"BusinessPartner": bp, **address})
        taxes = {t.get("BPTaxType"): t for t in _results(current.get("to_BusinessPartnerTax"))}
        if tax_number and tax_type in taxes:
            key = f"BusinessPartner={_quoted(bp)},BPTaxType={_quoted(tax_type)}"
            self._patch_changed(f"A_BusinessPartnerTaxNumber({key})", taxes[tax_type], {"BPTaxNumber": tax_number})
        elif tax_number and tax_type:
            body = {"BusinessPartner": bp, "BPTaxType": tax_type, "BPTaxNumber": tax_number}
            self._write("POST", PARTNERS + "A_BusinessPartnerTaxNumber", body)
        return bp

    def _patch_changed(self, path: str, current: dict, wanted: dict) -> None:
        """PATCH only the fields that differ: an unchanged partner is not stamped (nor announced) again. On 412
        (changed in SAP since ``current`` was read) read the entity again and write what still differs, once."""
        changed = _differing(current, wanted)
        if not changed:
            return
        try:
            self._write("PATCH", PARTNERS + path, changed, etag=_etag(current))
        except RemoteError as exc:
            if exc.status != 412:
                raise
            response = self.api.get(PARTNERS + path)
            fresh = response.json()["d"]
            changed = _differing(fresh, wanted)
            if changed:
                self._write("PATCH", PARTNERS + path, changed, etag=_etag(fresh) or response.headers.get("etag"))

    def _push_contact(self, outbound: Outbound) -> str:
        fields = self.remote_fields("contact", outbound.data)
        company = self._customer_partner(outbound)
        current = self._partner(outbound.remote_id, outbound.golden_id, "")
        header = self._header(fields, "1", outbound.golden_id)
        if current is None:
            body = {
                **header,
                "BusinessPartnerCategory": "1",
                "to_BusinessPartnerRole": {"results": [{"BusinessPartnerRole": CONTACT_ROLE}]},
            }
            person = str(self._write("POST", PARTNERS + "A_BusinessPartner", body).json()["d"]["BusinessPartner"])
        else:
            person = str(current["BusinessPartner"])
            self._patch_changed(f"A_BusinessPartner({_quoted(person)})", current, header)
        if company:
            func = {k: v or "" for k, v in (get_path(fields, "Relationship.to_ContactRelationship") or {}).items()}
            self._relate(company, person, func)
        return person

    def _customer_partner(self, outbound: Outbound) -> str | None:
        """The contact's organisation in SAP; waits (transient) while the hub is still delivering it."""

        def find(golden_id: str) -> str | None:
            found = self._partner(None, golden_id, "")
            return str(found["BusinessPartner"]) if found else None

        return self.ref_or_find(outbound, "customer", find)

    def _relate(self, company: str, person: str, func: dict) -> None:
        params = {
            "$filter": f"BusinessPartnerPerson eq {_quoted(person)} and BusinessPartnerCompany eq {_quoted(company)}",
            "$expand": "to_ContactRelationship",
        }
        found = self._list(PARTNERS + "A_BusinessPartnerContact", params)
        if not found:
            body = {
                "BusinessPartnerCompany": company,
                "BusinessPartnerPerson": person,
                "ValidityEndDate": VALID_UNTIL,
                "RelationshipCategory": CONTACT_CATEGORY,
                "to_ContactRelationship": func,
            }
            self._write("POST", PARTNERS + "A_BusinessPartnerContact", body)
            return
        current = found[0].get("to_ContactRelationship") or {}
        keys = ",".join(
            f"{k}={_quoted(str(found[0][k]))}"
            for k in ("RelationshipNumber", "BusinessPartnerCompany", "BusinessPartnerPerson")
        )
        self._patch_changed(
            f"A_BPContactToFuncAndDept({keys},ValidityEndDate=datetime'9999-12-31T00:00:00')", current, func
        )

    # --- webhooks --------------------------------------------------------------------------------------------------
    def verify_webhook(self, headers: dict[str, str], body: bytes) -> bool:
        creds = self.credentials
        if not creds.get("webhook_secret"):
            return False  # no scheme configured: nobody can post events for this system
        expected = basic_auth(creds.get("webhook_user", ""), creds["webhook_secret"])
        return hmac.compare_digest(headers.get("authorization", "").encode(), expected.encode())

    def webhook_key(self, headers: dict[str, str], body: bytes) -> str:
        event = _event(headers, body)
        if event.get("id"):
            return f"ce:{event.get('source', '')}:{event['id']}"
        return super().webhook_key(headers, body)

    def parse_webhook(self, headers: dict[str, str], body: bytes) -> list[InboundChange]:
        event = _event(headers, body)
        data = event.get("data") if isinstance(event.get("data"), dict) else {}
        bp = str(data.get("BusinessPartner", ""))
        if not str(event.get("type", "")).startswith(EVENT_PREFIX) or not PARTNER_ID.match(bp):
            return []
        try:
            record = self._get(f"{PARTNERS}A_BusinessPartner({_quoted(bp)})", {"$expand": CUSTOMER_EXPAND})
        except RemoteError as exc:
            if exc.status == 404:
                return []  # gone since (archived): nothing to read
            raise
        if record.get("to_Customer"):
            return [self.customer_change(record, self._credit_accounts([bp]).get(bp, []))]
        if str(record.get("BusinessPartnerCategory")) == "1":
            relationships = self._relationships([bp]).get(bp)
            return [self.contact_change(record, relationships)] if relationships else []
        return []

    # --- standing --------------------------------------------------------------------------------------------------
    def standing(self, local_id: str) -> Standing:
        if not PARTNER_ID.match(local_id or ""):
            raise RemoteError(None, f"{local_id!r} is not an SAP business partner number", permanent=True)
        deadline = time.monotonic() + float(self.settings.get("standing_timeout", 2))

        used: list[ApiClient] = []

        def api() -> ApiClient:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RemoteError(None, "SAP did not answer within the standing timeout")
            used.append(self.client(timeout=left))
            return used[-1]

        customer = self._get(f"{PARTNERS}A_Customer({_quoted(local_id)})", {"$expand": "to_CustomerCompany"}, api())
        accounts = self._list(CREDIT, {"$filter": f"BusinessPartner eq {_quoted(local_id)}"}, api())
        view = {
            "to_Customer": customer,
            "CustomerCompany": self._pick(_results(customer.get("to_CustomerCompany")), "CompanyCode", "company_code"),
            "CreditAccount": self._pick(accounts, "CreditSegment", "credit_segment"),
        }
        account = view["CreditAccount"] or {}
        blocks = tuple(name for name, path in BLOCKS.items() if _holds(view, (path,)))
        overdue = open_items = None
        if self.settings.get("open_items", True):
            params = {"$filter": f"Customer eq {_quoted(local_id)} and ClearingAccountingDocument eq ''"}
            overdue, open_items = _receivables(self._list(ITEMS, params, api()), datetime.now(UTC).date())
        return Standing(
            credit_status=self.credit_status(view),
            credit_limit=str(account["CreditLimitAmount"]) if account.get("CreditLimitAmount") is not None else None,
            currency=account.get("CreditSegmentCurrency") or None,
            blocks=blocks,
            overdue=overdue,
            open_items=open_items,
            as_of=_answered_at(used[-1].last_response),
        )


def _receivables(items: list[dict], today: date) -> tuple[dict, dict]:
    """(overdue, open) summaries of uncleared receivable items."""
    currencies = {i.get("CompanyCodeCurrency") for i in items}
    currency = currencies.pop() if len(currencies) == 1 else None
    due = []
    for item in items:
        match = DATE.fullmatch(str(item.get("NetDueDate") or ""))
        on = datetime.fromtimestamp(int(match.group(1)) / 1000, UTC).date() if match else None
        if on and on < today:
            due.append((on, item))
    total = sum((_decimal(i.get("AmountInCompanyCodeCurrency")) for i in items), Decimal(0))
    late = sum((_decimal(i.get("AmountInCompanyCodeCurrency")) for _, i in due), Decimal(0))
    overdue = {
        "count": len(due),
        "amount": f"{late:.2f}",
        "currency": currency,
        "oldest_due_on": min(on for on, _ in due).isoformat() if due else None,
    }
    return overdue, {"count": len(items), "amount": f"{total:.2f}", "currency": currency}


def _answered_at(response: httpx.Response | None) -> str | None:
    stamp = response.headers.get("date") if response is not None else None
    try:
        return parsedate_to_datetime(stamp).astimezone(UTC).isoformat() if stamp else None
    except (TypeError, ValueError):
        return None


def _utc(stamp: str | None) -> str | None:
    return f"{stamp}+00:00" if stamp else None


def _event(headers: dict[str, str], body: bytes) -> dict:
    """The CloudEvent, in structured mode (the JSON body) or binary mode (``ce-*`` headers, the body is the data)."""
    try:
        parsed = json.loads(body or b"null")
    except ValueError:
        parsed = None
    if headers.get("ce-id"):
        return {
            "id": headers["ce-id"],
            "type": headers.get("ce-type"),
            "source": headers.get("ce-source"),
            "data": parsed,
        }
    return parsed if isinstance(parsed, dict) else {}
