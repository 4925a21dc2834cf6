"""Time zones by their IANA names ("Europe/Lisbon"), from the tz database Python ships with (zoneinfo; the
tzdata package where the system has none). The database stores UTC; a person's zone only changes what they see.
Pure: no I/O beyond reading the tz database once."""

from __future__ import annotations

from datetime import UTC, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_ZONE = "UTC"
_LEGACY = ("Etc/", "SystemV/", "US/", "posix/", "right/", "Canada/", "Mexico/", "Brazil/", "Chile/")
# Browsers name zones by CLDR, which keeps some names the tz database has since renamed: Chrome in India reports
# "Asia/Calcutta". The same zone is kept, and offered, under its current name.
OLD_NAMES = {
    "Asia/Calcutta": "Asia/Kolkata", "Asia/Saigon": "Asia/Ho_Chi_Minh", "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Rangoon": "Asia/Yangon", "Europe/Kiev": "Europe/Kyiv", "Europe/Uzhgorod": "Europe/Kyiv",
    "Europe/Zaporozhye": "Europe/Kyiv", "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "America/Catamarca": "America/Argentina/Catamarca", "America/Cordoba": "America/Argentina/Cordoba",
    "America/Jujuy": "America/Argentina/Jujuy", "America/Mendoza": "America/Argentina/Mendoza",
    "America/Indianapolis": "America/Indiana/Indianapolis", "America/Louisville": "America/Kentucky/Louisville",
    "America/Godthab": "America/Nuuk", "Atlantic/Faeroe": "Atlantic/Faroe", "Pacific/Truk": "Pacific/Chuuk",
    "Pacific/Ponape": "Pacific/Pohnpei", "Pacific/Enderbury": "Pacific/Kanton", "Africa/Asmera": "Africa/Asmara",
}  # fmt: skip


def current_name(name: str) -> str:
    """The tz database's current name for a zone a browser may report by an older one: "Asia/Calcutta" ->
    "Asia/Kolkata"; any other name as it is."""
    name = (name or "").strip()
    return OLD_NAMES.get(name, name)


def is_zone(name: str) -> bool:
    """Whether `name` is a zone the tz database knows ("Europe/Lisbon", "Asia/Calcutta", "UTC")."""
    return bool(name) and name in _all_zones()


def zone_named(name: str) -> tzinfo:
    """The zone called `name`; UTC for "" or a name the tz database does not know (a setting saved before an
    update of the database that dropped it must not break a page)."""
    if not is_zone(name) or name == DEFAULT_ZONE:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def zone_label(name: str) -> str:
    """A zone as people read it in a list: "America/New_York" -> "America / New York"."""
    return name.replace("_", " ").replace("/", " / ")


@lru_cache(maxsize=1)
def _all_zones() -> frozenset[str]:
    return frozenset(available_timezones()) | {DEFAULT_ZONE}


@lru_cache(maxsize=1)
def zone_choices() -> tuple[str, ...]:
    """The zones a person picks from: UTC, then every "Area/City" zone by name (the tz database's old aliases,
    like "US/Eastern" or "Etc/GMT+3", are left out; a browser that reports one still has it kept)."""
    cities = sorted(z for z in _all_zones() if "/" in z and not z.startswith(_LEGACY) and z not in OLD_NAMES)
    return (DEFAULT_ZONE, *cities)
