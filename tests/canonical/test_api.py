import base64
import json
from urllib.parse import quote

import pytest

from canonical.models import ChangeLog, Customer, SourceRecord
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db

ACME = {"kind": "organization", "name": "ACME GmbH", "tax_id": "DE123", "credit_status": "hold"}


def body(attributes=None, when="2026-11-01T10:00:00Z", **extra):
    return {"attributes": attributes if attributes is not None else ACME, "source_updated_at": when, **extra}


def assert_problem(response, status: int, field: str | None = None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    if field:
        assert field in [e["field"] for e in problem.get("errors", [])], problem
    return problem


def test_put_creates_then_answers_unchanged(sap_api):
    first = sap_api.put("/api/v1/systems/sap/customer/100", body())
    assert first.status_code == 201
    assert first.json()["outcome"] == "created"
    again = sap_api.put("/api/v1/systems/sap/customer/100", body(when="2026-11-02T10:00:00Z"))
    assert again.status_code == 200
    assert again.json() | {"version": 1} == first.json() | {"outcome": "unchanged"}


def test_put_reports_conflict_and_keeps_the_hold(sap_api, zendesk_api):
    sap_api.put("/api/v1/systems/sap/customer/100", body())
    answer = zendesk_api.put(
        "/api/v1/systems/zendesk/customer/Z1", body({"tax_id": "DE 123", "credit_status": "ok"}, "2026-11-05T00:00:00Z")
    ).json()
    assert answer["outcome"] == "conflict"
    assert answer["conflicts"][0]["attribute"] == "credit_status"
    assert Customer.objects.get().credit_status == "hold"


def test_put_stale_is_answered_as_such(sap_api):
    sap_api.put("/api/v1/systems/sap/customer/100", body(when="2026-11-05T00:00:00Z"))
    answer = sap_api.put("/api/v1/systems/sap/customer/100", body({**ACME, "name": "Old"}, "2026-11-01T00:00:00Z"))
    assert answer.json()["outcome"] == "stale"
    assert Customer.objects.get().name == "ACME GmbH"


def test_idempotency_key_replays_the_first_answer_without_a_second_effect(sap_api):
    first = sap_api.put("/api/v1/systems/sap/customer/100", body(), **{"Idempotency-Key": "k-1"})
    # The record changed in between; the retried request must still get the first answer and change nothing.
    sap_api.put("/api/v1/systems/sap/customer/100", body({**ACME, "name": "Renamed"}, "2026-11-03T00:00:00Z"))
    retry = sap_api.put("/api/v1/systems/sap/customer/100", body(), **{"Idempotency-Key": "k-1"})
    assert retry.status_code == first.status_code == 201
    assert retry.json() == first.json()
    assert Customer.objects.get().name == "Renamed"
    assert ChangeLog.objects.count() == 2


def test_idempotency_key_with_another_body_is_422(sap_api):
    sap_api.put("/api/v1/systems/sap/customer/100", body(), **{"Idempotency-Key": "k-2"})
    other = sap_api.put("/api/v1/systems/sap/customer/100", body({**ACME, "name": "X"}), **{"Idempotency-Key": "k-2"})
    assert_problem(other, 422, "Idempotency-Key")
    assert Customer.objects.get().name == "ACME GmbH"


def test_a_system_cannot_write_another_systems_records(sap, zendesk_api):
    assert_problem(zendesk_api.put("/api/v1/systems/sap/customer/100", body()), 403, "system")
    assert not SourceRecord.objects.exists()


def test_requests_without_a_valid_token_are_refused(sap):
    assert_problem(ApiClient().put("/api/v1/systems/sap/customer/1", body()), 401)
    assert_problem(ApiClient("mdm_wrong").get("/api/v1/customers/"), 401)


def test_disabled_system_token_stops_working(sap, sap_api):
    sap.enabled = False
    sap.save()
    assert_problem(sap_api.get("/api/v1/customers/"), 401)


def test_steward_session_may_read(admin_client, sap_api):
    sap_api.put("/api/v1/systems/sap/customer/100", body())
    assert admin_client.get("/api/v1/customers/").status_code == 200


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("{not json", "body"),
        ("[1, 2]", "body"),
        (json.dumps({"attributes": "text"}), "attributes"),
        (json.dumps({"attributes": {"name": 5.5}}), "attributes.name"),
        (json.dumps({"attributes": {"name": "x" * 300}}), "attributes.name"),
        (json.dumps({"attributes": {"name": "a\u0000b"}}), "attributes.name"),
        (json.dumps({"attributes": {"credit_limit": 10**30}}), "attributes.credit_limit"),
        ('{"attributes": {"credit_limit": 1e999}}', "attributes.credit_limit"),
        ('{"attributes": {"credit_limit": ' + "9" * 5000 + "}}", "attributes.credit_limit"),
        ('{"attributes": {"name": "\\ud800"}}', "attributes.name"),
        ('{"attributes": {"\\udfff": "x"}}', "attributes.\\udfff"),
        ('{"attributes": {"address": {"city": "\\ud800"}}}', "attributes.address.city"),
        ('{"attributes": {}, "references": {"\\ud800": "1"}}', "references.\\ud800"),
        ('{"attributes": {}, "source_updated_at": "2026-01-01T00:00:00\\u0000Z"}', "source_updated_at"),
        ('{"attributes": {"name": "A", "name": "B"}}', "attributes.name"),
        ('{"attributes": {"name": "A"}, "attributes": {"name": "B"}}', "attributes"),
        ('{"attributes": ' + '{"a": ' * 40 + "1" + "}" * 40 + "}", "attributes"),
        ("[" * 10_000 + "]" * 10_000, "body"),
        (b'{"attributes": {"name": "\xff"}}', "body"),
        (json.dumps({"attributes": {"credit_status": "fine"}}), "attributes.credit_status"),
        (json.dumps({"attributes": {"shoe_size": 44}}), "attributes.shoe_size"),
        (json.dumps({"attributes": {}, "source_updated_at": "yesterday"}), "source_updated_at"),
        (json.dumps({"attributes": {}, "source_updated_at": "99999-01-01T00:00:00Z"}), "source_updated_at"),
        (json.dumps({"attributes": {}, "references": {"customer": "1"}}), "references.customer"),
        (json.dumps({"attributes": {}, "extra": 1}), "extra"),
        (json.dumps({"source_updated_at": "2026-01-01T00:00:00Z"}), "attributes"),
        ("9" * 5000, "body"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(sap_api, raw, field):
    assert_problem(sap_api.put("/api/v1/systems/sap/customer/1", raw=raw), 400, field)
    assert not SourceRecord.objects.exists()


def test_nul_in_path_and_unknown_entity_or_system_are_4xx(sap_api):
    assert_problem(sap_api.put("/api/v1/systems/sap/planet/1", body()), 404, "entity")
    assert_problem(sap_api.put("/api/v1/systems/nosuch/customer/1", body()), 404, "system")
    assert_problem(sap_api.put("/api/v1/systems/sap/customer/" + "x" * 300, body()), 400, "local_id")
    assert_problem(sap_api.put("/api/v1/systems/sap/customer/a%00b", body()), 400, "local_id")


def test_oversized_body_is_413(sap_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    assert_problem(sap_api.put("/api/v1/systems/sap/customer/1", body({"name": "x" * 2000})), 413)


def test_bad_input_after_accepted_data_leaves_it_untouched(sap_api):
    sap_api.put("/api/v1/systems/sap/customer/100", body())
    record = SourceRecord.objects.values().get()
    for raw in [
        '{"attributes": {"name": 1.5}}',
        '{"attributes": {"name": "\\ud800"}}',
        '{"attributes": {"name": "B"}, "source_updated_at": "2027-01-01T00:00:00\\u0000Z"}',
        '{"attributes": {"name": "B", "name": "C"}, "source_updated_at": "2027-01-01T00:00:00Z"}',
        "[" * 10_000 + "]" * 10_000,
    ]:
        assert_problem(sap_api.put("/api/v1/systems/sap/customer/100", raw=raw), 400)
    assert Customer.objects.get().name == "ACME GmbH"
    assert SourceRecord.objects.values().get() == record
    assert ChangeLog.objects.count() == 1


def test_xref_lookup_lists_every_linked_system(sap_api, zendesk_api):
    golden_id = sap_api.put("/api/v1/systems/sap/customer/100", body()).json()["golden_id"]
    zendesk_api.put("/api/v1/systems/zendesk/customer/Z1", body({"tax_id": "de-123"}))
    answer = zendesk_api.get("/api/v1/xref/sap/customer/100")
    assert answer.status_code == 200
    assert answer.json() == {
        "system": "sap",
        "entity": "customer",
        "local_id": "100",
        "golden_id": golden_id,
        "links": [{"system": "sap", "local_id": "100"}, {"system": "zendesk", "local_id": "Z1"}],
    }
    assert_problem(sap_api.get("/api/v1/xref/sap/customer/404"), 404, "local_id")
    assert_problem(sap_api.get("/api/v1/xref/sap/planet/1"), 404, "entity")
    assert_problem(sap_api.get("/api/v1/xref/nope/customer/1"), 404, "system")
    assert_problem(sap_api.get("/api/v1/xref/sap/customer/a%00b"), 400, "local_id")
    assert_problem(sap_api.get("/api/v1/xref/sap/customer/" + "x" * 300), 400, "local_id")


def test_resolve_answers_in_request_order_with_null_for_unknown(sap_api, zendesk_api):
    a = sap_api.put("/api/v1/systems/sap/customer/A", body({"name": "A", "tax_id": "GB100000001"})).json()["golden_id"]
    b = sap_api.put("/api/v1/systems/sap/customer/B", body({"name": "B", "tax_id": "GB100000002"})).json()["golden_id"]
    zendesk_api.put("/api/v1/systems/zendesk/customer/ZB", body({"tax_id": "GB100000002"}))
    answer = sap_api.post("/api/v1/xref/resolve", {"system": "sap", "entity": "customer", "local_ids": ["B", "X", "A"]})
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [(r["local_id"], r["golden_id"]) for r in results] == [("B", b), ("X", None), ("A", a)]
    assert sorted(link["system"] for link in results[0]["links"]) == ["sap", "zendesk"]


def test_resolve_names_the_bad_local_id_by_its_index(sap_api):
    for bad in ["1.5", '"\\ud800"', '"b\\u0000"', "9" * 5000]:
        raw = '{"system": "sap", "entity": "customer", "local_ids": ["a", ' + bad + "]}"
        assert_problem(sap_api.post("/api/v1/xref/resolve", raw=raw), 400, "local_ids[1]")


def test_resolve_limits_and_validation(sap_api):
    too_many = {"system": "sap", "entity": "customer", "local_ids": [str(i) for i in range(1001)]}
    assert_problem(sap_api.post("/api/v1/xref/resolve", too_many), 400, "local_ids")
    assert_problem(
        sap_api.post("/api/v1/xref/resolve", {"system": "sap", "entity": "x", "local_ids": ["1"]}), 400, "entity"
    )
    assert_problem(
        sap_api.post("/api/v1/xref/resolve", {"system": "zz", "entity": "customer", "local_ids": ["1"]}), 404
    )
    ok = {"system": "sap", "entity": "customer", "local_ids": [str(i) for i in range(1000)]}
    assert sap_api.post("/api/v1/xref/resolve", ok).status_code == 200


def test_xref_with_nul_in_the_entity_is_404_not_500(sap_api):
    assert_problem(sap_api.get("/api/v1/xref/sap/cust%00omer/1"), 404, "entity")


def test_golden_detail_has_attributes_lineage_and_links(sap_api):
    golden_id = sap_api.put("/api/v1/systems/sap/customer/100", body()).json()["golden_id"]
    answer = sap_api.get(f"/api/v1/customers/{golden_id}").json()
    assert answer["attributes"]["credit_status"] == "hold"
    assert answer["lineage"]["credit_status"]["system"] == "sap"
    assert [(link["system"], link["local_id"]) for link in answer["links"]] == [("sap", "100")]
    assert_problem(sap_api.get("/api/v1/customers/cus_nope"), 404, "golden_id")
    assert_problem(sap_api.get("/api/v1/customers/cus%00x"), 404, "golden_id")


def test_merged_away_id_answers_with_its_survivor(sap_api):
    survivor = sap_api.put("/api/v1/systems/sap/customer/1", body({"name": "Keep", "tax_id": "K"})).json()["golden_id"]
    retired = sap_api.put("/api/v1/systems/sap/customer/2", body({"name": "Gone", "tax_id": "G"})).json()["golden_id"]
    Customer.objects.filter(id=retired).update(merged_into_id=survivor)
    answer = sap_api.get(f"/api/v1/customers/{retired}").json()
    assert answer["id"] == survivor
    assert answer["requested_id"] == retired
    assert answer["attributes"]["name"] == "Keep"
    listed = [c["id"] for c in sap_api.get("/api/v1/customers/").json()["results"]]
    assert listed == [survivor]


def test_golden_list_filters_searches_and_pages(sap_api):
    for i in range(7):
        status = "hold" if i % 2 else "ok"
        sap_api.put(
            f"/api/v1/systems/sap/customer/{i}", body({"name": f"Firm {i}", "tax_id": f"T{i}", "credit_status": status})
        )
    held = sap_api.get("/api/v1/customers/?credit_status=hold").json()["results"]
    assert sorted(c["attributes"]["name"] for c in held) == ["Firm 1", "Firm 3", "Firm 5"]
    assert [c["attributes"]["name"] for c in sap_api.get("/api/v1/customers/?q=firm 4").json()["results"]] == ["Firm 4"]
    assert [c["attributes"]["tax_id"] for c in sap_api.get("/api/v1/customers/?tax_id=t-2").json()["results"]] == ["T2"]
    page = sap_api.get("/api/v1/customers/?limit=3").json()
    seen = [c["id"] for c in page["results"]]
    while page["next"]:
        page = sap_api.get(page["next"].replace("http://testserver", "")).json()
        seen += [c["id"] for c in page["results"]]
    assert len(seen) == len(set(seen)) == 7
    assert_problem(sap_api.get("/api/v1/customers/?updated_since=never"), 400, "updated_since")
    assert_problem(sap_api.get("/api/v1/contacts/?credit_status=hold"), 400, "credit_status")


def test_list_filters_an_entity_lacks_or_that_normalise_to_nothing_are_400(sap_api):
    sap_api.put("/api/v1/systems/sap/customer/1", body({"name": "No tax ID"}))
    assert_problem(sap_api.get("/api/v1/customers/?customer="), 400, "customer")
    assert_problem(sap_api.get("/api/v1/customers/?sku=X"), 400, "sku")
    assert sap_api.get("/api/v1/contacts/?customer=cus_nope").json()["results"] == []
    # "..." has no letters or digits; as a key it would be "", the key of every customer without a tax ID.
    assert_problem(sap_api.get("/api/v1/customers/?tax_id=..."), 400, "tax_id")
    assert_problem(sap_api.get("/api/v1/customers/?email="), 400, "email")


@pytest.mark.parametrize("query", ["limit=0", "limit=-1", "limit=abc", "limit=501", "limit=1%00"])
def test_list_limit_out_of_range_is_400_not_ignored(sap_api, query):
    assert_problem(sap_api.get(f"/api/v1/customers/?{query}"), 400, "limit")


@pytest.mark.parametrize("cursor", ["garbage", "x" * 300, base64.b64encode(b"p=a\x00b").decode(), "bz0tNQ=="])
def test_list_cursor_not_given_out_by_the_api_is_400(sap_api, cursor):
    sap_api.put("/api/v1/systems/sap/customer/1", body())
    assert_problem(sap_api.get(f"/api/v1/customers/?cursor={quote(cursor)}"), 400, "cursor")


def test_change_feed_is_ordered_and_resumable(sap_api):
    sap_api.put("/api/v1/systems/sap/customer/1", body({"name": "A", "tax_id": "1"}))
    sap_api.put("/api/v1/systems/sap/customer/1", body({"name": "A2", "tax_id": "1"}, "2026-11-02T00:00:00Z"))
    sap_api.put("/api/v1/systems/sap/customer/2", body({"name": "B", "tax_id": "2"}))
    page = sap_api.get("/api/v1/changes?after=0&limit=2").json()
    assert [(c["action"], c["data"]["name"]) for c in page["results"]] == [("create", "A"), ("update", "A2")]
    assert page["has_more"] is True
    rest = sap_api.get(f"/api/v1/changes?after={page['next']}").json()
    assert [(c["action"], c["data"]["name"]) for c in rest["results"]] == [("create", "B")]
    assert sap_api.get(f"/api/v1/changes?after={rest['next']}").json()["results"] == []
    assert_problem(sap_api.get("/api/v1/changes?after=abc"), 400, "after")
    assert_problem(sap_api.get("/api/v1/changes?limit=0"), 400, "limit")


def test_correlation_id_is_echoed_and_recorded(sap_api):
    response = sap_api.put("/api/v1/systems/sap/customer/1", body(), **{"X-Correlation-ID": "trace-42"})
    assert response["X-Correlation-ID"] == "trace-42"
    assert ChangeLog.objects.get().correlation_id == "trace-42"


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.content
    assert ready.json()["checks"] == {"database": "ok", "broker": "ok"}


def test_readiness_fails_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["broker"] != "ok"


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/xref/resolve" in schema.content
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.parametrize("accept", ["text/html", "application/json", "*/*"])
def test_problems_are_json_whatever_the_accept_header(sap_api, accept):
    problem = assert_problem(sap_api.get("/api/v1/customers/cus_nope", Accept=accept), 404, "golden_id")
    assert problem["detail"]
    assert_problem(sap_api.put("/api/v1/systems/sap/customer/1", raw="{bad", Accept=accept), 400, "body")


def test_refused_headers_and_format_are_named(sap, sap_api):
    assert_problem(sap_api.get("/api/v1/customers/", Accept="application/xml"), 406, "Accept")
    assert_problem(sap_api.get("/api/v1/customers/?format=xml"), 400, "format")
    assert_problem(ApiClient().get("/api/v1/customers/"), 401, "Authorization")
    assert_problem(ApiClient("mdm_wrong").get("/api/v1/customers/"), 401, "Authorization")
    for content_type in ["text/plain", "application/x-www-form-urlencoded"]:
        answer = sap_api.client.put(
            "/api/v1/systems/sap/customer/1", json.dumps(body()), content_type=content_type, headers=sap_api.headers
        )
        assert_problem(answer, 415, "Content-Type")
    assert not SourceRecord.objects.exists()


def test_too_many_query_parameters_is_a_problem(sap_api):
    query = "&".join(f"p{i}=1" for i in range(1001))
    assert_problem(sap_api.get(f"/api/v1/customers/?{query}"), 400, "query")


def test_openapi_documents_problems_and_only_the_filters_each_entity_has(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    parameters = {
        plural: {p["name"] for p in paths[f"/api/v1/{plural}/"]["get"]["parameters"]}
        for plural in ["customers", "contacts"]
    }
    assert {"tax_id", "credit_status"} <= parameters["customers"] and "customer" not in parameters["customers"]
    assert "customer" in parameters["contacts"] and "kind" not in parameters["contacts"]
    ingest = paths["/api/v1/systems/{system}/{entity}/{local_id}"]["put"]["responses"]
    assert {"400", "401", "403", "404", "413", "415", "422"} <= set(ingest)
    assert "application/problem+json" in ingest["400"]["content"]


def test_unknown_url_is_a_problem(sap_api):
    assert_problem(sap_api.get("/api/v1/nothing-here"), 404)


def test_admin_and_docs_assets_are_served_without_debug(client):
    assert client.get("/static/admin/css/base.css").status_code == 200
    assert client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css").status_code == 200
