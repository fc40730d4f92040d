"""Synthetic customers with a known ground truth, for measuring identity matching (quality and speed).

``generate(size, seed)`` yields exactly ``size`` customer records spread over six source systems. Each record is
one real-world entity (its ``truth``) as one system would hold it: ERPs with the legal name, tax ID, billing
address and credit data; support platforms with a trade name, a contact e-mail and few other fields; every system
with its own formatting habits, and every value exposed to typos, abbreviations, spelling variants, gaps and
outdated copies (an entity that moved or married is still on file somewhere with its old address or name).

Distinct entities are made to look alike on purpose: families at one address, namesakes in one city, a brand's
companies in several cities, neighbouring twins, placeholder e-mails shared by strangers. Without them any matcher
looks perfect.

The same seed gives the same records. Memory stays bounded whatever the size: records leave through a shuffle
window, so one entity's copies are not adjacent and local IDs do not give the truth away.
"""

import csv
import json
import random
import re
import unicodedata
from bisect import bisect
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Generic, TypeVar

from . import synth_data as data

SYSTEMS = ("sap", "odoo", "zendesk", "servicenow", "freshdesk", "salesforce")
_SYSTEM_WEIGHTS = (24, 14, 20, 12, 12, 18)
_DAY = 86400.0
_NOW = datetime(2026, 10, 31, tzinfo=UTC).timestamp()
_START = datetime(2024, 1, 1, tzinfo=UTC).timestamp()


@dataclass(frozen=True, slots=True)
class SynthRecord:
    """One source record of one real-world entity, as one system holds it."""

    system: str
    entity: str
    local_id: str
    attributes: dict
    source_updated_at: str
    truth: str

    def import_line(self) -> dict:
        """The record in ``mdm_import``'s JSON Lines shape."""
        return {"local_id": self.local_id, "attributes": self.attributes, "source_updated_at": self.source_updated_at}


@dataclass(frozen=True)
class Summary:
    """What ``write`` wrote: records per system, distinct entities, and the pairs a perfect matcher would link."""

    records: dict[str, int]
    entities: int
    pairs: int


def generate(
    size: int,
    seed: int = 1,
    dup_rate: float = 0.5,
    *,
    copies: Sequence[float] = (0.56, 0.28, 0.16),
    intra_system_dupes: float = 0.0,
    lookalikes: float = 0.3,
    window: int = 50_000,
) -> Iterator[SynthRecord]:
    """Yield ``size`` customer records in a deterministic order.

    ``dup_rate`` is the share of entities held by more than one system; ``copies`` weighs two, three and four
    systems among those. ``intra_system_dupes`` is the chance that a system holds a second record of an entity it
    already has. ``lookalikes`` is the share of entities made to resemble an earlier, different one.
    """
    if size < 0 or not 0 <= dup_rate <= 1 or not 0 <= intra_system_dupes <= 1 or not 0 <= lookalikes <= 1:
        raise ValueError("size must be >= 0 and the rates between 0 and 1")
    if len(copies) != 3 or min(copies) < 0 or sum(copies) <= 0:
        raise ValueError("copies weighs two, three and four systems: three non-negative numbers")
    return _generate(size, seed, dup_rate, copies, intra_system_dupes, lookalikes, max(window, 1))


def _generate(
    size: int,
    seed: int,
    dup_rate: float,
    copies: Sequence[float],
    intra_system_dupes: float,
    lookalikes: float,
    window: int,
) -> Iterator[SynthRecord]:
    rng = random.Random(seed)
    world = _World(rng, lookalikes)
    copy_count = _Ranked((1, 2, 3, 4), [1 - dup_rate, *(dup_rate * w / sum(copies) for w in copies)])
    ids = _LocalIds(rng)
    buffer: list[tuple[str, dict, str, str]] = []
    made = index = 0
    while made < size:
        entity = world.entity(index)
        index += 1
        systems = _pick_systems(rng, copy_count(rng))
        stale = rng.choice(systems) if len(systems) > 1 and entity.has_history() else None
        for system in systems:
            for again in range(2 if rng.random() < intra_system_dupes else 1):
                if made == size:
                    break
                older = system == stale or (again == 1 and rng.random() < 0.5)
                attributes, when = _render(entity, system, rng, older)
                buffer.append((system, attributes, when, entity.truth))
                made += 1
                if len(buffer) >= window:
                    i = int(rng.random() * len(buffer))
                    buffer[i], buffer[-1] = buffer[-1], buffer[i]
                    yield _record(ids, *buffer.pop())
    rng.shuffle(buffer)
    for item in buffer:
        yield _record(ids, *item)


