"""A closed deal's money, vendor side: the customer's payments, refunds, a won deal lost after all (and won again),
and the partner's credit on the deal (sourced or influenced).

Each correction goes through the status machine (service.move) or appends a DealPayment, and tells the areas above
through an engagement event (incentives reverses or re-accrues the commission on it): `deal_lost`, `deal_won`,
`deal_refunded` (its subject the refund's DealPayment). Payments and refunds are appended, never edited: what the
customer has paid is their sum ("paid revenue", which tiering may read).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, col, func, select

from prm_app.deals.models import Credit, Deal, DealEvent, DealPayment, DealStatus
from prm_app.deals.rules import check_payment, check_refund
from prm_app.deals.scope import internal_deal
from prm_app.deals.service import move, note_event
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import DomainError, ValidationError
from prm_app.platform.money import parse_money

CREDIT_LABELS = {Credit.SOURCED: "Sourced", Credit.INFLUENCED: "Influenced"}


def paid_amount(session: Session, deal_id: int) -> Decimal:
    """What the customer has paid on the deal: its payments less its refunds."""
    return Decimal(
        session.exec(select(func.coalesce(func.sum(DealPayment.amount), 0)).where(DealPayment.deal_id == deal_id)).one()
    )


def _decided_deal(session: Session, actor: Actor, deal_id: int) -> Deal:
    actor.require(Permission.DECIDE_DEALS)
    return internal_deal(session, actor, deal_id)


def check_reason(reason: str, field: str = "correction_reason") -> str:
    """A correction's reason, required: the partner reads it on its statement beside the reversal."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why: the partner reads it on its statement.", field)
    return reason[:500]


def _amount(text: str, field: str) -> Decimal:
    try:
        return parse_money(text)
    except ValueError:
        raise ValidationError("Enter the amount as a number, like 12,500.00.", field) from None


def _won(deal: Deal) -> Deal:
    if deal.status != DealStatus.WON or deal.final_amount is None:
        raise DomainError("Only a won deal has payments and refunds.")
    return deal


def record_payment(
    session: Session, actor: Actor, deal_id: int, amount: str, paid_on: str, *, today: date | None = None
) -> int:
    """Record what the customer paid on a won deal and when (not in the future; in all at most the final amount).
    Returns the payment's id."""
    deal = _won(_decided_deal(session, actor, deal_id))
    assert deal.final_amount is not None
    value = _amount(amount, "payment_amount")
    try:
        day = date.fromisoformat((paid_on or "").strip())
    except ValueError:
        raise ValidationError("Enter the day the customer paid.", "paid_on") from None
    if day > (today or utcnow().date()):
        raise ValidationError("The payment day cannot be in the future.", "paid_on")
    check_payment(value, deal.final_amount, paid_amount(session, deal_id), deal.currency)
    payment = DealPayment(deal_id=deal_id, kind="payment", amount=value, on_date=day, actor_user_id=actor.user_id)
    session.add(payment)
    session.flush()
    audit(session, actor, "deal_payment_recorded", "deal", deal_id, amount=str(value), on=day.isoformat())
    return saved_id(payment)


def refund_deal(
    session: Session,
    actor: Actor,
    deal_id: int,
    amount: str,
    reason: str,
    *,
    full: bool = False,
    now: datetime | None = None,
) -> int:
    """A refund to the customer of a won deal, partial (`amount`) or `full` (all it has paid), with the reason the
    partner will read: appended as a negative payment, and the deal's commissions are reversed in the same share of
    the final amount (incentives reacts to `deal_refunded`). Returns the refund's id."""
    deal = _won(_decided_deal(session, actor, deal_id))
    reason = check_reason(reason, "refund_reason")
    paid = paid_amount(session, deal_id)
    value = paid if full else _amount(amount, "refund_amount")
    check_refund(value, paid, deal.currency)
    now = now or utcnow()
    refund = DealPayment(
        deal_id=deal_id, kind="refund", amount=-value, on_date=now.date(), reason=reason, actor_user_id=actor.user_id
    )
    session.add(refund)
    session.flush()
    note_event(session, actor, deal, "refunded", f"{value:,.2f} {deal.currency} refunded: {reason}", at=now)
    audit(session, actor, "deal_refunded", "deal", deal_id, amount=str(value), reason=reason)
    record_engagement(
        session, actor, "deal_refunded", "deal_payment", saved_id(refund), organization_id=deal.organization_id
    )
    return saved_id(refund)


