"""Country names and ISO 3166 alpha-3 codes source systems send instead of alpha-2, mapped to alpha-2."""

COUNTRY_ALIASES: dict[str, str] = {
    # alpha-2 spellings that are not ISO
    "UK": "GB", "EL": "GR", "XI": "GB", "FX": "FR",
    # alpha-3
    "DEU": "DE", "AUT": "AT", "CHE": "CH", "LIE": "LI", "FRA": "FR", "ITA": "IT", "ESP": "ES", "PRT": "PT",
    "NLD": "NL", "BEL": "BE", "LUX": "LU", "GBR": "GB", "IRL": "IE", "USA": "US", "CAN": "CA", "AUS": "AU",
    "NZL": "NZ", "JPN": "JP", "SWE": "SE", "NOR": "NO", "DNK": "DK", "FIN": "FI", "ISL": "IS", "POL": "PL",
    "CZE": "CZ", "SVK": "SK", "HUN": "HU", "SVN": "SI", "HRV": "HR", "ROU": "RO", "BGR": "BG", "GRC": "GR",
    "CYP": "CY", "MLT": "MT", "EST": "EE", "LVA": "LV", "LTU": "LT", "TUR": "TR", "RUS": "RU", "UKR": "UA",
    "MEX": "MX", "BRA": "BR", "ARG": "AR", "CHL": "CL", "COL": "CO", "CHN": "CN", "HKG": "HK", "TWN": "TW",
    "KOR": "KR", "SGP": "SG", "MYS": "MY", "IND": "IN", "ZAF": "ZA", "ISR": "IL", "ARE": "AE", "SAU": "SA",
    # names in English and in the country's own languages, folded
    "GERMANY": "DE", "DEUTSCHLAND": "DE", "AUSTRIA": "AT", "OSTERREICH": "AT", "OESTERREICH": "AT",
    "SWITZERLAND": "CH", "SCHWEIZ": "CH", "SUISSE": "CH", "SVIZZERA": "CH", "LIECHTENSTEIN": "LI",
    "FRANCE": "FR", "ITALY": "IT", "ITALIA": "IT", "SPAIN": "ES", "ESPANA": "ES", "PORTUGAL": "PT",
    "NETHERLANDS": "NL", "THE NETHERLANDS": "NL", "NEDERLAND": "NL", "HOLLAND": "NL", "BELGIUM": "BE",
    "BELGIQUE": "BE", "BELGIE": "BE", "BELGIEN": "BE", "LUXEMBOURG": "LU", "LUXEMBURG": "LU",
    "UNITED KINGDOM": "GB", "GREAT BRITAIN": "GB", "ENGLAND": "GB", "SCOTLAND": "GB", "WALES": "GB",
    "NORTHERN IRELAND": "GB", "IRELAND": "IE", "EIRE": "IE", "UNITED STATES": "US",
    "UNITED STATES OF AMERICA": "US", "AMERICA": "US", "CANADA": "CA", "AUSTRALIA": "AU", "NEW ZEALAND": "NZ",
    "JAPAN": "JP", "NIPPON": "JP", "SWEDEN": "SE", "SVERIGE": "SE", "NORWAY": "NO", "NORGE": "NO",
    "DENMARK": "DK", "DANMARK": "DK", "FINLAND": "FI", "SUOMI": "FI", "ICELAND": "IS", "POLAND": "PL",
    "POLSKA": "PL", "CZECH REPUBLIC": "CZ", "CZECHIA": "CZ", "SLOVAKIA": "SK", "HUNGARY": "HU",
    "GREECE": "GR", "MEXICO": "MX", "BRAZIL": "BR", "BRASIL": "BR", "CHINA": "CN", "INDIA": "IN",
    "SINGAPORE": "SG", "SOUTH AFRICA": "ZA", "SOUTH KOREA": "KR", "KOREA": "KR", "TURKEY": "TR",
}  # fmt: skip
