"""Source-system credentials, encrypted at rest.

Keys come from the environment: ``MDMHUB_CREDENTIAL_KEYS`` is a comma-separated list of Fernet keys (generate one
with ``manage.py mdm_credentials newkey``). The first key encrypts; every listed key decrypts, so a key is rotated by
putting a new key first, running ``manage.py mdm_credentials rotate`` (re-encrypts every system's credentials with
the new key) and then removing the old key. Without the variable a key is derived from ``SECRET_KEY`` (itself from
the environment), which is fine for a laptop and documented as not for production.

Credentials are a JSON object (e.g. ``{"email": "...", "api_token": "..."}``); they are decrypted only inside a
connector, never logged, shown in admin or returned by the API.
"""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class CredentialError(Exception):
    """Stored credentials cannot be decrypted with the configured keys (a key was removed too early)."""


def _keys() -> list[bytes]:
    configured = [k.strip().encode() for k in settings.MDMHUB_CREDENTIAL_KEYS if k.strip()]
    if configured:
        return configured
    return [base64.urlsafe_b64encode(hashlib.sha256(b"mdmhub-credentials:" + settings.SECRET_KEY.encode()).digest())]


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _keys()])


def new_key() -> str:
    return Fernet.generate_key().decode()


def encrypt(credentials: dict) -> str:
    if not credentials:
        return ""
    return _fernet().encrypt(json.dumps(credentials, sort_keys=True).encode()).decode()


def decrypt(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as exc:
        raise CredentialError("stored credentials do not decrypt with MDMHUB_CREDENTIAL_KEYS") from exc


def rotate(token: str) -> str:
    """The same credentials encrypted with the first (newest) key."""
    if not token:
        return ""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise CredentialError("stored credentials do not decrypt with MDMHUB_CREDENTIAL_KEYS") from exc
