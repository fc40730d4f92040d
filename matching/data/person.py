"""Words around personal names: salutations and titles, degree qualifiers, suffixes and surname particles."""

# Stripped from the start of a name.
TITLES: frozenset[str] = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "messrs", "mister", "dr", "drs", "doctor", "prof", "professor", "sir",
        "dame", "lord", "rev", "revd", "reverend", "fr", "herr", "frau", "hr", "fraulein", "frl", "madame", "mme",
        "mlle", "mademoiselle", "monsieur", "mmes", "sig", "sigg", "sigra", "signor", "signora", "signore",
        "signorina", "sra", "srta", "senor", "senora", "senorita", "dott", "dottssa", "dottoressa", "avv", "geom",
        "rag", "dhr", "mevr", "mevrouw", "mw", "pan", "pani", "fru", "ing", "dipl", "mag", "univ",
    }
)  # fmt: skip

# Titles that are also given names or initials ("M." is Monsieur or Michael): stripped only when a name follows.
AMBIGUOUS_TITLES: frozenset[str] = frozenset({"m", "mm", "sr", "fr", "ing", "mag", "pan", "lord", "dame", "univ"})

# After "Dr", "Prof", "Dipl", "Ing", "Mag", "Sig", "Dott": "Dr. med. dent.", "Dr. h.c. mult.", "Dipl.-Kfm.", "Sig.ra".
DEGREE_QUALIFIERS: frozenset[str] = frozenset(
    {
        "med", "dent", "vet", "rer", "nat", "pol", "oec", "phil", "jur", "iur", "ing", "h", "c", "hc", "mult",
        "habil", "sc", "techn", "pharm", "theol", "paed", "kfm", "kffr", "inf", "oek", "soz", "psych", "dr",
        "prof", "dipl", "mag", "ssa", "ra", "na", "univ", "eh", "fh", "mba",
    }
)  # fmt: skip
ACADEMIC_TITLES: frozenset[str] = frozenset(
    {"dr", "drs", "doctor", "prof", "professor", "dipl", "ing", "mag", "univ", "sig", "dott"}
)

# Stripped from the end of a name.
SUFFIXES: frozenset[str] = frozenset(
    {
        "jr", "jnr", "junior", "sr", "snr", "ii", "iii", "iv", "phd", "md", "dds", "dmd", "dvm", "esq",
        "cpa", "mba", "msc", "bsc", "jd", "llm", "rn", "obe", "mbe", "cbe", "kbe", "qc", "kc", "frcs",
    }
)  # fmt: skip
SUFFIX_PAIRS: frozenset[tuple[str, str]] = frozenset({("ph", "d"), ("m", "d"), ("d", "d"), ("j", "d"), ("m", "a")})

# Start of the surname inside a full name written in one field: "Ludwig van Beethoven", "Maria de la Cruz".
SURNAME_PARTICLES: frozenset[str] = frozenset(
    {
        "van", "von", "vom", "zu", "zum", "zur", "der", "den", "de", "del", "della", "dello", "dei", "degli", "di",
        "da", "dal", "dos", "das", "du", "des", "la", "le", "lo", "ter", "ten", "te", "op", "af", "al", "el", "ben",
        "bin", "ibn", "mac", "st", "saint",
    }
)  # fmt: skip
