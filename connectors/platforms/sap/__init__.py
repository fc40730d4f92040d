"""SAP S/4HANA Cloud (OData V2): business partners as customers and contacts, credit standing, both ways."""
