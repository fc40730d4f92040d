"""Fellegi-Sunter scoring: per-attribute comparison levels, their m/u probabilities, and explanations. Pure.

A comparison of two records gives each field a level (higher is closer agreement; -1 when either side lacks the
value). Each level has m = P(level | same entity) and u = P(level | different entities); the match weight is
log2(m/u) summed over the fields present, plus the prior log-odds. Missing values add nothing either way.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from .data.legal_forms import COMPATIBLE_FORMS, WEAK_FORMS
from .features import ORGANIZATION, Features
from .normalize import first_name_root

MISSING = -1


def _jw(a: str, b: str) -> float:
    return JaroWinkler.similarity(a, b)


def _location_words(f: Features) -> set[str]:
    return set(f.city.split()) if f.city else set()


def _extra_words(a: Features, b: Features) -> bool:
    """Whether the longer name has words the shorter lacks (a typo still counts as the same word), other than the
    place either record is in: "Acme Logistics Holding" next to "Acme Logistics" is often a sister company, while
    "Acme (Berlin)" next to Acme in Berlin is the site a support platform named its account after."""
    short, long_ = (a.tokens, b.tokens) if len(a.tokens) <= len(b.tokens) else (b.tokens, a.tokens)
    places = _location_words(a) | _location_words(b)
    for word in long_:
        if word in short or word in places:
            continue
        if not any(_jw(word, other) >= 0.9 for other in short):
            return True
    return False


def cmp_org_name(a: Features, b: Features) -> int:
    if not a.name or not b.name:
        return MISSING
    if a.name == b.name:
        return 4
    ts = fuzz.token_set_ratio(a.name, b.name)
    if ts >= 95 or _jw(a.name, b.name) >= 0.96:
        # One name inside the other with words of its own is similar, not very similar.
        return 2 if _extra_words(a, b) else 3
    if ts >= 85:
        return 2
    if ts >= 70 or fuzz.partial_ratio(a.name, b.name) >= 85:
        return 1
    return 0


def _head(name: str) -> str:
    return name.split(" ", 1)[0]


def _given_level(a: str, a_root: str, b: str, b_root: str) -> int:
    """Given names: the same, the same first name (a middle name more or less, or a nickname of it), a typo of it,
    the same initial, or different."""
    if a == b:
        return 4 if len(a) > 1 else 1
    ha, hb = _head(a), _head(b)
    if len(ha) == 1 or len(hb) == 1:
        return 1 if ha[0] == hb[0] else 0
    if ha == hb or _head(a_root) == _head(b_root):
        return 3
    if _jw(ha, hb) >= 0.9 or (min(len(ha), len(hb)) >= 4 and OSA.distance(ha, hb) <= 1):
        return 2  # a typo ("Mafia" for Maria) is not another person
    return 0


def _family_level(a: str, b: str) -> int:
    if a == b:
        return 3
    sim = _jw(a, b)
    if sim >= 0.93 or _head(a) == _head(b):  # a typo, or one of two Spanish family names
        return 2
    return 1 if sim >= 0.85 else 0


def _without_initials(name: str) -> str:
    return " ".join(token for token in name.split() if len(token) > 1) or name


_last_pair: list = [None, None, (MISSING, MISSING)]


def person_levels(a: Features, b: Features) -> tuple[int, int]:
    """(family level, given level) of two persons, reading one side's names the other way round when that fits
    better: records often swap the two fields ("Smith John", "Zhang, Kirsten"), sometimes with a nickname or an
    initial. Both comparators ask for the same pair one after the other; the last answer is kept for the second."""
    if _last_pair[0] is a and _last_pair[1] is b:
        return _last_pair[2]
    family = _family_level(a.last, b.last) if a.last and b.last else MISSING
    given = _given_level(a.first, a.first_root, b.first, b.first_root) if a.first and b.first else MISSING
    if family != 3 and a.first and a.last and b.first and b.last:
        if sorted((a.first + " " + a.last).split()) == sorted((b.first + " " + b.last).split()):
            family, given = 3, 4  # the same words, divided differently ("Rosa" "Martín Alonso")
        else:
            # Either side may be the one written the other way round.
            for (ga, fa), (gb, fb) in (((a.first, a.last), (b.last, b.first)), ((a.last, a.first), (b.first, b.last))):
                crossed_family = _family_level(_without_initials(fa), _without_initials(fb))
                crossed_given = _given_level(ga, first_name_root(ga), gb, first_name_root(gb))
                if crossed_family >= 2 and crossed_family + crossed_given > family + given:
                    family, given = crossed_family, crossed_given
    _last_pair[:] = [a, b, (family, given)]
    return family, given


def cmp_last(a: Features, b: Features) -> int:
    return person_levels(a, b)[0]


def cmp_first(a: Features, b: Features) -> int:
    return person_levels(a, b)[1]


def cmp_birth(a: Features, b: Features) -> int:
    if not a.birth or not b.birth:
        return MISSING
    if a.birth == b.birth:
        return 2
    ya, ma, da = a.birth[:4], a.birth[5:7], a.birth[8:10]
    yb, mb, db = b.birth[:4], b.birth[5:7], b.birth[8:10]
    if (ya == yb and ma == db and da == mb) or Levenshtein.distance(a.birth, b.birth) <= 1:
        return 1
    return 0


GENERIC_MAILBOXES = {
    "info", "contact", "office", "sales", "support", "admin", "billing", "hello", "mail", "service", "kontakt",
    "buchhaltung", "accounts", "invoice", "invoices", "team", "help", "enquiries", "post", "empfang", "bureau",
}  # fmt: skip


def cmp_email(a: Features, b: Features) -> int:
    if not a.email or not b.email:
        return MISSING
    if a.email == b.email:
        return 2
    mailbox = a.email.split("@", 1)[0]
    if mailbox == b.email.split("@", 1)[0] and len(mailbox) > 3 and mailbox not in GENERIC_MAILBOXES:
        return 1
    return 0


def cmp_phone(a: Features, b: Features) -> int:
    """Same number (the national number agrees when one side lacks the country code), same last 7 digits (one
    switchboard), or different."""
    if not a.phone_national or not b.phone_national:
        return MISSING
    if a.phone and b.phone:
        if a.phone == b.phone:
            return 2
    elif a.phone_national == b.phone_national and len(a.phone_national) >= 8:
        return 2
    return 1 if a.phone_national[-7:] == b.phone_national[-7:] else 0


def cmp_tax(a: Features, b: Features) -> int:
    """Same number, or different. Two numbers of different lengths are usually two kinds of number (a German VAT
    ID and a Steuernummer) and one digit typed wrong or two swapped is a typo: neither says anything. A number
    that starts with the other is one company's (a French SIRET begins with its SIREN)."""
    if not a.tax or not b.tax:
        return MISSING
    if a.tax == b.tax:
        return 1
    short, long_ = sorted((a.tax, b.tax), key=len)
    if len(short) != len(long_):
        return 1 if len(short) >= 9 and long_.startswith(short) else MISSING
    return MISSING if OSA.distance(a.tax, b.tax) <= 1 else 0


