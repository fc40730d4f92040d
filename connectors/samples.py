"""Sample companies and contacts for simulators and the demo: deterministic, realistic-looking, and overlapping, so
that two platforms seeded with different slices hold some of the same customers under their own IDs and spellings.
"""

import random

_STEMS = [
    "Acme Industrial Supply",
    "Nordwind Logistik",
    "Bluefin Analytics",
    "Helios Solar",
    "Kestrel Foods",
    "Orchid Dental Group",
    "Granite Peak Outfitters",
    "Lumen Optics",
    "Brightwater Utilities",
    "Tessera Software",
    "Vega Pharma",
    "Copperline Cables",
    "Harbor & Finch",
    "Quantum Leap Robotics",
    "Silverline Insurance",
    "Evergreen Nurseries",
    "Atlas Freight",
    "Marigold Bakery",
    "Pioneer Medical Devices",
    "Redwood Timber",
]
_FORMS = ["GmbH", "Inc.", "Ltd", "LLC", "AG", "B.V.", "S.A.", "Pty Ltd"]
_CITIES = [
    ("Berlin", "10115", "DE", "+49 30 1234"),
    ("Munich", "80331", "DE", "+49 89 5550"),
    ("London", "EC1A 1BB", "GB", "+44 20 7946"),
    ("Austin", "78701", "US", "+1 512 555"),
    ("Amsterdam", "1012 AB", "NL", "+31 20 555"),
    ("Zurich", "8001", "CH", "+41 44 555"),
]
_FIRST = ["Anna", "Ben", "Clara", "David", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kara", "Luis"]
_LAST = ["Schmidt", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Garcia", "Brennan", "Ivanova", "Costa"]


def companies(count: int = 20, seed: int = 11) -> list[dict]:
    """``count`` companies, each with 1 to 3 contacts; key ``key`` identifies the real company across platforms."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        stem = _STEMS[i % len(_STEMS)] + ("" if i < len(_STEMS) else f" {i // len(_STEMS) + 1}")
        city, postcode, country, prefix = _CITIES[i % len(_CITIES)]
        domain = stem.lower().replace("&", "and").replace(" ", "") + ".example"
        contacts = []
        for _ in range(rng.randint(1, 3)):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            contacts.append(
                {
                    "first_name": first,
                    "last_name": last,
                    "email": f"{first.lower()}.{last.lower()}@{domain}",
                    "phone": f"{prefix} {rng.randint(1000, 9999)}",
                }
            )
        out.append(
            {
                "key": f"C{i + 1:04d}",
                "name": f"{stem} {_FORMS[i % len(_FORMS)]}",
                "domain": domain,
                "tax_id": f"{country}{rng.randint(100000000, 999999999)}",
                "phone": f"{prefix} {rng.randint(1000, 9999)}",
                "address": {
                    "line1": f"{rng.randint(1, 200)} Main Street",
                    "city": city,
                    "postal_code": postcode,
                    "country": country,
                },
                "contacts": contacts,
            }
        )
    return out
