"""Exchange rates, added by admins to the dated rates every area converts with: a day's rate is set once, and
adding one posts again the earnings its absence held (commissions.post_held_earnings)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from sqlmodel import Session, select

from prm_app.incentives.commissions import post_held_earnings
from prm_app.incentives.rules import CURRENCIES
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import FormInvalid, ValidationError
from prm_app.platform.models import ExchangeRate


def add_fx_rate(session: Session, actor: Actor, currency: str, on_date: str, usd_per_unit: str) -> int:
    """Record what one unit of `currency` is worth in USD from a day (the shared dated rates every area converts
    with; a day's rate is set once: a different one is refused), then post the earnings a missing rate held.
    Returns how many held earnings posted."""
    actor.require(Permission.MANAGE_INCENTIVES)
    errors: dict[str, str] = {}
    if currency not in CURRENCIES or currency == "USD":
        errors["currency"] = "Choose a currency other than USD."
    day = utcnow().date()
    try:
        day = date.fromisoformat(on_date)
    except ValueError:
        errors["on_date"] = "Enter a date."
    value = Decimal(0)
    try:
        value = Decimal((usd_per_unit or "").strip())
        if not value.is_finite() or value <= 0 or value > 100000:
            raise InvalidOperation
    except InvalidOperation:
        errors["usd_per_unit"] = "Enter the rate, a number above 0."
    if errors:
        raise FormInvalid(errors)
    existing = session.exec(
        select(ExchangeRate).where(ExchangeRate.currency == currency, ExchangeRate.as_of == day)
    ).first()
    if existing is not None:
        raise ValidationError(
            f"The rate for {day:%d %b %Y} is already {existing.usd_per_unit.normalize():f}.", "on_date"
        )
    session.add(ExchangeRate(currency=currency, as_of=day, usd_per_unit=value))
    audit(
        session, actor, "exchange_rate_added", "exchange_rate", None, currency=currency, day=str(day), rate=str(value)
    )
    session.flush()
    return post_held_earnings(session, actor)
