"""How values look on screen, in one place: queries return raw values (Decimal, datetime, int, None) and the
pages format them here. "—" stands for a value that does not exist (never for zero).

One style everywhere, the one the mails already use:
- a day: "30 Nov 2026";
- a moment: "30 Nov 2026, 14:05 CET", in the viewer's own time zone (named, so a shared screenshot is never
  ambiguous); the database holds UTC and `zone` comes from the person's setting (identity's `viewer_zone`);
- a deadline: the moment plus how far away it is: "30 Nov 2026, 14:05 CET (in 47 h)";
- money: "48,500.00 EUR" (two decimals, thousands separated, the currency's code after it);
- a count of things: "1 deal", "3 deals".

That is English, the default, in plain strftime: a fixed pattern keeps the output the same on every machine
(babel's short zone names are "GMT+1" for most zones). For a person who reads another language (`language`, a code
of platform/i18n.py) days, moments and money follow that language's region with Babel's CLDR patterns: in German
"31.03.2028", "31.03.2028, 14:05 CEST", "1.234,56 €"; the zone keeps its short name either way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import TypeVar

from babel import Locale
from babel.dates import format_date, format_time, get_datetime_format
from babel.numbers import format_currency, format_decimal, format_percent

from prm_app.platform.i18n import DEFAULT_LANGUAGE, FORMAT_LOCALES, catalogue

T = TypeVar("T")
DASH = "—"


def or_dash(value: T | None, show: Callable[[T], str] = str) -> str:  # type: ignore[assignment]
    """`show(value)`, or "—" when there is no value."""
    return DASH if value is None or value == "" else show(value)


# ------------------------------------------------------------------------------------------------ numbers


def _region(language: str) -> str | None:
    """The Babel locale `language` is formatted in, None for English (the house style above)."""
    return None if language == DEFAULT_LANGUAGE else FORMAT_LOCALES.get(language)


def money(amount: Decimal | float | int | None, currency: str = "", *, language: str = DEFAULT_LANGUAGE) -> str:
    """12500.5, "EUR" -> "12,500.50 EUR" (two decimals, thousands separated); in German "12.500,50 €"."""
    if amount is None:
        return DASH
    if (region := _region(language)) is not None:
        value = Decimal(str(amount))
        if currency:
            return format_currency(value, currency, locale=region, format_type="standard")
        return format_decimal(value, format="#,##0.00", locale=region)
    text = f"{Decimal(str(amount)):,.2f}"
    return f"{text} {currency}" if currency else text


def whole_money(amount: Decimal | float | int | None, currency: str = "", *, language: str = DEFAULT_LANGUAGE) -> str:
    """12500.5, "USD" -> "12,501 USD": for totals on dashboards and scorecards (German "12.501 USD")."""
    if amount is None:
        return DASH
    whole = round(Decimal(str(amount)))
    region = _region(language)
    text = f"{whole:,}" if region is None else format_decimal(whole, format="#,##0", locale=region)
    return f"{text} {currency}" if currency else text


def number(value: int | float | None, digits: int = 0, *, language: str = DEFAULT_LANGUAGE) -> str:
    """1234 -> "1,234"; 12.345 with digits=1 -> "12.3" (German "1.234", "12,3")."""
    if value is None:
        return DASH
    if (region := _region(language)) is None:
        return f"{value:,.{digits}f}"
    return format_decimal(round(value, digits), format="#,##0" + ("." + "0" * digits if digits else ""), locale=region)


def percent(value: float | None, digits: int = 0, signed: bool = False, *, language: str = DEFAULT_LANGUAGE) -> str:
    """0-100 scale: 42.4 -> "42%"; signed=True -> "+42%" (a change); German "42 %", "+42 %"."""
    if value is None:
        return DASH
    if (region := _region(language)) is None:
        return f"{value:+.{digits}f}%" if signed else f"{value:.{digits}f}%"
    pattern = str(Locale.parse(region).percent_formats[None].pattern)  # "#,##0 %" (de), "#,##0%" (ja)
    if digits:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * digits, 1)
    shown = format_percent(value / 100, format=pattern, locale=region)
    return f"+{shown}" if signed and value >= 0 else shown


def hours(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f} h"


def raw_number(value: float | int | None) -> str:
    """A number as the browser printed it when pages held the raw value: 20.0 -> "20", 33.3 -> "33.3", None -> ""
    (what the NPS figures and the top partners table have always shown)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def plural(count: int, one: str, many: str = "") -> str:
    """The count and the word that fits it: (1, "deal") -> "1 deal", (3, "deal") -> "3 deals", (0, "deal") ->
    "0 deals", (2, "person", "people") -> "2 people", (1234, "lead") -> "1,234 leads"."""
    return f"{count:,} {one if count == 1 else many or one + 's'}"


