"""Golden IDs: opaque, stable, time-ordered (so listing by ID is roughly by creation) and typed by prefix."""

import os
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case
PREFIXES = {"customer": "cus", "contact": "con", "entitlement": "ent", "contract": "ctr"}


def _base32(number: int, length: int) -> str:
    chars = []
    for _ in range(length):
        number, rem = divmod(number, 32)
        chars.append(_ALPHABET[rem])
    return "".join(reversed(chars))


def new_golden_id(entity: str) -> str:
    """``cus_`` + 10 chars of millisecond time + 16 random chars (80 bits)."""
    millis = time.time_ns() // 1_000_000
    random_bits = int.from_bytes(os.urandom(10), "big")
    return f"{PREFIXES[entity]}_{_base32(millis, 10)}{_base32(random_bits, 16)}"
