"""Deterministic synthetic customers for benchmarks: realistic-looking organizations and persons."""

import json
import random
from datetime import UTC, datetime, timedelta

WORDS = [
    "Acme",
    "Apex",
    "Atlas",
    "Beacon",
    "Birch",
    "Cedar",
    "Cobalt",
    "Condor",
    "Delta",
    "Ember",
    "Falcon",
    "Fjord",
    "Granite",
    "Harbor",
    "Helix",
    "Iris",
    "Juniper",
    "Keystone",
    "Lumen",
    "Maple",
    "Meridian",
    "Nimbus",
    "Nova",
    "Oak",
    "Orion",
    "Pacific",
    "Pioneer",
    "Quartz",
    "Raven",
    "Ridge",
    "Sable",
    "Sierra",
    "Summit",
    "Terra",
    "Titan",
    "Unity",
    "Vertex",
    "Willow",
    "Zenith",
    "Alpine",
    "Boreal",
    "Crest",
    "Dune",
    "Echo",
    "Flint",
    "Grove",
    "Hollow",
]
TRADES = [
    "Industrial",
    "Supply",
    "Logistics",
    "Foods",
    "Textiles",
    "Robotics",
    "Energy",
    "Pharma",
    "Analytics",
    "Tooling",
    "Motors",
    "Optics",
]
FORMS = ["GmbH", "AG", "Ltd", "Inc", "LLC", "S.A.", "B.V.", "SARL", "S.p.A.", "Pty Ltd"]
FIRST = [
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Emma",
    "Felix",
    "Greta",
    "Hugo",
    "Ida",
    "Jonas",
    "Klara",
    "Leon",
    "Mia",
    "Noah",
    "Olga",
    "Paul",
    "Rosa",
    "Sven",
    "Tara",
    "Udo",
]
LAST = [
    "Müller",
    "Schmidt",
    "Smith",
    "Jones",
    "Martin",
    "Bernard",
    "Rossi",
    "Bianchi",
    "Garcia",
    "Lopez",
    "Novak",
    "Berg",
    "Dubois",
    "Weber",
    "Fischer",
]
CITIES = [("Berlin", "DE"), ("Hamburg", "DE"), ("London", "GB"), ("Paris", "FR"), ("Austin", "US"), ("Milan", "IT")]
STREETS = ["Hauptstraße", "Bahnhofstr.", "High Street", "Rue de la Paix", "Main St", "Via Roma"]


def customer(i: int, rng: random.Random) -> dict:
    city, country = rng.choice(CITIES)
    address = {
        "line1": f"{rng.choice(STREETS)} {rng.randint(1, 200)}",
        "city": city,
        "postal_code": f"{rng.randint(10000, 99999)}",
        "country": country,
    }
    when = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=i)
    if i % 5 == 4:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        attrs = {
            "kind": "person",
            "first_name": first,
            "last_name": last,
            "email": f"{first.lower()}.{i}@example.org",
            "birth_date": f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        }
    else:
        attrs = {
            "kind": "organization",
            "name": f"{rng.choice(WORDS)} {rng.choice(TRADES)} {rng.choice(FORMS)}",
            "tax_id": f"{country}{100000000 + i}",
            "email": f"billing{i}@example.com",
            "website": f"https://www.example{i}.com",
        }
    attrs.update(
        address=address,
        phone=f"+49 30 {rng.randint(1000000, 9999999)}",
        credit_status=rng.choice(["ok"] * 8 + ["hold", "blocked"]),
        credit_limit=str(rng.randint(1, 500) * 1000),
        currency="EUR",
        payment_terms=rng.choice(["NT30", "NT60", "COD"]),
        status="active",
    )
    return {"local_id": f"C{i:08d}", "attributes": attrs, "source_updated_at": when.isoformat()}


def write_jsonl(path: str, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            out.write(json.dumps(customer(i, rng), ensure_ascii=False) + "\n")
