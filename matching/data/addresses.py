"""Street types, unit words, directions, city abbreviations and postcode shapes, across languages."""

# One canonical token per street type. "st" and "dr" are decided by position in normalize (Saint/Street, Dr/Drive).
STREET_TYPES: dict[str, str] = {
    # German, Dutch (one canonical "strasse" for Straße, Strasse, Str., straat)
    "str": "strasse",
    "strasse": "strasse",
    "strase": "strasse",
    "straat": "strasse",
    "gasse": "gasse",
    "weg": "weg",
    "platz": "platz",
    "pl": "place",
    "allee": "allee",
    "damm": "damm",
    "ufer": "ufer",
    "chaussee": "chaussee",
    "steig": "steig",
    "pfad": "pfad",
    "graben": "graben",
    "laan": "laan",
    "plein": "plein",
    "gracht": "gracht",
    "kade": "kade",
    "gt": "gate",
    # English
    "street": "street",
    "rd": "road",
    "road": "road",
    "ave": "avenue",
    "av": "avenue",
    "avn": "avenue",
    "aven": "avenue",
    "avenue": "avenue",
    "blvd": "boulevard",
    "bvd": "boulevard",
    "boul": "boulevard",
    "bld": "boulevard",
    "bd": "boulevard",
    "ln": "lane",
    "ct": "court",
    "crt": "court",
    "sq": "square",
    "hwy": "highway",
    "hway": "highway",
    "pkwy": "parkway",
    "pky": "parkway",
    "pwy": "parkway",
    "cres": "crescent",
    "cresc": "crescent",
    "tce": "terrace",
    "terr": "terrace",
    "gdns": "gardens",
    "gdn": "garden",
    "gr": "grove",
    "gro": "grove",
    "mt": "mount",
    "esp": "esplanade",
    "cir": "circle",
    "cct": "circuit",
    "expy": "expressway",
    "fwy": "freeway",
    "trl": "trail",
    "aly": "alley",
    "pde": "parade",
    "hts": "heights",
    "pt": "point",
    "cl": "close",
    "rte": "route",
    "wy": "way",
    # French
    "fbg": "faubourg",
    "imp": "impasse",
    "ch": "chemin",
    "chem": "chemin",
    "crs": "cours",
    # Italian, Spanish, Portuguese
    "vle": "viale",
    "pzza": "piazza",
    "pza": "plaza",
    "plz": "plaza",
    "avda": "avenida",
    "avd": "avenida",
    "cll": "calle",
    "ctra": "carretera",
    "cra": "carretera",
    "pso": "paseo",
    "rda": "ronda",
    "trav": "travesia",
    "gta": "glorieta",
    "pje": "pasaje",
    "urb": "urbanizacion",
    "lgo": "largo",
    "loc": "localita",
    "fraz": "frazione",
    "pca": "praca",
}

# Abbreviations read differently by country ("Pl." is Platz in Germany, plaza in Spain, place elsewhere).
_GERMAN = {"pl": "platz"}
_SPANISH = {"av": "avenida", "pl": "plaza", "c": "calle", "cl": "calle"}
_PORTUGUESE = {"av": "avenida", "r": "rua", "trav": "travessa", "pc": "praca"}
STREET_TYPES_BY_COUNTRY: dict[str, dict[str, str]] = {
    "DE": _GERMAN, "AT": _GERMAN, "CH": _GERMAN, "LI": _GERMAN, "LU": _GERMAN,
    "ES": _SPANISH, "MX": _SPANISH, "AR": _SPANISH, "CL": _SPANISH, "CO": _SPANISH, "PE": _SPANISH,
    "VE": _SPANISH, "UY": _SPANISH, "EC": _SPANISH, "BO": _SPANISH, "PY": _SPANISH, "CR": _SPANISH,
    "PT": _PORTUGUESE, "BR": _PORTUGUESE,
    "IT": {"str": "strada", "v": "via", "p": "piazza", "pl": "piazza", "c": "corso"},
    "PL": {"al": "aleja", "pl": "plac"},
}  # fmt: skip

