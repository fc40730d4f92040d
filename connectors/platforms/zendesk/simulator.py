"""A Zendesk Support API v2 stand-in: the subset the connector uses, as Zendesk documents it.

- ``/api/v2/organizations/{id}``, ``POST /organizations`` (names unique: 422 ``DuplicateValue``),
  ``PUT /organizations/{id}``, ``POST /organizations/create_or_update`` (matches ``id`` or ``external_id`` only,
  200 update / 201 create), ``GET /organizations/search?name=|external_id=``.
- ``/api/v2/users/{id}``, ``PUT /users/{id}``, ``POST /users/create_or_update`` (matches ``external_id`` or e-mail,
  case-insensitive; 200 with ``Location`` / 201).
- ``GET /incremental/organizations?start_time=`` (time-based: ``next_page``, ``end_time``, ``end_of_stream``,
  ``per_page`` up to 1000) and ``GET /incremental/users/cursor?start_time=|cursor=`` (``after_cursor``,
  ``after_url``, ``end_of_stream``). Items of the last ``export_delay`` seconds (60 as on Zendesk) are held back;
  a ``start_time`` in that window is refused with 400 like Zendesk's "too recent".
- Basic ``{email}/token:{api_token}`` or ``Bearer`` OAuth; 401 ``Couldn't authenticate you``.
- ``X-Rate-Limit``/``X-Rate-Limit-Remaining`` on every answer; 429 + ``Retry-After`` over the limit.
- Event webhooks (``zen:event-type:organization.created`` …) signed with ``X-Zendesk-Webhook-Signature``.
"""

import base64
import hashlib
import hmac
import itertools
import json
import threading
from urllib.parse import urlencode

from ...simulator import Knobs, Reply, Request, Simulator, iso

ORG_KEYS = ("id", "external_id", "name", "domain_names", "details", "notes", "tags", "organization_fields")
USER_KEYS = ("id", "external_id", "name", "email", "phone", "organization_id", "role", "user_fields", "active")


