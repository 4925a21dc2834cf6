"""Allocating a budget by tier: each partner whose tier gives an MDF share (the `mdf_share` benefit, a percentage)
is suggested that share of the budget; the manager edits the amounts and allocates them together. Every amount
goes through `allocate`, so the ledger's lock and check still hold: the allocations never pass the budget."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from prm_app.incentives.ledger import OverBudget, allocation_amount, budget_allocated, budget_amount
from prm_app.incentives.mdf import allocate
from prm_app.incentives.mdf_rules import suggested_allocation
from prm_app.incentives.models import MdfAllocation, MdfBudget
from prm_app.partners import Organization, benefit_number
from prm_app.platform.access import Actor, Permission
from prm_app.platform.db import part_of
from prm_app.platform.errors import FormInvalid, NotFound, ValidationError

SHARE = "mdf_share"


@dataclass(frozen=True)
class Suggestion:
    organization_id: int
    organization: str
    share_pct: Decimal
    suggested: Decimal
    allocated: Decimal  # what the partner already has of this budget


@dataclass(frozen=True)
class ShareSheet:
    budget_id: int
    budget: str
    currency: str
    amount: Decimal
    free: Decimal
    rows: list[Suggestion]


def share_sheet(session: Session, actor: Actor, budget_id: int, *, day: date) -> ShareSheet:
    """The partners whose tier gives an MDF share on `day`, each with the share of the whole budget it suggests."""
    actor.require(Permission.MANAGE_INCENTIVES)
    budget = session.get(MdfBudget, budget_id)
    if budget is None:
        raise NotFound("budget")
    amount = budget_amount(session, budget_id)
    had = {
        a.organization_id: allocation_amount(session, a.id or 0)
        for a in session.exec(select(MdfAllocation).where(MdfAllocation.budget_id == budget_id)).all()
    }
    rows = []
    for org in session.exec(select(Organization).order_by(col(Organization.name))).all():
        share = benefit_number(session, org.id or 0, SHARE, day)
        if share is None or share <= 0:
            continue
        rows.append(
            Suggestion(
                org.id or 0,
                org.name,
                share,
                suggested_allocation(amount, share, budget.currency),
                had.get(org.id or 0, Decimal(0)),
            )
        )
    return ShareSheet(
        budget_id, budget.name, budget.currency, amount, amount - budget_allocated(session, budget_id), rows
    )


def allocate_shares(
    session: Session, actor: Actor, budget_id: int, amounts: dict[int, str], *, idempotency_key: str
) -> int:
    """Allocate each partner its (edited) amount of the budget, all or nothing: FormInvalid names the partner's
    field (`amount_<id>`) when an amount is wrong, and `total` when together they pass what is free of the budget
    (nothing is allocated then). Empty or zero amounts are skipped. Returns how many partners were allocated."""
    actor.require(Permission.MANAGE_INCENTIVES)
    budget = session.get(MdfBudget, budget_id)
    if budget is None:
        raise NotFound("budget")
    wanted = {org_id: text.strip() for org_id, text in amounts.items() if text.strip() not in ("", "0", "0.00")}
    if not wanted:
        raise FormInvalid({"total": "Enter an amount for at least one partner."})
    free = budget_amount(session, budget_id) - budget_allocated(session, budget_id)  # before this sheet's lines
    count = 0
    with part_of(session):  # all or nothing, also for a caller that goes on after the error
        for org_id, text in sorted(wanted.items()):
            try:
                allocate(session, actor, budget_id, org_id, text, idempotency_key=f"{idempotency_key}:{org_id}"[:120])
            except FormInvalid as exc:
                raise FormInvalid({f"amount_{org_id}": next(iter(exc.errors.values()))}) from None
            except OverBudget:
                room = f"{free:,.2f} {budget.currency}"
                raise FormInvalid(
                    {"total": f"Together these amounts pass the budget: allocate {room} or less."}
                ) from None
            except ValidationError as exc:
                raise FormInvalid({f"amount_{org_id}": exc.message}) from None
            count += 1
    return count
