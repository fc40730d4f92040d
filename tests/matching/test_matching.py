"""Probabilistic matching end to end on PostgreSQL: linking, review, merge and unmerge, the match API."""

from datetime import UTC, datetime

import pytest

from canonical.models import ChangeLog, CrossReference, Customer
from canonical.services.ingest import IngestItem, source_records_ingest
from matching.engine import Matcher, forget_cached
from matching.features import features_of
from matching.models import MatchMode, MatchSettings, Merge, NonMatch, RecordFeatures, ReviewState, ReviewTask
from matching.services.merge import golden_unmerge, goldens_merge, goldens_merge_many
from matching.services.review import review_approve, review_reject
from mdmhub.problems import HubError
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db

ACME_ERP = {
    "kind": "organization",
    "name": "ACME Industrial Supply GmbH",
    "tax_id": "DE811907980",
    "phone": "+49 30 1234567",
    "address": {"line1": "Hauptstr. 5", "postal_code": "10115", "city": "Berlin", "country": "DE"},
}
ACME_SUPPORT = {
    "kind": "organization",
    "name": "Acme Industrial Supplies",
    "phone": "030 1234567",
    "address": {"line1": "Hauptstrasse 5", "postal_code": "10115", "city": "Berlin", "country": "DE"},
}


@pytest.fixture(autouse=True)
def probabilistic():
    forget_cached()
    MatchSettings.objects.update_or_create(
        entity="customer", defaults={"mode": MatchMode.PROBABILISTIC, "auto_threshold": 0.97, "review_threshold": 0.5}
    )
    yield
    forget_cached()


def ingest(system, local_id, attributes, day=1):
    when = datetime(2026, 11, day, tzinfo=UTC)
    [result] = source_records_ingest(
        system=system, entity="customer", items=[IngestItem(local_id, attributes, {}, when)]
    )
    return result


def person(first, last, birth, **extra):
    address = {"line1": "Lindenweg 3", "postal_code": "80331", "city": "München", "country": "DE"}
    return {"kind": "person", "first_name": first, "last_name": last, "birth_date": birth, "address": address, **extra}


def test_spelling_variants_of_one_company_link_without_a_shared_identifier(sap, zendesk):
    erp = ingest(sap, "100", ACME_ERP)
    support = ingest(zendesk, "Z9", ACME_SUPPORT)
    assert support.golden_id == erp.golden_id
    link = CrossReference.objects.get(system=zendesk)
    assert link.method == "fuzzy" and link.score >= 0.97


def test_a_support_record_writing_the_phone_without_country_code_links(sap, zendesk, zendesk_api):
    erp = ingest(sap, "P7", person("Mary", "Jackson", "1970-01-02", phone="+1 212 283 0275"))
    support = {"kind": "person", "first_name": "Mary", "last_name": "Jackson", "phone": "212 2830275"}
    [best] = zendesk_api.post("/api/v1/match/customer", {"attributes": support}).json()["candidates"]
    explanation = {row["attribute"]: row for row in best["explanation"]}
    assert explanation["phone"]["comparison"] == "same"
    assert (explanation["phone"]["incoming"], explanation["phone"]["candidate"]) == ("2122830275", "+12122830275")
    assert ingest(zendesk, "U7", support).golden_id == erp.golden_id


def test_a_different_legal_form_counts_against_a_link(sap, zendesk):
    spa = ingest(sap, "O1", {**ACME_ERP, "name": "Bar Sport S.p.A.", "tax_id": None})
    srl = ingest(zendesk, "O2", {**ACME_SUPPORT, "name": "Bar Sport S.r.l.", "phone": None})
    assert srl.golden_id != spa.golden_id
    same = ingest(zendesk, "O3", {**ACME_SUPPORT, "name": "Bar Sport SpA", "phone": None})
    assert same.golden_id == spa.golden_id


