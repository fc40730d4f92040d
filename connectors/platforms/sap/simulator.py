"""An SAP S/4HANA Cloud stand-in: the OData V2 subset the connector uses, as SAP documents it, under the host root.

- ``/sap/opu/odata/sap/API_BUSINESS_PARTNER/``: ``A_BusinessPartner`` (list, by key, ``POST`` with deep insert of
  addresses, tax numbers and roles, ``PATCH``/``MERGE``), ``A_BusinessPartnerAddress`` and
  ``A_BusinessPartnerTaxNumber`` (``POST``, ``PATCH``), ``A_Customer`` (by key, with ``to_CustomerCompany``),
  ``A_BusinessPartnerContact`` (list, ``POST`` with ``to_ContactRelationship``) and ``A_BPContactToFuncAndDept``
  (``PATCH``). A business partner with a customer role (``FLCU00``/``FLCU01``) gets an ``A_Customer``.
- ``/sap/opu/odata/sap/API_CRDTMBUSINESSPARTNER/CreditManagementAccount`` and
  ``/sap/opu/odata/sap/API_OPLACCTGDOCITEMCUBE_SRV/A_OperationalAcctgDocItemCube`` (read).
- Query options ``$filter`` (``eq ne gt ge lt le``, ``and``, ``or``, parentheses; literals ``'text'``,
  ``datetime'…'``, ``time'PT…'``, ``true``/``false``, numbers), ``$orderby``, ``$top``, ``$skip``, ``$skiptoken``,
  ``$inlinecount=allpages`` (``d.__count``), ``$expand`` (nested with ``/``). An answer longer than ``max_page``
  rows is cut and carries ``d.__next``. JSON as ``{"d": {"results": [...]}}`` and ``{"d": {...}}``; dates
  ``/Date(ms)/``, times ``PT12H30M05S``; ``LastChangeDate``/``LastChangeTime`` from the simulator's clock (UTC).
- Basic auth (the communication user) or an OAuth ``Bearer`` token. Writes need the CSRF token of a session: a GET
  with ``X-CSRF-Token: Fetch`` answers the token and a session cookie; a write without both gets 403 with
  ``X-CSRF-Token: Required``. Errors ``{"error": {"code", "message": {"lang", "value"}, "innererror"}}``; 429 and
  503 from the gateway carry ``Retry-After``.
- Event Mesh: every change to a business partner (its addresses, tax numbers, customer, credit account, or a contact
  relationship of a person) emits a CloudEvent ``sap.s4.beh.businesspartner.v1.BusinessPartner.Changed.v1`` (or
  ``Created``) with ``data {"BusinessPartner"}``, posted to subscribed webhooks with Basic auth (``webhook_user``
  and the subscription's secret), as an Event Mesh webhook subscription with Basic authentication does.
- Optimistic concurrency (``etags``, off by default): a versioned entity carries ``__metadata.etag``
  (``W/"datetimeoffset'…'"``, the time of its last change with its change counter as the fraction, so two changes
  within one tick still differ), and its single-entity GET answers an ``ETag`` header. A ``PATCH``/``MERGE``/``PUT``/
  ``DELETE`` of it needs ``If-Match``: none is 428, another ETag 412 (OData error bodies), ``*`` matches any.
  ``etags=True`` versions the address, tax number and contact-function entities; the published Business Partner
  EDMX declares no ``ConcurrencyMode`` on ``A_BusinessPartner``, so it is versioned only when named in a set.
  ``interleave`` runs an ERP user's edit just before the next write: the edit lands between a client's read and
  its write.
"""

import base64
import hmac
import itertools
import re
import secrets
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote, unquote, urlencode

from ...simulator import Knobs, Reply, Request, Simulator

ROOT = "/sap/opu/odata/sap/"
BP_SERVICE, CREDIT_SERVICE, ITEMS_SERVICE = (
    "API_BUSINESS_PARTNER",
    "API_CRDTMBUSINESSPARTNER",
    "API_OPLACCTGDOCITEMCUBE_SRV",
)
EVENT_TYPE = "sap.s4.beh.businesspartner.v1.BusinessPartner.{}.v1"
CURRENCIES = {"DE": "EUR", "NL": "EUR", "GB": "GBP", "US": "USD", "CH": "CHF"}
PAYMENT_TERMS = ("NT30", "NT45", "NT14", "0001")
BP_FIELDS = {
    "BusinessPartner", "BusinessPartnerCategory", "BusinessPartnerFullName", "BusinessPartnerGrouping",
    "OrganizationBPName1", "OrganizationBPName2", "FirstName", "LastName", "BusinessPartnerIDByExtSystem",
    "BusinessPartnerIsBlocked", "IsMarkedForArchiving", "Language", "SearchTerm1", "CreatedByUser", "CreationDate",
    "LastChangedByUser", "LastChangeDate", "LastChangeTime",
}  # fmt: skip
# fmt: off
PARTNER_DEFAULTS = {
    "BusinessPartnerGrouping": "BP02", "OrganizationBPName1": "", "OrganizationBPName2": "", "FirstName": "",
    "LastName": "", "BusinessPartnerIDByExtSystem": "", "BusinessPartnerIsBlocked": False,
    "IsMarkedForArchiving": False, "Language": "EN", "SearchTerm1": "", "CreatedByUser": "CB9980000011",
    "LastChangedByUser": "CB9980000011",
}
CUSTOMER_DEFAULTS = {
    "CustomerAccountGroup": "CUST", "OrderIsBlockedForCustomer": "", "DeliveryIsBlocked": "",
    "BillingIsBlockedForCustomer": "", "PostingIsBlocked": False, "DeletionIndicator": False,
}
COMPANY_DEFAULTS = {"CompanyCode": "1010", "ReconciliationAccount": "12100000", "PaymentBlockingReason": ""}
CREDIT_DEFAULTS = {
    "CreditSegment": "1000", "CreditAccountIsBlocked": False, "CreditAccountBlockReason": "",
    "BusinessPartnerIsCritical": False,
}
RELATIONSHIP_DEFAULTS = {
    "ValidityEndDate": "/Date(253402214400000)/", "IsStandardRelationship": False, "RelationshipCategory": "BUR001",
}
FUNC_DEFAULTS = {"ContactPersonFunction": "", "ContactPersonDepartment": "", "EmailAddress": "", "PhoneNumber": ""}
ITEM_DEFAULTS = {
    "CompanyCode": "1010", "AccountingDocumentItem": "1", "FinancialAccountType": "D", "AccountingDocumentType": "DR",
}
# fmt: on
ERROR_CODES = {
    401: "/IWFND/CM_CONSUMER/401",
    404: "/IWBEP/CM_MGW_RT/020",
    429: "/IWFND/CM_BEC/429",
    503: "/IWFND/CM_BEC/503",
}
ENTITY_SETS = ["A_BusinessPartner", "A_BusinessPartnerAddress", "A_BusinessPartnerContact",
               "A_BusinessPartnerTaxNumber", "A_BPContactToFuncAndDept", "A_Customer", "A_CustomerCompany"]  # fmt: skip
