"""Batch re-matching and training on generated data: stable golden IDs, resume after a crash, weights that learn.

These run ``mdm_match`` for real (its worker processes fork and connect to the test database), so the data must
be committed: transactional tests.
"""

import io
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import connection

from canonical.importing import parse_record
from canonical.models import CrossReference, Customer
from canonical.services.ingest import source_records_ingest
from canonical.services.systems import source_system_create
from matching.engine import forget_cached
from matching.models import (
    BlockingKey,
    BlockingKeyCount,
    MatchMode,
    MatchModel,
    MatchRun,
    MatchSettings,
    ReviewState,
    ReviewTask,
)
from matching.scoring import comparators_for, compare, default_params
from matching.services.index import bulk_indexing_worth_it, matching_indexes_drop, records_index_missing
from matching.services.rematch import rematch_chunk
from matching.services.review import review_reject
from matching.services.train import _candidate_pairs, match_model_train
from matching.synth import SYSTEMS, generate

pytestmark = pytest.mark.django_db(transaction=True)


def load(size: int, seed: int = 5, index: bool = True) -> None:
    """Generated customers ingested per system on exact matching, then switched to probabilistic."""
    systems = {code: source_system_create(code=code, kind="erp" if code in ("sap", "odoo") else "support")[0]
               for code in SYSTEMS}  # fmt: skip
    items = defaultdict(list)
    for record in generate(size, seed):
        item, errors = parse_record("customer", record.import_line())
        assert not errors, errors
        items[record.system].append(item)
    for code, batch in items.items():
        source_records_ingest(system=systems[code], entity="customer", items=batch)
    MatchSettings.objects.update_or_create(
        entity="customer", defaults={"mode": MatchMode.PROBABILISTIC, "auto_threshold": 0.97, "review_threshold": 0.5}
    )
    forget_cached()
    if index:
        records_index_missing(entity="customer")


def links() -> dict[tuple[str, str], str]:
    return {
        (code, local_id): golden
        for code, local_id, golden in CrossReference.objects.filter(entity="customer").values_list(
            "system__code", "local_id", "golden_id"
        )
    }


def resolve(golden_id: str) -> str:
    while (onward := Customer.objects.get(id=golden_id).merged_into_id) is not None:
        golden_id = onward
    return golden_id


def mdm_match(*args: str) -> str:
    out = io.StringIO()
    call_command("mdm_match", "--entity", "customer", "--workers", "2", *args, stdout=out)
    forget_cached()
    return out.getvalue()


def test_re_matching_keeps_golden_ids_stable():
    load(600, index=False)
    before = links()
    existing = set(Customer.objects.values_list("id", flat=True))
    output = mdm_match()
    assert "indexed 600 stored records" in output and "re-matched customer" in output
    counted = dict(BlockingKeyCount.objects.values_list("key", "records"))
    assert counted == Counter(BlockingKey.objects.values_list("key", flat=True))  # recounted after the bulk index
    first = links()
    assert set(first.values()) <= existing  # merges keep an existing ID; nothing is renamed
    merged = {before[key]: first[key] for key in before if before[key] != first[key]}
    assert merged, "the generated duplicates should give the re-match something to merge"
    for retired, survivor in merged.items():
        assert resolve(retired) == survivor  # the retired ID answers with its survivor, through any chain
        assert survivor < retired  # the older (time-ordered) ID survives
    assert mdm_match("--no-train", "--restart")  # a second run over the same data
    second = links()
    existing = set(Customer.objects.values_list("id", flat=True))
    assert set(second.values()) <= set(first.values())  # no new golden ID, no record moved to a stranger
    moved = [key for key in first if first[key] != second[key]]
    for key in moved:  # only further merges, into the older ID, which the retired one resolves to
        assert resolve(first[key]) == second[key] < first[key]
    assert len(moved) <= len(first) // 50, moved  # the first run was (nearly) a fixed point


