"""The executive dashboards (console → Dashboards): engagement, pipeline health, revenue attribution, efficiency.

Each function takes `(session, actor, filters)`, is for internal users only (PermissionDenied otherwise), aggregates
in SQL and returns a small frozen dataclass of plain Python values (ints, floats, strings, lists of dicts) that can
go straight into Reflex state. Definitions shared by all of them:

- The period [start, end) applies to each figure's own date: logins by engagement_event.at, registrations by
  deal.submitted_at, won revenue by deal.closed_at, decisions by deal.decided_at, lead figures by lead_event.at
  (a lead's acceptance is also stored as lead.accepted_at; response times use that).
- Region, partner type, tier and channel manager narrow the partner organization the figure belongs to.
- Money is in USD at the latest exchange_rate dated on or before the deal's UTC day (its close day for won revenue,
  its submission day for pipeline); USD needs no rate. A deal in a currency with no such rate is left out of every
  sum and counted in `missing_rate_deals`. Won deals count `final_amount`, or `estimated_value` when none was given.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Integer, case, distinct, func, literal, select, union_all
from sqlmodel import Session

from prm_app.core.actor import Actor
from prm_app.core.clock import utcnow
from prm_app.core.settings import settings
from prm_app.domain.deal_rules import business_days_between
from prm_app.domain.metrics_common import (
    AWAITING_STATUSES,
    OPEN_STATUSES,
    REGISTERED_STATUSES,
    Filters,
    day_number,
    dialect,
    duration_bucket,
    fetch,
    group_column,
    group_labeller,
    load_rates,
    median_of_buckets,
    missing_rate,
    money_sum,
    month_of,
    org_filters,
    require_dashboard,
    usd,
    usd_rate,
    weeks,
)
from prm_app.models import Deal, EngagementEvent, Lead, LeadEvent, Organization, User
from prm_app.models.deals import DEAL_STAGES, DealStatus

ACTIVE_DAYS = 30
LEAST_ENGAGED = 10
TOP_PARTNERS = 10
AGE_BUCKETS = (("0-2 days", 3), ("3-7 days", 8), ("8-30 days", 31), ("31+ days", None))  # (label, under N days)
FUNNEL = (("Leads offered", "offered"), ("Accepted", "accepted"), ("Converted to deal", "converted"))


@dataclass(frozen=True)
class EngagementReport:
    by: str
    kpis: dict[str, int]  # active_partners_30d, logins, registrations, lead_acceptances
    weekly: list[dict]  # week (Monday, 'YYYY-MM-DD'), group, logins, registrations, acceptances
    least_engaged: list[dict]  # partner_id, partner, manager, last_login ('YYYY-MM-DD' or ''), events


@dataclass(frozen=True)
class PipelineReport:
    by_stage: list[dict]  # stage, status ('registered' | 'approved'), deals, value_usd
    ageing: list[dict]  # bucket, deals
    funnel: list[dict]  # step, count
    forecast: list[dict]  # month ('YYYY-MM'), value_usd
    missing_rate_deals: int


@dataclass(frozen=True)
class RevenueReport:
    by: str
    by_group: list[dict]  # group, sourced_usd, influenced_usd
    top_partners: list[dict]  # partner, sourced_usd, influenced_usd, total_usd
    missing_rate_deals: int


@dataclass(frozen=True)
class EfficiencyReport:
    decisions: int
    approval_hours_median: float | None
    approvals_within_sla_pct: float | None
    sla_business_days: int
    lead_response_hours_median: float | None
    leads_recycled: int


# The weekly engagement measures: (table, its partner column, its date column, which rows).
MEASURES = {
    "logins": (EngagementEvent, EngagementEvent.organization_id, EngagementEvent.at, EngagementEvent.kind == "login"),
    "registrations": (Deal, Deal.organization_id, Deal.submitted_at, Deal.status.in_(REGISTERED_STATUSES)),
    "acceptances": (LeadEvent, LeadEvent.partner_id, LeadEvent.at, LeadEvent.action == "accepted"),
}


def weekly_counts(session: Session, f: Filters, measure: str, group, *extra) -> dict[tuple[int, object], int]:
    """{(week index, group value): rows} for one measure. PostgreSQL hash-aggregates on date_trunc('week');
    SQLite runs a GROUP BY per week, all weeks in one statement (see domain.metrics_common)."""
    table, org_col, at_col, which = MEASURES[measure]
    spans = weeks(f.start, f.end)
    if dialect(session) == "postgresql":
        week = func.date_trunc("week", func.timezone("UTC", at_col)).label("w")
        index = {monday: i for i, (monday, _lo, _hi) in enumerate(spans)}
        found = fetch(
            session,
            select(week, group.label("g"), func.count())
            .select_from(table)
            .join(Organization, Organization.id == org_col)
            .where(which, at_col >= f.lo, at_col < f.hi, *org_filters(f), *extra)
            .group_by(week, group),
        )
        return {(index[w.date()], g): n for w, g, n in found}
    arms = [
        select(literal(i, Integer).label("w"), group.label("g"), func.count().label("n"))
        .select_from(table)
        .join(Organization, Organization.id == org_col)
        .where(which, at_col >= lo, at_col < hi, *org_filters(f), *extra)
        .group_by(group)
        for i, (_monday, lo, hi) in enumerate(spans)
    ]
    rows = fetch(session, arms[0] if len(arms) == 1 else union_all(*arms))
    return {(w, g): n for w, g, n in rows}


def engagement(session: Session, actor: Actor, f: Filters, by: str = "partner_type") -> EngagementReport:
    """Who is active and what they do, week by week and by group (`by`: partner_type, tier or region).

    active_partners_30d: partners (of the filter) with a login in the 30 days before the period's end.
    least_engaged: the partners (joined before the period ends) with the fewest engagement events of any kind in
    the period, then the oldest last login (never first), then by name; with their manager and last login.
    """
    require_dashboard(session, actor, f)
    group = group_column(by)
    label, order = group_labeller(session, by)
    counts: dict[tuple[int, object], dict[str, int]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    for measure in MEASURES:
        for key, n in weekly_counts(session, f, measure, group).items():
            counts[key][measure] = n
    groups = sorted({g for _w, g in counts}, key=order)
    weekly = [
        {"week": monday.isoformat(), "group": label(g), **counts.get((i, g), dict.fromkeys(MEASURES, 0))}
        for i, (monday, _lo, _hi) in enumerate(weeks(f.start, f.end))
        for g in groups
    ]
    since = f.hi - timedelta(days=ACTIVE_DAYS)
    logged_in = (
        select(EngagementEvent.id)
        .where(
            EngagementEvent.kind == "login",
            EngagementEvent.organization_id == Organization.id,
            EngagementEvent.at >= since,
            EngagementEvent.at < f.hi,
        )
        .exists()
    )
    active = fetch(session, select(func.count()).select_from(Organization).where(logged_in, *org_filters(f)))[0][0]
    kpis = {
        "active_partners_30d": int(active),
        "logins": sum(c["logins"] for c in counts.values()),
        "registrations": sum(c["registrations"] for c in counts.values()),
        "lead_acceptances": sum(c["acceptances"] for c in counts.values()),
    }
    return EngagementReport(by=by, kpis=kpis, weekly=weekly, least_engaged=_least_engaged(session, f))


def _least_engaged(session: Session, f: Filters) -> list[dict]:
    in_period = (
        EngagementEvent.organization_id == Organization.id,
        EngagementEvent.at >= f.lo,
        EngagementEvent.at < f.hi,
    )
    events = select(func.count()).where(*in_period).scalar_subquery().label("events")
    last_login = (
        select(func.max(EngagementEvent.at))
        .where(
            EngagementEvent.kind == "login",
            EngagementEvent.organization_id == Organization.id,
            EngagementEvent.at < f.hi,
        )
        .scalar_subquery()
        .label("last_login")
    )
    partners = (
        select(Organization.id, Organization.name, User.full_name)
        .outerjoin(User, User.id == Organization.channel_manager_id)
        .where(Organization.joined_at < f.hi, *org_filters(f))
    )
    # Partners with no event at all come first; when there are enough of them (there usually are), ranking them
    # needs one index probe each instead of counting every partner's events.
    idle = ~select(EngagementEvent.id).where(*in_period).exists()
    rows = fetch(
        session,
        partners.add_columns(literal(0, Integer), last_login)
        .where(idle)
        .order_by(last_login.nulls_first(), Organization.name_lower)
        .limit(LEAST_ENGAGED),
    )
    if len(rows) < LEAST_ENGAGED:
        rows = fetch(
            session,
            partners.add_columns(events, last_login)
            .order_by(events, last_login.nulls_first(), Organization.name_lower)
            .limit(LEAST_ENGAGED),
        )
    return [
        {
            "partner_id": org_id,
            "partner": name,
            "manager": manager or "",
            "last_login": _day(last),
            "events": int(n),
        }
        for org_id, name, manager, n, last in rows
    ]


def _day(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):  # a bare aggregate over a timestamp column comes back as text on SQLite
        return value[:10]
    return value.astimezone(UTC).date().isoformat()


def _by_org(stmt, org_col, f: Filters):
    """Join the partner organization only when the filters need it (the join costs a lookup per row)."""
    conditions = org_filters(f)
    return stmt.join(Organization, Organization.id == org_col).where(*conditions) if conditions else stmt


def pipeline(session: Session, actor: Actor, f: Filters, now: datetime | None = None) -> PipelineReport:
    """Open registrations submitted in the period: value by stage (awaiting review = 'registered', 'approved'),
    how long those awaiting a decision have waited (at `now`), the lead funnel of the period (distinct leads
    offered / accepted / converted by lead_event.at, then won deals that came from a lead, by closed_at), and the
    approved value by expected close month (past months included: they are overdue)."""
    require_dashboard(session, actor, f)
    now = now or utcnow()
    rates = load_rates(session)
    value = Deal.estimated_value * usd_rate(rates, Deal.currency, Deal.submitted_at, f.start, f.end)
    lacking = missing_rate(rates, Deal.currency, Deal.submitted_at, f.start, f.end)
    month = month_of(session, Deal.expected_close).label("month")
    rows = fetch(
        session,
        _by_org(
            select(Deal.status, Deal.stage, month, func.count(), money_sum(value), func.sum(lacking)),
            Deal.organization_id,
            f,
        )
        .where(Deal.status.in_(OPEN_STATUSES), Deal.submitted_at >= f.lo, Deal.submitted_at < f.hi)
        .group_by(Deal.status, Deal.stage, month),
    )
    stages = [*DEAL_STAGES, *sorted({r[1] for r in rows} - set(DEAL_STAGES))]
    cells = {(s, k): [0, 0.0] for s in stages for k in ("registered", "approved")}
    forecast: dict[str, float] = defaultdict(float)
    missing = 0
    for status, stage, month_text, n, total, lacking in rows:
        cell = cells[(stage, "approved" if status == DealStatus.APPROVED else "registered")]
        cell[0] += n
        cell[1] += float(total or 0)
        missing += lacking
        if status == DealStatus.APPROVED:
            forecast[str(month_text)] += float(total or 0)
    by_stage = [{"stage": s, "status": k, "deals": n, "value_usd": usd(v)} for (s, k), (n, v) in cells.items()]
    return PipelineReport(
        by_stage=by_stage,
        ageing=_ageing(session, f, now),
        funnel=_funnel(session, f),
        forecast=[{"month": m, "value_usd": usd(v)} for m, v in sorted(forecast.items())],
        missing_rate_deals=int(missing),
    )


def _ageing(session: Session, f: Filters, now: datetime) -> list[dict]:
    bucket = case(
        *[(Deal.submitted_at > now - timedelta(days=days), i) for i, (_l, days) in enumerate(AGE_BUCKETS) if days],
        else_=len(AGE_BUCKETS) - 1,
    ).label("bucket")
    rows = dict(
        fetch(
            session,
            _by_org(select(bucket, func.count()), Deal.organization_id, f)
            .where(Deal.status.in_(AWAITING_STATUSES), Deal.submitted_at >= f.lo, Deal.submitted_at < f.hi)
            .group_by(bucket),
        )
    )
    return [{"bucket": name, "deals": int(rows.get(i, 0))} for i, (name, _d) in enumerate(AGE_BUCKETS)]


def _funnel(session: Session, f: Filters) -> list[dict]:
    actions = dict(
        fetch(
            session,
            _by_org(select(LeadEvent.action, func.count(distinct(LeadEvent.lead_id))), LeadEvent.partner_id, f)
            .where(LeadEvent.action.in_([a for _s, a in FUNNEL]), LeadEvent.at >= f.lo, LeadEvent.at < f.hi)
            .group_by(LeadEvent.action),
        )
    )
    won = fetch(
        session,
        _by_org(select(func.count()).select_from(Deal), Deal.organization_id, f).where(
            Deal.status == DealStatus.WON,
            Deal.closed_at >= f.lo,
            Deal.closed_at < f.hi,
            select(Lead.id).where(Lead.deal_id == Deal.id).exists(),
        ),
    )[0][0]
    return [{"step": step, "count": int(actions.get(a, 0))} for step, a in FUNNEL] + [
        {"step": "Won", "count": int(won)}
    ]


def revenue(session: Session, actor: Actor, f: Filters, by: str = "tier") -> RevenueReport:
    """Won revenue (deals closed in the period) split into partner-sourced and partner-influenced, by group and
    for the top partners.

    sourced: won deals a partner registered itself (no lead.deal_id points at the deal).
    influenced: won deals converted from a lead the vendor sent (lead.deal_id = deal.id).
    Direct (vendor-only) revenue is not in this system's data, so it is not reported: no number is invented.
    """
    require_dashboard(session, actor, f)
    group = group_column(by)
    label, order = group_labeller(session, by)
    rates = load_rates(session)
    amount = func.coalesce(Deal.final_amount, Deal.estimated_value) * usd_rate(
        rates, Deal.currency, Deal.closed_at, f.start, f.end
    )
    from_lead = select(Lead.id).where(Lead.deal_id == Deal.id).exists()
    rows = fetch(
        session,
        select(
            Organization.id,
            Organization.name,
            group,
            money_sum(amount),
            money_sum(case((from_lead, amount))),  # the amount is only worked out again for the few from leads
            func.sum(missing_rate(rates, Deal.currency, Deal.closed_at, f.start, f.end)),
        )
        .select_from(Deal)
        .join(Organization, Organization.id == Deal.organization_id)
        .where(Deal.status == DealStatus.WON, Deal.closed_at >= f.lo, Deal.closed_at < f.hi, *org_filters(f))
        .group_by(Organization.id, Organization.name, group),
    )
    groups: dict[object, list[float]] = defaultdict(lambda: [0.0, 0.0])
    partners = []
    for _org_id, name, g, total, influenced, _lacking in rows:
        total, influenced = float(total or 0), float(influenced or 0)
        groups[g][0] += total - influenced
        groups[g][1] += influenced
        if usd(total):  # a partner whose wins all lack a rate has nothing to show
            partners.append((-usd(total), name, total - influenced, influenced, total))
    top = [
        {"partner": name, "sourced_usd": usd(s), "influenced_usd": usd(i), "total_usd": usd(t)}
        for _k, name, s, i, t in sorted(partners)[:TOP_PARTNERS]
    ]
    return RevenueReport(
        by=by,
        by_group=[
            {"group": label(g), "sourced_usd": usd(s), "influenced_usd": usd(i)}
            for g, (s, i) in sorted(groups.items(), key=lambda kv: order(kv[0]))
        ],
        top_partners=top,
        missing_rate_deals=int(sum(r[5] for r in rows)),
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
    bucket = duration_bucket(session, Deal.decided_at, Deal.submitted_at).label("bucket")
    submitted_day, decided_day = day_number(session, Deal.submitted_at), day_number(session, Deal.decided_at)
    allowed = case(dict(enumerate(sla_calendar_days(settings.review_sla_business_days))), value=submitted_day % 7)
    in_sla = case((decided_day - submitted_day <= allowed, 1), else_=0)
    decisions = fetch(
        session,
        _by_org(select(bucket, func.count(), func.sum(in_sla)), Deal.organization_id, f)
        .where(Deal.decided_at >= f.lo, Deal.decided_at < f.hi, Deal.submitted_at.is_not(None))
        .group_by(bucket),
    )
    decided = sum(n for _b, n, _ok in decisions)
    within = sum(int(ok or 0) for _b, _n, ok in decisions)
    response = duration_bucket(session, Lead.accepted_at, Lead.offered_at).label("bucket")
    responses = fetch(
        session,
        _by_org(select(response, func.count()), Lead.partner_id, f)
        .where(Lead.accepted_at >= f.lo, Lead.accepted_at < f.hi, Lead.offered_at.is_not(None))
        .group_by(response),
    )
    recycled = fetch(
        session,
        _by_org(select(func.count(distinct(LeadEvent.lead_id))), LeadEvent.partner_id, f).where(
            LeadEvent.action.in_(("declined", "expired")), LeadEvent.at >= f.lo, LeadEvent.at < f.hi
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