VERSIONABLE = {
    "A_BusinessPartner",
    "A_BusinessPartnerAddress",
    "A_BusinessPartnerTaxNumber",
    "A_BPContactToFuncAndDept",
}
VERSIONED = VERSIONABLE - {"A_BusinessPartner"}  # what ``etags=True`` versions (see the module docstring)
PRECONDITION = "/IWBEP/CM_MGW_RT/022"
RELATIONSHIP_KEYS = ("RelationshipNumber", "BusinessPartnerCompany", "BusinessPartnerPerson", "ValidityEndDate")
ADDRESS_FIELDS = {"StreetName", "HouseNumber", "CityName", "PostalCode", "Region", "Country", "Language"}
FUNC_FIELDS = {"EmailAddress", "PhoneNumber", "ContactPersonFunction", "ContactPersonDepartment"}
TOKEN = re.compile(r"\s*(\(|\)|datetime'[^']*'|time'[^']*'|'(?:[^']|'')*'|-?\d+(?:\.\d+)?|[A-Za-z_][\w/]*)")
KEY = re.compile(r"(\w+)=(datetime'[^']*'|'(?:[^']|'')*')")


def odata_date(day: date) -> str:
    return f"/Date({int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()) * 1000})/"


def odata_time(moment: datetime) -> str:
    return f"PT{moment.hour:02d}H{moment.minute:02d}M{moment.second:02d}S"


class ODataError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


