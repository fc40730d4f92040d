"""A Salesforce org over HTTP, speaking the documented REST subset the connector uses.

- ``POST /services/oauth2/token`` (client-credentials flow, form-encoded) issues bearer tokens; a pre-issued
  ``access_token`` is accepted too. A wrong or expired token is answered 401 ``INVALID_SESSION_ID``.
- ``/services/data/vNN.0/``: ``query`` (a SOQL subset: ``SELECT f, ... FROM Obj [WHERE SystemModstamp >|>= dt]
  [ORDER BY SystemModstamp, Id]``, anything else ``MALFORMED_QUERY``) with ``done``/``nextRecordsUrl`` paging of
  ``page_size`` rows; ``sobjects/Obj/{id}`` (GET, PATCH → 204); ``sobjects/Obj/{extField}/{value}`` (GET; PATCH
  upsert → 201 created / 200 updated, 204 before v46, 300 on several matches); ``POST sobjects/Obj/``.
- Every ``/services/data`` answer carries ``Sforce-Limit-Info: api-usage=used/limit``; past ``daily_limit`` requests
  are refused with 403 ``REQUEST_LIMIT_EXCEEDED``. Errors are ``[{"message", "errorCode", "fields"}]``.
- Outbound Messages: a user's ``create``/``update`` (the Python helpers, as an agent editing in Salesforce) sends the
  SOAP ``notifications`` envelope to subscribed URLs, with HTTP Basic from the subscription's secret (the way an
  endpoint URL's user info is sent); ``signed(payload, secret)`` gives the same body and headers to post by hand.
  Writes through the REST API send none: the recommended setup keeps the integration user's changes from echoing.

SOQL compares date-times to the second, as Salesforce does; ``SystemModstamp`` is written with milliseconds.

Objects: ``Account``, ``Contact``, ``Entitlement`` and ``ServiceContract``. The ``Status`` of the last two is worked
out from their dates whenever a record is read (Inactive before ``StartDate``, Expired after ``EndDate``, else
Active), so a term running out changes it without touching ``SystemModstamp``, as in Salesforce. Writing a computed
field (``Status``, ``ContractNumber``, ``GrandTotal``), or an entitlement's ``AccountId`` once it exists, is refused
with ``INVALID_FIELD_FOR_INSERT_UPDATE``. ``ContractNumber`` is an auto-number.
"""

import base64
import hmac
import itertools
import re
import secrets
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, unquote
from xml.sax.saxutils import escape

from ...simulator import Knobs, Reply, Request, Simulator
from .mapping import DEFAULT_EXTERNAL_ID_FIELD

FIELDS = {
    "Account": {
        "Name", "AccountNumber", "Phone", "Website", "Industry", "Description", "BillingStreet", "BillingCity",
        "BillingPostalCode", "BillingState", "BillingCountry", "Tax_Id__c", "Credit_Status__c",
    },
    "Contact": {"FirstName", "LastName", "Email", "Phone", "Title", "Department", "AccountId"},
    "Entitlement": {
        "Name", "AccountId", "AssetId", "ServiceContractId", "BusinessHoursId", "SlaProcessId", "Type", "StartDate",
        "EndDate", "Status", "IsPerIncident", "CasesPerEntitlement", "Sku__c", "Serial_Number__c",
    },
    "ServiceContract": {
        "Name", "AccountId", "ContactId", "StartDate", "EndDate", "Term", "Status", "ContractNumber", "Description",
        "GrandTotal", "CurrencyIsoCode", "Sla_Level__c",
    },
}  # fmt: skip
SYSTEM_FIELDS = ("Id", "IsDeleted", "CreatedDate", "LastModifiedDate", "SystemModstamp")
REQUIRED = {"Account": ("Name",), "Contact": ("LastName",), "Entitlement": ("Name", "AccountId"),
            "ServiceContract": ("Name",)}  # fmt: skip
