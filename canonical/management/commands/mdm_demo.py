"""Load a small demo data set: three systems that overlap and disagree, and a steward login. Safe to run again.

Records go through ``source_records_ingest`` exactly as the API would send them, so linking, survivorship,
conflicts and pending references behave as they would in production. Source timestamps are fixed, so a second
run finds every record unchanged and writes nothing but a new steward password.
"""

import secrets
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from canonical.choices import ConflictState, Entity, SystemKind
from canonical.models import Conflict, Contact, Contract, Customer, Entitlement, PendingReference, SourceSystem
from canonical.schema import clean_attributes, clean_references
from canonical.services.ingest import IngestItem, source_records_ingest
from canonical.services.systems import source_system_create
from mdmhub.correlation import new_correlation_id, set_correlation_id

ADMIN_URL = "http://127.0.0.1:8000/admin/"
STEWARD = "steward"

# code: (kind, trust_rank, display name)
SYSTEMS = {
    "sap": (SystemKind.ERP, 10, "SAP S/4HANA"),
    "zendesk": (SystemKind.SUPPORT, 50, "Zendesk"),
    "servicenow": (SystemKind.SUPPORT, 60, "ServiceNow CSM"),
}


def _at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T09:00:00").replace(tzinfo=UTC)


def _address(line1: str, postal_code: str, city: str, country: str, region: str = "") -> dict:
    return {"line1": line1, "postal_code": postal_code, "city": city, "region": region, "country": country}


def _org(name: str, tax_id: str, email: str, **more: object) -> dict:
    return {"kind": "organization", "name": name, "tax_id": tax_id, "email": email, **more}


def _person(first: str, last: str, email: str, **more: object) -> dict:
    return {"kind": "person", "first_name": first, "last_name": last, "email": email, **more}


# Demo tables are kept one record to a few lines, as a reader scans them.
# fmt: off
# The ERP: legal names, tax IDs, billing addresses and credit standing.
SAP_CUSTOMERS = [
    ("100001", "2025-01-10", _org(
        "ACME Industrial Supply GmbH", "DE811234567", "accounts@acme-industrial.de", phone="+49 89 1234560",
        address=_address("Landsberger Str. 110", "80339", "München", "DE", "BY"),
        credit_status="hold", credit_limit="250000.00", currency="EUR", payment_terms="NET30", status="active",
    )),
    ("100002", "2025-01-10", _org(
        "Müller & Söhne Maschinenbau KG", "DE298765431", "buchhaltung@mueller-soehne.de",
        address=_address("Heilbronner Str. 48", "70191", "Stuttgart", "DE", "BW"),
        credit_status="ok", credit_limit="120000.00", currency="EUR", payment_terms="NET45", status="active",
    )),
    ("100003", "2025-01-11", _org(
        "Northwind Logistics Inc.", "84-1234567", "ap@northwind-logistics.com", phone="+1 312 555 0142",
        address=_address("233 S Wacker Dr, Suite 4100", "60606", "Chicago", "US", "IL"),
        credit_status="ok", credit_limit="500000.00", currency="USD", payment_terms="NET30", status="active",
    )),
    ("100004", "2025-01-11", _org(
        "Brightwater Analytics Ltd", "GB293847561", "finance@brightwater-analytics.co.uk",
        address=_address("14 Finsbury Square", "EC2A 1BR", "London", "GB"),
        credit_status="ok", credit_limit="80000.00", currency="GBP", payment_terms="NET30", status="active",
    )),
    ("100005", "2025-01-12", _org(
        "Lumière Équipements SAS", "FR40823456789", "comptabilite@lumiere-equipements.fr",
        address=_address("27 Rue de la République", "69002", "Lyon", "FR"),
        credit_status="blocked", credit_limit="0.00", currency="EUR", payment_terms="PREPAID", status="active",
    )),
    ("100006", "2025-01-12", _org(
        "Redwood Dental Group PC", "94-3345120", "office@redwooddental.com",
        address=_address("1450 Broadway", "94612", "Oakland", "US", "CA"),
        credit_status="ok", credit_limit="25000.00", currency="USD", payment_terms="NET15", status="active",
    )),
    ("100007", "2025-01-13", _person(
        "Claire", "Dubois", "claire.dubois@example.org", phone="+33 6 12 34 56 78",
        address=_address("8 Rue Sainte-Catherine", "33000", "Bordeaux", "FR"),
        credit_status="ok", currency="EUR", payment_terms="NET15", status="active",
    )),
    ("100008", "2025-01-13", _person(
        "Thomas", "Becker", "t.becker@example.net", birth_date="1979-04-23",
        address=_address("Schanzenstr. 12", "20357", "Hamburg", "DE", "HH"),
        credit_status="ok", currency="EUR", payment_terms="NET15", status="active",
    )),
]

