"""An Odoo stand-in: the external JSON-2 API (``POST /json/2/<model>/<method>``) and the older JSON-RPC
(``POST /jsonrpc``) and XML-RPC (``POST /xmlrpc/2/common`` and ``/xmlrpc/2/object``) services, over the models the
connector uses, as Odoo documents them.

- Models ``res.partner`` (companies, individuals and their contacts; tags in ``category_id``), ``res.partner.category``,
  ``res.country``, ``res.currency``, ``account.payment.term``, ``account.move`` (customer invoices) and ``res.users``.
  Computed fields as Odoo computes them: ``display_name``, ``commercial_partner_id``, ``country_code``, ``credit``
  (the open receivable). Many-to-one fields read as ``[id, "name"]``, empty ones as ``false``; ``write_date`` is UTC
  ``YYYY-MM-DD HH:MM:SS`` from the simulator's clock and moves on every write (Odoo does not skip no-op writes).
- Methods ``search_read``, ``search``, ``search_count``, ``read``, ``create`` (``vals_list`` → IDs), ``write``
  (``ids``, ``vals`` → true) and ``unlink``. Domains in prefix notation (``&``, ``|``, ``!``; implicit and) with
  ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``in``, ``not in``, ``like``, ``ilike``, dotted paths through
  many-to-ones; ``order`` as ``"field [asc|desc], ..."``; ``context.active_test`` (default true) hides archived rows.
  The SQL constraint "Contacts require a name" refuses a nameless contact; unknown fields fail as Odoo's
  ``ValueError`` does (a server error).
- JSON-2 auth is ``Authorization: bearer <api key>`` (the key of the integration user); ``X-Odoo-Database``, when
  sent, must name the database. Errors have a real status and ``{"name", "message", "arguments", "context",
  "debug"}``; JSON-RPC answers 200 with ``{"error": {"code": 200, "message": "Odoo Server Error", "data": …}}``;
  XML-RPC answers 200 ``text/xml`` with a ``<fault>`` coded as ``xmlrpc_handle_exception_int`` codes it (3
  ``AccessDenied``, 4 ``AccessError``, 2 other ``UserError``s with the bare message, 1 anything else with the
  traceback), and, like Odoo, never marshals ``None``. ``authenticate`` answers false for a wrong login or key.
  Odoo has no rate limit of its own: the knobs play a proxy in front of it (429 + ``Retry-After``).
- The automation rule of the connector's webhook scheme: every partner created or written by someone other than the
  integration user posts ``{"_action", "_id", "_model", "write_date"}`` (``json.dumps(sort_keys=True)`` as Odoo
  does) with Basic auth taken from the URL's user info, as ``requests`` sends it.
"""

import base64
import hmac
import itertools
import json
import xmlrpc.client
from datetime import date, timedelta
from urllib.parse import unquote, urlsplit
from xml.parsers.expat import ExpatError

from ...simulator import Knobs, Reply, Request, Simulator

PARTNER_FIELDS = {
    "name": "char", "display_name": "computed", "is_company": "bool", "parent_id": "m2o:res.partner",
    "commercial_partner_id": "computed", "child_ids": "computed", "type": "char", "ref": "char", "vat": "char",
    "email": "char", "phone": "char", "website": "char", "function": "char", "street": "char", "street2": "char",
    "city": "char", "zip": "char", "country_id": "m2o:res.country", "country_code": "computed",
    "category_id": "m2m:res.partner.category", "active": "bool", "customer_rank": "int", "supplier_rank": "int",
    "credit_limit": "float", "use_partner_credit_limit": "bool", "credit": "computed",
    "currency_id": "m2o:res.currency", "property_payment_term_id": "m2o:account.payment.term", "comment": "char",
    "lang": "char",
}  # fmt: skip
MOVE_FIELDS = {
    "name": "char", "move_type": "char", "state": "char", "partner_id": "m2o:res.partner",
    "commercial_partner_id": "m2o:res.partner", "invoice_date": "char", "invoice_date_due": "char",
    "amount_total": "float", "amount_residual": "float", "amount_residual_signed": "float",
    "currency_id": "m2o:res.currency", "payment_state": "char",
}  # fmt: skip
LOG = {"create_date": "stamp", "write_date": "stamp", "create_uid": "m2o:res.users", "write_uid": "m2o:res.users"}
FIELDS: dict[str, dict[str, str]] = {
    "res.partner": PARTNER_FIELDS,
    "res.partner.category": {"name": "char", "color": "int", "active": "bool"},
    "res.country": {"name": "char", "code": "char"},
    "res.currency": {"name": "char", "symbol": "char"},
    "account.payment.term": {"name": "char"},
    "account.move": MOVE_FIELDS,
    "res.users": {"name": "char", "login": "char"},
}
DEFAULTS = {
    "res.partner": {
        "active": True, "is_company": False, "type": "contact", "customer_rank": 0, "supplier_rank": 0,
        "credit_limit": 0.0, "use_partner_credit_limit": False, "category_id": [], "lang": "en_US",
    },
    "res.partner.category": {"active": True, "color": 0},
}  # fmt: skip

