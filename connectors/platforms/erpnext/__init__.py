"""ERPNext (Frappe REST API): customers with their credit standing, and contacts, both ways."""
