"""The synthetic customer generator: deterministic, valid, with duplicates that differ and strangers that do not."""

import csv
import io
import itertools
import json
import re
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from canonical.importing import parse_record
from canonical.schema import clean_attributes
from matching.synth import SYSTEMS, SynthRecord, generate, truth_pairs, write

LOCAL_ID_STYLE = {
    "sap": r"\d{10}",
    "odoo": r"[1-9]\d{2,}",
    "zendesk": r"[1-9]\d{11,13}",
    "servicenow": r"[0-9a-f]{32}",
    "freshdesk": r"[1-9]\d{10}",
    "salesforce": r"001[0-9A-Za-z]{15}",
}


@pytest.fixture(scope="module")
def records() -> list[SynthRecord]:
    return list(generate(5000, seed=7))


def by_truth(records: list[SynthRecord]) -> dict[str, list[SynthRecord]]:
    groups: dict[str, list[SynthRecord]] = defaultdict(list)
    for record in records:
        groups[record.truth].append(record)
    return groups


def display_name(attributes: dict) -> str:
    name = attributes.get("name") or f"{attributes.get('first_name', '')} {attributes.get('last_name', '')}"
    return name.strip().casefold()


def salesforce_suffix(base: str) -> str:
    suffix = ""
    for chunk in (base[0:5], base[5:10], base[10:15]):
        flags = sum(1 << i for i, ch in enumerate(chunk) if ch.isupper())
        suffix += "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"[flags]
    return suffix


def test_the_same_seed_gives_the_same_records_and_another_seed_others():
    assert list(generate(800, seed=3)) == list(generate(800, seed=3))
    assert list(generate(800, seed=3)) != list(generate(800, seed=4))


@pytest.mark.parametrize("size", [0, 1, 7, 1234])
def test_size_is_the_number_of_records_produced(size):
    assert len(list(generate(size, seed=1))) == size


def test_every_record_passes_canonical_validation(records):
    for record in records:
        clean, errors = clean_attributes("customer", record.attributes)
        assert errors == {}, (record.system, record.attributes)
        assert record.entity == "customer"
        assert clean.get("name") or clean.get("last_name") or clean.get("first_name"), record.attributes


def test_local_ids_follow_each_systems_style_and_are_unique_per_system(records):
    for record in records:
        assert re.fullmatch(LOCAL_ID_STYLE[record.system], record.local_id), (record.system, record.local_id)
        if record.system == "salesforce":
            assert record.local_id[15:] == salesforce_suffix(record.local_id[:15])
    keys = [(r.system, r.local_id) for r in records]
    assert len(keys) == len(set(keys))
    assert {r.system for r in records} == set(SYSTEMS)


def test_an_entity_is_held_by_one_to_four_systems_once_each(records):
    groups = by_truth(records)
    assert {len(g) for g in groups.values()} == {1, 2, 3, 4}
    assert all(len({r.system for r in g}) == len(g) for g in groups.values())
    held_twice_or_more = sum(len(g) > 1 for g in groups.values()) / len(groups)
    assert 0.45 < held_twice_or_more < 0.55  # dup_rate defaults to 0.5
    assert 0.5 < len(groups) / len(records) < 0.6


def test_no_entity_is_held_by_more_than_one_system_when_dup_rate_is_zero():
    groups = by_truth(list(generate(1000, seed=2, dup_rate=0.0)))
    assert {len(g) for g in groups.values()} == {1}


def test_intra_system_dupes_put_two_records_of_one_entity_in_one_system():
    records = list(generate(3000, seed=2, intra_system_dupes=0.2))
    same_system = [pair for pair in truth_pairs(records) if len({system for system, _ in pair}) == 1]
    assert len(same_system) > 100
    assert len({(r.system, r.local_id) for r in records}) == len(records)