class PlatformSimulator(Simulator):
    name = "zendesk"
    api_prefix = "/api/v2"

    def __init__(
        self,
        port: int = 0,
        knobs: Knobs | None = None,
        *,
        email: str = "admin@example.com",
        api_token: str = "zd-token",
        oauth_token: str = "zd-oauth",
        webhook_secret: str = "zd-signing-secret",
        export_delay: float = 60.0,
        host: str = "127.0.0.1",
    ) -> None:
        self.email, self.api_token, self.oauth_token = email, api_token, oauth_token
        self.webhook_secret, self.export_delay = webhook_secret, export_delay
        self.organizations: dict[int, dict] = {}
        self.users: dict[int, dict] = {}
        self.ids = itertools.count(360000000001)
        self.event_ids = itertools.count(1)
        self.account_id = 12514403
        self._write = threading.Lock()
        super().__init__(port, knobs, host)

    def credentials(self) -> dict:
        return {"email": self.email, "api_token": self.api_token, "webhook_secret": self.webhook_secret}

    # --- protocol --------------------------------------------------------------------------------------------------
    def setup_routes(self) -> None:
        j = r"(?:\.json)?"
        self.route("GET", rf"/organizations/search{j}", self.org_search)
        self.route("POST", rf"/organizations/create_or_update{j}", self.org_create_or_update)
        self.route("GET", rf"/organizations/(?P<id>\d+){j}", self.org_show)
        self.route("PUT", rf"/organizations/(?P<id>\d+){j}", self.org_update)
        self.route("POST", rf"/organizations{j}", self.org_create)
        self.route("GET", rf"/incremental/organizations{j}", self.org_export)
        self.route("POST", rf"/users/create_or_update{j}", self.user_create_or_update)
        self.route("GET", rf"/users/(?P<id>\d+){j}", self.user_show)
        self.route("PUT", rf"/users/(?P<id>\d+){j}", self.user_update)
        self.route("GET", rf"/incremental/users/cursor{j}", self.user_export)

    def authorized(self, request: Request) -> bool:
        given = request.headers.get("authorization", "")
        basic = base64.b64encode(f"{self.email}/token:{self.api_token}".encode()).decode()
        return hmac.compare_digest(given, f"Basic {basic}") or hmac.compare_digest(given, f"Bearer {self.oauth_token}")

    def error(self, status: int, message: str, **extra: object) -> Reply:
        if status == 401:
            return Reply(401, {"error": message})
        if status == 404:
            return Reply(404, {"error": "RecordNotFound", "description": "Not found"})
        if status == 422:
            return Reply(422, {"error": "RecordInvalid", "description": "Record validation errors", **extra})
        if status == 429:
            return Reply(429, {"error": "TooManyRequests", "description": message})
        return Reply(status, {"error": message})

    def limit_headers(self, remaining: int, reset_in: int) -> dict[str, str]:
        return {"X-Rate-Limit": str(self.knobs.rate_limit), "X-Rate-Limit-Remaining": str(remaining)}

    def sign(self, body: bytes, target: dict) -> dict[str, str]:
        stamp = iso(self.now())
        digest = hmac.new(target["secret"].encode(), stamp.encode() + body, hashlib.sha256).digest()
        return {
            "X-Zendesk-Webhook-Signature": base64.b64encode(digest).decode(),
            "X-Zendesk-Webhook-Signature-Timestamp": stamp,
            "X-Zendesk-Webhook-Id": "01GK8E6BKWMJZD2T8Y5AXJQMG5",
        }

    # --- data ------------------------------------------------------------------------------------------------------
    def seed(self, companies: list[dict]) -> None:
        """Sample data as an account that has been in use: written an hour ago, so the exports (which hold back the
        last minute) see it at once."""
        self.advance(-3600)
        try:
            self._seed(companies)
        finally:
            self.advance(3600)

    def _seed(self, companies: list[dict]) -> None:
        for company in companies:
            org = self.put_organization(
                {
                    "name": company["name"],
                    "domain_names": [company["domain"]],
                    "organization_fields": {
                        "tax_id": company["tax_id"],
                        "phone": company["phone"],
                        "address_line1": company["address"]["line1"],
                        "address_city": company["address"]["city"],
                        "address_postal_code": company["address"]["postal_code"],
                        "address_country": company["address"]["country"],
                    },
                },
                notify=False,
            )
            for contact in company["contacts"]:
                self.put_user(
                    {
                        "name": f"{contact['first_name']} {contact['last_name']}",
                        "email": contact["email"],
                        "phone": contact["phone"],
                        "organization_id": org["id"],
                        "role": "end-user",
                    },
                    notify=False,
                )

    def _stamp(self, record: dict, created: bool) -> None:
        now = self.now()
        record["updated_at"], record["_updated"] = iso(now), now
        if created:
            record["created_at"] = iso(now)

    def put_organization(self, fields: dict, org_id: int | None = None, notify: bool = True) -> dict:
        """Create (no ``org_id``) or update an organization as an agent would in Zendesk; emits the event."""
        with self._write:
            created = org_id is None
            org = (
                {"id": next(self.ids), "external_id": None, "domain_names": [], "tags": [], "organization_fields": {}}
                if created
                else self.organizations[org_id]
            )
            for key, value in fields.items():
                if key == "organization_fields":
                    org["organization_fields"] = {**org.get("organization_fields", {}), **(value or {})}
                elif key in ORG_KEYS and key != "id":
                    org[key] = value
            self._stamp(org, created)
            org["url"] = f"{self.base_url}organizations/{org['id']}.json"
            self.organizations[org["id"]] = org
        if notify:
            self._event("organization", org, "created" if created else "updated")
        return org

    def put_user(self, fields: dict, user_id: int | None = None, notify: bool = True) -> dict:
        with self._write:
            created = user_id is None
            user = (
                {"id": next(self.ids), "external_id": None, "role": "end-user", "active": True, "user_fields": {}}
                if created
                else self.users[user_id]
            )
            for key, value in fields.items():
                if key == "user_fields":
                    user["user_fields"] = {**user.get("user_fields", {}), **(value or {})}
                elif key in USER_KEYS and key != "id":
                    user[key] = value
            self._stamp(user, created)
            user["url"] = f"{self.base_url}users/{user['id']}.json"
            self.users[user["id"]] = user
        if notify:
            self._event("user", user, "created" if created else "updated")
        return user

    def _event(self, kind: str, record: dict, what: str) -> None:
        detail = {
            k: ("" if v is None else str(v))
            for k, v in record.items()
            if k in ("id", "external_id", "name", "email", "organization_id", "role", "updated_at")
        }
        self.emit(
            {
                "type": f"zen:event-type:{kind}.{what}",
                "account_id": self.account_id,
                "id": f"01H{next(self.event_ids):023d}",
                "time": record["updated_at"],
                "zendesk_event_version": "2022-11-06",
                "subject": f"zen:{kind}:{record['id']}",
                "detail": detail,
                "event": {},
            }
        )

    @staticmethod
    def public(record: dict) -> dict:
        return {k: v for k, v in record.items() if not k.startswith("_")}

    # --- organizations ---------------------------------------------------------------------------------------------
    def _org_invalid(self, fields: dict, own_id: int | None) -> Reply | None:
        name = (fields.get("name") or "").strip()
        if not name and own_id is None:
            return self.error(
                422, "", details={"name": [{"description": "Name: cannot be blank", "error": "BlankValue"}]}
            )
        if name and any(o["name"].lower() == name.lower() and o["id"] != own_id for o in self.organizations.values()):
            return self.error(
                422, "", details={"name": [{"description": "Name: has already been taken", "error": "DuplicateValue"}]}
            )
        return None

    def org_show(self, request: Request) -> Reply:
        org = self.organizations.get(int(request.params["id"]))
        return Reply(200, {"organization": self.public(org)}) if org else self.error(404, "")

    def org_search(self, request: Request) -> Reply:
        name, external_id = request.arg("name"), request.arg("external_id")
        found = [
            self.public(o)
            for o in self.organizations.values()
            if (name is not None and o["name"].lower() == name.lower())
            or (external_id is not None and str(o.get("external_id") or "").lower() == external_id.lower())
        ]
        return Reply(200, {"organizations": found, "count": len(found), "next_page": None, "previous_page": None})

    def org_create(self, request: Request) -> Reply:
        fields = (request.json() or {}).get("organization")
        if not isinstance(fields, dict):
            return self.error(400, "InvalidEndpoint")
        if invalid := self._org_invalid(fields, None):
            return invalid
        return Reply(201, {"organization": self.public(self.put_organization(fields))})

    def org_update(self, request: Request) -> Reply:
        org_id = int(request.params["id"])
        fields = (request.json() or {}).get("organization")
        if org_id not in self.organizations:
            return self.error(404, "")
        if not isinstance(fields, dict):
            return self.error(400, "InvalidEndpoint")
        if invalid := self._org_invalid(fields, org_id):
            return invalid
        return Reply(200, {"organization": self.public(self.put_organization(fields, org_id))})

    def org_create_or_update(self, request: Request) -> Reply:
        fields = (request.json() or {}).get("organization")
        if not isinstance(fields, dict):
            return self.error(400, "InvalidEndpoint")
        match = None
        if fields.get("id") is not None:
            match = self.organizations.get(int(fields["id"]))
        if match is None and fields.get("external_id"):
            wanted = str(fields["external_id"]).lower()
            match = next(
                (o for o in self.organizations.values() if str(o.get("external_id") or "").lower() == wanted), None
            )
        own = match["id"] if match else None
        if invalid := self._org_invalid(fields, own):
            return invalid
        org = self.put_organization(fields, own)
        return Reply(200 if match else 201, {"organization": self.public(org)})

    def _export_window(self, request: Request) -> tuple[float, float] | Reply:
        try:
            start = int(request.arg("start_time", "0"))
        except ValueError:
            return self.error(400, "InvalidValue")
        horizon = self.now() - self.export_delay
        if start > horizon:
            return Reply(
                400,
                {
                    "error": "InvalidValue",
                    "description": "Too recent start_time. Use a start_time older than one minute.",
                },
            )
        return float(start), horizon

    def org_export(self, request: Request) -> Reply:
        window = self._export_window(request)
        if isinstance(window, Reply):
            return window
        start, horizon = window
        per_page = max(1, min(int(request.arg("per_page", "1000")), 1000))
        rows = sorted(
            (o for o in self.organizations.values() if start <= o["_updated"] <= horizon),
            key=lambda o: (o["_updated"], o["id"]),
        )
        page = rows[:per_page]
        if len(page) == per_page:
            # Like Zendesk, a page ends on a whole second: items sharing the last item's second all come in this
            # page (it may exceed per_page), and the next page starts at that second, so items are repeated at
            # page boundaries rather than lost.
            last_second = int(page[-1]["_updated"])
            page = [o for o in rows if int(o["_updated"]) <= last_second]
            end_time = max(last_second, int(start) + 1) if last_second == int(start) else last_second
        else:
            end_time = int(horizon)
        end = not any(int(o["_updated"]) > int(page[-1]["_updated"]) for o in rows) if page else True
        query = urlencode({"start_time": end_time, **({"per_page": per_page} if request.arg("per_page") else {})})
        return Reply(
            200,
            {
                "organizations": [self.public(o) for o in page],
                "count": len(page),
                "end_time": end_time,
                "end_of_stream": end,
                "next_page": f"{self.base_url}incremental/organizations.json?{query}",
            },
        )

    # --- users -----------------------------------------------------------------------------------------------------
    def _user_invalid(self, fields: dict) -> Reply | None:
        email = fields.get("email")
        if email is not None and (not isinstance(email, str) or "@" not in email):
            return self.error(
                422, "", details={"email": [{"description": "Email: is invalid", "error": "InvalidFormat"}]}
            )
        org_id = fields.get("organization_id")
        if org_id is not None and int(org_id) not in self.organizations:
            return self.error(
                422,
                "",
                details={"organization_id": [{"description": "Organization: not found", "error": "InvalidValue"}]},
            )
        return None

    def user_show(self, request: Request) -> Reply:
        user = self.users.get(int(request.params["id"]))
        return Reply(200, {"user": self.public(user)}) if user else self.error(404, "")

    def user_update(self, request: Request) -> Reply:
        user_id = int(request.params["id"])
        fields = (request.json() or {}).get("user")
        if user_id not in self.users:
            return self.error(404, "")
        if not isinstance(fields, dict):
            return self.error(400, "InvalidEndpoint")
        if invalid := self._user_invalid(fields):
            return invalid
        return Reply(200, {"user": self.public(self.put_user(fields, user_id))})

    def user_create_or_update(self, request: Request) -> Reply:
        fields = (request.json() or {}).get("user")
        if not isinstance(fields, dict) or not fields.get("name"):
            return self.error(422, "", details={"name": [{"description": "Name: is too short", "error": "BlankValue"}]})
        if invalid := self._user_invalid(fields):
            return invalid
        match = None
        if fields.get("external_id"):
            wanted = str(fields["external_id"]).lower()
            match = next((u for u in self.users.values() if str(u.get("external_id") or "").lower() == wanted), None)
        if match is None and fields.get("email"):
            wanted = fields["email"].lower()
            match = next((u for u in self.users.values() if str(u.get("email") or "").lower() == wanted), None)
        user = self.put_user(fields, match["id"] if match else None)
        reply = Reply(200 if match else 201, {"user": self.public(user)})
        if match:
            reply.headers["Location"] = f"{self.base_url}users/{user['id']}.json"
        return reply

    def user_export(self, request: Request) -> Reply:
        horizon = self.now() - self.export_delay
        if token := request.arg("cursor"):
            try:
                after_ts, after_id = json.loads(base64.urlsafe_b64decode(token.encode()))
            except ValueError:
                return self.error(400, "InvalidCursor")
        else:
            window = self._export_window(request)
            if isinstance(window, Reply):
                return window
            after_ts, after_id = window[0], 0
        per_page = max(1, min(int(request.arg("per_page", "1000")), 1000))
        rows = sorted(
            (
                u
                for u in self.users.values()
                if (u["_updated"], u["id"]) > (after_ts, after_id - 1 if not token else after_id)
                and u["_updated"] <= horizon
            ),
            key=lambda u: (u["_updated"], u["id"]),
        )
        page = rows[:per_page]
        last = (page[-1]["_updated"], page[-1]["id"]) if page else (after_ts, after_id)
        cursor = base64.urlsafe_b64encode(json.dumps(list(last)).encode()).decode()
        return Reply(
            200,
            {
                "users": [self.public(u) for u in page],
                "after_cursor": cursor,
                "after_url": f"{self.base_url}incremental/users/cursor.json?cursor={cursor}",
                "before_cursor": None,
                "before_url": None,
                "end_of_stream": len(page) < per_page,
            },
        )
