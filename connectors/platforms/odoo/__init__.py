"""Odoo ERP connector (issue #6): res.partner customers and contacts, credit standing from account.move."""
