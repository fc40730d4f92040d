"""Request bodies. Canonical attributes are checked by canonical.schema so the API and the importer agree."""

from rest_framework import serializers

from ..choices import Entity
from ..schema import clean_attributes, clean_local_id, clean_references
from ..services.ingest import IngestItem

MAX_RESOLVE = 1000


class StrictSerializer(serializers.Serializer):
    """Rejects keys it does not know, naming them."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({str(k)[:80]: ["is not a known field"] for k in unknown})
        return super().to_internal_value(data)


class IngestBody(StrictSerializer):
    attributes = serializers.JSONField()
    source_updated_at = serializers.DateTimeField(required=False, allow_null=True)
    references = serializers.JSONField(required=False, default=dict)

    def validate(self, data: dict) -> dict:
        entity = self.context["entity"]
        attributes, errors = clean_attributes(entity, data["attributes"])
        references, ref_errors = clean_references(entity, data.get("references"))
        errors.update(ref_errors)
        if errors:
            raise serializers.ValidationError(errors)
        data["attributes"], data["references"] = attributes, references
        return data

    def to_item(self, local_id: str, raw: object) -> IngestItem:
        data = self.validated_data
        return IngestItem(
            local_id=local_id,
            attributes=data["attributes"],
            references=data["references"],
            source_updated_at=data.get("source_updated_at"),
            raw=raw if isinstance(raw, dict) else {},
        )


class LocalIdList(serializers.ListField):
    """Up to 1,000 local IDs, checked by one loop rather than a field object per element (this path is hot)."""

    child = serializers.CharField()

    def to_internal_value(self, data):
        if not isinstance(data, list):
            raise serializers.ValidationError("must be a list of local IDs")
        if not 1 <= len(data) <= MAX_RESOLVE:
            raise serializers.ValidationError(f"must hold between 1 and {MAX_RESOLVE} local IDs")
        clean = []
        for index, value in enumerate(data):
            local_id, error = clean_local_id(value)
            if error or local_id is None:
                raise serializers.ValidationError({index: [error or "must not be empty"]})
            clean.append(local_id)
        return clean


class ResolveBody(StrictSerializer):
    system = serializers.SlugField(max_length=40)
    entity = serializers.ChoiceField(choices=Entity.choices)
    local_ids = LocalIdList(min_length=1, max_length=MAX_RESOLVE)  # documents the bounds to_internal_value checks


class IngestResultSerializer(serializers.Serializer):
    entity = serializers.CharField()
    local_id = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["created", "updated", "unchanged", "stale", "conflict"])
    golden_id = serializers.CharField(allow_null=True)
    version = serializers.IntegerField(allow_null=True)
    conflicts = serializers.ListField(child=serializers.DictField())
    pending_references = serializers.ListField(child=serializers.CharField())


class LinkSerializer(serializers.Serializer):
    system = serializers.CharField()
    local_id = serializers.CharField()


class XrefSerializer(serializers.Serializer):
    system = serializers.CharField()
    entity = serializers.CharField()
    local_id = serializers.CharField()
    golden_id = serializers.CharField()
    links = LinkSerializer(many=True)


class GoldenSerializer(serializers.Serializer):
    id = serializers.CharField()
    entity = serializers.CharField()
    version = serializers.IntegerField()
    attributes = serializers.DictField()
    lineage = serializers.DictField()
    links = serializers.ListField(child=serializers.DictField())
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
