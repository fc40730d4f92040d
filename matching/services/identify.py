"""Identity resolution: which golden record an incoming record names. The ingest path calls only these functions.

Customers and contacts go through the Fellegi-Sunter matcher (matching.engine); entitlements and contracts link on
exact identifiers (SKU + serial number, contract number). Records in one batch can match each other.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from canonical.choices import Entity
from canonical.models import GOLDEN_MODELS

from ..engine import MATCHED_ENTITIES, Matcher, Scored, settings_for
from ..features import PERSON, Features, blocking_keys, features_of, infer_kind
from ..models import MatchMode
from ..normalize import code_key, email_key, email_parts, is_placeholder_email, is_placeholder_tax_id, tax_id_key
from ..scoring import comparators_for, compare, vetoed

# Blocking-key families specific enough to lock on: two records that should match almost always share one of them,
# while the broad families (a name's sound in a city) would make concurrent ingests wait on each other for nothing.
SELECTIVE_KEYS = {"t", "e", "p", "d", "n", "pb", "fb", "a"}


@dataclass(frozen=True)
class Identified:
    golden_id: str
    method: str
    is_new: bool
    score: float | None = None
    review: Scored | None = None
    features: Features | None = None


def identity_keys(entity: str, attributes: dict) -> list[tuple[str, str]]:
    """(model field, key) pairs that name one real-world thing exactly."""
    keys: list[tuple[str, str]] = []
    if entity == Entity.CUSTOMER:
        if (tax := tax_id_key(attributes.get("tax_id"))) and not is_placeholder_tax_id(tax):
            keys.append(("tax_key", tax))
        if infer_kind(attributes) == PERSON and (mail := _identifying_email(attributes.get("email"))):
            keys.append(("email_key", mail))
    elif entity == Entity.CONTACT:
        if mail := _identifying_email(attributes.get("email")):
            keys.append(("email_key", mail))
    elif entity == Entity.ENTITLEMENT:
        if attributes.get("serial_number"):
            keys.append(
                ("identity_key", f"{code_key(attributes.get('sku'))}:{code_key(attributes.get('serial_number'))}")
            )
    elif entity == Entity.CONTRACT and (number := code_key(attributes.get("number"))):
        keys.append(("number_key", number))
    return keys


def _identifying_email(value: str | None) -> str:
    """The e-mail key, unless the address is a placeholder many strangers give ("noemail@noemail.com")."""
    parts = email_parts(value)
    return "" if parts is None or is_placeholder_email(*parts) else email_key(value)


@dataclass(frozen=True)
class Prepared:
    """A record ready for identity resolution: normalised once, with the keys its ingest must lock."""

    attributes: dict
    features: Features | None
    lock_keys: tuple[str, ...]


def probabilistic(entity: str) -> bool:
    return entity in MATCHED_ENTITIES and settings_for(entity).mode == MatchMode.PROBABILISTIC


def prepare(entity: str, attributes: dict, customer: str = "") -> Prepared:
    """Keys two concurrent ingests must not hold at once: any two records that could match share one.
    ``customer``: a contact's customer golden ID (a shared customer is evidence two contacts are one person)."""
    if probabilistic(entity):
        f = features_of(entity, attributes, customer)
        keys = tuple(f"bk:{entity}:{k}" for k in blocking_keys(f) if k.split(":", 1)[0] in SELECTIVE_KEYS)
        return Prepared(attributes, f, keys)
    keys = tuple(f"id:{entity}:{field}:{key}" for field, key in identity_keys(entity, attributes))
    return Prepared(attributes, None, keys)


def identify_batch(
    entity: str, records: Sequence[tuple[int | None, Prepared]], new_id: Callable[[], str]
) -> list[Identified]:
    """Resolve each (record ID, prepared record) to a golden ID: an existing one, or a new one (maybe with a
    review)."""
    if all(p.features is not None for _, p in records) and probabilistic(entity):
        return _identify_fuzzy(entity, records, new_id)
    return _identify_exact(entity, [p.attributes for _, p in records], new_id)


