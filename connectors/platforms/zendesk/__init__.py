"""Zendesk Support (API v2): organizations and users, both ways."""