def matching_index_names() -> set[str]:  # and foreign keys
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename IN ('matching_blockingkey', 'matching_recordfeatures')"
            " UNION ALL SELECT conname FROM pg_constraint"
            " WHERE conrelid IN ('matching_blockingkey'::regclass, 'matching_recordfeatures'::regclass)"
        )
        return {name for (name,) in cursor.fetchall()}


def test_a_bulk_index_run_leaves_the_lookup_indexes_as_the_migrations_made_them():
    load(300, index=False)
    made = matching_index_names()
    assert "blocking_lookup" in made and any("_fk_" in name for name in made)
    assert bulk_indexing_worth_it(entity="customer")  # nothing indexed yet: indexes are dropped and rebuilt
    mdm_match("--train-only")
    assert matching_index_names() == made
    assert not bulk_indexing_worth_it(entity="customer")
    matching_indexes_drop()  # as a run killed while indexing leaves them
    gone = made - matching_index_names()
    assert "blocking_lookup" in gone and any("_fk_" in name for name in gone)
    mdm_match("--no-train")
    assert matching_index_names() == made


def test_stewards_are_asked_about_a_pair_once_about_the_record_the_task_names():
    load(600)
    mdm_match()
    tasks = list(ReviewTask.objects.filter(state=ReviewState.OPEN))
    assert tasks, "the generated near-duplicates should give stewards something to review"
    pairs = Counter(tuple(sorted((t.golden_id, t.candidate_id))) for t in tasks)
    assert max(pairs.values()) == 1  # A~B and B~A are one question
    golden_of = dict(
        CrossReference.objects.filter(source_record_id__in=[t.source_record_id for t in tasks]).values_list(
            "source_record_id", "golden_id"
        )
    )
    for task in tasks:
        assert golden_of[task.source_record_id] == task.golden_id  # the record shown is one of that golden record
        live = Customer.objects.filter(id__in=[task.golden_id, task.candidate_id], merged_into__isnull=True)
        assert live.count() == 2
        assert {row["attribute"] for row in task.explanation} >= {"email", "phone"}


def test_an_interrupted_re_match_resumes_where_each_shard_stopped():
    load(400)
    call_command("mdm_match", "--entity", "customer", "--train-only", stdout=io.StringIO())
    live = Customer.objects.filter(merged_into__isnull=True).count()
    run = MatchRun.objects.create(entity="customer", shards=2)
    done, _ = rematch_chunk(run_id=run.pk, shard=0, limit=25)  # then the process "dies"
    run.refresh_from_db()
    assert done == 25 and run.cursors.get("0") and not run.finished_at
    output = mdm_match("--no-train")
    assert "resuming the re-match" in output
    run.refresh_from_db()
    assert run.finished_at is not None and MatchRun.objects.count() == 1
    visited = sum(run.counts.get(outcome, 0) for outcome in ("merged", "review", "kept"))
    # Every golden record alive at the start was visited once (merged-away ones are skipped when reached).
    assert live - (run.counts.get("merged", 0)) <= visited <= live


