"""Learning m/u probabilities from the data by expectation-maximisation over candidate pairs from blocking, u started
from random record pairs (nearly all non-matches), steered by labelled pairs (steward decisions, shared
identifiers). Pure."""

from collections import Counter
from collections.abc import Iterable, Sequence

from .scoring import MISSING, Comparator, FSParams

SMOOTHING = 1.0  # pseudo-count per level, so a level never seen keeps a small probability


def estimate_u(comparators: Sequence[Comparator], vectors: Iterable[tuple[int, ...]]) -> dict[str, list[float]]:
    counts = {c.name: [SMOOTHING] * c.levels for c in comparators}
    for vector in vectors:
        for c, level in zip(comparators, vector, strict=True):
            if level != MISSING:
                counts[c.name][level] += 1
    return {name: [n / sum(levels) for n in levels] for name, levels in counts.items()}


def _posterior(params: FSParams, comparators: Sequence[Comparator], vector: tuple[int, ...]) -> float:
    like_m, like_u = params.prior, 1 - params.prior
    for c, level in zip(comparators, vector, strict=True):
        if level != MISSING:
            like_m *= params.m[c.name][level]
            like_u *= params.u[c.name][level]
    total = like_m + like_u
    return like_m / total if total > 0 else 0.0


def em(
    comparators: Sequence[Comparator],
    start: FSParams,
    vectors: Iterable[tuple[int, ...]],
    labeled: Sequence[tuple[tuple[int, ...], bool]] = (),
    label_weight: float = 5.0,
    iterations: int = 40,
    learn_u: bool = False,
) -> FSParams:
    """Fit m (and the prior; u too when asked) to candidate-pair comparison vectors.

    Steward decisions enter as pairs whose match probability is known (1 or 0), each counting ``label_weight``
    times, so they move m and u toward what stewards saw without drowning the unlabelled evidence.
    """
    patterns = Counter(vectors)
    known = Counter()
    for vector, is_match in labeled:
        known[(vector, is_match)] += label_weight
    params = FSParams(m={k: list(v) for k, v in start.m.items()}, u=start.u, prior=start.prior)
    total = sum(patterns.values())
    for _ in range(iterations):
        m_counts = {c.name: [SMOOTHING] * c.levels for c in comparators}
        u_counts = {c.name: [SMOOTHING] * c.levels for c in comparators}
        observations = [(v, n, _posterior(params, comparators, v)) for v, n in patterns.items()]
        observations += [(v, n, 1.0 if is_match else 0.0) for (v, is_match), n in known.items()]
        for vector, count, g in observations:
            for c, level in zip(comparators, vector, strict=True):
                if level != MISSING:
                    m_counts[c.name][level] += count * g
                    u_counts[c.name][level] += count * (1 - g)
        matched = sum(n * g for v, n, g in observations[: len(patterns)])
        new_m = {name: [x / sum(levels) for x in levels] for name, levels in m_counts.items()}
        new_u = {name: [x / sum(levels) for x in levels] for name, levels in u_counts.items()} if learn_u else params.u
        prior = min(max(matched / total, 1e-4), 0.9999) if total else params.prior
        change = max(abs(a - b) for name in new_m for a, b in zip(new_m[name], params.m[name], strict=True))
        params = FSParams(m=new_m, u=new_u, prior=prior, pairs=total)
        if change < 1e-5:
            break
    return params
