"""The real-time matcher: candidates by blocking keys, Fellegi-Sunter scores against each record of each candidate
golden record, and the decision (link, review, new). Used by every ingest and by the match API."""

import time
from dataclasses import dataclass, field, fields
from itertools import islice

import orjson
from django.db import connection

from canonical.db import pg_array

from .features import ORGANIZATION, PERSON, Features, blocking_keys, features_of
from .models import MatchModel, MatchSettings
from .scoring import (
    FSParams,
    comparators_for,
    compare,
    corroborated,
    default_params,
    explain,
    probability,
    vetoed,
    weight,
)

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


_FEATURE_FIELDS = tuple(f.name for f in fields(Features))


def features_to_json(f: Features) -> dict:
    """The set values only (dataclasses.asdict deep-copies, which costs more than the normalising)."""
    out = {}
    for name in _FEATURE_FIELDS:
        value = getattr(f, name)
        if value not in ("", (), False):
            out[name] = list(value) if isinstance(value, tuple) else value
    return out


def features_from_json(data: dict | str) -> Features:
    if isinstance(data, str):
        data = orjson.loads(data)  # raw SQL: Django leaves jsonb undecoded; orjson: a re-match decodes millions
    f = Features(**data)
    f.tokens = tuple(f.tokens)
    return f


@dataclass
class Scored:
    golden_id: str
    probability: float
    weakest: float
    best_record: int | None = None
    levels: tuple[int, ...] = ()
    incoming: Features | None = None
    other: Features | None = None
    explanation: list = field(default_factory=list)
    vetoed: bool = False
    corroborated: bool = False

    def linkable(self, threshold: float) -> bool:
        """Clears the bar against every record of the golden record, contradicts none, and rests on more than
        a name."""
        return self.probability >= threshold and self.weakest >= threshold and self.corroborated and not self.vetoed


@dataclass
class Decision:
    action: str  # link | review | new
    golden_id: str | None = None
    score: float | None = None
    candidates: list[Scored] = field(default_factory=list)


Member = tuple[int | None, Features]
_NO_GOLDENS: frozenset[str] = frozenset()


