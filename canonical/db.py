"""Database helpers the services share."""

import json
from collections.abc import Iterable

import orjson
from django.db import connection
from django.utils import timezone

# A fixed key serialises the last step of every transaction that appends to the change log, so change-log IDs
# become visible in commit order and a feed reader never skips a row committed late with a smaller ID.
CHANGELOG_LOCK = 0x6D646D68_75620001


def pg_array(values: Iterable) -> str:
    """An array literal to pass as one parameter and cast in SQL (``unnest(%s::bigint[])``). psycopg adapts a list
    element by element, about 3 µs each: 12 ms for the 4,000 golden IDs one re-match chunk asks about, against 2 ms
    for the literal. Elements are quoted, so the text of any type goes in as PostgreSQL would read it."""
    parts = []
    for value in values:
        if value is None:
            parts.append("NULL")
        else:
            text = value if isinstance(value, str) else str(value)
            parts.append('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(parts) + "}"


def lock_keys(keys: Iterable[str]) -> None:
    """Take transaction-scoped advisory locks on string keys, in a fixed order so two callers cannot deadlock."""
    unique = sorted(set(keys))
    if not unique or connection.vendor != "postgresql":
        return  # SQLite runs one writer at a time already.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(h) FROM ("
            " SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest(%s::text[]) AS k ORDER BY h) AS ordered",
            [pg_array(unique)],
        )


def lock_changelog() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHANGELOG_LOCK])


def tables_analyze(models: Iterable) -> None:
    """Fresh planner statistics for tables a bulk job just filled. Until a table is analysed PostgreSQL guesses
    its size, and autovacuum may be off or not there yet: at a million cross-references the guess made the golden
    recompute scan the whole table per batch (440 ms a query) instead of using the golden-ID index."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def bulk_update_fast(model, objs: list, fields: list[str]) -> None:
    """``QuerySet.bulk_update`` for thousands of rows: one ``UPDATE ... FROM unnest(...)`` per table on PostgreSQL.

    Django's bulk_update builds a CASE expression per row and field, which costs ~15 ms per row at import sizes.
    This writes the same values; history rows are still made by simple-history (see GoldenRecompute._write).
    """
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(objs, fields, batch_size=500)
        return
    meta = model._meta
    pk = meta.pk
    columns = [meta.get_field(name) for name in fields]
    selects, params = [], []
    for field in [pk, *columns]:
        db_type = field.db_type(connection)
        if db_type == "jsonb":
            raw = [getattr(obj, field.attname) for obj in objs]
            values = [None if v is None else json.dumps(v, cls=field.encoder) for v in raw]
            selects.append(f"unnest(%s::text[])::jsonb AS {connection.ops.quote_name(field.column)}")
        else:
            values = [field.get_db_prep_save(getattr(obj, field.attname), connection) for obj in objs]
            selects.append(f"unnest(%s::{db_type}[]) AS {connection.ops.quote_name(field.column)}")
        params.append(pg_array(values))
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in columns)
    sql = (
        f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "
        f"FROM (SELECT {', '.join(selects)}) AS v WHERE t.{quote(pk.column)} = v.{quote(pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


_PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "FloatField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "TextField",
}


def _getter(field, attname: str | None = None):
    """A function from object to this column's COPY value; psycopg adapts plain values, JSON goes as text."""
    name = attname or field.attname
    kind = field.get_internal_type()
    if kind == "JSONField":  # jsonb, so only the value counts, not the spacing; orjson is 5x json.dumps here
        return lambda obj: None if (v := getattr(obj, name)) is None else _json_text(v)
    if kind in _PLAIN_TYPES:
        return lambda obj: getattr(obj, name)
    return lambda obj: field.get_db_prep_save(getattr(obj, name), connection)


