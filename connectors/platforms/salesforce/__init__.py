"""Salesforce Service Cloud (REST API): accounts and contacts, both ways."""