class PlatformSimulator(Simulator):
    name = "sap"
    api_prefix = ""

    def __init__(
        self,
        port: int = 0,
        knobs: Knobs | None = None,
        host: str = "127.0.0.1",
        *,
        username: str = "MDMHUB_COMM_USER",
        password: str = "Welcome-to-S4-2026",
        token: str = "sap-oauth-token",
        webhook_user: str = "event-mesh",
        webhook_secret: str = "event-mesh-secret",
        max_page: int = 1000,
        custom_fields: tuple[str, ...] = (),
        etags: bool | Iterable[str] = False,
    ) -> None:
        self.etags = set(VERSIONED if etags is True else etags or ())
        if self.etags - VERSIONABLE:
            raise ValueError(f"no ETag is modelled for {sorted(self.etags - VERSIONABLE)}")
        self.versions = itertools.count(1)
        self.preconditions: list[dict] = []  # {"method", "path", "if_match", "etag"} of each versioned write
        self.interleaved: list[Callable[[], object]] = []
        self.custom_fields = custom_fields  # extension fields (``YY1_…``) added to the business partner
        self.username, self.password, self.token = username, password, token
        self.webhook_user, self.webhook_secret, self.max_page = webhook_user, webhook_secret, max_page
        self.partners: dict[str, dict] = {}
        self.addresses: dict[str, list[dict]] = {}
        self.taxes: dict[str, list[dict]] = {}
        self.customers: dict[str, dict] = {}
        self.credit: dict[str, list[dict]] = {}
        self.relationships: dict[str, dict] = {}
        self.items: list[dict] = []
        self.sessions: dict[str, str] = {}  # session cookie -> CSRF token
        self.numbers = itertools.count(10100001)
        self.relationship_numbers = itertools.count(1)
        self.documents = itertools.count(1800000001)
        super().__init__(port, knobs, host)

    def credentials(self) -> dict:
        return {
            "username": self.username,
            "password": self.password,
            "webhook_user": self.webhook_user,
            "webhook_secret": self.webhook_secret,
        }

    def subscribe(self, url: str, secret: str = "", **extra: object) -> None:
        """An Event Mesh webhook subscription with Basic auth: ``webhook_user`` and ``secret`` (which
        ``credentials()`` then reports, so a standalone run prints what the hub must be given)."""
        with self.lock:
            self.webhook_secret = secret or self.webhook_secret
        super().subscribe(url, self.webhook_secret, **extra)

    def expire_sessions(self) -> None:
        """The gateway forgets every session (a restart, a timeout): CSRF tokens issued so far are refused."""
        with self.lock:
            self.sessions.clear()

    # --- what tests and the benchmark do as finance users ----------------------------------------------------------
    def set_credit_hold(self, local_id: str, held: bool) -> dict:
        """Block or release the business partner's credit account(s), as a credit analyst does in the ERP."""
        with self.lock:
            for account in self.credit[local_id]:
                account.update(CreditAccountIsBlocked=held, CreditAccountBlockReason="01" if held else "")
            self.touch(local_id)
            return self.get_customer(local_id)

    def set_blocks(self, local_id: str, **blocks: object) -> None:
        """Set ``A_Customer`` block fields (``OrderIsBlockedForCustomer="01"``, ``PostingIsBlocked=True``, ...)."""
        with self.lock:
            self.customers[local_id].update(blocks)
            self.touch(local_id)

    def update_partner(self, local_id: str, fields: dict, address: dict | None = None) -> None:
        with self.lock:
            if fields:
                self._stamped(self.partners[local_id]).update(fields)
            if address:
                self._stamped(self.addresses[local_id][0]).update(address)
            self.touch(local_id)

    def interleave(self, edit: Callable[[], object]) -> None:
        """Run ``edit`` (a user's change in the ERP) just before the next write is served, after its CSRF check:
        the change lands between the client's read and its write, as a concurrent edit does."""
        with self.lock:
            self.interleaved.append(edit)

    def get_customer(self, local_id: str) -> dict:
        """The business partner as the API reads it expanded, with its credit accounts under ``CreditAccounts``."""
        with self.lock:
            row = self._expand_bp(
                self._bp_row(self.partners[local_id]),
                _tree("to_BusinessPartnerAddress,to_BusinessPartnerTax,to_Customer/to_CustomerCompany"),
            )
            return {**row, "CreditAccounts": [dict(a) for a in self.credit.get(local_id, [])]}

    def add_partner(self, fields: dict, category: str = "2") -> str:
        """Create a business partner as a user of the ERP would (no customer role, no event)."""
        with self.lock:
            return self._new_partner(category, fields)

    def find_partner(self, external_id: str) -> dict | None:
        with self.lock:
            return next((p for p in self.partners.values() if p["BusinessPartnerIDByExtSystem"] == external_id), None)

    def touch(self, local_id: str, event: str = "Changed") -> None:
        partner = self.partners[local_id]
        partner["_changed"] = self.now()
        self.emit(
            {
                "specversion": "1.0",
                "type": EVENT_TYPE.format(event),
                "source": "/default/sap.s4.beh/0LOCALSIM",
                "id": str(uuid.uuid4()),
                "time": self.now_dt().strftime("%Y-%m-%dT%H:%M:%SZ"),
                "datacontenttype": "application/json",
                "data": {"BusinessPartner": local_id},
            }
        )

    # --- data ------------------------------------------------------------------------------------------------------
    def seed(self, companies: list[dict]) -> None:
        with self.lock:
            start = self.now() - 3600
            for index, company in enumerate(companies):
                self._seed_company(index, company, start + index)

    def _seed_company(self, index: int, company: dict, at: float) -> None:
        address, country = company["address"], company["address"]["country"]
        bp = self._new_partner("2", {"OrganizationBPName1": company["name"]}, at)
        parts = {"StreetName": address["line1"], "CityName": address["city"], "PostalCode": address["postal_code"]}
        address = {**dict.fromkeys(ADDRESS_FIELDS, ""), "AddressID": "1", **parts, "Country": country}
        self.addresses[bp] = [self._stamped(address)]
        self.taxes[bp] = [self._stamped({"BPTaxType": f"{country}0", "BPTaxNumber": company["tax_id"]})]
        self._new_customer(bp, PAYMENT_TERMS[index % len(PAYMENT_TERMS)])
        if index % 20 == 7:
            self.customers[bp]["DeliveryIsBlocked"] = "01"
        self.credit[bp] = [self._credit_account(bp, f"{(index % 5 + 1) * 25000}.00", CURRENCIES.get(country, "EUR"))]
        if index % 10 == 3:
            self.credit[bp][0].update(CreditAccountIsBlocked=True, CreditAccountBlockReason="01")
        for contact in company["contacts"]:
            person = self._new_partner("1", {"FirstName": contact["first_name"], "LastName": contact["last_name"]}, at)
            self._relate(bp, person, {"EmailAddress": contact["email"], "PhoneNumber": contact["phone"]})
        today = datetime.fromtimestamp(at, UTC).date()
        offsets = (-45, -12, 20) if index % 3 == 0 else (10, 25)
        for n, offset in enumerate(offsets):
            self._invoice(bp, today + timedelta(days=offset), f"{1000 + 250 * (index % 4) + 75 * n}.50", "")
        self._invoice(bp, today - timedelta(days=60), "999.00", "1400000001")  # paid long ago

    def _new_partner(self, category: str, fields: dict, at: float | None = None) -> str:
        bp = str(next(self.numbers))
        stamp = self.now() if at is None else at
        self.partners[bp] = self._stamped({
            **PARTNER_DEFAULTS, **dict.fromkeys(self.custom_fields, ""), "BusinessPartner": bp,
            "BusinessPartnerCategory": category, "_created": stamp, "_changed": stamp, **fields,
        })  # fmt: skip
        self.addresses.setdefault(bp, [])
        self.taxes.setdefault(bp, [])
        return bp

    def _new_customer(self, bp: str, payment_terms: str = "NT30") -> None:
        company = {**COMPANY_DEFAULTS, "Customer": bp, "PaymentTerms": payment_terms}
        self.customers[bp] = {**CUSTOMER_DEFAULTS, "Customer": bp, "_companies": [company]}

    def _credit_account(self, bp: str, limit: str, currency: str) -> dict:
        changed = odata_date(self.now_dt().date())
        return {**CREDIT_DEFAULTS, "BusinessPartner": bp, "CreditLimitAmount": limit, "CreditSegmentCurrency": currency,
                "CreditLimitLastChangeDate": changed}  # fmt: skip

    def _relate(self, company: str, person: str, func: dict) -> dict:
        number = f"{next(self.relationship_numbers):012d}"
        relationship = {
            **RELATIONSHIP_DEFAULTS, "RelationshipNumber": number, "BusinessPartnerCompany": company,
            "BusinessPartnerPerson": person, "ValidityStartDate": odata_date(self.now_dt().date()),
            "_func": self._stamped({**FUNC_DEFAULTS, **func}),
        }  # fmt: skip
        self.relationships[number] = relationship
        return relationship

    def _invoice(self, bp: str, due: date, amount: str, clearing: str) -> None:
        currency = next((a["CreditSegmentCurrency"] for a in self.credit.get(bp, [])), "EUR")
        self.items.append({
            **ITEM_DEFAULTS, "AccountingDocument": str(next(self.documents)), "FiscalYear": str(due.year),
            "Customer": bp, "NetDueDate": odata_date(due), "AmountInCompanyCodeCurrency": amount,
            "CompanyCodeCurrency": currency, "ClearingAccountingDocument": clearing,
        })  # fmt: skip

    # --- protocol --------------------------------------------------------------------------------------------------
    def setup_routes(self) -> None:
        bp, key = ROOT + BP_SERVICE + "/", r"\((?P<key>[^)]*)\)"
        self.route("GET", bp + r"?", self._service_document)
        self.route("GET", bp + r"(?P<set>A_BusinessPartner|A_BusinessPartnerContact)", self._list)
        single = "|".join(sorted(VERSIONABLE | {"A_Customer"}))
        self.route("GET", bp + rf"(?P<set>{single})" + key, self._read)
        self.route("POST", bp + r"A_BusinessPartner", self._write(self._create_partner))
        for method in ("PATCH", "MERGE", "PUT"):
            self.route(method, bp + r"(?P<set>\w+)" + key, self._write(self._update))
        self.route("DELETE", bp + r"(?P<set>\w+)" + key, self._write(self._delete))
        self.route("POST", bp + r"(?P<set>A_BusinessPartnerAddress|A_BusinessPartnerTaxNumber)", self._write(self._add))
        self.route("POST", bp + r"A_BusinessPartnerContact", self._write(self._create_contact))
        self.route("GET", ROOT + CREDIT_SERVICE + r"/(?P<set>CreditManagementAccount)", self._list)
        self.route("GET", ROOT + ITEMS_SERVICE + r"/(?P<set>A_OperationalAcctgDocItemCube)", self._list)

    def dispatch(self, request: Request) -> Reply:
        if request.method == "POST" and request.headers.get("x-http-method") == "MERGE":
            request.method = "MERGE"
        return super().dispatch(request)

    def _handler(self):
        handler = super()._handler()
        handler.do_MERGE = handler.do_PATCH  # OData V2 clients may send MERGE
        return handler

    def authorized(self, request: Request) -> bool:
        given = request.headers.get("authorization", "").encode()
        basic = "Basic " + base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return hmac.compare_digest(given, basic.encode()) or hmac.compare_digest(given, f"Bearer {self.token}".encode())

    def error(self, status: int, message: str, **extra: object) -> Reply:
        code = str(extra.get("code") or ERROR_CODES.get(status, "SY/530"))
        body = {
            "code": code,
            "message": {"lang": "en", "value": message},
            "innererror": {"transactionid": uuid.uuid4().hex.upper(), "errordetails": []},
        }
        headers = {"Retry-After": "1"} if status == 503 else {}
        return Reply(status, {"error": body}, headers)

    def rate_limited(self, retry_after: int) -> Reply:
        reply = self.error(429, "Too many requests: the API rate limit is exceeded")
        reply.headers["Retry-After"] = str(retry_after)
        return reply

    def sign(self, body: bytes, target: dict) -> dict[str, str]:
        login = f"{self.webhook_user}:{target['secret']}".encode()
        return {
            "Content-Type": "application/cloudevents+json",
            "Authorization": "Basic " + base64.b64encode(login).decode(),
        }

    def _session(self, request: Request) -> str | None:
        for part in request.headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name.startswith("SAP_SESSIONID_") and value in self.sessions:
                return value
        return None

    def _with_csrf(self, request: Request, reply: Reply) -> Reply:
        if request.headers.get("x-csrf-token", "").lower() != "fetch":
            return reply
        with self.lock:
            session = self._session(request)
            if session is None:
                session = secrets.token_hex(16)
                self.sessions[session] = base64.b64encode(secrets.token_bytes(18)).decode()
                reply.headers["Set-Cookie"] = f"SAP_SESSIONID_SIM_100={session}; path=/; HttpOnly"
            reply.headers["x-csrf-token"] = self.sessions[session]
        return reply

    def _write(self, handler):
        def checked(request: Request) -> Reply:
            with self.lock:
                session = self._session(request)
                if session is None or not hmac.compare_digest(
                    request.headers.get("x-csrf-token", ""), self.sessions[session]
                ):
                    reply = self.error(403, "CSRF token validation failed", code="/IWFND/CM_BEC/026")
                    reply.headers["x-csrf-token"] = "Required"
                    return reply
                if self.interleaved:
                    self.interleaved.pop(0)()
                try:
                    return handler(request)
                except ODataError as exc:
                    return self.error(exc.status, str(exc), code=exc.code)

        return checked

    # --- reading ---------------------------------------------------------------------------------------------------
    def _service_document(self, request: Request) -> Reply:
        return self._with_csrf(request, Reply(200, {"d": {"EntitySets": ENTITY_SETS}}))

    def _rows(self, entity_set: str, named: set[str] | None) -> list[dict]:
        """The entity set's rows; only those whose partner is in ``named`` when the filter can match no others
        (a look-up instead of rendering every row, which keeps the simulator fast under event bursts)."""
        if entity_set == "A_BusinessPartner":
            return [self._bp_row(p) for p in self.partners.values()]
        if entity_set == "A_BusinessPartnerContact":
            rows = [r for r in self.relationships.values() if named is None or r["BusinessPartnerPerson"] in named]
            return [self._public(r, entity_set, _rel_key(r)) for r in rows]
        if entity_set == "CreditManagementAccount":
            keys = ("BusinessPartner", "CreditSegment")
            partners = self.credit if named is None else {bp: self.credit.get(bp, []) for bp in named}
            return [self._public(a, entity_set, _key(a, keys), CREDIT_SERVICE) for v in partners.values() for a in v]
        keys = ("CompanyCode", "AccountingDocument", "FiscalYear", "AccountingDocumentItem")
        items = [i for i in self.items if named is None or i["Customer"] in named]
        return [self._public(i, entity_set, _key(i, keys), ITEMS_SERVICE) for i in items]

    def _list(self, request: Request) -> Reply:
        entity_set = request.params["set"]
        try:
            with self.lock:
                rows = self._rows(entity_set, _named(request.arg("$filter") or "", INDEXED.get(entity_set)))
                if request.arg("$filter"):
                    test = _parse_filter(request.arg("$filter"))
                    rows = [r for r in rows if test(r)]
                for term in reversed([t.strip() for t in (request.arg("$orderby") or "").split(",") if t.strip()]):
                    name, _, direction = term.partition(" ")
                    rows.sort(key=lambda r, n=name: _comparable(r.get(n)) or "", reverse=direction.strip() == "desc")
                skip = int(request.arg("$skiptoken") or request.arg("$skip") or 0)
                top = int(request.arg("$top")) if request.arg("$top") else None
                window = rows[skip:] if top is None else rows[skip : skip + top]
                cut = window[: self.max_page]
                page = [self._expand(entity_set, r, _tree(request.arg("$expand") or "")) for r in cut]
        except (ODataError, ValueError) as exc:
            status, code = (exc.status, exc.code) if isinstance(exc, ODataError) else (400, "/IWBEP/CM_MGW_RT/004")
            return self.error(status, str(exc), code=code)
        d: dict = {"results": page}
        if request.arg("$inlinecount") == "allpages":
            d["__count"] = str(len(rows))
        if len(cut) < len(window):
            query = {k: v[0] for k, v in request.query.items() if k not in ("$skiptoken", "$skip", "$top")}
            if top is not None:
                query["$top"] = str(top - len(cut))
            d["__next"] = f"{self.origin}{request.path}?{urlencode({**query, '$skiptoken': skip + len(cut)})}"
        return self._with_csrf(request, Reply(200, {"d": d}))

    def _read(self, request: Request) -> Reply:
        entity_set, keys = request.params["set"], _keys(request.params["key"])
        try:
            with self.lock:
                row = self._row(entity_set, keys)
                if row is None:
                    raise ODataError(404, ERROR_CODES[404], f"Resource not found for segment '{entity_set}'")
                row = self._expand(entity_set, row, _tree(request.arg("$expand") or ""))
        except ODataError as exc:
            return self._with_csrf(request, self.error(exc.status, str(exc), code=exc.code))
        etag = row["__metadata"].get("etag")
        return self._with_csrf(request, Reply(200, {"d": row}, {"ETag": etag} if etag else {}))

    def _row(self, entity_set: str, keys: dict[str, str]) -> dict | None:
        """One entity as read by its key, or None when there is none."""
        if entity_set == "A_Customer":
            bp = keys.get("Customer") or keys.get("", "")
            return self._customer_row(bp) if bp in self.customers else None
        target, bp, _ = self._locate(entity_set, keys)
        if target is None:
            return None
        if entity_set == "A_BusinessPartner":
            return self._bp_row(target)
        if entity_set == "A_BPContactToFuncAndDept":
            relationship = self.relationships[keys["RelationshipNumber"]]
            func = {**{k: relationship[k] for k in RELATIONSHIP_KEYS}, **target}
            return self._public(func, entity_set, _rel_key(relationship))
        record = {"BusinessPartner": bp, **target}
        names = ("BusinessPartner", "AddressID" if entity_set == "A_BusinessPartnerAddress" else "BPTaxType")
        return self._public(record, entity_set, _key(record, names))

    def _public(self, record: dict, entity_set: str, key: str, service: str = BP_SERVICE) -> dict:
        uri = f"{self.origin}{ROOT}{service}/{entity_set}({key})"
        row = {"__metadata": {"id": uri, "uri": uri, "type": f"{service}.{entity_set}Type"}}
        if entity_set in self.etags and "_version" in record:
            row["__metadata"]["etag"] = _etag(record)
        row.update((k, v) for k, v in record.items() if not k.startswith("_"))
        return row

    def _stamped(self, record: dict) -> dict:
        """``record``, marked as changed now: its next ETag differs from every earlier one."""
        record.update(_version=next(self.versions), _version_at=self.now())
        return record

    def _bp_row(self, partner: dict) -> dict:
        changed = datetime.fromtimestamp(partner["_changed"], UTC)
        created = datetime.fromtimestamp(partner["_created"], UTC)
        names = (partner["OrganizationBPName1"], partner["OrganizationBPName2"])
        if partner["BusinessPartnerCategory"] == "1":
            names = (partner["FirstName"], partner["LastName"])
        row = self._public(partner, "A_BusinessPartner", f"'{partner['BusinessPartner']}'")
        row.update(
            BusinessPartnerFullName=" ".join(n for n in names if n),
            CreationDate=odata_date(created.date()),
            LastChangeDate=odata_date(changed.date()),
            LastChangeTime=odata_time(changed),
        )
        return row

    def _customer_row(self, bp: str) -> dict:
        return self._public(self.customers[bp], "A_Customer", f"'{bp}'")

    def _expand(self, entity_set: str, row: dict, tree: dict) -> dict:
        if entity_set == "A_BusinessPartner":
            return self._expand_bp(row, tree)
        if entity_set == "A_Customer":
            return self._expand_customer(row, tree)
        if entity_set == "A_BusinessPartnerContact" and "to_ContactRelationship" in tree:
            relationship = self.relationships[row["RelationshipNumber"]]
            func = {**{k: relationship[k] for k in RELATIONSHIP_KEYS}, **relationship["_func"]}
            row["to_ContactRelationship"] = self._public(func, "A_BPContactToFuncAndDept", _rel_key(relationship))
        for name in tree:
            if name not in row:
                raise ODataError(400, "/IWBEP/CM_MGW_RT/021", f"Property '{name}' not found for {entity_set}")
        return row

    def _expand_bp(self, row: dict, tree: dict) -> dict:
        bp = row["BusinessPartner"]
        for navigation, entity_set, key, entries in (
            ("to_BusinessPartnerAddress", "A_BusinessPartnerAddress", "AddressID", self.addresses[bp]),
            ("to_BusinessPartnerTax", "A_BusinessPartnerTaxNumber", "BPTaxType", self.taxes[bp]),
        ):
            if navigation in tree:
                entries = [{"BusinessPartner": bp, **e} for e in entries]
                keys = ("BusinessPartner", key)
                row[navigation] = {"results": [self._public(e, entity_set, _key(e, keys)) for e in entries]}
        if "to_Customer" in tree:
            customer = self._customer_row(bp) if bp in self.customers else None
            row["to_Customer"] = customer and self._expand_customer(customer, tree["to_Customer"])
        if "to_BusinessPartnerContact" in tree:
            rows = [r for r in self.relationships.values() if r["BusinessPartnerCompany"] == bp]
            entity_set, nested = "A_BusinessPartnerContact", tree["to_BusinessPartnerContact"]
            rows = [self._expand(entity_set, self._public(r, entity_set, _rel_key(r)), nested) for r in rows]
            row["to_BusinessPartnerContact"] = {"results": rows}
        return self._expand("", row, {k: v for k, v in tree.items() if k not in row})

    def _expand_customer(self, row: dict, tree: dict) -> dict:
        if "to_CustomerCompany" in tree:
            companies = self.customers[row["Customer"]]["_companies"]
            keys = ("Customer", "CompanyCode")
            row["to_CustomerCompany"] = {
                "results": [self._public(c, "A_CustomerCompany", _key(c, keys)) for c in companies]
            }
        return row

    # --- writing ---------------------------------------------------------------------------------------------------
    def _body(self, request: Request) -> dict:
        body = request.json()
        if not isinstance(body, dict):
            raise ODataError(400, "/IWBEP/CM_MGW_RT/005", "Malformed request body: a JSON object is expected")
        return body

    @property
    def writable(self) -> set[str]:
        return (BP_FIELDS | set(self.custom_fields)) - READ_ONLY

    def _create_partner(self, request: Request) -> Reply:
        body = self._body(request)
        fields = _only(body, self.writable, "A_BusinessPartner", nested=_DEEP)
        category = fields.get("BusinessPartnerCategory")
        if category not in ("1", "2"):
            raise ODataError(400, "R11/401", "Enter a valid business partner category (1 person, 2 organization)")
        if category == "2" and not fields.get("OrganizationBPName1"):
            raise ODataError(400, "R11/402", "Enter a name for the organization (OrganizationBPName1)")
        if category == "1" and not fields.get("LastName"):
            raise ODataError(400, "R11/403", "Enter a last name for the person (LastName)")
        bp = self._new_partner(category, fields)
        for address in _results(body.get("to_BusinessPartnerAddress")):
            self.addresses[bp].append(
                self._stamped(
                    {
                        **dict.fromkeys(ADDRESS_FIELDS, ""),
                        "AddressID": str(len(self.addresses[bp]) + 1),
                        **_only(address, ADDRESS_FIELDS, "A_BusinessPartnerAddress"),
                    }
                )
            )
        for tax in _results(body.get("to_BusinessPartnerTax")):
            self.taxes[bp].append(self._stamped(_only(tax, {"BPTaxType", "BPTaxNumber"}, "A_BusinessPartnerTaxNumber")))
        roles = {r.get("BusinessPartnerRole") for r in _results(body.get("to_BusinessPartnerRole"))}
        if roles & {"FLCU00", "FLCU01"}:
            self._new_customer(bp)
            country = next((a["Country"] for a in self.addresses[bp]), "")
            self.credit[bp] = [self._credit_account(bp, "0.00", CURRENCIES.get(country, "EUR"))]
        self.touch(bp, "Created")
        row = self._expand_bp(self._bp_row(self.partners[bp]), _tree("to_BusinessPartnerAddress,to_BusinessPartnerTax"))
        return Reply(201, {"d": row}, {"Location": row["__metadata"]["uri"]})

    def _locate(self, entity_set: str, keys: dict[str, str]) -> tuple[dict | None, str, set[str]]:
        """The stored record a key names (None when there is none), its business partner, and what a write may set."""
        bp = keys.get("BusinessPartner", "")
        if entity_set == "A_BusinessPartner":
            bp = bp or keys.get("Customer") or keys.get("", "")
            return self.partners.get(bp), bp, self.writable - {"BusinessPartnerCategory"}
        if entity_set == "A_BusinessPartnerAddress":
            found = (a for a in self.addresses.get(bp, []) if a["AddressID"] == keys.get("AddressID"))
            return next(found, None), bp, ADDRESS_FIELDS
        if entity_set == "A_BusinessPartnerTaxNumber":
            found = (t for t in self.taxes.get(bp, []) if t["BPTaxType"] == keys.get("BPTaxType"))
            return next(found, None), bp, {"BPTaxNumber"}
        if entity_set == "A_BPContactToFuncAndDept":
            relationship = self.relationships.get(keys.get("RelationshipNumber", ""))
            bp = relationship["BusinessPartnerPerson"] if relationship else ""
            return relationship and relationship["_func"], bp, FUNC_FIELDS
        raise ODataError(405, "/IWBEP/CM_MGW_RT/051", f"Method not allowed for entity set {entity_set}")

    def _existing(self, request: Request) -> tuple[str, dict, str, set[str]]:
        """The entity a write by key names, once its ``If-Match`` holds: (entity set, record, partner, writable)."""
        entity_set, keys = request.params["set"], _keys(request.params["key"])
        target, bp, allowed = self._locate(entity_set, keys)
        if target is None:
            raise ODataError(404, ERROR_CODES[404], f"Resource not found for segment '{entity_set}'")
        if entity_set in self.etags:
            given, current = request.headers.get("if-match"), _etag(target)
            self.preconditions.append({"method": request.method, "path": request.path, "if_match": given,
                                       "etag": current})  # fmt: skip
            if given is None:
                raise ODataError(428, PRECONDITION, f"Precondition required: send If-Match with the {entity_set} ETag")
            if given.strip() != "*" and current not in (t.strip() for t in given.split(",")):
                raise ODataError(412, PRECONDITION, f"Precondition failed: {entity_set} was changed since it was read")
        return entity_set, target, bp, allowed

    def _update(self, request: Request) -> Reply:
        entity_set, target, bp, allowed = self._existing(request)
        body, keys = self._body(request), _keys(request.params["key"])
        fields = _only({k: v for k, v in body.items() if k not in keys}, allowed, entity_set)
        self._stamped(target).update(fields)
        self.touch(bp)
        return Reply(204)

    def _delete(self, request: Request) -> Reply:
        entity_set, target, bp, _ = self._existing(request)
        if entity_set not in ("A_BusinessPartnerAddress", "A_BusinessPartnerTaxNumber"):
            raise ODataError(405, "/IWBEP/CM_MGW_RT/051", f"Method not allowed for entity set {entity_set}")
        entries = self.addresses[bp] if entity_set == "A_BusinessPartnerAddress" else self.taxes[bp]
        entries[:] = [e for e in entries if e is not target]
        self.touch(bp)
        return Reply(204)

    def _add(self, request: Request) -> Reply:
        entity_set, body = request.params["set"], self._body(request)
        bp = str(body.get("BusinessPartner", ""))
        if bp not in self.partners:
            raise ODataError(400, "R11/124", f"Business partner {bp} does not exist")
        if entity_set == "A_BusinessPartnerAddress":
            fields = _only({k: v for k, v in body.items() if k != "BusinessPartner"}, ADDRESS_FIELDS, entity_set)
            record = {**dict.fromkeys(ADDRESS_FIELDS, ""), "AddressID": str(len(self.addresses[bp]) + 1), **fields}
            self.addresses[bp].append(self._stamped(record))
        else:
            record = _only(
                {k: v for k, v in body.items() if k != "BusinessPartner"}, {"BPTaxType", "BPTaxNumber"}, entity_set
            )
            if any(t["BPTaxType"] == record.get("BPTaxType") for t in self.taxes[bp]):
                raise ODataError(400, "R11/657", f"Tax number category {record.get('BPTaxType')} already exists")
            self.taxes[bp].append(self._stamped(record))
        self.touch(bp)
        return Reply(201, {"d": self._public({"BusinessPartner": bp, **record}, entity_set, "")})

    def _create_contact(self, request: Request) -> Reply:
        body = self._body(request)
        company, person = str(body.get("BusinessPartnerCompany", "")), str(body.get("BusinessPartnerPerson", ""))
        if company not in self.partners or self.partners.get(person, {}).get("BusinessPartnerCategory") != "1":
            raise ODataError(400, "R11/124", "Business partner company or person does not exist")
        if any(
            r["BusinessPartnerCompany"] == company and r["BusinessPartnerPerson"] == person
            for r in self.relationships.values()
        ):
            raise ODataError(400, "R11/610", f"Relationship between {company} and {person} already exists")
        func = _only(
            body.get("to_ContactRelationship") or {},
            FUNC_FIELDS | {"RelationshipNumber", "BusinessPartnerCompany", "BusinessPartnerPerson", "ValidityEndDate"},
            "A_BPContactToFuncAndDept",
        )
        relationship = self._relate(company, person, {k: v for k, v in func.items() if k in FUNC_FIELDS})
        self.touch(person)
        row = self._expand(
            "A_BusinessPartnerContact",
            self._public(relationship, "A_BusinessPartnerContact", _rel_key(relationship)),
            {"to_ContactRelationship": {}},
        )
        return Reply(201, {"d": row})


