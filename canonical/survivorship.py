"""Survivorship: which source's value each golden attribute takes, and why. Pure: no database.

Rules name systems by code (``sap``) or by kind (``kind:erp``); the position in the list is the rank.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .choices import ConflictReason, ContributorAction, Strategy

ANY = "*"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Rule:
    attribute: str
    authoritative: tuple[str, ...] = ()
    contributors: tuple[str, ...] = (ANY,)
    contributor_action: str = ContributorAction.ACCEPT
    strategy: str = Strategy.MOST_RECENT
    # When neither authoritative systems nor contributors have a value, take the most recent of anyone's.
    fallback_to_any: bool = True
    # Whether a value from a system that may not write this attribute is shown to stewards as a conflict.
    flag_conflicts: bool = True


@dataclass(frozen=True)
class SourceValues:
    """One source record as survivorship sees it."""

    system: str
    system_kind: str
    trust_rank: int
    local_id: str
    record_id: int
    updated_at: datetime | None
    attributes: dict


@dataclass(frozen=True)
class ConflictFinding:
    attribute: str
    record_id: int
    system: str
    local_id: str
    proposed: object
    golden: object
    reason: str


@dataclass
class Survived:
    values: dict = field(default_factory=dict)
    lineage: dict = field(default_factory=dict)
    conflicts: list[ConflictFinding] = field(default_factory=list)


def _rank(entries: Sequence[str], source: SourceValues) -> int | None:
    for position, entry in enumerate(entries):
        if entry == ANY or entry == source.system or entry == f"kind:{source.system_kind}":
            return position
    return None


def present(value: object) -> bool:
    if value is None or value == "":
        return False
    if isinstance(value, dict):
        return any(present(v) for v in value.values())
    return True


def same_value(a: object, b: object) -> bool:
    """Equal for a steward's purposes: case and spacing of text do not make a conflict."""
    if isinstance(a, str) and isinstance(b, str):
        return _plain(a) == _plain(b)
    if isinstance(a, dict) and isinstance(b, dict):
        keys = {k for k in a.keys() | b.keys() if present(a.get(k)) or present(b.get(k))}
        return all(same_value(a.get(k), b.get(k)) for k in keys)
    return a == b


def _plain(text: str) -> str:
    """'DE 123.456.789' and 'de123456789', 'Hauptstr. 5' and 'hauptstr 5' read the same to a steward."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _completeness(value: object) -> int:
    if isinstance(value, dict):
        return sum(1 for v in value.values() if present(v))
    return len(str(value))


def _when(source: SourceValues) -> datetime:
    return source.updated_at or _EPOCH


def _pick(ranked: list[tuple[int, SourceValues]], attribute: str, strategy: str) -> SourceValues:
    def by_rank(item: tuple[int, SourceValues]) -> tuple:
        rank, source = item
        return (rank, source.trust_rank, -_when(source).timestamp(), source.record_id)

    if strategy == Strategy.MOST_RECENT:
        return min(ranked, key=lambda item: (-_when(item[1]).timestamp(), *by_rank(item)))[1]
    if strategy == Strategy.MOST_COMPLETE:
        return min(ranked, key=lambda item: (-_completeness(item[1].attributes[attribute]), *by_rank(item)))[1]
    return min(ranked, key=by_rank)[1]


def _lineage(source: SourceValues, rule_text: str) -> dict:
    return {
        "system": source.system,
        "local_id": source.local_id,
        "source_updated_at": source.updated_at.isoformat() if source.updated_at else None,
        "rule": rule_text,
    }


def survive_attribute(rule: Rule, sources: Iterable[SourceValues]) -> tuple[SourceValues | None, str, list]:
    """Pick the surviving source for one attribute. Returns (winner, why, conflicts)."""
    sources = list(sources)
    attr = rule.attribute
    authoritative: list[tuple[int, SourceValues]] = []
    contributors: list[tuple[int, SourceValues]] = []
    others: list[SourceValues] = []
    for source in sources:
        if not present(source.attributes.get(attr)):
            continue
        if (rank := _rank(rule.authoritative, source)) is not None:
            authoritative.append((rank, source))
        elif (rank := _rank(rule.contributors, source)) is not None:
            contributors.append((rank, source))
        else:
            others.append(source)

    winner: SourceValues | None = None
    why = ""
    pending_review: list[SourceValues] = []
    if authoritative:
        winner = _pick(authoritative, attr, rule.strategy)
        why = f"authoritative ({rule.strategy})"
        if contributors and rule.contributor_action == ContributorAction.ACCEPT:
            newest = _pick(contributors, attr, Strategy.MOST_RECENT)
            if _when(newest) > _when(winner) and not same_value(newest.attributes[attr], winner.attributes[attr]):
                winner, why = newest, "contributor accepted (most recent)"
        elif contributors and rule.contributor_action == ContributorAction.REVIEW:
            pending_review = [s for _, s in contributors if not same_value(s.attributes[attr], winner.attributes[attr])]
    elif contributors and rule.contributor_action != ContributorAction.IGNORE:
        winner = _pick(contributors, attr, rule.strategy)
        why = f"contributor ({rule.strategy})"
    elif rule.fallback_to_any and (contributors or others):
        pool = [(0, s) for s in others] + contributors
        winner = _pick(pool, attr, Strategy.MOST_RECENT)
        why = "fallback: no authoritative value (most recent)"
        others = []

    conflicts = []
    if winner is not None:
        golden = winner.attributes[attr]
        for source in pending_review:
            conflicts.append(_finding(attr, source, golden, ConflictReason.REVIEW))
        if rule.flag_conflicts:
            for source in others:
                if not same_value(source.attributes[attr], golden):
                    conflicts.append(_finding(attr, source, golden, ConflictReason.NOT_AUTHORIZED))
    return winner, why, conflicts


def _finding(attr: str, source: SourceValues, golden: object, reason: str) -> ConflictFinding:
    return ConflictFinding(
        attribute=attr,
        record_id=source.record_id,
        system=source.system,
        local_id=source.local_id,
        proposed=source.attributes[attr],
        golden=golden,
        reason=reason,
    )


def survive(attributes: Iterable[str], sources: Sequence[SourceValues], rules: dict[str, Rule]) -> Survived:
    """Decide every attribute of one golden record from all its linked source records."""
    result = Survived()
    for attr in attributes:
        rule = rules.get(attr) or Rule(attribute=attr)
        winner, why, conflicts = survive_attribute(rule, sources)
        result.conflicts.extend(conflicts)
        if winner is None:
            result.values[attr] = None
            continue
        value = winner.attributes[attr]
        result.values[attr] = value
        result.lineage[attr] = _lineage(winner, why)
        overruled = [
            {"system": s.system, "local_id": s.local_id, "value": s.attributes[attr]}
            for s in sources
            if s is not winner and present(s.attributes.get(attr)) and not same_value(s.attributes[attr], value)
        ]
        if overruled:
            result.lineage[attr]["overruled"] = overruled
    return result
