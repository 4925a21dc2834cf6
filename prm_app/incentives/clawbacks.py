"""Reversals of a deal's commissions, always appended (a ledger line is never changed): a won deal lost after all,
or refunded in part or in full.

- Each accrual's *net* is the accrual plus the reversal lines that name it (`reverses_id`).
- A loss reverses every accrual's net to zero, once (key `reversal:<accrual>`). Won again after that, the deal
  accrues anew (commissions.accrue_deal's key counts the accruals a loss reversed), so won → lost → won counts once.
- A refund of R on a deal of final amount F leaves each accrual at its amount × (1 − all refunds / F), rounded
  half-even to the minor unit; the line posts the difference (key `refund:<refund>:<accrual>`), so a full refund
  ends at exactly zero whatever the partial ones rounded before it.
- A reversal is payable at once (no holding period): before payout it nets the accrual in the same batch; after
  payout it is a negative line that nets against the partner's next payout (rules.select_payable: a payee whose
  total is not above zero is not paid, and the balance carries forward).
"""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, col, select

from prm_app.deals import Deal, DealPayment
from prm_app.incentives.ledger import EARNINGS, Posting, post, total
from prm_app.incentives.models import LedgerLine
from prm_app.incentives.rules import to_minor
from prm_app.platform.access import Actor, Permission
from prm_app.platform.errors import NotFound, ValidationError

LOSS_KEY = "reversal:"


def accruals_of(session: Session, deal_id: int) -> list[LedgerLine]:
    return list(
        session.exec(
            select(LedgerLine)
            .where(LedgerLine.source_type == "deal", LedgerLine.source_id == deal_id, LedgerLine.kind == "accrual")
            .order_by(col(LedgerLine.id))
        ).all()
    )


def net_of(session: Session, accrual: LedgerLine) -> Decimal:
    """What is left of an accrual after the reversals that name it."""
    return accrual.amount + total(session, LedgerLine.reverses_id == accrual.id)


def loss_reversed(session: Session, accrual: LedgerLine) -> bool:
    """Whether a loss reversed this accrual (the deal won again accrues anew)."""
    key = f"{LOSS_KEY}{accrual.id}"
    return session.exec(select(LedgerLine.id).where(LedgerLine.idempotency_key == key)).first() is not None


def _reversal(line: LedgerLine, amount: Decimal, key: str, reason: str, what: str) -> Posting:
    return Posting(
        account=EARNINGS,
        kind="reversal",
        amount=amount,
        currency=line.currency,
        idempotency_key=key,
        source_type="deal",
        source_id=line.source_id,
        organization_id=line.organization_id,
        reason=reason[:500],
        explanation=f"{what}: {line.explanation}",
        program_id=line.program_id,
        rule_id=line.rule_id,
        reverses_id=line.id,
        source_amount=line.source_amount * amount / line.amount if line.amount else Decimal(0),
        source_currency=line.source_currency,
        fx_rate=line.fx_rate,
        fx_date=line.fx_date,
        payable_from=None,
    )


def reverse_deal_earnings(session: Session, actor: Actor | None, deal_id: int, reason: str) -> list[LedgerLine]:
    """A won deal lost: every accrual of the deal still standing is reversed to zero by one negative line (once).
    Before payout it nets the accrual; after payout it nets against the next payout."""
    if actor is not None and actor.role.value != "system":
        actor.require(Permission.MANAGE_INCENTIVES)
    if not reason.strip():
        raise ValidationError("Say why the earnings are reversed.", "reason")
    accruals = accruals_of(session, deal_id)
    if not accruals and actor is not None and actor.role.value != "system":
        raise NotFound("earning")
    # An accrual a loss reversed before keeps that line (post returns it for its key).
    return post(
        session,
        actor,
        [_reversal(line, -net_of(session, line), f"{LOSS_KEY}{line.id}", reason, "Reversal") for line in accruals],
    )


def reverse_refund(session: Session, actor: Actor | None, refund_id: int) -> list[LedgerLine]:
    """A refund on a won deal: each standing accrual of the deal is brought to its share of what was not refunded
    (see the module's note). Once per refund and accrual."""
    refund = session.get(DealPayment, refund_id)
    if refund is None or refund.kind != "refund":
        return []
    deal = session.get(Deal, refund.deal_id)
    if deal is None or not deal.final_amount:
        return []
    kept = 1 - refunded_share(session, deal, upto=refund_id)
    postings = []
    for line in accruals_of(session, refund.deal_id):
        if loss_reversed(session, line):
            continue
        target = to_minor(line.amount * kept, line.currency)
        change = target - net_of(session, line)
        if change:
            what = "Refund" if kept else "Full refund"
            postings.append(_reversal(line, change, f"refund:{refund_id}:{line.id}", refund.reason, what))
    return post(session, actor, postings)


def refunded_share(session: Session, deal: Deal, *, upto: int | None = None) -> Decimal:
    """The share of the deal's final amount refunded (0 to 1), by its refunds up to the one `upto` (all when
    None): a refund's reversal leaves the rest, and an accrual made again (won after a loss) applies the rest."""
    if not deal.final_amount:
        return Decimal(0)
    query = select(col(DealPayment.amount)).where(DealPayment.deal_id == deal.id, DealPayment.kind == "refund")
    if upto is not None:
        query = query.where(col(DealPayment.id) <= upto)
    refunded = -sum(session.exec(query).all(), Decimal(0))
    return min(Decimal(1), max(Decimal(0), refunded / deal.final_amount))