COMPUTED = {"Entitlement": {"Status"}, "ServiceContract": {"Status", "ContractNumber", "GrandTotal"}}
CREATE_ONLY = {"Entitlement": {"AccountId"}}
TERMS = ("Entitlement", "ServiceContract")  # objects whose Status follows StartDate and EndDate
SEEDED_TERMS = 3  # records seed() gives each company besides its account and contacts
KEY_PREFIX = {"Account": "001", "Contact": "003", "Entitlement": "550", "ServiceContract": "810"}
TOKEN_PATH = "/services/oauth2/token"
API = r"/services/data/v(?P<version>\d+)\.0"
CODES = {
    400: "INVALID_FIELD", 401: "INVALID_SESSION_ID", 403: "INSUFFICIENT_ACCESS", 404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED", 429: "REQUEST_LIMIT_EXCEEDED", 500: "UNKNOWN_EXCEPTION", 503: "SERVER_UNAVAILABLE",
}  # fmt: skip
SOQL = re.compile(
    r"^\s*SELECT\s+(?P<fields>\w+(?:\s*,\s*\w+)*)\s+FROM\s+(?P<object>\w+)"
    r"(?:\s+WHERE\s+SystemModstamp\s*(?P<op>>=|>)\s*(?P<since>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)))?"
    r"(?:\s+ORDER\s+BY\s+SystemModstamp(?:\s+ASC)?\s*,\s*Id(?:\s+ASC)?)?\s*$",
    re.IGNORECASE,
)


def term_status(record: dict, today: date) -> str:
    """What Salesforce shows as an entitlement's or service contract's Status on ``today``."""
    start, end = record.get("StartDate"), record.get("EndDate")
    if start and today < date.fromisoformat(start):
        return "Inactive"
    if end and today > date.fromisoformat(end):
        return "Expired"
    return "Active"


