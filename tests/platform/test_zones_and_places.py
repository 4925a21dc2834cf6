"""Time zone names and country names: the pure parts every page's times and places go through."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

import pytest

from prm_app.platform.places import country_choices, country_code, country_name
from prm_app.platform.zones import OLD_NAMES, current_name, is_zone, zone_choices, zone_label, zone_named


def test_known_zones_by_their_iana_names():
    assert is_zone("Europe/Lisbon") and is_zone("UTC") and is_zone("Asia/Calcutta")  # an old name Chrome reports
    assert not is_zone("") and not is_zone("Mars/Olympus") and not is_zone("../../etc/passwd")


def test_a_zone_a_browser_names_the_old_way_is_kept_under_its_current_name():
    assert current_name(" Asia/Calcutta ") == "Asia/Kolkata"
    assert current_name("Europe/Lisbon") == "Europe/Lisbon"
    assert all(is_zone(new) for new in OLD_NAMES.values())  # every current name exists in the tz database
    assert not set(OLD_NAMES) & set(zone_choices())  # the list offers each zone once


def test_an_unset_or_unknown_zone_reads_as_utc():
    assert zone_named("") is UTC
    assert zone_named("Mars/Olympus") is UTC
    assert zone_named("UTC") is UTC
    assert zone_named("America/New_York") == ZoneInfo("America/New_York")


def test_the_zones_offered_are_utc_then_cities_without_the_old_aliases():
    choices = zone_choices()
    assert choices[0] == "UTC"
    assert "Europe/Lisbon" in choices and "America/Argentina/Buenos_Aires" in choices
    assert not any(z.startswith(("US/", "Etc/")) for z in choices)
    assert list(choices[1:]) == sorted(choices[1:])
    assert zone_label("America/New_York") == "America / New York"


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("DE", "Germany"),
        ("US", "United States"),
        ("GB", "United Kingdom"),
        ("KR", "South Korea"),
        ("TW", "Taiwan"),  # pycountry's common name
        ("pt", "Portugal"),
        ("", ""),
        ("XX", "XX"),  # data older than the list is shown as it is, never lost
    ],
)
def test_countries_by_the_names_people_use(code, name):
    assert country_name(code) == name


def test_every_country_offered_reads_back_as_its_code():
    choices = country_choices()
    assert len(choices) > 240
    assert [name for _, name in choices] == sorted(name for _, name in choices)
    assert all(country_code(name) == code for code, name in choices)
