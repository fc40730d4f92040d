"""An ERPNext (Frappe) REST API stand-in: the documented subset the connector uses.

- ``GET /api/resource/{DocType}`` (``fields`` JSON, ``["*"]`` for every top-level field; ``filters`` as
  ``[[field, op, value]]``, ``[[child DocType, field, op, value]]`` or ``{field: value}``; ``order_by``;
  ``limit_start``; ``limit_page_length`` or ``limit``, default 20, 0 for all) answering ``{"data": [...]}``. A field
  the DocType lacks, in ``fields`` or ``filters``, is refused with 417 ``DataError`` "Field not permitted in query".
- ``GET|PUT|DELETE /api/resource/{DocType}/{name}`` and ``POST /api/resource/{DocType}``, answering
  ``{"data": doc}`` (DELETE: 202). A PUT loads the document, applies the fields sent (a child table sent replaces
  the table) and saves it; every save sets ``modified`` (``YYYY-MM-DD HH:MM:SS.ffffff``, UTC, from the simulator's
  clock). Names: a Customer is named after ``customer_name`` (`` - 1`` appended on a clash), a Contact
  ``First Last-Customer``, an Address ``Title-Type``.
- Validation as ERPNext does it on save: mandatory fields (417 ``MandatoryError``), Link targets (417
  ``LinkValidationError``), Select options (417 ``ValidationError``), unique fields (409 ``DuplicateEntryError``); a
  Contact's ``email_id``/``phone`` are recomputed from the primary rows of ``email_ids``/``phone_nos``. Fields a
  DocType lacks are ignored on write. Custom fields are configurable (default: ``mdm_golden_id``, unique, on
  Customer and Contact).
- ``Authorization: token key:secret`` (also Basic of the same pair, and an OAuth ``Bearer`` token); 401
  ``AuthenticationError`` otherwise. Errors are ``{"exc_type", "exception", "_server_messages"}``.
- The site's ``rate_limit``: every answer carries ``X-RateLimit-Limit``/``-Remaining`` (microseconds of request
  time; the simulator charges one second per request) and ``-Reset`` (seconds); over budget a plain-text 429
  "Too Many Requests" with ``Retry-After``.
- Webhook DocTypes on Customer, Contact and Address (after_insert, on_update, on_trash) with the connector's
  documented Jinja body ``{"doctype", "name", "modified", "event"}`` and ``X-Frappe-Webhook-Signature`` =
  base64(HMAC-SHA256(secret, body)); their condition skips the integration user's own writes.
- Sales Invoices (submitted, with ``outstanding_amount``, ``due_date`` and the status ERPNext derives from them).
"""

import base64
import copy
import hashlib
import hmac
import itertools
import json
import uuid
from datetime import timedelta
from urllib.parse import unquote

from ...simulator import Knobs, Reply, Request, Simulator

