"""Prefixes in front of tax identifiers: EU VAT country codes and their neighbours' equivalents."""

# Longest first, so "ATU" and "CHE" win over "AT" and "CH".
VAT_PREFIXES: tuple[str, ...] = (
    "ATU", "CHE",
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "GR", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT",
    "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI", "GB", "CH", "NO", "LI", "IS",
)  # fmt: skip

# Prefixes a country's own tax IDs carry, when not just its alpha-2 code.
VAT_PREFIXES_BY_COUNTRY: dict[str, tuple[str, ...]] = {
    "AT": ("ATU", "AT", "U"),
    "CH": ("CHE", "CH"),
    "LI": ("CHE", "LI"),
    "GR": ("EL", "GR"),
    "GB": ("GB", "XI", "UK"),
    "JP": ("T",),
}
# Country of each prefix, for the rules that depend on it (French VAT key, Swedish "01" suffix ...).
VAT_PREFIX_COUNTRY: dict[str, str] = {"ATU": "AT", "CHE": "CH", "EL": "GR", "XI": "GB", "UK": "GB"}

# Words after the number: "CHE-123.456.789 MWST", "NO 123 456 789 MVA".
VAT_SUFFIXES: tuple[str, ...] = ("MWST", "TVA", "IVA", "MVA", "VAT")
