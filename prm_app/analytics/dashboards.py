"""The executive dashboards (console → Dashboards): pipeline health, revenue attribution, efficiency; engagement is
in domain.metrics_engagement.

Each function takes `(session, actor, filters)`, is for internal users only (PermissionDenied otherwise), aggregates
in SQL and returns a small frozen dataclass of raw values (ints, floats in USD, dates, codes; tuples of frozen
dataclasses). Names for the codes are in labels.py; the pages format the values (ui/display.py) and charts.py draws
them. Definitions shared by all of them:

- The period [start, end) applies to each figure's own date: logins by engagement_event.at, registrations by
  deal.submitted_at, won revenue by deal.closed_at, decisions by deal.decided_at, lead figures by lead_event.at
  (a lead's acceptance is also stored as lead.accepted_at; response times use that).
- Region, partner type, tier and channel manager narrow the partner organization the figure belongs to.
- Money is in USD at the latest exchange_rate dated on or before the deal's UTC day (its close day for won revenue,
  its submission day for pipeline); USD needs no rate. A deal in a currency with no such rate is left out of every
  sum and counted in `missing_rate_deals`. Won deals count `final_amount`, or `estimated_value` when none was given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Select, and_, case, distinct, func, or_, select
from sqlalchemy.orm import Mapped
from sqlmodel import Session, SQLModel, col

from prm_app.analytics import rollup_reads
from prm_app.analytics.common import (
    AWAITING_STATUSES,
    OPEN_STATUSES,
    Rates,
    day_number,
    duration_bucket,
    fetch,
    load_rates,
    median_of_buckets,
    missing_rate,
    month_of,
    require_dashboard,
    rows_first,
    usd,
    usd_rate,
)
from prm_app.analytics.rollup_reads import Plan
from prm_app.deals import DEAL_STAGES, Deal, DealStatus, business_days_between
from prm_app.leads import Lead, LeadEvent
from prm_app.partners import Filters, org_filters
from prm_app.platform.access import Actor
from prm_app.platform.clock import utcnow
from prm_app.platform.settings import settings

TOP_PARTNERS = 10
AGE_LIMITS = (0, 3, 8, 31)  # waiting-time buckets start on these days: 0-2, 3-7, 8-30, 31+ days
_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])  # any SELECT: adding its FROM keeps its row type
FUNNEL = ("offered", "accepted", "converted")  # lead_event actions, then "won" (deals that came from a lead)


@dataclass(frozen=True)
class StageValue:
    """Open registrations of one stage, awaiting review ('registered') or 'approved'."""

    stage: str
    status: str
    deals: int
    value_usd: float


@dataclass(frozen=True)
class AgeBucket:
    """Registrations awaiting a decision that have waited [from_days, until_days) days (None: no upper end)."""

    from_days: int
    until_days: int | None
    deals: int


@dataclass(frozen=True)
class FunnelStep:
    step: str  # offered | accepted | converted | won
    count: int


@dataclass(frozen=True)
class MonthValue:
    month: date  # the first day of the month
    value_usd: float


@dataclass(frozen=True)
class PipelineReport:
    by_stage: tuple[StageValue, ...]  # every stage (known ones in order), registered then approved
    ageing: tuple[AgeBucket, ...]  # shortest wait first
    funnel: tuple[FunnelStep, ...]  # offered, accepted, converted, won
    forecast: tuple[MonthValue, ...]  # by expected close month, oldest first
    missing_rate_deals: int


@dataclass(frozen=True)
class GroupRevenue:
    group: str | None  # a tier name, a partner type code or a region
    sourced_usd: float
    influenced_usd: float


@dataclass(frozen=True)
class PartnerRevenue:
    partner_id: int
    partner: str
    sourced_usd: float
    influenced_usd: float
    total_usd: float


@dataclass(frozen=True)
class RevenueReport:
    by: str  # partner_type | tier | region
    by_group: tuple[GroupRevenue, ...]  # groups in order (tiers by rank)
    top_partners: tuple[PartnerRevenue, ...]  # highest total first, at most TOP_PARTNERS
    missing_rate_deals: int


@dataclass(frozen=True)
class EfficiencyReport:
    decisions: int
    approval_hours_median: float | None
    approvals_within_sla_pct: float | None
    sla_business_days: int
    lead_response_hours_median: float | None
    leads_recycled: int


def _by_org(stmt: _Query, model: type[SQLModel], org_col: Mapped[int] | Mapped[int | None], f: Filters) -> _Query:
    """FROM `model`, joined to the partner organization only when the filters need it (a lookup per row)."""
    conditions = org_filters(f)
    return stmt.select_from(rows_first(model, org_col)).where(*conditions) if conditions else stmt.select_from(model)


def pipeline(session: Session, actor: Actor, f: Filters, now: datetime | None = None) -> PipelineReport:
    """Open registrations submitted in the period: value by stage (awaiting review = 'registered', 'approved'),
    how long those awaiting a decision have waited (at `now`), the lead funnel of the period (distinct leads
    offered / accepted / converted by lead_event.at, then won deals that came from a lead, by closed_at), and the
    approved value by expected close month (past months included: they are overdue)."""
    require_dashboard(session, actor, f)
    now = now or utcnow()
    rates = load_rates(session)
    plan = rollup_reads.plan(session, f)
    # each figure is summed exactly over its parts (cells, raw days) and made a float once
    if plan is None:
        figures, forecast = rollup_reads.open_rows(session, f, (), rates, _open_rows(session, f, rates))
    else:
        raw = [r for sub in plan.raw_filters(f) for r in _open_rows(session, sub, rates)]
        figures, forecast = rollup_reads.open_rows(session, f, plan.cells, rates, raw)
    stages = [*DEAL_STAGES, *sorted({stage for stage, _k in figures} - set(DEAL_STAGES))]
    cells = {(s, k): figures.get((s, k), (0, 0.0, 0)) for s in stages for k in ("registered", "approved")}
    return PipelineReport(
        by_stage=tuple(StageValue(s, k, int(n), usd(v)) for (s, k), (n, v, _miss) in cells.items()),
        ageing=_ageing(session, f, now, plan),
        funnel=_funnel(session, f, plan),
        forecast=tuple(
            MonthValue(date(int(m[:4]), int(m[5:7]), 1), usd(v)) for m, v in sorted(forecast.items())
        ),  # m is 'YYYY-MM'
        missing_rate_deals=sum(miss for _n, _v, miss in figures.values()),
    )


def _open_rows(session: Session, f: Filters, rates: Rates) -> list[tuple[str, str, str, int, Any, int]]:
    """(status, stage, 'YYYY-MM' of the expected close, deals, value in USD, deals without a rate) of the open
    registrations submitted in the period, from the raw rows, values as exact Decimals (a few hundred groups)."""
    value = col(Deal.estimated_value) * usd_rate(rates, col(Deal.currency), col(Deal.submitted_at), f.start, f.end)
    lacking = missing_rate(rates, col(Deal.currency), col(Deal.submitted_at), f.start, f.end)
    month = month_of(session, col(Deal.expected_close)).label("month")
    rows = fetch(
        session,
        _by_org(
            select(
                col(Deal.status),
                col(Deal.stage),
                month,
                func.count(),
                func.sum(value),
                func.sum(lacking),
            ),
            Deal,
            col(Deal.organization_id),
            f,
        )
        .where(col(Deal.status).in_(OPEN_STATUSES), col(Deal.submitted_at) >= f.lo, col(Deal.submitted_at) < f.hi)
        .group_by(col(Deal.status), col(Deal.stage), month),
    )
    return [(s, st, str(m), int(n), Decimal(str(v or 0)), int(miss or 0)) for s, st, m, n, v, miss in rows]


def _ageing(session: Session, f: Filters, now: datetime, plan: Plan | None = None) -> tuple[AgeBucket, ...]:
    """How long the registrations awaiting a decision have waited; with a rollup plan, whole days that fall in one
    bucket come from the cells, and the raw days and those a bucket boundary (now - 3, 8, 31 days) cuts through are
    read raw in one statement."""
    untils = (*AGE_LIMITS[1:], None)
    counts, periods = [0] * len(AGE_LIMITS), [(f.lo, f.hi)]
    if plan is not None:
        counts, raw = rollup_reads.ageing(session, f, plan, now, AGE_LIMITS, AWAITING_STATUSES)
        periods = [(sub.lo, sub.hi) for sub in raw]
    if periods:
        bucket = case(
            *[(col(Deal.submitted_at) > now - timedelta(days=days), i) for i, days in enumerate(untils) if days],
            else_=len(AGE_LIMITS) - 1,
        ).label("bucket")
        submitted = or_(*[and_(col(Deal.submitted_at) >= lo, col(Deal.submitted_at) < hi) for lo, hi in periods])
        for i, n in fetch(
            session,
            _by_org(select(bucket, func.count()), Deal, col(Deal.organization_id), f)
            .where(col(Deal.status).in_(AWAITING_STATUSES), submitted)
            .group_by(bucket),
        ):
            counts[i] += int(n)
    return tuple(
        AgeBucket(from_days=start, until_days=until, deals=counts[i])
        for i, (start, until) in enumerate(zip(AGE_LIMITS, untils, strict=True))
    )


def _funnel(session: Session, f: Filters, plan: Plan | None = None) -> tuple[FunnelStep, ...]:
    if plan is not None:
        actions = rollup_reads.funnel(session, f, plan)
    else:
        actions = dict(
            fetch(
                session,
                _by_org(
                    select(col(LeadEvent.action), func.count(distinct(col(LeadEvent.lead_id)))),
                    LeadEvent,
                    col(LeadEvent.partner_id),
                    f,
                )
                .where(col(LeadEvent.action).in_(FUNNEL), col(LeadEvent.at) >= f.lo, col(LeadEvent.at) < f.hi)
                .group_by(col(LeadEvent.action)),
            )
        )
    if plan is None:
        won = _won_from_leads(session, f)
    else:  # won deals add up day by day
        won = rollup_reads.won_from_leads(session, f, plan.cells)
        won += sum(_won_from_leads(session, sub) for sub in plan.raw_filters(f))
    return (*(FunnelStep(a, int(actions.get(a, 0))) for a in FUNNEL), FunnelStep("won", int(won)))


def _won_from_leads(session: Session, f: Filters) -> int:
    """Won deals closed in the period that came from a lead."""
    return int(
        fetch(
            session,
            _by_org(select(func.count()), Deal, col(Deal.organization_id), f).where(
                col(Deal.status) == DealStatus.WON,
                col(Deal.closed_at) >= f.lo,
                col(Deal.closed_at) < f.hi,
                select(col(Lead.id)).where(col(Lead.deal_id) == Deal.id).exists(),
            ),
        )[0][0]
    )


def sla_calendar_days(business_days: int) -> list[int]:
    """For a submission on each weekday (Monday first), the most calendar days a decision may take and still be
    within `business_days` — by the same count the review queue uses (domain.deal_rules.business_days_between)."""
    monday = datetime(2024, 1, 1, tzinfo=UTC)
    out = []
    for weekday in range(7):
        start, k = monday + timedelta(days=weekday), 0
        while business_days_between(start, start + timedelta(days=k + 1)) <= business_days:
            k += 1
        out.append(k)
    return out


def efficiency(session: Session, actor: Actor, f: Filters) -> EfficiencyReport:
    """How fast the program works.

    decisions: registrations approved or rejected in the period (by decided_at). approval_hours_median: the median
    time from submission to that decision, to the tenth of an hour. approvals_within_sla_pct: the share decided
    within settings.review_sla_business_days business days, counted in whole days as the review queue counts them
    (weekends do not count; holidays are not known). lead_response_hours_median: offer to acceptance, for leads
    accepted in the period. leads_recycled: distinct leads declined or left to expire in the period.
    """
    require_dashboard(session, actor, f)
    bucket = duration_bucket(session, col(Deal.decided_at), col(Deal.submitted_at)).label("bucket")
    submitted_day, decided_day = day_number(session, col(Deal.submitted_at)), day_number(session, col(Deal.decided_at))
    allowed = case(dict(enumerate(sla_calendar_days(settings.review_sla_business_days))), value=submitted_day % 7)
    in_sla = case((decided_day - submitted_day <= allowed, 1), else_=0)
    decisions = fetch(
        session,
        _by_org(select(bucket, func.count(), func.sum(in_sla)), Deal, col(Deal.organization_id), f)
        .where(col(Deal.decided_at) >= f.lo, col(Deal.decided_at) < f.hi, col(Deal.submitted_at).is_not(None))
        .group_by(bucket),
    )
    decided = sum(n for _b, n, _ok in decisions)
    within = sum(int(ok or 0) for _b, _n, ok in decisions)
    response = duration_bucket(session, col(Lead.accepted_at), col(Lead.offered_at)).label("bucket")
    responses = fetch(
        session,
        _by_org(select(response, func.count()), Lead, col(Lead.partner_id), f)
        .where(col(Lead.accepted_at) >= f.lo, col(Lead.accepted_at) < f.hi, col(Lead.offered_at).is_not(None))
        .group_by(response),
    )
    recycled = fetch(
        session,
        _by_org(select(func.count(distinct(col(LeadEvent.lead_id)))), LeadEvent, col(LeadEvent.partner_id), f).where(
            col(LeadEvent.action).in_(("declined", "expired")), col(LeadEvent.at) >= f.lo, col(LeadEvent.at) < f.hi
        ),
    )[0][0]
    return EfficiencyReport(
        decisions=int(decided),
        approval_hours_median=median_of_buckets((b, n) for b, n, _ok in decisions),
        approvals_within_sla_pct=round(100 * within / decided, 1) if decided else None,
        sla_business_days=settings.review_sla_business_days,
        lead_response_hours_median=median_of_buckets(responses),
        leads_recycled=int(recycled),
    )