READ_ONLY = {"BusinessPartner", "BusinessPartnerFullName", "LastChangeDate", "LastChangeTime", "CreationDate"}
LENGTHS = {"BusinessPartnerIDByExtSystem": 20, "OrganizationBPName1": 40, "FirstName": 40, "LastName": 40}
_DEEP = {"to_BusinessPartnerAddress", "to_BusinessPartnerTax", "to_BusinessPartnerRole"}


def _only(body: dict, allowed: set[str], entity_set: str, nested: set[str] = frozenset()) -> dict:
    """The writable properties of ``body``; SAP refuses a request naming a property the entity does not have."""
    fields = {}
    for name, value in body.items():
        if name in nested or name == "__metadata":
            continue
        if name not in allowed:
            raise ODataError(400, "/IWBEP/CM_MGW_RT/022", f"Property '{name}' is invalid for {entity_set}")
        if isinstance(value, str) and len(value) > LENGTHS.get(name, 241):
            raise ODataError(400, "/IWBEP/CM_MGW_RT/023", f"Value of '{name}' is longer than {LENGTHS.get(name, 241)}")
        fields[name] = value
    return fields


def _etag(record: dict) -> str:
    """A weak ETag as SAP Gateway derives it from a change timestamp (here the change counter is the fraction)."""
    moment = datetime.fromtimestamp(record["_version_at"], UTC)
    stamp = f"{moment:%Y-%m-%dT%H:%M:%S}.{record['_version'] % 10**7:07d}Z"
    return f"W/\"datetimeoffset'{quote(stamp, safe='')}'\""


