"""The canonical attributes of each entity and their validation. Pure: values in, clean values and errors out.

Clean values are JSON-compatible (dates as ISO strings, decimals as strings) because they are stored on the source
record as they are compared by survivorship; golden models convert them to typed fields.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from .choices import CreditStatus, CustomerKind, EntitlementKind, Entity, Status, TermStatus

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
_UPPER_CODE = {"country": 2, "currency": 3}


@dataclass(frozen=True)
class Field:
    kind: str = "str"  # str | email | date | decimal | choice | code
    max_length: int = 255
    choices: tuple[str, ...] = ()
    max_digits: int = 18
    decimal_places: int = 2


ADDRESS_PARTS = {
    "line1": Field(),
    "line2": Field(),
    "city": Field(max_length=120),
    "postal_code": Field(max_length=20),
    "region": Field(max_length=120),
    "country": Field(kind="code", max_length=2),
}

ATTRIBUTES: dict[str, dict[str, Field]] = {
    Entity.CUSTOMER: {
        "kind": Field(kind="choice", choices=tuple(CustomerKind.values)),
        "name": Field(),
        "first_name": Field(max_length=120),
        "last_name": Field(max_length=120),
        "tax_id": Field(max_length=40),
        "email": Field(kind="email", max_length=254),
        "phone": Field(max_length=40),
        "website": Field(max_length=255),
        "birth_date": Field(kind="date"),
        "address": Field(kind="address"),
        "credit_status": Field(kind="choice", choices=tuple(CreditStatus.values)),
        "credit_limit": Field(kind="decimal"),
        "currency": Field(kind="code", max_length=3),
        "payment_terms": Field(max_length=40),
        "status": Field(kind="choice", choices=tuple(Status.values)),
    },
    Entity.CONTACT: {
        "first_name": Field(max_length=120),
        "last_name": Field(max_length=120),
        "email": Field(kind="email", max_length=254),
        "phone": Field(max_length=40),
        "role": Field(max_length=120),
    },
    Entity.ENTITLEMENT: {
        "sku": Field(max_length=80),
        "serial_number": Field(max_length=120),
        "kind": Field(kind="choice", choices=tuple(EntitlementKind.values)),
        "starts_on": Field(kind="date"),
        "ends_on": Field(kind="date"),
        "status": Field(kind="choice", choices=tuple(TermStatus.values)),
    },
    Entity.CONTRACT: {
        "number": Field(max_length=80),
        "sla_level": Field(max_length=40),
        "starts_on": Field(kind="date"),
        "ends_on": Field(kind="date"),
        "status": Field(kind="choice", choices=tuple(TermStatus.values)),
        "value": Field(kind="decimal"),
        "currency": Field(kind="code", max_length=3),
    },
}

# Entities a record may refer to, by the referenced record's local ID in the same system.
REFERENCES: dict[str, tuple[str, ...]] = {
    Entity.CUSTOMER: (),
    Entity.CONTACT: (Entity.CUSTOMER,),
    Entity.ENTITLEMENT: (Entity.CUSTOMER,),
    Entity.CONTRACT: (Entity.CUSTOMER,),
}

MAX_LOCAL_ID = 255


def attribute_names(entity: str) -> list[str]:
    """Canonical attribute names plus the reference attributes survivorship decides too."""
    return list(ATTRIBUTES[entity]) + list(REFERENCES[entity])


def _clean_scalar(spec: Field, value: object) -> tuple[object, str | None]:
    if value is None:
        return None, None
    if spec.kind == "decimal":
        return _clean_decimal(spec, value)
    if isinstance(value, int) and not isinstance(value, bool) and spec.kind == "str":
        if value.bit_length() > 128:
            return None, "is too large"
        value = str(value)  # a phone or tax ID sent as a JSON number
    if not isinstance(value, str):
        return None, "must be a string"
    text = value.strip()
    if "\x00" in text:
        return None, "must not contain NUL characters"
    if text == "":
        return None, None
    if len(text) > spec.max_length:
        return None, f"must be at most {spec.max_length} characters"
    if spec.kind == "choice":
        text = text.lower()
        if text not in spec.choices:
            return None, f"must be one of: {', '.join(spec.choices)}"
    elif spec.kind == "email":
        if not _EMAIL.match(text):
            return None, "must be an e-mail address"
    elif spec.kind == "code":
        text = text.upper()
        if len(text) != spec.max_length or not text.isascii() or not text.isalpha():
            return None, f"must be a {spec.max_length}-letter ISO code"
    elif spec.kind == "date":
        try:
            text = date.fromisoformat(text[:10] if len(text) > 10 and text[10] in "T " else text).isoformat()
        except ValueError:
            return None, "must be a date (YYYY-MM-DD)"
    return text, None


def _clean_decimal(spec: Field, value: object) -> tuple[object, str | None]:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None, "must be a number"
    if isinstance(value, int) and value.bit_length() > 128:
        return None, f"must have at most {spec.max_digits - spec.decimal_places} digits before the decimal point"
    if isinstance(value, str) and (value.strip() == "" or len(value) > 64):
        return (None, None) if value.strip() == "" else (None, "must be a number")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None, "must be a number"
    if not number.is_finite():
        return None, "must be a finite number"
    quantum = Decimal(1).scaleb(-spec.decimal_places)
    try:
        number = number.quantize(quantum)
    except InvalidOperation:
        return None, f"must have at most {spec.max_digits - spec.decimal_places} digits before the decimal point"
    if len(number.as_tuple().digits) > spec.max_digits:
        return None, f"must have at most {spec.max_digits - spec.decimal_places} digits before the decimal point"
    return str(number), None


def clean_attributes(entity: str, data: object) -> tuple[dict, dict[str, list[str]]]:
    """Validate one record's attributes. Returns (clean, errors); errors name fields as ``attributes.<name>``."""
    if not isinstance(data, dict):
        return {}, {"attributes": ["must be an object"]}
    specs = ATTRIBUTES[entity]
    clean: dict = {}
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        spec = specs.get(name)
        if spec is None:
            errors[f"attributes.{str(name)[:80]}"] = [f"is not a {entity} attribute"]
            continue
        if spec.kind == "address":
            parts, part_errors = _clean_address(value)
            errors.update(part_errors)
            if parts:
                clean[name] = parts
            continue
        result, error = _clean_scalar(spec, value)
        if error:
            errors[f"attributes.{name}"] = [error]
        elif result is not None:
            clean[name] = result
    return clean, errors


