"""Identity resolution: which golden record an incoming record names. The ingest path calls only ``identify_batch``.

This version links on exact strong identifiers (tax ID; e-mail for persons and contacts; SKU + serial number;
contract number). Records in one batch that share a key join one new golden record.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from canonical.choices import CustomerKind, Entity
from canonical.models import GOLDEN_MODELS

from .normalize import code_key, email_key, tax_id_key


@dataclass(frozen=True)
class Identified:
    golden_id: str
    method: str
    is_new: bool
    score: float | None = None


def _is_person(attributes: dict) -> bool:
    kind = attributes.get("kind")
    if kind:
        return kind == CustomerKind.PERSON
    return not attributes.get("name") and bool(attributes.get("first_name") or attributes.get("last_name"))


def identity_keys(entity: str, attributes: dict) -> list[tuple[str, str]]:
    """(model field, key) pairs, strongest first, that name one real-world thing."""
    keys: list[tuple[str, str]] = []
    if entity == Entity.CUSTOMER:
        if tax := tax_id_key(attributes.get("tax_id")):
            keys.append(("tax_key", tax))
        if _is_person(attributes) and (mail := email_key(attributes.get("email"))):
            keys.append(("email_key", mail))
    elif entity == Entity.CONTACT:
        if mail := email_key(attributes.get("email")):
            keys.append(("email_key", mail))
    elif entity == Entity.ENTITLEMENT:
        if attributes.get("serial_number"):
            keys.append(
                ("identity_key", f"{code_key(attributes.get('sku'))}:{code_key(attributes.get('serial_number'))}")
            )
    elif entity == Entity.CONTRACT and (number := code_key(attributes.get("number"))):
        keys.append(("number_key", number))
    return keys


def identify_batch(entity: str, attributes: Sequence[dict], new_id: Callable[[], str]) -> list[Identified]:
    """Resolve each record to an existing golden ID, or to a new one shared by records with the same key."""
    model = GOLDEN_MODELS[entity]
    keys_per_item = [identity_keys(entity, attrs) for attrs in attributes]
    wanted: dict[str, set[str]] = {}
    for keys in keys_per_item:
        for field, key in keys:
            wanted.setdefault(field, set()).add(key)
    known: dict[tuple[str, str], str] = {}
    for field, values in wanted.items():
        rows = model.objects.filter(merged_into__isnull=True, **{f"{field}__in": values}).values_list(field, "id")
        for key, golden_id in sorted(rows, key=lambda row: row[1]):
            known.setdefault((field, key), golden_id)  # the oldest golden with the key wins
    results: list[Identified] = []
    for keys in keys_per_item:
        hit = next(((field, key) for field, key in keys if (field, key) in known), None)
        if hit:
            results.append(Identified(known[hit], f"exact:{hit[0].removesuffix('_key')}", is_new=False, score=1.0))
            continue
        golden_id = new_id()
        for field_key in keys:
            known[field_key] = golden_id
        results.append(Identified(golden_id, "new", is_new=True))
    return results
