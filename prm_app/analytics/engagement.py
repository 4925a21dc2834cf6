"""The engagement dashboard: who is active and what partners do, week by week and by group, and the least engaged
partners. Definitions (periods, filters) as in domain.metrics_dashboards."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, func, literal, select, union_all
from sqlalchemy.orm import Mapped
from sqlmodel import Session, SQLModel, col

from prm_app.analytics import rollup_partners, rollup_reads
from prm_app.analytics.common import (
    REGISTERED_STATUSES,
    dialect,
    fetch,
    group_column,
    group_key,
    require_dashboard,
    rows_first,
    weeks,
)
from prm_app.deals import Deal
from prm_app.identity import User
from prm_app.leads import LeadEvent
from prm_app.partners import Filters, Organization, org_filters
from prm_app.platform.access import Actor
from prm_app.platform.models import EngagementEvent

ACTIVE_DAYS = 30
LEAST_ENGAGED = 10


@dataclass(frozen=True)
class EngagementKpis:
    active_partners_30d: int
    logins: int
    registrations: int
    lead_acceptances: int


@dataclass(frozen=True)
class GroupWeek:
    """One group's activity in one ISO week. `group`: a tier name, a partner type code or a region."""

    week: date  # its Monday
    group: str | None
    logins: int
    registrations: int
    acceptances: int


@dataclass(frozen=True)
class QuietPartner:
    """One of the least engaged partners."""

    partner_id: int
    partner: str
    manager: str | None  # the channel manager's name; None when the partner has none
    last_login: date | None  # UTC day; None when nobody ever signed in
    events: int  # engagement events of any kind in the period


@dataclass(frozen=True)
class EngagementReport:
    by: str  # partner_type | tier | region
    kpis: EngagementKpis
    weekly: tuple[GroupWeek, ...]  # week by week, groups in order (tiers by rank)
    least_engaged: tuple[QuietPartner, ...]


# The weekly engagement measures: (table, its partner column, its date column, which rows).
Measure = tuple[
    type[SQLModel], Mapped[int] | Mapped[int | None], Mapped[datetime] | Mapped[datetime | None], ColumnElement[bool]
]
MEASURES: dict[str, Measure] = {
    "logins": (
        EngagementEvent,
        col(EngagementEvent.organization_id),
        col(EngagementEvent.at),
        col(EngagementEvent.kind) == "login",
    ),
    "registrations": (
        Deal,
        col(Deal.organization_id),
        col(Deal.submitted_at),
        col(Deal.status).in_(REGISTERED_STATUSES),
    ),
    "acceptances": (LeadEvent, col(LeadEvent.partner_id), col(LeadEvent.at), col(LeadEvent.action) == "accepted"),
}


def weekly_counts(
    session: Session, f: Filters, measure: str, group: Mapped[str | int | None], *extra: ColumnElement[bool]
) -> dict[tuple[int, object], int]:
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
            .select_from(rows_first(table, org_col))
            .where(which, at_col >= f.lo, at_col < f.hi, *org_filters(f), *extra)
            .group_by(week, group),
        )
        return {(index[w.date()], g): n for w, g, n in found}
    arms: list[Select[int, str | int | None, int]] = [
        select(literal(i, Integer).label("w"), group.label("g"), func.count().label("n"))
        .select_from(rows_first(table, org_col))
        .where(which, at_col >= lo, at_col < hi, *org_filters(f), *extra)
        .group_by(group)
        for i, (_monday, lo, hi) in enumerate(spans)
    ]
    rows = fetch(session, arms[0] if len(arms) == 1 else union_all(*arms))
    return {(w, g): n for w, g, n in rows}


ROLLED = {"logins": "login", "registrations": "registered", "acceptances": "accepted"}  # rollup measure names


def _weekly(
    session: Session, f: Filters, measure: str, by: str, plan: rollup_reads.Plan | None, rolled: dict[str, Any]
) -> dict[tuple[int, object], int]:
    """weekly_counts, from the daily rollups (`rolled`: rollup_reads.weekly's) for the days they answer exactly and
    raw for the rest."""
    if plan is None:
        return weekly_counts(session, f, measure, group_column(by))
    out = dict(rolled[ROLLED[measure]])
    index = {monday: i for i, (monday, _lo, _hi) in enumerate(weeks(f.start, f.end))}
    for sub in plan.raw_filters(f):
        mondays = [monday for monday, _lo, _hi in weeks(sub.start, sub.end)]
        for (i, g), n in weekly_counts(session, sub, measure, group_column(by)).items():
            key = (index[mondays[i]], g)
            out[key] = out.get(key, 0) + n
    return out