def _identify_fuzzy(entity: str, records: Sequence[tuple[int | None, Prepared]], new_id: Callable[[], str]):
    matcher = Matcher(entity)
    matcher.prefetch([p.features for _, p in records])
    results = []
    for record_id, prepared in records:
        f = prepared.features
        decision = matcher.decide(f)
        if decision.action == "link":
            found = Identified(decision.golden_id, "fuzzy", False, decision.score, features=f)
        else:
            review = decision.candidates[0] if decision.action == "review" else None
            found = Identified(new_id(), "new", True, decision.score, review=review, features=f)
        matcher.remember(found.golden_id, f, record_id)
        results.append(found)
    return results


def _identify_exact(entity: str, attributes: Sequence[dict], new_id: Callable[[], str]) -> list[Identified]:
    """Link on identity keys, to the oldest golden record holding the key. An e-mail address links only records
    that contradict each other nowhere: a family or a team shares a mailbox ("mueller.familie@..."), and Hans and
    Maria Müller are two customers, each found again by that address."""
    model = GOLDEN_MODELS[entity]
    keys_per_item = [identity_keys(entity, attrs) for attrs in attributes]
    wanted: dict[str, set[str]] = {}
    for keys in keys_per_item:
        for field, key in keys:
            wanted.setdefault(field, set()).add(key)
    known: dict[tuple[str, str], list[str]] = {}  # each key's live holders, oldest first
    held: dict[str, dict] = {}  # an e-mail holder's attributes, to compare a newcomer with
    for field, values in wanted.items():
        # Merged-away records are skipped here rather than in SQL: during a bulk load the planner's statistics
        # say few rows are live, and "merged_into IS NULL" then makes it scan that whole index for every batch.
        rows = model.objects.filter(**{f"{field}__in": values})
        if field == "email_key":
            rows = list(rows)
            held.update((g.id, g.to_attributes()) for g in rows if g.merged_into_id is None)
            holders = [(g.email_key, g.id, g.merged_into_id) for g in rows]
        else:
            holders = list(rows.values_list(field, "id", "merged_into_id"))
        for key, golden_id, merged_into in sorted(holders, key=lambda row: row[1]):
            if merged_into is None:
                known.setdefault((field, key), []).append(golden_id)
    normalised: dict[str, Features] = {}

    def features(golden_id: str) -> Features:
        if golden_id not in normalised:
            normalised[golden_id] = features_of(entity, held[golden_id])
        return normalised[golden_id]

    results: list[Identified] = []
    for attrs, keys in zip(attributes, keys_per_item, strict=True):
        f = None  # this record's features, once a holder is compared with it
        for field, key in keys:
            holding = known.get((field, key), [])
            hit = holding[0] if holding and field != "email_key" else None
            if holding and field == "email_key":
                f = f or features_of(entity, attrs)
                hit = next((g for g in holding if not _contradicts(entity, f, features(g))), None)
            if hit:
                results.append(Identified(hit, f"exact:{field.removesuffix('_key')}", is_new=False, score=1.0))
                break
        else:
            golden_id = new_id()
            held[golden_id] = attrs
            if f is not None:
                normalised[golden_id] = f
            for field, key in keys:  # later records of the batch find it by its keys (a tax ID stays its first's)
                if field == "email_key" or (field, key) not in known:
                    known.setdefault((field, key), []).append(golden_id)
            results.append(Identified(golden_id, "new", is_new=True))
    return results


def _contradicts(entity: str, a: Features, b: Features) -> bool:
    """The two records disagree where the probabilistic matcher vetoes a link (a person and a company, birth date,
    given name, tax ID)."""
    if a.kind != b.kind:
        return True
    comparators = comparators_for(entity, a.kind)
    return vetoed(comparators, compare(comparators, a, b))