COUNTRIES = {
    "DE": (57, "Germany"), "GB": (233, "United Kingdom"), "US": (235, "United States"), "NL": (166, "Netherlands"),
    "CH": (43, "Switzerland"), "FR": (75, "France"), "AT": (13, "Austria"),
}  # fmt: skip
CURRENCIES = {"EUR": (1, "€"), "USD": (2, "$"), "GBP": (3, "£"), "CHF": (4, "CHF")}
CURRENCY_OF = {"DE": "EUR", "NL": "EUR", "AT": "EUR", "FR": "EUR", "GB": "GBP", "US": "USD", "CH": "CHF"}
TERMS = ["Immediate Payment", "15 Days", "21 Days", "30 Days", "45 Days", "End of Following Month"]
TAGS = ["Credit Hold", "Credit Blocked", "VIP"]
ROLES = ["Accounts Payable", "Purchasing Manager", "CFO", "Office Manager"]
BOT, FINANCE = 2, 6  # the integration user (whose API key the hub holds) and a finance user working in Odoo
SIGNATURES = {  # positional parameters of the ORM methods, for JSON-RPC's execute_kw ``args``
    "search_read": ("domain", "fields", "offset", "limit", "order"),
    "search": ("domain", "offset", "limit", "order"),
    "search_count": ("domain", "limit"),
    "create": ("vals_list",),
    "read": ("fields",),
    "write": ("vals",),
    "unlink": (),
}
ON_RECORDS = {"read", "write", "unlink"}  # methods whose first positional argument is the record IDs
STATUS_NAMES = {
    400: "werkzeug.exceptions.BadRequest",
    401: "werkzeug.exceptions.Unauthorized",
    403: "odoo.exceptions.AccessError",
    404: "werkzeug.exceptions.NotFound",
    422: "odoo.exceptions.ValidationError",
    429: "werkzeug.exceptions.TooManyRequests",
    500: "werkzeug.exceptions.InternalServerError",
    502: "werkzeug.exceptions.BadGateway",
    503: "werkzeug.exceptions.ServiceUnavailable",
}
# XML-RPC fault codes of Odoo's exceptions (RPC_FAULT_CODE_* in odoo/addons/base/controllers/rpc.py); what is not
# listed is an application error (1), sent with its traceback.
FAULT_CODES = {
    "odoo.exceptions.AccessDenied": 3,
    "odoo.exceptions.AccessError": 4,
    "odoo.exceptions.UserError": 2,
    "odoo.exceptions.ValidationError": 2,
    "odoo.exceptions.MissingError": 2,
    "odoo.exceptions.RedirectWarning": 2,
}


class Fault(Exception):
    """An exception Odoo raises inside a call: its qualified name, message, and the status JSON-2 answers with."""

    def __init__(self, name: str, message: str, status: int) -> None:
        super().__init__(message)
        self.name, self.message, self.status = name, message, status

    def data(self) -> dict:
        return {
            "name": self.name,
            "message": self.message,
            "arguments": [self.message],
            "context": {},
            "debug": f"Traceback (most recent call last):\n  (simulated)\n{self.name}: {self.message}\n",
        }

    def fault(self) -> xmlrpc.client.Fault:
        """The ``<fault>`` of ``/xmlrpc/2``: Odoo's exceptions by code and message, others by their traceback."""
        if self.name in FAULT_CODES:
            return xmlrpc.client.Fault(FAULT_CODES[self.name], self.message)
        name = self.name.removeprefix("builtins.")  # as traceback.format_exception names them
        return xmlrpc.client.Fault(1, f"Traceback (most recent call last):\n  (simulated)\n{name}: {self.message}\n")


