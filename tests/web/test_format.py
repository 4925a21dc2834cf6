"""Formatting lives in one place; "—" means no value, never zero."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

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


def test_days_and_moments_in_utc():
    at = datetime(2026, 11, 30, 14, 5, 59, tzinfo=UTC)

    assert fmt.day(at) == fmt.day(date(2026, 11, 30)) == "2026-11-30"
    assert fmt.moment(at) == "2026-11-30 14:05 UTC"
    assert fmt.moment(at, zone=False) == "2026-11-30 14:05"
    assert fmt.day(None) == fmt.moment(None) == "—"


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


def test_long_formats_for_people():
    assert fmt.long_day(datetime(2030, 1, 5, 8, 0, tzinfo=UTC)) == "05 Jan 2030"
    assert fmt.long_moment(datetime(2030, 1, 22, 9, 5, tzinfo=UTC)) == "22 Jan 2030 09:05 UTC"
