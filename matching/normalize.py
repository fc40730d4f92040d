"""Normalisation of identifiers, names, contact details and addresses for identity matching. Pure functions.

Each function takes what a source system sent (``None``, numbers and junk included), never raises on it, and
returns a key that is compared, not shown. They run per record and over millions of records in batch, so tables
are dicts and sets built once and every regex is compiled at import.
"""

import re
import unicodedata

import phonenumbers

from .data.addresses import (
    CITY_PHRASES,
    CITY_WORDS,
    COMPOUND_TYPES,
    DIRECTIONS,
    NOT_COMPOUNDED,
    POSTCODE_DIGITS,
    RIVER_PREPOSITIONS,
    SAINTS,
    STREET_TYPES,
    STREET_TYPES_BY_COUNTRY,
)
from .data.countries import COUNTRY_ALIASES
from .data.free_mail import FREE_MAIL_BRANDS, FREE_MAIL_DOMAINS
from .data.legal_forms import CJK_FORMS, EDGE_ONLY, LEADING, LEGAL_FORMS
from .data.nicknames import NICKNAMES
from .data.org_words import ORG_WORDS
from .data.person import (
    ACADEMIC_TITLES,
    AMBIGUOUS_TITLES,
    DEGREE_QUALIFIERS,
    SUFFIX_PAIRS,
    SUFFIXES,
    SURNAME_PARTICLES,
    TITLES,
)
from .data.tax_ids import VAT_PREFIX_COUNTRY, VAT_PREFIXES, VAT_PREFIXES_BY_COUNTRY, VAT_SUFFIXES

_NON_ALNUM = re.compile(r"[^0-9A-Z]")


def tax_id_key(value: str | None) -> str:
    """``DE 123.456.789`` and ``de123456789`` are one tax ID."""
    if not value:
        return ""
    text = unicodedata.normalize("NFKD", value).upper()
    return _NON_ALNUM.sub("", text)


def email_key(value: str | None) -> str:
    """The address as given, trimmed and lower-cased (see ``email_parts`` for Gmail dots and +tags)."""
    if not value:
        return ""
    return value.strip().lower()


def code_key(value: str | None) -> str:
    """Serial numbers, SKUs and contract numbers: case, spaces and dashes do not matter."""
    if not value:
        return ""
    return _NON_ALNUM.sub("", value.upper())


def _text(value: object) -> str:
    # Exports send postcodes, phone numbers and tax IDs as numbers too, spreadsheets as floats ("4930123.0").
    if value is None or isinstance(value, str):
        return value or ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _country(value: str | None) -> str:
    """ISO alpha-2 code from what systems send: "de", "UK", "DEU", "Deutschland"; "" when unknown."""
    if not value or not isinstance(value, str):
        return ""
    code = value.strip().upper() if len(value) <= 3 else fold(value).upper()
    return COUNTRY_ALIASES.get(code) or (code if len(code) == 2 and code.isalpha() else "")


# --- Tax IDs ---------------------------------------------------------------------------------------------------

_CA_BUSINESS_NUMBER = re.compile(r"\d{9}[A-Z]{2}\d{4}")


def is_placeholder_tax_id(key: str) -> bool:
    """True for what forms get when the number is unknown ("n/a", "beantragt", "PENDING", "0", "000000000",
    "999999999"): no digits, only zeros, or one digit six times or more. Strangers share these, so they identify
    nobody."""
    digits = [ch for ch in key if ch.isdigit()]
    return not digits or set(digits) == {"0"} or (len(digits) >= 6 and len(set(digits)) == 1)