# A support platform: its own spelling of names, its own contact channels, and a credit status it may not set.
ZENDESK_CUSTOMERS = [
    ("org-1001", "2025-02-03", _org(
        "Acme Industrial Supplies", "DE 811 234 567", "support@acme-industrial.de", phone="+49 89 1234599",
        credit_status="ok",
    )),
    ("org-1002", "2025-02-03", _org("Northwind Logistics", "84-1234567", "helpdesk@northwind-logistics.com")),
    ("org-1003", "2025-02-04", _org(
        "Brightwater Analytics", "GB 293 8475 61", "it@brightwater-analytics.co.uk", phone="+44 20 7946 0321",
        website="https://brightwater-analytics.co.uk",
    )),
    ("org-1004", "2025-02-05", _org(
        "Café Rive Gauche SARL", "FR72512345678", "contact@caferivegauche.fr", phone="+33 1 43 26 48 23",
        address=_address("12 Rue de Buci", "75006", "Paris", "FR"),
    )),
    ("user-2001", "2025-02-06", _person("Claire", "Dubois", "claire.dubois@example.org", phone="+33 6 98 76 54 32")),
    ("user-2002", "2025-02-06", _person(
        "Maria", "Gonzalez", "maria.gonzalez@example.com", phone="+1 512 555 0187",
        address=_address("2100 S Congress Ave", "78704", "Austin", "US", "TX"),
    )),
]

# A second support platform, newer than Zendesk for Northwind: among support platforms the most recent e-mail wins.
SERVICENOW_CUSTOMERS = [
    ("ACCT0010001", "2025-03-02", _org("Northwind Logistics Inc", "841234567", "support@northwind-logistics.com")),
    ("ACCT0010002", "2025-03-02", _org(
        "Mueller & Soehne Maschinenbau", "DE298765431", "service@mueller-soehne.de", phone="+49 711 2299 300",
    )),
    ("ACCT0010003", "2025-03-03", _org(
        "Pemberton & Hale Solicitors LLP", "GB112233445", "it.support@pembertonhale.co.uk",
        address=_address("3 Bedford Row", "WC1R 4BU", "London", "GB"),
    )),
]

# Sent before its customer org-1004 exists in the hub: it waits as a pending reference until the customer arrives.
ZENDESK_EARLY_CONTACTS = [
    ("user-3004", "2025-02-01", "org-1004", {
        "first_name": "Élodie", "last_name": "Martin", "email": "elodie.martin@caferivegauche.fr", "role": "Gérante",
    }),
]

ZENDESK_CONTACTS = [
    ("user-3001", "2025-02-07", "org-1001", {
        "first_name": "Jonas", "last_name": "Weber", "email": "jonas.weber@acme-industrial.de",
        "phone": "+49 89 1234571", "role": "Head of Procurement",
    }),
    ("user-3002", "2025-02-07", "org-1002", {
        "first_name": "Priya", "last_name": "Natarajan", "email": "priya.natarajan@northwind-logistics.com",
        "role": "IT Operations Manager",
    }),
    ("user-3003", "2025-02-08", "org-1003", {
        "first_name": "Oliver", "last_name": "Grant", "email": "oliver.grant@brightwater-analytics.co.uk",
        "phone": "+44 20 7946 0388", "role": "Head of Data Platform",
    }),
]

SAP_ENTITLEMENTS = [
    ("EQ-40001", "2025-01-20", "100001", {
        "sku": "ACM-PRESS-X200", "serial_number": "X200-2291-0087", "kind": "warranty",
        "starts_on": "2024-03-01", "ends_on": "2027-02-28", "status": "active",
    }),
    ("EQ-40002", "2025-01-20", "100003", {
        "sku": "NW-SCAN-HH5", "serial_number": "HH5-77812", "kind": "support",
        "starts_on": "2025-01-01", "ends_on": "2025-12-31", "status": "active",
    }),
    ("EQ-40003", "2025-01-21", "100004", {
        "sku": "SUB-ANALYTICS-PRO", "serial_number": "SUB-100004-01", "kind": "subscription",
        "starts_on": "2024-06-01", "ends_on": "2025-05-31", "status": "expired",
    }),
]

SAP_CONTRACTS = [
    ("4600001234", "2025-01-22", "100001", {
        "number": "SC-2024-0117", "sla_level": "gold", "starts_on": "2024-01-01", "ends_on": "2026-12-31",
        "status": "active", "value": "48000.00", "currency": "EUR",
    }),
    ("4600001235", "2025-01-22", "100003", {
        "number": "SC-2025-0042", "sla_level": "silver", "starts_on": "2025-02-01", "ends_on": "2026-01-31",
        "status": "active", "value": "18500.00", "currency": "USD",
    }),
    ("4600001236", "2025-01-23", "100002", {
        "number": "SC-2022-0310", "sla_level": "bronze", "starts_on": "2022-04-01", "ends_on": "2024-03-31",
        "status": "expired", "value": "6200.00", "currency": "EUR",
    }),
]
# fmt: on


