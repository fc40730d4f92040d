"""Normalisation of identifiers for exact identity keys. Pure functions."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9A-Z]")


def tax_id_key(value: str | None) -> str:
    """``DE 123.456.789`` and ``de123456789`` are one tax ID."""
    if not value:
        return ""
    text = unicodedata.normalize("NFKD", value).upper()
    return _NON_ALNUM.sub("", text)


def email_key(value: str | None) -> str:
    if not value:
        return ""
    return value.strip().lower()


def code_key(value: str | None) -> str:
    """Serial numbers, SKUs and contract numbers: case, spaces and dashes do not matter."""
    if not value:
        return ""
    return _NON_ALNUM.sub("", value.upper())