def test_a_re_match_withdraws_review_tasks_now_under_the_review_bar_and_rescores_the_rest():
    sap, zendesk = (
        source_system_create(code=code, kind=kind)[0] for code, kind in (("sap", "erp"), ("zendesk", "support"))
    )
    MatchSettings.objects.update_or_create(
        entity="customer", defaults={"mode": MatchMode.PROBABILISTIC, "auto_threshold": 0.97, "review_threshold": 0.5}
    )
    forget_cached()

    def ingest(system, local_id, name, city):
        attributes = {"kind": "organization", "name": name, "address": {"city": city, "country": "DE"}}
        item, errors = parse_record("customer", {"local_id": local_id, "attributes": attributes})
        assert not errors, errors
        return source_records_ingest(system=system, entity="customer", items=[item])[0].golden_id

    ingest(sap, "K1", "Nordlicht Logistik GmbH", "Kiel")
    far = ingest(zendesk, "Z1", "Nordlicht Logistik", "Lübeck")  # same name, another city
    ingest(sap, "K2", "Sonnenschein Bäckerei GmbH", "Flensburg")
    near = ingest(zendesk, "Z2", "Sonnenschein Baeckerei GmbH", "Flensburg")  # and the same city
    tasks = {t.golden_id: t for t in ReviewTask.objects.filter(state=ReviewState.OPEN)}
    assert set(tasks) == {far, near} and 0.5 <= tasks[far].score < tasks[near].score  # name-only: never linked
    # A steward raises the review bar between the two; the stronger task still shows an older model's score.
    MatchSettings.objects.filter(entity="customer").update(review_threshold=(tasks[far].score + tasks[near].score) / 2)
    ReviewTask.objects.filter(pk=tasks[near].pk).update(score=0.51, explanation=[])
    forget_cached()
    output = mdm_match("--no-train")
    assert "1 open review tasks withdrawn" in output
    withdrawn, rescored = (ReviewTask.objects.get(pk=tasks[g].pk) for g in (far, near))
    assert withdrawn.state == ReviewState.OBSOLETE and withdrawn.decided_at is not None
    assert "under the review bar" in withdrawn.note
    assert rescored.state == ReviewState.OPEN
    assert rescored.score == pytest.approx(tasks[near].score, abs=1e-6) and rescored.explanation
    assert ReviewTask.objects.filter(state=ReviewState.OPEN).count() == 1  # nothing asked twice


def test_training_learns_from_the_data_and_from_steward_rejections():
    load(1500)
    learned = match_model_train(entity="customer", kind="organization")
    assert MatchModel.objects.filter(entity="customer", kind="organization").exists()
    w = learned.weights
    # Learned, not the defaults, and the right way round: agreement counts for, disagreement against.
    assert learned.m != default_params(comparators_for("customer", "organization")).m
    for name in ("tax_id", "phone", "email", "address"):
        assert w[name][-1] > 0 > w[name][0], (name, w[name])
    assert 0.01 < learned.prior < 0.9
    # Stewards reject every open proposal whose names agree exactly: exact-name agreement must lose weight.
    mdm_match("--no-train")
    tasks = list(ReviewTask.objects.filter(state=ReviewState.OPEN))
    assert tasks and all(t.explanation for t in tasks)  # batch proposals are explained like real-time ones
    exact_names = [t.pk for t in tasks if any(r["attribute"] == "name" and r["comparison"] == "same"
                                              for r in t.explanation)]  # fmt: skip
    assert len(exact_names) >= 10
    review_reject(task_ids=exact_names)
    retrained = match_model_train(entity="customer", kind="organization")
    assert retrained.weights["name"][4] < w["name"][4]
    row = MatchModel.objects.get(entity="customer", kind="organization")
    assert row.decisions_used >= len(exact_names)


def test_training_on_a_large_table_meets_whole_blocks_of_candidates():
    load(1500)
    comparators = comparators_for("customer", "organization")
    everything = _candidate_pairs("customer", "organization", seed=1)
    sampled = _candidate_pairs("customer", "organization", seed=1, max_pairs=len(everything) // 4)
    assert len(everything) // 8 <= len(sampled) <= len(everything) // 4

    # A sample of whole blocks keeps the candidate pairs what they are: about as many share a tax ID (nearly always
    # the same company) as among all of them.
    def share(pairs):
        return sum(compare(comparators, a, b)[2] == 1 for a, b in pairs) / len(pairs)

    assert share(everything) > 0.05
    assert 0.5 < share(sampled) / share(everything) < 2
    learned = match_model_train(entity="customer", kind="organization", max_pairs=len(everything) // 4)
    assert 0.01 < learned.prior < 0.9
    for name in ("tax_id", "phone", "address"):
        assert learned.weights[name][-1] > 0 > learned.weights[name][0], (name, learned.weights[name])