# German-style street types that close up with the word before them: "Haupt Strasse" == "Hauptstraße".
COMPOUND_TYPES: frozenset[str] = frozenset(
    {"strasse", "gasse", "weg", "platz", "allee", "damm", "ufer", "chaussee", "steig", "pfad", "graben"}
)
# Words a compound type does not close up with: "Am Weg", "An der Allee", "Rue de la Chaussee".
NOT_COMPOUNDED: frozenset[str] = frozenset(
    {
        "am", "an", "auf", "im", "in", "zum", "zur", "der", "die", "das", "des", "den", "dem", "vor", "hinter",
        "unter", "ober", "bei", "saint", "sainte", "de", "du", "la", "le", "les", "grande", "grand",
    }
)  # fmt: skip

DIRECTIONS: dict[str, str] = {
    "n": "n", "s": "s", "e": "e", "w": "w", "ne": "ne", "nw": "nw", "se": "se", "sw": "sw",
    "north": "n", "south": "s", "east": "e", "west": "w",
    "northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw",
}  # fmt: skip

SAINTS: dict[str, str] = {"st": "saint", "ste": "sainte", "sankt": "saint", "skt": "saint", "snt": "saint"}

CITY_WORDS: dict[str, str] = {
    "st": "saint",
    "ste": "sainte",
    "sankt": "saint",
    "skt": "saint",
    "ft": "fort",
    "mt": "mount",
    "pt": "port",
    "opf": "oberpfalz",
    "obb": "oberbayern",
}
# "Frankfurt a. M.", "Freiburg i. Br." written out; each phrase has as many words as its abbreviation.
CITY_PHRASES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("a", "m"): ("am", "main"),
    ("a", "main"): ("am", "main"),
    ("a", "rh"): ("am", "rhein"),
    ("a", "rhein"): ("am", "rhein"),
    ("a", "n"): ("am", "neckar"),
    ("a", "d"): ("an", "der"),
    ("i", "br"): ("im", "breisgau"),
    ("i", "d"): ("in", "der"),
    ("v", "d"): ("vor", "der"),
    ("a", "d", "donau"): ("an", "der", "donau"),
}
# "Frankfurt/Main" and "Frankfurt (Oder)" get the preposition the full name carries.
RIVER_PREPOSITIONS: dict[str, tuple[str, ...]] = {
    "main": ("am",),
    "rhein": ("am",),
    "neckar": ("am",),
    "inn": ("am",),
    "lech": ("am",),
    "oder": ("an", "der"),
    "donau": ("an", "der"),
    "elbe": ("an", "der"),
    "havel": ("an", "der"),
    "saale": ("an", "der"),
    "lahn": ("an", "der"),
    "mosel": ("an", "der"),
    "ruhr": ("an", "der"),
    "isar": ("an", "der"),
    "ilm": ("an", "der"),
}

# Digits in an all-numeric postcode, for restoring leading zeros that spreadsheets drop (01067 -> 1067).
POSTCODE_DIGITS: dict[str, int] = {
    "US": 5, "DE": 5, "FR": 5, "IT": 5, "ES": 5, "FI": 5, "SE": 5, "MX": 5, "PL": 5, "CZ": 5, "SK": 5, "GR": 5,
    "HR": 5, "EE": 5, "LT": 5, "MY": 5, "TR": 5, "MC": 5, "SM": 5, "VA": 5,
    "AT": 4, "CH": 4, "LI": 4, "BE": 4, "DK": 4, "NO": 4, "AU": 4, "LU": 4, "HU": 4, "SI": 4, "NZ": 4, "PH": 4,
    "ZA": 4, "BG": 4, "CY": 4, "LV": 4, "GE": 4, "AM": 4,
    "JP": 7, "PT": 7, "IL": 7, "BR": 8, "CN": 6, "IN": 6, "SG": 6, "RO": 6, "RU": 6, "KZ": 6, "VN": 6,
}  # fmt: skip