def _invalid(message: str) -> Fault:
    return Fault("builtins.ValueError", message, 500)


class PlatformSimulator(Simulator):
    name = "odoo"
    api_prefix = ""

    def __init__(
        self,
        port: int = 0,
        knobs: Knobs | None = None,
        host: str = "127.0.0.1",
        *,
        database: str = "mdmhub",
        login: str = "mdm-integration",
        api_key: str = "6f646f6f2d6d646d6875622d6b6579",
        webhook_username: str = "odoo",
        webhook_password: str = "odoo-webhook-secret",
        custom_fields: dict[str, dict[str, str]] | None = None,
        version: str = "19.0",
    ) -> None:
        self.database, self.login, self.api_key, self.version = database, login, api_key, version
        self.webhook_username, self.webhook_password = webhook_username, webhook_password
        self.fields = {model: dict(fields) for model, fields in FIELDS.items()}
        for model, extra in (custom_fields or {}).items():
            self.fields[model].update(extra)
        for fields in self.fields.values():
            fields.update(LOG)
        self.models: dict[str, dict[int, dict]] = {model: {} for model in self.fields}
        self.sequences = {model: itertools.count(1) for model in self.fields}
        self.sequences["res.partner"] = itertools.count(10)  # 1 to 9 belong to the company and the users
        self.invoice_numbers = itertools.count(1)
        self.automation = ("Notify mdmhub", 12)  # the automation rule's server action: name and ID
        super().__init__(port, knobs, host)
        self._base_data()

    def credentials(self) -> dict:
        return {
            "api_key": self.api_key,
            "database": self.database,
            "login": self.login,
            "webhook_username": self.webhook_username,
            "webhook_password": self.webhook_password,
        }

    # --- clock -----------------------------------------------------------------------------------------------------
    def today(self) -> date:
        return self.now_dt().date()

    # --- protocol --------------------------------------------------------------------------------------------------
    def setup_routes(self) -> None:
        self.route("POST", r"/json/2/(?P<model>[\w.]+)/(?P<method>\w+)", self.json2)
        self.route("POST", r"/jsonrpc", self.jsonrpc)
        self.route("POST", r"/xmlrpc/2/(?P<service>\w+)", self.xmlrpc)
        self.route("GET", r"/web/version", self.web_version)

    def authorized(self, request: Request) -> bool:
        if not request.path.startswith("/json/2/"):
            return True  # JSON-RPC authenticates inside the body; /web/version is public
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(key.strip().encode(), self.api_key.encode())

    def error(self, status: int, message: str, **extra: object) -> Reply:
        if status == 401:
            message = "Invalid apikey"
        name = str(extra.get("name") or STATUS_NAMES.get(status, "werkzeug.exceptions.HTTPException"))
        fault = Fault(name, message, status)
        body = fault.data()
        if name.startswith("werkzeug."):
            body["arguments"] = [message, status]
        return Reply(status, body)

    def sign(self, body: bytes, target: dict) -> dict[str, str]:
        """Odoo sends no signature; ``requests`` turns the URL's user info into Basic auth."""
        parts = urlsplit(str(target.get("url", "")))
        if parts.password is not None:
            return {"Authorization": basic_auth(unquote(parts.username or ""), unquote(parts.password))}
        if target.get("secret"):
            return {"Authorization": basic_auth(str(target.get("username", self.webhook_username)), target["secret"])}
        return {}

    def signed(self, payload: dict, secret: str = "", **target: object) -> tuple[bytes, dict[str, str]]:
        body = json.dumps(payload, sort_keys=True, default=str).encode()
        return body, {"Content-Type": "application/json", **self.sign(body, {"secret": secret, **target})}

    def json2(self, request: Request) -> Reply:
        given = request.headers.get("x-odoo-database")
        if given is not None and given != self.database:
            return self.error(404, f"database {given!r} not found")
        params = request.json() if request.body else {}
        if not isinstance(params, dict):
            return self.error(400, "could not parse the body as json: expected an object")
        model, method = request.params["model"], request.params["method"]
        try:
            with self.lock:
                return Reply(200, self.call(model, method, params))
        except Fault as fault:
            return self.error(fault.status, fault.message, name=fault.name)

    def jsonrpc(self, request: Request) -> Reply:
        message = request.json()
        if not isinstance(message, dict):
            return Reply(400, {"jsonrpc": "2.0", "id": None, "error": {"code": 400, "message": "Invalid JSON data"}})
        number, params = message.get("id"), message.get("params") or {}
        try:
            with self.lock:
                result = self._service(params.get("service"), params.get("method"), list(params.get("args") or []))
        except Fault as fault:
            error = {"code": 200, "message": "Odoo Server Error", "data": fault.data()}
            return Reply(200, {"jsonrpc": "2.0", "id": number, "error": error})
        return Reply(200, {"jsonrpc": "2.0", "id": number, "result": result})

    def xmlrpc(self, request: Request) -> Reply:
        try:
            try:
                args, method = xmlrpc.client.loads(request.body)
            except (ExpatError, xmlrpc.client.ResponseError, ValueError) as exc:
                raise Fault("xml.parsers.expat.ExpatError", f"not an XML-RPC methodCall: {exc}", 500) from None
            with self.lock:
                result = self._service(request.params["service"], method, list(args))
            try:
                answer = xmlrpc.client.dumps((result,), methodresponse=True, allow_none=False)
            except TypeError as exc:  # Odoo's marshaller refuses None
                raise Fault("builtins.TypeError", str(exc), 500) from None
        except Fault as fault:
            answer = xmlrpc.client.dumps(fault.fault(), methodresponse=True, allow_none=False)
        return Reply(200, answer.encode(), {"Content-Type": "text/xml; charset=utf-8"})

    def web_version(self, request: Request) -> Reply:
        major, minor = (int(p) for p in self.version.split("."))
        return Reply(200, {"version_info": [major, minor, 0, "final", 0, ""], "version": self.version})

    def _service(self, service: object, method: object, args: list) -> object:
        if service == "common" and method == "version":
            major, minor = (int(p) for p in self.version.split("."))
            info = [major, minor, 0, "final", 0, ""]
            return {
                "server_version": self.version,
                "server_version_info": info,
                "serie": self.version,
                "protocol_version": 1,
            }
        if service == "common" and method in ("authenticate", "login"):
            database, login, key = [*args, None, None, None][:3]
            if database != self.database:
                raise Fault("psycopg2.OperationalError", f'database "{database}" does not exist', 500)
            return BOT if (login, key) == (self.login, self.api_key) else False
        if service == "object" and method == "execute_kw":
            database, uid, key, model, name, positional, keywords = [*args, *[None] * 7][:7]
            if (database, uid, key) != (self.database, BOT, self.api_key):
                raise Fault("odoo.exceptions.AccessDenied", "Access Denied", 403)
            return self.call(str(model), str(name), _named(str(name), positional or [], dict(keywords or {})))
        raise Fault("werkzeug.exceptions.NotFound", f"no such service or method: {service}.{method}", 404)

    # --- the ORM ---------------------------------------------------------------------------------------------------
    def call(self, model: str, method: str, params: dict) -> object:
        if model not in self.models:
            raise Fault("werkzeug.exceptions.NotFound", f"The model {model!r} does not exist.", 404)
        if method not in SIGNATURES:
            raise Fault("werkzeug.exceptions.NotFound", f"The method {method!r} does not exist on {model!r}.", 404)
        params = dict(params)
        ids, context = params.pop("ids", None), params.pop("context", None) or {}
        allowed = set(SIGNATURES[method])
        if unexpected := set(params) - allowed:
            raise Fault("builtins.TypeError", f"{method}() got unexpected arguments {sorted(unexpected)}", 500)
        if method in ON_RECORDS:
            records = self._browse(model, ids or [])
            if method == "read":
                return [self.render(model, r, params.get("fields")) for r in records]
            if method == "write":
                for record in records:
                    self.update(model, record["id"], params.get("vals") or {}, user=BOT)
                return True
            for record in records:
                self.models[model].pop(record["id"])
            return True
        if method == "create":
            vals_list = params.get("vals_list")
            if isinstance(vals_list, dict):
                return self.insert(model, vals_list, user=BOT)["id"]
            return [self.insert(model, vals, user=BOT)["id"] for vals in vals_list or []]
        found = self.search(model, params.get("domain") or [], params.get("order"), context)
        if method == "search_count":
            return len(found)
        offset, limit = int(params.get("offset") or 0), params.get("limit")
        found = found[offset : offset + int(limit)] if limit else found[offset:]
        if method == "search":
            return [r["id"] for r in found]
        return [self.render(model, r, params.get("fields")) for r in found]

    def _browse(self, model: str, ids: list) -> list[dict]:
        missing = [i for i in ids if i not in self.models[model]]
        if missing:
            raise Fault(
                "odoo.exceptions.MissingError",
                f"Record does not exist or has been deleted.\n(Record: {model}({missing[0]},), User: {BOT})",
                404,
            )
        return [self.models[model][i] for i in ids]

    def search(self, model: str, domain: list, order: str | None, context: dict) -> list[dict]:
        rows = list(self.models[model].values())
        if context.get("active_test", True) and "active" in self.fields[model]:
            rows = [r for r in rows if r.get("active", True)]
        rows = [r for r in rows if self._matches(model, r, domain)]
        keys = [part.split() for part in (order or "id").split(",") if part.strip()]
        for key in reversed(keys):
            field, descending = key[0], len(key) > 1 and key[1].lower() == "desc"
            self._field(model, field)
            rows.sort(key=lambda r, f=field: _sortable(self.value(model, r, f)), reverse=descending)
        return rows

    def _field(self, model: str, name: str) -> str:
        if name == "id":
            return "int"
        if name not in self.fields[model]:
            raise _invalid(f"Invalid field {name!r} on model {model!r}")
        return self.fields[model][name]

    def value(self, model: str, record: dict, name: str) -> object:
        """A field's value as domains and ordering see it: many-to-ones as IDs, empties as None."""
        kind = self._field(model, name)
        if kind != "computed":
            return record.get(name)
        if name == "display_name":
            return self._display(model, record)
        if name == "commercial_partner_id":
            return self._commercial(record)["id"]
        if name == "child_ids":
            return [r["id"] for r in self.models["res.partner"].values() if r.get("parent_id") == record["id"]]
        if name == "country_code":
            country = self.models["res.country"].get(record.get("country_id"))
            return country["code"] if country else None
        if name == "credit":
            return round(sum(m["amount_residual_signed"] for m in self._open_invoices(record["id"])), 2)
        raise _invalid(f"no computation for {name}")

    def _matches(self, model: str, record: dict, domain: list) -> bool:
        terms = list(domain)
        results = []
        while terms:
            result, terms = self._term(model, record, terms)
            results.append(result)
        return all(results)

    def _term(self, model: str, record: dict, terms: list) -> tuple[bool, list]:
        head, rest = terms[0], terms[1:]
        if head in ("&", "|"):
            left, rest = self._term(model, record, rest)
            right, rest = self._term(model, record, rest)
            return (left and right) if head == "&" else (left or right), rest
        if head == "!":
            inner, rest = self._term(model, record, rest)
            return not inner, rest
        if not isinstance(head, list | tuple) or len(head) != 3:
            raise _invalid(f"Invalid leaf {head!r}")
        path, operator, expected = head
        return _holds(self._path(model, record, str(path)), str(operator), expected), rest

    def _path(self, model: str, record: dict | None, path: str) -> object:
        name, _, rest = path.partition(".")
        if record is None:
            return None
        value = self.value(model, record, name)
        if not rest:
            return value
        kind = self._field(model, name)
        if not kind.startswith("m2o:"):
            raise _invalid(f"Invalid path {path!r}: {name} is not a many-to-one")
        target = kind.removeprefix("m2o:")
        return self._path(target, self.models[target].get(value), rest)

    def render(self, model: str, record: dict, fields: list[str] | None = None) -> dict:
        """A record as ``read`` answers it."""
        names = ["id", *(n for n in fields if n != "id")] if fields else ["id", *self.fields[model]]
        out: dict = {}
        for name in names:
            kind, value = self._field(model, name), self.value(model, record, name)
            if kind.startswith("m2o:"):
                target = self.models[kind.removeprefix("m2o:")].get(value)
                out[name] = [value, self._display(kind.removeprefix("m2o:"), target)] if target else False
            elif name == "commercial_partner_id":
                out[name] = [value, self._display("res.partner", self.models["res.partner"][value])]
            elif kind.startswith("m2m:") or name == "child_ids":
                out[name] = list(value or [])
            elif kind in ("bool", "int", "float"):
                out[name] = value if value is not None else (False if kind == "bool" else 0)
            else:
                out[name] = value if value not in (None, "") else False
        return out

    def _display(self, model: str, record: dict) -> str:
        name = record.get("name") or ""
        if model == "res.partner" and record.get("parent_id") and record.get("type") == "contact":
            parent = self.models["res.partner"].get(record["parent_id"])
            return f"{parent.get('name')}, {name}" if parent else name
        return name

    def _commercial(self, partner: dict) -> dict:
        while partner.get("parent_id") and not partner.get("is_company"):
            partner = self.models["res.partner"][partner["parent_id"]]
        return partner

    def _open_invoices(self, partner_id: int) -> list[dict]:
        return [
            m
            for m in self.models["account.move"].values()
            if m["commercial_partner_id"] == partner_id
            and m["move_type"] == "out_invoice"
            and m["state"] == "posted"
            and m["payment_state"] in ("not_paid", "partial")
        ]

    # --- writes, as the ORM and as people working in Odoo make them -------------------------------------------------
    def insert(self, model: str, vals: dict, *, user: int = FINANCE, notify: bool = True) -> dict:
        with self.lock:
            stamp = self._stamp()
            record = {"id": next(self.sequences[model]), **DEFAULTS.get(model, {})}
            record.update(create_date=stamp, write_date=stamp, create_uid=user, write_uid=user)
            if "category_id" in record:
                record["category_id"] = list(record["category_id"])  # not the defaults' list
            self._assign(model, record, vals)
            self._check(model, record)
            self.models[model][record["id"]] = record
            self._notify(model, record, user, notify)
            return record

    def update(self, model: str, record_id: int, vals: dict, *, user: int = FINANCE, notify: bool = True) -> dict:
        with self.lock:
            record = self._browse(model, [record_id])[0]
            changed = dict(record)
            self._assign(model, changed, vals)
            self._check(model, changed)
            record.update(changed, write_date=self._stamp(), write_uid=user)
            self._notify(model, record, user, notify)
            return record

    def _assign(self, model: str, record: dict, vals: dict) -> None:
        for name, value in vals.items():
            kind = self._field(model, name)
            if kind in ("computed", "stamp") or name == "id" or name in LOG:
                continue  # Odoo ignores writes to computed and log fields
            if kind.startswith("m2o:"):
                target = kind.removeprefix("m2o:")
                if value and value not in self.models[target]:
                    raise Fault("odoo.exceptions.ValidationError", f"{target}({value},) does not exist", 422)
                record[name] = value or None
            elif kind.startswith("m2m:"):
                record[name] = _commands(record.get(name) or [], value)
            elif kind == "char":
                record[name] = value if value not in (False, "") else None
            else:
                record[name] = value
        if model == "res.partner" and "use_partner_credit_limit" in vals and not vals["use_partner_credit_limit"]:
            record["credit_limit"] = 0.0  # back to the company's default

    def _check(self, model: str, record: dict) -> None:
        if model == "res.partner" and record.get("type") == "contact" and not record.get("name"):
            raise Fault(
                "odoo.exceptions.ValidationError", "The operation cannot be completed: Contacts require a name", 422
            )

    def _stamp(self) -> str:
        return self.now_dt().strftime("%Y-%m-%d %H:%M:%S")

    def _notify(self, model: str, record: dict, user: int, notify: bool) -> None:
        """The automation rule: on create and edit of a partner, except by the integration user."""
        if not notify or model != "res.partner" or user == BOT:
            return
        name, action_id = self.automation
        event = {"_action": f"{name}(#{action_id})", "_id": record["id"], "_model": model}
        self.emit({**event, "write_date": record["write_date"]})

    # --- sample data and helpers tests call -------------------------------------------------------------------------
    def _base_data(self) -> None:
        for code, (number, name) in COUNTRIES.items():
            self.models["res.country"][number] = {"id": number, "name": name, "code": code}
        for code, (number, symbol) in CURRENCIES.items():
            self.models["res.currency"][number] = {"id": number, "name": code, "symbol": symbol}
        for name in TERMS:
            self.insert("account.payment.term", {"name": name}, notify=False)
        for name in TAGS:
            self.insert("res.partner.category", {"name": name}, notify=False)
        for number, name, login in ((BOT, "MDM Integration", self.login), (FINANCE, "Fiona Finance", "fiona")):
            self.models["res.users"][number] = {"id": number, "name": name, "login": login}
        company = {"name": "Hub Demo Company", "is_company": True, "currency_id": CURRENCIES["EUR"][0]}
        self.models["res.partner"][1] = {**DEFAULTS["res.partner"], **company, "id": 1, "category_id": []}

    def tag_id(self, name: str) -> int:
        return next(r["id"] for r in self.models["res.partner.category"].values() if r["name"] == name)

    def seed(self, companies: list[dict]) -> None:
        for company in companies:
            n = int(company["key"].removeprefix("C"))
            country = company["address"]["country"]
            partner = self.insert(
                "res.partner",
                {
                    "name": company["name"],
                    "is_company": True,
                    "customer_rank": 1,
                    "vat": company["tax_id"],
                    "phone": company["phone"],
                    "website": company["domain"],
                    "street": company["address"]["line1"],
                    "city": company["address"]["city"],
                    "zip": company["address"]["postal_code"],
                    "country_id": COUNTRIES[country][0],
                    "currency_id": CURRENCIES[CURRENCY_OF[country]][0],
                    "credit_limit": float(10000 + 2500 * (n % 8)),
                    "use_partner_credit_limit": True,
                    "property_payment_term_id": self._term_id(TERMS[n % len(TERMS)]),
                    "category_id": [self.tag_id("Credit Hold")] if n % 9 == 4 else [],
                    "comment": f"<p>Sample customer {company['key']}</p>",
                },
                notify=False,
            )
            for index, contact in enumerate(company["contacts"]):
                fields = {
                    "name": f"{contact['first_name']} {contact['last_name']}",
                    "email": contact["email"],
                    "phone": contact["phone"],
                    "function": ROLES[(n + index) % len(ROLES)],
                }
                self.insert("res.partner", {**fields, "parent_id": partner["id"], "type": "contact"}, notify=False)
            for k in range(1 + n % 3):
                due_in = (-40, -10, 20)[(n + k) % 3]
                state = "partial" if (n + k) % 5 == 0 else ("paid" if k == 0 and n % 4 == 0 else "not_paid")
                self.add_invoice(partner["id"], 1000.0 + 250 * ((n + k) % 7), due_in, state)

    def _term_id(self, name: str) -> int:
        return next(r["id"] for r in self.models["account.payment.term"].values() if r["name"] == name)

    def add_invoice(self, partner_id: int, amount: float, due_in_days: int, payment_state: str = "not_paid") -> dict:
        """A posted customer invoice due ``due_in_days`` from today (negative: overdue)."""
        partner = self.models["res.partner"][partner_id]
        residual = {"paid": 0.0, "partial": round(amount / 2, 2)}.get(payment_state, amount)
        due = self.today() + timedelta(days=due_in_days)
        return self.insert(
            "account.move",
            {
                "name": f"INV/{due.year}/{next(self.invoice_numbers):05d}",
                "move_type": "out_invoice",
                "state": "posted",
                "partner_id": partner_id,
                "commercial_partner_id": self._commercial(partner)["id"],
                "invoice_date": (due - timedelta(days=30)).isoformat(),
                "invoice_date_due": due.isoformat(),
                "amount_total": amount,
                "amount_residual": residual,
                "amount_residual_signed": residual,
                "currency_id": partner.get("currency_id") or CURRENCIES["EUR"][0],
                "payment_state": payment_state,
            },
            notify=False,
        )

    @property
    def partners(self) -> dict[int, dict]:
        return self.models["res.partner"]

    @property
    def customers(self) -> dict[int, dict]:
        return {i: p for i, p in self.partners.items() if not p.get("parent_id") and p.get("customer_rank", 0) > 0}

    @property
    def contacts(self) -> dict[int, dict]:
        return {i: p for i, p in self.partners.items() if p.get("parent_id") and p.get("type") == "contact"}

    def get_customer(self, local_id: int | str) -> dict:
        """The partner as the API reads it (every field)."""
        with self.lock:
            return self.render("res.partner", self._browse("res.partner", [int(local_id)])[0])

    def set_credit_hold(self, local_id: int | str, held: bool) -> dict:
        """A finance user tags the customer "Credit Hold" (or removes the tag); the automation rule fires."""
        tag = self.tag_id("Credit Hold")
        command = [4, tag] if held else [3, tag]
        return self.update("res.partner", int(local_id), {"category_id": [command]}, user=FINANCE)


