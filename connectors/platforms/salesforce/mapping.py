"""The default pairing of Salesforce objects with canonical entities.

Standard fields are the documented ones; ``Tax_Id__c`` and ``Credit_Status__c`` are custom fields an installation
creates (any other name is set per system, e.g. ``{"customer": {"fields": {"tax_id": "VAT_Number__c"}}}``). The
external-ID field that carries the golden ID is a connector setting (``external_id_field``), not a mapped attribute:
it is written on every push and read back only into the raw payload.
"""

from ...mapping import ObjectMap

ACCOUNT = ObjectMap(
    entity="customer",
    remote="Account",
    fields={
        "name": "Name",
        "phone": "Phone",
        "website": "Website",
        "tax_id": "Tax_Id__c",
        "credit_status": "Credit_Status__c",
        "address.line1": "BillingStreet",
        "address.city": "BillingCity",
        "address.postal_code": "BillingPostalCode",
        "address.region": "BillingState",
        "address.country": "BillingCountry",
    },
    id_field="Id",
    updated_field="SystemModstamp",
    constants={"kind": "organization"},
)

CONTACT = ObjectMap(
    entity="contact",
    remote="Contact",
    fields={
        "first_name": "FirstName",
        "last_name": "LastName",
        "email": "Email",
        "phone": "Phone",
        "role": "Title",
    },
    id_field="Id",
    updated_field="SystemModstamp",
    references={"customer": "AccountId"},
)

DEFAULT_EXTERNAL_ID_FIELD = "Mdm_Golden_Id__c"