STANDARD = ("name", "owner", "creation", "modified", "modified_by", "docstatus", "idx")
PROTECTED = set(STANDARD)  # set by ERPNext itself, whatever a request says
FIELDS = {
    "Customer": (
        "customer_name", "customer_type", "customer_group", "territory", "tax_id", "website", "default_currency",
        "payment_terms", "disabled", "is_frozen", "customer_primary_address", "primary_address",
        "customer_primary_contact", "email_id", "mobile_no", "customer_details",
    ),
    "Contact": (
        "first_name", "middle_name", "last_name", "full_name", "email_id", "phone", "mobile_no", "designation",
        "status", "is_primary_contact",
    ),
    "Address": (
        "address_title", "address_type", "address_line1", "address_line2", "city", "state", "pincode", "country",
        "email_id", "phone", "is_primary_address", "disabled",
    ),
    "Sales Invoice": (
        "customer", "company", "posting_date", "due_date", "currency", "party_account_currency", "grand_total",
        "outstanding_amount", "status", "is_return",
    ),
    "Country": ("country_name", "code"),
}  # fmt: skip
TABLES = {
    "Customer": {"credit_limits": ("Customer Credit Limit", ("company", "credit_limit", "bypass_credit_limit_check"))},
    "Contact": {
        "links": ("Dynamic Link", ("link_doctype", "link_name", "link_title")),
        "email_ids": ("Contact Email", ("email_id", "is_primary")),
        "phone_nos": ("Contact Phone", ("phone", "is_primary_phone", "is_primary_mobile_no")),
    },
    "Address": {"links": ("Dynamic Link", ("link_doctype", "link_name", "link_title"))},
}
MANDATORY = {
    "Customer": ("customer_name", "customer_type", "customer_group", "territory"),
    "Contact": ("first_name",),
    "Address": ("address_title", "address_type", "address_line1", "city", "country"),
}
SELECT = {
    "Customer": {"customer_type": ("Company", "Individual", "Partnership")},
    "Address": {"address_type": ("Billing", "Shipping", "Office", "Personal", "Plant", "Postal", "Shop", "Other")},
}
LINKS = {
    "Customer": {
        "customer_group": "Customer Group", "territory": "Territory", "default_currency": "Currency",
        "payment_terms": "Payment Terms Template", "customer_primary_address": "Address",
    },
    "Address": {"country": "Country"},
    "Sales Invoice": {"customer": "Customer"},
}  # fmt: skip
CUSTOM = {"Customer": ("mdm_golden_id",), "Contact": ("mdm_golden_id",)}
COUNTRIES = {
    "Germany": "de", "United Kingdom": "gb", "United States": "us", "Netherlands": "nl", "Switzerland": "ch",
    "France": "fr", "Austria": "at", "Belgium": "be", "Spain": "es", "Italy": "it",
}  # fmt: skip
CURRENCIES = {"DE": "EUR", "NL": "EUR", "FR": "EUR", "GB": "GBP", "US": "USD", "CH": "CHF"}
TERMS = ("Net 30", "Net 14", "Net 60")
COMPANY = "MDM Demo Ltd"
OPERATORS = ("=", "!=", ">", ">=", "<", "<=", "in", "not in", "like", "not like", "is")
EXC_TYPES = {
    401: "AuthenticationError",
    403: "PermissionError",
    404: "DoesNotExistError",
    409: "DuplicateEntryError",
    417: "ValidationError",
}


class Refused(Exception):
    """A request ERPNext refuses, with its status and exception type."""

    def __init__(self, status: int, exc_type: str, message: str) -> None:
        super().__init__(message)
        self.status, self.exc_type, self.message = status, exc_type, message


