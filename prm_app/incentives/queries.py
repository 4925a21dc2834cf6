"""Reads: a partner's earnings statement and MDF, and the managers' views of programs, funds and payouts. Frozen
dataclasses with raw values; every figure is a sum of ledger lines. A partner's reads take its organization from
the actor, never from an argument."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from prm_app.incentives.claims import duplicates
from prm_app.incentives.ledger import (
    EARNINGS,
    allocation_amount,
    allocation_remaining,
    budget_allocated,
    budget_amount,
)
from prm_app.incentives.mdf import _partner_org, _reviewable
from prm_app.incentives.models import (
    ClaimLine,
    FundClaim,
    FundRequest,
    LedgerLine,
    MdfAllocation,
    MdfBudget,
    Payout,
    PayoutItem,
)
from prm_app.incentives.rules import ZERO
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import NotFound


@dataclass(frozen=True)
class EarningLine:
    id: int
    at: datetime
    kind: str
    explanation: str
    amount: Decimal
    currency: str
    source_amount: Decimal
    source_currency: str
    fx_rate: Decimal
    fx_date: date
    payable_from: datetime | None
    status: str  # accrued | payable | in_payout | paid | payout
    reason: str = ""  # why a reversal was made (the deal lost, refunded): the partner reads it


@dataclass(frozen=True)
class Totals:
    currency: str
    accrued: Decimal
    payable: Decimal
    in_payout: Decimal
    paid: Decimal


@dataclass(frozen=True)
class Statement:
    lines: list[EarningLine]
    totals: list[Totals]


def _statuses(session: Session, line_ids: list[int]) -> dict[int, str]:
    if not line_ids:
        return {}
    rows = session.exec(
        select(PayoutItem.line_id, Payout.status)
        .join(Payout, Payout.id == PayoutItem.payout_id)  # type: ignore[arg-type]
        .where(PayoutItem.line_id.in_(line_ids), PayoutItem.released == False)  # type: ignore[attr-defined]  # noqa: E712
    ).all()
    return {line_id: ("paid" if status == "paid" else "in_payout") for line_id, status in rows}


def statement_for(session: Session, organization_id: int, now: datetime | None = None) -> Statement:
    now = now or utcnow()
    lines = session.exec(
        select(LedgerLine)
        .where(LedgerLine.account == EARNINGS, LedgerLine.organization_id == organization_id)
        .order_by(LedgerLine.created_at.desc(), LedgerLine.id.desc())  # type: ignore[attr-defined,union-attr]
        .limit(500)
    ).all()
    held = _statuses(session, [line.id for line in lines if line.id is not None])
    out: list[EarningLine] = []
    totals: dict[str, dict[str, Decimal]] = {}
    for line in lines:
        if line.kind in ("payout", "payout_returned"):
            status = "payout"
        elif line.id in held:
            status = held[line.id]
        elif line.payable_from is not None and line.payable_from > now:
            status = "accrued"
        else:
            status = "payable"
        out.append(
            EarningLine(
                line.id or 0,
                line.created_at,
                line.kind,
                line.explanation,
                line.amount,
                line.currency,
                line.source_amount,
                line.source_currency,
                line.fx_rate,
                line.fx_date,
                line.payable_from,
                status,
                line.reason if line.kind == "reversal" else "",
            )
        )
        if status != "payout":
            bucket = totals.setdefault(line.currency, {k: ZERO for k in ("accrued", "payable", "in_payout", "paid")})
            bucket[status] += line.amount
    return Statement(
        out, [Totals(c, t["accrued"], t["payable"], t["in_payout"], t["paid"]) for c, t in sorted(totals.items())]
    )


def my_statement(session: Session, actor: Actor, *, now: datetime | None = None) -> Statement:
    """The actor's own organization's earnings, newest first, with totals per currency and status."""
    actor.require(Permission.USE_PORTAL)
    if actor.organization_id is None:
        raise NotFound("statement")
    return statement_for(session, actor.organization_id, now)


@dataclass(frozen=True)
class ClaimLineView:
    id: int
    description: str
    invoice_number: str
    amount_claimed: Decimal
    final_amount: Decimal | None
    status: str
    reviewer_note: str
    file_name: str
    duplicate_of: list[int]


@dataclass(frozen=True)
class RequestView:
    id: int
    organization: str
    activity_type: str
    title: str
    starts_on: date
    ends_on: date
    expected_leads: int
    requested_amount: Decimal
    partner_contribution: Decimal
    currency: str
    status: str
    approved_amount: Decimal | None
    reimbursement_pct: int | None
    claim_due_on: date | None
    decision_note: str
    claim_id: int | None
    claim_status: str
    lines: list[ClaimLineView]
    allocation_id: int


@dataclass(frozen=True)
class AllocationView:
    id: int
    budget: str
    organization: str
    currency: str
    period_end: date
    amount: Decimal
    remaining: Decimal


def _request_view(
    session: Session, request: FundRequest, currency: str, org_name: str, *, for_partner: bool = False
) -> RequestView:
    """`for_partner`: duplicates are looked for among the request's own partner's claims only."""
    claim = session.exec(select(FundClaim).where(FundClaim.request_id == request.id)).first()
    lines = (
        session.exec(select(ClaimLine).where(ClaimLine.claim_id == claim.id).order_by(col(ClaimLine.id))).all()
        if claim
        else []
    )
    return RequestView(
        request.id or 0,
        org_name,
        request.activity_type,
        request.title,
        request.starts_on,
        request.ends_on,
        request.expected_leads,
        request.requested_amount,
        request.partner_contribution,
        currency,
        request.status,
        request.approved_amount,
        request.reimbursement_pct,
        request.claim_due_on,
        request.decision_note,
        claim.id if claim else None,
        claim.status if claim else "",
        [
            ClaimLineView(
                line.id or 0,
                line.description,
                line.invoice_number,
                line.amount_claimed,
                line.final_amount,
                line.status,
                line.reviewer_note,
                line.file_name,
                duplicates(session, line, organization_id=request.organization_id if for_partner else None),
            )
            for line in lines
        ],
        request.allocation_id,
    )


def _org_names(session: Session) -> dict[int, str]:
    from prm_app.partners import Organization

    return {o.id: o.name for o in session.exec(select(Organization)).all() if o.id is not None}


@dataclass(frozen=True)
class MyFunds:
    allocations: list[AllocationView]
    requests: list[RequestView]


def my_funds(session: Session, actor: Actor) -> MyFunds:
    """The actor's organization's allocations (with what is left) and requests with their claims."""
    org_id = _partner_org(actor)
    names = _org_names(session)
    allocations = []
    currencies: dict[int, str] = {}
    rows = session.exec(
        select(MdfAllocation, MdfBudget)
        .join(MdfBudget, MdfBudget.id == MdfAllocation.budget_id)  # type: ignore[arg-type]
        .where(MdfAllocation.organization_id == org_id)
        .order_by(MdfBudget.period_end.desc())  # type: ignore[attr-defined]
    ).all()
    for allocation, budget in rows:
        aid = allocation.id or 0
        currencies[aid] = budget.currency
        allocations.append(
            AllocationView(
                aid,
                budget.name,
                names.get(org_id, ""),
                budget.currency,
                budget.period_end,
                allocation_amount(session, aid),
                allocation_remaining(session, aid),
            )
        )
    requests = session.exec(
        select(FundRequest).where(FundRequest.organization_id == org_id).order_by(FundRequest.id.desc()).limit(100)  # type: ignore[union-attr]
    ).all()
    return MyFunds(
        allocations,
        [_request_view(session, r, currencies.get(r.allocation_id, ""), "", for_partner=True) for r in requests],
    )


@dataclass(frozen=True)
class BudgetView:
    id: int
    name: str
    period_start: date
    period_end: date
    currency: str
    amount: Decimal
    allocated: Decimal
    allocations: list[AllocationView]


def budgets(session: Session, actor: Actor) -> list[BudgetView]:
    actor.require(Permission.MANAGE_INCENTIVES)
    names = _org_names(session)
    out = []
    for budget in session.exec(select(MdfBudget).order_by(MdfBudget.period_end.desc())).all():  # type: ignore[attr-defined]
        bid = budget.id or 0
        allocations = [
            AllocationView(
                a.id or 0,
                budget.name,
                names.get(a.organization_id, ""),
                budget.currency,
                budget.period_end,
                allocation_amount(session, a.id or 0),
                allocation_remaining(session, a.id or 0),
            )
            for a in session.exec(select(MdfAllocation).where(MdfAllocation.budget_id == bid)).all()
        ]
        out.append(
            BudgetView(
                bid,
                budget.name,
                budget.period_start,
                budget.period_end,
                budget.currency,
                budget_amount(session, bid),
                budget_allocated(session, bid),
                sorted(allocations, key=lambda a: a.organization),
            )
        )
    return out


def review_queue(session: Session, actor: Actor) -> list[RequestView]:
    """Requests and claims waiting for a decision, of the partners the actor reaches."""
    actor.require(Permission.REVIEW_FUNDS)
    from prm_app.partners import Organization

    query = (
        select(FundRequest, Organization.name, MdfBudget.currency)
        .join(Organization, Organization.id == FundRequest.organization_id)  # type: ignore[arg-type]
        .join(MdfAllocation, MdfAllocation.id == FundRequest.allocation_id)  # type: ignore[arg-type]
        .join(MdfBudget, MdfBudget.id == MdfAllocation.budget_id)  # type: ignore[arg-type]
        .where(FundRequest.status.in_(("submitted", "approved", "info_requested", "rejected")))  # type: ignore[attr-defined]
        .order_by(col(FundRequest.id))
        .limit(100)
    )
    if (owner := actor.book_owner()) is not None:
        query = query.where(Organization.channel_manager_id == owner)
    return [_request_view(session, r, currency, name) for r, name, currency in session.exec(query).all()]


def request_for_review(session: Session, actor: Actor, request_id: int) -> RequestView:
    request, org = _reviewable(session, actor, request_id)
    allocation = session.get(MdfAllocation, request.allocation_id)
    budget = session.get(MdfBudget, allocation.budget_id) if allocation else None
    return _request_view(session, request, budget.currency if budget else "", org.name)
