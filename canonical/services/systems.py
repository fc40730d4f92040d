"""Source systems and their API tokens."""

import hashlib
import secrets

from django.db import transaction

from ..models import SourceSystem

TOKEN_PREFIX = "mdm_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def source_system_create(*, code: str, kind: str, name: str = "", trust_rank: int = 100) -> tuple[SourceSystem, str]:
    """Create a system and its first API token; the token is returned once and only its hash is kept."""
    with transaction.atomic(durable=True):
        system = SourceSystem(code=code, kind=kind, name=name or code, trust_rank=trust_rank)
        system.full_clean()
        system.save()
        token = _set_token(system)
    return system, token


def source_system_token_rotate(*, system: SourceSystem) -> str:
    with transaction.atomic(durable=True):
        return _set_token(system)


def _set_token(system: SourceSystem) -> str:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    system.token_hash = token_hash(token)
    system.token_hint = token[: len(TOKEN_PREFIX) + 4]
    system.save(update_fields=["token_hash", "token_hint"])
    return token