class PlatformSimulator(Simulator):
    name = "erpnext"
    api_prefix = "/api"

    def __init__(
        self,
        port: int = 0,
        knobs: Knobs | None = None,
        host: str = "127.0.0.1",
        *,
        api_key: str = "mdm-integration-key",
        api_secret: str = "erpnext-api-secret",
        oauth_token: str = "erpnext-oauth-token",
        webhook_secret: str = "erpnext-webhook-secret",
        custom_fields: dict[str, tuple[str, ...]] | None = None,
        mandatory: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.api_key, self.api_secret, self.oauth_token = api_key, api_secret, oauth_token
        self.webhook_secret = webhook_secret
        self.user = "mdm-integration@erp.example"  # the user the API key belongs to
        custom = CUSTOM if custom_fields is None else custom_fields
        self.fields = {dt: set(STANDARD) | set(cols) | set(custom.get(dt, ())) for dt, cols in FIELDS.items()}
        self.unique = {(dt, f) for dt, cols in custom.items() for f in cols if f.endswith("golden_id")}
        self.mandatory = {dt: MANDATORY.get(dt, ()) + (mandatory or {}).get(dt, ()) for dt in FIELDS}
        self.docs: dict[str, dict[str, dict]] = {doctype: {} for doctype in FIELDS}
        self.masters = {
            "Customer Group": {"All Customer Groups", "Commercial", "Individual"},
            "Territory": {"All Territories", *COUNTRIES},
            "Currency": {"EUR", "GBP", "USD", "CHF"},
            "Payment Terms Template": set(TERMS),
        }
        self.invoice_numbers = itertools.count(1)
        super().__init__(port, knobs, host)
        for country, code in COUNTRIES.items():
            self.docs["Country"][country] = self._new("Country", {"country_name": country, "code": code}, country)

    def credentials(self) -> dict:
        return {"api_key": self.api_key, "api_secret": self.api_secret, "webhook_secret": self.webhook_secret}

    # --- clock -----------------------------------------------------------------------------------------------------
    def stamp(self) -> str:
        return self.now_dt().strftime("%Y-%m-%d %H:%M:%S.%f")

    def today(self) -> str:
        return self.now_dt().date().isoformat()

    # --- protocol --------------------------------------------------------------------------------------------------
    def setup_routes(self) -> None:
        one = r"/resource/(?P<doctype>[^/]+)/(?P<name>.+?)/?"
        self.route("GET", r"/resource/(?P<doctype>[^/]+)/?", self.list_docs)
        self.route("POST", r"/resource/(?P<doctype>[^/]+)/?", self.create_doc)
        self.route("GET", one, self.read_doc)
        self.route("PUT", one, self.update_doc)
        self.route("DELETE", one, self.delete_doc)

    def authorized(self, request: Request) -> bool:
        given = request.headers.get("authorization", "").encode()
        pair = f"{self.api_key}:{self.api_secret}"
        accepted = (f"token {pair}", "Basic " + base64.b64encode(pair.encode()).decode(), f"Bearer {self.oauth_token}")
        return any(hmac.compare_digest(given, a.encode()) for a in accepted)

    def error(self, status: int, message: str, **extra: object) -> Reply:
        if status >= 500:  # the proxy in front of the workers answers these
            return Reply(status, f"<html><body><h1>{status}</h1>{message}</body></html>".encode(), _HTML)
        exc_type = str(extra.get("exc_type") or EXC_TYPES.get(status, "ValidationError"))
        if status == 401:
            message = "Invalid API key or secret"
        notice = json.dumps({"message": message, "title": "Message", "indicator": "red", "raise_exception": 1})
        body = {
            "exc_type": exc_type,
            "exception": f"frappe.exceptions.{exc_type}: {message}",
            "_server_messages": json.dumps([notice]),
        }
        return Reply(status, body)

    def rate_limited(self, retry_after: int) -> Reply:
        return Reply(429, b"Too Many Requests", {**_HTML, "Retry-After": str(retry_after)})

    def limit_headers(self, remaining: int, reset_in: int) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str((self.knobs.rate_limit or 0) * 1_000_000),
            "X-RateLimit-Remaining": str(remaining * 1_000_000),
            "X-RateLimit-Reset": str(reset_in),
        }

    def signed(self, payload: dict, secret: str, **target: object) -> tuple[bytes, dict[str, str]]:
        body = json.dumps(payload).encode()  # Frappe signs json.dumps(data) and sends the same text
        headers = {"Content-Type": "application/json"}
        if secret:  # "Enable Security" on the Webhook
            mac = hmac.new(secret.encode(), body, hashlib.sha256).digest()
            headers["X-Frappe-Webhook-Signature"] = base64.b64encode(mac).decode()
        return body, headers

    # --- sample data -----------------------------------------------------------------------------------------------
    def seed(self, companies: list[dict]) -> None:
        """Each company as a Customer with its primary Address, Contacts and three Sales Invoices, derived from its
        sample key: a credit limit, currency and payment terms; every third has overdue invoices; keys 4, 14, 24 …
        are frozen (credit hold)."""
        for company in companies:
            n = int(company["key"].lstrip("C"))
            country = company["address"]["country"]
            customer = self.insert(
                "Customer",
                {
                    "customer_name": company["name"],
                    "customer_type": "Company",
                    "customer_group": "Commercial",
                    "territory": _country_name(country),
                    "tax_id": company["tax_id"],
                    "website": company["domain"],
                    "default_currency": CURRENCIES.get(country, "EUR"),
                    "payment_terms": TERMS[n % len(TERMS)],
                    "is_frozen": 1 if n % 10 == 4 else 0,
                    "credit_limits": [{"company": COMPANY, "credit_limit": 5000.0 * (n % 6 + 1)}],
                },
                notify=False,
            )
            self._seed_address(customer, company)
            for contact in company["contacts"]:
                self.insert(
                    "Contact",
                    {
                        "first_name": contact["first_name"],
                        "last_name": contact["last_name"],
                        "email_ids": [{"email_id": contact["email"], "is_primary": 1}],
                        "phone_nos": [{"phone": contact["phone"], "is_primary_phone": 1}],
                        "links": [{"link_doctype": "Customer", "link_name": customer["name"]}],
                    },
                    notify=False,
                )
            self._seed_invoices(customer, n)

    def _seed_address(self, customer: dict, company: dict) -> None:
        address = company["address"]
        row = self.insert(
            "Address",
            {
                "address_title": customer["customer_name"],
                "address_type": "Billing",
                "address_line1": address["line1"],
                "city": address["city"],
                "pincode": address["postal_code"],
                "country": _country_name(address["country"]),
                "is_primary_address": 1,
                "links": [{"link_doctype": "Customer", "link_name": customer["name"]}],
            },
            notify=False,
        )
        self.update("Customer", customer["name"], {"customer_primary_address": row["name"]}, notify=False)

    def _seed_invoices(self, customer: dict, n: int) -> None:
        """Paid 40 days ago; open, due in 20 days; for every third customer one (or two) overdue."""
        plan = [(-40, 0.0), (20, 1.0)] + ([(-15, 1.0)] if n % 3 == 0 else []) + ([(-45, 0.5)] if n % 6 == 0 else [])
        for days, share in plan:
            total = float(1000 + 250 * (n % 7) + 100 * len(self.docs["Sales Invoice"]) % 900)
            due = (self.now_dt() + timedelta(days=days)).date()
            self.insert(
                "Sales Invoice",
                {
                    "customer": customer["name"],
                    "company": COMPANY,
                    "posting_date": (due - timedelta(days=30)).isoformat(),
                    "due_date": due.isoformat(),
                    "currency": customer["default_currency"],
                    "party_account_currency": customer["default_currency"],
                    "grand_total": total,
                    "outstanding_amount": round(total * share, 2),
                    "is_return": 0,
                    "docstatus": 1,
                },
                notify=False,
            )

    # --- what a user does in ERPNext (tests and the benchmark call these) ------------------------------------------
    def set_credit_hold(self, local_id: str, held: bool) -> dict:
        """Finance freezes (or unfreezes) the customer's accounts: a save, so ``modified`` moves and the on_update
        webhook fires."""
        return self.update("Customer", local_id, {"is_frozen": 1 if held else 0}, user="finance@erp.example")

    def get_customer(self, local_id: str) -> dict:
        with self.lock:
            return copy.deepcopy(self.docs["Customer"][local_id])

    @property
    def customers(self) -> dict[str, dict]:
        return self.docs["Customer"]

    @property
    def contacts(self) -> dict[str, dict]:
        return self.docs["Contact"]

    @property
    def addresses(self) -> dict[str, dict]:
        return self.docs["Address"]

    # --- documents -------------------------------------------------------------------------------------------------
    def insert(self, doctype: str, data: dict, *, user: str = "accounts@erp.example", notify: bool = True) -> dict:
        """Create a document as ERPNext does on insert (validation, naming, webhook)."""
        with self.lock:
            doc = self._new(doctype, {}, "")
            doc["owner"] = user
            self._apply(doctype, doc, data)
            self._validate(doctype, doc, None)
            doc["name"] = self._autoname(doctype, doc)
            for rows in (doc.get(table, []) for table in TABLES.get(doctype, {})):
                for row in rows:
                    row["parent"] = doc["name"]
            doc["modified_by"] = user
            self.docs[doctype][doc["name"]] = doc
            self._notify(doctype, doc, "after_insert", user, notify)
            return doc

    def update(
        self, doctype: str, name: str, data: dict, *, user: str = "accounts@erp.example", notify: bool = True
    ) -> dict:
        """Load, apply and save, as a REST PUT or a user's edit in the desk does."""
        with self.lock:
            current = self.docs[doctype].get(name)
            if current is None:
                raise Refused(404, "DoesNotExistError", f"{doctype} {name} not found")
            doc = copy.deepcopy(current)
            self._apply(doctype, doc, data)
            self._validate(doctype, doc, name)
            doc.update(modified=self.stamp(), modified_by=user)
            self.docs[doctype][name] = doc
            self._notify(doctype, doc, "on_update", user, notify)
            return doc

    def _new(self, doctype: str, data: dict, name: str) -> dict:
        now = self.stamp()
        doc = {field: None for field in self.fields[doctype]}
        doc.update(name=name, owner="Administrator", creation=now, modified=now, modified_by="Administrator")
        doc.update(docstatus=0, idx=0, doctype=doctype, **data)
        for table in TABLES.get(doctype, {}):
            doc[table] = []
        for check in ("disabled", "is_frozen", "is_primary_address", "is_primary_contact", "is_return"):
            if check in doc:
                doc[check] = 0
        return doc

    def _apply(self, doctype: str, doc: dict, data: dict) -> None:
        tables = TABLES.get(doctype, {})
        for field, value in data.items():
            submitted = field == "docstatus" and doctype == "Sales Invoice"  # sample invoices arrive submitted
            if field in tables:
                doc[field] = self._rows(doctype, doc, field, value)
            elif field in self.fields[doctype] and (field not in PROTECTED or submitted):
                doc[field] = value

    def _rows(self, doctype: str, doc: dict, field: str, rows: object) -> list[dict]:
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise Refused(417, "ValidationError", f"{field} must be a list of rows")
        child, columns = TABLES[doctype][field]
        kept = {r["name"]: r for r in doc.get(field, [])}
        out = []
        for idx, row in enumerate(rows, start=1):
            base = kept.get(row.get("name")) or {"name": uuid.uuid4().hex[:10], "doctype": child}
            base.update({c: row[c] for c in columns if c in row})
            base.update(parent=doc["name"], parentfield=field, parenttype=doctype, idx=idx, docstatus=0)
            for column in columns:
                base.setdefault(column, 0 if column.startswith(("is_", "bypass")) else None)
            out.append(base)
        return out

    def _validate(self, doctype: str, doc: dict, name: str | None) -> None:
        if doctype == "Contact":
            _primary(doc, "email_ids", "email_id", "is_primary", "email_id")
            _primary(doc, "phone_nos", "phone", "is_primary_phone", "phone")
            doc["full_name"] = " ".join(p for p in (doc.get("first_name"), doc.get("last_name")) if p)
        missing = [f for f in self.mandatory.get(doctype, ()) if doc.get(f) in (None, "")]
        if missing:
            names = ", ".join(f.replace("_", " ").title() for f in missing)
            raise Refused(417, "MandatoryError", f"[{doctype}, {name or 'New'}]: {names}")
        for field, options in SELECT.get(doctype, {}).items():
            if doc.get(field) not in (None, "") and doc[field] not in options:
                raise Refused(417, "ValidationError", f"{field} cannot be {doc[field]!r}: one of {', '.join(options)}")
        for field, target in LINKS.get(doctype, {}).items():
            if doc.get(field) and not self._exists(target, doc[field]):
                raise Refused(417, "LinkValidationError", f"Could not find {target}: {doc[field]}")
        for row in doc.get("links", []):
            if not self._exists(row.get("link_doctype"), row.get("link_name")):
                target = f"{row.get('link_doctype')}: {row.get('link_name')}"
                raise Refused(417, "LinkValidationError", f"Could not find {target}")
        for dt, field in self.unique:
            value = doc.get(field)
            if dt == doctype and value and any(d.get(field) == value and n != name for n, d in self.docs[dt].items()):
                raise Refused(409, "DuplicateEntryError", f"{field} {value} already exists in another {doctype}")

    def _exists(self, doctype: str | None, name: object) -> bool:
        if doctype in self.masters:
            return name in self.masters[doctype]
        return doctype in self.docs and name in self.docs[doctype]

    def _autoname(self, doctype: str, doc: dict) -> str:
        if doctype == "Customer":
            base, sep = doc["customer_name"].strip(), " - "
        elif doctype == "Contact":
            base, sep = doc["full_name"], "-"
            if doc["links"]:
                base = f"{base}-{doc['links'][0]['link_name']}"
        elif doctype == "Address":
            base, sep = f"{doc['address_title']}-{doc['address_type']}", "-"
        elif doctype == "Sales Invoice":
            return f"ACC-SINV-{self.now_dt().year}-{next(self.invoice_numbers):05d}"
        else:
            base, sep = doc.get("name") or uuid.uuid4().hex[:10], "-"
        name, count = base, 0
        while name in self.docs[doctype]:
            count += 1
            name = f"{base}{sep}{count}"
        return name

    def _notify(self, doctype: str, doc: dict, event: str, user: str, notify: bool) -> None:
        if not notify or user == self.user or doctype not in ("Customer", "Contact", "Address"):
            return
        self.emit({"doctype": doctype, "name": doc["name"], "modified": doc["modified"], "event": event})

    # --- REST handlers ---------------------------------------------------------------------------------------------
    def _doctype(self, request: Request) -> str:
        doctype = unquote(request.params["doctype"])
        if doctype not in self.docs:
            raise Refused(404, "DoesNotExistError", f"DocType {doctype} not found")
        return doctype

    def _answer(self, handler, request: Request) -> Reply:
        try:
            return handler(request)
        except Refused as refused:
            return self.error(refused.status, refused.message, exc_type=refused.exc_type)

    def list_docs(self, request: Request) -> Reply:
        return self._answer(self._list, request)

    def _list(self, request: Request) -> Reply:
        doctype = self._doctype(request)
        fields = _json(request.arg("fields"), ["name"])
        filters = _json(request.arg("filters"), [])
        start = int(request.arg("limit_start") or 0)
        length = int(request.arg("limit_page_length") or request.arg("limit") or 20)
        columns = sorted(self.fields[doctype]) if "*" in fields else fields
        for field in columns:
            if field not in self.fields[doctype]:
                raise Refused(417, "DataError", f"Field not permitted in query: {field}")
        with self.lock:
            rows = [self._view(doctype, d) for d in self.docs[doctype].values()]
            rows = [r for r in rows if all(self._holds(doctype, r, f) for f in _conditions(filters))]
            for field, descending in reversed(_order(request.arg("order_by") or "modified desc")):
                rows.sort(key=lambda r, f=field: _sortable(r.get(f)), reverse=descending)
            page = rows[start : start + length] if length else rows[start:]
            return Reply(200, {"data": [{c: r.get(c) for c in columns} for r in page]})

    def _view(self, doctype: str, doc: dict) -> dict:
        """The document as read: derived values (an invoice's status) computed now."""
        if doctype != "Sales Invoice":
            return doc
        view = dict(doc)
        if doc["docstatus"] == 2:
            view["status"] = "Cancelled"
        elif doc["docstatus"] == 0:
            view["status"] = "Draft"
        elif float(doc["outstanding_amount"] or 0) <= 0:
            view["status"] = "Paid"
        else:
            view["status"] = "Overdue" if doc["due_date"] < self.today() else "Unpaid"
        return view

    def _holds(self, doctype: str, row: dict, condition: list) -> bool:
        if len(condition) == 4:
            child, field, operator, value = condition
            if child != doctype:
                tables = [t for t, (dt, _) in TABLES.get(doctype, {}).items() if dt == child]
                if not tables:
                    raise Refused(417, "DataError", f"{child} is not a child table of {doctype}")
                return any(_compare(r.get(field), operator, value) for t in tables for r in row.get(t, []))
        else:
            field, operator, value = condition
        if field not in self.fields[doctype]:
            raise Refused(417, "DataError", f"Field not permitted in query: {field}")
        return _compare(row.get(field), operator, value)

    def read_doc(self, request: Request) -> Reply:
        def read(request: Request) -> Reply:
            doctype, name = self._doctype(request), unquote(request.params["name"])
            with self.lock:
                doc = self.docs[doctype].get(name)
                if doc is None:
                    raise Refused(404, "DoesNotExistError", f"{doctype} {name} not found")
                return Reply(200, {"data": copy.deepcopy(self._view(doctype, doc))})

        return self._answer(read, request)

    def create_doc(self, request: Request) -> Reply:
        def create(request: Request) -> Reply:
            doctype, data = self._doctype(request), request.json()
            if not isinstance(data, dict):
                raise Refused(417, "ValidationError", "the body must be a JSON object")
            data.pop("doctype", None)
            return Reply(200, {"data": copy.deepcopy(self.insert(doctype, data, user=self.user))})

        return self._answer(create, request)

    def update_doc(self, request: Request) -> Reply:
        def update(request: Request) -> Reply:
            doctype, name, data = self._doctype(request), unquote(request.params["name"]), request.json()
            if not isinstance(data, dict):
                raise Refused(417, "ValidationError", "the body must be a JSON object")
            data.pop("flags", None)
            return Reply(200, {"data": copy.deepcopy(self.update(doctype, name, data, user=self.user))})

        return self._answer(update, request)

    def delete_doc(self, request: Request) -> Reply:
        def delete(request: Request) -> Reply:
            doctype, name = self._doctype(request), unquote(request.params["name"])
            with self.lock:
                doc = self.docs[doctype].pop(name, None)
                if doc is None:
                    raise Refused(404, "DoesNotExistError", f"{doctype} {name} not found")
                self._notify(doctype, doc, "on_trash", self.user, True)
            return Reply(202, {"data": "ok"})

        return self._answer(delete, request)