def truth_pairs(records: Iterable[SynthRecord]) -> set[frozenset[tuple[str, str]]]:
    """Every pair of (system, local ID) that names one real-world entity."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for record in records:
        groups.setdefault(record.truth, []).append((record.system, record.local_id))
    return {frozenset((a, b)) for members in groups.values() for i, a in enumerate(members) for b in members[i + 1 :]}


def write(records: Iterable[SynthRecord], directory: str | Path) -> Summary:
    """Write ``{system}.jsonl`` per system (``mdm_import``'s shape) and ``truth.csv`` (system,local_id,truth)."""
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    counts: Counter[str] = Counter()
    sizes: Counter[str] = Counter()
    with ExitStack() as stack:
        files = {s: stack.enter_context(open(path / f"{s}.jsonl", "w", encoding="utf-8")) for s in SYSTEMS}
        truth = csv.writer(stack.enter_context(open(path / "truth.csv", "w", encoding="utf-8", newline="")))
        truth.writerow(("system", "local_id", "truth"))
        for record in records:
            files[record.system].write(json.dumps(record.import_line(), ensure_ascii=False) + "\n")
            truth.writerow((record.system, record.local_id, record.truth))
            counts[record.system] += 1
            sizes[record.truth] += 1
    pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    return Summary({s: counts[s] for s in SYSTEMS}, len(sizes), pairs)


def _record(ids: "_LocalIds", system: str, attributes: dict, when: str, truth: str) -> SynthRecord:
    return SynthRecord(system, "customer", ids(system), attributes, when, truth)


def _pick_systems(rng: random.Random, count: int) -> list[str]:
    names, weights = list(SYSTEMS), list(_SYSTEM_WEIGHTS)
    chosen = []
    for _ in range(count):
        i = bisect(list(accumulate(weights)), rng.random() * sum(weights))
        chosen.append(names.pop(i))
        weights.pop(i)
    return chosen


T = TypeVar("T")


class _Ranked(Generic[T]):
    """Draws from a list, weighted by explicit weights or by rank (the first entries are the most common)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, items: Sequence[T], weights: Sequence[float] | None = None) -> None:
        self.items = tuple(items)
        self.cum = list(accumulate(weights if weights is not None else [1 / (r + 3) for r in range(len(items))]))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> T:
        return self.items[min(bisect(self.cum, rng.random() * self.total), len(self.items) - 1)]


class _LocalIds:
    """Local IDs in each system's own style, handed out in the order records leave, so they carry no truth."""

    _B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.next = {
            "sap": 10_000_000 + rng.randrange(100_000),
            "odoo": 800 + rng.randrange(9_000),
            "zendesk": 360_000_000_000 + rng.randrange(10**9),
            "freshdesk": 48_000_000_000 + rng.randrange(10**8),
            "salesforce": 62**6 + rng.randrange(62**5),
        }
        self.step = {"sap": 3, "odoo": 3, "zendesk": 4000, "freshdesk": 900, "salesforce": 40}

    def __call__(self, system: str) -> str:
        if system == "servicenow":
            return f"{self.rng.getrandbits(128):032x}"
        n = self.next[system]
        self.next[system] = n + 1 + self.rng.randrange(self.step[system])
        if system == "sap":
            return f"{n:010d}"
        if system == "salesforce":
            return self._salesforce(n)
        return str(n)

    def _salesforce(self, n: int) -> str:
        digits = ""
        while n:
            n, r = divmod(n, 62)
            digits = self._B62[r] + digits
        base = "0015g0" + digits.rjust(9, "0")
        # The 18-character form appends one letter per five characters telling which of them are capitals.
        suffix = ""
        for chunk in (base[0:5], base[5:10], base[10:15]):
            flags = sum(1 << i for i, ch in enumerate(chunk) if "A" <= ch <= "Z")
            suffix += "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"[flags]
        return base + suffix


# --- the real world ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Phone:
    cc: str
    trunk: str
    area: str
    sub: str
    ext: str = ""


@dataclass(slots=True)
class _Place:
    street: str
    number: str
    unit: str
    city: data.City
    postcode: str


@dataclass(slots=True)
class _Entity:
    """A real-world customer: the values every system's record is a (distorted) copy of."""

    truth: str
    kind: str
    country: data.Country
    place: _Place
    when: float
    phone: _Phone | None = None
    email: str = ""
    alt_email: str = ""
    credit: str = "ok"
    limit: int = 0
    terms: int = 30
    active: bool = True
    # organizations
    core: str = ""  # the name without legal form: "Acme Logistics"
    short: str = ""  # the brand alone, where the name has one: "Acme"
    form: str = ""
    form_first: bool = False  # "Kabushiki Kaisha Yamada Shōji"
    shop: bool = False
    tax: str = ""
    domain: str = ""
    contact: str = ""  # the e-mail support platforms know: a person's or the helpdesk's
    # persons
    first: str = ""
    middle: str = ""
    last: str = ""
    female: bool = False
    birth: str = ""
    mobile: _Phone | None = None
    person_tax: str = ""
    # what some system may still hold
    old_place: _Place | None = None
    old_email: str = ""
    old_phone: _Phone | None = None
    old_name: str = ""  # the former name (organizations) or maiden name (persons)
    old_form: str = ""

    def has_history(self) -> bool:
        return bool(self.old_place or self.old_email or self.old_phone or self.old_name)


class _Tables:
    """One country's lists, ready to draw from."""

    def __init__(self, c: data.Country) -> None:
        self.cities = _Ranked(c.cities, [city.weight for city in c.cities])
        self.streets = _Ranked(c.streets)
        self.first = (_Ranked(c.first_m), _Ranked(c.first_f))
        self.last = _Ranked(c.last)
        heads, tails = data.SURNAME_PARTS[c.lang]
        joined = (
            f"{h.strip()} {t}".strip() if c.lang == "nl" else h + t for h in heads for t in tails if h.lower() != t
        )
        self.tail = tuple(dict.fromkeys(joined))  # "Lundlund" left out, duplicates dropped, order kept
        self.forms = _Ranked([f for f, _ in c.forms], [w for _, w in c.forms])
        self.freemail = _Ranked([d for d, _ in c.freemail], [w for _, w in c.freemail])
        self.trades = _Ranked(data.TRADES[c.lang])


_COUNTRIES = _Ranked(data.COUNTRIES, [c.weight for c in data.COUNTRIES])
_DIASPORA = tuple((_Ranked(m), _Ranked(f), _Ranked(last)) for m, f, last in data.DIASPORA)
_STEMS = _Ranked(data.STEMS)
_EN_TRADES = _Ranked(data.TRADES["en"])
_SISTER = ("Holding", "Group", "Service", "Services", "International", "Plus", "Nord", "West", "24")
_MIDDLE = {"en": 0.3, "de": 0.08, "sv": 0.2, "da": 0.15}
_EMAIL_PATTERNS = _Ranked(
    (
        "{f}.{l}",
        "{f}{l}",
        "{i}{l}",
        "{i}.{l}",
        "{f}.{l}{y}",
        "{f}{l}{n}",
        "{f}{y}",
        "{f}_{l}",
        "{l}.{f}",
        "{l}{n}",
        "{f}-{l}",
        "{l}{i}",
        "{f}.{l}.{y}",
    ),
    (30, 10, 10, 8, 8, 8, 5, 4, 4, 4, 3, 3, 3),
)


class _World:
    """Makes entities one at a time; about a third copy features of a recent entity to become its lookalike."""

    def __init__(self, rng: random.Random, lookalikes: float) -> None:
        self.rng = rng
        self.lookalikes = lookalikes
        self.tables = {c.code: _Tables(c) for c in data.COUNTRIES}
        self.recent: list[_Entity] = []
        self.emails: set[str] = set()
        self.domains: set[str] = set()
        self.tax_ids: set[str] = set()

    def entity(self, index: int) -> _Entity:
        rng = self.rng
        truth = f"T{index:08d}"
        if self.recent and rng.random() < self.lookalikes:
            model = self.recent[int(rng.random() * len(self.recent))]
            e = self._person_like(model, truth) if model.kind == "person" else self._org_like(model, truth)
        else:
            e = self._person(truth) if rng.random() < 0.4 else self._org(truth)
        self._history(e)
        if len(self.recent) < 4096:
            self.recent.append(e)
        else:
            self.recent[index % 4096] = e
        return e

    # persons

    def _person(
        self,
        truth: str,
        c: data.Country | None = None,
        *,
        first: str = "",
        last: str = "",
        female: bool | None = None,
        place: _Place | None = None,
        birth: str = "",
        phone: _Phone | None = None,
        email: str = "",
    ) -> _Entity:
        rng = self.rng
        c = c or _COUNTRIES(rng)
        t = self.tables[c.code]
        female = rng.random() < 0.5 if female is None else female
        origin = (
            rng.choice(_DIASPORA) if rng.random() < (0.04 if c.code in ("PL", "JP", "IT", "ES") else 0.12) else None
        )
        first = first or (origin[female](rng) if origin else t.first[female](rng))
        last = last or self._surname(c, female, origin)
        e = _Entity(truth, "person", c, place or self._place(c, residential=True), self._when())
        e.first, e.last, e.female = first, last, female
        middle = t.first[female](rng) if rng.random() < _MIDDLE.get(c.lang, 0.03) else ""
        e.middle = "" if middle == first else middle
        e.birth = birth or self._birth()
        e.mobile = self._mobile(c, e.place.city) if rng.random() < 0.85 else None
        e.phone = phone or (self._landline(c, e.place.city) if not e.mobile or rng.random() < 0.35 else None)
        e.email = email or self._person_email(c, first, last, e.birth)
        e.credit = "ok" if rng.random() < 0.9 else rng.choice(("hold", "blocked"))
        e.limit = rng.choice((500, 1000, 1000, 2000, 2500, 5000, 10000)) * (100 if c.code == "JP" else 1)
        e.terms = rng.choice((0, 0, 7, 14, 14, 30))
        e.active = rng.random() < 0.93
        if c.code == "ES" and rng.random() < 0.4:
            n = rng.randrange(10**7, 10**8)
            e.person_tax = f"{n}{'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23]}"
        return e

    def _person_like(self, m: _Entity, truth: str) -> _Entity:
        """A different person who shares a name, an address or a birth date with ``m``."""
        rng = self.rng
        c, t, r = m.country, self.tables[m.country.code], rng.random()
        if r < 0.3:  # a family member at the same address, often on the same landline and sometimes one e-mail
            female = rng.random() < 0.5
            first = t.first[female](rng)
            if first == m.first:
                first = t.first[female](rng)
            year = int(m.birth[:4]) + rng.choice((-2, 1, 3, 24, 27, 31, -26))
            return self._person(
                truth,
                c,
                first=first,
                last=_gendered(m.last, female) if c.code == "PL" else m.last,
                female=female,
                place=m.place,
                birth=self._birth(min(max(year, 1930), 2007)),
                phone=m.phone if rng.random() < 0.6 else None,
                email=m.email if rng.random() < 0.15 else "",
            )
        if r < 0.6:  # a namesake in the same city, a third of them born the same year
            year = int(m.birth[:4]) if rng.random() < 0.3 else None
            place = self._place(c, city=m.place.city, residential=True)
            return self._person(
                truth, c, first=m.first, last=m.last, female=m.female, place=place, birth=self._birth(year)
            )
        if r < 0.75:  # a namesake elsewhere in the country
            return self._person(truth, c, first=m.first, last=m.last, female=m.female)
        if r < 0.85:  # a near twin: same name and street, differing only in birth date or house number
            if rng.random() < 0.5:
                year = min(int(m.birth[:4]) + 28, 2006)
                return self._person(
                    truth, c, first=m.first, last=m.last, female=m.female, place=m.place, birth=self._birth(year)
                )
            place = _Place(
                m.place.street, _neighbour(m.place.number, rng), m.place.unit, m.place.city, m.place.postcode
            )
            return self._person(truth, c, first=m.first, last=m.last, female=m.female, place=place, birth=m.birth)
        near = data.NEAR_NAMES.get(m.first)  # a sibling or neighbour whose given name is one or two letters off
        first = rng.choice(near) if near else t.first[m.female](rng)
        female = first.endswith(("a", "e")) if near else m.female
        place = m.place if rng.random() < 0.3 else self._place(c, city=m.place.city, residential=True)
        return self._person(truth, c, first=first, last=m.last, female=female, place=place)

    def _surname(self, c: data.Country, female: bool, origin: tuple[_Ranked[str], ...] | None = None) -> str:
        rng = self.rng
        if origin:
            return origin[2](rng)
        t = self.tables[c.code]
        last = t.last(rng) if rng.random() < 0.55 else rng.choice(t.tail)
        if c.code == "ES" and rng.random() < 0.75:  # both family names, the father's first
            second = t.last(rng) if rng.random() < 0.6 else rng.choice(t.tail)
            last = f"{last} {second}" if second != last else last
        return _gendered(last, female) if c.code == "PL" else last

    def _person_email(self, c: data.Country, first: str, last: str, birth: str) -> str:
        rng = self.rng
        germanic = c.lang in ("de", "sv", "da") and rng.random() < 0.75  # Müller writes mueller@
        f, surname = _slug(first, germanic)[:20] or "x", _slug(last, germanic)[:24] or "x"
        local = _EMAIL_PATTERNS(rng).format(f=f, l=surname, i=f[0], y=birth[2:4], n=rng.randint(1, 99))
        domain = self.tables[c.code].freemail(rng)
        if rng.random() < 0.12:  # a work address at some company
            domain = self._some_domain(c) or domain
        address = f"{local}@{domain}"
        while address in self.emails:
            address = f"{local}{rng.randint(1, 9999)}@{domain}"
        self.emails.add(address)
        return address

    def _some_domain(self, c: data.Country) -> str:
        for _ in range(8):
            e = self.recent[int(self.rng.random() * len(self.recent))] if self.recent else None
            if e is not None and e.domain and e.country is c:
                return e.domain
        return ""

    # organizations

    def _org(
        self,
        truth: str,
        c: data.Country | None = None,
        *,
        core: str = "",
        short: str = "",
        form: str | None = None,
        place: _Place | None = None,
        city: data.City | None = None,
        domain: str | None = None,
    ) -> _Entity:
        rng = self.rng
        c = c or _COUNTRIES(rng)
        t = self.tables[c.code]
        e = _Entity(truth, "organization", c, place or self._place(c, city=city, residential=False), self._when())
        shop = False
        if not core:
            core, short, shop = self._org_core(c, e.place.city)
        e.core, e.short, e.shop = core, short, shop
        e.form = form if form is not None else ("" if shop and rng.random() < 0.5 else t.forms(rng))
        e.form_first = c.code == "JP" and rng.random() < 0.35
        e.tax = self._tax_id(c)
        e.domain = domain if domain is not None else ("" if shop and rng.random() < 0.45 else self._domain(core, c))
        e.phone = self._landline(c, e.place.city)
        if c.code in ("DE", "AT") and rng.random() < 0.4:
            e.phone.ext = "0"  # the switchboard: "030 123456-0"
        e.email, e.contact = self._org_emails(e)
        e.credit = rng.choices(("ok", "hold", "blocked"), (85, 10, 5))[0]
        e.limit = rng.choice((5, 10, 10, 20, 25, 50, 50, 75, 100, 150, 250, 500, 1000, 2500)) * 1000
        e.limit *= 100 if c.code == "JP" else 1
        e.terms = rng.choice((14, 30, 30, 30, 45, 60, 60, 90))
        e.active = rng.random() < 0.94
        return e

    def _org_like(self, m: _Entity, truth: str) -> _Entity:
        """A different company that shares a brand, a name, an address or a building with ``m``."""
        rng = self.rng
        c, r = m.country, rng.random()
        if r < 0.3:  # the brand in another city or country: a separate legal entity, often on the brand's website
            other = c if rng.random() < 0.6 else _COUNTRIES(rng)
            form = m.form if other is c else self.tables[other.code].forms(rng)
            shared = m.domain if m.domain and rng.random() < 0.6 else None
            e = self._org(truth, other, core=m.core, short=m.short, form=form, domain=shared)
            if shared:
                e.email = f"{_slug(e.place.city.name)[:20]}@{shared}"
            return e
        if r < 0.45:  # a subsidiary named after its city
            city = self.tables[c.code].cities(rng)
            core = f"{m.core} {city.name}"
            return self._org(truth, c, core=core, short=m.short, city=city, domain=m.domain or None)
        if r < 0.6:  # a sister company, often in the same building: "Acme Immobilien", "Müller Logistik Holding"
            trade = self.tables[c.code].trades(rng)
            core = f"{m.short} {trade}" if m.short and rng.random() < 0.6 else f"{m.core} {rng.choice(_SISTER)}"
            e = self._org(truth, c, core=core, short=m.short, place=m.place if rng.random() < 0.5 else None)
            if m.phone and rng.random() < 0.5:
                e.phone = _Phone(
                    m.phone.cc, m.phone.trunk, m.phone.area, m.phone.sub[:-2] + f"{rng.randrange(100):02d}"
                )
            return e
        if r < 0.85:  # an unrelated company with the same name in another city
            return self._org(truth, c, core=m.core, short=m.short, form=m.form)
        core = m.core  # a near namesake in the same city: one word more, or another legal form
        form = self.tables[c.code].forms(rng) if rng.random() < 0.5 else m.form
        if form == m.form:
            core = f"{m.core} {rng.choice(_SISTER)}"
        return self._org(truth, c, core=core, short=m.short, form=form, city=m.place.city)

    def _org_core(self, c: data.Country, city: data.City) -> tuple[str, str, bool]:
        rng = self.rng
        t = self.tables[c.code]
        english = c.lang not in ("en", "ja") and rng.random() < 0.2
        trade, lang = (_EN_TRADES(rng), "en") if english else (t.trades(rng), c.lang)
        r = rng.random()
        if r < 0.3:
            stem = _STEMS(rng)
            return _with_trade(stem, trade, lang, rng), stem, False
        if r < 0.48:
            return _with_trade(self._surname(c, False), trade, lang, rng), "", False
        if r < 0.54:
            partner = self._surname(c, False) if rng.random() < 0.5 else rng.choice(data.FAMILY_BUSINESS[c.lang])
            return f"{self._surname(c, False)} & {partner}", "", False
        if r < 0.6:
            return f"{city.name} {trade}", "", False
        if r < 0.7:
            brand = rng.choice(data.BRAND_HEADS) + rng.choice(data.BRAND_TAILS)
            return (f"{brand} {trade}" if rng.random() < 0.6 else brand), brand, False
        if r < 0.77:
            acronym = "".join(rng.choice("ABCDEFGHIKLMNPRSTUVW") for _ in range(rng.choice((2, 3, 3, 4))))
            return f"{acronym} {trade}", acronym, False
        template = rng.choice(data.SHOPS[c.lang])
        first = t.first[False](rng)
        return template.format(s=self._surname(c, False), f=first, c=city.name), "", True

    def _org_emails(self, e: _Entity) -> tuple[str, str]:
        rng = self.rng
        c = e.country
        if not e.domain:  # small firms on a free-mail account: one account is one firm's, as for persons
            local = ".".join(_slug(w) for w in e.core.split()[:2])[:40] or "info"
            domain = self.tables[c.code].freemail(rng)
            address = f"{local}@{domain}"
            while address in self.emails:
                address = f"{local}{rng.randint(1, 9999)}@{domain}"
            self.emails.add(address)
            return address, address
        billing = f"{rng.choice(data.BILLING_LOCAL[c.lang])}@{e.domain}"
        r = rng.random()
        if r < 0.3:
            return billing, billing
        if r < 0.7:
            t = self.tables[c.code]
            person = f"{_slug(t.first[rng.random() < 0.5](rng))[:20]}.{_slug(t.last(rng))[:24]}"
            return billing, f"{person}@{e.domain}"
        return billing, f"{rng.choice(data.SUPPORT_LOCAL)}@{e.domain}"

    def _domain(self, core: str, c: data.Country) -> str:
        rng = self.rng
        words = [w for w in (_slug(x, c.lang in ("de", "sv", "da")) for x in core.split()) if w][:3] or ["firm"]
        base = ("-" if rng.random() < 0.5 else "").join(words)
        base = base if len(base) <= 30 else words[0][:30]
        r = rng.random()
        tld = c.tld if r < 0.7 else "com" if r < 0.95 else "eu"
        domain = f"{base}.{tld}"
        while domain in self.domains:
            domain = f"{base}{rng.randint(1, 999)}.{tld}" if rng.random() < 0.5 else f"{base}-{c.code.lower()}.com"
        self.domains.add(domain)
        return domain

    def _tax_id(self, c: data.Country) -> str:
        tax = _TAX_IDS[c.tax](self.rng)
        while tax in self.tax_ids:  # redraw: every entity's tax ID is its own
            tax = _TAX_IDS[c.tax](self.rng)
        self.tax_ids.add(tax)
        return tax

    # shared

    def _history(self, e: _Entity) -> None:
        """Decide what this entity used to be: a system that missed the change still says so."""
        rng = self.rng
        c = e.country
        person = e.kind == "person"
        if rng.random() < 0.12:
            same_city = e.place.city if rng.random() < 0.55 else None
            e.old_place = self._place(c, city=same_city, residential=person)
        if rng.random() < 0.07:
            e.old_phone = self._landline(c, (e.old_place or e.place).city)
        if person and e.female and rng.random() < 0.06:
            e.old_name = self._surname(c, True)
            e.old_email = self._person_email(c, e.first, e.old_name, e.birth) if rng.random() < 0.6 else ""
        elif not person and rng.random() < 0.03:
            e.old_name, e.old_form = e.core, e.form
            if rng.random() < 0.6:
                e.form = self.tables[c.code].forms(rng)
            else:  # a new brand, same trade
                e.short = _STEMS(rng)
                e.core = _with_trade(e.short, e.core.split()[-1], c.lang, rng)
        if rng.random() < 0.1 and not e.old_email:
            if person:
                e.old_email = self._person_email(c, e.first, e.last, e.birth)
            elif e.domain:
                e.old_email = f"{rng.choice(data.BILLING_LOCAL[c.lang])}@{e.domain}"
        if rng.random() < 0.08:
            e.alt_email = self._person_email(c, e.first, e.last, e.birth) if person else e.contact

    def _place(self, c: data.Country, *, city: data.City | None = None, residential: bool) -> _Place:
        rng = self.rng
        t = self.tables[c.code]
        city = city or t.cities(rng)
        unit = ""
        if rng.random() < (0.4 if residential and c.lang not in ("de", "nl", "ja") else 0.15):
            template = rng.choice(data.UNITS[c.lang])
            name = f"{t.first[rng.random() < 0.5](rng)} {t.last(rng)}"
            unit = template.format(n=rng.randint(1, 9), L=rng.choice("ABCDE"), name=name)
        return _Place(t.streets(rng), _house_number(c, rng), unit, city, _postcode(c, city, rng))

    def _landline(self, c: data.Country, city: data.City) -> _Phone:
        rng = self.rng
        area = rng.choice(city.areas)
        length = max(c.nsn - len(area) + (rng.choice((-1, 0, 0, 1)) if c.code in ("DE", "AT") else 0), 5)
        return _Phone(c.calling, c.trunk, area, _digits(rng, length))

    def _mobile(self, c: data.Country, city: data.City) -> _Phone:
        if not c.mobile:
            return self._landline(c, city)
        prefix = self.rng.choice(c.mobile)
        return _Phone(c.calling, c.trunk, prefix, _digits(self.rng, c.mobile_nsn - len(prefix)))

    def _birth(self, year: int | None = None) -> str:
        rng = self.rng
        year = year or int(rng.triangular(1936, 2007, 1976))
        return date.fromordinal(date(year, 1, 1).toordinal() + rng.randrange(365)).isoformat()

    def _when(self) -> float:
        return _START + self.rng.random() * (_NOW - _START)


def _gendered(surname: str, female: bool) -> str:
    """Polish surnames in -ski/-cki/-dzki take -ska/-cka/-dzka for women."""
    if female and surname.endswith(("ski", "cki", "dzki")):
        return surname[:-1] + "a"
    if not female and surname.endswith(("ska", "cka", "dzka")):
        return surname[:-1] + "i"
    return surname


def _with_trade(owner: str, trade: str, lang: str, rng: random.Random) -> str:
    return f"{trade} {owner}" if rng.random() < data.TRADE_FIRST.get(lang, 0.0) else f"{owner} {trade}"


def _neighbour(number: str, rng: random.Random) -> str:
    """The house next door or across the street: "12a" -> "14a", "1-2-3" -> "1-2-4"."""
    match = _LAST_NUMBER.search(number)
    if match is None:
        return number + "a"
    old = int(match[1])
    new = old + rng.choice((-2, -1, 1, 2))
    new = new if new >= 1 else old + 1
    return number[: match.start(1)] + str(new) + match[2]


_LAST_NUMBER = re.compile(r"(\d+)(\D*)$")


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(2, 9)) + "".join(str(rng.randrange(10)) for _ in range(n - 1))