def tax_id_digits(value: str | None, country: str | None = None) -> str:
    """The tax ID without its VAT country prefix, so ``DE123456789`` and ``123456789`` (country DE) are equal.

    Beyond the prefix, forms of one number are brought together: a French VAT number gives its SIREN, a Swedish
    one its organisation number, a Belgian enterprise number gets its leading 0, a Canadian BN loses its
    program account ("RT0001") and a Japanese invoice number its "T".
    """
    key = tax_id_key(_text(value))
    if is_placeholder_tax_id(key):
        return ""
    cc = _country(country)
    for prefix in VAT_PREFIXES_BY_COUNTRY.get(cc, (cc,)) if cc else ():
        if key.startswith(prefix) and len(key) > len(prefix) + 1:
            key = key[len(prefix) :]
            break
    else:
        for prefix in VAT_PREFIXES:
            rest = key[len(prefix) :]
            if key.startswith(prefix) and (rest[:1].isdigit() or (prefix == "ES" and len(rest) == 9)):
                key, cc = rest, cc or VAT_PREFIX_COUNTRY.get(prefix, prefix)
                break
    for suffix in VAT_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 5:
            key = key[: -len(suffix)]
    if cc == "FR" and len(key) == 11 and key[2:].isdigit():
        return key[2:]
    if cc == "BE" and len(key) == 9 and key.isdigit():
        return "0" + key
    if cc == "SE" and len(key) == 12 and key.endswith("01"):
        return key[:10]
    if cc == "CA" and _CA_BUSINESS_NUMBER.fullmatch(key):
        return key[:9]
    return key


# --- Text ------------------------------------------------------------------------------------------------------

_FOLD_TABLE = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "\u0131": "i", "ħ": "h", "ŧ": "t"}
    | {"&": " and ", "+": " and "}
    # Apostrophes join: "O'Brien" is "OBrien" more often than "O Brien", "Int'l" is "Intl".
    | dict.fromkeys("'\u2019\u2018\u02bc`\u00b4", "")
)
# Latin diacritics only: marks of other scripts (kana voicing, Hangul) recompose under NFC and stay.
_LATIN_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_WORD = re.compile(r"[^\W_]+")


_NEEDS_TABLE = re.compile("[" + re.escape("".join(map(chr, _FOLD_TABLE))) + "]")


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    stripped = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text))
    return stripped if stripped.isascii() else unicodedata.normalize("NFC", stripped)


def _translate(text: str) -> str:
    # str.translate with a dict is slow; most text holds none of the table's characters.
    return text.translate(_FOLD_TABLE) if _NEEDS_TABLE.search(text) else text


def fold(text: str | None) -> str:
    """Lower case, no accents or punctuation, one space between words: "Müller & Søn" -> "muller and son"."""
    if not text:
        return ""
    folded = (text if isinstance(text, str) else _text(text)).casefold()
    if not folded.isascii():
        # Compatibility forms decompose into letters that still need folding: "№" -> "No", full-width "&" -> "&".
        folded = _translate(_strip_accents(_translate(folded)).casefold())
    elif "&" in folded or "+" in folded or "'" in folded or "`" in folded:
        folded = folded.translate(_FOLD_TABLE)
    return " ".join(_WORD.findall(folded))


# --- Organisations ---------------------------------------------------------------------------------------------

# "S.A.", "S. p. A.", "L.L.C.", "e.V." -> "SA", "SpA", "LLC", "eV": dotted initials close up before folding.
_DOTTED_INITIALS = re.compile(r"(?<!\w)[^\W\d_](?:\.\s?[^\W\d_])+\.?(?!\w)")
_CJK_FORM = re.compile("|".join(CJK_FORMS))
_MAX_FORM = max(len(form.split()) for form in LEGAL_FORMS)
_FORM_LAST = frozenset(form.split()[-1] for form in LEGAL_FORMS)
_ANYWHERE = {form: code for form, code in LEGAL_FORMS.items() if form not in EDGE_ONLY}
_ANYWHERE_FIRST = frozenset(form.split()[0] for form in _ANYWHERE)
_LEADING = {form: LEGAL_FORMS[form] for form in LEADING}
_LEADING_FIRST = frozenset(form.split()[0] for form in LEADING)
_NOT_PLURAL = ("ss", "us", "is", "os", "as", "ys")


