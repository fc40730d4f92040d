import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from canonical.api.auth import forget_tokens
from canonical.importing import RawLine
from canonical.models import Contact, Customer, ImportBatch, ImportJob, SourceSystem
from canonical.services.imports import import_batch_ingest, import_job_open
from tests.conftest import ApiClient


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def write_jsonl(path, records) -> str:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return str(path)


def org(i: int, **extra) -> dict:
    attributes = {"kind": "organization", "name": f"Firm {i}", "tax_id": f"DE{i + 1:05d}", "credit_status": "ok"}
    return {"local_id": f"C{i}", "attributes": attributes, "source_updated_at": "2026-11-01T00:00:00Z", **extra}


@pytest.mark.django_db
def test_mdm_system_add_prints_a_working_token_last():
    output = run("mdm_system", "add", "erp1", "--kind", "erp")
    token = output.strip().splitlines()[-1]
    assert SourceSystem.objects.get(code="erp1").kind == "erp"
    assert ApiClient(token).get("/api/v1/customers/").status_code == 200
    rotated = run("mdm_system", "token", "erp1").strip().splitlines()[-1]
    assert rotated != token
    forget_tokens()  # each process caches a token's answer for MDMHUB_TOKEN_CACHE_SECONDS
    assert ApiClient(token).get("/api/v1/customers/").status_code == 401
    assert ApiClient(rotated).get("/api/v1/customers/").status_code == 200


@pytest.mark.django_db
def test_mdm_system_rejects_a_bad_code():
    with pytest.raises(Exception, match="code"):
        run("mdm_system", "add", "Bad Code!", "--kind", "erp")


@pytest.mark.django_db
def test_jsonl_import_creates_goldens_and_reports_rejects(sap, tmp_path):
    records = [org(i) for i in range(5)] + [{"local_id": "bad", "attributes": {"credit_status": "fine"}}]
    path = write_jsonl(tmp_path / "c.jsonl", records)
    with open(path, "a") as handle:
        handle.write("{broken\n")
    output = run("mdm_import", path, "--system", "sap", "--entity", "customer", "--batch-size", "2", "--no-progress")
    assert "created 5" in output and "rejected 2" in output
    assert Customer.objects.count() == 5
    with open(f"{path}.rejects.jsonl") as handle:
        rejects = [json.loads(line) for line in handle]
    assert [r["line"] for r in rejects] == [6, 7]
    assert "attributes.credit_status" in rejects[0]["errors"]


@pytest.mark.django_db
def test_jsonl_lines_the_database_cannot_hold_are_rejected_not_fatal(sap, tmp_path):
    path = tmp_path / "c.jsonl"
    lines = [
        json.dumps(org(1)),
        '{"local_id": "s", "attributes": {"name": "\\ud800"}}',
        '{"local_id": "n", "attributes": {}, "source_updated_at": "2026-11-01T00:00:00\\u0000Z"}',
        '{"local_id": "d", "attributes": {"name": "A", "name": "B"}}',
        '{"local_id": "e", "attributes": {"credit_limit": 1e999}}',
        '{"local_id": "deep", "attributes": ' + "[" * 10_000 + "]" * 10_000 + "}",
        json.dumps(org(2)),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = run("mdm_import", str(path), "--system", "sap", "--entity", "customer", "--no-progress")
    assert "created 2" in output and "rejected 5" in output
    with open(f"{path}.rejects.jsonl") as handle:
        rejects = {r["line"]: r["errors"] for r in map(json.loads, handle)}
    assert set(rejects[2]) == {"attributes.name"} and set(rejects[3]) == {"source_updated_at"}
    assert set(rejects[4]) == {"attributes.name"} and set(rejects[5]) == {"attributes.credit_limit"}
    assert set(rejects[6]) == {"body"}


@pytest.mark.django_db
def test_reimporting_a_finished_file_does_nothing_and_restart_is_unchanged(sap, tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [org(i) for i in range(3)])
    run("mdm_import", path, "--system", "sap", "--entity", "customer", "--no-progress")
    assert "imported already" in run("mdm_import", path, "--system", "sap", "--entity", "customer", "--no-progress")
    again = run("mdm_import", path, "--system", "sap", "--entity", "customer", "--restart", "--no-progress")
    assert "unchanged 3" in again
    assert Customer.history.count() == 3


@pytest.mark.django_db
def test_import_resumes_after_a_crash_without_repeating_committed_batches(sap, tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [org(i) for i in range(6)])
    job = import_job_open(system=sap, entity="customer", path=path, batch_size=2)
    # The crashed run had committed batch 0 (lines 1-2) only.
    lines = [RawLine(n + 1, json.dumps(org(n))) for n in range(2)]
    import_batch_ingest(job_id=job.pk, number=0, lines=lines)
    output = run("mdm_import", path, "--system", "sap", "--entity", "customer", "--batch-size", "2", "--no-progress")
    assert "resuming: 1 batches" in output
    assert "created 6" in output
    assert sorted(ImportBatch.objects.values_list("number", flat=True)) == [0, 1, 2]
    assert Customer.objects.count() == 6
    assert ImportJob.objects.get().finished_at is not None


@pytest.mark.django_db
def test_csv_import_with_nested_columns_and_references(zendesk, tmp_path):
    customers = tmp_path / "customers.csv"
    customers.write_text(
        "local_id,name,address.city,address.country,credit_limit\n"
        'O1,"Acme, Inc.",Berlin,de,5000\n'
        'O2,"Multi\nLine GmbH",Paris,FR,\n',
        encoding="utf-8",
    )
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("local_id,first_name,email,references.customer\nU1,Ann,ann@acme.de,O1\n", encoding="utf-8")
    run("mdm_import", str(customers), "--system", "zendesk", "--entity", "customer", "--no-progress")
    run("mdm_import", str(contacts), "--system", "zendesk", "--entity", "contact", "--no-progress")
    acme = Customer.objects.get(name="Acme, Inc.")
    assert (acme.address_city, acme.address_country, str(acme.credit_limit)) == ("Berlin", "DE", "None")
    assert Customer.objects.filter(name="Multi\nLine GmbH").exists()
    assert Contact.objects.get().customer_id == acme.id


@pytest.mark.django_db(transaction=True)
def test_parallel_import_gives_the_same_result_as_serial(sap, tmp_path):
    path = write_jsonl(
        tmp_path / "c.jsonl", [org(i) for i in range(40)] + [org(i, local_id=f"D{i}") for i in range(10)]
    )
    args = ["--system", "sap", "--entity", "customer", "--batch-size", "5", "--workers", "2", "--no-progress"]
    output = run("mdm_import", path, *args)
    assert "created" in output
    assert Customer.objects.count() == 40
    assert ImportBatch.objects.count() == 10


@pytest.mark.django_db
def test_an_import_leaves_planner_statistics_for_the_tables_it_filled(sap, tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [org(i) for i in range(7)])
    run("mdm_import", path, "--system", "sap", "--entity", "customer", "--no-progress")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN"
            " ('canonical_customer', 'canonical_sourcerecord', 'canonical_crossreference')"
        )
        # Without statistics PostgreSQL guesses a table's size (reltuples -1) and may scan all of it per look-up.
        assert dict(cursor.fetchall()) == {
            "canonical_customer": 7,
            "canonical_sourcerecord": 7,
            "canonical_crossreference": 7,
        }
