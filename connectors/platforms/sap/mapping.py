"""Default pairing of canonical records with SAP S/4HANA Cloud business partners (overridable per system).

A customer is an ``A_BusinessPartner`` that has a customer role (its ``to_Customer`` is not null), read with
``$expand=to_BusinessPartnerAddress,to_BusinessPartnerTax,to_Customer,to_Customer/to_CustomerCompany``; its credit
account comes from the other service (``API_CRDTMBUSINESSPARTNER/CreditManagementAccount``). OData V2 answers an
expanded collection as ``{"results": [...]}``, which a field path cannot index, so the connector picks one entry of
each and adds it to the record under a plain name (the raw payload keeps every entry):

- ``Address``: the first address (``to_BusinessPartnerAddress``);
- ``TaxNumber``: the first tax number (``to_BusinessPartnerTax``), or the one of ``settings["tax_type"]``;
- ``CustomerCompany``: the company-code data (``settings["company_code"]``, else the first), which has ``PaymentTerms``;
- ``CreditAccount``: the credit account of ``settings["credit_segment"]``, else the first.

A contact is a person business partner (``BusinessPartnerCategory`` 1) linked to an organisation by an
``A_BusinessPartnerContact`` relationship, picked as ``Relationship`` (with its ``to_ContactRelationship``, the
``A_BPContactToFuncAndDept`` that carries e-mail and phone); the organisation is the contact's customer.

``BusinessPartnerCategory`` reads as the customer's kind (``KINDS``). Credit status and status are not single fields
in SAP: ``CREDIT_STATUS`` and ``INACTIVE_WHEN`` derive them from the block flags, first rule that holds wins:

- ``blocked``: the customer's posting block (``to_Customer.PostingIsBlocked``): finance books nothing for it;
- ``hold``: the credit account is blocked (``CreditAccount.CreditAccountIsBlocked``, what a credit analyst sets) or an
  order, delivery or billing block is set on the customer (block reason codes, empty when not blocked);
- ``ok`` otherwise.

A business partner that is centrally blocked (``BusinessPartnerIsBlocked``) or marked for archiving reads as status
``inactive``. A system replaces either table by ``settings["credit_status_rules"]`` (``[["blocked", ["path", ...]],
...]``) or ``settings["inactive_when"]`` (``["path", ...]``). Credit limit, currency, payment terms, credit status and
status are the ERP's own: the hub reads them and never writes them back.
"""

from ...mapping import ObjectMap

CUSTOMER = ObjectMap(
    entity="customer",
    remote="A_BusinessPartner",
    fields={
        "name": "OrganizationBPName1",
        "first_name": "FirstName",
        "last_name": "LastName",
        "tax_id": "TaxNumber.BPTaxNumber",
        "address.line1": "Address.StreetName",
        "address.city": "Address.CityName",
        "address.postal_code": "Address.PostalCode",
        "address.region": "Address.Region",
        "address.country": "Address.Country",
        "credit_limit": "CreditAccount.CreditLimitAmount",
        "currency": "CreditAccount.CreditSegmentCurrency",
        "payment_terms": "CustomerCompany.PaymentTerms",
    },
    id_field="BusinessPartner",
    updated_field="LastChange",  # the connector joins LastChangeDate and LastChangeTime into one UTC timestamp
)

CONTACT = ObjectMap(
    entity="contact",
    remote="A_BusinessPartnerContact",
    fields={
        "first_name": "FirstName",
        "last_name": "LastName",
        "email": "Relationship.to_ContactRelationship.EmailAddress",
        "phone": "Relationship.to_ContactRelationship.PhoneNumber",
    },
    id_field="BusinessPartner",
    updated_field="LastChange",
    references={"customer": "Relationship.BusinessPartnerCompany"},
)

KINDS = {"1": "person", "2": "organization"}
CATEGORIES = {kind: category for category, kind in KINDS.items()}

CREDIT_STATUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("blocked", ("to_Customer.PostingIsBlocked",)),
    (
        "hold",
        (
            "CreditAccount.CreditAccountIsBlocked",
            "to_Customer.OrderIsBlockedForCustomer",
            "to_Customer.DeliveryIsBlocked",
            "to_Customer.BillingIsBlockedForCustomer",
        ),
    ),
)

INACTIVE_WHEN: tuple[str, ...] = ("BusinessPartnerIsBlocked", "IsMarkedForArchiving")

# Standing's ``blocks``: which flag stands for which block.
BLOCKS = {
    "order": "to_Customer.OrderIsBlockedForCustomer",
    "delivery": "to_Customer.DeliveryIsBlocked",
    "billing": "to_Customer.BillingIsBlockedForCustomer",
    "posting": "to_Customer.PostingIsBlocked",
    "credit": "CreditAccount.CreditAccountIsBlocked",
}

# Business partner roles given to what the hub creates: a customer (FI and sales) and a contact person.
CUSTOMER_ROLES = ("FLCU00", "FLCU01")
CONTACT_ROLE = "BUP001"
# The relationship "has contact person" and its open-ended validity.
CONTACT_CATEGORY = "BUR001"
VALID_UNTIL = "/Date(253402214400000)/"  # 9999-12-31
