"""Database helpers the services share."""

from collections.abc import Iterable

from django.db import connection

# A fixed key serialises the last step of every transaction that appends to the change log, so change-log IDs
# become visible in commit order and a feed reader never skips a row committed late with a smaller ID.
CHANGELOG_LOCK = 0x6D646D68_75620001


def lock_keys(keys: Iterable[str]) -> None:
    """Take transaction-scoped advisory locks on string keys, in a fixed order so two callers cannot deadlock."""
    unique = sorted(set(keys))
    if not unique or connection.vendor != "postgresql":
        return  # SQLite runs one writer at a time already.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(h) FROM ("
            " SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest(%s::text[]) AS k ORDER BY h) AS ordered",
            [unique],
        )


def lock_changelog() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHANGELOG_LOCK])
