"""A Freshdesk (API v2) simulator: companies and contacts through the documented REST subset the connector uses.

- Auth: HTTP Basic with the API key as user name (Freshdesk ignores the password; ``X`` by convention). Anything
  else is 401 ``invalid_credentials``.
- ``GET /contacts`` (filters ``email``, ``phone``, ``mobile``, ``company_id``, ``state``, ``unique_external_id``,
  ``_updated_since``) and ``GET /companies`` page with ``page``/``per_page`` (default 30, at most 100) and send
  ``Link: <…>; rel="next"`` while more follow. Unknown parameters are refused (400 ``invalid_field``).
- ``GET /search/companies?query="…"`` is the filter API: the query is wrapped in double quotes (at most 512
  characters inside), terms ``field:'value'``, ``field:>'YYYY-MM-DD'`` (on or after), ``field:<'YYYY-MM-DD'`` (on or
  before) and ``field:null`` joined by ``AND``/``OR`` (parentheses are not simulated). Dates have day granularity
  only. 30 results a page, ``page`` 1 to 10, answered ``{"results": [...], "total": n}``. Search reads an index that
  trails writes by ``index_lag`` seconds, as Freshdesk's does.
- ``GET /companies/autocomplete?name=`` (prefix match), ``GET/PUT /companies/{id}``, ``POST /companies``,
  ``GET/PUT /contacts/{id}``, ``POST /contacts``. There is no upsert. Company names are unique (409
  ``duplicate_value``), so are contact e-mails and ``unique_external_id``; company custom fields must be defined
  (``COMPANY_FIELDS``), dropdowns take only their choices, domains must be host names.
- Errors: ``{"description": "Validation failed", "errors": [{"field", "message", "code"}]}`` on 400 and 409,
  ``{"code", "message"}`` otherwise. With a rate limit set (knob), answers carry ``X-RateLimit-Total``,
  ``X-RateLimit-Remaining`` and ``X-RateLimit-Used-CurrentRequest``; over it, 429 with ``Retry-After``.
- Webhooks: Freshdesk sends them only from automation rules on ticket events, unsigned. The rule simulated here
  authenticates with Basic (``webhook_user`` and the subscription's secret) and sends
  ``{"freshdesk_webhook": {"ticket_id", "ticket_contact_id", "ticket_company_id", "ticket_updated_at"}}``.
- ``lose_answers``: the next n writes are applied but answered 504, as when a proxy gives up on a slow answer.
"""

import base64
import copy
import itertools
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from urllib.parse import urlencode

from ...simulator import Knobs, Reply, Request, Simulator, iso

# Company custom fields the simulated account defines. None: single-line text; a tuple: a dropdown's choices.
COMPANY_FIELDS: dict[str, tuple[str, ...] | None] = {
    "cf_mdm_golden_id": None,
    "cf_tax_id": None,
    "cf_vat_number": None,
    "cf_phone": None,
    "cf_credit_status": ("ok", "hold", "blocked"),
    "cf_address_line1": None,
    "cf_city": None,
    "cf_postal_code": None,
    "cf_country": None,
    "cf_segment": None,
}
COMPANY_KEYS = {
    "name", "description", "note", "domains", "health_score", "account_tier", "renewal_date", "industry",
    "custom_fields",
}  # fmt: skip
CONTACT_KEYS = {
    "name", "email", "phone", "mobile", "twitter_id", "unique_external_id", "company_id", "job_title", "description",
    "address", "language", "time_zone", "tags", "other_emails", "custom_fields",
}  # fmt: skip
CONTACT_FILTERS = {"email", "phone", "mobile", "company_id", "state", "unique_external_id", "_updated_since"}
PAGING = {"page", "per_page"}
SEARCH_PAGE_SIZE, SEARCH_MAX_PAGES, QUERY_MAX = 30, 10, 512
IDENTIFIERS = ("email", "phone", "mobile", "twitter_id", "unique_external_id")

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"^{_LABEL}(?:\.{_LABEL})+$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TERM = re.compile(r"^(\w+):([<>]?)(?:'([^']*)'|(\w+))$")
_CODES = {401: "invalid_credentials", 403: "access_denied", 404: "not_found", 429: "rate_limit_exceeded"}


class Refused(Exception):
    """A request Freshdesk refuses; 400 and 409 carry one validation error entry."""

    def __init__(self, field: str, message: str, code: str = "invalid_value", status: int = 400) -> None:
        super().__init__(message)
        self.field, self.message, self.code, self.status = field, message, code, status


