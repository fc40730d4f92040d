"""The real-time matcher: candidates by blocking keys, Fellegi-Sunter scores against each record of each candidate
golden record, and the decision (link, review, new). Used by every ingest and by the match API."""

import json
import time
from dataclasses import asdict, dataclass, field

from django.db import connection

from .features import ORGANIZATION, PERSON, Features, blocking_keys, features_of
from .models import MatchModel, MatchSettings
from .scoring import FSParams, comparators_for, compare, default_params, explain, probability, weight

_CACHE_SECONDS = 10
_cache: dict[str, tuple[float, object]] = {}


def _cached(key: str, load):
    hit = _cache.get(key)
    now = time.monotonic()
    if hit and hit[0] > now:
        return hit[1]
    value = load()
    _cache[key] = (now + _CACHE_SECONDS, value)
    return value


def forget_cached() -> None:
    _cache.clear()


def settings_for(entity: str) -> MatchSettings:
    return _cached(f"settings:{entity}", lambda: MatchSettings.objects.get_or_create(entity=entity)[0])


def params_for(entity: str, kind: str) -> FSParams:
    def load() -> FSParams:
        row = MatchModel.objects.filter(entity=entity, kind=kind).first()
        return FSParams.from_json(row.params) if row else default_params(comparators_for(entity, kind))

    return _cached(f"params:{entity}:{kind}", load)


def features_to_json(f: Features) -> dict:
    return {k: v for k, v in asdict(f).items() if v not in ("", (), False)}


def features_from_json(data: dict | str) -> Features:
    if isinstance(data, str):
        data = json.loads(data)  # raw SQL: Django leaves jsonb undecoded
    f = Features(**data)
    f.tokens = tuple(f.tokens)
    return f


@dataclass
class Scored:
    golden_id: str
    probability: float
    weakest: float
    best_record: int | None = None
    explanation: list = field(default_factory=list)


@dataclass
class Decision:
    action: str  # link | review | new
    golden_id: str | None = None
    score: float | None = None
    candidates: list[Scored] = field(default_factory=list)


class Matcher:
    """Scores records of one entity against the stored golden records (and against each other within a batch)."""

    def __init__(self, entity: str) -> None:
        self.entity = entity
        self.settings = settings_for(entity)
        self._batch_keys: dict[str, set[str]] = {}
        self._batch_members: dict[str, list[tuple[int | None, Features]]] = {}

    def params(self, kind: str) -> FSParams:
        return params_for(self.entity, kind or PERSON)

    def score(self, f: Features, exclude: set[str] | None = None) -> list[Scored]:
        """Candidate golden records with their match probability, best first."""
        keys = blocking_keys(f)
        members = self._stored_members(keys, exclude or set())
        for golden_id in self._batch_candidates(keys):
            if golden_id not in (exclude or set()):
                members.setdefault(golden_id, []).extend(self._batch_members[golden_id])
        comparators = comparators_for(self.entity, f.kind)
        params = self.params(f.kind or PERSON)
        scored = []
        for golden_id, records in members.items():
            best, worst, best_record, best_levels, best_other = -1.0, 2.0, None, None, None
            for record_id, other in records:
                if self.entity == "customer" and other.kind and f.kind and other.kind != f.kind:
                    continue  # a person is never the same party as an organization
                levels = compare(comparators, f, other)
                p = probability(weight(params, comparators, levels))
                if p > best:
                    best, best_record, best_levels, best_other = p, record_id, levels, other
                worst = min(worst, p)
            if best_levels is None:
                continue
            explanation = explain(params, comparators, best_levels, f, best_other)
            scored.append(Scored(golden_id, best, worst, best_record, explanation))
        scored.sort(key=lambda s: (-s.probability, s.golden_id))
        return scored

    def decide(self, f: Features, exclude: set[str] | None = None) -> Decision:
        """Link when the best candidate clears the upper threshold against every one of its records (so a chain
        A~B~C cannot glue A to C), ask a steward in the band, otherwise a new golden record."""
        scored = self.score(f, exclude)
        auto, review = self.settings.auto_threshold, self.settings.review_threshold
        for candidate in scored:
            if candidate.probability >= auto and candidate.weakest >= auto:
                return Decision("link", candidate.golden_id, candidate.probability, scored)
        if scored and scored[0].probability >= review:
            return Decision("review", scored[0].golden_id, scored[0].probability, scored)
        return Decision("new", None, scored[0].probability if scored else None, scored)

    def remember(self, golden_id: str, f: Features, record_id: int | None = None) -> None:
        """Make a record of the current batch a candidate for the records after it."""
        for key in blocking_keys(f):
            self._batch_keys.setdefault(key, set()).add(golden_id)
        self._batch_members.setdefault(golden_id, []).append((record_id, f))

    def _batch_candidates(self, keys: list[str]) -> set[str]:
        found: set[str] = set()
        for key in keys:
            found |= self._batch_keys.get(key, set())
        return found

    def _stored_members(self, keys: list[str], exclude: set[str]) -> dict[str, list[tuple[int, Features]]]:
        if not keys:
            return {}
        s = self.settings
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH usable AS (SELECT k AS key FROM unnest(%s::text[]) AS k WHERE (SELECT count(*) FROM ("
                "  SELECT 1 FROM matching_blockingkey b WHERE b.entity = %s AND b.key = k LIMIT %s) AS capped) <= %s),"
                " hits AS (SELECT b.golden_id, count(*) AS n FROM matching_blockingkey b JOIN usable u ON u.key = b.key"
                "  WHERE b.entity = %s GROUP BY b.golden_id ORDER BY n DESC, b.golden_id LIMIT %s)"
                " SELECT f.golden_id, f.source_record_id, f.features FROM matching_recordfeatures f"
                " JOIN hits h ON h.golden_id = f.golden_id",
                [keys, self.entity, s.block_cap + 1, s.block_cap, self.entity, s.max_candidates],
            )
            rows = cursor.fetchall()
        members: dict[str, list[tuple[int, Features]]] = {}
        for golden_id, record_id, data in rows:
            if golden_id in exclude:
                continue
            members.setdefault(golden_id, []).append((record_id, features_from_json(data)))
        return members


def match_attributes(entity: str, attributes: dict) -> list[Scored]:
    """The ranked candidates for a record not stored anywhere: what POST /api/v1/match/{entity} answers."""
    return Matcher(entity).score(features_of(entity, attributes))


MATCHED_ENTITIES = ("customer", "contact")
KINDS = {"customer": (ORGANIZATION, PERSON), "contact": (PERSON,)}
