import pytest

from canonical.schema import clean_attributes, clean_local_id, clean_references


def test_clean_values_are_normalised():
    clean, errors = clean_attributes(
        "customer",
        {
            "kind": "Organization",
            "name": "  ACME GmbH ",
            "credit_limit": 5000,
            "currency": "eur",
            "address": {"country": "de", "city": "Berlin", "line2": ""},
            "birth_date": None,
            "phone": 4930123,
        },
    )
    assert errors == {}
    assert clean == {
        "kind": "organization",
        "name": "ACME GmbH",
        "credit_limit": "5000.00",
        "currency": "EUR",
        "address": {"country": "DE", "city": "Berlin"},
        "phone": "4930123",
    }


@pytest.mark.parametrize(
    ("attributes", "field"),
    [
        ({"name": 12.5}, "attributes.name"),
        ({"name": "x" * 256}, "attributes.name"),
        ({"name": "a\x00b"}, "attributes.name"),
        ({"credit_limit": "1e30"}, "attributes.credit_limit"),
        ({"credit_limit": 10**40}, "attributes.credit_limit"),
        ({"credit_limit": "NaN"}, "attributes.credit_limit"),
        ({"credit_status": "fine"}, "attributes.credit_status"),
        ({"email": "not-an-address"}, "attributes.email"),
        ({"birth_date": "31/12/1990"}, "attributes.birth_date"),
        ({"address": {"planet": "Mars"}}, "attributes.address.planet"),
        ({"address": "Hauptstr. 5"}, "attributes.address"),
        ({"colour": "red"}, "attributes.colour"),
        ({"country": "Germany"}, "attributes.country"),
        ({"phone": True}, "attributes.phone"),
        ({"tax_id": 10**200}, "attributes.tax_id"),
    ],
)
def test_bad_values_are_named(attributes, field):
    _, errors = clean_attributes("customer", attributes)
    assert field in errors


def test_references_only_to_entities_the_record_may_name():
    assert clean_references("contact", {"customer": 42}) == ({"customer": "42"}, {})
    _, errors = clean_references("customer", {"customer": "1"})
    assert "references.customer" in errors


def test_local_ids_are_bounded():
    assert clean_local_id(" A-1 ") == ("A-1", None)
    assert clean_local_id("x" * 300)[1]
    assert clean_local_id("")[1]
