"""Reads for the payouts page: each recent batch with its payouts, named by payee (a partner, or a rep's own
reward), and the batch's total of the payouts not failed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, select

from prm_app.incentives.models import PayeeProfile, Payout, PayoutBatch
from prm_app.incentives.queries import _org_names
from prm_app.incentives.rules import ZERO
from prm_app.platform.access import Actor, Permission


@dataclass(frozen=True)
class PayoutRow:
    id: int
    organization: str
    amount: Decimal
    currency: str
    status: str
    failure_reason: str


@dataclass(frozen=True)
class BatchView:
    id: int
    label: str
    currency: str
    status: str
    reference: str
    created_at: datetime
    total: Decimal
    payouts: list[PayoutRow]


def _payee_name(organization: str, rep: str | None) -> str:
    """ "Ganges Tech Distributors", or "Ganges Tech Distributors: Neha Rao" for a rep's own reward."""
    return f"{organization}: {rep}" if rep else organization


def payout_batches(session: Session, actor: Actor) -> list[BatchView]:
    actor.require(Permission.MANAGE_INCENTIVES)
    names = _org_names(session)
    out = []
    payees = {p.id: p.name for p in session.exec(select(PayeeProfile)).all()}
    for batch in session.exec(select(PayoutBatch).order_by(PayoutBatch.id.desc()).limit(50)).all():  # type: ignore[union-attr]
        payouts = [
            PayoutRow(
                p.id or 0,
                _payee_name(names.get(p.organization_id, ""), payees.get(p.payee_id)),
                p.amount,
                p.currency,
                p.status,
                p.failure_reason,
            )
            for p in session.exec(select(Payout).where(Payout.batch_id == batch.id).order_by(Payout.id)).all()  # type: ignore[arg-type]
        ]
        total = sum((p.amount for p in payouts if p.status != "failed"), ZERO)
        out.append(
            BatchView(
                batch.id or 0,
                batch.label,
                batch.currency,
                batch.status,
                batch.reference,
                batch.created_at,
                total,
                payouts,
            )
        )
    return out
