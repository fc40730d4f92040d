"""Freshdesk (API v2): companies and contacts, both ways."""
