"""Freshdesk (API v2) connector.

Objects: companies ↔ customers, contacts ↔ contacts (a contact's ``company_id`` is its customer). Freshdesk has no
entitlement or contract object.

- Auth: ``{"api_key"}``, sent as HTTP Basic with the key as user name and ``X`` as password.
- Pull, contacts: ``GET /contacts?_updated_since=<ISO>&per_page=`` following ``Link: rel="next"`` to the end.
- Pull, companies: the filter API ``GET /search/companies?query="updated_at:>'YYYY-MM-DD'"`` (30 a page, at most 10
  pages, day granularity: results are re-filtered by time here). When more than 300 match, the filter API cannot
  reach them all, so the pull falls back to the full ``GET /companies`` listing, filtered by time here. A full load
  (no cursor) reads the listings. The cursor is JSON: ``since`` (ISO time) and ``known`` while drained, plus the page or
  next link while a pass is under way. A drained pass restarts ``overlap_seconds`` (setting, default 600) before the
  newest ``updated_at`` it read, because Freshdesk's search index trails writes and its timestamps have whole
  seconds; the records of that overlap go into the cursor with their ``updated_at`` (``known``) and are skipped
  unless they changed again. Other repeats (a page re-read after a crash) are absorbed by ingest.
- Push: there is no upsert, so every write looks up first. Companies carry the golden ID in a custom field
  (``cf_mdm_golden_id``, setting ``golden_id_field``) and are found by the filter API on it; as the search index
  trails writes, a create refused because the name exists (names are unique: 409 ``duplicate_value``) finds the
  company by name (``/companies/autocomplete``) and updates it. Contacts carry the golden ID as
  ``unique_external_id`` and are found by ``GET /contacts?unique_external_id=``; a create refused for a duplicate
  e-mail claims the contact holding it (looked up by e-mail) and updates it. So a retry never creates a second record.
- Webhooks: Freshdesk sends them only from automation rules (ticket events) and signs nothing. The configured scheme:
  the rule's "Trigger webhook" action uses "Requires authentication" with user name ``webhook_user`` (default
  ``freshdesk``) and password ``webhook_secret`` (both in the system's encrypted credentials), which Freshdesk sends as
  HTTP Basic; both are compared in constant time. Basic rather than a custom header because the hub stores inbound
  headers with the event and leaves out only ``Authorization``-like ones. The rule's JSON content is
  ``{"freshdesk_webhook": {"ticket_id": "{{ticket.id}}", "ticket_contact_id": "{{ticket.contact.id}}",
  "ticket_company_id": "{{ticket.company.id}}", "ticket_updated_at": "{{ticket.updated_at}}"}}``; the event is thin,
  so the contact and company are re-read through the API. Identical bodies (Freshdesk's retries) count once.
- Limits: ``X-RateLimit-Total``/``-Remaining`` on every answer; 429 + ``Retry-After`` pauses the system (delivery
  engine) or the pull. Validation errors (``{"description": "Validation failed", "errors": [...]}``) are permanent.
"""

import base64
import hmac
import json
from datetime import UTC, datetime, timedelta

import httpx

from ...base import Connector, InboundChange, Outbound, PullPage, register
from ...http import ApiClient, RemoteError, basic_auth, error_of
from ...mapping import ObjectMap

COMPANY = ObjectMap(
    entity="customer",
    remote="companies",
    fields={
        "name": "name",
        "website": "domains|item0",
        "tax_id": "custom_fields.cf_tax_id",
        "phone": "custom_fields.cf_phone",
        "credit_status": "custom_fields.cf_credit_status",
        "address.line1": "custom_fields.cf_address_line1",
        "address.city": "custom_fields.cf_city",
        "address.postal_code": "custom_fields.cf_postal_code",
        "address.country": "custom_fields.cf_country",
    },
    constants={"kind": "organization"},
)
CONTACT = ObjectMap(
    entity="contact",
    remote="contacts",
    fields={
        "first_name": "name|first",
        "last_name": "name|last",
        "email": "email",
        "phone": "phone",
        "role": "job_title",
    },
    references={"customer": "company_id"},
)

SEARCH_PAGE_SIZE, SEARCH_MAX_PAGES = 30, 10  # Freshdesk's filter API: 30 a page, pages 1-10
KNOWN_MAX = 500  # records of the overlap window remembered in the cursor; beyond that the newest are kept


def judge(response: httpx.Response) -> RemoteError:
    """Freshdesk's signals: 429 + Retry-After; validation errors named field by field (permanent)."""
    error = error_of(response)
    if response.status_code == 429 and error.retry_after is None:
        error.retry_after = 60.0  # Freshdesk's limit is per minute; a proxy may have dropped the header
    if isinstance(error.body, dict) and isinstance(error.body.get("errors"), list):
        named = "; ".join(f"{e.get('field')}: {e.get('message')} ({e.get('code')})" for e in error.body["errors"])
        error.args = (f"HTTP {response.status_code}: {error.body.get('description', '')}: {named}"[:1000],)
    return error


