"""Keep each source record's normalised features and blocking keys in step with its data and golden record."""

from canonical.db import copy_insert
from canonical.models import SourceRecord

from ..engine import MATCHED_ENTITIES, features_to_json
from ..features import Features, blocking_keys, features_of
from ..models import BlockingKey, RecordFeatures


def records_index(*, entity: str, items: list[tuple[SourceRecord, str, Features | None]], fresh: bool) -> None:
    """Store features and keys of (record, golden ID, features if already computed). ``fresh``: none stored yet."""
    if entity not in MATCHED_ENTITIES or not items:
        return
    if not fresh:
        ids = [record.pk for record, _, _ in items]
        BlockingKey.objects.filter(source_record_id__in=ids).delete()
        RecordFeatures.objects.filter(source_record_id__in=ids).delete()
    rows, keys = [], []
    for record, golden_id, features in items:
        f = features or features_of(entity, record.attributes)
        rows.append(
            RecordFeatures(source_record_id=record.pk, entity=entity, golden_id=golden_id, features=features_to_json(f))
        )
        keys += [
            BlockingKey(entity=entity, key=key[:300], source_record_id=record.pk, golden_id=golden_id)
            for key in blocking_keys(f)
        ]
    copy_insert(RecordFeatures, rows)
    copy_insert(BlockingKey, keys)