def _house_number(c: data.Country, rng: random.Random) -> str:
    if c.code == "JP":
        return f"{rng.randint(1, 5)}-{rng.randint(1, 20)}-{rng.randint(1, 30)}"
    r = rng.random()
    n = rng.randint(1, 40) if r < 0.7 else rng.randint(41, 160) if r < 0.95 else rng.randint(161, 400)
    if c.code in ("US", "CA", "AU") and rng.random() < 0.6:
        n = n * rng.choice((10, 25, 100)) + rng.randrange(10)
    r = rng.random()
    if r < 0.07 and c.code not in ("US", "CA", "FR", "ES"):
        return f"{n}{rng.choice('abc')}"
    if r < 0.1 and c.code == "FR":
        return f"{n} {rng.choice(('bis', 'ter'))}"
    if r < 0.12 and c.code in ("DE", "AT", "NL"):
        return f"{n}-{n + 2}"
    return str(n)


_RANGES: dict[str, tuple[int, int, int, int]] = {}
_LETTERS = {"gb": "ABDEFGHJLNPQRSTUWXYZ", "ca": "ABCEGHJKLMNPRSTVWXYZ", "ie": "ACDEFHKNPRTVWXY"}


def _postcode(c: data.Country, city: data.City, rng: random.Random) -> str:
    spec, fmt = city.postcodes, c.postfmt
    if fmt in ("gb", "ca", "ie"):
        head, letters = rng.choice(spec.split()), _LETTERS[fmt]
        if fmt == "gb":
            return f"{head} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
        if fmt == "ca":
            return f"{head} {rng.randint(0, 9)}{rng.choice(letters)}{rng.randint(0, 9)}"
        pool = letters + "0123456789"
        return f"{head} {rng.choice(letters)}{''.join(rng.choice(pool) for _ in range(3))}"
    if spec not in _RANGES:
        span, _, step = spec.partition("/")
        low, _, high = span.partition("-")
        _RANGES[spec] = (int(low), int(high or low), int(step or 1), len(low))
    low, high, step, width = _RANGES[spec]
    code = str(low + step * rng.randint(0, (high - low) // step)).zfill(width)
    if fmt == "se":
        return f"{code[:3]} {code[3:]}"
    if fmt == "pl":
        return f"{code[:2]}-{code[2:]}"
    if fmt == "jp":
        return f"{code[:3]}-{code[3:]}"
    if fmt == "nl":
        return f"{code} {rng.choice('ABCDEGHJKLMNPRTVWXZ')}{rng.choice('ABCDEGHJKLMNPRTVWXZ')}"
    return code


# --- tax IDs: real check digits where the scheme is short to compute ------------------------------------------


def _luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _luhn(rng: random.Random, n: int, first: str = "") -> str:
    body = first + "".join(str(rng.randrange(10)) for _ in range(n - 1 - len(first)))
    return next(body + str(d) for d in range(10) if _luhn_ok(body + str(d)))


def _mod11(rng: random.Random, weights: Sequence[int], first: str, rule: str) -> str:
    """Digits with a weighted mod-11 check digit: ``rest`` (PL NIP), ``complement`` (CH UID), ``zero`` (DK CVR)."""
    while True:
        body = first + "".join(str(rng.randrange(10)) for _ in range(len(weights) - len(first)))
        total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
        check = total % 11 if rule == "rest" else (11 - total % 11) % 11 if rule == "complement" else -total % 11
        if check < 10:
            return body + str(check)


def _tax_de(rng: random.Random) -> str:
    body = str(rng.randint(1, 9)) + "".join(str(rng.randrange(10)) for _ in range(7))
    product = 10
    for ch in body:  # ISO 7064 MOD 11,10
        total = (int(ch) + product) % 10 or 10
        product = (2 * total) % 11
    return f"DE{body}{(11 - product) % 10}"


def _tax_fr(rng: random.Random) -> str:
    siren = _luhn(rng, 9, str(rng.randint(3, 9)))
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def _tax_gb(rng: random.Random) -> str:
    body = str(rng.randint(1, 9)) + "".join(str(rng.randrange(10)) for _ in range(6))
    total = sum(int(d) * w for d, w in zip(body, range(8, 1, -1), strict=True))
    return f"GB{body}{-total % 97:02d}"


def _tax_au(rng: random.Random) -> str:
    acn = "".join(str(rng.randrange(10)) for _ in range(9))
    weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    for lead in range(10, 100):
        digits = [int(d) for d in f"{lead}{acn}"]
        digits[0] -= 1
        if sum(d * w for d, w in zip(digits, weights, strict=True)) % 89 == 0:
            return f"{lead}{acn}"
    return f"51{acn}"


def _tax_jp(rng: random.Random) -> str:
    body = "".join(str(rng.randrange(10)) for _ in range(12))
    total = sum(int(d) * (1 if i % 2 == 0 else 2) for i, d in enumerate(reversed(body)))
    return f"T{9 - total % 9}{body}"


def _tax_es(rng: random.Random) -> str:
    body = "".join(str(rng.randrange(10)) for _ in range(7))
    odd = sum(sum(divmod(int(d) * 2, 10)) for d in body[0::2])
    check = (10 - (odd + sum(int(d) for d in body[1::2])) % 10) % 10
    return f"ES{rng.choice('BBBBA')}{body}{check}"


_TAX_IDS = {
    "de": _tax_de,
    "at": lambda rng: f"ATU{rng.randrange(10**7, 10**8)}",
    "ch": lambda rng: "CHE" + _mod11(rng, (5, 4, 3, 2, 7, 6, 5, 4), "1", "complement"),
    "fr": _tax_fr,
    "it": lambda rng: "IT" + _luhn(rng, 11, "0"),
    "es": _tax_es,
    "nl": lambda rng: f"NL{rng.randrange(10**8, 10**9)}B01",
    "gb": _tax_gb,
    "ie": lambda rng: f"IE{rng.randrange(10**6, 10**7)}{rng.choice('ABCDEFGHKLMNPTW')}",
    "us": lambda rng: f"{rng.randint(10, 99)}-{rng.randrange(10**6, 10**7)}",
    "ca": lambda rng: _luhn(rng, 9, str(rng.randint(1, 8))) + "RT0001",
    "au": _tax_au,
    "se": lambda rng: "SE" + _luhn(rng, 10, "55") + "01",
    "dk": lambda rng: "DK" + _mod11(rng, (2, 7, 6, 5, 4, 3, 2), "3", "zero"),
    "pl": lambda rng: "PL" + _mod11(rng, (6, 5, 7, 2, 3, 4, 5, 6, 7), "5", "rest"),
    "jp": _tax_jp,
}


# --- how each system holds an entity ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Profile:
    """A system's habits: which fields it keeps, how it writes them, how careful the people typing are."""

    erp: bool
    form: tuple[float, float]  # chance of the legal form as registered, of a variant; otherwise it is left out
    upper: float  # the record typed in capitals, as on legacy ERP screens
    fold: float  # accents lost on the way in
    tax: float
    email: float
    phone: float
    website: float
    address: float
    person_address: float
    region: float
    credit: float
    birth: float
    split: float  # persons held as first and last name rather than in one name field
    nickname: float
    typo: float
    abbrev: float
    phones: _Ranked
    stamp: str
    name_max: int = 255  # SAP's NAME1 holds 35 characters; the rest often goes nowhere


def _styles(**weights: int) -> _Ranked:
    return _Ranked(list(weights), list(weights.values()))


_ISO_Z = "%Y-%m-%dT%H:%M:%SZ"
_PROFILES = {
    "sap": _Profile(
        erp=True, form=(0.72, 0.18), upper=0.25, fold=0.12, tax=0.88, email=0.55, phone=0.8, website=0.3,
        address=0.97, person_address=0.92, region=0.7, credit=0.95, birth=0.45, split=0.7, nickname=0.02,
        typo=0.05, abbrev=0.45, stamp=_ISO_Z, name_max=35,
        phones=_styles(local=25, national=30, slash=10, intl=15, double0=8, e164=5, digits=7),
    ),
    "odoo": _Profile(
        erp=True, form=(0.62, 0.28), upper=0.02, fold=0.03, tax=0.72, email=0.78, phone=0.8, website=0.5,
        address=0.92, person_address=0.85, region=0.45, credit=0.75, birth=0.2, split=0.35, nickname=0.03,
        typo=0.05, abbrev=0.3, stamp="%Y-%m-%d %H:%M:%S",
        phones=_styles(intl=55, e164=15, local=15, national=15),
    ),
    "zendesk": _Profile(
        erp=False, form=(0.12, 0.16), upper=0.0, fold=0.04, tax=0.03, email=0.88, phone=0.45, website=0.55,
        address=0.3, person_address=0.12, region=0.3, credit=0.0, birth=0.02, split=0.1, nickname=0.12,
        typo=0.08, abbrev=0.25, stamp=_ISO_Z,
        phones=_styles(e164=35, intl=25, local=20, national=15, dash=5),
    ),
    "servicenow": _Profile(
        erp=False, form=(0.35, 0.22), upper=0.04, fold=0.05, tax=0.1, email=0.6, phone=0.7, website=0.35,
        address=0.75, person_address=0.4, region=0.5, credit=0.04, birth=0.05, split=0.9, nickname=0.08,
        typo=0.07, abbrev=0.3, stamp="%Y-%m-%d %H:%M:%S",
        phones=_styles(intl=30, local=30, national=20, e164=15, intl0=5),
    ),
    "freshdesk": _Profile(
        erp=False, form=(0.15, 0.15), upper=0.0, fold=0.04, tax=0.02, email=0.92, phone=0.55, website=0.5,
        address=0.25, person_address=0.1, region=0.3, credit=0.0, birth=0.0, split=0.05, nickname=0.12,
        typo=0.08, abbrev=0.25, stamp=_ISO_Z,
        phones=_styles(local=30, national=25, intl=25, e164=15, paren=5),
    ),
    "salesforce": _Profile(
        erp=False, form=(0.45, 0.25), upper=0.02, fold=0.02, tax=0.25, email=0.75, phone=0.82, website=0.68,
        address=0.88, person_address=0.6, region=0.75, credit=0.25, birth=0.35, split=0.95, nickname=0.06,
        typo=0.06, abbrev=0.3, stamp="%Y-%m-%dT%H:%M:%S.000+0000",
        phones=_styles(local=40, intl=30, national=20, e164=10),
    ),
}  # fmt: skip


def _render(e: _Entity, system: str, rng: random.Random, stale: bool) -> tuple[dict, str]:
    """One system's record of ``e``; ``stale`` records still hold what the entity used to be."""
    p = _PROFILES[system]
    c = e.country
    a: dict = {}
    if e.kind == "person":
        _person_names(a, e, p, rng, stale)
        if e.person_tax and p.erp and rng.random() < 0.6:
            a["tax_id"] = e.person_tax
    else:
        a["kind"] = "organization"
        a["name"] = _org_name(e, p, rng, stale)
        if rng.random() < p.tax:
            a["tax_id"] = _tax_text(c, e.tax, p.erp, rng)
    if not p.erp and rng.random() < 0.04:
        del a["kind"]  # a platform that never heard of the distinction
    if rng.random() < p.email:
        a["email"] = _email(e, p, rng, stale)
    if rng.random() < p.phone and (e.phone or e.mobile):
        a["phone"] = _phone(e, p, rng, stale)
    if e.domain and e.kind == "organization" and rng.random() < p.website:
        a["website"] = _website(e.domain, rng)
    if e.birth and rng.random() < p.birth:
        a["birth_date"] = _birth_text(e.birth, p.erp, rng)
    if rng.random() < (p.address if e.kind == "organization" else p.person_address):
        a["address"] = _address(e, p, rng, stale)
    if rng.random() < p.credit:
        _credit(a, e, system, rng)
    if rng.random() < 0.93:
        a["status"] = "active" if e.active or (stale and rng.random() < 0.5) else "inactive"
    _case_and_charset(a, p, c.lang, rng)
    _fit(a)
    t = e.when - ((400 + rng.random() * 1500) if stale else rng.random() * 400) * _DAY
    return a, datetime.fromtimestamp(t, UTC).strftime(p.stamp)


# names


def _person_names(a: dict, e: _Entity, p: _Profile, rng: random.Random, stale: bool) -> None:
    c = e.country
    first = _given_name(e.first, p, rng)
    last = _family_name(e.old_name if stale and e.old_name else e.last, c, rng)
    middle = ""
    if e.middle and rng.random() < (0.5 if p.erp else 0.2):
        middle = e.middle if rng.random() < 0.5 else e.middle[0] + "."
    if rng.random() < p.typo:
        first = _typo(first, rng)
    if rng.random() < p.typo:
        last = _typo(last, rng)
    if c.code == "JP":
        style = rng.random()
        first, last = _long_vowels(first, style), _long_vowels(last, style)
    family_first = c.code == "JP" or e.last in data.FAMILY_FIRST
    if p.erp and rng.random() < 0.015:  # a sole trader the ERP keeps as a company
        a["kind"] = "organization"
        a["name"] = f"{first} {last}"
        return
    a["kind"] = "person"
    if rng.random() < p.split:
        if rng.random() < (0.2 if family_first else 0.025):
            first, last = last, first
        if rng.random() > 0.03:
            a["first_name"] = f"{first} {middle}" if middle else first
        a["last_name"] = last
        return
    a["name"] = _full_name(first, middle, last, e, p, rng, family_first)


def _full_name(
    first: str, middle: str, last: str, e: _Entity, p: _Profile, rng: random.Random, family_first: bool
) -> str:
    r = rng.random()
    if r < (0.3 if family_first else 0.05):
        text = f"{last.upper() if e.country.code == 'JP' and rng.random() < 0.4 else last} {first}"
    elif r < 0.17:
        text = f"{last}, {first}"
    elif r < 0.23:
        male, female, academic = data.TITLES[e.country.lang]
        titles = (
            academic if rng.random() < 0.25 or not (female if e.female else male) else (female if e.female else male)
        )
        text = f"{rng.choice(titles)} {first} {last}"
    elif r < 0.25 and not p.erp:
        text = f"{first} {last[0]}."
    else:
        text = " ".join(x for x in (first, middle, last) if x)
    return text.lower() if not p.erp and rng.random() < 0.05 else text


def _given_name(first: str, p: _Profile, rng: random.Random) -> str:
    r = rng.random()
    if r < p.nickname and first in data.NICKNAMES:
        return rng.choice(data.NICKNAMES[first])
    if r < p.nickname + 0.03:
        return first[0] + ("." if rng.random() < 0.7 else "")
    if first in data.TRANSLITERATIONS and rng.random() < 0.5:
        return rng.choice(data.TRANSLITERATIONS[first])
    if ("-" in first or " " in first) and rng.random() < 0.35:  # "Hans-Peter", "José Luis"
        return first.replace("-", " ") if rng.random() < 0.4 else first.replace(" ", "-").split("-")[0]
    return first


def _family_name(last: str, c: data.Country, rng: random.Random) -> str:
    r = rng.random()
    if c.code == "ES" and " " in last and r < 0.35:  # one family name of two, or both hyphenated
        return last.split(" ")[0] if r < 0.27 else last.replace(" ", "-")
    if last in data.TRANSLITERATIONS and r < 0.4:
        return rng.choice(data.TRANSLITERATIONS[last])
    if c.code == "NL" and " " in last and r < 0.25:  # "van der Berg", "Van der Berg", "v.d. Berg"
        if r < 0.15:
            return last[0].upper() + last[1:]
        return "v.d. " + last.split(" ")[-1] if r < 0.19 else last.replace(" ", "")
    if last.startswith(("Mc", "Mac")) and r < 0.1:
        return last.replace("Mc", "Mc ", 1) if r < 0.05 else last.capitalize()
    if "'" in last and r < 0.2:
        return last.replace("'", rng.choice(("", " ", "\u2019")))
    if c.code in ("IT", "FR") and " " in last and r < 0.15:
        return last.replace(" ", "") if r < 0.1 else last.lower().capitalize()
    return last


def _org_name(e: _Entity, p: _Profile, rng: random.Random, stale: bool) -> str:
    core, form = (e.old_name, e.old_form) if stale and e.old_name else (e.core, e.form)
    if not p.erp:
        r = rng.random()
        if r < 0.15 and e.short and e.short != core:  # the brand alone: "Acme"
            core = e.short
        elif r < 0.25 and e.place.city.name not in core:  # the account named after its site: "Acme - Berlin"
            city = e.place.city.name
            core = f"{core} ({city})" if r < 0.17 else f"{core}{rng.choice((' - ', ' ', ', '))}{city}"
    if rng.random() < 0.02 and " " in core:
        head, _, rest = core.partition(" ")
        core = f"{rest} {head}"
    r = rng.random()
    text = ""
    if form and r < p.form[0]:
        text = form
    elif form and r < p.form[0] + p.form[1]:
        text = rng.choice(data.FORM_VARIANTS.get(form, (form,)))
    name = f"{text} {core}" if text and e.form_first and text == form else f"{core} {text}".strip()
    if p.erp and rng.random() < 0.02:
        name += rng.choice((" - ", " ", ", ")) + rng.choice(data.DEPARTMENTS[e.country.lang])
    name = _name_noise(name, e.country.lang, p, rng)
    if e.country.code == "JP":
        name = _long_vowels(name, rng.random())
    if len(name) > p.name_max and rng.random() < 0.6:
        name = name[: p.name_max].rstrip()
    return name


def _name_noise(name: str, lang: str, p: _Profile, rng: random.Random) -> str:
    if rng.random() < p.abbrev * 0.5:
        variants = data.NAME_VARIANTS
        words = name.split(" ")
        name = " ".join(rng.choice(variants[w]) if w in variants and rng.random() < 0.7 else w for w in words)
    word = data.AND_WORD[lang]
    if " & " in name and rng.random() < 0.3:
        name = name.replace(" & ", f" {rng.choice((word, 'and', '+', '&amp;'))} ", 1)
    elif f" {word} " in name and rng.random() < 0.3:
        name = name.replace(f" {word} ", " & ", 1)
    if rng.random() < p.typo:
        name = _typo(name, rng)
    r = rng.random()
    if r < 0.04:
        name = name.replace(".", "").replace(",", "")
    elif r < 0.06:
        name = name.replace("-", " ")
    elif r < 0.08:
        name = name.replace(" ", "  ", 1) if rng.random() < 0.5 else name + " "
    elif r < 0.09 and lang == "en":
        name = name.removeprefix("The ") if name.startswith("The ") else "The " + name
    return name


def _long_vowels(text: str, style: float) -> str:
    """Japanese long vowels, one writing per record: kept (15%), plain (55%), doubled (20%) or with h (10%)."""
    if style < 0.15 or not any(ch in text for ch in "ōūŌ"):
        return text
    i = 0 if style < 0.7 else 1 if style < 0.9 else 2
    for vowel, forms in data.LONG_VOWELS.items():
        text = text.replace(vowel, forms[min(i, len(forms) - 1)])
    return text


# contact data


def _email(e: _Entity, p: _Profile, rng: random.Random, stale: bool) -> str:
    if rng.random() < 0.003:
        return rng.choice(data.DUMMY_EMAILS)  # placeholders shared by strangers
    if stale and e.old_email:
        address = e.old_email
    elif e.alt_email and rng.random() < 0.3:
        address = e.alt_email
    else:
        address = e.email if e.kind == "person" or p.erp else e.contact
    local, _, domain = address.partition("@")
    r = rng.random()
    if r < 0.06:
        local, domain = ".".join(x.capitalize() for x in local.split(".")), domain.capitalize()
    elif r < 0.08:
        local, domain = local.upper(), domain.upper()
    elif r < 0.11 and domain in ("gmail.com", "outlook.com", "icloud.com", "outlook.de"):
        local += "+" + rng.choice(("shop", "support", "news", "invoices", "2024"))
    elif r < 0.13 and domain == "gmail.com":
        local, domain = (local.replace(".", ""), domain) if rng.random() < 0.6 else (local, "googlemail.com")
    elif r < 0.14:
        head, _, tld = domain.rpartition(".")
        domain = f"{_typo(head, rng)}.{tld}"
    elif r < 0.145:
        local = _typo(local, rng)
    return f"{local[:64]}@{domain}"


def _phone(e: _Entity, p: _Profile, rng: random.Random, stale: bool) -> str:
    c = e.country
    if e.kind == "person":
        prefer_landline = p.erp and rng.random() < 0.6
        phone = (e.phone if prefer_landline else e.mobile) or e.phone or e.mobile
    else:
        phone = e.phone
        if phone and not p.erp and rng.random() < 0.35:  # the contact's direct line instead of the switchboard
            if c.code in ("DE", "AT", "CH") or rng.random() < 0.4:
                phone = _Phone(phone.cc, phone.trunk, phone.area, phone.sub, str(rng.randint(10, 899)))
            else:
                phone = _Phone(phone.cc, phone.trunk, phone.area, phone.sub[:-3] + f"{rng.randrange(1000):03d}")
    if stale and e.old_phone:
        phone = e.old_phone
    if phone is None or rng.random() < 0.005:
        return rng.choice(data.DUMMY_PHONES)
    return _phone_text(c, phone, p.phones(rng), rng)


_NANP = (
    "({a}) {s3}-{s4}",
    "{a}-{s3}-{s4}",
    "{a}.{s3}.{s4}",
    "1-{a}-{s3}-{s4}",
    "1 ({a}) {s3}-{s4}",
    "+1 {a}-{s3}-{s4}",
)


def _phone_text(c: data.Country, ph: _Phone, style: str, rng: random.Random) -> str:
    t, a, s, cc = ph.trunk, ph.area, ph.sub, ph.cc
    if style == "local":
        if cc == "1":
            text = rng.choice(_NANP).format(a=a, s3=s[:3], s4=s[3:])
        else:
            text = c.local.format(t=t, a=a, s=_group(s, c.groups, c.sep))
    elif style in ("national", "slash", "dash"):
        text = f"{t}{a}{' /-'[('national', 'slash', 'dash').index(style)]}{s}"
    elif style == "paren":
        text = f"({t}{a}) {s}"
    elif style == "intl":
        text = f"+{cc} {a} {s}"
    elif style == "intl0":
        text = f"+{cc} ({t}){a} {s}" if t else f"+{cc} {a} {s}"
    elif style == "e164":
        text = f"+{cc}{a}{s}"
    elif style == "double0":
        text = f"00{cc} {a} {s}" if rng.random() < 0.6 else f"00{cc}{a}{s}"
    else:
        text = f"{t}{a}{s}"
    if ph.ext:
        if c.code in ("DE", "AT", "CH"):  # the extension is dialled as part of the number
            text += ph.ext if style in ("e164", "digits") else "-" + ph.ext
        else:
            text += rng.choice((" ext. ", " x", " Ext ", " #")) + ph.ext
    return " ".join(text.split())


def _group(digits: str, groups: tuple[int, ...], sep: str) -> str:
    """Split a subscriber number into groups counted from the right; a single leftover digit joins the next group."""
    parts, end = [], len(digits)
    for size in groups:
        if end - size < 1:
            break
        parts.append(digits[end - size : end])
        end -= size
    head = digits[:end]
    if len(head) == 1 and parts:
        parts[-1] = head + parts[-1]
    elif head:
        parts.append(head)
    return sep.join(reversed(parts))


def _website(domain: str, rng: random.Random) -> str:
    r = rng.random()
    scheme = (
        "https://www."
        if r < 0.35
        else "http://www."
        if r < 0.5
        else "www."
        if r < 0.75
        else "https://"
        if r < 0.85
        else ""
    )
    return scheme + domain + ("/" if rng.random() < 0.1 else "")


def _birth_text(birth: str, erp: bool, rng: random.Random) -> str:
    r = rng.random()
    y, m, d = birth.split("-")
    if r < 0.012 and int(d) <= 12 and d != m:  # day and month swapped on the way through a US-format form
        return f"{y}-{d}-{m}"
    if r < 0.02:
        candidate = f"{y[:2]}{y[3]}{y[2]}-{m}-{d}"
        return candidate if m != "02" or d != "29" else birth
    if r < 0.025 and erp:
        return rng.choice(("1900-01-01", "1970-01-01"))
    if r < 0.035:  # stored as midnight local time, read back in UTC
        return date.fromordinal(date.fromisoformat(birth).toordinal() - 1).isoformat()
    if r < 0.06 and not erp:
        return birth + "T00:00:00"
    return birth


# addresses


_POST_PREFIX = {"DE": "D", "AT": "A", "CH": "CH", "FR": "F", "IT": "I", "NL": "NL", "DK": "DK", "SE": "S", "PL": "PL"}


def _address(e: _Entity, p: _Profile, rng: random.Random, stale: bool) -> dict:
    c = e.country
    place = e.old_place if stale and e.old_place else e.place
    out: dict = {}
    if p.erp and e.kind == "organization" and rng.random() < 0.04:  # invoices go to a post-office box
        out["line1"] = c.po_box.format(n=rng.randint(10, 99_999))
        postcode = _postcode(c, place.city, rng)
    else:
        line1, line2 = _street_lines(c, place, p, rng)
        if rng.random() < 0.97:
            out["line1"] = line1
        if line2:
            out["line2"] = line2
        postcode = place.postcode
    if rng.random() < 0.94:
        out["postal_code"] = _postcode_noise(c, postcode, rng)
    if rng.random() < 0.97:
        city = place.city
        out["city"] = rng.choice(city.variants) if city.variants and rng.random() < 0.18 else city.name
    if rng.random() < p.region:
        city = place.city
        out["region"] = (
            rng.choice(city.region_variants) if city.region_variants and rng.random() < 0.45 else city.region
        )
    if rng.random() < (0.99 if p.erp else 0.9):
        out["country"] = "UK" if c.code == "GB" and not p.erp and rng.random() < 0.12 else c.code
    return out


def _street_lines(c: data.Country, place: _Place, p: _Profile, rng: random.Random) -> tuple[str, str]:
    street = _street_variant(place.street, c.lang, rng) if rng.random() < p.abbrev else place.street
    number, unit = place.number, place.unit
    if number[-1:].isalpha() and rng.random() < 0.3:
        number = number[:-1] + rng.choice((" ", "", "-")) + rng.choice((number[-1], number[-1].upper()))
    if c.code == "AU" and unit.startswith("Unit ") and rng.random() < 0.4:
        number, unit = f"{unit[5:]}/{number}", ""
    elif c.code == "PL" and unit.startswith("m. ") and rng.random() < 0.5:
        number, unit = f"{number}/{unit[3:]}", ""
    r = rng.random()
    if c.code == "JP":
        line = _jp_line(_long_vowels(street, rng.random()), number, r)
    elif r < 0.02:
        return street, number  # the house number in a field of its own, mapped to the second line
    elif c.number_first:
        line = f"{street} {number}" if r < 0.04 else f"{number}, {street}" if r < 0.15 else f"{number} {street}"
    elif c.lang in ("it", "es") and r < 0.5:
        line = f"{street}, {number}" if r < 0.42 else f"{street} {'n.' if c.lang == 'it' else 'nº'} {number}"
    elif r < 0.05 and street.endswith("."):
        line = f"{street}{number}"
    else:
        line = f"{number} {street}" if r < 0.065 else f"{street} {number}"
    if unit:
        r = rng.random()
        if r < 0.55:
            return line, unit
        if r < 0.78:
            return f"{line}, {unit}", ""
    return line, ""


def _jp_line(street: str, number: str, r: float) -> str:
    chome, _, rest = number.partition("-")
    if r < 0.4:
        return f"{number} {street}"
    if r < 0.65:
        return f"{street} {number}"
    if r < 0.85:
        return f"{chome}-chome-{rest} {street}"
    return f"{street} {chome}-chome {rest}"


def _street_variant(street: str, lang: str, rng: random.Random) -> str:
    words, endings = data.STREET_WORDS.get(lang, {}), data.STREET_ENDINGS.get(lang, ())
    out = []
    for token in street.split(" "):
        head, _, last = token.rpartition("-")
        if last in words:
            last = rng.choice(words[last])
        else:
            for ending, forms in endings:
                if last.endswith(ending):
                    last = last[: -len(ending)] + rng.choice(forms)
                    break
        out.append(f"{head}-{last}" if head else last)
    text = " ".join(out)
    return text.replace("-", " ") if lang == "de" and rng.random() < 0.2 else text


def _postcode_noise(c: data.Country, code: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.015:
        return _digit_typo(code, rng)
    if r < 0.025 and code[:1] == "0" and code.isdigit():  # a spreadsheet took it for a number
        return code.lstrip("0") or "0"
    if r < 0.04 and c.code in _POST_PREFIX:
        return f"{_POST_PREFIX[c.code]}-{code}"
    if r < 0.07 and (" " in code or "-" in code):
        return code.replace(" ", "").replace("-", "")
    if r < 0.08 and c.postfmt in ("gb", "ca", "ie", "nl"):
        return code.lower()
    if r < 0.11 and c.code == "US":
        return f"{code}-{rng.randint(1000, 9999)}"
    return code


def _digit_typo(text: str, rng: random.Random) -> str:
    positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    if not positions:
        return text
    i = rng.choice(positions)
    if i + 1 < len(text) and text[i + 1].isdigit() and rng.random() < 0.5:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + str((int(text[i]) + rng.choice((1, 9))) % 10) + text[i + 1 :]


# tax IDs, credit


def _tax_text(c: data.Country, tax: str, erp: bool, rng: random.Random) -> str:
    if rng.random() < 0.005:
        return rng.choice(data.DUMMY_TAX_IDS)
    if erp and c.code in _OTHER_IDS and rng.random() < 0.05:  # a national register number instead of the VAT ID
        text = _OTHER_IDS[c.code](int("".join(ch for ch in tax if ch.isdigit())) * 7919 % 10**10)
    else:
        text = tax if rng.random() < 0.55 else rng.choice(_TAX_FORMS[c.tax](tax))
    if rng.random() < 0.012:
        text = _digit_typo(text, rng)
    return text.lower() if rng.random() < 0.03 else text


_OTHER_IDS = {
    "DE": lambda n: f"{n % 100:02d}/{n // 100 % 1000:03d}/{n // 10**5 % 10**5:05d}",  # Steuernummer
    "GB": lambda n: f"{n % 10**8:08d}",  # Companies House number
    "NL": lambda n: f"{n % 10**8:08d}",  # KvK number
}
_TAX_FORMS = {
    "de": lambda t: (f"DE {t[2:5]} {t[5:8]} {t[8:]}", f"DE {t[2:]}", t[2:], f"DE-{t[2:]}"),
    "at": lambda t: (f"ATU {t[3:]}", f"AT U{t[3:]}", t[2:]),
    "ch": lambda t: (f"CHE-{t[3:6]}.{t[6:9]}.{t[9:]} MWST", f"CHE-{t[3:6]}.{t[6:9]}.{t[9:]}",
                     f"CHE-{t[3:6]}.{t[6:9]}.{t[9:]} TVA"),
    "fr": lambda t: (f"FR {t[2:4]} {t[4:7]} {t[7:10]} {t[10:]}", f"{t[4:7]} {t[7:10]} {t[10:]}", f"{t[4:]}000{t[-2:]}"),
    "it": lambda t: (f"IT {t[2:]}", t[2:]),
    "es": lambda t: (f"ES-{t[2:]}", t[2:], f"{t[2]}-{t[3:]}"),
    "nl": lambda t: (f"NL {t[2:6]}.{t[6:8]}.{t[8:11]}.{t[11:]}", t[2:], f"NL{t[2:11]}.{t[11:]}"),
    "gb": lambda t: (f"GB {t[2:5]} {t[5:9]} {t[9:]}", t[2:], f"{t[2:5]} {t[5:9]} {t[9:]}"),
    "ie": lambda t: (f"IE {t[2:]}", t[2:]),
    "us": lambda t: (t.replace("-", ""), f"{t[:2]} {t[3:]}"),
    "ca": lambda t: (t[:9], f"{t[:9]} RT 0001", f"{t[:9]} RT0001"),
    "au": lambda t: (f"{t[:2]} {t[2:5]} {t[5:8]} {t[8:]}", f"ABN {t[:2]} {t[2:5]} {t[5:8]} {t[8:]}",
                     f"{t[2:5]} {t[5:8]} {t[8:]}"),
    "se": lambda t: (f"{t[2:8]}-{t[8:12]}", f"SE {t[2:]}", t[2:12]),
    "dk": lambda t: (f"DK {t[2:4]} {t[4:6]} {t[6:8]} {t[8:]}", t[2:], f"CVR {t[2:]}"),
    "pl": lambda t: (f"{t[2:5]}-{t[5:8]}-{t[8:10]}-{t[10:]}", t[2:], f"PL {t[2:]}",
                     f"NIP {t[2:5]}-{t[5:7]}-{t[7:9]}-{t[9:]}"),
    "jp": lambda t: (t[1:], f"T {t[1:]}", f"T{t[1:5]}-{t[5:9]}-{t[9:]}"),
}  # fmt: skip


def _credit(a: dict, e: _Entity, system: str, rng: random.Random) -> None:
    a["credit_status"] = e.credit if rng.random() < 0.94 else rng.choice(("ok", "hold", "blocked"))
    if rng.random() < 0.9:
        a["credit_limit"] = f"{e.limit}.00" if system == "sap" else float(e.limit) if system == "odoo" else str(e.limit)
    if rng.random() < 0.92:
        a["currency"] = e.country.currency if rng.random() < 0.9 else rng.choice(("EUR", "USD"))
    if rng.random() < 0.85:
        days = e.terms
        if system == "sap":
            a["payment_terms"] = "0001" if days == 0 else f"ZB{days:02d}"
        elif system == "odoo":
            a["payment_terms"] = "Immediate Payment" if days == 0 else f"{days} Days"
        else:
            a["payment_terms"] = "Due on receipt" if days == 0 else f"Net {days}"


# text


_LIMITS = {"name": 255, "first_name": 120, "last_name": 120, "tax_id": 40, "phone": 40, "website": 255}
_ADDRESS_LIMITS = {"line1": 255, "line2": 255, "city": 120, "postal_code": 20, "region": 120}


def _case_and_charset(a: dict, p: _Profile, lang: str, rng: random.Random) -> None:
    upper, fold = rng.random() < p.upper, rng.random() < p.fold
    mojibake = rng.random() < 0.003
    if not (upper or fold or mojibake):
        return
    translit = lang in ("de", "sv", "da") and rng.random() < 0.6
    address = a.get("address", {})
    for target, keys in ((a, ("name", "first_name", "last_name")), (address, ("line1", "line2", "city", "region"))):
        for key in keys:
            if key not in target:
                continue
            text = target[key]
            if mojibake:  # UTF-8 read as Windows-1252 somewhere upstream
                with suppress(UnicodeDecodeError):
                    text = text.encode("utf-8").decode("cp1252")
            elif fold:
                text = _transliterate(text) if translit else _strip_accents(text)
            target[key] = text.upper() if upper else text


def _fit(a: dict) -> None:
    for key, limit in _LIMITS.items():
        if key in a and len(a[key]) > limit:
            a[key] = a[key][:limit]
    address = a.get("address")
    if address:
        for key, limit in _ADDRESS_LIMITS.items():
            if key in address and len(address[key]) > limit:
                address[key] = address[key][:limit]


_SPECIAL = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l",
                          "Ł": "L", "đ": "d", "\u0131": "i", "\u2019": "'"})  # fmt: skip
_GERMANIC = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "å": "aa",
                           "Å": "Aa", "ø": "oe", "Ø": "Oe", "æ": "ae", "Æ": "Ae"})  # fmt: skip


