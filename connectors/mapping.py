"""Field mapping between a platform's objects and canonical entities, declared as data.

An ``ObjectMap`` pairs canonical attribute paths with remote field paths (dots walk into nested objects:
``organization_fields.tax_id``, ``address.city``). A remote path may end in ``|converter`` for the few values that
are not a plain copy (a full name split into first and last, a list's first element). A source system overrides any
part in its ``mapping`` setting::

    {"customer": {"fields": {"tax_id": "organization_fields.vat_number", "phone": null}}}

(``null`` removes a pairing). Reading keeps the whole remote object as the source record's raw payload, so what no
pairing covers is kept, never dropped.
"""

from dataclasses import dataclass, field, replace

MISSING = object()


@dataclass(frozen=True)
class ObjectMap:
    entity: str  # canonical entity
    remote: str  # the platform's object, table or resource name
    fields: dict[str, str]  # canonical path -> remote path[|converter]
    id_field: str = "id"
    updated_field: str = "updated_at"
    references: dict[str, str] = field(default_factory=dict)  # canonical entity referred to -> remote path of its ID
    constants: dict[str, object] = field(default_factory=dict)  # canonical values implied by the object

    def overridden(self, override: dict | None) -> "ObjectMap":
        if not override:
            return self
        fields = {**self.fields, **(override.get("fields") or {})}
        references = {**self.references, **(override.get("references") or {})}
        return replace(
            self,
            remote=override.get("remote", self.remote),
            fields={k: v for k, v in fields.items() if v},
            references={k: v for k, v in references.items() if v},
            id_field=override.get("id_field", self.id_field),
            updated_field=override.get("updated_field", self.updated_field),
            constants={**self.constants, **(override.get("constants") or {})},
        )


def get_path(obj: object, path: str) -> object:
    for part in path.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return obj


def set_path(obj: dict, path: str, value: object) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        obj = obj.setdefault(part, {})
    obj[parts[-1]] = value


def _split_name(full: object) -> tuple[str | None, str | None]:
    if not isinstance(full, str) or not full.strip():
        return None, None
    first, _, last = full.strip().partition(" ")
    return first, (last.strip() or None)


def _read(record: dict, spec: str) -> object:
    path, _, converter = spec.partition("|")
    value = get_path(record, path)
    if converter == "first":
        return _split_name(value)[0]
    if converter == "last":
        return _split_name(value)[1]
    if converter == "item0":
        return value[0] if isinstance(value, list) and value else None
    if converter == "str":
        return None if value is None else str(value)
    return value


def to_canonical(mapping: ObjectMap, record: dict) -> tuple[dict, dict]:
    """(attributes, references) of one remote object; empty values are left out (they neither help nor hurt)."""
    attributes: dict = dict(mapping.constants)
    for canonical, spec in mapping.fields.items():
        value = _read(record, spec)
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, int | float) and not isinstance(value, bool) and canonical not in _NUMERIC:
            value = str(value)
        set_path(attributes, canonical, value)
    references = {}
    for entity, path in mapping.references.items():
        value = get_path(record, path)
        if value not in (None, ""):
            references[entity] = str(value)
    return attributes, references


_NUMERIC = {"credit_limit", "value"}


def to_remote(mapping: ObjectMap, data: dict) -> dict:
    """The remote fields for the canonical values in ``data`` (only attributes present in it are written; an absent
    golden value is written as null so the platform forgets it too)."""
    remote: dict = {}
    names: dict[str, list[str | None]] = {}
    for canonical, spec in mapping.fields.items():
        top = canonical.split(".")[0]
        if top not in data:
            continue
        path, _, converter = spec.partition("|")
        value = get_path(data, canonical) if "." in canonical else data.get(canonical)
        if converter in ("first", "last"):
            slot = names.setdefault(path, [None, None])
            slot[0 if converter == "first" else 1] = value
            continue
        if converter == "item0":
            value = [value] if value else []
        set_path(remote, path, value)
    for path, (first, last) in names.items():
        full = " ".join(p for p in (first, last) if p)
        if full:
            set_path(remote, path, full)
    return remote