def _close_up(match: re.Match[str]) -> str:
    return match.group().replace(".", "").replace(" ", "")


def _form_at(tokens: list[str], start: int, forms: dict[str, str]) -> tuple[int, str] | None:
    """(size, code) of the longest legal form in ``forms`` that begins at ``tokens[start]``."""
    for size in range(min(_MAX_FORM, len(tokens) - start), 0, -1):
        code = forms.get(" ".join(tokens[start : start + size]))
        if code is not None:
            return size, code
    return None


def _form_ending(tokens: list[str]) -> tuple[int, str] | None:
    if tokens[-1] not in _FORM_LAST:
        return None
    for size in range(min(_MAX_FORM, len(tokens) - 1), 0, -1):
        code = LEGAL_FORMS.get(" ".join(tokens[-size:]))
        if code is not None:
            return size, code
    return None


def _org_parts(value: str | None) -> tuple[list[str], str]:
    """Name tokens without legal-form designators, and the code of the rightmost designator ("" if none)."""
    text = _text(value)
    text = fold(_DOTTED_INITIALS.sub(_close_up, text) if "." in text else text)
    if not text.isascii():
        text = _CJK_FORM.sub(r" \g<0> ", text)
    tokens = text.split()
    trailing, leading, inner = [], [], []
    while len(tokens) > 1 and (hit := _form_ending(tokens)):
        del tokens[-hit[0] :]
        trailing.append(hit[1])
    if len(tokens) > 1 and tokens[0] == "the":
        del tokens[0]
    while len(tokens) > 1 and tokens[0] in _LEADING_FIRST and (hit := _form_at(tokens, 0, _LEADING)):
        if hit[0] >= len(tokens):
            break
        del tokens[: hit[0]]
        leading.append(hit[1])
    kept, i = [], 0
    while i < len(tokens):
        hit = _form_at(tokens, i, _ANYWHERE) if tokens[i] in _ANYWHERE_FIRST else None
        if hit:
            inner.insert(0, hit[1])
            i += hit[0]
        else:
            kept.append(tokens[i])
            i += 1
    return kept or tokens, next((code for code in (*trailing, *inner, *leading) if code), "")


def org_name(value: str | None) -> str:
    """Organisation name without legal form or leading "the": ``"The Boeing Co."`` -> ``"boeing"``.

    Designators that are also words or initials ("AG", "SA", "Co", "Spa", "AS") are removed only at the end of
    the name, or at its start where the country writes them first ("AB Volvo"); the others anywhere.
    """
    return " ".join(_org_parts(value)[0])


def legal_form(value: str | None) -> str | None:
    """Canonical code of the name's legal form ("gmbh", "ag", "inc", "ltd", "pty", "kk" ...), or None."""
    return _org_parts(value)[1] or None


def _singular(word: str) -> str:
    if len(word) <= 4 or word[-1] != "s" or word.endswith(_NOT_PLURAL):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


def org_tokens(value: str | None) -> list[str]:
    """Tokens of ``org_name``, business words spelt one way: "Intl Mfg Svcs" -> international manufacturing service."""
    return _business_words(_org_parts(value)[0])


def _business_words(tokens: list[str]) -> list[str]:
    return [_singular(ORG_WORDS.get(token, token)) for token in tokens]


def org_name_parts(value: str | None) -> tuple[str, list[str], str]:
    """``org_name``, ``org_tokens`` and ``legal_form`` ("" for none) of one name, parsed once."""
    tokens, form = _org_parts(value)
    return " ".join(tokens), _business_words(tokens), form


# --- People ----------------------------------------------------------------------------------------------------


_ALL_TITLES = TITLES | AMBIGUOUS_TITLES