def sf_datetime(ts: float) -> str:
    """A timestamp as Salesforce writes date-time fields: ``2026-11-28T12:00:00.000+0000``."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"


class PlatformSimulator(Simulator):
    name = "salesforce"
    api_prefix = ""  # the connector's base URL is the My Domain root; it builds /services/... itself

    def __init__(
        self,
        port: int = 0,
        knobs: Knobs | None = None,
        host: str = "127.0.0.1",
        *,
        client_id: str = "3MVG9sim.mdmhub",
        client_secret: str = "sim-client-secret",
        access_token: str = "",
        organization_id: str = "00D5e000000SIMabEAG",
        webhook_secret: str = "sim-outbound-secret",
        daily_limit: int = 100_000,
        page_size: int = 2000,
    ) -> None:
        self.client_id, self.client_secret, self.access_token = client_id, client_secret, access_token
        self.organization_id, self.webhook_secret = organization_id, webhook_secret
        self.daily_limit, self.page_size = daily_limit, page_size
        self.fields = {name: set(fields) | {DEFAULT_EXTERNAL_ID_FIELD} for name, fields in FIELDS.items()}
        self.external_ids = {name: {DEFAULT_EXTERNAL_ID_FIELD} for name in FIELDS}
        self.records: dict[str, dict[str, dict]] = {name: {} for name in FIELDS}
        self.tokens: set[str] = set()
        self.token_requests = 0
        self.api_usage = 0
        self.locators: dict[str, list[dict]] = {}
        self._serial = itertools.count(1)
        self._contract_numbers = itertools.count(1)
        self._last_stamp = 0.0
        super().__init__(port, knobs, host)

    def credentials(self) -> dict:
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "organization_id": self.organization_id,
            "webhook_secret": self.webhook_secret,
        }

    def add_field(self, sobject: str, field: str, *, external_id: bool = False) -> None:
        """A custom field an administrator created (``external_id``: marked External ID, usable for upserts)."""
        with self.lock:
            self.fields[sobject].add(field)
            if external_id:
                self.external_ids[sobject].add(field)

    def expire_sessions(self) -> None:
        """Every issued token stops working (session timeout, or an admin revoked them)."""
        with self.lock:
            self.tokens.clear()

    # --- the org's data, as a user editing in Salesforce changes it ----------------------------------------------
    def create(self, sobject: str, values: dict, *, at: float | None = None, notify: bool = True) -> str:
        """A record a user creates (``notify``: the org's workflow rule sends an Outbound Message for it)."""
        with self.lock:
            record_id = f"{KEY_PREFIX[sobject]}5e{next(self._serial):010d}SIM"
            stamp = self._stamp(at)
            self.records[sobject][record_id] = record = {
                "Id": record_id, "IsDeleted": False, "CreatedDate": stamp, **{f: None for f in self.fields[sobject]},
                **values, "LastModifiedDate": stamp, "SystemModstamp": stamp,
            }  # fmt: skip
            if sobject == "ServiceContract":
                record["ContractNumber"] = f"{next(self._contract_numbers):08d}"
            self._compute(sobject, record)
        if notify:
            self.emit({"sobject": sobject, "ids": [record_id]})
        return record_id

    def update(self, sobject: str, record_id: str, values: dict, *, notify: bool = True) -> None:
        """A user's edit (``notify`` as in ``create``)."""
        with self.lock:
            stamp = self._stamp(None)
            self.records[sobject][record_id].update({**values, "LastModifiedDate": stamp, "SystemModstamp": stamp})
            self._compute(sobject, self.records[sobject][record_id])
        if notify:
            self.emit({"sobject": sobject, "ids": [record_id]})

    def get(self, sobject: str, record_id: str) -> dict:
        with self.lock:
            return self._compute(sobject, dict(self.records[sobject][record_id]))

    def _compute(self, sobject: str, record: dict) -> dict:
        if sobject in TERMS:
            record["Status"] = term_status(record, self.now_dt().date())
        return record

    def find(self, sobject: str, field: str, value: object) -> list[dict]:
        with self.lock:
            return [dict(r) for r in self.records[sobject].values() if r.get(field) == value]

    def _stamp(self, at: float | None) -> str:
        if at is not None:
            return sf_datetime(at)
        self._last_stamp = max(self.now(), self._last_stamp + 0.001)  # distinct, increasing, like a commit order
        return sf_datetime(self._last_stamp)

    def seed(self, companies: list[dict]) -> None:
        """One account per company (with an unmapped ``Industry``), its contacts, two entitlements (phone support in
        force, an expired warranty) and a service contract (in force for every other company, starting next month
        for the rest), modified a second apart in the past, oldest first. Dates count from the simulator's today."""
        total = sum(1 + len(c["contacts"]) + SEEDED_TERMS for c in companies)
        moments = iter(range(total, 0, -1))
        for index, company in enumerate(companies):
            address = company["address"]
            account = {
                "Name": company["name"], "AccountNumber": company["key"], "Phone": company["phone"],
                "Website": company["domain"], "Tax_Id__c": company["tax_id"], "Industry": "Manufacturing",
                "BillingStreet": address["line1"], "BillingCity": address["city"],
                "BillingPostalCode": address["postal_code"], "BillingCountry": address["country"],
            }  # fmt: skip
            account_id = self.create("Account", account, at=self.now() - next(moments), notify=False)
            for person in company["contacts"]:
                contact = {
                    "FirstName": person["first_name"], "LastName": person["last_name"], "Email": person["email"],
                    "Phone": person["phone"], "AccountId": account_id,
                }  # fmt: skip
                self.create("Contact", contact, at=self.now() - next(moments), notify=False)
            for sobject, values in self._terms(company, index, account_id):
                self.create(sobject, values, at=self.now() - next(moments), notify=False)

    def _terms(self, company: dict, index: int, account_id: str) -> list[tuple[str, dict]]:
        today, key = self.now_dt().date(), company["key"]

        def day(offset: int) -> str:
            return (today + timedelta(days=offset)).isoformat()

        starts = -90 if index % 2 == 0 else 30
        currency = {"GB": "GBP", "US": "USD", "CH": "CHF"}.get(company["address"]["country"], "EUR")
        return [
            ("Entitlement", {"Name": "Phone Support", "Type": "Phone Support", "AccountId": account_id,
                             "Sku__c": "SUP-GOLD", "StartDate": day(-200), "EndDate": day(165)}),
            ("Entitlement", {"Name": f"Warranty SN-{key}-0001", "Type": "Warranty", "AccountId": account_id,
                             "Sku__c": "HW-200", "Serial_Number__c": f"SN-{key}-0001", "StartDate": day(-1095),
                             "EndDate": day(-365)}),
            ("ServiceContract", {"Name": f"SC-{key}", "AccountId": account_id, "Term": 12,
                                 "Sla_Level__c": "Gold" if index % 2 == 0 else "Silver", "StartDate": day(starts),
                                 "EndDate": day(starts + 364), "GrandTotal": 12000.0 + 1500 * index,
                                 "CurrencyIsoCode": currency}),
        ]  # fmt: skip

    # --- protocol --------------------------------------------------------------------------------------------------
    def authorized(self, request: Request) -> bool:
        if request.path == TOKEN_PATH:
            return True  # the token endpoint authenticates the client in its body
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return False
        with self.lock:
            if token in self.tokens:
                return True
        return bool(self.access_token) and hmac.compare_digest(token, self.access_token)

    def error(self, status: int, message: str, **extra: object) -> Reply:
        code = str(extra.get("code") or CODES.get(status, "UNKNOWN_EXCEPTION"))
        if status == 401:
            message = "Session expired or invalid"
        return Reply(status, [{"message": message, "errorCode": code, "fields": list(extra.get("fields") or [])}])

    def rate_limited(self, retry_after: int) -> Reply:
        reply = self.error(429, "Too many requests, retry later.")
        reply.headers["Retry-After"] = str(retry_after)
        return reply

    def dispatch(self, request: Request) -> Reply:
        if not request.path.startswith("/services/data/"):
            return super().dispatch(request)
        with self.lock:
            self.api_usage += 1
            used = self.api_usage
        if used > self.daily_limit:
            reply = self.error(403, "TotalRequests Limit exceeded.", code="REQUEST_LIMIT_EXCEEDED")
        else:
            reply = super().dispatch(request)
        reply.headers["Sforce-Limit-Info"] = f"api-usage={min(used, self.daily_limit)}/{self.daily_limit}"
        return reply

    def setup_routes(self) -> None:
        sobject = API + r"/sobjects/(?P<object>\w+)"
        self.route("POST", TOKEN_PATH, self._token)
        self.route("GET", API + r"/query/?", self._query)
        self.route("GET", API + r"/query/(?P<locator>\w+)-(?P<offset>\d+)", self._more)
        self.route("POST", sobject + r"/?", self._create)
        self.route("GET", sobject + r"/(?P<id>\w{15,18})", self._read)
        self.route("PATCH", sobject + r"/(?P<id>\w{15,18})", self._update)
        self.route("GET", sobject + r"/(?P<field>\w+)/(?P<value>[^/]+)", self._read_by)
        self.route("PATCH", sobject + r"/(?P<field>\w+)/(?P<value>[^/]+)", self._upsert)

    # --- OAuth -----------------------------------------------------------------------------------------------------
    def _token(self, request: Request) -> Reply:
        form = {k: v[0] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
        if form.get("grant_type") != "client_credentials":
            return Reply(400, {"error": "unsupported_grant_type", "error_description": "grant type not supported"})
        good_id = hmac.compare_digest(form.get("client_id", "").encode(), self.client_id.encode())
        good_secret = hmac.compare_digest(form.get("client_secret", "").encode(), self.client_secret.encode())
        if not (good_id and good_secret):
            return Reply(400, {"error": "invalid_client", "error_description": "invalid client credentials"})
        token = f"{self.organization_id[:15]}!{secrets.token_urlsafe(32)}"
        with self.lock:
            self.tokens.add(token)
            self.token_requests += 1
        return Reply(
            200,
            {
                "access_token": token,
                "instance_url": self.origin,
                "id": f"{self.origin}/id/{self.organization_id}/0055e000001SIMAAA",
                "token_type": "Bearer",
                "issued_at": str(int(self.now() * 1000)),
                "scope": "api",
                "signature": base64.b64encode(secrets.token_bytes(32)).decode(),
            },
        )

    # --- SOQL ------------------------------------------------------------------------------------------------------
    def _query(self, request: Request) -> Reply:
        match = SOQL.match(request.arg("q", "") or "")
        if match is None:
            return self.error(400, "unexpected token: the simulator reads a SOQL subset only", code="MALFORMED_QUERY")
        sobject, fields = match["object"], [f.strip() for f in match["fields"].split(",")]
        if sobject not in self.records:
            return self.error(400, f"sObject type '{sobject}' is not supported.", code="INVALID_TYPE")
        if unknown := [f for f in fields if f not in self.fields[sobject] and f not in SYSTEM_FIELDS]:
            return self.error(400, f"No such column '{unknown[0]}' on entity '{sobject}'.", code="INVALID_FIELD")
        since = match["since"] and datetime.fromisoformat(match["since"].replace("Z", "+00:00")).timestamp()
        with self.lock:
            rows = sorted(self.records[sobject].values(), key=lambda r: (r["SystemModstamp"], r["Id"]))
            if since:
                rows = [r for r in rows if _after(r["SystemModstamp"], int(since), match["op"] == ">=")]
            rows = [self._row(sobject, r, fields, request.params["version"]) for r in rows]
            locator = f"01g5e{next(self._serial):010d}SIM"
            self.locators[locator] = rows
        return self._page(locator, 0, request.params["version"])

    def _more(self, request: Request) -> Reply:
        with self.lock:
            known = request.params["locator"] in self.locators
        if not known:
            return self.error(400, "invalid query locator", code="INVALID_QUERY_LOCATOR")
        return self._page(request.params["locator"], int(request.params["offset"]), request.params["version"])

    def _page(self, locator: str, offset: int, version: str) -> Reply:
        with self.lock:
            rows = self.locators[locator]
            page = rows[offset : offset + self.page_size]
            done = offset + len(page) >= len(rows)
            if done:
                del self.locators[locator]
        body = {"totalSize": len(rows), "done": done, "records": page}
        if not done:
            body["nextRecordsUrl"] = f"/services/data/v{version}.0/query/{locator}-{offset + len(page)}"
        return Reply(200, body)

    def _row(self, sobject: str, record: dict, fields: list[str], version: str) -> dict:
        url = f"/services/data/v{version}.0/sobjects/{sobject}/{record['Id']}"
        record = self._compute(sobject, dict(record))
        return {"attributes": {"type": sobject, "url": url}, **{f: record.get(f) for f in fields}}

    # --- sObject rows ----------------------------------------------------------------------------------------------
    def _read(self, request: Request) -> Reply:
        sobject, record_id = request.params["object"], request.params["id"]
        with self.lock:
            record = self.records.get(sobject, {}).get(record_id)
            if record is None:
                return self.error(404, "The requested resource does not exist")
            fields = (request.arg("fields") or "").split(",") if request.arg("fields") else list(record)
            if unknown := [f for f in fields if f not in record]:
                return self.error(400, f"No such column '{unknown[0]}' on sobject of type {sobject}")
            return Reply(200, self._row(sobject, record, fields, request.params["version"]))

    def _read_by(self, request: Request) -> Reply:
        sobject, field = request.params["object"], request.params["field"]
        if field not in self.external_ids.get(sobject, ()):
            return self.error(404, f"Provided external ID field does not exist or is not accessible: {field}")
        with self.lock:
            matches = self._matches(sobject, field, unquote(request.params["value"]))
            if len(matches) > 1:
                return self._several(sobject, matches, request.params["version"])
            if not matches:
                return self.error(404, "The requested resource does not exist")
            return Reply(200, self._row(sobject, matches[0], list(matches[0]), request.params["version"]))

    def _create(self, request: Request) -> Reply:
        sobject = request.params["object"]
        with self.lock:
            values, problem = self._values(sobject, request.json())
            if problem is None:
                problem = self._missing(sobject, values)
            if problem is not None:
                return problem
            return Reply(201, {"id": self.create(sobject, values, notify=False), "success": True, "errors": []})

    def _update(self, request: Request) -> Reply:
        sobject, record_id = request.params["object"], request.params["id"]
        with self.lock:
            record = self.records.get(sobject, {}).get(record_id)
            if record is None:
                return self.error(404, "The requested resource does not exist")
            values, problem = self._values(sobject, request.json())
            if problem is None:
                problem = self._not_updatable(sobject, values) or self._missing(sobject, {**record, **values})
            if problem is not None:
                return problem
            self.update(sobject, record_id, values, notify=False)
            return Reply(204)

    def _upsert(self, request: Request) -> Reply:
        sobject, field = request.params["object"], request.params["field"]
        value, version = unquote(request.params["value"]), request.params["version"]
        if field not in self.external_ids.get(sobject, ()):
            return self.error(404, f"Provided external ID field does not exist or is not accessible: {field}")
        with self.lock:
            values, problem = self._values(sobject, request.json())
            if problem is not None:
                return problem
            matches = self._matches(sobject, field, value)
            if len(matches) > 1:
                return self._several(sobject, matches, version)
            if matches:
                record = matches[0]
                if problem := self._not_updatable(sobject, values) or self._missing(sobject, {**record, **values}):
                    return problem
                self.update(sobject, record["Id"], {**values, field: value}, notify=False)
                if int(version) < 46:
                    return Reply(204)
                return Reply(200, {"id": record["Id"], "success": True, "errors": [], "created": False})
            if problem := self._missing(sobject, values):
                return problem
            record_id = self.create(sobject, {**values, field: value}, notify=False)
            return Reply(201, {"id": record_id, "success": True, "errors": [], "created": True})

    def _values(self, sobject: str, body: object) -> tuple[dict, Reply | None]:
        """The writable fields of a request body; relationships by external ID (``"Account": {"Ext__c": v}``) are
        resolved to the parent's ID, as Salesforce does in upserts."""
        if sobject not in self.records:
            return {}, self.error(404, f"The requested resource does not exist: {sobject}", code="NOT_FOUND")
        if not isinstance(body, dict):
            return {}, self.error(400, "Unexpected request body", code="JSON_PARSER_ERROR")
        values = {}
        for name, value in body.items():
            if name in COMPUTED.get(sobject, ()):
                return {}, self._unwritable(name)
            by_external_id = name == "Account" and isinstance(value, dict) and len(value) == 1
            if by_external_id and "AccountId" in self.fields[sobject]:
                [(field, key)] = value.items()
                parents = self._matches("Account", field, key) if field in self.external_ids["Account"] else []
                if len(parents) != 1:
                    message = f"Foreign key external ID: {key} not found for field {field} in entity Account"
                    return {}, self.error(400, message, code="INVALID_FIELD")
                values["AccountId"] = parents[0]["Id"]
            elif name not in self.fields[sobject]:
                return {}, self.error(400, f"No such column '{name}' on sobject of type {sobject}")
            elif name == "AccountId" and value is not None and value not in self.records["Account"]:
                problem = self.error(400, f"id value of incorrect type: {value}", code="MALFORMED_ID", fields=[name])
                return {}, problem
            else:
                values[name] = value
        return values, None

    def _not_updatable(self, sobject: str, values: dict) -> Reply | None:
        """Fields that may be set on creation only, named in an update."""
        named = [name for name in values if name in CREATE_ONLY.get(sobject, ())]
        return self._unwritable(named[0]) if named else None

    def _unwritable(self, field: str) -> Reply:
        message = (f"Unable to create/update fields: {field}. Please check the security settings of this field and "
                   "verify that it is read/write for your profile or permission set.")  # fmt: skip
        return self.error(400, message, code="INVALID_FIELD_FOR_INSERT_UPDATE", fields=[field])

    def _missing(self, sobject: str, record: dict) -> Reply | None:
        missing = [f for f in REQUIRED[sobject] if record.get(f) in (None, "")]
        if not missing:
            return None
        return self.error(400, f"Required fields are missing: [{', '.join(missing)}]", code="REQUIRED_FIELD_MISSING",
                          fields=missing)  # fmt: skip

    def _matches(self, sobject: str, field: str, value: object) -> list[dict]:
        return [r for r in self.records[sobject].values() if r.get(field) == value]

    def _several(self, sobject: str, matches: list[dict], version: str) -> Reply:
        return Reply(300, [f"/services/data/v{version}.0/sobjects/{sobject}/{r['Id']}" for r in matches])

    # --- Outbound Messages -----------------------------------------------------------------------------------------
    def outbound_message(self, sobject: str, ids: list[str]) -> bytes:
        """The SOAP ``notifications`` call Salesforce sends for changed records (with their Id and Name)."""
        with self.lock:
            parts = []
            for record_id in ids:
                record = self.records[sobject][record_id]
                shown = "".join(
                    f"<sf:{f}>{escape(str(record[f]))}</sf:{f}>" for f in ("Id", "Name", "LastName") if record.get(f)
                )
                parts.append(
                    f"<Notification><Id>04l5e{next(self._serial):010d}SIM</Id>"
                    f'<sObject xsi:type="sf:{sobject}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">{shown}'
                    "</sObject></Notification>"
                )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"'
            ' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            '<soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound">'
            f"<OrganizationId>{self.organization_id}</OrganizationId><ActionId>04k5e000000SIMxAAG</ActionId>"
            f'<SessionId xsi:nil="true"/><EnterpriseUrl>{self.origin}/services/Soap/c/60.0/00D</EnterpriseUrl>'
            f"<PartnerUrl>{self.origin}/services/Soap/u/60.0/00D</PartnerUrl>{''.join(parts)}"
            "</notifications></soapenv:Body></soapenv:Envelope>"
        ).encode()

    def signed(self, payload: dict, secret: str, **target: object) -> tuple[bytes, dict[str, str]]:
        """The Outbound Message for ``{"sobject": ..., "ids": [...]}`` (``emit`` sends it), as read at sending time
        like Salesforce does, and its headers."""
        body = self.outbound_message(payload["sobject"], list(payload["ids"]))
        return body, self.sign(body, {"secret": secret, **target})

    def sign(self, body: bytes, target: dict) -> dict[str, str]:
        headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}
        if target.get("secret"):
            user = str(target.get("user", "salesforce"))
            headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{target['secret']}".encode()).decode()
        return headers


def _after(stamp: str, since: int, inclusive: bool) -> bool:
    """SOQL's date-time comparison: to the second (milliseconds are ignored)."""
    second = int(datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp())
    return second >= since if inclusive else second > since