def basic_auth(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _named(method: str, positional: list, keywords: dict) -> dict:
    """execute_kw's ``args`` and ``kw`` as the keyword arguments JSON-2 takes."""
    params = dict(keywords)
    if method in ON_RECORDS:
        if not positional:
            raise Fault("builtins.TypeError", f"{method}() is called on records: pass their IDs first", 500)
        params["ids"], positional = positional[0], positional[1:]
    names = SIGNATURES.get(method, ())
    if len(positional) > len(names):
        raise Fault("builtins.TypeError", f"{method}() takes at most {len(names)} positional arguments", 500)
    params.update(zip(names, positional, strict=False))
    return params


def _commands(current: list[int], value: object) -> list[int]:
    """Odoo's x2many write commands (6 set, 4 link, 3 unlink, 5 clear), or a plain list of IDs (set)."""
    ids = list(current)
    if value in (None, False):
        return []
    if not isinstance(value, list):
        raise _invalid(f"Wrong value for a many2many field: {value!r}")
    if all(isinstance(v, int) for v in value):
        return list(value)
    for command in value:
        code = command[0] if isinstance(command, list | tuple) and command else None
        if code == 6:
            ids = list(command[2])
        elif code == 4 and command[1] not in ids:
            ids.append(command[1])
        elif code == 3:
            ids = [i for i in ids if i != command[1]]
        elif code == 5:
            ids = []
        elif code != 4:
            raise _invalid(f"Unsupported x2many command {command!r}")
    return ids


def _sortable(value: object) -> tuple:
    return (value is not None, value if value is not None else 0)


def _holds(actual: object, operator: str, expected: object) -> bool:
    if operator in ("=", "!="):
        if isinstance(actual, list):  # a many2many: "contains"
            equal = (not actual) if expected is False else expected in actual
        elif expected is False:
            equal = actual is None or actual is False or actual == ""
        else:
            equal = actual == expected
        return equal if operator == "=" else not equal
    if operator in ("in", "not in"):
        values = list(expected) if isinstance(expected, list | tuple) else [expected]
        found = bool(set(actual) & set(values)) if isinstance(actual, list) else actual in values
        return found if operator == "in" else not found
    if operator in ("like", "ilike"):
        pattern = str(expected).replace("%", "")
        text = str(actual or "")
        return pattern.lower() in text.lower() if operator == "ilike" else pattern in text
    if operator in (">", ">=", "<", "<="):
        if actual is None or actual is False:
            return False
        return {">": actual > expected, ">=": actual >= expected, "<": actual < expected, "<=": actual <= expected}[
            operator
        ]
    raise _invalid(f"Invalid domain operator {operator!r}")