def _strip_titles(tokens: list[str], keep_one: bool = False) -> list[str]:
    """Drop leading salutations and titles, with the qualifiers academic titles carry ("Dr. med. dent.")."""
    i, academic = 0, False
    while i < len(tokens):
        token, last = tokens[i], i == len(tokens) - 1
        if token in AMBIGUOUS_TITLES or (academic and len(token) == 1):
            if last:
                break
        elif token not in TITLES and not (academic and token in DEGREE_QUALIFIERS):
            break
        if keep_one and last:
            break
        academic = academic or token in ACADEMIC_TITLES
        i += 1
    return tokens[i:]


def _strip_suffixes(tokens: list[str], pairs: bool = False) -> list[str]:
    while len(tokens) > 1:
        if tokens[-1] in SUFFIXES:
            tokens = tokens[:-1]
        elif pairs and len(tokens) > 2 and (tokens[-2], tokens[-1]) in SUFFIX_PAIRS:
            tokens = tokens[:-2]
        else:
            break
    return tokens


def _is_upper_word(word: str) -> bool:
    return word.isupper() and len(word.strip(".-'")) > 1


def _split_full_name(text: str, from_last: bool) -> tuple[str, str]:
    """(given, family) from a whole name in one field: "Smith, John", "John Smith", "DUPONT Jean", "Jan van Dijk"."""
    parts = [part for part in text.split(",") if fold(part) and not set(fold(part).split()) <= SUFFIXES]
    if len(parts) >= 2:
        return " ".join(parts[1:]), parts[0]
    words = parts[0].split() if parts else []
    while len(words) > 1 and fold(words[-1]) in SUFFIXES:
        words.pop()
    titles = 0
    while titles < len(words) - 1 and fold(words[titles]) in _ALL_TITLES:
        titles += 1
    head, body = words[:titles], words[titles:]
    if len(body) < 2 or (from_last and fold(body[0]) in SURNAME_PARTICLES):
        return (" ".join(head), " ".join(body)) if from_last else (" ".join(words), "")
    upper = 0
    while upper < len(body) and _is_upper_word(body[upper]):
        upper += 1
    if 0 < upper < len(body) and not any(_is_upper_word(word) for word in body[upper:]):
        return " ".join(head + body[upper:]), " ".join(body[:upper])
    split = next((i for i in range(1, len(body) - 1) if fold(body[i]) in SURNAME_PARTICLES), len(body) - 1)
    return " ".join(head + body[:split]), " ".join(body[split:])


def person_name(first: str | None, last: str | None) -> tuple[str, str]:
    """(given names, family name) folded, without salutations, titles or suffixes (Jr, III, PhD).

    When one field is empty and the other holds a whole name ("Smith, John", "Dr. John Smith", "DUPONT Jean"),
    it is split into the two parts.
    """
    given, family = _text(first).strip(), _text(last).strip()
    if not (given and family) and ("," in given + family or len((given + family).split()) > 1):
        given, family = _split_full_name(given or family, from_last=not given)
    given_tokens = _strip_suffixes(_strip_titles(fold(given).split()))
    family_tokens = _strip_suffixes(_strip_titles(fold(family).split(), keep_one=True), pairs=True)
    return " ".join(given_tokens), " ".join(family_tokens)


def first_name_root(first: str | None) -> str:
    """Given name, nicknames mapped to their root: "Bill" -> "william", "Hans-Peter" -> "johannes peter"."""
    return " ".join(NICKNAMES.get(token, token) for token in _strip_titles(fold(first).split()))


def initial(first: str | None) -> str:
    """First letter of the given name, after any title: "Dr. Hans" -> "h"; "" when there is none."""
    tokens = _strip_titles(fold(first).split())
    return tokens[0][0] if tokens else ""


# --- E-mail and phone ------------------------------------------------------------------------------------------

_EMAIL = re.compile(r"[^\s@<>()\[\],;:\"]+@[^\s@<>()\[\],;:\"]+")
_DOMAIN = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+(?:[^\W\d_]{2,}|xn--[a-z0-9-]+)")