def test_contacts_of_one_customer_with_one_name_link_and_of_another_do_not(sap, zendesk):
    MatchSettings.objects.update_or_create(
        entity="contact", defaults={"mode": MatchMode.PROBABILISTIC, "auto_threshold": 0.97, "review_threshold": 0.5}
    )
    forget_cached()
    acme = ingest(sap, "C1", ACME_ERP)
    assert ingest(zendesk, "Z1", ACME_SUPPORT).golden_id == acme.golden_id
    other = ingest(zendesk, "Z2", {"kind": "organization", "name": "Nordwind Handel KG", "address": {"city": "Kiel"}})

    def contact(system, local_id, customer):
        item = IngestItem(local_id, {"first_name": "Mary", "last_name": "Jackson"}, {"customer": customer},
                          datetime(2026, 11, 1, tzinfo=UTC))  # fmt: skip
        [result] = source_records_ingest(system=system, entity="contact", items=[item])
        return result

    erp = contact(sap, "P1", "C1")
    assert contact(zendesk, "U1", "Z1").golden_id == erp.golden_id  # Z1 is the same customer as C1
    assert contact(zendesk, "U2", "Z2").golden_id != erp.golden_id
    stored = RecordFeatures.objects.get(source_record__local_id="U2", entity="contact")
    assert stored.features["customer"] == other.golden_id


def test_family_members_at_one_address_stay_apart(sap, zendesk):
    anna = ingest(sap, "P1", person("Anna", "Weber", "1961-04-02", phone="+49 89 555 1234"))
    max_ = ingest(zendesk, "U1", person("Max", "Weber", "1990-09-17", phone="+49 89 555 1234"))
    assert anna.golden_id != max_.golden_id


def test_nickname_and_typo_of_one_person_link(sap, zendesk):
    a = ingest(sap, "P1", person("William", "Schneider", "1975-03-14", email="w.schneider@example.org"))
    b = ingest(zendesk, "U1", person("Bill", "Schnieder", "1975-03-14", email="W.Schneider@example.org"))
    assert a.golden_id == b.golden_id


def test_match_api_ranks_and_explains_without_creating_anything(sap, zendesk_api):
    erp = ingest(sap, "100", ACME_ERP)
    before = (Customer.objects.count(), ChangeLog.objects.count())
    answer = zendesk_api.post("/api/v1/match/customer", {"attributes": ACME_SUPPORT})
    assert answer.status_code == 200, answer.content
    best = answer.json()["candidates"][0]
    assert best["golden_id"] == erp.golden_id and best["score"] >= 0.97
    by_attribute = {row["attribute"]: row for row in best["explanation"]}
    assert by_attribute["address"]["comparison"] == "same" and by_attribute["address"]["weight"] > 0
    assert by_attribute["tax_id"]["comparison"] == "missing" and by_attribute["tax_id"]["weight"] == 0
    assert (Customer.objects.count(), ChangeLog.objects.count()) == before
    assert zendesk_api.post("/api/v1/match/planet", {"attributes": {}}).status_code == 404
    assert zendesk_api.post("/api/v1/match/customer", {"attributes": {"name": 5.5}}).status_code == 400


def test_a_blocking_key_shared_by_more_records_than_the_cap_proposes_nobody(sap):
    # A switchboard number many unrelated firms give: past the cap it stops finding candidates.
    shared = "+49 30 9999999"
    for i, name in enumerate(["Alpha Tools GmbH", "Beta Foods AG", "Gamma Bau KG"]):
        ingest(sap, f"S{i}", {"kind": "organization", "name": name, "phone": shared})
    probe = features_of("customer", {"kind": "organization", "name": "Delta Druck GmbH", "phone": shared})
    assert len(Matcher("customer").score(probe)) == 3
    MatchSettings.objects.filter(entity="customer").update(block_cap=2)
    forget_cached()
    assert Matcher("customer").score(probe) == []


def probable_duplicate(sap, zendesk):
    """Same name in two cities, nothing else in common: a steward should look."""
    a = ingest(sap, "100", {"kind": "organization", "name": "Nordlicht Logistik GmbH", "address": {"city": "Kiel"}})
    b = ingest(zendesk, "Z9", {"kind": "organization", "name": "Nordlicht Logistik", "address": {"city": "Lübeck"}})
    return a, b


def test_probable_duplicate_opens_a_review_task_with_its_explanation(sap, zendesk):
    a, b = probable_duplicate(sap, zendesk)
    assert a.golden_id != b.golden_id
    task = ReviewTask.objects.get(state=ReviewState.OPEN)
    assert (task.golden_id, task.candidate_id) == (b.golden_id, a.golden_id)
    assert 0.5 <= task.score < 0.97
    assert {row["attribute"] for row in task.explanation} >= {"name", "address"}


