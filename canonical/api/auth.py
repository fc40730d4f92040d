"""Per-system API tokens: ``Authorization: Token mdm_...``. The request's user is then the system itself."""

import time
from dataclasses import dataclass

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from ..models import SourceSystem
from ..services.systems import token_hash


@dataclass(frozen=True)
class SystemPrincipal:
    """The identity of a calling system. Quacks like a user for DRF's permission checks."""

    system_id: int
    code: str
    kind: str
    is_authenticated: bool = True
    is_staff: bool = False
    is_active: bool = True

    def __str__(self) -> str:
        return f"system:{self.code}"


_cache: dict[str, tuple[float, SystemPrincipal | None]] = {}


def principal_for_token(token: str) -> SystemPrincipal | None:
    """Look a token up, caching the answer briefly per process so hot read paths skip a query."""
    digest = token_hash(token)
    now = time.monotonic()
    hit = _cache.get(digest)
    if hit and hit[0] > now:
        return hit[1]
    system = SourceSystem.objects.filter(token_hash=digest, enabled=True).only("id", "code", "kind").first()
    principal = SystemPrincipal(system.pk, system.code, system.kind) if system else None
    if len(_cache) > 10_000:
        _cache.clear()
    _cache[digest] = (now + settings.MDMHUB_TOKEN_CACHE_SECONDS, principal)
    return principal


def forget_tokens() -> None:
    _cache.clear()


class SystemTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Authorization header must be 'Token <token>'.")
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid token.") from exc
        principal = principal_for_token(token)
        if principal is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        return principal, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class SystemTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token scheme in the OpenAPI document."""

    target_class = "canonical.api.auth.SystemTokenAuthentication"
    name = "systemToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <API token>`; `manage.py mdm_system token CODE` issues one.",
        }