def email_parts(value: str | None) -> tuple[str, str] | None:
    """(local part, domain) lower-cased, or None if there is no address.

    "+tags" are dropped; Gmail also ignores dots, and googlemail.com is gmail.com. The first address is taken
    from values like ``"John <j@x.com>"``, ``"mailto:j@x.com"`` or ``"a@x.com; b@x.com"``.
    """
    match = _EMAIL.search(_text(value))
    if not match:
        return None
    local, _, domain = match.group().lower().partition("@")
    domain = domain.strip(".")
    if not _DOMAIN.fullmatch(domain):
        return None
    if domain == "googlemail.com":
        domain = "gmail.com"
    local = local.partition("+")[0]
    if domain == "gmail.com":
        local = local.replace(".", "")
    return (local, domain) if local else None


# What people type when a form insists on an address they do not have or will not give ("noemail@noemail.com",
# "x@x.com", "keine@email.de"): shared by strangers, so never evidence that two records are one party.
PLACEHOLDER_MAILBOXES = frozenset(
    {"noemail", "nomail", "no", "none", "na", "n/a", "null", "nil", "test", "x", "xx", "xxx", "keine", "kein",
     "unknown", "dummy", "invalid", "aucun", "ninguno", "nobody", "noreply", "no-reply", "donotreply"}
)  # fmt: skip
PLACEHOLDER_DOMAINS = frozenset({"noemail.com", "nomail.com", "none.com", "na.com", "invalid", "email.invalid"})


def is_placeholder_email(local: str, domain: str) -> bool:
    """True for an address that stands for "no address" (see PLACEHOLDER_MAILBOXES)."""
    return local in PLACEHOLDER_MAILBOXES or domain in PLACEHOLDER_DOMAINS


def is_free_mail(domain: str | None) -> bool:
    """True for mailbox providers anyone can sign up with (gmail.com, gmx.de, yahoo.co.uk, hotmail.fr ...)."""
    name = _text(domain).strip().lower().rpartition("@")[2].strip(".")
    if name in FREE_MAIL_DOMAINS:
        return True
    brand, _, suffix = name.partition(".")
    return brand in FREE_MAIL_BRANDS and all(0 < len(label) <= 3 for label in suffix.split("."))


_PHONE_SEPARATORS = re.compile(r"[;,|\n]|\s(?:or|oder|ou|o)\s", re.IGNORECASE)
# "+49 (0)30 ...": the (0) is the trunk prefix, dialled only inside the country.
_TRUNK_IN_INTERNATIONAL = re.compile(r"^(\D*(?:\+|00)\s*\d{1,3}[\s.-]*)\(\s*0\s*\)")
_SPREADSHEET_DECIMAL = re.compile(r"(?<=\d{6})\.0+$")
_INTERNATIONAL_00 = re.compile(r"^(\D*?)00(?=\s*[1-9])")


def _phone_text(value: str | None) -> str:
    text = _SPREADSHEET_DECIMAL.sub("", _PHONE_SEPARATORS.split(_text(value), maxsplit=1)[0].strip()[:64])
    return _INTERNATIONAL_00.sub(r"\1+", _TRUNK_IN_INTERNATIONAL.sub(r"\1", text), count=1) if text else ""


def _phone_number(text: str, country: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, _country(country) or None)
        # Local-only numbers ("555-0123" without area code) are possible but name no single line.
        if phonenumbers.is_possible_number_with_reason(number) != phonenumbers.ValidationResult.IS_POSSIBLE:
            return None
        return number
    except Exception:  # phonenumbers raises NumberParseException, and on odd input sometimes worse
        return None


def phone_e164(value: str | None, country: str | None = None) -> str | None:
    """E.164 form of a phone number (``+4930123456``), or None if it cannot be a number.

    ``country`` is the record's country, the region for numbers written without a country code. Extensions
    are dropped; of several numbers in one field the first is taken.
    """
    return phone_parts(value, country)[0] or None


_PHONE_EXTENSION = re.compile(r"\s*(?:(?:ext|extn|extension|durchwahl|dw|poste|x|#)\.?:?\s*\d+|-\d{1,4})\s*$", re.I)