def refused_as(exc: RemoteError, field: str, code: str = "duplicate_value") -> bool:
    """Whether Freshdesk refused the request for ``field`` with ``code``."""
    errors = exc.body.get("errors") if isinstance(exc.body, dict) else None
    return isinstance(errors, list) and any(e.get("field") == field and e.get("code") == code for e in errors)


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@register
class FreshdeskConnector(Connector):
    type = "freshdesk"
    objects = {"customer": COMPANY, "contact": CONTACT}

    @property
    def api(self) -> ApiClient:
        return ApiClient(
            self.system.base_url,
            {"Authorization": basic_auth(self.credentials.get("api_key", ""), "X"), "Accept": "application/json"},
            timeout=float(self.settings.get("timeout", 15)),
            judge=judge,
        )

    @property
    def golden_id_field(self) -> str:
        return self.settings.get("golden_id_field", "cf_mdm_golden_id")

    # --- pull ------------------------------------------------------------------------------------------------------
    def pull_page(self, entity: str, cursor: str | None) -> PullPage:
        state = json.loads(cursor) if cursor else {}
        mapping = self.object_map(entity)
        api = self.api
        if entity == "customer" and state.get("since") and state.get("mode") != "list":
            return self._search_page(api, mapping, state)
        if state.get("next"):
            response = api.get(state["next"])
        else:
            params = {"per_page": int(self.settings.get("per_page", 100))}
            if entity == "contact" and state.get("since"):
                params["_updated_since"] = state["since"]
            response = api.get(mapping.remote, params=params)
        following = response.links.get("next", {}).get("url")
        return self._page(entity, state, response.json(), {**state, "next": following} if following else None)

    def _search_page(self, api: ApiClient, mapping: ObjectMap, state: dict) -> PullPage:
        page = int(state.get("page", 1))
        query = f"\"{mapping.updated_field}:>'{_at(state['since']):%Y-%m-%d}'\""
        body = api.get(f"search/{mapping.remote}", params={"query": query, "page": page}).json()
        total = int(body.get("total", 0))
        if total > SEARCH_PAGE_SIZE * SEARCH_MAX_PAGES:  # beyond the filter API's reach: read the whole listing
            kept = {key: state[key] for key in ("since", "known", "recent") if key in state}
            return PullPage([], json.dumps({**kept, "mode": "list"}), False)
        more = page * SEARCH_PAGE_SIZE < total and page < SEARCH_MAX_PAGES
        return self._page("customer", state, body.get("results", []), {**state, "page": page + 1} if more else None)

    def _page(self, entity: str, state: dict, records: list[dict], following: dict | None) -> PullPage:
        """One page's changes since the cursor, and the cursor after it: ``following`` while the pass goes on, else
        the restart point of the next pass (``overlap_seconds`` before the newest change read). Records read in that
        overlap are remembered by ID and ``updated_at`` (``known``), so the next pass skips them unless they changed
        again."""
        mapping = self.object_map(entity)
        updated, id_field = mapping.updated_field, mapping.id_field
        since, known = state.get("since"), state.get("known", {})
        records = [r for r in records if r.get(updated) and known.get(str(r.get(id_field))) != r[updated]]
        if since:
            records = [r for r in records if _at(r[updated]) >= _at(since)]
        recent = {**state.get("recent", {}), **{str(r[id_field]): r[updated] for r in records}}
        changes = [self.change_of(entity, record) for record in records]
        if not recent:
            done = {"since": since, "known": known} if since else {}
            return PullPage(changes, json.dumps(following if following is not None else done), following is None)
        overlap = timedelta(seconds=float(self.settings.get("overlap_seconds", 600)))
        restart = max(_at(stamp) for stamp in recent.values()) - overlap
        newest = sorted(((_at(t), i) for i, t in recent.items() if _at(t) >= restart), reverse=True)[:KNOWN_MAX]
        recent = {i: recent[i] for _, i in newest}
        if following is not None:
            return PullPage(changes, json.dumps({**following, "recent": recent}), False)
        since = restart.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # Freshdesk's own format
        return PullPage(changes, json.dumps({"since": since, "known": recent}), True)

    # --- push ------------------------------------------------------------------------------------------------------
    def upsert(self, outbound: Outbound) -> str | None:
        api = self.api
        if outbound.entity == "customer":
            return self._company_upsert(api, outbound)
        return self._contact_upsert(api, outbound)

    def _company_upsert(self, api: ApiClient, outbound: Outbound) -> str:
        body = self.remote_fields("customer", outbound.data)
        body.setdefault("custom_fields", {})[self.golden_id_field] = outbound.golden_id
        body["domains"] = [_domain(d) for d in body.get("domains") or [] if d]
        if not body.get("name"):  # a person as customer: Freshdesk requires a company name
            data = outbound.data
            body["name"] = " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p) or None
        known = outbound.remote_id or self._company_by_golden_id(api, outbound.golden_id)
        if known and (answer := self._put(api, f"companies/{known}", body)):
            return str(answer["id"])
        try:
            return str(api.request("POST", "companies", json=body).json()["id"])
        except RemoteError as exc:
            if not refused_as(exc, "name"):
                raise
            # Our own earlier create whose answer was lost (the search index had not caught up), or a company an
            # agent created by hand: names are unique, so the name finds it.
            found = self._company_by_name(api, body["name"])
            if found is None:
                raise
        return str(self._put(api, f"companies/{found}", body)["id"])

    def _company_by_golden_id(self, api: ApiClient, golden_id: str | None) -> str | None:
        if not golden_id:
            return None
        field = self.golden_id_field
        found = api.get("search/companies", params={"query": f"\"{field}:'{golden_id}'\""}).json()
        for company in found.get("results", []):
            if (company.get("custom_fields") or {}).get(field) == golden_id:
                return str(company["id"])
        return None

    def _company_by_name(self, api: ApiClient, name: str) -> str | None:
        found = api.get("companies/autocomplete", params={"name": name}).json().get("companies", [])
        exact = [c for c in found if str(c.get("name", "")).casefold() == name.casefold()]
        return str(exact[0]["id"]) if len(exact) == 1 else None

    def _contact_upsert(self, api: ApiClient, outbound: Outbound) -> str:
        body = self.remote_fields("contact", outbound.data)
        body["unique_external_id"] = outbound.golden_id
        body["name"] = body.get("name") or outbound.data.get("email") or outbound.golden_id
        if reference := self.object_map("contact").references.get("customer"):
            body[reference] = self._company_of(api, outbound)
        known = outbound.remote_id or self._contact_by(api, "unique_external_id", outbound.golden_id)
        if known and (answer := self._put(api, f"contacts/{known}", body)):
            return str(answer["id"])
        try:
            return str(api.request("POST", "contacts", json=body).json()["id"])
        except RemoteError as exc:
            # A duplicate e-mail: the person is already there (an agent added them); claim that contact. A duplicate
            # external ID: our own earlier create.
            claimed = [f for f in ("unique_external_id", "email") if body.get(f) and refused_as(exc, f)]
            found = self._contact_by(api, claimed[0], body[claimed[0]]) if claimed else None
            if found is None:
                raise
        return str(self._put(api, f"contacts/{found}", body)["id"])

    def _company_of(self, api: ApiClient, outbound: Outbound) -> int | None:
        """The Freshdesk company of a contact's customer."""
        found = self.ref_or_find(outbound, "customer", lambda golden_id: self._company_by_golden_id(api, golden_id))
        return int(found) if found else None

    def _contact_by(self, api: ApiClient, field: str, value: str) -> str | None:
        found = api.get("contacts", params={field: value}).json()
        return str(found[0]["id"]) if len(found) == 1 else None

    def _put(self, api: ApiClient, path: str, body: dict) -> dict | None:
        """Update a record; None when it is gone (deleted in Freshdesk), so the caller creates it again."""
        try:
            return api.request("PUT", path, json=body).json()
        except RemoteError as exc:
            if exc.status == 404:
                return None
            raise

    # --- webhooks --------------------------------------------------------------------------------------------------
    def verify_webhook(self, headers: dict[str, str], body: bytes) -> bool:
        secret = self.credentials.get("webhook_secret", "")
        user = self.credentials.get("webhook_user", "freshdesk")
        scheme, _, value = headers.get("authorization", "").partition(" ")
        if not secret or scheme.lower() != "basic":
            return False
        try:
            sent_user, colon, sent_secret = base64.b64decode(value, validate=True).decode().partition(":")
        except ValueError:
            return False
        same_user = hmac.compare_digest(sent_user.encode(), user.encode())
        same_secret = hmac.compare_digest(sent_secret.encode(), secret.encode())
        return bool(colon) and same_user and same_secret

    def parse_webhook(self, headers: dict[str, str], body: bytes) -> list[InboundChange]:
        try:
            event = json.loads(body).get("freshdesk_webhook") or {}
        except (ValueError, AttributeError):
            return []
        wanted = [
            ("customer", event.get("ticket_company_id")),
            ("contact", event.get("ticket_contact_id") or event.get("ticket_requester_id")),
        ]
        changes = []
        for entity, remote_id in wanted:
            # An unset placeholder arrives empty; anything but digits is not an ID to put in a path.
            if str(remote_id).isdigit() and (record := self._read(entity, str(remote_id))):
                changes.append(self.change_of(entity, record))
        return changes

    def _read(self, entity: str, remote_id: str) -> dict | None:
        try:
            return self.api.get(f"{self.object_map(entity).remote}/{remote_id}").json()
        except RemoteError as exc:
            if exc.status == 404:
                return None  # deleted since: nothing to read
            raise


def _domain(website: str) -> str:
    """A website as Freshdesk wants a company domain: the bare host name."""
    host = website.strip().split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    return host.removeprefix("www.")