def correct_to_lost(session: Session, actor: Actor, deal_id: int, reason: str) -> None:
    """A won deal that was lost after all (cancelled, never signed): it closes as lost with the reason, and its
    commissions are reversed (incentives reacts to `deal_lost`; after payout the reversal nets against the next)."""
    deal = _decided_deal(session, actor, deal_id)
    reason = check_reason(reason)
    if deal.status != DealStatus.WON:
        raise DomainError("Only a won deal can be corrected to lost.")
    move(session, actor, deal, DealStatus.LOST, "lost", reason, correction=True)


def correct_to_won(session: Session, actor: Actor, deal_id: int, reason: str) -> None:
    """A deal corrected to lost that was won after all: won again at its final amount. Its commission counts once
    (incentives accrues again what the loss reversed, nothing more)."""
    deal = _decided_deal(session, actor, deal_id)
    reason = check_reason(reason)
    if deal.status != DealStatus.LOST or deal.final_amount is None:
        raise DomainError("Only a deal that was won and then corrected to lost can be won again.")
    move(session, actor, deal, DealStatus.WON, "won", reason, correction=True)


def lost_reason(session: Session, deal_id: int) -> str:
    """Why the deal was last marked lost ("" when no one said)."""
    note = session.exec(
        select(DealEvent.note)
        .where(DealEvent.deal_id == deal_id, DealEvent.to_status == DealStatus.LOST)
        .order_by(col(DealEvent.at).desc(), col(DealEvent.id).desc())
    ).first()
    return note or ""


def set_credit(session: Session, actor: Actor, deal_id: int, credit: str) -> None:
    """The manager sets the partner's credit on a deal (sourced or influenced); commission rules by credit read it
    when the deal is won (a change after that does not rewrite an accrual already made)."""
    deal = _decided_deal(session, actor, deal_id)
    if credit not in set(Credit):
        raise ValidationError("Choose sourced or influenced.", "credit")
    if deal.credit == credit:
        return
    before, deal.credit = deal.credit, credit
    session.add(deal)
    note_event(
        session, actor, deal, "credit_changed", f"{CREDIT_LABELS[Credit(before)]} → {CREDIT_LABELS[Credit(credit)]}"
    )
    audit(session, actor, "deal_credit_changed", "deal", deal_id, before=before, after=credit)


@dataclass(frozen=True)
class PaymentLine:
    id: int
    kind: str  # payment | refund
    amount: Decimal  # negative for a refund
    on_date: date
    reason: str


@dataclass(frozen=True)
class DealMoney:
    """A closed deal's money as the manager's deal page shows it."""

    status: str
    credit: str
    currency: str
    final_amount: Decimal | None
    paid: Decimal
    refunded: Decimal  # positive: the sum of the refunds
    payments: tuple[PaymentLine, ...]  # oldest first


def deal_money(session: Session, actor: Actor, deal_id: int) -> DealMoney:
    """The deal's credit, final amount, payments and refunds (for the vendor's people in reach)."""
    deal = internal_deal(session, actor, deal_id)
    rows = session.exec(
        select(DealPayment)
        .where(DealPayment.deal_id == deal_id)
        .order_by(col(DealPayment.on_date), col(DealPayment.id))
    ).all()
    return DealMoney(
        deal.status,
        deal.credit,
        deal.currency,
        deal.final_amount,
        sum((r.amount for r in rows), Decimal(0)),
        -sum((r.amount for r in rows if r.kind == "refund"), Decimal(0)),
        tuple(PaymentLine(saved_id(r), r.kind, r.amount, r.on_date, r.reason) for r in rows),
    )
