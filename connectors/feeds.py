"""Small pieces the platform connectors share when reading feeds and events."""

import json


def stored_cursor(text: str | None) -> dict:
    """A change-feed cursor as stored (a JSON object), or a bare date-time an operator typed in to re-read from."""
    if not text:
        return {}
    return json.loads(text) if text.lstrip().startswith("{") else {"since": text.strip()}


def json_object(body: bytes) -> dict:
    """A webhook body as a JSON object; anything else (not JSON, a list) as an empty one."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def naive_utc(stamp: str | None) -> str | None:
    """``YYYY-MM-DD HH:MM:SS`` that a platform gives in UTC without saying so, as ISO 8601 with the offset."""
    if stamp and len(stamp) == 19 and stamp[10] == " ":
        return f"{stamp[:10]}T{stamp[11:]}+00:00"
    return stamp
