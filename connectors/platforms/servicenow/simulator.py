"""A ServiceNow Table API stand-in (``/api/now/table/{table}``): the subset the connector uses, as ServiceNow
documents it.

- Tables ``customer_account``, ``customer_contact``, ``service_entitlement``, ``ast_contract`` and the plugin's
  ``sn_pss_core_service_contract`` with their standard columns plus configurable custom (``u_``) columns; writes to
  columns a table lacks are ignored, and query conditions on them are dropped (so such a query answers every row),
  both as ServiceNow does by default. Values are strings; ``sys_updated_on`` is UTC
  ``YYYY-MM-DD HH:MM:SS`` from the simulator's clock; ``sys_mod_count`` counts updates. Accounts are numbered
  ``ACC…`` by the instance; a contract keeps the number it is given, else gets ``CNTR…``.
- ``GET /table/{t}`` with ``sysparm_query`` (``field=``, ``!=``, ``>``, ``>=``, ``<``, ``<=``, ``STARTSWITH``,
  ``LIKE``, ``ISEMPTY``, ``ISNOTEMPTY``, ``ORDERBY``/``ORDERBYDESC`` joined by ``^``), ``sysparm_fields``,
  ``sysparm_limit`` (default 10000), ``sysparm_offset``, ``sysparm_exclude_reference_link`` (else references are
  ``{"link", "value"}``); ``Link`` (first/prev/next/last) and ``X-Total-Count`` headers.
- ``GET|PATCH|PUT|DELETE /table/{t}/{sys_id}``, ``POST /table/{t}`` (201 + ``Location``); answers are
  ``{"result": …}``. A data policy (``mandatory`` columns per table) refuses a write with 403.
- Basic auth or OAuth ``Bearer``; errors ``{"error": {"message", "detail"}, "status": "failure"}``; rate limits as
  429 + ``Retry-After`` with ``X-RateLimit-Limit``/``-Reset`` (Unix time)/``-Rule``.
- The Business Rule of the connector's documented webhook scheme: every insert, update and delete emits
  ``{"table", "sys_id", "operation", "sys_updated_on", "sys_mod_count"}`` signed with ``X-Mdmhub-Signature`` (or
  basic auth for targets subscribed with a password), except the integration user's own writes (the rule's
  recommended condition).
"""

import base64
import hashlib
import hmac
import itertools
import re
import uuid
from datetime import date, timedelta
from urllib.parse import urlencode

from ...simulator import Knobs, Reply, Request, Simulator

CONTRACT_COLUMNS = (
    "number", "short_description", "description", "vendor", "vendor_contract", "account", "consumer", "contract_model",
    "starts", "ends", "state", "substate", "active", "renewable", "payment_amount", "payment_schedule", "total_cost",
)  # fmt: skip
SYS = ("sys_id", "sys_created_on", "sys_created_by", "sys_updated_on", "sys_updated_by", "sys_mod_count")
COLUMNS = {
    "customer_account": (
        "name", "number", "phone", "fax_phone", "website", "street", "city", "state", "zip", "country", "notes",
        "parent", "primary_contact", "customer", "partner",
    ),
    "customer_contact": (
        "first_name", "last_name", "name", "user_name", "email", "phone", "mobile_phone", "title", "account", "active",
    ),
    "service_entitlement": (
        "entitlement_name", "account", "consumer", "contract", "product", "asset", "active", "state", "start_date",
        "end_date", "per_unit", "unit", "total_units", "remaining_units",
    ),
    "ast_contract": CONTRACT_COLUMNS,
    "sn_pss_core_service_contract": CONTRACT_COLUMNS,
}  # fmt: skip
CONTRACT_REFERENCES = {"account": "customer_account", "vendor": "core_company", "contract_model": "cmdb_model"}
REFERENCES = {
    "customer_account": {"parent": "customer_account", "primary_contact": "customer_contact"},
    "customer_contact": {"account": "customer_account"},
    "service_entitlement": {
        "account": "customer_account", "contract": "sn_pss_core_service_contract", "product": "cmdb_model",
        "asset": "alm_asset",
    },
    "ast_contract": CONTRACT_REFERENCES,
    "sn_pss_core_service_contract": CONTRACT_REFERENCES,
}  # fmt: skip
CONTRACT_CUSTOM = ("u_mdm_golden_id", "u_sla_level", "u_currency")
CUSTOM = {
    "customer_account": ("u_mdm_golden_id", "u_tax_id", "u_credit_status"),
    "customer_contact": ("u_mdm_golden_id",),
    "service_entitlement": ("u_mdm_golden_id", "u_sku", "u_serial_number", "u_kind"),
    "ast_contract": CONTRACT_CUSTOM,
    "sn_pss_core_service_contract": CONTRACT_CUSTOM,
}
NUMBERED = {"customer_account": "ACC", "ast_contract": "CNTR", "sn_pss_core_service_contract": "CNTR"}
FILLED = {"customer_account": ("number",)}  # set by the instance only; a contract's number may be given
ACTIVE_FLAG = ("customer_contact", "service_entitlement", "ast_contract", "sn_pss_core_service_contract")
CONDITION = re.compile(r"^([a-z0-9_.]+?)(ISNOTEMPTY|ISEMPTY|STARTSWITH|LIKE|!=|>=|<=|=|>|<)(.*)$", re.S)
RULE_ID = "5e0c2b51db1f2300d0e6f4aa9d9619c4"