# ------------------------------------------------------------------------------------------------ time

_DAY = "%-d %b %Y"


def _in_zone(value: datetime, zone: tzinfo) -> datetime:
    """`value` seen in `zone` (a naive value is UTC: that is what the database holds)."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone)


def zone_abbreviation(value: datetime, zone: tzinfo) -> str:
    """The zone's short name at that moment: "CET", "EDT", "UTC"; "UTC+04" where the zone has no letters."""
    name = _in_zone(value, zone).tzname() or "UTC"
    return f"UTC{name}" if name[:1] in "+-" else name


def day(value: date | datetime | None, zone: tzinfo = UTC, *, language: str = DEFAULT_LANGUAGE) -> str:
    """A day for people: "30 Nov 2026" (German "30.11.2026", French "30 nov. 2026", Japanese "2026/11/30"). A
    datetime is first seen in `zone` (its day there); a date is as it is."""
    if value is None:
        return DASH
    if isinstance(value, datetime):
        value = _in_zone(value, zone)
    region = _region(language)
    return value.strftime(_DAY) if region is None else format_date(value, "medium", locale=region)


def moment(value: datetime | None, zone: tzinfo = UTC, *, named: bool = True, language: str = DEFAULT_LANGUAGE) -> str:
    """A point in time in `zone`, to the minute: "30 Nov 2026, 14:05 CET", German "30.11.2026, 14:05 CET"
    (named=False: without the zone's name, for a column whose header names it once)."""
    if value is None:
        return DASH
    local = _in_zone(value, zone)
    region = _region(language)
    if region is None:
        text = local.strftime(f"{_DAY}, %H:%M")
    else:
        pattern = str(get_datetime_format("medium", locale=region))
        text = pattern.replace("{1}", format_date(local, "medium", locale=region)).replace(
            "{0}", format_time(local, "HH:mm", locale=region)
        )
    return f"{text} {zone_abbreviation(value, zone)}" if named else text


def relative(value: datetime, now: datetime, *, language: str = DEFAULT_LANGUAGE) -> str:
    """How far `value` is from `now`, roughly: "in 12 min", "in 47 h", "in 5 days", "3 h ago", "now" (German
    "in 47 Std.", "vor 5 Tagen": web/locales' `when.*`). Hours up to three days (a 48-hour deadline reads as
    hours), whole days beyond; rounded down, so a deadline never looks further away than it is."""
    seconds = (_in_zone(value, UTC) - _in_zone(now, UTC)).total_seconds()
    ahead, size = seconds >= 0, abs(seconds)
    words = catalogue(language)
    if size < 60:
        return words.text("when.now")
    if size < 3600:
        unit, count = "minutes", int(size // 60)
    elif size < 72 * 3600:
        unit, count = "hours", int(size // 3600)
    else:
        unit, count = "days", int(size // 86400)
    return words.plural(f"when.{'in' if ahead else 'ago'}_{unit}", count)


def deadline(value: datetime | None, zone: tzinfo = UTC, *, now: datetime, language: str = DEFAULT_LANGUAGE) -> str:
    """A moment someone has to act by, with how long is left: "30 Nov 2026, 14:05 CET (in 47 h)", German
    "30.11.2026, 14:05 CET (in 47 Std.)"."""
    if value is None:
        return DASH
    return f"{moment(value, zone, language=language)} ({relative(value, now, language=language)})"
