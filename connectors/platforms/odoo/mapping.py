"""Default pairing of canonical records with Odoo's ``res.partner`` (overridable per system), and the translations of
Odoo's values into the hub's terms, kept as data.

Customers and contacts are both ``res.partner`` rows, told apart by a search domain (``DOMAINS``): a customer is a
partner without a parent that Odoo counts as a customer (``customer_rank > 0``, set by the first quotation or
invoice, and by the hub when it creates one); a contact is an individual (``type = 'contact'``) whose parent is such
a customer. ``settings["domains"]`` replaces either domain, e.g. ``{"customer": [["parent_id", "=", false]]}`` to
read every top-level partner.

Read as ``search_read`` answers, a many-to-one field is an ``[id, "display name"]`` pair and an empty field is
``false``; the connector reads pairs as ``{"id", "name"}`` (so ``currency_id.name`` is the currency code, which is
what ``res.currency`` displays) and ``false`` as absent, before the field paths below apply. ``country_code`` is the
partner's related country code; on writes the connector turns it back into ``country_id``.

Translations (``is_company``, ``active``, partner tags) that a field path cannot express:

- kind: ``is_company`` true → organization, false → person (a person's name is read as first and last name).
- status: ``active`` true → active; an archived partner → inactive. Archived partners are read too
  (``active_test: false``), so archiving reaches the hub.
- credit_status: Odoo Community has no credit-hold flag (its credit limit only warns, and since 18.3 sales warnings
  no longer block). A finance user puts a customer on hold with a partner tag: ``CREDIT_TAGS`` names the tags and
  what each means (``settings["credit_tags"]`` replaces it, e.g. ``{"Stop Supply": "blocked"}``); the most severe
  tag wins, no tag is ``ok``. ``settings["over_limit"]`` (e.g. ``"hold"``) also reports a customer whose
  receivable exceeds its own credit limit that way. ``CREDIT_BLOCKS`` says what each status blocks, for standing.
- credit_limit is Odoo's effective limit (``credit_limit``; 0 means no limit). The receivable (``credit``) is kept
  in the raw record and reported by the standing API.

The ERP owns currency, payment terms, the credit limit and the credit status: the connector never writes them back,
except the credit limit of a customer it creates.
"""

from decimal import Decimal, InvalidOperation

from ...mapping import ObjectMap

# The field that carries the golden ID on records the hub creates; ``settings["external_id_field"]`` renames it
# (e.g. a custom ``x_mdm_golden_id`` where ``ref`` already holds the customers' own numbers).
EXTERNAL_ID_FIELD = "ref"

PARTNER = ObjectMap(
    entity="customer",
    remote="res.partner",
    fields={
        "name": "name",
        "tax_id": "vat",
        "email": "email",
        "phone": "phone",
        "website": "website",
        "address.line1": "street",
        "address.line2": "street2",
        "address.city": "city",
        "address.postal_code": "zip",
        "address.country": "country_code",
        "credit_limit": "credit_limit",
        "currency": "currency_id.name",
        "payment_terms": "property_payment_term_id.name",
    },
    id_field="id",
    updated_field="write_date",
)

CONTACT = ObjectMap(
    entity="contact",
    remote="res.partner",
    fields={
        "first_name": "name|first",
        "last_name": "name|last",
        "email": "email",
        "phone": "phone",
        "role": "function",
    },
    id_field="id",
    updated_field="write_date",
    references={"customer": "parent_id.id"},
)

DOMAINS: dict[str, list] = {
    "customer": [["parent_id", "=", False], ["customer_rank", ">", 0]],
    "contact": [["parent_id", "!=", False], ["type", "=", "contact"], ["parent_id.customer_rank", ">", 0]],
}

# Fields read besides the mapped ones: what the translations need, and what the raw record should keep.
EXTRA_FIELDS: dict[str, tuple[str, ...]] = {
    "customer": (
        "is_company", "active", "category_id", "use_partner_credit_limit", "credit", "customer_rank", "ref",
        "comment", "create_date",
    ),
    "contact": ("is_company", "active", "parent_id", "type", "ref", "create_date"),
}  # fmt: skip

KIND = {True: "organization", False: "person"}
STATUS = {True: "active", False: "inactive"}
CREDIT_TAGS = {"Credit Hold": "hold", "Credit Blocked": "blocked"}
SEVERITY = ("ok", "hold", "blocked")
CREDIT_BLOCKS: dict[str, tuple[str, ...]] = {"ok": (), "hold": ("credit",), "blocked": ("credit", "order")}

# Values the hub never writes back to Odoo (the ERP owns them, or they are computed); the contact's parent and the
# country are written as IDs by the connector.
READ_ONLY = frozenset({"currency_id", "property_payment_term_id", "credit_limit", "credit", "country_code"})


def credit_status(record: dict, tag_statuses: dict[int, str], over_limit: str | None = None) -> str:
    """A partner's credit status: the most severe of its credit tags, else (when configured) over its limit."""
    found = [tag_statuses[t] for t in record.get("category_id") or [] if tag_statuses.get(t) in SEVERITY]
    limit = _amount(record.get("credit_limit")) if record.get("use_partner_credit_limit") else Decimal(0)
    if over_limit in SEVERITY and limit > 0 and _amount(record.get("credit")) > limit:
        found.append(over_limit)
    return max(found, key=SEVERITY.index, default="ok")


def _amount(value: object) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, False) else Decimal(0)
    except InvalidOperation:
        return Decimal(0)
