"""The return on market development funds. Once its activity has begun, the partner reports what an approved
request brought (leads, opportunities, pipeline, won revenue) and links its own deals that came from it. The ROI is
the **attributed** won revenue (the linked deals that were won, in the budget's currency at the rate of the day they
closed) per unit **reimbursed** (the approved claim's ledger line); the cost per lead is the amount reimbursed per
lead reported (or, before a report, per lead the claim counted). The partner's own figures are shown beside them.

A partner links only deals of its own organization, to requests of its own organization: both are looked up through
the actor, never taken from the browser as they come."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from prm_app.deals import LIVE_STATUSES, Deal, DealStatus
from prm_app.incentives.claims import _currency, _own_request
from prm_app.incentives.ledger import EARNINGS, convert, lock
from prm_app.incentives.mdf import _reviewable
from prm_app.incentives.mdf_models import FundRequestDeal, FundResult
from prm_app.incentives.mdf_rules import cost_per_lead, roi
from prm_app.incentives.models import FundClaim, FundRequest, LedgerLine
from prm_app.incentives.rules import FxMissing, RequestStatus, parse_amount, to_minor
from prm_app.platform.access import Actor
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import DomainError, FormInvalid, NotFound

ZERO = Decimal(0)
REPORTABLE = (RequestStatus.APPROVED, RequestStatus.CLAIMED)


@dataclass(frozen=True)
class LinkedDeal:
    deal_id: int
    customer: str
    status: str
    amount: Decimal  # the won amount (or the estimate while open), in the deal's currency
    currency: str


@dataclass(frozen=True)
class Roi:
    currency: str  # the budget's
    reimbursed: Decimal
    attributed_won: Decimal  # linked won deals, in `currency`
    attributed_pipeline: Decimal  # linked deals still open, in `currency`
    roi: Decimal | None
    cost_per_lead: Decimal | None
    leads: int
    reported: bool
    opportunities: int
    reported_pipeline: Decimal
    reported_won: Decimal
    unconverted: int  # linked deals left out: no exchange rate for their day
    deals: list[LinkedDeal]


def _reportable(session: Session, actor: Actor, request_id: int) -> FundRequest:
    request = _own_request(session, actor, request_id)
    if request.status not in REPORTABLE:
        raise DomainError("Results are reported for an approved request.")
    if utcnow().date() < request.starts_on:
        raise DomainError(f"Report results once the activity has begun ({request.starts_on:%d %b %Y}).")
    return request


def _count(text: str, field: str, errors: dict[str, str]) -> int:
    text = (text or "0").strip() or "0"
    if not text.isdigit() or int(text) > 1_000_000:
        errors[field] = "Enter a whole number."
        return 0
    return int(text)


def _amount(text: str, field: str, currency: str, errors: dict[str, str]) -> Decimal:
    try:
        value = parse_amount((text or "0").strip() or "0", currency)
    except ValueError as exc:
        errors[field] = str(exc) or "Enter an amount, like 25000."
        return ZERO
    if value < 0 or value >= Decimal("10000000000"):
        errors[field] = "Enter an amount from 0 up."
    return value


def report_results(session: Session, actor: Actor, request_id: int, form: dict[str, str]) -> None:
    """The partner's own figures for its request's activity (a new report replaces the last), in the budget's
    currency; FormInvalid with a message per wrong field."""
    request = _reportable(session, actor, request_id)
    currency = _currency(session, request)
    errors: dict[str, str] = {}
    leads = _count(form.get("leads", ""), "leads", errors)
    opportunities = _count(form.get("opportunities", ""), "opportunities", errors)
    pipeline = _amount(form.get("pipeline", ""), "pipeline", currency, errors)
    won = _amount(form.get("won_revenue", ""), "won_revenue", currency, errors)
    if errors:
        raise FormInvalid(errors)
    result = session.exec(select(FundResult).where(FundResult.request_id == request_id)).first()
    if result is None:
        result = FundResult(request_id=request_id, organization_id=request.organization_id, pipeline=ZERO,
                            won_revenue=ZERO)  # fmt: skip
    result.leads, result.opportunities, result.pipeline, result.won_revenue = leads, opportunities, pipeline, won
    result.reported_by_id, result.reported_at = actor.user_id, utcnow()
    session.add(result)
    session.flush()
    audit(session, actor, "mdf_results_reported", "fund_request", request_id, leads=leads, won=str(won))


def link_deal(session: Session, actor: Actor, request_id: int, deal_id: int) -> None:
    """Attribute one of the partner's own deals to its request (once: linking again changes nothing). A deal is
    attributed to one activity only: linked to two, its revenue would count twice in the partner's and the fund's
    ROI."""
    request = _reportable(session, actor, request_id)
    deal = session.get(Deal, deal_id)
    if deal is None or deal.organization_id != request.organization_id:
        raise NotFound("deal")
    lock(session, f"deal_attribution:{deal_id}")  # two tabs linking it to two requests at once: one wins
    elsewhere = session.exec(
        select(FundRequest.title)
        .join(FundRequestDeal, col(FundRequestDeal.request_id) == FundRequest.id)
        .where(FundRequestDeal.deal_id == deal_id, FundRequestDeal.request_id != request_id)
    ).first()
    if elsewhere is not None:
        raise DomainError(f"This deal is attributed to “{elsewhere}” already.", "deal_id")
    # Insert-or-nothing on the unique pair: two tabs linking the same deal at once make one link, never two (which
    # would count its revenue twice) and never an error.
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    row = dict(request_id=request_id, deal_id=deal_id, organization_id=request.organization_id,
               linked_by_id=actor.user_id, linked_at=utcnow())  # fmt: skip
    made = session.execute(
        insert(FundRequestDeal).values(**row).on_conflict_do_nothing(index_elements=["request_id", "deal_id"])
    )
    if getattr(made, "rowcount", 0):
        audit(session, actor, "mdf_deal_linked", "fund_request", request_id, deal_id=deal_id)


def unlink_deal(session: Session, actor: Actor, request_id: int, deal_id: int) -> None:
    """Take a deal off the request's attribution (the partner's own request only)."""
    _reportable(session, actor, request_id)
    for link in session.exec(
        select(FundRequestDeal).where(FundRequestDeal.request_id == request_id, FundRequestDeal.deal_id == deal_id)
    ).all():
        session.delete(link)
        audit(session, actor, "mdf_deal_unlinked", "fund_request", request_id, deal_id=deal_id)


def linkable_deals(session: Session, actor: Actor, request_id: int) -> list[tuple[int, str]]:
    """The partner's own deals not attributed to an activity yet, newest first (at most 100): (id, "Customer (won)")."""
    request = _own_request(session, actor, request_id)
    linked = select(FundRequestDeal.deal_id).where(FundRequestDeal.organization_id == request.organization_id)
    rows = session.exec(
        select(Deal.id, Deal.customer_name, Deal.status)
        .where(Deal.organization_id == request.organization_id, col(Deal.id).not_in(linked))
        .where(col(Deal.status).not_in((DealStatus.DRAFT, DealStatus.WITHDRAWN)))
        .order_by(col(Deal.id).desc())
        .limit(100)
    ).all()
    return [(deal_id or 0, f"{name} ({status})") for deal_id, name, status in rows]


