"""The ownership rules a new hub starts with (loaded by a migration; stewards edit them in admin)."""

ERP = ["kind:erp"]
SUPPORT = ["kind:support"]

# (entity, attribute): (authoritative, contributors, contributor_action, strategy, fallback_to_any)
# Every rule keeps overruled values in lineage; only the attributes in FLAGGED raise conflicts for stewards,
# so a support platform's spelling of a name does not bury the credit holds stewards must see.
DEFAULT_RULES: dict[tuple[str, str], tuple[list, list, str, str, bool]] = {
    # The ERP owns legal identity, billing address and the financial standing.
    ("customer", "kind"): (ERP, [], "accept", "source_rank", True),
    ("customer", "name"): (ERP, [], "accept", "source_rank", True),
    ("customer", "first_name"): (ERP, [], "accept", "source_rank", True),
    ("customer", "last_name"): (ERP, [], "accept", "source_rank", True),
    ("customer", "birth_date"): (ERP, [], "accept", "source_rank", True),
    ("customer", "tax_id"): (ERP, [], "accept", "source_rank", True),
    ("customer", "address"): (ERP, [], "accept", "source_rank", True),
    # A support platform can never vouch for credit: no fallback to non-ERP values.
    ("customer", "credit_status"): (ERP, [], "accept", "source_rank", False),
    ("customer", "credit_limit"): (ERP, [], "accept", "source_rank", False),
    ("customer", "currency"): (ERP, [], "accept", "source_rank", False),
    ("customer", "payment_terms"): (ERP, [], "accept", "source_rank", False),
    ("customer", "status"): (ERP, [], "accept", "source_rank", True),
    # Support platforms own contact channels; an ERP's value is kept and used only when they have none.
    ("customer", "email"): (SUPPORT, ["kind:erp", "kind:crm"], "ignore", "most_recent", True),
    ("customer", "phone"): (SUPPORT, ["kind:erp", "kind:crm"], "ignore", "most_recent", True),
    ("customer", "website"): ([], ["*"], "accept", "most_recent", True),
    ("contact", "email"): (SUPPORT, ["kind:erp", "kind:crm"], "ignore", "most_recent", True),
    ("contact", "phone"): (SUPPORT, ["kind:erp", "kind:crm"], "ignore", "most_recent", True),
    ("contract", "number"): (ERP, [], "accept", "source_rank", True),
    ("contract", "value"): (ERP, [], "accept", "source_rank", True),
    ("contract", "currency"): (ERP, [], "accept", "source_rank", True),
    ("contract", "starts_on"): (ERP, [], "accept", "source_rank", True),
    ("contract", "ends_on"): (ERP, [], "accept", "source_rank", True),
}

FLAGGED = {
    ("customer", "tax_id"),
    ("customer", "credit_status"),
    ("customer", "credit_limit"),
    ("customer", "payment_terms"),
    ("customer", "currency"),
    ("customer", "status"),
}