def test_approving_a_review_merges_into_the_candidate(sap, zendesk):
    a, b = probable_duplicate(sap, zendesk)
    task = ReviewTask.objects.get()
    assert review_approve(task_ids=[task.pk]) == 1
    assert set(CrossReference.objects.values_list("golden_id", flat=True)) == {a.golden_id}
    assert Customer.objects.get(id=b.golden_id).merged_into_id == a.golden_id
    task.refresh_from_db()
    assert task.state == ReviewState.APPROVED


def test_rejecting_a_review_remembers_the_pair(sap, zendesk):
    a, b = probable_duplicate(sap, zendesk)
    task = ReviewTask.objects.get()
    assert review_reject(task_ids=[task.pk], note="different firms") == 1
    assert NonMatch.objects.filter(golden_a=min(a.golden_id, b.golden_id)).exists()
    task.refresh_from_db()
    assert task.state == ReviewState.REJECTED


def test_open_review_tasks_follow_a_merge(sap, zendesk, servicenow):
    a, b = probable_duplicate(sap, zendesk)
    c = ingest(servicenow, "C1", {"kind": "organization", "name": "Nordlicht Logistik", "address": {"city": "Kiel"}})
    ReviewTask.objects.all().delete()
    asked = {}
    for golden_id, candidate_id in ((b.golden_id, a.golden_id), (c.golden_id, b.golden_id), (c.golden_id, a.golden_id)):
        record_id = CrossReference.objects.filter(golden_id=golden_id).first().source_record_id
        asked[golden_id, candidate_id] = ReviewTask.objects.create(
            entity="customer", source_record_id=record_id, golden_id=golden_id, candidate_id=candidate_id, score=0.8
        )
    goldens_merge(entity="customer", survivor_id=a.golden_id, retired_id=b.golden_id)
    states = {pair: ReviewTask.objects.get(pk=task.pk) for pair, task in asked.items()}
    assert states[b.golden_id, a.golden_id].state == ReviewState.APPROVED  # the merge answered it
    # "is C the same as B?" now asks about A, which "is C the same as A?" already does: one question stays open.
    assert states[c.golden_id, a.golden_id].state == ReviewState.OPEN
    assert states[c.golden_id, b.golden_id].state == ReviewState.OBSOLETE
    assert not ReviewTask.objects.filter(state=ReviewState.OPEN, golden_id=b.golden_id).exists()
    assert not ReviewTask.objects.filter(state=ReviewState.OPEN, candidate_id=b.golden_id).exists()
    review_approve(task_ids=[states[c.golden_id, a.golden_id].pk])  # and it can be answered
    assert Customer.objects.get(id=c.golden_id).merged_into_id == a.golden_id


def snapshot(*golden_ids):
    links = sorted(
        CrossReference.objects.filter(golden_id__in=golden_ids).values_list("system__code", "local_id", "golden_id")
    )
    values = {g: Customer.objects.get(id=g).to_attributes() for g in golden_ids}
    return links, values


def test_merge_then_unmerge_restores_links_and_values(sap, zendesk):
    a = ingest(sap, "100", {"kind": "organization", "name": "Alpha Tools GmbH", "tax_id": "DE111111111"})
    b = ingest(zendesk, "Z9", {"kind": "organization", "name": "Alpha Tools", "email": "help@alpha.de"})
    before = snapshot(a.golden_id, b.golden_id)
    merge = goldens_merge(entity="customer", survivor_id=a.golden_id, retired_id=b.golden_id, reason="test")
    survivor = Customer.objects.get(id=a.golden_id)
    assert survivor.email == "help@alpha.de"
    assert ApiClient(sap.token).get(f"/api/v1/customers/{b.golden_id}").json()["id"] == a.golden_id
    actions = list(ChangeLog.objects.filter(action__in=["merge", "retire"]).values_list("golden_id", "action"))
    assert (a.golden_id, "merge") in actions and (b.golden_id, "retire") in actions

    records = list(CrossReference.objects.filter(pk__in=merge.moved_links).values_list("source_record_id", flat=True))
    restored = golden_unmerge(entity="customer", golden_id=a.golden_id, record_ids=records, reason="undo")
    assert restored == b.golden_id
    assert snapshot(a.golden_id, b.golden_id) == before
    assert Customer.objects.get(id=b.golden_id).merged_into_id is None
    assert Merge.objects.get().undone_at is not None
    assert Customer.objects.get(id=a.golden_id).history.filter(history_change_reason="undo").exists()
    assert ChangeLog.objects.filter(action="unmerge").count() == 2