def _results(value: object) -> list[dict]:
    if isinstance(value, dict):
        value = value.get("results", [])
    return [v for v in value or [] if isinstance(v, dict)]


def _key(record: dict, names: tuple[str, ...]) -> str:
    return ",".join(f"{k}='{record[k]}'" for k in names)


def _rel_key(r: dict) -> str:
    return _key(r, RELATIONSHIP_KEYS[:3]) + ",ValidityEndDate=datetime'9999-12-31T00:00:00'"


def _keys(text: str) -> dict[str, str]:
    text = unquote(text)
    if text.startswith("'"):
        return {"": text.strip("'")}
    return {name: value.split("'")[1] for name, value in KEY.findall(text)}


def _tree(expand: str) -> dict:
    tree: dict = {}
    for path in filter(None, (p.strip() for p in expand.split(","))):
        node = tree
        for part in path.split("/"):
            node = node.setdefault(part, {})
    return tree


# --- $filter ---------------------------------------------------------------------------------------------------------
def _comparable(value: object) -> object:
    """Values as they order: ``/Date(ms)/`` as milliseconds, ``PT..H..M..S`` as seconds, the rest as they are."""
    if isinstance(value, str):
        if match := re.fullmatch(r"/Date\((-?\d+)\)/", value):
            return int(match.group(1))
        if match := re.fullmatch(r"PT(\d+)H(\d+)M(\d+)S", value):
            hours, minutes, seconds = map(int, match.groups())
            return hours * 3600 + minutes * 60 + seconds
    return value


