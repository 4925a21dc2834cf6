"""A partner's payout currency: what it is paid in, whatever each program counts in.

An earning posts in the program's (or budget's) currency unless the partner has a payout currency of its own; then
`to_payout_currency` converts it when it posts, at the stored dated rate of the event's day (the fx area's rates,
through ledger.convert), and the line keeps the earning as the program counted it (`source_amount`,
`source_currency`) with the rate and its date. So statements and payouts are in the partner's currency, and the
program's own sums (caps, rebate totals) are read back from the source side (`in_program_currency`). A missing
rate refuses the posting: "missing FX rate for KWD on 2028-03-31". A change applies to earnings after it; lines
already posted keep their currency (the ledger is never rewritten).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import case, func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from prm_app.incentives.ledger import Posting, convert
from prm_app.incentives.models import LedgerLine, PartnerPayoutCurrency
from prm_app.incentives.rules import CURRENCIES
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import FormInvalid, NotFound


def payout_currency(session: Session, organization_id: int | None) -> str:
    """The partner's payout currency, "" when it is paid in each program's own."""
    if organization_id is None:
        return ""
    row = session.exec(
        select(PartnerPayoutCurrency).where(PartnerPayoutCurrency.organization_id == organization_id)
    ).first()
    return row.currency if row is not None else ""


def set_payout_currency(session: Session, actor: Actor, organization_id: int, currency: str) -> str:
    """Pay the partner in `currency` from now on ("" : in each program's own currency). Admins only; audited.
    Returns the currency now in force. Raises NotFound for an unknown partner, FormInvalid for a currency we do not
    pay in."""
    actor.require(Permission.MANAGE_INCENTIVES)
    if session.get(Organization, organization_id) is None:
        raise NotFound("partner")
    currency = (currency or "").strip().upper()
    if currency and currency not in CURRENCIES:
        raise FormInvalid({"payout_currency": "Choose a currency we pay in."})
    row = session.exec(
        select(PartnerPayoutCurrency).where(PartnerPayoutCurrency.organization_id == organization_id)
    ).first()
    before = row.currency if row is not None else ""
    if currency == before:
        return currency
    if row is None:
        row = PartnerPayoutCurrency(organization_id=organization_id, currency=currency)
    row.currency, row.set_by_id, row.set_at = currency, actor.user_id, utcnow()
    if currency:
        session.add(row)
    else:
        session.delete(row)
    audit(session, actor, "payout_currency_set", "organization", organization_id, currency=currency, before=before)
    session.flush()
    return currency


def to_payout_currency(session: Session, posting: Posting, day: date) -> Posting:
    """`posting` (an earning of its program's currency) in its partner's payout currency at the rate of `day`,
    with the program's amount, the rate and its date beside it; unchanged when the partner has none or the same.
    Raises FxMissing when a rate is missing (nothing posts)."""
    target = payout_currency(session, posting.organization_id)
    if not target or target == posting.currency:
        return posting
    converted, rate = convert(session, posting.amount, posting.currency, target, day)
    return replace(
        posting,
        amount=converted,
        currency=target,
        source_amount=posting.amount,
        source_currency=posting.currency,
        fx_rate=rate.rate,
        fx_date=rate.on_date,
    )


def in_program_currency(currency: str) -> ColumnElement[Decimal]:
    """A line's amount in `currency` (its program's): the amount itself, or the source amount of a line converted
    into the partner's payout currency from it. For sums a program checks (caps, rebate totals)."""
    return func.coalesce(
        func.sum(
            case(
                (col(LedgerLine.currency) == currency, col(LedgerLine.amount)),
                (col(LedgerLine.source_currency) == currency, col(LedgerLine.source_amount)),
                else_=Decimal(0),
            )
        ),
        0,
    )


def payout_currencies(session: Session, actor: Actor) -> list[tuple[int, str, str]]:
    """(partner id, partner name, payout currency or "") of every partner, by name, for the admins' form."""
    actor.require(Permission.MANAGE_INCENTIVES)
    rows = session.exec(
        select(Organization.id, Organization.name, PartnerPayoutCurrency.currency)
        .join(PartnerPayoutCurrency, PartnerPayoutCurrency.organization_id == Organization.id, isouter=True)  # type: ignore[arg-type]
        .order_by(Organization.name)
    ).all()
    return [(org_id or 0, name, currency or "") for org_id, name, currency in rows]