def phone_national(value: str | None, country: str | None = None) -> str:
    """The national significant number (digits after the country code, without trunk prefix), or "".

    Support platforms often store ``212 283 0275`` with no country while the ERP has ``+1 212 283 0275``: the
    national number is the part both spellings share. Without a country or ``+`` the digits are taken as written,
    less leading trunk zeros and any extension.
    """
    return phone_parts(value, country)[1]


def phone_parts(value: str | None, country: str | None = None) -> tuple[str, str]:
    """(E.164 or "", national number or "") from one parse: what phone_e164 and phone_national give."""
    text = _phone_text(value)
    if not text:
        return "", ""
    number = _phone_number(text, country)
    if number is not None:
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return e164, phonenumbers.national_significant_number(number)
    if text.lstrip().startswith("+"):
        return "", ""
    digits = re.sub(r"\D", "", _PHONE_EXTENSION.sub("", text)).lstrip("0")
    return "", digits if 7 <= len(digits) <= 12 else ""


# --- Addresses -------------------------------------------------------------------------------------------------

_ADDRESS_TABLE = _FOLD_TABLE | str.maketrans({"º": "°", "ª": "°"})
_ADDRESS_NEEDS_TABLE = re.compile("[" + re.escape("".join(map(chr, _ADDRESS_TABLE))) + "]")
_CARE_OF = r"(?:\bc\s?/\s?o\b|\bcare of\b|\bz\.?\s?h(?:an)?d(?:e|n)?\b\.?|\battn?\b\.?|\battention\b)[^,;\n]*"
_PO_BOX = (
    r"\b(?:p\.?\s?o\.?\s?box|post\s?box|postfach|postbus|postboks|box|case postale|c\.?p|b\.?p|apartado(?: de correos)?"
    r"|casella postale)\b\.?\s*(?:no\.?\s*)?\d[\d\s]*"
)
_UNIT = (
    r"\b(?:suite|ste|apt|apartment|appt|app|unit|flat|room|rm|floor|fl|level|lvl|office|ofc|bldg|building"
    r"|bus|bte|boite|top|stiege|stg|tur|etage|stock|whg|wohnung|piso|planta|puerta|pta|esc|escalera|interno|int|scala"
    r"|sc|piano)\b\.?\s*(?:no\.?\s*|nr\.?\s*|#\s*)?(?:\d+[a-z]?(?:[-/]\w+)?|[a-z](?![\w.]))"
)
_FLOOR = (
    r"\b\d{1,3}\s?(?:st|nd|rd|th|er|e|eme|\.|°)?\s?(?:floor|fl|etage|stock|og|obergeschoss|piano|piso|planta|level)\b"
    r"|\b\d{1,2}\s?°\s?(?:[a-z](?![\w.])|izq\w*|dcha|der\w*|centro|ctro)?"
    r"|\b(?:ground floor|erdgeschoss|rdc|rez de chaussee|parterre)\b"
)
# Parts of an address line that are not the street: care-of names, PO boxes, floors, suites and flats.
_NOT_STREET = re.compile("|".join((_CARE_OF, _PO_BOX, _FLOOR, _UNIT)))
_ABBREVIATED_TYPE = re.compile(r"\b(?:v\.\s?le|c\.\s?so|l\.\s?go|p\.\s?zz?a|v\.\s?lo|p\.?\s?°|c\s?/(?!\s?o\b))")
_ABBREVIATED_TYPES = {"vle": "viale ", "cso": "corso ", "lgo": "largo ", "pza": "piazza ", "pzza": "piazza "}
_ABBREVIATED_TYPES |= {"vlo": "vicolo ", "p°": "paseo ", "c/": "calle "}
_NUMBER = r"\d+(?:\s?(?:bis|ter|quater)\b|-?[a-z](?![\w.])|\s[a-z](?![\w.]))?(?:\s?[-/]\s?\d+[a-z]?)*"
_NUMBER_END = r"(?=[\s,;]|\.?\s*$)"
_MARKED_NUMBER = re.compile(
    r"(?:\b(?:no|nr|nro|num|numero|nummer)(?![a-z])\.?|\bn\s?[°.])\s*(" + _NUMBER + ")" + _NUMBER_END
)
_HASH_NUMBER = re.compile(r"#\s*(\d\w*(?:[-/]\w+)?)")
_LEADING_NUMBER = re.compile(r"^[\s,]*(\d+(?:[a-z]|\s?(?:bis|ter|quater)\b)?(?:\s?[-/]\s?\d+[a-z]?)*)" + _NUMBER_END)
_NUMBER_ANYWHERE = re.compile(r"(?<![\w/-])(" + _NUMBER + ")" + _NUMBER_END)
_DOTS_AND_SPACES = re.compile(r"[.\s]")
_HOUSE_NUMBER_NOISE = re.compile(r"\s+|[-/](?=[a-z])")
_STREET_TYPES_BY_COUNTRY = {cc: STREET_TYPES | overrides for cc, overrides in STREET_TYPES_BY_COUNTRY.items()}
# Where "ue" may stand for "ü"; "" is a record without country.
_GERMAN_SPEAKING = frozenset({"", "DE", "AT", "CH", "LI", "LU"})
_UMLAUT_SPELLING = re.compile(r"(?<=[b-df-hj-npr-tv-z])([aou])e(?=[b-df-hj-np-tv-z])")