def test_merging_several_pairs_at_once_follows_chains_and_each_can_be_undone(sap, zendesk, servicenow):
    a = ingest(sap, "100", {"kind": "organization", "name": "Alpha Tools GmbH", "tax_id": "DE111111111"})
    b = ingest(zendesk, "Z9", {"kind": "organization", "name": "Alpha Tools", "email": "help@alpha.de"})
    c = ingest(servicenow, "S1", {"kind": "organization", "name": "Alpha Tool", "phone": "+49 30 9999999"})
    a_id, b_id, c_id = sorted([a.golden_id, b.golden_id, c.golden_id])
    before = snapshot(a_id, b_id, c_id)
    merges = goldens_merge_many(entity="customer", pairs=[(b_id, c_id), (a_id, b_id)], reason="batch")
    assert {(m.survivor_id, m.retired_id) for m in merges} == {(a_id, b_id), (a_id, c_id)}  # c follows b to a
    assert set(Customer.objects.filter(merged_into=a_id).values_list("id", flat=True)) == {b_id, c_id}
    assert set(CrossReference.objects.values_list("golden_id", flat=True)) == {a_id}
    survivor = Customer.objects.get(id=a_id)
    assert (survivor.email, survivor.phone) == ("help@alpha.de", "+49 30 9999999")
    [merge_event] = ChangeLog.objects.filter(action="merge")
    assert merge_event.golden_id == a_id and ChangeLog.objects.filter(action="retire").count() == 2
    with pytest.raises(HubError):
        goldens_merge_many(entity="customer", pairs=[(a_id, b_id)])  # b is merged away already
    assert goldens_merge_many(entity="customer", pairs=[(a_id, b_id)], skip_merged=True) == []

    for m in sorted(merges, key=lambda m: m.retired_id, reverse=True):
        records = list(CrossReference.objects.filter(pk__in=m.moved_links).values_list("source_record_id", flat=True))
        assert golden_unmerge(entity="customer", golden_id=a_id, record_ids=records) == m.retired_id
    assert snapshot(a_id, b_id, c_id) == before


def test_splitting_records_that_no_merge_brought_makes_a_new_golden(sap, zendesk):
    a = ingest(sap, "100", ACME_ERP)
    ingest(zendesk, "Z9", ACME_SUPPORT)
    record = CrossReference.objects.get(system=zendesk).source_record_id
    new_id = golden_unmerge(entity="customer", golden_id=a.golden_id, record_ids=[record], reason="not the same")
    assert new_id not in (a.golden_id,)
    assert CrossReference.objects.get(system=zendesk).golden_id == new_id
    assert Customer.objects.get(id=new_id).name == "Acme Industrial Supplies"


def test_merge_refuses_a_record_already_merged_away(sap, zendesk):
    a, b = probable_duplicate(sap, zendesk)
    goldens_merge(entity="customer", survivor_id=a.golden_id, retired_id=b.golden_id)
    with pytest.raises(HubError):
        goldens_merge(entity="customer", survivor_id=a.golden_id, retired_id=b.golden_id)


def test_a_chain_does_not_glue_unrelated_records(sap, zendesk, servicenow):
    # B resembles A (same firm, same address) and C resembles B (same phone and name) but C shares nothing with A.
    a = ingest(sap, "A", {**ACME_ERP, "phone": ""})
    b = ingest(zendesk, "B", ACME_SUPPORT)
    assert a.golden_id == b.golden_id
    c = ingest(
        servicenow,
        "C",
        {
            "kind": "organization",
            "name": "Acme Industrial Supplies",
            "phone": "030 1234567",
            "address": {"city": "Hamburg", "country": "DE"},
        },
    )
    assert c.golden_id != a.golden_id


