"""Money parsing shared by every form that takes an amount. Money is Decimal, never float.

Two roundings, each stated once: `parse_money` (deal values, NUMERIC(14, 2)) rounds half-up to cents as typed;
`to_minor` rounds **half-even to the currency's own minor unit** (USD 2 decimals, JPY 0, KWD 3, from the ISO 4217
data Babel ships): every amount of an incentive programme (flat commissions, caps, minimum payouts, rebate bands,
SPIFF bonuses) and every ledger amount goes through it, typed ones through `parse_money_in`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import get_currency_precision
from sqlalchemy import Column, Numeric

# Amounts are stored as NUMERIC(14, 2); anything at or above this is a typo, and would overflow PostgreSQL.
MAX_VALUE = Decimal("1000000000")


def parse_money(text: str) -> Decimal:
    """'12,500.5' -> Decimal('12500.50'); raises ValueError for anything that is not a plain amount."""
    cleaned = (text or "").strip().replace(",", "").replace(" ", "")
    if not cleaned:
        raise ValueError("empty")
    try:
        value = Decimal(cleaned)
        if not value.is_finite():
            raise ValueError("not a number")
        # Inside the try: quantizing a huge amount ("1e30", 29+ digits) overflows the context (InvalidOperation).
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError("not a number") from None


def money_column(nullable: bool = False) -> Column[Decimal]:
    return Column(Numeric(14, 2, asdecimal=True), nullable=nullable)


def minor_units(currency: str) -> int:
    """How many decimals `currency` has (USD 2, JPY 0, KWD 3)."""
    return int(get_currency_precision(currency))


def to_minor(amount: Decimal, currency: str) -> Decimal:
    """`amount` rounded half-even to `currency`'s minor unit: 0.125 USD -> 0.12, 0.135 USD -> 0.14, 1234.5 JPY ->
    1234, 1.0005 KWD -> 1.000."""
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_EVEN)


def parse_money_in(text: str, currency: str) -> Decimal:
    """A programme amount as typed ("1,250.125") in `currency`, rounded half-even to its minor unit (1250.12 USD,
    1250 JPY, 1250.125 KWD); raises ValueError for anything that is not a plain amount."""
    cleaned = (text or "").strip().replace(",", "").replace(" ", "")
    try:
        value = Decimal(cleaned)
        if not value.is_finite() or abs(value) >= MAX_VALUE:
            raise ValueError("not a number")
        return to_minor(value, currency)
    except InvalidOperation:
        raise ValueError("not a number") from None
