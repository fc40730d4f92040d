"""Fail at once, saying how to start them, when the PostgreSQL or Redis the tests need is not answering."""

import os
import sys
from urllib.parse import urlsplit

import psycopg
import psycopg.sql
import redis

HOW = {
    "PostgreSQL": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start   "
    "(or: docker compose up -d postgres)",
    "Redis": "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no   "
    "(or: docker compose up -d redis)",
}


def check_postgres(url: str) -> str | None:
    """Connect, and create the configured database when missing (pytest makes its own test_ copy of it)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "mdmhub"
    try:
        with psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname="postgres",
            connect_timeout=3,
            autocommit=True,
        ) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
                conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
            return None
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0]


def check_redis(url: str) -> str | None:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
    except redis.RedisError as exc:
        return str(exc)
    return None


def main() -> int:
    db_url = os.environ["DATABASE_URL"]
    broker_url = os.environ["CELERY_BROKER_URL"]
    failures = []
    if error := check_postgres(db_url):
        failures.append(("PostgreSQL", db_url, error))
    if broker_url.startswith("redis") and (error := check_redis(broker_url)):
        failures.append(("Redis", broker_url, error))
    for name, url, error in failures:
        print(f"{name} is not reachable at {url}: {error}", file=sys.stderr)
        print(f"  start it with: {HOW[name]}", file=sys.stderr)
        print("  or point DATABASE_URL / CELERY_BROKER_URL at a running server.", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