def _time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class PlatformSimulator(Simulator):
    name = "freshdesk"
    api_prefix = "/api/v2"

    def __init__(
        self,
        port: int = 0,
        knobs: Knobs | None = None,
        host: str = "127.0.0.1",
        *,
        api_key: str = "sim-freshdesk-api-key",
        webhook_user: str = "freshdesk",
        webhook_secret: str = "sim-freshdesk-webhook-secret",
    ) -> None:
        self.api_key, self.webhook_user, self.webhook_secret = api_key, webhook_user, webhook_secret
        self.companies: dict[int, dict] = {}
        self.contacts: dict[int, dict] = {}
        self.index: dict[int, list[tuple[float, dict]]] = {}  # company ID -> (written at, snapshot), for search
        self.index_lag = 0.0
        self.lose_answers = 0
        self._ids = itertools.count(5_000_000_001)
        self._tickets = itertools.count(1)
        super().__init__(port=port, knobs=knobs, host=host)

    def credentials(self) -> dict:
        return {"api_key": self.api_key, "webhook_user": self.webhook_user, "webhook_secret": self.webhook_secret}

    # --- platform contract -----------------------------------------------------------------------------------------
    def setup_routes(self) -> None:
        routes = [
            ("GET", r"/contacts", self._contacts_list),
            ("POST", r"/contacts", self._contact_create),
            ("GET", r"/contacts/(?P<id>\d+)", self._contact_get),
            ("PUT", r"/contacts/(?P<id>\d+)", self._contact_update),
            ("GET", r"/companies", self._companies_list),
            ("POST", r"/companies", self._company_create),
            ("GET", r"/companies/autocomplete", self._companies_autocomplete),
            ("GET", r"/companies/(?P<id>\d+)", self._company_get),
            ("PUT", r"/companies/(?P<id>\d+)", self._company_update),
            ("GET", r"/search/companies", self._companies_search),
        ]
        for method, pattern, handler in routes:
            self.route(method, pattern, self._refusals_answered(handler))

    def _refusals_answered(self, handler: Callable[[Request], Reply]) -> Callable[[Request], Reply]:
        def answer(request: Request) -> Reply:
            try:
                return handler(request)
            except Refused as refused:
                entry = {"field": refused.field, "message": refused.message, "code": refused.code}
                return self.error(refused.status, refused.message, errors=[entry])

        return answer

    def authorized(self, request: Request) -> bool:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user = base64.b64decode(value, validate=True).decode().partition(":")[0]
        except ValueError:
            return False
        return user == self.api_key

    def error(self, status: int, message: str, **extra: object) -> Reply:
        if status in (400, 409):
            errors = extra.get("errors") or [{"field": "", "message": message, "code": "invalid_value"}]
            return Reply(status, {"description": "Validation failed", "errors": errors})
        if status == 401:
            message = "You have to be logged in to perform this action."
        return Reply(status, {"code": _CODES.get(status, "internal_error"), "message": message})

    def limit_headers(self, remaining: int, reset_in: int) -> dict[str, str]:
        return {
            "X-RateLimit-Total": str(self.knobs.rate_limit or 0),
            "X-RateLimit-Remaining": str(max(0, remaining)),
            "X-RateLimit-Used-CurrentRequest": "1",
        }

    def sign(self, body: bytes, target: dict) -> dict[str, str]:
        user, secret = target.get("user") or self.webhook_user, target.get("secret") or self.webhook_secret
        return {"Authorization": "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()}

    def seed(self, companies: list[dict]) -> None:
        with self.lock:
            for sample in companies:
                address = sample.get("address") or {}
                company = self._company_new(
                    {
                        "name": sample["name"],
                        "domains": [sample["domain"]],
                        "account_tier": "Basic",
                        "health_score": "Happy",
                        "custom_fields": {
                            "cf_tax_id": sample.get("tax_id"),
                            "cf_phone": sample.get("phone"),
                            "cf_address_line1": address.get("line1"),
                            "cf_city": address.get("city"),
                            "cf_postal_code": address.get("postal_code"),
                            "cf_country": address.get("country"),
                            "cf_segment": "mid-market",
                        },
                    }
                )
                for person in sample.get("contacts", []):
                    if not self._matching(self.contacts, "email", person["email"]):
                        self._contact_new(
                            {
                                "name": f"{person['first_name']} {person['last_name']}",
                                "email": person["email"],
                                "phone": person.get("phone"),
                                "company_id": company["id"],
                            }
                        )

    # --- what a test does in the Freshdesk UI ----------------------------------------------------------------------
    def agent_create(self, kind: str, **fields: object) -> dict:
        """A company or contact (``kind``) an agent adds by hand (no checks: the UI has its own)."""
        with self.lock:
            return copy.deepcopy((self._company_new if kind == "company" else self._contact_new)(fields))

    def agent_edit(self, kind: str, record_id: int, **changes: object) -> dict:
        """An agent's edit of a company or contact (``kind``): fields replaced, custom fields merged."""
        with self.lock:
            record = (self.companies if kind == "company" else self.contacts)[record_id]
            self._apply(record, changes)
            return copy.deepcopy(record)

    def find(self, kind: str, **where: object) -> list[dict]:
        with self.lock:
            store = self.companies if kind == "company" else self.contacts
            return [copy.deepcopy(r) for r in store.values() if all(_lookup(r, k) == v for k, v in where.items())]

    def ticket_event(self, contact_id: int | None, company_id: int | None = None) -> dict:
        """What an automation rule on ticket update sends (and emits it to the subscribed URLs)."""
        payload = {
            "freshdesk_webhook": {
                "ticket_id": next(self._tickets),
                "ticket_contact_id": contact_id,
                "ticket_company_id": company_id,
                "ticket_updated_at": iso(self.now()),
            }
        }
        self.emit(payload)
        return payload

    # --- companies -------------------------------------------------------------------------------------------------
    def _companies_list(self, request: Request) -> Reply:
        self._only(request, PAGING)
        with self.lock:
            items = [copy.deepcopy(c) for c in sorted(self.companies.values(), key=lambda c: c["id"])]
        return self._paged(request, items)

    def _company_get(self, request: Request) -> Reply:
        with self.lock:
            return Reply(200, copy.deepcopy(self._one(self.companies, request)))

    def _company_create(self, request: Request) -> Reply:
        body = self._body(request, COMPANY_KEYS)
        if not body.get("name"):
            raise Refused("name", "It should be a/an String", "missing_field")
        with self.lock:
            self._company_check(body, None)
            return self._written(201, self._company_new(body))

    def _company_update(self, request: Request) -> Reply:
        body = self._body(request, COMPANY_KEYS)
        with self.lock:
            company = self._one(self.companies, request)
            self._company_check(body, company["id"])
            self._apply(company, body)
            return self._written(200, company)

    def _company_new(self, body: dict) -> dict:
        now = iso(self.now())
        company = {
            "id": next(self._ids), "name": None, "description": None, "note": None, "domains": [],
            "health_score": None, "account_tier": None, "renewal_date": None, "industry": None,
            "custom_fields": dict.fromkeys(COMPANY_FIELDS), "created_at": now, "updated_at": now,
        }  # fmt: skip
        self.companies[company["id"]] = company
        self._apply(company, body)
        return company

    def _company_check(self, body: dict, own_id: int | None) -> None:
        if "name" in body:
            name = body["name"]
            if not isinstance(name, str) or not name.strip() or len(name) > 255:
                raise Refused("name", "It should be a/an String of at most 255 characters", "datatype_mismatch")
            if any(c["id"] != own_id for c in self._matching(self.companies, "name", name.strip())):
                raise Refused("name", "It should be a unique value", "duplicate_value", 409)
        domains = body.get("domains", [])
        if not isinstance(domains, list) or not all(isinstance(d, str) and _HOST.match(d) for d in domains):
            raise Refused("domains", "It should be a list of valid domain names", "invalid_value")
        fields = body.get("custom_fields", {})
        if not isinstance(fields, dict):
            raise Refused("custom_fields", "It should be a/an key/value pair", "datatype_mismatch")
        for key, value in fields.items():
            if key not in COMPANY_FIELDS:
                raise Refused(key, "Unexpected/invalid field in request", "invalid_field")
            if value is None:
                continue
            if not isinstance(value, str) or len(value) > 255:
                raise Refused(key, "It should be a/an String of at most 255 characters", "datatype_mismatch")
            if (choices := COMPANY_FIELDS[key]) and value not in choices:
                raise Refused(key, f"It should be one of these values: '{','.join(choices)}'", "invalid_value")

    def _companies_autocomplete(self, request: Request) -> Reply:
        self._only(request, {"name"})
        prefix = (request.arg("name") or "").strip().casefold()
        if not prefix:
            raise Refused("name", "It should be a/an String", "missing_field")
        with self.lock:
            found = [
                {"id": c["id"], "name": c["name"]}
                for c in sorted(self.companies.values(), key=lambda c: c["id"])
                if c["name"].casefold().startswith(prefix)
            ]
        return Reply(200, {"companies": found})

    def _companies_search(self, request: Request) -> Reply:
        self._only(request, {"query", "page"})
        query = request.arg("query")
        if query is None:
            raise Refused("query", "It should be a/an String", "missing_field")
        if len(query) < 2 or not (query.startswith('"') and query.endswith('"')):
            raise Refused("query", "It should be enclosed in double quotes", "invalid_value")
        text = query[1:-1].strip()
        if len(text) > QUERY_MAX:
            raise Refused("query", f"It should have at most {QUERY_MAX} characters", "invalid_value")
        page = self._int(request, "page", 1, SEARCH_MAX_PAGES)
        matches = _compile(text)
        with self.lock:
            horizon = self.now() - self.index_lag
            visible = []
            for company_id in sorted(self.index):
                indexed = [snapshot for at, snapshot in self.index[company_id] if at <= horizon]
                if indexed:
                    visible.append(copy.deepcopy(indexed[-1]))
        found = [c for c in visible if matches(c)]
        start = (page - 1) * SEARCH_PAGE_SIZE
        return Reply(200, {"results": found[start : start + SEARCH_PAGE_SIZE], "total": len(found)})

    # --- contacts --------------------------------------------------------------------------------------------------
    def _contacts_list(self, request: Request) -> Reply:
        self._only(request, CONTACT_FILTERS | PAGING)
        with self.lock:
            items = [copy.deepcopy(c) for c in sorted(self.contacts.values(), key=lambda c: c["id"])]
        for name in ("email", "phone", "mobile", "unique_external_id"):
            if (value := request.arg(name)) is not None:
                items = [c for c in items if (c.get(name) or "").casefold() == value.casefold()]
        if (value := request.arg("company_id")) is not None:
            items = [c for c in items if str(c["company_id"]) == value]
        if (state := request.arg("state")) is not None:
            if state not in ("blocked", "deleted", "unverified", "verified"):
                raise Refused("state", "It should be one of these values: 'blocked,deleted,unverified,verified'")
            items = [c for c in items if state in ("unverified", "verified")]
        if (since := request.arg("_updated_since")) is not None:
            try:
                moment = _time(since)
            except ValueError:
                raise Refused("_updated_since", "It should be in the 'valid date time' format") from None
            items = [c for c in items if _time(c["updated_at"]) >= moment]
        return self._paged(request, items)

    def _contact_get(self, request: Request) -> Reply:
        with self.lock:
            return Reply(200, copy.deepcopy(self._one(self.contacts, request)))

    def _contact_create(self, request: Request) -> Reply:
        body = self._body(request, CONTACT_KEYS)
        if not body.get("name"):
            raise Refused("name", "It should be a/an String", "missing_field")
        if not any(body.get(key) for key in IDENTIFIERS):
            message = f"Please fill at least 1 of {', '.join(IDENTIFIERS)} fields"
            raise Refused("requester", message, "missing_field")
        with self.lock:
            self._contact_check(body, None)
            return self._written(201, self._contact_new(body))

    def _contact_update(self, request: Request) -> Reply:
        body = self._body(request, CONTACT_KEYS)
        with self.lock:
            contact = self._one(self.contacts, request)
            self._contact_check(body, contact["id"])
            self._apply(contact, body)
            return self._written(200, contact)

    def _contact_new(self, body: dict) -> dict:
        now = iso(self.now())
        contact = {
            "id": next(self._ids), "name": None, "email": None, "phone": None, "mobile": None, "twitter_id": None,
            "unique_external_id": None, "company_id": None, "job_title": None, "description": None, "address": None,
            "language": "en", "time_zone": "Eastern Time (US & Canada)", "tags": [], "other_emails": [],
            "custom_fields": {}, "active": False, "created_at": now, "updated_at": now,
        }  # fmt: skip
        self.contacts[contact["id"]] = contact
        self._apply(contact, body)
        return contact

    def _contact_check(self, body: dict, own_id: int | None) -> None:
        if "name" in body and (not isinstance(body["name"], str) or not body["name"].strip()):
            raise Refused("name", "It should be a/an String", "datatype_mismatch")
        for key in ("email", "phone", "mobile", "job_title", "unique_external_id"):
            if body.get(key) is not None and not isinstance(body[key], str):
                raise Refused(key, "It should be a/an String", "datatype_mismatch")
        if (email := body.get("email")) and not _EMAIL.match(email):
            raise Refused("email", "It should be in the 'valid email address' format")
        for key in ("email", "unique_external_id"):
            if body.get(key) and any(c["id"] != own_id for c in self._matching(self.contacts, key, body[key])):
                raise Refused(key, "It should be a unique value", "duplicate_value", 409)
        company_id = body.get("company_id")
        if company_id is not None and company_id not in self.companies:
            raise Refused("company_id", "There is no company matching the given company_id")
        if body.get("custom_fields"):
            raise Refused(next(iter(body["custom_fields"])), "Unexpected/invalid field in request", "invalid_field")

    # --- shared ----------------------------------------------------------------------------------------------------
    def _apply(self, record: dict, changes: dict) -> None:
        for key, value in changes.items():
            if key == "custom_fields":
                record["custom_fields"].update(value)
            else:
                record[key] = value.strip() if key == "name" and isinstance(value, str) else value
        record["updated_at"] = iso(self.now())
        if record["id"] in self.companies and self.companies[record["id"]] is record:
            self.index.setdefault(record["id"], []).append((self.now(), copy.deepcopy(record)))

    def _written(self, status: int, record: dict) -> Reply:
        if self.lose_answers > 0:
            self.lose_answers -= 1
            return self.error(504, "Gateway Timeout")
        return Reply(status, copy.deepcopy(record))

    def _matching(self, store: dict[int, dict], key: str, value: str) -> list[dict]:
        return [r for r in store.values() if isinstance(r.get(key), str) and r[key].casefold() == value.casefold()]

    def _one(self, store: dict[int, dict], request: Request) -> dict:
        record = store.get(int(request.params["id"]))
        if record is None:
            raise Refused("id", "Record not found", "not_found", 404)
        return record

    def _body(self, request: Request, allowed: set[str]) -> dict:
        body = request.json()
        if not isinstance(body, dict):
            raise Refused("", "Request body has invalid json format", "invalid_json")
        for key in body:
            if key not in allowed:
                raise Refused(key, "Unexpected/invalid field in request", "invalid_field")
        return body

    def _only(self, request: Request, allowed: set[str]) -> None:
        for name in request.query:
            if name not in allowed:
                raise Refused(name, "Unexpected/invalid field in request", "invalid_field")

    def _int(self, request: Request, name: str, default: int, highest: int) -> int:
        text = request.arg(name)
        if text is None:
            return default
        if not text.isdigit() or not 1 <= int(text) <= highest:
            raise Refused(name, f"It should be a Positive Integer less than or equal to {highest}")
        return int(text)

    def _paged(self, request: Request, items: list[dict]) -> Reply:
        page = self._int(request, "page", 1, 10**6)
        per_page = self._int(request, "per_page", 30, 100)
        start = (page - 1) * per_page
        headers = {}
        if start + per_page < len(items):
            query = {name: values[0] for name, values in request.query.items()}
            query["page"] = str(page + 1)
            headers["Link"] = f'<{self.origin}{request.path}?{urlencode(query)}>; rel="next"'
        return Reply(200, items[start : start + per_page], headers)


def _lookup(record: dict, key: str) -> object:
    if key.startswith("cf_"):
        return record.get("custom_fields", {}).get(key)
    return record.get(key)


def _compile(text: str) -> Callable[[dict], bool]:
    """A filter query as a predicate: OR of ANDs of terms."""
    if "(" in text or ")" in text:
        raise Refused("query", "Parentheses are not supported by this simulator", "invalid_value")
    alternatives = [[_term(t) for t in re.split(r"\s+AND\s+", g)] for g in re.split(r"\s+OR\s+", text)]
    return lambda company: any(all(term(company) for term in terms) for terms in alternatives)


def _term(text: str) -> Callable[[dict], bool]:
    match = _TERM.match(text.strip())
    if match is None:
        raise Refused("query", f"Invalid query term: {text}", "invalid_value")
    name, operator, quoted, bare = match.groups()
    value = quoted if quoted is not None else bare
    if name in ("created_at", "updated_at"):
        try:
            day = date.fromisoformat(value) if quoted is not None and len(value) == 10 else None
        except ValueError:
            day = None
        if day is None:
            raise Refused("query", f"{name} takes a date in 'YYYY-MM-DD' format", "invalid_value")
        compare = {">": day.__le__, "<": day.__ge__, "": day.__eq__}[operator]
        return lambda company: compare(_time(company[name]).date())
    if operator:
        raise Refused("query", f"{name} does not take a range", "invalid_value")
    if name == "domain":
        return lambda company: value.casefold() in [d.casefold() for d in company["domains"]]
    if name in COMPANY_FIELDS:
        if bare == "null":
            return lambda company: company["custom_fields"].get(name) is None
        return lambda company: (company["custom_fields"].get(name) or "").casefold() == value.casefold()
    raise Refused("query", f"'{name}' is not a filterable company field", "invalid_field")
