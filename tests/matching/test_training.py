import random

from matching.scoring import Comparator, FSParams, default_params, probability, weight
from matching.training import em, estimate_u

TOY = (
    Comparator("a", 2, lambda x, y: 0, ("different", "same"), ()),
    Comparator("b", 3, lambda x, y: 0, ("different", "close", "same"), ()),
    Comparator("c", 2, lambda x, y: 0, ("different", "same"), ()),
)
TRUE_M = {"a": [0.1, 0.9], "b": [0.05, 0.15, 0.8], "c": [0.2, 0.8]}
TRUE_U = {"a": [0.95, 0.05], "b": [0.8, 0.15, 0.05], "c": [0.7, 0.3]}


def draw(rng: random.Random, probs: dict, missing: float = 0.1) -> tuple[int, ...]:
    vector = []
    for c in TOY:
        if rng.random() < missing:
            vector.append(-1)
        else:
            vector.append(rng.choices(range(c.levels), weights=probs[c.name])[0])
    return tuple(vector)


def sample(n_match: int, n_non: int, seed: int = 3) -> list[tuple[int, ...]]:
    rng = random.Random(seed)
    return [draw(rng, TRUE_M) for _ in range(n_match)] + [draw(rng, TRUE_U) for _ in range(n_non)]


def test_estimate_u_from_random_pairs_recovers_the_non_match_distribution():
    rng = random.Random(1)
    u = estimate_u(TOY, [draw(rng, TRUE_U) for _ in range(20_000)])
    for name, probs in TRUE_U.items():
        assert all(abs(a - b) < 0.02 for a, b in zip(u[name], probs, strict=True))


def test_em_recovers_m_and_the_share_of_matches():
    start = default_params(TOY)
    start = FSParams(m=start.m, u=TRUE_U, prior=0.5)
    fitted = em(TOY, start, sample(3_000, 7_000))
    assert abs(fitted.prior - 0.3) < 0.05
    for name, probs in TRUE_M.items():
        assert all(abs(a - b) < 0.06 for a, b in zip(fitted.m[name], probs, strict=True)), (name, fitted.m[name])


def test_steward_labels_pull_m_toward_what_they_saw():
    start = FSParams(m={k: [1 / len(v)] * len(v) for k, v in TRUE_M.items()}, u=TRUE_U, prior=0.5)
    unlabelled = em(TOY, start, [])
    labelled = em(TOY, start, [], labeled=[((1, 2, 1), True)] * 20 + [((0, 0, 0), False)] * 20)
    assert labelled.m["a"][1] > unlabelled.m["a"][1]
    assert labelled.m["b"][2] > unlabelled.m["b"][2]


def test_missing_values_neither_help_nor_hurt():
    params = FSParams(m=TRUE_M, u=TRUE_U, prior=0.1)
    assert weight(params, TOY, (-1, -1, -1)) == params.prior_weight
    full = weight(params, TOY, (1, 2, -1))
    assert full > params.prior_weight
    assert probability(full) > probability(params.prior_weight)