def _literal(token: str) -> object:
    if token.startswith("datetime'"):
        moment = datetime.fromisoformat(token[9:-1]).replace(tzinfo=UTC)
        return int(moment.timestamp() * 1000)
    if token.startswith("time'"):
        return _comparable(token[5:-1])
    if token.startswith("'"):
        return token[1:-1].replace("''", "'")
    if token in ("true", "false"):
        return token == "true"
    if token == "null":
        return None
    try:
        return float(token) if "." in token else int(token)
    except ValueError:
        raise ODataError(400, "/IWBEP/CM_MGW_RT/004", f"Invalid literal {token} in $filter") from None


_OPERATORS = {
    "eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "gt": lambda a, b: a is not None and a > b,
    "ge": lambda a, b: a is not None and a >= b, "lt": lambda a, b: a is not None and a < b,
    "le": lambda a, b: a is not None and a <= b,
}  # fmt: skip


INDEXED = {
    "A_BusinessPartnerContact": "BusinessPartnerPerson",
    "CreditManagementAccount": "BusinessPartner",
    "A_OperationalAcctgDocItemCube": "Customer",
}


def _named(text: str, field: str | None) -> set[str] | None:
    """The values of ``field`` a filter ``field eq 'a' or field eq 'b' [and …]`` allows, else None (any row)."""
    if not field:
        return None
    head, _, tail = text.partition(" and ")
    alternatives = [a.strip() for a in head.strip().strip("()").split(" or ")]
    found = [re.fullmatch(rf"{field} eq '([^']*)'", a) for a in alternatives]
    if not all(found) or " or " in tail or "(" in text.strip("()"):
        return None
    return {m.group(1) for m in found}