_HTML = {"Content-Type": "text/html; charset=utf-8"}


def _country_name(code: str) -> str:
    return next((name for name, c in COUNTRIES.items() if c == code.lower()), code)


def _primary(doc: dict, table: str, column: str, flag: str, target: str) -> None:
    """ERPNext's Contact.validate: the field is the primary row's value ("" without rows); one row is primary."""
    rows = doc.get(table) or []
    if len(rows) == 1:
        rows[0][flag] = 1
    if len([r for r in rows if r.get(flag)]) > 1:
        raise Refused(417, "ValidationError", f"Only one {column} can be set as primary.")
    doc[target] = next((r[column] for r in rows if r.get(flag)), "")


def _json(text: str | None, default: object) -> object:
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        raise Refused(417, "ValidationError", f"not JSON: {text[:80]}") from None


def _conditions(filters: object) -> list[list]:
    if isinstance(filters, dict):
        return [[k, *(v if isinstance(v, list) else ["=", v])] for k, v in filters.items()]
    if not isinstance(filters, list) or not all(isinstance(f, list) and len(f) in (3, 4) for f in filters):
        raise Refused(417, "ValidationError", "filters must be [[field, operator, value], ...]")
    for condition in filters:
        if str(condition[-2]).lower() not in OPERATORS:
            raise Refused(417, "ValidationError", f"Operator must be one of {', '.join(OPERATORS)}")
    return filters


def _order(text: str) -> list[tuple[str, bool]]:
    order = []
    for part in text.split(","):
        field, _, direction = part.strip().replace("`", "").partition(" ")
        order.append((field.split(".")[-1], direction.strip().lower() == "desc"))
    return order


def _sortable(value: object) -> tuple:
    if isinstance(value, int | float):
        return (0, value, "")
    return (1, 0, "" if value is None else str(value))


def _compare(actual: object, operator: str, value: object) -> bool:
    operator = operator.lower()
    if operator == "is":
        return (actual not in (None, "")) == (str(value).lower() == "set")
    if operator in ("in", "not in"):
        values = value if isinstance(value, list) else str(value).split(",")
        return (actual in values) == (operator == "in")
    if operator in ("like", "not like"):
        needle = str(value).replace("%", "").lower()
        return (needle in str(actual or "").lower()) == (operator == "like")
    left, right = actual, value
    try:
        left, right = float(actual), float(value)  # numbers compare as numbers, dates and text as text
    except (TypeError, ValueError):
        left, right = "" if actual is None else str(actual), str(value)
    return {
        "=": left == right,
        "!=": left != right,
        ">": left > right,
        ">=": left >= right,
        "<": left < right,
        "<=": left <= right,
    }[operator]
