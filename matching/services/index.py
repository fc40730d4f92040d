"""Keep each source record's normalised features and blocking keys in step with its data and golden record."""

import json
from collections import Counter
from typing import NamedTuple

from django.db import connection, transaction

from canonical.db import copy_rows, pg_array
from canonical.models import CrossReference, SourceRecord
from canonical.selectors import references_resolve

from ..engine import features_to_json
from ..features import Features, blocking_keys, features_of
from ..models import BlockingKey, BlockingKeyCount, RecordFeatures
from .identify import probabilistic


def records_index(*, entity: str, items: list[tuple[SourceRecord, str, Features | None]], fresh: bool,
                  count: bool = True) -> None:  # fmt: skip
    """Store features and keys of (record, golden ID, features if already computed). ``fresh``: none stored yet.
    A record is anything with pk, system_id, attributes and references. ``count=False`` leaves the key counts to
    one recount at the end of a bulk run (blocking_counts_rebuild)."""
    if not items or not probabilistic(entity):
        return
    counts: Counter = Counter()
    if not fresh:
        ids = [record.pk for record, _, _ in items]
        old = BlockingKey.objects.filter(source_record_id__in=ids)
        counts.subtract(old.values_list("key", flat=True))
        old.delete()
        RecordFeatures.objects.filter(source_record_id__in=ids).delete()
    missing = [record for record, _, features in items if features is None]
    resolved = references_resolve([(record.system_id, record.references) for record in missing])
    customers = {record.pk: refs.get("customer") or "" for record, refs in zip(missing, resolved, strict=True)}
    rows, keys = [], []
    for record, golden_id, features in items:
        f = features or features_of(entity, record.attributes, customers.get(record.pk, ""))
        rows.append((record.pk, entity, golden_id, json.dumps(features_to_json(f))))
        for key in blocking_keys(f):
            keys.append((entity, key[:300], record.pk, golden_id))
            counts[key[:300]] += 1
    copy_rows(RecordFeatures, ["source_record", "entity", "golden_id", "features"], rows)
    copy_rows(BlockingKey, ["entity", "key", "source_record", "golden_id"], keys)
    if count:
        _count(entity, counts)


def blocking_counts_rebuild(*, entity: str) -> None:
    """Count every blocking key of an entity afresh (after a bulk index that skipped counting)."""
    with transaction.atomic(durable=True), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO matching_blockingkeycount (entity, key, records)"
            " SELECT entity, key, count(*) FROM matching_blockingkey WHERE entity = %s GROUP BY entity, key"
            " ON CONFLICT (entity, key) DO UPDATE SET records = EXCLUDED.records",
            [entity],
        )


def _count(entity: str, counts: Counter) -> None:
    changed = sorted((key, n) for key, n in counts.items() if n)
    if not changed:
        return
    if connection.vendor != "postgresql":
        for key, n in changed:
            row, _ = BlockingKeyCount.objects.get_or_create(entity=entity, key=key)
            row.records += n
            row.save(update_fields=["records"])
        return
    with connection.cursor() as cursor:
        # Sorted by key, so two transactions counting the same keys lock the rows in the same order.
        cursor.execute(
            "INSERT INTO matching_blockingkeycount (entity, key, records)"
            " SELECT %s, k, n FROM unnest(%s::text[], %s::int[]) AS t(k, n) ORDER BY k"
            " ON CONFLICT (entity, key) DO UPDATE SET records = matching_blockingkeycount.records + EXCLUDED.records",
            [entity, pg_array(k for k, _ in changed), pg_array(n for _, n in changed)],
        )


class Indexable(NamedTuple):
    """The parts of a source record indexing reads."""

    pk: int
    system_id: int
    attributes: dict
    references: dict


def records_index_missing(*, entity: str, batch: int = 2000, shard: int = 0, shards: int = 1) -> int:
    """Index stored records that have no features yet (after switching an entity to probabilistic matching).

    Walks the cross-references in record-ID order, so each batch costs the same at any size; ``shard`` of
    ``shards`` takes every ``shards``-th record, so several processes can index at once. Key counts are left to
    blocking_counts_rebuild, run once after all shards.
    """
    done, last = 0, 0
    while True:
        with transaction.atomic(durable=True):
            page = list(
                CrossReference.objects.filter(entity=entity, source_record_id__gt=last)
                .order_by("source_record_id")
                .values_list("source_record_id", flat=True)[:batch]
            )
            if not page:
                return done
            last = page[-1]
            mine = [record_id for record_id in page if record_id % shards == shard]
            have = set(RecordFeatures.objects.filter(source_record_id__in=mine).values_list("pk", flat=True))
            rows = [
                (Indexable(record_id, system_id, attributes, references), golden_id, None)
                for record_id, golden_id, system_id, attributes, references in CrossReference.objects.filter(
                    entity=entity, source_record_id__in=[r for r in mine if r not in have]
                )
                .order_by("source_record_id")
                .values_list(
                    "source_record_id", "golden_id", "source_record__system_id", "source_record__attributes",
                    "source_record__references",
                )
            ]  # fmt: skip
            records_index(entity=entity, items=rows, fresh=True, count=False)
        done += len(rows)


def _bulk_dropped() -> list[tuple[str, str, str]]:
    """(table, name, SQL that makes it) of what a bulk index run drops: the matching tables' secondary indexes and
    foreign keys, named and written exactly as the migrations made them. Foreign keys are checked row by row at
    commit (millions of look-ups for millions of keys); added back afterwards, they are checked in one join."""
    made = []
    with connection.schema_editor(collect_sql=True) as editor:
        for model in (BlockingKey, RecordFeatures):
            statements = list(editor._model_indexes_sql(model))
            statements += [
                editor._create_fk_sql(model, f, "_fk_%(to_table)s_%(to_column)s")
                for f in model._meta.local_fields
                if f.remote_field and f.db_constraint
            ]
            made += [(model._meta.db_table, str(st.parts["name"]).strip('"'), str(st)) for st in statements]
    return made


def bulk_indexing_worth_it(*, entity: str) -> bool:
    """More records lack features than have them (the first run after switching an entity to probabilistic, or
    after a large import): building indexes and checking foreign keys once afterwards is cheaper than per row."""
    if connection.vendor != "postgresql":
        return False
    stored = RecordFeatures.objects.filter(entity=entity).count()
    return CrossReference.objects.filter(entity=entity).count() > 2 * stored


def matching_indexes_drop() -> None:
    """Drop the matching tables' secondary indexes and foreign keys for a bulk index run. Candidate look-ups still
    answer meanwhile, from table scans; matching_indexes_ensure puts everything back (also after a crashed run)."""
    with connection.cursor() as cursor:
        for table, name, sql in _bulk_dropped():
            if sql.startswith("ALTER TABLE"):
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{name}"')
            else:
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


def _present() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            " UNION ALL SELECT conname FROM pg_constraint WHERE connamespace = current_schema()::regnamespace"
        )
        return {name for (name,) in cursor.fetchall()}


def matching_indexes_ensure() -> list[str]:
    """Create whichever index or foreign key of the matching tables is missing; returns their names."""
    if connection.vendor != "postgresql":
        return []
    present = _present()
    missing = [(name, sql) for _, name, sql in _bulk_dropped() if name not in present]
    if missing:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")  # each index sorted in memory, not on disk
            for _, sql in missing:
                cursor.execute(sql)
            cursor.execute("RESET maintenance_work_mem")
    return [name for name, _ in missing]
