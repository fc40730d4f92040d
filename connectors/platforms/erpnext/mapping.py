"""Default pairing of canonical records with ERPNext DocTypes (overridable per system), and the value translations.

A ``Customer`` is read as the document ``GET /api/resource/Customer/{name}`` returns (its child tables included),
joined by the connector with two things the document only points at. Keys the connector adds start with ``_``:

- ``_address``: the ``Address`` named by ``customer_primary_address`` (its ``country`` is ERPNext's country *name*;
  ``_address.country_code`` is that Country's ISO code). An address reaches the hub through the customer's primary
  address only; other addresses linked to the customer stay in ERPNext.
- ``_credit``: the ``credit_limits`` row of ``settings["company"]`` (else the first row): ERPNext keeps a credit
  limit per company.
- ``_kind``, ``_first_name``, ``_last_name``, ``_credit_status``, ``_status``: values derived by the tables below.

A Customer's ``email_id`` and ``mobile_no`` are read-only copies of its primary contact's, so the default map leaves
them out; e-mail and phone reach the hub on contacts.

A ``Contact`` refers to its customer through its ``links`` child table (``link_doctype`` "Customer"); ``_customer``
is the first such link. Its ``email_id`` and ``phone`` are ERPNext's primary rows of ``email_ids`` and
``phone_nos``; the connector writes those tables, because ERPNext recomputes the two fields from them on save.

Credit standing. ERPNext has no credit-hold flag: finance freezes a customer's accounts (``is_frozen``: only the
"Frozen Accounts Modifier" role may post against it) or disables the customer (``disabled``: no new transaction at
all). A credit limit exceeded is computed by ERPNext when an order is submitted, not stored. So:

=============  ==================  ================  ===========================================
ERPNext flag   credit_status       status            blocks (``Connector.standing``)
=============  ==================  ================  ===========================================
disabled       blocked             inactive          order, delivery, billing, posting, payment
is_frozen      hold                active            posting
neither        ok                  active            "credit" when open receivables exceed the limit
=============  ==================  ================  ===========================================

The first flag set wins. The hub never writes these financial attributes back (``READ_ONLY``): ERPNext is their
system of record. ``settings["read_only"]`` replaces that list.
"""

from ...mapping import ObjectMap

# The custom field (Customize Form) holding the golden ID on Customer and Contact; ``settings["external_id_field"]``
# renames it. Make it unique ("Unique" check) so ERPNext itself refuses a second record with the same golden ID.
EXTERNAL_ID_FIELD = "mdm_golden_id"

CUSTOMER = ObjectMap(
    entity="customer",
    remote="Customer",
    fields={
        "kind": "_kind",
        "name": "customer_name",
        "first_name": "_first_name",
        "last_name": "_last_name",
        "tax_id": "tax_id",
        "website": "website",
        "currency": "default_currency",
        "payment_terms": "payment_terms",
        "credit_limit": "_credit.credit_limit",
        "credit_status": "_credit_status",
        "status": "_status",
        "address.line1": "_address.address_line1",
        "address.line2": "_address.address_line2",
        "address.city": "_address.city",
        "address.postal_code": "_address.pincode",
        "address.region": "_address.state",
        "address.country": "_address.country_code",
    },
    id_field="name",
    updated_field="modified",
)

CONTACT = ObjectMap(
    entity="contact",
    remote="Contact",
    fields={
        "first_name": "first_name",
        "last_name": "last_name",
        "email": "email_id",
        "phone": "phone",
        "role": "designation",
    },
    id_field="name",
    updated_field="modified",
    references={"customer": "_customer"},
)

# customer_type -> kind, and back. ERPNext v15 adds "Partnership", an organisation too.
CUSTOMER_TYPES = {"Company": "organization", "Partnership": "organization", "Individual": "person"}
KINDS = {"organization": "Company", "person": "Individual"}

# (flag, credit_status, status, blocks), first match wins; no flag set: ok, active, no blocks.
FLAGS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("disabled", "blocked", "inactive", ("order", "delivery", "billing", "posting", "payment")),
    ("is_frozen", "hold", "active", ("posting",)),
)
CLEAR = ("ok", "active", ())
EXCEEDED_BLOCK = "credit"  # open receivables above the credit limit: ERPNext stops the next order

# Canonical attributes ERPNext owns and the hub does not write back.
READ_ONLY = ("credit_status", "credit_limit", "currency", "payment_terms", "status")

# What a new Customer or Address needs that no canonical attribute fills (ERPNext's mandatory fields).
NEW_CUSTOMER = {"customer_group": "All Customer Groups", "territory": "All Territories"}
NEW_ADDRESS = {"address_type": "Billing", "is_primary_address": 1}


def flags_of(doc: dict) -> tuple[str, str, tuple[str, ...]]:
    """(credit_status, status, blocks) of a Customer document."""
    for flag, credit_status, status, blocks in FLAGS:
        if _checked(doc.get(flag)):
            return credit_status, status, blocks
    return CLEAR


def _checked(value: object) -> bool:
    """A Check field: 0/1, as ERPNext answers it (a string from some reports)."""
    return str(value).strip() not in ("", "0", "None", "False", "false")
