from datetime import UTC, datetime

from canonical.choices import ConflictReason
from canonical.survivorship import Rule, SourceValues, survive, survive_attribute


def src(system, kind, attrs, *, day=1, rank=100, record_id=None, local_id=None):
    return SourceValues(
        system=system,
        system_kind=kind,
        trust_rank=rank,
        local_id=local_id or f"{system}-1",
        record_id=record_id or hash(system) % 10_000,
        updated_at=datetime(2026, 1, day, tzinfo=UTC),
        attributes=attrs,
    )


ERP_ONLY = Rule("credit_status", authoritative=("kind:erp",), contributors=(), fallback_to_any=False)


def test_support_platform_cannot_lift_a_credit_hold_and_raises_a_conflict():
    erp = src("sap", "erp", {"credit_status": "hold"}, day=1, record_id=1)
    support = src("zendesk", "support", {"credit_status": "ok"}, day=5, record_id=2)
    winner, why, conflicts = survive_attribute(ERP_ONLY, [erp, support])
    assert winner is erp
    assert "authoritative" in why
    assert [(c.system, c.proposed, c.golden, c.reason) for c in conflicts] == [
        ("zendesk", "ok", "hold", ConflictReason.NOT_AUTHORIZED)
    ]


def test_without_fallback_a_support_value_never_becomes_credit_status():
    support = src("zendesk", "support", {"credit_status": "ok"})
    result = survive(["credit_status"], [support], {"credit_status": ERP_ONLY})
    assert result.values["credit_status"] is None
    assert "credit_status" not in result.lineage


def test_fallback_takes_the_most_recent_value_when_no_owner_has_one():
    rule = Rule("name", authoritative=("kind:erp",), contributors=(), fallback_to_any=True)
    older = src("zendesk", "support", {"name": "Acme"}, day=1, record_id=1)
    newer = src("freshdesk", "support", {"name": "ACME Inc"}, day=2, record_id=2)
    result = survive(["name"], [older, newer], {"name": rule})
    assert result.values["name"] == "ACME Inc"
    assert result.lineage["name"]["system"] == "freshdesk"
    assert result.lineage["name"]["rule"].startswith("fallback")


def test_source_rank_prefers_the_earlier_system_in_the_rule_even_if_older():
    rule = Rule("name", authoritative=("sap", "odoo"), strategy="source_rank")
    sap = src("sap", "erp", {"name": "ACME GmbH"}, day=1, record_id=1)
    odoo = src("odoo", "erp", {"name": "Acme"}, day=9, record_id=2)
    assert survive(["name"], [odoo, sap], {"name": rule}).values["name"] == "ACME GmbH"


def test_trust_rank_breaks_ties_between_systems_of_one_kind():
    rule = Rule("name", authoritative=("kind:erp",), strategy="source_rank")
    trusted = src("sap", "erp", {"name": "ACME GmbH"}, rank=1, record_id=1)
    other = src("odoo", "erp", {"name": "Acme"}, rank=50, record_id=2)
    assert survive(["name"], [other, trusted], {"name": rule}).values["name"] == "ACME GmbH"


def test_most_recent_strategy_takes_the_latest_authoritative_value():
    rule = Rule("email", authoritative=("kind:support",), strategy="most_recent")
    a = src("zendesk", "support", {"email": "a@x.io"}, day=1, record_id=1)
    b = src("servicenow", "support", {"email": "b@x.io"}, day=3, record_id=2)
    assert survive(["email"], [a, b], {"email": rule}).values["email"] == "b@x.io"


def test_most_complete_strategy_takes_the_fullest_address():
    rule = Rule("address", authoritative=("kind:erp",), strategy="most_complete")
    thin = src("sap", "erp", {"address": {"city": "Berlin"}}, day=5, record_id=1)
    full = src("odoo", "erp", {"address": {"line1": "Hauptstr. 5", "city": "Berlin", "country": "DE"}}, record_id=2)
    assert survive(["address"], [thin, full], {"address": rule}).values["address"]["line1"] == "Hauptstr. 5"


def test_contributor_accepted_only_when_more_recent_than_the_owner():
    rule = Rule("phone", authoritative=("kind:support",), contributors=("kind:erp",), contributor_action="accept")
    owner = src("zendesk", "support", {"phone": "+4930111"}, day=2, record_id=1)
    old_erp = src("sap", "erp", {"phone": "+4930222"}, day=1, record_id=2)
    new_erp = src("sap", "erp", {"phone": "+4930333"}, day=3, record_id=3)
    assert survive(["phone"], [owner, old_erp], {"phone": rule}).values["phone"] == "+4930111"
    result = survive(["phone"], [owner, new_erp], {"phone": rule})
    assert result.values["phone"] == "+4930333"
    assert result.lineage["phone"]["rule"].startswith("contributor accepted")


def test_review_contributor_opens_a_task_instead_of_overwriting():
    rule = Rule("phone", authoritative=("kind:support",), contributors=("kind:erp",), contributor_action="review")
    owner = src("zendesk", "support", {"phone": "+4930111"}, day=1, record_id=1)
    erp = src("sap", "erp", {"phone": "+4930333"}, day=3, record_id=2)
    result = survive(["phone"], [owner, erp], {"phone": rule})
    assert result.values["phone"] == "+4930111"
    assert [(c.system, c.reason) for c in result.conflicts] == [("sap", ConflictReason.REVIEW)]


def test_ignored_contributor_is_kept_in_lineage_but_not_used_or_flagged():
    rule = Rule("email", authoritative=("kind:support",), contributors=("kind:erp",), contributor_action="ignore")
    owner = src("zendesk", "support", {"email": "help@acme.io"}, day=1, record_id=1)
    erp = src("sap", "erp", {"email": "billing@acme.io"}, day=9, record_id=2)
    result = survive(["email"], [owner, erp], {"email": rule})
    assert result.values["email"] == "help@acme.io"
    assert result.conflicts == []
    assert result.lineage["email"]["overruled"] == [{"system": "sap", "local_id": "sap-1", "value": "billing@acme.io"}]


def test_missing_values_neither_win_nor_conflict():
    rule = Rule("name", authoritative=("kind:erp",))
    erp = src("sap", "erp", {"name": ""}, record_id=1)
    support = src("zendesk", "support", {"name": "Acme"}, record_id=2)
    result = survive(["name"], [erp, support], {"name": rule})
    assert result.values["name"] == "Acme"
    assert result.conflicts == []


def test_formatting_differences_are_not_conflicts():
    rule = Rule("tax_id", authoritative=("kind:erp",), contributors=())
    erp = src("sap", "erp", {"tax_id": "DE 123.456.789"}, record_id=1)
    support = src("zendesk", "support", {"tax_id": "de123456789"}, record_id=2)
    assert survive(["tax_id"], [erp, support], {"tax_id": rule}).conflicts == []


def test_lineage_names_system_local_id_time_and_rule():
    erp = src("sap", "erp", {"credit_status": "hold"}, day=4, record_id=1, local_id="100")
    lineage = survive(["credit_status"], [erp], {"credit_status": ERP_ONLY}).lineage["credit_status"]
    assert lineage == {
        "system": "sap",
        "local_id": "100",
        "source_updated_at": "2026-01-04T00:00:00+00:00",
        "rule": "authoritative (most_recent)",
    }
