"""FX locks, the pure part: which dated rate a business event takes, what the event's amount is worth in the
corporate currency, and how a rates CSV reads.

- The shared dated rates (platform ExchangeRate) are quoted in USD per unit (QUOTE): USD needs no row. The
  corporate currency every lock converts into is an admin's setting (USD until set); another corporate currency
  takes the cross rate of the day, `cross_rate`: (USD per unit of the event's currency) / (USD per unit of the
  corporate one), dated by the older of the two rates.
- The rate of a day is the latest one dated that day or up to FX_LOOKBACK_DAYS before it (a Friday's rate serves
  the weekend), never a later one, so history stays reproducible. The ledger picks its rate by the same week
  (incentives.rules.pick_rate), so a deal's lock and its commission agree on the rate.
- No such rate: `FxRateMissing`, "missing FX rate for KWD on 2028-03-31", and nothing posts.
- The corporate amount is amount × rate, rounded half-even to the corporate currency's minor unit (to_minor).
- `is_currency` / `check_currency`: a currency code as chosen on a form.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_name

from prm_app.platform.errors import ValidationError
from prm_app.platform.money import to_minor

QUOTE = "USD"  # the currency the rates are quoted in
DEFAULT_CORPORATE = "USD"  # the corporate currency until an admin sets one
FX_LOOKBACK_DAYS = 7
RATE_PLACES = Decimal("0.00000001")  # NUMERIC(18, 8)
MAX_RATE = Decimal(100000)
CSV_COLUMNS = ("currency", "date", "rate", "source")
MAX_CSV_ROWS = 2000
MAX_SOURCE = 120


class FxRateMissing(ValidationError):
    """No rate for the currency on the day or the week before: the event is refused rather than counted in a mixed
    or guessed currency."""

    def __init__(self, currency: str, day: date, field: str | None = None):
        super().__init__(f"missing FX rate for {currency} on {day.isoformat()}", field)
        self.currency, self.day = currency, day


@dataclass(frozen=True)
class DatedRate:
    """USD per unit of a currency, dated; `source` says where it came from ("" when nobody said)."""

    on_date: date
    rate: Decimal
    source: str = ""


def rate_on(currency: str, day: date, rates: Iterable[DatedRate]) -> DatedRate:
    """USD per unit of `currency` on `day`: 1 for USD (no row needed), else the latest of `rates` dated on `day` or
    up to FX_LOOKBACK_DAYS before it. Raises FxRateMissing otherwise."""
    if currency == QUOTE:
        return DatedRate(day, Decimal(1), "")
    usable = [r for r in rates if day - timedelta(days=FX_LOOKBACK_DAYS) <= r.on_date <= day]
    if not usable:
        raise FxRateMissing(currency, day)
    return max(usable, key=lambda r: r.on_date)


def cross_rate(of: DatedRate, into: DatedRate) -> DatedRate:
    """Units of the corporate currency per unit of another, from both currencies' USD rates of the day: the
    quotient at 8 decimals, dated by the older rate, with both sources ("ECB" when they agree)."""
    if into.rate == 1 and not into.source:
        return of
    rate = (of.rate / into.rate).quantize(RATE_PLACES)
    sources = [s for s in dict.fromkeys((of.source, into.source)) if s]
    return DatedRate(min(of.on_date, into.on_date), rate, " / ".join(sources))


def corporate_amount(amount: Decimal, rate: Decimal, corporate: str = DEFAULT_CORPORATE) -> Decimal:
    """`amount` × `rate` in the corporate currency at its minor unit, half-even (1234.5 × 1.08 → 1333.26)."""
    return to_minor(amount * rate, corporate)


def quarter_of(day: date) -> str:
    """2026-03-31 → "2026 Q1"."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def is_currency(code: str) -> bool:
    """An ISO 4217 code Babel knows (three capital letters with a name of their own)."""
    return len(code) == 3 and code.isalpha() and code.isupper() and get_currency_name(code, locale="en") != code


def parse_rate(text: str) -> Decimal:
    """ "1.08" → Decimal("1.08000000"); raises ValueError for anything but a number above 0 and below 100,000 with at
    most 8 decimals."""
    try:
        value = Decimal((text or "").strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not value.is_finite() or value <= 0 or value >= MAX_RATE or value != value.quantize(RATE_PLACES):
        raise ValueError("out of range")
    return value.quantize(RATE_PLACES)


@dataclass(frozen=True)
class RateRow:
    currency: str
    on_date: date
    rate: Decimal
    source: str
    line: int = 0  # its line in a CSV (the header is line 1)


@dataclass(frozen=True)
class RowProblem:
    row: int  # the line in the file (the header is line 1)
    message: str


def check_rate(currency: str, on_date: str, rate: str, source: str) -> tuple[RateRow | None, dict[str, str]]:
    """One rate as typed or read: the row, or a message per bad field (currency, on_date, rate, source)."""
    errors: dict[str, str] = {}
    code = (currency or "").strip().upper()
    if not is_currency(code):
        errors["currency"] = "Enter a currency code, like EUR."
    elif code == QUOTE:
        errors["currency"] = f"{QUOTE} is the currency rates are quoted in: its rate is always 1."
    day = None
    try:
        day = date.fromisoformat((on_date or "").strip())
    except ValueError:
        errors["on_date"] = "Enter the day as YYYY-MM-DD."
    value = None
    try:
        value = parse_rate(rate)
    except ValueError:
        errors["rate"] = f"Enter {QUOTE} per unit, a number above 0 with at most 8 decimals."
    text = " ".join((source or "").split())
    if not text:
        errors["source"] = "Say where the rate comes from, like ECB."
    elif len(text) > MAX_SOURCE:
        errors["source"] = f"Keep the source under {MAX_SOURCE} characters."
    if errors or day is None or value is None:
        return None, errors
    return RateRow(code, day, value, text), {}


def parse_rates_csv(text: str) -> tuple[list[RateRow], list[RowProblem]]:
    """A rates file with the columns currency,date,rate,source (a header first). Returns the good rows and a
    problem per bad line (its line number and what is wrong); a day given twice for a currency is a problem too."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in next(reader, [])]
    if tuple(header) != CSV_COLUMNS:
        return [], [RowProblem(1, f"The first line must be the columns {','.join(CSV_COLUMNS)}.")]
    rows: list[RateRow] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[str, date], int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if line > MAX_CSV_ROWS + 1:
            problems.append(RowProblem(line, f"At most {MAX_CSV_ROWS} rates in one file."))
            break
        if len(cells) != len(CSV_COLUMNS):
            problems.append(RowProblem(line, f"Expected {len(CSV_COLUMNS)} values, found {len(cells)}."))
            continue
        row, errors = check_rate(*cells)
        if row is None:
            problems.append(RowProblem(line, " ".join(errors.values())))
            continue
        first = seen.setdefault((row.currency, row.on_date), line)
        if first != line:
            problems.append(RowProblem(line, f"{row.currency} on {row.on_date.isoformat()} is on line {first} too."))
            continue
        rows.append(replace(row, line=line))
    if not rows and not problems:
        problems.append(RowProblem(1, "The file has no rates."))
    return rows, problems