def engagement(session: Session, actor: Actor, f: Filters, by: str = "partner_type") -> EngagementReport:
    """Who is active and what they do, week by week and by group (`by`: partner_type, tier or region).

    active_partners_30d: partners (of the filter) with a login in the 30 days before the period's end.
    least_engaged: the partners (joined before the period ends) with the fewest engagement events of any kind in
    the period, then the oldest last login (never first), then by name; with their manager and last login.
    """
    require_dashboard(session, actor, f)
    group_column(by)  # a bad `by` is refused before anything is read
    name_of, order = group_key(session, by)
    plan = rollup_reads.plan(session, f)
    counts: dict[tuple[int, object], dict[str, int]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    rolled = {} if plan is None else rollup_reads.weekly(session, f, plan.cells, list(ROLLED.values()), by)
    for measure in MEASURES:
        for key, n in _weekly(session, f, measure, by, plan, rolled).items():
            counts[key][measure] += n
    groups = sorted({g for _w, g in counts}, key=order)
    weekly = tuple(
        GroupWeek(week=monday, group=name_of(g), **counts.get((i, g), dict.fromkeys(MEASURES, 0)))
        for i, (monday, _lo, _hi) in enumerate(weeks(f.start, f.end))
        for g in groups
    )
    since = f.hi - timedelta(days=ACTIVE_DAYS)
    if plan is None:
        active = _active_partners(session, f, since)
    else:
        active = rollup_partners.active_partners(session, f, since, f.hi, rollup_reads.view(session).engagement_mark)
    kpis = EngagementKpis(
        active_partners_30d=int(active),
        logins=sum(c["logins"] for c in counts.values()),
        registrations=sum(c["registrations"] for c in counts.values()),
        lead_acceptances=sum(c["acceptances"] for c in counts.values()),
    )
    mark = None if plan is None else rollup_reads.view(session).engagement_mark
    return EngagementReport(by=by, kpis=kpis, weekly=weekly, least_engaged=_least_engaged(session, f, mark))


def _active_partners(session: Session, f: Filters, since: datetime) -> int:
    logged_in = (
        select(col(EngagementEvent.id))
        .where(
            col(EngagementEvent.kind) == "login",
            col(EngagementEvent.organization_id) == Organization.id,
            col(EngagementEvent.at) >= since,
            col(EngagementEvent.at) < f.hi,
        )
        .exists()
    )
    return int(fetch(session, select(func.count()).select_from(Organization).where(logged_in, *org_filters(f)))[0][0])


def _least_engaged(session: Session, f: Filters, mark: int | None) -> tuple[QuietPartner, ...]:
    """(`mark`: the rollups' engagement watermark when they answer, see rollup_partners.)"""
    in_period = (
        col(EngagementEvent.organization_id) == Organization.id,
        col(EngagementEvent.at) >= f.lo,
        col(EngagementEvent.at) < f.hi,
    )
    events = select(func.count()).where(*in_period).scalar_subquery().label("events")
    last_login = (
        select(func.max(col(EngagementEvent.at)))
        .where(
            col(EngagementEvent.kind) == "login",
            col(EngagementEvent.organization_id) == Organization.id,
            col(EngagementEvent.at) < f.hi,
        )
        .scalar_subquery()
        .label("last_login")
    )
    partners = (
        select(col(Organization.id), col(Organization.name), col(User.full_name))
        .outerjoin(User, col(User.id) == Organization.channel_manager_id)
        .where(col(Organization.joined_at) < f.hi, *org_filters(f))
    )
    # Partners with no event at all come first; when there are enough of them (there usually are), ranking them
    # needs one index probe each instead of counting every partner's events. With the rollups, only the partners
    # not proven active in the period by their stored latest event are probed (rollup_partners.py).
    idle = ~select(col(EngagementEvent.id)).where(*in_period).exists()
    quiet = partners.where(idle) if mark is None else rollup_partners.idle_in(partners, f, in_period, mark)
    rows = fetch(
        session,
        quiet.add_columns(literal(0, Integer), last_login)
        .order_by(last_login.nulls_first(), col(Organization.name_lower))
        .limit(LEAST_ENGAGED),
    )
    if len(rows) < LEAST_ENGAGED:
        rows = fetch(
            session,
            partners.add_columns(events, last_login)
            .order_by(events, last_login.nulls_first(), col(Organization.name_lower))
            .limit(LEAST_ENGAGED),
        )
    return tuple(
        QuietPartner(partner_id=org_id, partner=name, manager=manager, last_login=_day(last), events=int(n))
        for org_id, name, manager, n, last in rows
    )


def _day(value: datetime | str | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):  # a bare aggregate over a timestamp column comes back as text on SQLite
        return date.fromisoformat(value[:10])
    return value.astimezone(UTC).date()