def cmp_domain(a: Features, b: Features) -> int:
    if not a.domain or not b.domain:
        return MISSING
    return 1 if a.domain == b.domain else 0


def _forms_compatible(a: str, b: str) -> bool:
    return a in WEAK_FORMS or b in WEAK_FORMS or any(a in group and b in group for group in COMPATIBLE_FORMS)


def cmp_legal(a: Features, b: Features) -> int:
    """Legal forms (GmbH, Ltd, S.r.l. ...): a GmbH and an AG of one name are usually two companies of a group; an
    AG and an SA may be one Swiss company in two languages (matching.data.legal_forms.COMPATIBLE_FORMS)."""
    if not a.legal or not b.legal:
        return MISSING
    if a.legal == b.legal:
        return 1
    return MISSING if _forms_compatible(a.legal, b.legal) else 0


def cmp_street(a: Features, b: Features) -> int:
    if not a.street or not b.street:
        return MISSING
    same_street = a.street == b.street or _jw(a.street, b.street) >= 0.92
    same_house = bool(a.house) and a.house == b.house
    if a.street == b.street and same_house:
        return 3
    if same_street and (same_house or not a.house or not b.house):
        return 2
    return 1 if same_street else 0


def cmp_postcode(a: Features, b: Features) -> int:
    if not a.postcode or not b.postcode:
        return MISSING
    if a.postcode == b.postcode:
        return 2
    return 1 if a.postcode[:3] == b.postcode[:3] else 0


def cmp_city(a: Features, b: Features) -> int:
    if not a.city or not b.city:
        return MISSING
    return 1 if a.city == b.city or _jw(a.city, b.city) >= 0.93 else 0


def cmp_address(a: Features, b: Features) -> int:
    """One comparison for the whole address: its parts agree or disagree together, so counting street, postcode
    and city separately would count one fact three times (and glue families at one address together)."""
    if not (a.street or a.postcode or a.city) or not (b.street or b.postcode or b.city):
        return MISSING
    same_place = (a.postcode and a.postcode == b.postcode) or (
        not (a.postcode and b.postcode) and a.city and b.city and cmp_city(a, b) == 1
    )
    street = cmp_street(a, b)
    if same_place and street == 3:
        return 4
    if same_place and street == 2:
        return 3
    if same_place or (street >= 2 and cmp_city(a, b) == 1):
        return 2
    if cmp_city(a, b) == 1 or cmp_postcode(a, b) == 1:
        return 1
    return 0