def _with_customer(rows: list[tuple[str, str, str, dict]]) -> list[tuple[str, str, dict, dict]]:
    return [(local_id, day, attributes, {"customer": customer}) for local_id, day, customer, attributes in rows]


def _without_references(rows: list[tuple[str, str, dict]]) -> list[tuple[str, str, dict, dict]]:
    return [(local_id, day, attributes, {}) for local_id, day, attributes in rows]


# In the order a hub would receive them; the early contact comes first on purpose.
BATCHES = [
    ("zendesk", Entity.CONTACT, _with_customer(ZENDESK_EARLY_CONTACTS)),
    ("sap", Entity.CUSTOMER, _without_references(SAP_CUSTOMERS)),
    ("zendesk", Entity.CUSTOMER, _without_references(ZENDESK_CUSTOMERS)),
    ("servicenow", Entity.CUSTOMER, _without_references(SERVICENOW_CUSTOMERS)),
    ("zendesk", Entity.CONTACT, _with_customer(ZENDESK_CONTACTS)),
    ("sap", Entity.ENTITLEMENT, _with_customer(SAP_ENTITLEMENTS)),
    ("sap", Entity.CONTRACT, _with_customer(SAP_CONTRACTS)),
]


def _items(entity: str, rows: list[tuple[str, str, dict, dict]]) -> list[IngestItem]:
    """Validate rows as the API does, so the demo cannot store what a system could not send."""
    items = []
    for local_id, day, attributes, references in rows:
        clean, errors = clean_attributes(entity, attributes)
        clean_refs, ref_errors = clean_references(entity, references)
        if errors or ref_errors:
            raise CommandError(f"demo {entity} {local_id} is invalid: {errors | ref_errors}")
        items.append(IngestItem(local_id=local_id, attributes=clean, references=clean_refs, source_updated_at=_at(day)))
    return items


class Command(BaseCommand):
    help = "Load demo systems and records (idempotent) and reset the 'steward' admin login."

    def handle(self, *args, **options) -> None:
        set_correlation_id(new_correlation_id())
        tokens = self._systems()
        systems = {system.code: system for system in SourceSystem.objects.filter(code__in=SYSTEMS)}
        for code, entity, rows in BATCHES:
            results = source_records_ingest(system=systems[code], entity=entity, items=_items(entity, rows))
            outcomes: dict[str, int] = {}
            for result in results:
                outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
            waiting = sum(1 for result in results if result.pending_references)
            summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
            note = f" ({waiting} waiting for a referenced record)" if waiting else ""
            self.stdout.write(f"  {code:<10} {entity:<11} {summary}{note}")
        password = self._steward()
        self._report(tokens, password)

    def _systems(self) -> dict[str, str]:
        """Create missing systems; answers the tokens of those created now (a token is shown only once)."""
        existing = set(SourceSystem.objects.filter(code__in=SYSTEMS).values_list("code", flat=True))
        tokens = {}
        for code, (kind, trust_rank, name) in SYSTEMS.items():
            if code not in existing:
                _, tokens[code] = source_system_create(code=code, kind=kind, name=name, trust_rank=trust_rank)
        return tokens

    def _steward(self) -> str:
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=STEWARD)
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        return password

    def _report(self, tokens: dict[str, str], password: str) -> None:
        customers = Customer.objects.filter(merged_into__isnull=True).count()
        contacts = Contact.objects.filter(merged_into__isnull=True).count()
        entitlements = Entitlement.objects.filter(merged_into__isnull=True).count()
        contracts = Contract.objects.filter(merged_into__isnull=True).count()
        conflicts = Conflict.objects.filter(state=ConflictState.OPEN).count()
        pending = PendingReference.objects.count()
        self.stdout.write(
            f"Demo data: {customers} golden customers, {contacts} contacts, {entitlements} entitlements, "
            f"{contracts} contracts, {conflicts} open conflicts, {pending} pending references."
        )
        self.stdout.write("")
        for code in SYSTEMS:
            if code in tokens:
                self.stdout.write(f"API token for {code} (shown once, keep it): {tokens[code]}")
            else:
                self.stdout.write(f"API token for {code}: issued earlier; a new one: manage.py mdm_system token {code}")
        self.stdout.write(self.style.SUCCESS(f"Steward login: {ADMIN_URL}  user: {STEWARD}  password: {password}"))
