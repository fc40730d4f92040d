"""Default pairing of canonical customers and contacts with ServiceNow CSM tables (overridable per system).

``customer_account`` (extends ``core_company``) carries name, phone, website and the address as ``street``, ``city``,
``state``, ``zip``, ``country``. Tax ID and credit status have no standard column: the defaults name custom columns
(``u_`` prefix, as ServiceNow gives every column an admin adds), which an installation renames by mapping override.
``customer_contact`` (extends ``sys_user``) refers to its account by the ``account`` reference column.
"""

from ...mapping import ObjectMap

# The custom column that holds the golden ID on both tables; ``settings["external_id_field"]`` renames it.
EXTERNAL_ID_FIELD = "u_mdm_golden_id"

ACCOUNT = ObjectMap(
    entity="customer",
    remote="customer_account",
    fields={
        "name": "name",
        "phone": "phone",
        "website": "website",
        "tax_id": "u_tax_id",
        "credit_status": "u_credit_status",
        "address.line1": "street",
        "address.city": "city",
        "address.region": "state",
        "address.postal_code": "zip",
        "address.country": "country",
    },
    id_field="sys_id",
    updated_field="sys_updated_on",
    constants={"kind": "organization"},
)

CONTACT = ObjectMap(
    entity="contact",
    remote="customer_contact",
    fields={
        "first_name": "first_name",
        "last_name": "last_name",
        "email": "email",
        "phone": "phone",
        "role": "title",
    },
    id_field="sys_id",
    updated_field="sys_updated_on",
    references={"customer": "account"},
)
