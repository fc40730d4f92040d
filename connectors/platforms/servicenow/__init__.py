"""ServiceNow Customer Service Management (Table API): customer accounts and contacts, both ways."""