def _spell_out_type(match: re.Match[str]) -> str:
    return _ABBREVIATED_TYPES.get(_DOTS_AND_SPACES.sub("", match.group()), " ")


def _umlaut_spelling(text: str, country: str) -> str:
    """ "Muenchen" -> "munchen", as "München" folds: ASCII-only systems write umlauts as two letters."""
    if country in _GERMAN_SPEAKING and ("ue" in text or "oe" in text or "ae" in text):
        return _UMLAUT_SPELLING.sub(r"\1", text)
    return text


def _street_tokens(tokens: list[str], country: str) -> list[str]:
    """Street type words spelt one way, German compounds closed up, "St" read as Saint or Street by position."""
    types = _STREET_TYPES_BY_COUNTRY.get(country, STREET_TYPES)
    tail = len(tokens)
    while tail > 1 and tokens[tail - 1] in DIRECTIONS:
        tail -= 1
    out: list[str] = []
    for i, token in enumerate(tokens):
        if token in ("st", "dr") and 0 < i == tail - 1:
            word = "street" if token == "st" else "drive"
        elif (i == 0 or i >= tail) and token in DIRECTIONS and len(tokens) > 1:
            word = DIRECTIONS[token]
        elif i == 0 and token in ("ul", "ulica"):
            continue
        else:
            word = SAINTS.get(token) or types.get(token) or token
            if word.endswith(("str", "straat")) and len(word) > 5 and word.isalpha():
                word = word.removesuffix("str").removesuffix("straat") + "strasse"
        if word in COMPOUND_TYPES and out and out[-1].isalpha() and out[-1] not in NOT_COMPOUNDED:
            out[-1] += word
        else:
            out.append(word)
    return out


def _house_number(text: str) -> tuple[str, str]:
    """(text without the house number, the house number) for German-style, US-style and marked numbers."""
    hashed = _HASH_NUMBER.search(text) if "#" in text else None
    if hashed:
        text = _HASH_NUMBER.sub(" ", text)
    match = _MARKED_NUMBER.search(text) or _LEADING_NUMBER.match(text)
    if not match:
        match = next(reversed(list(_NUMBER_ANYWHERE.finditer(text))), None)
    if match:
        number = match.group(1)
        text = text[: match.start()] + " " + text[match.end() :]
    else:
        number = hashed.group(1) if hashed else ""
    return text, _HOUSE_NUMBER_NOISE.sub("", number)


