"""Comparators, vetoes and corroboration on normalised records: pure, no database."""

import pytest

from matching.features import features_of
from matching.scoring import (
    MISSING,
    ORG_COMPARATORS,
    PERSON_COMPARATORS,
    cmp_first,
    cmp_last,
    cmp_legal,
    cmp_org_name,
    cmp_tax,
    compare,
    corroborated,
    vetoed,
)
from matching.services.identify import identity_keys


def org(name, **extra):
    return features_of("customer", {"kind": "organization", "name": name, **extra})


def person(first=None, last=None, name=None, **extra):
    attributes = {"kind": "person", "first_name": first, "last_name": last, "name": name, **extra}
    return features_of("customer", {k: v for k, v in attributes.items() if v is not None})


@pytest.mark.parametrize(
    ("a", "b", "family", "given"),
    [
        (person("Maria", "Hofhagen"), person("Mafia", "Hofhagen"), 3, 2),  # one letter typed wrong
        (person(name="Smith Michael"), person("Mike", "Smith"), 3, 3),  # swapped, and a nickname
        (person(name="Zhang, Kirsten"), person(name="Kirsten M. Zhang"), 3, 3),
        (person(name="Bonmas Camille"), person(name="C Bonmas"), 3, 1),  # swapped, the given name an initial
        (person("Stefan Fredrik", "Olsson"), person("Stefan", "Olsson"), 3, 3),  # a middle name more
        (person("Rosa", "Martín Alonso"), person(name="Rosa Martín Alonso"), 3, 4),  # the same words split apart
        (person("Antonio", "Rubio Martín"), person("Antonio", "Rubio"), 2, 4),  # one of two Spanish family names
        (person("Karl", "Huber"), person("Anna", "Huber"), 3, 0),  # a family member
    ],
)
def test_person_names_compare_across_typos_swaps_nicknames_and_middle_names(a, b, family, given):
    assert (cmp_last(a, b), cmp_first(a, b)) == (family, given)
    assert (cmp_last(b, a), cmp_first(b, a)) == (family, given)


def test_only_an_unrelated_given_name_vetoes_a_person():
    levels = compare(PERSON_COMPARATORS, person("Maria", "Hofhagen"), person("Mafia", "Hofhagen"))
    assert not vetoed(PERSON_COMPARATORS, levels)
    levels = compare(PERSON_COMPARATORS, person("Karl", "Huber"), person("Anna", "Huber"))
    assert vetoed(PERSON_COMPARATORS, levels)


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        (org("Green Bau GmbH"), org("Green Bau GmbH"), 4),
        (org("Green Bau"), org("Green Bau Group"), 2),  # a sister company's name
        (org("HLS Software LLC"), org("HLS Software Holding LLC"), 2),
        (org("Polaris Solartechnik AG"), org("Polaris Solartecnik West"), 2),  # a typo does not hide the extra word
        (org("Acme Logistics (Berlin)"), org("Acme Logistics", address={"city": "Berlin", "country": "DE"}), 3),
        (org("Acme Logistcs"), org("Acme Logistics"), 3),
        (org("Acme Logistics"), org("Zenith Foods"), 0),
    ],
)
def test_a_name_inside_another_with_words_of_its_own_is_only_similar(a, b, level):
    assert cmp_org_name(a, b) == level == cmp_org_name(b, a)


@pytest.mark.parametrize(
    ("country", "a", "b", "level"),
    [
        ("DE", "DE811907980", "DE 811 907 980", 1),
        ("DE", "DE811907980", "DE811907981", MISSING),  # one digit typed wrong: a typo, not another company
        ("FR", "FR26317590453", "FR26317950453", MISSING),  # two digits swapped
        ("DE", "DE811907980", "11/204/22473", MISSING),  # a VAT ID and a Steuernummer: two kinds of number
        ("FR", "FR75441117900", "44111790000021", 1),  # a SIRET starts with the SIREN of the VAT number
        ("DE", "DE811907980", "DE265013482", 0),
    ],
)
def test_tax_ids_agree_disagree_or_say_nothing(country, a, b, level):
    where = {"country": country}
    assert cmp_tax(org("Acme", tax_id=a, address=where), org("Acme", tax_id=b, address=where)) == level


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("Nestlé AG", "Nestlé SA", MISSING),  # one Swiss company in German and in French
        ("Sistemas Ibéricos S.L.", "Sistemas Ibéricos S.R.L.", MISSING),
        ("Walworth & Co", "Walworth & Co Pty Ltd", MISSING),  # "& Co" says nothing of the form
        ("Müller Logistik GmbH & Co. KG", "Müller Logistik KG", MISSING),
        ("Volvo Aktiebolag", "Volvo AB", 1),
        ("Acme GmbH", "Acme AG", 0),  # two companies of a group
        ("Bar Sport S.p.A.", "Bar Sport S.r.l.", 0),
    ],
)
def test_translations_of_one_legal_form_do_not_disagree(a, b, level):
    assert cmp_legal(org(a), org(b)) == level


ADDRESS = {"line1": "Hauptstraße 5", "postal_code": "10115", "city": "Berlin", "country": "DE"}


def test_a_shared_address_corroborates_a_person_only_with_the_same_given_name():
    same = compare(
        PERSON_COMPARATORS, person("Anna", "Huber", address=ADDRESS), person("Anna", "Huber", address=ADDRESS)
    )
    assert corroborated(PERSON_COMPARATORS, same)
    initial = compare(
        PERSON_COMPARATORS, person("A.", "Huber", address=ADDRESS), person("Anna", "Huber", address=ADDRESS)
    )
    assert not corroborated(PERSON_COMPARATORS, initial)
    unknown = compare(
        PERSON_COMPARATORS, person(None, "Huber", address=ADDRESS), person("Anna", "Huber", address=ADDRESS)
    )
    assert not corroborated(PERSON_COMPARATORS, unknown)


def test_a_shared_address_corroborates_a_company_only_when_the_names_are_very_similar():
    one = compare(ORG_COMPARATORS, org("Green Bau GmbH", address=ADDRESS), org("Green Bau", address=ADDRESS))
    assert corroborated(ORG_COMPARATORS, one)
    sisters = compare(ORG_COMPARATORS, org("Green Bau GmbH", address=ADDRESS), org("Green Bau Group", address=ADDRESS))
    assert not corroborated(ORG_COMPARATORS, sisters)


def test_placeholder_emails_and_tax_ids_are_no_evidence_and_no_identity():
    f = person("Anna", "Huber", email="noemail@noemail.com", tax_id="n/a")
    assert (f.email, f.tax) == ("", "")
    assert org("Acme", email="x@x.com", tax_id="beantragt").tax == ""
    assert identity_keys("customer", {"kind": "person", "email": "keine@email.de", "tax_id": "000000000"}) == []
    assert identity_keys("customer", {"kind": "person", "email": "anna@huber.de", "tax_id": "DE811907980"}) == [
        ("tax_key", "DE811907980"),
        ("email_key", "anna@huber.de"),
    ]