def cmp_country(a: Features, b: Features) -> int:
    if not a.country or not b.country:
        return MISSING
    return 1 if a.country == b.country else 0


def cmp_customer(a: Features, b: Features) -> int:
    if not a.customer or not b.customer:
        return MISSING
    return 1 if a.customer == b.customer else 0


@dataclass(frozen=True)
class Comparator:
    name: str
    levels: int
    compare: Callable[[Features, Features], int]
    labels: tuple[str, ...]
    shows: tuple[str, ...]  # the Features fields an explanation shows ("a|b": a, or b when a is empty)


ADDRESS = Comparator(
    "address",
    5,
    cmp_address,
    ("different", "same city or area", "same place", "same street, number differs or missing", "same"),
    ("street", "house", "postcode", "city"),
)
ORG_COMPARATORS = (
    Comparator("name", 5, cmp_org_name, ("different", "weakly similar", "similar", "very similar", "same"), ("name",)),
    Comparator("legal_form", 2, cmp_legal, ("different", "same"), ("legal",)),
    Comparator("tax_id", 2, cmp_tax, ("different", "same"), ("tax",)),
    Comparator("email", 3, cmp_email, ("different", "same mailbox name", "same"), ("email",)),
    Comparator("domain", 2, cmp_domain, ("different", "same"), ("domain",)),
    Comparator("phone", 3, cmp_phone, ("different", "same last 7 digits", "same"), ("phone|phone_national",)),
    ADDRESS,
    Comparator("country", 2, cmp_country, ("different", "same"), ("country",)),
)
PERSON_COMPARATORS = (
    Comparator("last_name", 4, cmp_last, ("different", "weakly similar", "similar", "same"), ("last",)),
    Comparator(
        "first_name", 5, cmp_first, ("different", "same initial", "similar", "same name root", "same"), ("first",)
    ),
    Comparator("birth_date", 3, cmp_birth, ("different", "one digit or day/month swapped", "same"), ("birth",)),
    Comparator("email", 3, cmp_email, ("different", "same mailbox name", "same"), ("email",)),
    Comparator("phone", 3, cmp_phone, ("different", "same last 7 digits", "same"), ("phone|phone_national",)),
    Comparator("tax_id", 2, cmp_tax, ("different", "same"), ("tax",)),
    ADDRESS,
    Comparator("country", 2, cmp_country, ("different", "same"), ("country",)),
)
CONTACT_COMPARATORS = (
    *PERSON_COMPARATORS,
    Comparator("customer", 2, cmp_customer, ("different", "same"), ("customer",)),
)


# Disagreements that rule out an automatic link whatever else agrees: two people with different birth dates or
# unrelated first names (a family at one address shares surname, address and landline), or two organizations with
# different tax IDs or legal forms (sister companies: Bar Sport S.p.A. and Bar Sport S.r.l. at one address). Such
# pairs can still go to a steward.
VETOES = {"birth_date": 0, "first_name": 0, "tax_id": 0, "legal_form": 0}


def vetoed(comparators: Sequence[Comparator], levels: Sequence[int]) -> bool:
    return any(VETOES.get(c.name) == level for c, level in zip(comparators, levels, strict=True))


# Names alone do not make an automatic link (there are many Min-ji Kims and Müller GmbHs): one of these must agree
# too, at least at the given level. Without one, a strong name match goes to a steward. A shared website is not
# enough either: a brand's companies in other cities and countries share it. For contacts, the same customer is:
# two people of one name at one company are rare.
CORROBORATION = {"birth_date": 2, "email": 2, "phone": 2, "tax_id": 1, "address": 3, "customer": 1}
# What else must agree for some of them to count, where the record has that comparator: a family shares surname
# and address, sister companies share a building ("Acme Logistics" and "Acme Logistics Holding"), and two small firms
# of unlike names may give one owner's mailbox.
CORROBORATION_NEEDS = {"address": (("first_name", 3), ("name", 3)), "email": (("name", 2),)}


def corroborated(comparators: Sequence[Comparator], levels: Sequence[int]) -> bool:
    by_name = {c.name: level for c, level in zip(comparators, levels, strict=True)}
    for name, level in by_name.items():
        if name not in CORROBORATION or level < CORROBORATION[name]:
            continue
        needs = CORROBORATION_NEEDS.get(name, ())
        if all(other not in by_name or by_name[other] >= least for other, least in needs):
            return True
    return False


def comparators_for(entity: str, kind: str) -> tuple[Comparator, ...]:
    if entity == "contact":
        return CONTACT_COMPARATORS
    return ORG_COMPARATORS if kind == ORGANIZATION else PERSON_COMPARATORS


