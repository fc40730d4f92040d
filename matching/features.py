"""What the matcher compares: one record's attributes normalised once, and the blocking keys that find its
candidates. Pure: no database."""

from dataclasses import dataclass

from .normalize import (
    city,
    email_parts,
    first_name_root,
    is_free_mail,
    is_placeholder_email,
    org_name_parts,
    person_name,
    phone_parts,
    postcode,
    street,
    tax_id_digits,
)
from .phonetic import phonetic

PERSON, ORGANIZATION = "person", "organization"


@dataclass(slots=True)
class Features:
    """A record's normalised values. Empty string means missing; missing values neither help nor hurt."""

    kind: str = ""
    name: str = ""
    tokens: tuple[str, ...] = ()
    legal: str = ""
    first: str = ""
    first_root: str = ""
    last: str = ""
    birth: str = ""
    email: str = ""
    email_domain: str = ""
    free_mail: bool = False
    phone: str = ""
    phone_national: str = ""
    tax: str = ""
    domain: str = ""
    street: str = ""
    house: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    customer: str = ""


def _website_domain(value: str | None) -> str:
    if not value:
        return ""
    text = value.strip().lower()
    for prefix in ("https://", "http://"):
        text = text.removeprefix(prefix)
    text = text.split("/", 1)[0].split(":", 1)[0]
    return text.removeprefix("www.")


def infer_kind(attributes: dict) -> str:
    kind = attributes.get("kind")
    if kind in (PERSON, ORGANIZATION):
        return kind
    if attributes.get("name"):
        return ORGANIZATION
    if attributes.get("first_name") or attributes.get("last_name"):
        return PERSON
    return ""


def features_of(entity: str, attributes: dict, customer: str = "") -> Features:
    """Normalise one record of ``entity`` (customer or contact) for comparison; ``customer`` is a contact's
    customer golden ID, when its reference resolves."""
    address = attributes.get("address") or {}
    country = (address.get("country") or "").upper()
    f = Features(kind=infer_kind(attributes) if entity == "customer" else PERSON, country=country)
    if f.kind == ORGANIZATION:
        f.name, tokens, f.legal = org_name_parts(attributes.get("name"))
        f.tokens = tuple(tokens)
    else:
        first, last = person_name(attributes.get("first_name"), attributes.get("last_name"))
        if not (first or last) and attributes.get("name"):
            first, last = person_name(None, attributes.get("name"))
        f.first, f.last = first, last
        f.first_root = first_name_root(first) if first else ""
        f.birth = attributes.get("birth_date") or ""
    parts = email_parts(attributes.get("email"))
    if parts and not is_placeholder_email(*parts):
        f.email = f"{parts[0]}@{parts[1]}"
        f.email_domain = parts[1]
        f.free_mail = is_free_mail(parts[1])
    f.phone, f.phone_national = phone_parts(attributes.get("phone"), country or None)
    f.tax = tax_id_digits(attributes.get("tax_id"), country or None) if attributes.get("tax_id") else ""
    # The organization's own web domain: its website, else its e-mail domain unless that is a free-mail provider
    # (support platforms often hold an agent's address at the company and no website).
    f.domain = _website_domain(attributes.get("website"))
    if not f.domain and f.kind == ORGANIZATION and f.email_domain and not f.free_mail:
        f.domain = f.email_domain
    if address.get("line1"):
        f.street, f.house = street(address.get("line1"), country or None)
    f.postcode = postcode(address.get("postal_code"), country or None) if address.get("postal_code") else ""
    f.city = city(address.get("city"), country or None) if address.get("city") else ""
    f.customer = customer or ""
    return f


def blocking_keys(f: Features) -> list[str]:
    """Several keys per record, so a typo in one field still leaves others to find the true match."""
    keys: list[str] = []
    if len(f.tax) >= 3:
        keys.append(f"t:{f.tax}")
    if f.email:
        keys.append(f"e:{f.email}")
    if f.phone_national:
        keys.append(f"p:{f.phone_national}")  # with or without the country code written
    if f.kind == ORGANIZATION:
        if f.domain:
            keys.append(f"d:{f.domain}")
        if f.tokens:
            head = phonetic(f.tokens[0])
            keys.append(f"n:{head}:{f.postcode[:3]}" if f.postcode else f"n:{head}:{f.city}")
            keys.append(f"nc:{head}:{f.country}:{f.city}")
            if len(f.tokens) > 1:
                keys.append(f"nt:{' '.join(sorted(f.tokens[:3]))}")
    elif f.last or f.first:
        last_key = phonetic(f.last) if f.last else ""
        first_key = phonetic(f.first_root) if f.first_root else ""
        if f.birth and last_key:
            keys.append(f"pb:{last_key}:{f.birth}")
        if f.birth and first_key:
            keys.append(f"fb:{first_key}:{f.birth}")
        if last_key and first_key:
            keys.append(f"pn:{last_key}:{first_key}")
        if last_key and (f.postcode or f.city):
            keys.append(f"pa:{last_key}:{f.postcode[:3] or f.city}")
        if f.email and not f.free_mail and f.last:
            keys.append(f"pd:{f.email_domain}:{last_key}")
    if f.street and f.house and (f.postcode or f.city):
        keys.append(f"a:{f.street}:{f.house}:{f.postcode or f.city}")
    return keys
