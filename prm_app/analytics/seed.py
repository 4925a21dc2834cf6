"""Demo exchange rates (USD per unit, dated) so dashboards can add up deals in several currencies. Idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from prm_app.platform.models import ExchangeRate

AS_OF = date(2026, 1, 1)
USD_PER_UNIT = {
    "USD": "1", "EUR": "1.08", "GBP": "1.27", "CAD": "0.73", "AUD": "0.66", "JPY": "0.0067", "INR": "0.012",
    "CHF": "1.13", "SEK": "0.095", "NOK": "0.093", "BRL": "0.20", "CLP": "0.0011", "MXN": "0.058", "MAD": "0.10",
}  # fmt: skip


def seed(session: Session) -> dict[str, int]:
    """The demo's dated exchange rates to USD; returns {"exchange rates": how many were added}."""
    have = set(session.exec(select(ExchangeRate.currency).where(ExchangeRate.as_of == AS_OF)).all())
    new = [
        ExchangeRate(currency=c, as_of=AS_OF, usd_per_unit=Decimal(r)) for c, r in USD_PER_UNIT.items() if c not in have
    ]
    session.add_all(new)
    return {"exchange rates": len(new)}