def test_truth_pairs_are_exactly_the_pairs_within_each_entity(records):
    pairs = truth_pairs(records)
    truth_of = {(r.system, r.local_id): r.truth for r in records}
    assert all(len({truth_of[member] for member in pair}) == 1 for pair in pairs)
    sizes = Counter(r.truth for r in records)
    assert len(pairs) == sum(n * (n - 1) // 2 for n in sizes.values())


def test_copies_of_one_entity_disagree_as_real_systems_do(records):
    pairs = [(a.attributes, b.attributes) for g in by_truth(records).values() for a, b in itertools.combinations(g, 2)]
    with_phones = [(a, b) for a, b in pairs if "phone" in a and "phone" in b]
    with_emails = [(a, b) for a, b in pairs if "email" in a and "email" in b]
    assert sum(display_name(a) != display_name(b) for a, b in pairs) / len(pairs) > 0.5
    assert sum(a["phone"] != b["phone"] for a, b in with_phones) / len(with_phones) > 0.5
    assert sum(a["email"].lower() != b["email"].lower() for a, b in with_emails) / len(with_emails) > 0.2
    assert any(a["email"].lower() == b["email"].lower() != a["email"] for a, b in with_emails)  # case differs
    assert sum(r.system == "sap" and r.attributes.get("name", "").isupper() for r in records) > 50


def test_distinct_entities_look_alike(records):
    """Namesakes in one city, families at one address and companies sharing a name are different truths."""
    last_name_and_city: dict[tuple, set[str]] = defaultdict(set)
    family_address: dict[tuple, set[str]] = defaultdict(set)
    company_name: dict[str, set[str]] = defaultdict(set)
    for record in records:
        a, address = record.attributes, record.attributes.get("address") or {}
        if a.get("last_name") and address.get("city"):
            last_name_and_city[(a["last_name"].casefold(), address["city"])].add(record.truth)
            if address.get("line1"):
                family_address[(a["last_name"].casefold(), address["line1"].casefold())].add(record.truth)
        if a.get("kind") == "organization" and a.get("name"):
            company_name[a["name"].casefold()].add(record.truth)
    assert sum(len(truths) > 1 for truths in last_name_and_city.values()) > 20
    assert sum(len(truths) > 1 for truths in family_address.values()) > 3
    assert sum(len(truths) > 1 for truths in company_name.values()) > 50


def test_files_are_written_per_system_in_the_import_shape(tmp_path, records):
    summary = write(records, tmp_path)
    for system in SYSTEMS:
        lines = (tmp_path / f"{system}.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(lines) == summary.records[system]
        for line in lines:
            item, errors = parse_record("customer", json.loads(line))
            assert errors == {}, line
            assert item is not None
    with open(tmp_path / "truth.csv", encoding="utf-8", newline="") as stream:
        rows = {(row["system"], row["local_id"], row["truth"]) for row in csv.DictReader(stream)}
    assert rows == {(r.system, r.local_id, r.truth) for r in records}
    assert summary.entities == len(by_truth(records))
    assert summary.pairs == len(truth_pairs(records))


def test_mdm_generate_writes_the_files_and_prints_the_counts(tmp_path):
    out = io.StringIO()
    call_command("mdm_generate", "--size", "2000", "--seed", "5", "--out", str(tmp_path), stdout=out)
    lines = sum(len((tmp_path / f"{s}.jsonl").read_text(encoding="utf-8").splitlines()) for s in SYSTEMS)
    with open(tmp_path / "truth.csv", encoding="utf-8", newline="") as stream:
        truths = {row["truth"] for row in csv.DictReader(stream)}
    printed = out.getvalue()
    assert lines == 2000
    assert "wrote 2000 records" in printed
    assert re.search(rf"entities\s+{len(truths)}\b", printed)


def test_mdm_generate_refuses_a_rate_outside_zero_to_one(tmp_path):
    with pytest.raises(CommandError, match="between 0 and 1"):
        call_command("mdm_generate", "--size", "10", "--dup-rate", "1.5", "--out", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()
