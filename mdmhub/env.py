"""Small typed readers for settings taken from the environment.

A secret may also be given as a file: ``SECRET_KEY_FILE=/run/secrets/key`` is read when ``SECRET_KEY`` is unset.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit


def env_str(name: str, default: str = "") -> str:
    value = os.environ.get(name)
    if value is not None:
        return value
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return default


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name, "")
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env_str(name, "")
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = env_str(name, "")
    return float(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


def database_from_url(url: str) -> dict:
    """Turn ``postgres://user:pass@host:port/name?opt=v`` or ``sqlite:///path`` into a Django DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parts.path[1:] if parts.path else "")}
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ValueError(f"unsupported DATABASE_URL scheme {parts.scheme!r}")
    options: dict = dict(parse_qsl(parts.query))
    # Server-side binding sends parameters apart from the SQL. Client-side binding quotes every array element
    # in Python, which costs more than the rest of a bulk import put together. ?server_side_binding=false reverts.
    options["server_side_binding"] = options.get("server_side_binding", "true").lower() != "false"
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "mdmhub",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": int(options.pop("conn_max_age", 60)),
        "CONN_HEALTH_CHECKS": False,
        "OPTIONS": options,
    }