def _json_text(value) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def _next_ids(model, count: int) -> list[int]:
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(model, names: list[str], rows) -> None:
    """COPY plain tuples into the named columns of a model's table, for bulk paths that never need the objects
    (the columns left out take their database defaults, the primary key included)."""
    fields = [model._meta.get_field(name) for name in names]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(
            [model(**{f.attname: value for f, value in zip(fields, row, strict=True)}) for row in rows], batch_size=500
        )
        return
    _copy_rows(model._meta.db_table, fields, rows)


def copy_insert_skipping_conflicts(model, objs: list, *, key: list[str]) -> None:
    """copy_insert for objects without their primary key yet, leaving out each one that would break a unique
    constraint (a row another transaction committed meanwhile) instead of failing them all.

    Rows go in ordered by ``key`` (the unique constraint's fields): a transaction inserting a key another one has
    inserted but not committed waits for it, and in one order two such transactions cannot wait on each other.
    """
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=500, ignore_conflicts=True)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    getters = [_getter(f) for f in fields]
    quote = connection.ops.quote_name
    stage = f"stage_{model._meta.db_table}"
    columns = ", ".join(quote(f.column) for f in fields)
    order = ", ".join(quote(model._meta.get_field(name).column) for name in key)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {quote(stage)} ON COMMIT DELETE ROWS"
            f" AS SELECT {columns} FROM {quote(model._meta.db_table)} WITH NO DATA"
        )
        _copy_rows(stage, fields, ([get(obj) for get in getters] for obj in objs))
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({columns}) SELECT {columns} FROM {quote(stage)}"
            f" ORDER BY {order} ON CONFLICT DO NOTHING"
        )
        cursor.execute(f"DELETE FROM {quote(stage)}")


def _copy_rows(table: str, fields: list, rows) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def copy_insert(model, objs: list) -> None:
    """``bulk_create`` through PostgreSQL COPY, giving auto primary keys to the objects first.

    Django 5.2 sends bulk inserts as text arrays that psycopg escapes element by element in Python; for JSON columns
    that is most of an import's time. COPY formats rows in psycopg's C code.
    """
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=500)
        return
    meta = model._meta
    if meta.pk.get_internal_type() in {"AutoField", "BigAutoField"}:
        missing = [obj for obj in objs if obj.pk is None]
        for obj, new_id in zip(missing, _next_ids(model, len(missing)), strict=True):
            obj.pk = new_id
    now = _now()
    auto = [
        f.attname for f in meta.concrete_fields if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
    ]
    for obj in objs:
        for attname in auto:
            if getattr(obj, attname) is None:
                setattr(obj, attname, now)
        obj._state.adding = False
    getters = [_getter(f) for f in meta.concrete_fields]
    _copy_rows(meta.db_table, meta.concrete_fields, ([get(obj) for get in getters] for obj in objs))


def copy_insert_history(model, objs: list, *, history_type: str, reason: str, user_id: int | None = None) -> None:
    """The rows simple-history writes for ``objs`` ('+' created, '~' changed), without building model instances."""
    if not objs:
        return
    history_model = model.history.model
    now = _now()
    if connection.vendor != "postgresql":
        rows = [
            history_model(
                **{f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields},
                history_date=now,
                history_type=history_type,
                history_change_reason=reason,
                history_user_id=user_id,
            )
            for obj in objs
        ]
        history_model.objects.bulk_create(rows, batch_size=500)
        return
    fixed = {"history_date": now, "history_type": history_type, "history_change_reason": reason}
    fixed["history_user"] = user_id
    fields = [f for f in history_model._meta.concrete_fields if f.name != "history_id"]
    id_field = history_model._meta.get_field("history_id")
    getters = [(lambda obj, v=fixed[f.name]: v) if f.name in fixed else _getter(f) for f in fields]
    ids = _next_ids(history_model, len(objs))
    rows = ([history_id, *(get(obj) for get in getters)] for history_id, obj in zip(ids, objs, strict=True))
    _copy_rows(history_model._meta.db_table, [id_field, *fields], rows)


def _now():
    return timezone.now()