def _clean_address(value: object) -> tuple[dict, dict[str, list[str]]]:
    if value is None:
        return {}, {}
    if not isinstance(value, dict):
        return {}, {"attributes.address": ["must be an object"]}
    parts: dict = {}
    errors: dict[str, list[str]] = {}
    for part, raw in value.items():
        spec = ADDRESS_PARTS.get(part)
        if spec is None:
            errors[f"attributes.address.{str(part)[:80]}"] = ["is not an address part"]
            continue
        result, error = _clean_scalar(spec, raw)
        if error:
            errors[f"attributes.address.{part}"] = [error]
        elif result is not None:
            parts[part] = result
    return parts, errors


def clean_references(entity: str, data: object) -> tuple[dict, dict[str, list[str]]]:
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        return {}, {"references": ["must be an object"]}
    allowed = REFERENCES[entity]
    clean: dict = {}
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        if name not in allowed:
            hint = f"; allowed: {', '.join(allowed)}" if allowed else ""
            errors[f"references.{str(name)[:80]}"] = [f"a {entity} cannot refer to {str(name)[:80]!r}{hint}"]
            continue
        local_id, error = clean_local_id(value)
        if error:
            errors[f"references.{name}"] = [error]
        elif local_id is not None:
            clean[name] = local_id
    return clean, errors


def clean_local_id(value: object) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None, "must be a string"
    text = str(value).strip()
    if not text:
        return None, "must not be empty"
    if "\x00" in text:
        return None, "must not contain NUL characters"
    if len(text) > MAX_LOCAL_ID:
        return None, f"must be at most {MAX_LOCAL_ID} characters"
    return text, None
