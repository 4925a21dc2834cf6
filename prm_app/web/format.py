"""How values look on screen, in one place: queries return raw values (Decimal, datetime, int, None) and the
pages format them here. "—" stands for a value that does not exist (never for zero)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

T = TypeVar("T")
DASH = "—"


def or_dash(value: T | None, show: Callable[[T], str] = str) -> str:  # type: ignore[assignment]
    """`show(value)`, or "—" when there is no value."""
    return DASH if value is None or value == "" else show(value)


def money(amount: Decimal | float | int | None, currency: str = "") -> str:
    """12500.5, "EUR" -> "12,500.50 EUR" (two decimals, thousands separated)."""
    if amount is None:
        return DASH
    text = f"{Decimal(str(amount)):,.2f}"
    return f"{text} {currency}" if currency else text


def whole_money(amount: Decimal | float | int | None, currency: str = "") -> str:
    """12500.5, "USD" -> "12,501 USD": for totals on dashboards and scorecards."""
    if amount is None:
        return DASH
    text = f"{round(Decimal(str(amount))):,}"
    return f"{text} {currency}" if currency else text


def number(value: int | float | None, digits: int = 0) -> str:
    """1234 -> "1,234"; 12.345 with digits=1 -> "12.3"."""
    return DASH if value is None else f"{value:,.{digits}f}"


def percent(value: float | None, digits: int = 0, signed: bool = False) -> str:
    """0-100 scale: 42.4 -> "42%"; signed=True -> "+42%" (a change)."""
    if value is None:
        return DASH
    return f"{value:+.{digits}f}%" if signed else f"{value:.{digits}f}%"


def hours(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f} h"


def day(value: date | datetime | None) -> str:
    """An ISO day, as people and spreadsheets both read it: 2026-11-30."""
    return DASH if value is None else value.strftime("%Y-%m-%d")


def moment(value: datetime | None, *, zone: bool = True) -> str:
    """A point in time in UTC, to the minute: 2026-11-30 14:05 UTC (zone=False: without " UTC", for a column
    whose header says it once)."""
    if value is None:
        return DASH
    return value.strftime("%Y-%m-%d %H:%M UTC" if zone else "%Y-%m-%d %H:%M")


def long_day(value: date | datetime) -> str:
    """A day for people: "15 Jan 2030" (profiles' "Partner since")."""
    return value.strftime("%d %b %Y")


def long_moment(value: datetime) -> str:
    """A UTC moment for people, to the minute: "15 Jan 2030 09:00 UTC" (when an invitation expires)."""
    return value.strftime("%d %b %Y %H:%M UTC")


def raw_number(value: float | int | None) -> str:
    """A number as the browser printed it when pages held the raw value: 20.0 -> "20", 33.3 -> "33.3", None -> ""
    (what the NPS figures and the top partners table have always shown)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