def _parse_filter(text: str):
    tokens = TOKEN.findall(text)
    if "".join(tokens).replace(" ", "") != text.replace(" ", ""):
        raise ODataError(400, "/IWBEP/CM_MGW_RT/004", f"Invalid filter expression: {text}")
    position = 0

    def take() -> str:
        nonlocal position
        if position >= len(tokens):
            raise ODataError(400, "/IWBEP/CM_MGW_RT/004", f"Incomplete filter expression: {text}")
        position += 1
        return tokens[position - 1]

    def peek() -> str | None:
        return tokens[position] if position < len(tokens) else None

    def either():
        terms = [both()]
        while peek() == "or":
            take()
            terms.append(both())
        return lambda row: any(t(row) for t in terms)

    def both():
        terms = [atom()]
        while peek() == "and":
            take()
            terms.append(atom())
        return lambda row: all(t(row) for t in terms)

    def atom():
        if peek() == "(":
            take()
            inner = either()
            if take() != ")":
                raise ODataError(400, "/IWBEP/CM_MGW_RT/004", f"Unbalanced parentheses in {text}")
            return inner
        name, operator, value = take(), take(), _literal(take())
        if operator not in _OPERATORS:
            raise ODataError(400, "/IWBEP/CM_MGW_RT/004", f"Unsupported operator {operator} in $filter")
        compare = _OPERATORS[operator]
        return lambda row: name in row and compare(_comparable(row[name]), value)

    test = either()
    if position != len(tokens):
        raise ODataError(400, "/IWBEP/CM_MGW_RT/004", f"Invalid filter expression: {text}")
    return test