def test_steward_decisions_become_labelled_pairs_for_training(sap, zendesk):
    from matching.scoring import comparators_for
    from matching.services.train import _labelled

    probable_duplicate(sap, zendesk)
    review_approve(task_ids=[ReviewTask.objects.get().pk])
    comparators = comparators_for("customer", "organization")
    pairs = _labelled("customer", "organization", comparators)
    assert len(pairs) == 1
    vector, same = pairs[0]
    assert same is True
    assert vector[0] >= 3  # the names agree strongly


def test_exact_matching_links_a_shared_mailbox_only_between_records_that_do_not_contradict(sap, zendesk):
    MatchSettings.objects.filter(entity="customer").update(mode=MatchMode.EXACT)
    forget_cached()
    family = "Mueller.Familie@web.de"
    hans = ingest(sap, "K1", person("Hans", "Müller", "1961-02-03", email=family))
    maria = ingest(zendesk, "Z1", person("Maria", "Müller", "1964-07-08", email=family.lower()))
    assert maria.golden_id != hans.golden_id  # one mailbox, two customers
    assert ingest(zendesk, "Z2", person("Maria", "Mueller", None, email=family)).golden_id == maria.golden_id
    assert ingest(zendesk, "Z3", person("Hans", "Müller", "1961-02-03", email=family)).golden_id == hans.golden_id
    twin = ingest(zendesk, "Z4", person("Hans", "Müller", "1990-01-01", email=family))  # Hans junior
    assert twin.golden_id not in (hans.golden_id, maria.golden_id)
    company = {"kind": "organization", "name": "Müller Bau GmbH", "email": "info@muellerbau.de"}
    owner = {"kind": "person", "first_name": "Hans", "last_name": "Müller", "email": "info@muellerbau.de"}
    # A company's e-mail never makes a person the company (a person's e-mail is an identity key, a company's not).
    assert ingest(sap, "K2", company).golden_id != ingest(zendesk, "Z5", owner).golden_id
    [first, second] = source_records_ingest(
        system=zendesk,
        entity="customer",
        items=[
            IngestItem(
                "Z6", person("Eva", "Schulz", None, email="schulz@gmx.de"), {}, datetime(2026, 11, 2, tzinfo=UTC)
            ),
            IngestItem(
                "Z7", person("Jonas", "Schulz", None, email="schulz@gmx.de"), {}, datetime(2026, 11, 2, tzinfo=UTC)
            ),
        ],
    )
    assert first.golden_id != second.golden_id  # also between the records of one batch


def test_re_matching_takes_the_best_candidate_that_may_link_not_just_the_best_scored(sap, zendesk, servicenow):
    from matching.services.index import records_index_missing
    from matching.services.rematch import Plan, golden_rematch

    MatchSettings.objects.filter(entity="customer").update(mode=MatchMode.EXACT)  # three golden records first
    forget_cached()
    moved = {"line1": "Seestrasse 40", "postal_code": "20095", "city": "Hamburg", "country": "DE"}
    mail, phone = "anna.berger@example.de", "+49 89 1234567"
    # Her mother shares mailbox, phone and flat and scores highest, but her birth date says she is someone else.
    mother = ingest(sap, "K1", person("Anna", "Berger", "1951-05-05", email=mail, phone=phone)).golden_id
    moved_away = ingest(servicenow, "S1", person("Anna", "Berger", "1980-01-01", phone=phone, address=moved)).golden_id
    anna = ingest(zendesk, "Z1", person("Anna", "Berger", "1980-01-01", email=mail, phone=phone)).golden_id
    assert len({mother, moved_away, anna}) == 3
    MatchSettings.objects.filter(entity="customer").update(mode=MatchMode.PROBABILISTIC)
    forget_cached()
    records_index_missing(entity="customer")
    matcher, plan = Matcher("customer"), Plan()
    ranked = matcher.score(matcher.members(anna)[0][1], exclude={anna})
    assert [c.golden_id for c in ranked[:2]] == [mother, moved_away] and ranked[0].vetoed
    assert golden_rematch(entity="customer", golden_id=anna, matcher=matcher, plan=plan) == "merged"
    assert plan.merges == [(moved_away, anna)]