class PlatformSimulator(Simulator):
    name = "servicenow"
    api_prefix = "/api/now"

    def __init__(
        self,
        port: int = 0,
        knobs: Knobs | None = None,
        host: str = "127.0.0.1",
        *,
        username: str = "mdm.integration",
        password: str = "sn-password",
        token: str = "sn-oauth-token",
        webhook_secret: str = "sn-webhook-secret",
        custom_columns: dict[str, tuple[str, ...]] | None = None,
        mandatory: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.username, self.password, self.token, self.webhook_secret = username, password, token, webhook_secret
        custom = custom_columns if custom_columns is not None else CUSTOM
        self.columns = {t: set(SYS) | set(cols) | set(custom.get(t, ())) for t, cols in COLUMNS.items()}
        self.mandatory = mandatory or {}
        self.tables: dict[str, dict[str, dict]] = {table: {} for table in COLUMNS}
        self.numbers = itertools.count(1001)
        super().__init__(port, knobs, host)

    def credentials(self) -> dict:
        return {"username": self.username, "password": self.password, "webhook_secret": self.webhook_secret}

    @property
    def accounts(self) -> dict[str, dict]:
        return self.tables["customer_account"]

    @property
    def contacts(self) -> dict[str, dict]:
        return self.tables["customer_contact"]

    # --- protocol --------------------------------------------------------------------------------------------------
    def setup_routes(self) -> None:
        one = r"/table/(?P<table>\w+)/(?P<sys_id>\w+)"
        self.route("GET", r"/table/(?P<table>\w+)", self.list_records)
        self.route("POST", r"/table/(?P<table>\w+)", self.create_record)
        self.route("GET", one, self.show_record)
        self.route("PATCH", one, self.update_record)
        self.route("PUT", one, self.update_record)
        self.route("DELETE", one, self.delete_record)

    def authorized(self, request: Request) -> bool:
        given = request.headers.get("authorization", "").encode()
        basic = "Basic " + base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return hmac.compare_digest(given, basic.encode()) or hmac.compare_digest(given, f"Bearer {self.token}".encode())

    def error(self, status: int, message: str, **extra: object) -> Reply:
        detail = extra.get("detail")
        if status == 401:
            message, detail = "User Not Authenticated", "Required to provide Auth information"
        return Reply(status, {"error": {"message": message, "detail": detail}, "status": "failure"})

    def rate_limited(self, retry_after: int) -> Reply:
        allowed = f"{self.knobs.rate_limit} requests per {self.knobs.rate_window:g} s" if self.knobs.rate_limit else ""
        reply = self.error(429, "Rate limit exceeded", detail=f"Rate limit rule exceeded {allowed}".strip())
        reply.headers["Retry-After"] = str(retry_after)
        return reply

    def limit_headers(self, remaining: int, reset_in: int) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.knobs.rate_limit),
            "X-RateLimit-Reset": str(int(self.now()) + reset_in),
            "X-RateLimit-Rule": RULE_ID,
        }

    def sign(self, body: bytes, target: dict) -> dict[str, str]:
        if target.get("password"):
            login = f"{target.get('username', '')}:{target['password']}".encode()
            return {"Authorization": "Basic " + base64.b64encode(login).decode()}
        stamp = str(int(self.now()))
        mac = hmac.new(target["secret"].encode(), stamp.encode() + b"." + body, hashlib.sha256).digest()
        return {"X-Mdmhub-Timestamp": stamp, "X-Mdmhub-Signature": base64.b64encode(mac).decode()}

    # --- data ------------------------------------------------------------------------------------------------------
    def seed(self, companies: list[dict]) -> None:
        for company in companies:
            address = company["address"]
            account = self.insert(
                "customer_account",
                {
                    "name": company["name"],
                    "phone": company["phone"],
                    "website": company["domain"],
                    "street": address["line1"],
                    "city": address["city"],
                    "zip": address["postal_code"],
                    "country": address["country"],
                    "u_tax_id": company["tax_id"],
                },
                notify=False,
            )
            for contact in company["contacts"]:
                self.insert("customer_contact", {**contact, "account": account["sys_id"]}, notify=False)
            for table, fields in _terms(company):
                self.insert(table, {**fields, "account": account["sys_id"]}, notify=False)

    def insert(self, table: str, fields: dict, *, user: str = "agent.smith", notify: bool = True) -> dict:
        """Create a record as someone working in ServiceNow would (the Business Rule fires)."""
        with self.lock:
            now = self._timestamp()
            record = {column: "" for column in self.columns[table]}
            record.update(
                sys_id=uuid.uuid4().hex, sys_created_on=now, sys_created_by=user, sys_updated_on=now,
                sys_updated_by=user, sys_mod_count="0",
            )  # fmt: skip
            if table in NUMBERED:
                record["number"] = f"{NUMBERED[table]}{next(self.numbers):07d}"
            if table == "customer_account":
                record.update(customer="true", partner="false")
            if table in ACTIVE_FLAG:
                record["active"] = "true"
            self._assign(table, record, fields)
            self.tables[table][record["sys_id"]] = record
            self._notify(table, record, "insert", user, notify)
            return record

    def update(self, table: str, sys_id: str, fields: dict, *, user: str = "agent.smith", notify: bool = True) -> dict:
        with self.lock:
            record = self.tables[table][sys_id]
            before = dict(record)
            self._assign(table, record, fields)
            if record == before:
                return record  # ServiceNow skips an update that changes nothing: no new stamp, no Business Rule
            record.update(
                sys_updated_on=self._timestamp(),
                sys_updated_by=user,
                sys_mod_count=str(int(record["sys_mod_count"]) + 1),
            )
            self._notify(table, record, "update", user, notify)
            return record

    def _assign(self, table: str, record: dict, fields: dict) -> None:
        for column, value in fields.items():
            if column in self.columns[table] and column not in SYS and column not in FILLED.get(table, ()):
                record[column] = _text(value)
        if table == "customer_contact":
            record["name"] = " ".join(p for p in (record["first_name"], record["last_name"]) if p)

    def _timestamp(self) -> str:
        return self.now_dt().strftime("%Y-%m-%d %H:%M:%S")

    def _notify(self, table: str, record: dict, operation: str, user: str, notify: bool) -> None:
        if not notify or user == self.username:
            return
        event = {
            "table": table,
            "sys_id": record["sys_id"],
            "operation": operation,
            "sys_updated_on": record["sys_updated_on"],
            "sys_mod_count": record["sys_mod_count"],
        }
        self.emit(event)

    def _violations(self, table: str, record: dict) -> Reply | None:
        missing = [c for c in self.mandatory.get(table, ()) if not record.get(c)]
        if not missing:
            return None
        names = ", ".join(c.replace("_", " ").capitalize() for c in missing)
        return self.error(
            403, "Operation Failed", detail=f"Data Policy Exception: \n\tThe following fields are mandatory: {names}"
        )

    # --- reading ---------------------------------------------------------------------------------------------------
    def _table(self, request: Request) -> str | Reply:
        table = request.params["table"]
        return table if table in self.tables else self.error(400, f"Invalid table {table}")

    def _render(self, request: Request, table: str, record: dict) -> dict:
        wanted = [f.strip() for f in (request.arg("sysparm_fields") or "").split(",") if f.strip()]
        plain = request.arg("sysparm_exclude_reference_link", "false") == "true"
        out = {}
        for column in wanted or sorted(record):
            if column not in record:
                continue
            value, target = record[column], REFERENCES[table].get(column)
            if target and value and not plain:
                value = {"link": f"{self.base_url}table/{target}/{value}", "value": value}
            out[column] = value
        return out

    def _query(self, table: str, query: str) -> list[dict] | Reply:
        rows = list(self.tables[table].values())
        order: list[tuple[str, bool]] = []
        for term in filter(None, query.split("^")):
            if term.startswith("ORDERBYDESC"):
                order.append((term.removeprefix("ORDERBYDESC"), True))
                continue
            if term.startswith("ORDERBY"):
                order.append((term.removeprefix("ORDERBY"), False))
                continue
            if term.startswith(("OR", "NQ", "EQ")):
                return self.error(400, "Unsupported query", detail=f"the simulator does not support {term[:2]}")
            match = CONDITION.match(term)
            if match is None:
                return self.error(400, "Invalid query", detail=term)
            column, operator, value = match.groups()
            if column not in self.columns[table]:
                continue  # ServiceNow drops a condition on an unknown column (and so answers every row)
            rows = [r for r in rows if _holds(r.get(column, ""), operator, value)]
        for column, descending in reversed(order):
            rows.sort(key=lambda r, c=column: r.get(c, ""), reverse=descending)
        return rows

    def list_records(self, request: Request) -> Reply:
        table = self._table(request)
        if isinstance(table, Reply):
            return table
        try:
            limit = max(1, int(request.arg("sysparm_limit", "10000")))
            offset = max(0, int(request.arg("sysparm_offset", "0")))
        except ValueError:
            return self.error(400, "Invalid parameter", detail="sysparm_limit and sysparm_offset are numbers")
        with self.lock:
            rows = self._query(table, request.arg("sysparm_query") or "")
            if isinstance(rows, Reply):
                return rows
            page = [self._render(request, table, r) for r in rows[offset : offset + limit]]
        total = len(rows)
        return Reply(
            200, {"result": page}, {"X-Total-Count": str(total), "Link": self._links(request, offset, limit, total)}
        )

    def _links(self, request: Request, offset: int, limit: int, total: int) -> str:
        def at(position: int, rel: str) -> str:
            query = {k: v[0] for k, v in request.query.items()} | {"sysparm_offset": position, "sysparm_limit": limit}
            return f'<{self.origin}{request.path}?{urlencode(query)}>;rel="{rel}"'

        links = [at(0, "first")]
        if offset > 0:
            links.append(at(max(0, offset - limit), "prev"))
        if offset + limit < total:
            links.append(at(offset + limit, "next"))
        links.append(at(max(0, (total - 1) // limit * limit), "last"))
        return ",".join(links)

    def show_record(self, request: Request) -> Reply:
        table = self._table(request)
        if isinstance(table, Reply):
            return table
        with self.lock:
            record = self.tables[table].get(request.params["sys_id"])
            if record is None:
                return _not_found(self)
            return Reply(200, {"result": self._render(request, table, record)})

    # --- writing (Basic auth and the OAuth token both act as the integration user) ------------------------------
    def create_record(self, request: Request) -> Reply:
        table = self._table(request)
        if isinstance(table, Reply):
            return table
        fields = request.json()
        if not isinstance(fields, dict):
            return self.error(400, "Exception while reading request", detail="The payload is not valid JSON.")
        with self.lock:
            if refused := self._violations(table, {c: _text(v) for c, v in fields.items()}):
                return refused
            record = self.insert(table, fields, user=self.username)
            headers = {"Location": f"{self.base_url}table/{table}/{record['sys_id']}"}
            return Reply(201, {"result": self._render(request, table, record)}, headers)

    def update_record(self, request: Request) -> Reply:
        table = self._table(request)
        if isinstance(table, Reply):
            return table
        fields = request.json()
        if not isinstance(fields, dict):
            return self.error(400, "Exception while reading request", detail="The payload is not valid JSON.")
        with self.lock:
            record = self.tables[table].get(request.params["sys_id"])
            if record is None:
                return _not_found(self)
            if refused := self._violations(table, {**record, **{c: _text(v) for c, v in fields.items()}}):
                return refused
            record = self.update(table, record["sys_id"], fields, user=self.username)
            return Reply(200, {"result": self._render(request, table, record)})

    def delete_record(self, request: Request) -> Reply:
        table = self._table(request)
        if isinstance(table, Reply):
            return table
        with self.lock:
            record = self.tables[table].pop(request.params["sys_id"], None)
            if record is None:
                return _not_found(self)
            self._notify(table, record, "delete", self.username, True)
        return Reply(204)


ENTITLEMENT_PLANS = [("SUP-GOLD", "support"), ("WAR-3Y", "warranty"), ("SUB-CLOUD", "subscription")]
SEED_STATES = ["active", "active", "draft", "expired", "suspended", "cancelled"]


def _terms(company: dict) -> list[tuple[str, dict]]:
    """A company's entitlements (one or two) and its contract, derived from its sample key: the same every run."""
    n = int(company["key"].removeprefix("C"))
    starts = date(2024 + n % 3, 1 + n % 12, 1)
    ends = starts.replace(year=starts.year + 1 + n % 2) - timedelta(days=1)
    state = SEED_STATES[n % len(SEED_STATES)]
    terms = []
    for offset in range(1 + n % 2):
        sku, kind = ENTITLEMENT_PLANS[(n + offset) % len(ENTITLEMENT_PLANS)]
        terms.append(
            (
                "service_entitlement",
                {
                    "entitlement_name": f"{sku} for {company['name']}",
                    "u_sku": sku,
                    "u_serial_number": f"SN-{n:04d}-{offset + 1}",
                    "u_kind": kind,
                    "start_date": starts.isoformat(),
                    "end_date": ends.isoformat(),
                    "state": state,
                },
            )
        )
    contract = {
        "short_description": f"Support agreement, {company['name']}",
        "u_sla_level": ["gold", "silver", "bronze"][n % 3],
        "starts": starts.isoformat(),
        "ends": ends.isoformat(),
        "state": "draft" if state == "suspended" else state,  # contracts are never suspended
        "total_cost": f"{12000 + 1500 * n}.00",
        "u_currency": {"DE": "EUR", "NL": "EUR", "GB": "GBP", "US": "USD", "CH": "CHF"}[company["address"]["country"]],
    }
    return [*terms, ("ast_contract", contract)]


def _not_found(simulator: Simulator) -> Reply:
    return simulator.error(404, "No Record found", detail="Record doesn't exist or ACL restricts the record retrieval")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _holds(actual: str, operator: str, value: str) -> bool:
    if operator == "ISEMPTY":
        return actual == ""
    if operator == "ISNOTEMPTY":
        return actual != ""
    if operator == "STARTSWITH":
        return actual.lower().startswith(value.lower())
    if operator == "LIKE":
        return value.lower() in actual.lower()
    if operator in ("=", "!="):
        return (actual == value) == (operator == "=")
    # Dates in the stored format order as text; so do sys_ids.
    return {">": actual > value, ">=": actual >= value, "<": actual < value, "<=": actual <= value}[operator]
