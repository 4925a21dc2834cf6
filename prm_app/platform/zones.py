"""Time zones by their IANA names ("Europe/Lisbon"), from the tz database Python ships with (zoneinfo; the
tzdata package where the system has none). The database stores UTC; a person's zone only changes what they see.
Pure: no I/O beyond reading the tz database once."""

from __future__ import annotations

from datetime import UTC, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_ZONE = "UTC"
_LEGACY = ("Etc/", "SystemV/", "US/", "posix/", "right/", "Canada/", "Mexico/", "Brazil/", "Chile/")


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
    cities = sorted(z for z in _all_zones() if "/" in z and not z.startswith(_LEGACY))
    return (DEFAULT_ZONE, *cities)