def street(line1: str | None, country: str | None = None) -> tuple[str, str]:
    """(street name, house number) from an address line: ``"Hauptstr. 5a"`` -> ``("hauptstrasse", "5a")``.

    Street types are spelt one way across languages (Str./Straße -> strasse, St -> street, Ave/Av. -> avenue,
    Avda -> avenida ...), "c/o", PO boxes, suites, apartments and floors are removed. ``country`` decides the
    few abbreviations that differ between languages ("Pl." is Platz in Germany, plaza in Spain) and, as in
    ``city``, whether "ue" may stand for "ü".
    """
    text = _text(line1).casefold()
    if _ADDRESS_NEEDS_TABLE.search(text):
        text = text.translate(_ADDRESS_TABLE)
    if not text.strip():
        return "", ""
    text = _strip_accents(text).casefold()
    text = _NOT_STREET.sub(" ", text)
    if "." in text or "/" in text or "°" in text:
        text = _ABBREVIATED_TYPE.sub(_spell_out_type, text)
    text, number = _house_number(text)
    cc = _country(country)
    return _umlaut_spelling(" ".join(_street_tokens(fold(text).split(), cc)), cc), number


_CITY_POSTCODE_PREFIX = re.compile(r"^\s*[^\W\d_]{1,3}\s?-\s?(?=\d)")


def city(value: str | None, country: str | None = None) -> str:
    """City folded, abbreviations spelt out: "St. Gallen" -> "saint gallen", "Frankfurt a. M." -> "frankfurt am main".

    Postcodes and "Cedex" written into the city field are dropped. Unless ``country`` is outside the
    German-speaking countries, "ue"/"oe"/"ae" between consonants count as umlauts, so "Muenchen" and "München" meet.
    """
    tokens = fold(_CITY_POSTCODE_PREFIX.sub("", _text(value))).split()
    if "cedex" in tokens:
        del tokens[tokens.index("cedex") :]
    while tokens and not tokens[0].isalpha():
        del tokens[0]
    while tokens and not tokens[-1].isalpha():
        del tokens[-1]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        phrase = out and (CITY_PHRASES.get(tuple(tokens[i : i + 3])) or CITY_PHRASES.get(tuple(tokens[i : i + 2])))
        if phrase:
            out.extend(phrase)
            i += len(phrase)  # a phrase spells out as many words as it abbreviates
            continue
        token = CITY_WORDS.get(tokens[i], tokens[i])
        if out and token in RIVER_PREPOSITIONS and out[-1] not in ("am", "an", "der", "a"):
            out.extend(RIVER_PREPOSITIONS[token])
        out.append(token)
        i += 1
    return _umlaut_spelling(" ".join(out), _country(country))


_POSTCODE_COUNTRY_PREFIX = re.compile(r"^[A-Z]{1,3}\s?-\s?(?=\d)")
_ZIP_PLUS_FOUR = re.compile(r"(\d{5})\s?-\s?\d{4}")


def postcode(value: str | None, country: str | None = None) -> str:
    """Postcode upper-case without spaces or dashes: "SW1A 1AA" -> "SW1A1AA", "D-10115" -> "10115", ZIP+4 -> ZIP.

    With ``country``, leading zeros a spreadsheet dropped are restored ("1067", DE -> "01067").
    """
    text = _strip_accents(_text(value)).strip().upper()
    text = _POSTCODE_COUNTRY_PREFIX.sub("", text)
    cc = _country(country)
    if (zip_code := _ZIP_PLUS_FOUR.fullmatch(text)) and cc in ("", "US"):
        return zip_code.group(1)
    code = _NON_ALNUM.sub("", text)
    digits = POSTCODE_DIGITS.get(cc)
    if not digits:
        return code
    if not code.isdigit() and code[:2].isalpha() and code[2:].isdigit():
        code = code[2:]
    if cc == "US" and len(code) == 9 and code.isdigit():
        return code[:5]
    if code.isdigit() and digits - 2 <= len(code) < digits:
        return code.zfill(digits)
    return code