@lru_cache(maxsize=65536)
def _strip_accents(text: str) -> str:
    """Müller -> Muller, Łódź -> Lodz."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def _transliterate(text: str) -> str:
    """Müller -> Mueller, Jørgensen -> Joergensen, the way German and Nordic keyboards without them write it."""
    return _strip_accents(text.translate(_GERMANIC))


@lru_cache(maxsize=65536)
def _slug(text: str, germanic: bool = False) -> str:
    """Lower-case ASCII letters and digits, as in e-mail addresses and domains."""
    folded = _transliterate(text) if germanic else _strip_accents(text)
    return "".join(ch for ch in folded.lower() if ch.isalnum() and ch.isascii())


def _keyboard() -> dict[str, str]:
    rows = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    near: dict[str, str] = {}
    for r, row in enumerate(rows):
        for i, ch in enumerate(row):
            keys = row[max(i - 1, 0) : i] + row[i + 1 : i + 2]
            for other in (r - 1, r + 1):
                if 0 <= other < len(rows):
                    keys += rows[other][max(i - 1, 0) : i + 1]
            near[ch] = keys
    return near


_NEAR_KEYS = _keyboard()


def _typo(text: str, rng: random.Random) -> str:
    """One slip of the hand: two letters swapped, one dropped, one doubled or stray, or a neighbouring key."""
    n = len(text)
    if n < 4:
        return text
    for _ in range(5):
        i = 1 + rng.randrange(n - 1)  # people rarely miss the first letter
        if text[i].isalpha():
            break
    else:
        return text
    ch, r = text[i], rng.random()
    near = _NEAR_KEYS.get(ch.lower(), "")
    if r < 0.3 and i + 1 < n and text[i + 1].isalpha() and text[i + 1] != ch:
        return text[:i] + text[i + 1] + ch + text[i + 2 :]
    if r < 0.55 or not near:
        return text[:i] + text[i + 1 :]
    if r < 0.75:
        return text[:i] + (rng.choice(near) if rng.random() < 0.5 else ch) + text[i:]
    sub = rng.choice(near)
    return text[:i] + (sub.upper() if ch.isupper() else sub) + text[i + 1 :]
