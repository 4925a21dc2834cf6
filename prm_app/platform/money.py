"""Money parsing shared by every form that takes an amount. Money is Decimal, never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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