def reimbursed(session: Session, request_id: int) -> Decimal:
    """What the request's approved claim paid (its earnings line), in the budget's currency."""
    value = session.exec(
        select(col(LedgerLine.amount)).where(
            LedgerLine.account == EARNINGS, LedgerLine.kind == "claim_approved", LedgerLine.request_id == request_id
        )
    ).all()
    return sum(value, ZERO)


def request_roi(session: Session, request: FundRequest, *, now: datetime | None = None) -> Roi:
    """The request's ROI and cost per lead, its linked deals and the partner's own report (no access check: the
    callers looked the request up through the actor)."""
    currency = _currency(session, request)
    paid = reimbursed(session, saved_id(request))
    won = pipeline = ZERO
    unconverted = 0
    deals = []
    rows = session.exec(
        select(Deal)
        .join(FundRequestDeal, col(FundRequestDeal.deal_id) == Deal.id)
        .where(FundRequestDeal.request_id == request.id)
        .order_by(col(Deal.customer_name))
    ).all()
    for deal in rows:
        is_won = deal.status == DealStatus.WON
        value = (deal.final_amount if is_won and deal.final_amount is not None else deal.estimated_value) or ZERO
        deals.append(LinkedDeal(saved_id(deal), deal.customer_name, deal.status, value, deal.currency))
        if not is_won and deal.status not in LIVE_STATUSES:  # lost, rejected, withdrawn, expired: nothing to win
            continue
        day = (deal.closed_at or now or utcnow()).date()
        try:
            converted, _rate = convert(session, value, deal.currency, currency, day)
        except FxMissing:
            unconverted += 1
            continue
        if is_won:
            won += converted
        else:
            pipeline += converted
    result = session.exec(select(FundResult).where(FundResult.request_id == request.id)).first()
    claim = session.exec(select(FundClaim).where(FundClaim.request_id == request.id)).first()
    leads = result.leads if result is not None else (claim.leads_generated if claim is not None else 0)
    won, pipeline = to_minor(won, currency), to_minor(pipeline, currency)
    return Roi(
        currency, paid, won, pipeline, roi(won, paid), cost_per_lead(paid, leads, currency), leads,
        result is not None, result.opportunities if result else 0, result.pipeline if result else ZERO,
        result.won_revenue if result else ZERO, unconverted, deals,
    )  # fmt: skip


def my_request_roi(session: Session, actor: Actor, request_id: int) -> Roi:
    """The ROI of the partner's own request."""
    return request_roi(session, _own_request(session, actor, request_id))


def review_roi(session: Session, actor: Actor, request_id: int) -> Roi:
    """The ROI of a request the reviewer reaches."""
    request, _org = _reviewable(session, actor, request_id)
    return request_roi(session, request)