def compare(comparators: Sequence[Comparator], a: Features, b: Features) -> tuple[int, ...]:
    return tuple(c.compare(a, b) for c in comparators)


@dataclass
class FSParams:
    """m and u per comparator and level, and the prior probability that a candidate pair is a match."""

    m: dict[str, list[float]]
    u: dict[str, list[float]]
    prior: float = 0.01
    pairs: int = 0
    weights: dict[str, list[float]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.weights = {
            name: [math.log2(max(m, 1e-6) / max(u, 1e-6)) for m, u in zip(self.m[name], self.u[name], strict=True)]
            for name in self.m
        }
        self.prior_weight = math.log2(self.prior / (1 - self.prior))

    def as_json(self) -> dict:
        return {"m": self.m, "u": self.u, "prior": self.prior, "pairs": self.pairs}

    @classmethod
    def from_json(cls, data: dict) -> "FSParams":
        return cls(m=data["m"], u=data["u"], prior=data["prior"], pairs=data.get("pairs", 0))


# Starting m / u per comparison level (lowest level first), used until a model is trained on the data. u of an
# agreement is how often two different parties agree by chance: tiny for tax IDs, e-mail and phone numbers. Names
# are compared only between candidates, which blocking found by their names: there one in fifty pairs of different
# people shares a surname (families, namesakes) and one in sixteen a given name, so a name is never near proof.
DEFAULTS: dict[str, tuple[list[float], list[float]]] = {
    "name": ([0.04, 0.06, 0.15, 0.3, 0.45], [0.965, 0.025, 0.006, 0.003, 0.001]),
    "last_name": ([0.04, 0.04, 0.12, 0.8], [0.9, 0.05, 0.03, 0.02]),
    "first_name": ([0.02, 0.05, 0.1, 0.1, 0.73], [0.8, 0.05, 0.06, 0.03, 0.06]),
    "birth_date": ([0.03, 0.1, 0.87], [0.994, 0.005, 0.001]),
    "tax_id": ([0.05, 0.95], [0.99999, 0.00001]),
    "email": ([0.35, 0.05, 0.6], [0.9979, 0.002, 0.0001]),
    "domain": ([0.3, 0.7], [0.98, 0.02]),
    "legal_form": ([0.05, 0.95], [0.7, 0.3]),
    "phone": ([0.35, 0.05, 0.6], [0.9998, 0.0001, 0.0001]),
    "address": ([0.15, 0.1, 0.1, 0.15, 0.5], [0.9, 0.07, 0.025, 0.004, 0.001]),
    "country": ([0.03, 0.97], [0.6, 0.4]),
    "customer": ([0.1, 0.9], [0.999, 0.001]),
}


def default_params(comparators: Sequence[Comparator]) -> FSParams:
    """Starting values before training (see DEFAULTS); comparators without defaults get a generic shape."""
    m, u = {}, {}
    for c in comparators:
        if c.name in DEFAULTS and len(DEFAULTS[c.name][0]) == c.levels:
            m[c.name], u[c.name] = (list(x) for x in DEFAULTS[c.name])
            continue
        top = c.levels - 1
        m[c.name] = [0.1] + [0.1 / top] * (top - 1) + [0.9 - 0.1 * (top - 1) / top] if top > 1 else [0.1, 0.9]
        u[c.name] = [0.9] + [0.1 / top] * top
    return FSParams(m=m, u=u, prior=0.05)


def weight(params: FSParams, comparators: Sequence[Comparator], levels: Sequence[int]) -> float:
    total = params.prior_weight
    for c, level in zip(comparators, levels, strict=True):
        if level != MISSING:
            total += params.weights[c.name][level]
    return total


def probability(match_weight: float) -> float:
    if match_weight > 60:
        return 1.0
    if match_weight < -60:
        return 0.0
    return 1 / (1 + 2**-match_weight)


def _shown(c: Comparator, f: Features) -> str | None:
    """The values an explanation shows; "a|b" shows field a, or b when a is empty."""
    values = []
    for name in c.shows:
        value = next((getattr(f, alt) for alt in name.split("|") if getattr(f, alt)), "")
        if value:
            values.append(str(value))
    return " ".join(values) or None


def explain(
    params: FSParams, comparators: Sequence[Comparator], levels: Sequence[int], a: Features, b: Features
) -> list[dict]:
    """Each attribute's comparison: both values, the level reached, and its contribution to the match weight."""
    rows = []
    for c, level in zip(comparators, levels, strict=True):
        rows.append(
            {
                "attribute": c.name,
                "incoming": _shown(c, a),
                "candidate": _shown(c, b),
                "comparison": "missing" if level == MISSING else c.labels[level],
                "weight": 0.0 if level == MISSING else round(params.weights[c.name][level], 2),
            }
        )
    return rows