class Matcher:
    """Scores records of one entity against the stored golden records and against earlier records of the batch.

    Candidate lookups are batched: ``prefetch`` loads, in two queries, the golden records sharing a usable blocking
    key with any record of the batch, and the stored features of their records.
    """

    def __init__(self, entity: str, features: "FeatureCache | None" = None) -> None:
        self.entity = entity
        self._features = features
        self.settings = settings_for(entity)
        self._key_goldens: dict[str, set[str]] = {}
        self._members: dict[str, list[Member]] = {}
        self._batch_keys: dict[str, set[str]] = {}
        self._batch_members: dict[str, list[Member]] = {}
        self._merged_into: dict[str, str] = {}  # merges decided but not yet written (batch re-match)
        self._absorbed: dict[str, list[str]] = {}  # and the other way round: survivor -> every ID merged into it

    def params(self, kind: str) -> FSParams:
        return params_for(self.entity, kind or PERSON)

    def prefetch(self, records: list[Features]) -> None:
        """Load the candidates of a whole batch: keys first, then the features of each record's top candidates."""
        keyed = [blocking_keys(f) for f in records]
        self._load_keys(sorted({key for keys in keyed for key in keys}))
        # One more than scoring asks for: a stored record's own golden record is among its top candidates and is
        # left out when it is scored, and the next one must not cost a query per record.
        self._load_members(sorted({g for keys in keyed for g in self._ranked(keys, set(), extra=1)}))

    def _ranked(self, keys: list[str], exclude: set[str], extra: int = 0) -> list[str]:
        """Golden IDs sharing the most blocking keys with a record, at most ``max_candidates`` (+ ``extra``)."""
        hits: dict[str, int] = {}
        stored, batch = self._key_goldens, self._batch_keys
        for key in keys:
            goldens = stored.get(key, _NO_GOLDENS)
            if key in batch:  # records of this batch too, each golden record counted once per key
                goldens = goldens | batch[key]
            for golden_id in goldens:
                hits[golden_id] = hits.get(golden_id, 0) + 1
        for golden_id in exclude:
            hits.pop(golden_id, None)
        return sorted(hits, key=lambda g: (-hits[g], g))[: self.settings.max_candidates + extra]

    def score(self, f: Features, exclude: set[str] | None = None) -> list[Scored]:
        """Candidate golden records with their match probability, best first."""
        keys = blocking_keys(f)
        self._load_keys(keys)
        ranked = self._ranked(keys, exclude or set())
        self._load_members([g for g in ranked if g not in self._members and g not in self._batch_members])
        comparators = comparators_for(self.entity, f.kind)
        params = self.params(f.kind)
        scored = []
        for golden_id in ranked:
            result = self._score_golden(f, golden_id, comparators, params)
            if result is not None:
                scored.append(result)
        scored.sort(key=lambda s: (-s.probability, s.golden_id))
        return scored

    def score_against(self, f: Features, golden_id: str) -> Scored | None:
        """Score a record against one golden record's records."""
        self._load_members([golden_id])
        return self._score_golden(f, golden_id, comparators_for(self.entity, f.kind), self.params(f.kind))

    def _score_golden(self, f: Features, golden_id: str, comparators, params: FSParams) -> Scored | None:
        best: Scored | None = None
        worst, veto = 2.0, False
        for record_id, other in self._members.get(golden_id, []) + self._batch_members.get(golden_id, []):
            if self.entity == "customer" and other.kind and f.kind and other.kind != f.kind:
                continue  # a person is never the same party as an organization
            levels = compare(comparators, f, other)
            p = probability(weight(params, comparators, levels))
            if best is None or p > best.probability:
                best = Scored(golden_id, p, p, record_id, levels, f, other)
                best.corroborated = corroborated(comparators, levels)
            worst = min(worst, p)
            veto = veto or vetoed(comparators, levels)
        if best is not None:
            best.weakest, best.vetoed = worst, veto
        return best

    def explain(self, scored: Scored) -> list[dict]:
        if not scored.explanation and scored.incoming is not None:
            comparators = comparators_for(self.entity, scored.incoming.kind)
            params = self.params(scored.incoming.kind)
            scored.explanation = explain(params, comparators, scored.levels, scored.incoming, scored.other)
        return scored.explanation

    def turned(self, scored: Scored, golden_id: str, record_id: int | None) -> Scored:
        """The same comparison seen from the other side: the candidate's record against ``golden_id``'s record
        ``record_id``."""
        incoming, other = scored.other, scored.incoming
        levels = compare(comparators_for(self.entity, incoming.kind), incoming, other)
        turned = Scored(golden_id, scored.probability, scored.weakest, record_id, levels, incoming, other)
        turned.vetoed, turned.corroborated = scored.vetoed, scored.corroborated
        return turned

    def decide(self, f: Features, exclude: set[str] | None = None) -> Decision:
        """Link when the best candidate clears the upper threshold against every one of its records (so a chain
        A~B~C cannot glue A to C), ask a steward in the band, otherwise a new golden record."""
        scored = self.score(f, exclude)
        auto, review = self.settings.auto_threshold, self.settings.review_threshold
        for candidate in scored:
            if candidate.linkable(auto):
                return Decision("link", candidate.golden_id, candidate.probability, scored)
        if scored and scored[0].probability >= review:
            self.explain(scored[0])
            return Decision("review", scored[0].golden_id, scored[0].probability, scored)
        return Decision("new", None, scored[0].probability if scored else None, scored)

    def remember(self, golden_id: str, f: Features, record_id: int | None = None) -> None:
        """Make a record of the current batch a candidate for the records after it."""
        for key in blocking_keys(f):
            self._batch_keys.setdefault(key, set()).add(golden_id)
        self._batch_members.setdefault(golden_id, []).append((record_id, f))

    def load(self, golden_ids: list[str]) -> None:
        """Load several golden records' records in one query (those not loaded yet)."""
        self._load_members(golden_ids)

    def members(self, golden_id: str) -> list[Member]:
        """The records (ID, features) of one golden record, loaded once."""
        self._load_members([golden_id])
        return self._members[self._current(golden_id)]

    def preload(self, golden_ids: list[str]) -> None:
        """Load several golden records' records, then their candidates, in a few queries (batch re-match)."""
        self._load_members(golden_ids)
        self.prefetch([f for golden_id in golden_ids for _, f in self._members[golden_id]])

    def merged(self, survivor_id: str, retired_id: str) -> None:
        """Treat the retired golden record's records as the survivor's from now on, whether or not the merge is
        written yet: cached and later-loaded keys and records follow it."""
        absorbed = [*self._absorbed.pop(retired_id, []), retired_id]
        for retired in absorbed:  # earlier merges into the retired record now end at the survivor too
            self._merged_into[retired] = survivor_id
        self._absorbed.setdefault(survivor_id, []).extend(absorbed)
        moved = self._members.pop(retired_id, None)
        if survivor_id in self._members:
            if moved is None:
                del self._members[survivor_id]  # its cached records are incomplete: load again when needed
            else:
                self._members[survivor_id] = self._members[survivor_id] + moved
        # The retired record is listed under its own records' keys; without them loaded, under any key.
        keys = {k for _, f in moved for k in blocking_keys(f)} if moved is not None else self._key_goldens.keys()
        for key in keys:
            goldens = self._key_goldens.get(key)
            if goldens is not None and retired_id in goldens:
                goldens.discard(retired_id)
                goldens.add(survivor_id)

    def _current(self, golden_id: str) -> str:
        return self._merged_into.get(golden_id, golden_id)

    def _load_keys(self, keys: list[str]) -> None:
        new = [key for key in keys if key not in self._key_goldens]
        if not new:
            return
        for key in new:
            self._key_goldens[key] = set()
        cap = self.settings.block_cap
        with connection.cursor() as cursor:
            # At most cap + 1 rows of each key, from the covering index alone, gathered into one array per key: a
            # key with more records than the cap proposes nobody. (Looking its count up instead read a heap page of
            # the count table per key; one row per record cost more than the scoring at 1M records.)
            cursor.execute(
                "SELECT k.key, g.goldens FROM unnest(%s::text[]) AS k(key) CROSS JOIN LATERAL ("
                "  SELECT array_agg(golden_id) AS goldens, count(*) AS n FROM ("
                "   SELECT golden_id FROM matching_blockingkey WHERE entity = %s AND key = k.key LIMIT %s) AS b"
                " ) AS g WHERE g.n BETWEEN 1 AND %s",
                [pg_array(new), self.entity, cap + 1, cap],
            )
            rows = cursor.fetchall()
        merged = self._merged_into
        for key, goldens in rows:
            self._key_goldens[key] = {merged.get(g, g) for g in goldens} if merged else set(goldens)

    def _load_members(self, golden_ids: list[str]) -> None:
        wanted = [self._current(g) for g in golden_ids if self._current(g) not in self._members]
        if not wanted:
            return
        for golden_id in wanted:
            self._members[golden_id] = []
        wanted_set = set(wanted)
        retired = [r for golden_id in wanted for r in self._absorbed.get(golden_id, ())]
        for golden_id, record_id, f in self._stored_features(wanted + retired):
            if (current := self._current(golden_id)) in wanted_set:
                self._members[current].append((record_id, f))

    def _stored_features(self, golden_ids: list[str]) -> list[tuple[str, int, Features]]:
        """(golden ID, record ID, features) of the records of these golden records; with a FeatureCache, only the
        features not decoded before are fetched."""
        with connection.cursor() as cursor:
            if self._features is None:
                cursor.execute(
                    "SELECT golden_id, source_record_id, features FROM matching_recordfeatures"
                    " WHERE golden_id = ANY(%s::text[])",
                    [pg_array(golden_ids)],
                )
                return [(g, r, features_from_json(data)) for g, r, data in cursor.fetchall()]
            cursor.execute(
                "SELECT golden_id, source_record_id FROM matching_recordfeatures WHERE golden_id = ANY(%s::text[])",
                [pg_array(golden_ids)],
            )
            rows = cursor.fetchall()
            if missing := [r for _, r in rows if r not in self._features]:
                cursor.execute(
                    "SELECT source_record_id, features FROM matching_recordfeatures"
                    " WHERE source_record_id = ANY(%s::bigint[])",
                    [pg_array(missing)],
                )
                for record_id, data in cursor.fetchall():
                    self._features.add(record_id, features_from_json(data))
        return [(g, r, f) for g, r in rows if (f := self._features.get(r)) is not None]


class FeatureCache(dict):
    """Decoded features of stored records by record ID, kept across the chunks of one batch re-match worker: each
    golden record is a candidate of some twenty others, so without it its features are fetched and decoded twenty
    times. Bounded (about 1 KB an entry): when full, the oldest tenth goes. A record re-ingested while the batch
    runs is compared as it was when first read, as if the batch had read everything at its start."""

    def __init__(self, limit: int = 500_000) -> None:
        super().__init__()
        self.limit = limit

    def add(self, record_id: int, f: Features) -> None:
        if len(self) >= self.limit:
            for old in list(islice(self, max(1, self.limit // 10))):
                del self[old]
        self[record_id] = f


def match_attributes(entity: str, attributes: dict, limit: int = 10) -> list[Scored]:
    """The ranked candidates for a record not stored anywhere, explained: what POST /api/v1/match/{entity} answers."""
    matcher = Matcher(entity)
    scored = matcher.score(features_of(entity, attributes))[:limit]
    for candidate in scored:
        matcher.explain(candidate)
    return scored


MATCHED_ENTITIES = ("customer", "contact")
KINDS = {"customer": (ORGANIZATION, PERSON), "contact": (PERSON,)}
