"""Formatting lives in one place; "—" means no value, never zero."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from prm_app.web import format as fmt


def test_money_keeps_cents_and_names_the_currency():
    assert fmt.money(Decimal("12500.5"), "EUR") == "12,500.50 EUR"
    assert fmt.money(0, "USD") == "0.00 USD"
    assert fmt.money(None, "USD") == fmt.DASH == "—"
    assert fmt.whole_money(Decimal("12500.5"), "USD") == "12,500 USD"  # half to even, as Decimal rounds


def test_numbers_percentages_and_hours():
    assert (fmt.number(1234), fmt.number(12.345, 1), fmt.number(None)) == ("1,234", "12.3", "—")
    assert (fmt.percent(42.4), fmt.percent(42.4, signed=True), fmt.percent(-3, signed=True)) == ("42%", "+42%", "-3%")
    assert (fmt.hours(6.25), fmt.hours(None)) == ("6.2 h", "—")


def test_days_and_moments_in_utc_by_default():
    at = datetime(2026, 11, 30, 14, 5, 59, tzinfo=UTC)

    assert fmt.day(at) == fmt.day(date(2026, 11, 30)) == "30 Nov 2026"
    assert fmt.day(date(2030, 1, 5)) == "5 Jan 2030"  # no leading zero, as the mails write it
    assert fmt.moment(at) == "30 Nov 2026, 14:05 UTC"
    assert fmt.moment(at, named=False) == "30 Nov 2026, 14:05"
    assert fmt.moment(datetime(2026, 11, 30, 14, 5)) == "30 Nov 2026, 14:05 UTC"  # naive values are UTC
    assert fmt.day(None) == fmt.moment(None) == "—"


LISBON, NEW_YORK, KOLKATA, DUBAI = (
    ZoneInfo(z) for z in ("Europe/Lisbon", "America/New_York", "Asia/Kolkata", "Asia/Dubai")
)


def test_moments_read_in_the_viewers_zone_with_the_zone_named():
    winter = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 14, 5, tzinfo=UTC)

    assert fmt.moment(winter, NEW_YORK) == "30 Nov 2026, 09:05 EST"
    assert fmt.moment(summer, NEW_YORK) == "1 Jul 2026, 10:05 EDT"  # daylight saving time, by the date shown
    assert fmt.moment(summer, LISBON) == "1 Jul 2026, 15:05 WEST"
    assert fmt.moment(winter, KOLKATA) == "30 Nov 2026, 19:35 IST"
    assert fmt.moment(winter, DUBAI) == "30 Nov 2026, 18:05 UTC+04"  # a zone without letters still says where


def test_the_day_of_a_moment_is_its_day_where_the_viewer_is():
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)

    assert fmt.day(late) == "30 Nov 2026"
    assert fmt.day(late, KOLKATA) == "1 Dec 2026"
    assert fmt.day(date(2026, 11, 30), KOLKATA) == "30 Nov 2026"  # a date is a date everywhere


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=20), "now"),
        (timedelta(seconds=-20), "now"),
        (timedelta(minutes=12, seconds=59), "in 12 min"),
        (timedelta(hours=47, minutes=59), "in 47 h"),  # rounded down: never further away than it is
        (timedelta(hours=71), "in 71 h"),
        (timedelta(hours=72), "in 3 days"),
        (timedelta(days=1, hours=1), "in 25 h"),
        (timedelta(days=85, hours=3), "in 85 days"),
        (timedelta(minutes=-5), "5 min ago"),
        (timedelta(hours=-3), "3 h ago"),
        (timedelta(days=-4), "4 days ago"),
    ],
)
def test_relative_hints(delta, text):
    now = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)
    assert fmt.relative(now + delta, now) == text


def test_a_deadline_is_the_moment_in_the_viewers_zone_and_how_far_off_it_is():
    now = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)

    assert fmt.deadline(now + timedelta(hours=47, minutes=30), NEW_YORK, now=now) == "2 Dec 2026, 08:35 EST (in 47 h)"
    assert fmt.deadline(now - timedelta(hours=2), now=now) == "30 Nov 2026, 12:05 UTC (2 h ago)"
    assert fmt.deadline(None, NEW_YORK, now=now) == "—"


@pytest.mark.parametrize(
    ("count", "words", "text"),
    [
        (1, ("deal",), "1 deal"),
        (0, ("deal",), "0 deals"),
        (2, ("deal",), "2 deals"),
        (1, ("person", "people"), "1 person"),
        (3, ("person", "people"), "3 people"),
        (1234, ("lead",), "1,234 leads"),
        (1, ("business day",), "1 business day"),
    ],
)
def test_plurals(count, words, text):
    assert fmt.plural(count, *words) == text


def test_or_dash_formats_only_values_that_exist():
    assert fmt.or_dash(None) == fmt.or_dash("") == "—"
    assert fmt.or_dash(0) == "0"
    assert fmt.or_dash(3.14159, lambda v: f"{v:.2f}") == "3.14"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (0.0, "0"),
        (20.0, "20"),
        (-100.0, "-100"),
        (33.3, "33.3"),
        (-0.1, "-0.1"),
        (7, "7"),
        (12.25, "12.25"),
    ],
)
def test_raw_number_prints_as_the_browser_did(value, text):
    assert fmt.raw_number(value) == text


def test_days_moments_and_money_follow_the_readers_language():
    """English keeps the house style; another language reads in its region's CLDR patterns (zone still named)."""
    at = datetime(2028, 3, 31, 12, 5, tzinfo=UTC)
    berlin = ZoneInfo("Europe/Berlin")

    assert fmt.day(date(2028, 3, 31), language="de") == "31.03.2028"
    assert fmt.day(at, berlin, language="fr") == "31 mars 2028"
    assert fmt.day(date(2028, 3, 31), language="ja") == "2028/03/31"
    assert fmt.day(date(2028, 3, 31), language="en") == "31 Mar 2028"
    assert fmt.moment(at, berlin, language="de") == "31.03.2028, 14:05 CEST"
    assert fmt.moment(at, berlin, language="ja", named=False) == "2028/03/31 14:05"
    assert fmt.money(Decimal("1234.56"), "EUR", language="de") == "1.234,56\xa0€"
    assert fmt.money(Decimal("228000"), "USD", language="es") == "228.000,00\xa0US$"
    assert fmt.money(Decimal("1234.5"), "JPY", language="ja") == "￥1,234"  # no minor unit; half to even
    assert fmt.money(Decimal("1234.56"), "", language="fr") == "1\u202f234,56"
    assert fmt.money(Decimal("1234.56"), "EUR", language="en") == "1,234.56 EUR"
    assert fmt.money(None, "EUR", language="de") == fmt.DASH


def test_deadlines_numbers_and_percentages_follow_the_readers_language():
    now = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    ahead = now + timedelta(hours=47, minutes=10)
    assert fmt.relative(ahead, now, language="de") == "in 47 Std."
    assert fmt.relative(now + timedelta(days=1, hours=80), now, language="de") == "in 4 Tagen"
    assert fmt.relative(now - timedelta(days=5), now, language="fr") == "il y a 5 jours"
    assert fmt.relative(now + timedelta(seconds=20), now, language="ja") == "今"
    berlin = ZoneInfo("Europe/Berlin")
    assert fmt.deadline(ahead, berlin, now=now, language="de") == "04.03.2026, 09:40 CET (in 47 Std.)"
    assert fmt.relative(ahead, now) == "in 47 h"  # English as it always read
    assert fmt.number(1234.56, 1, language="de") == "1.234,6"
    assert fmt.whole_money(12500, "USD", language="de") == "12.500 USD"
    assert fmt.percent(42.4, language="de") == "42\xa0%"
    assert fmt.percent(-3.2, 1, signed=True, language="de") == "-3,2\xa0%"
    assert fmt.percent(5, signed=True, language="ja") == "+5%"
