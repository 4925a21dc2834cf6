"""A partner's scorecard: its figures for a period next to the previous period of the same length, and the program
median; never another partner's named figures.

Who may see one: the partner's own people; the channel manager whose book it is in; admins and execs. Anyone else
gets NotFound (we do not say whether the partner exists).

Definitions (money, periods and sourced/influenced as in domain.metrics_dashboards):
- sourced_usd / influenced_usd: won deals closed in the period; avg_deal_usd: their mean (deals with a rate);
  win_rate: won / (won + lost) closed in the period, in %.
- pipeline_usd: value of the registrations submitted in the period that are still open (submitted, more info
  requested or approved); registrations: all registrations submitted in the period.
- lead_acceptance_rate: accepted / (accepted + declined + expired) offers answered in the period, in %;
  lead_response_hours: median hours from offer to acceptance of the leads accepted in the period.
- logins: portal sign-ins; active_users: distinct people of the partner who signed in during the period.
- program_median: the median over the program's partners (all that joined before the period ends; a partner
  with nothing counts as 0, except for rates and averages, which count only partners they exist for), and None
  when fewer than MIN_PEERS partners have the figure. For lead_response_hours it is the median over all the
  program's accepted leads (a median of per-partner medians would need every response time in Python).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, distinct, func, select
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col

from prm_app.analytics.common import (
    OPEN_STATUSES,
    REGISTERED_STATUSES,
    Rates,
    duration_bucket,
    fetch,
    load_rates,
    median,
    median_of_buckets,
    missing_rate,
    money_sum,
    no_jit,
    partners_first,
    usd,
    usd_rate,
    weeks,
)
from prm_app.analytics.engagement import weekly_counts
from prm_app.deals import Deal, DealStatus
from prm_app.leads import Lead, LeadEvent
from prm_app.partners import Filters, Organization, check_filters
from prm_app.platform.access import Actor, Permission
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound
from prm_app.platform.models import EngagementEvent

MIN_PEERS = 5
TREND_WEEKS = 12
METRICS = (  # the scorecard's figures, in the order it shows them (their names: the catalogue's analytics.score.<key>)
    "sourced_usd",
    "influenced_usd",
    "pipeline_usd",
    "avg_deal_usd",
    "win_rate",
    "lead_acceptance_rate",
    "lead_response_hours",
    "registrations",
    "logins",
    "active_users",
)
# Figures that only exist when there is something to divide by: the median skips partners without them.
RATIOS = {"avg_deal_usd", "win_rate", "lead_acceptance_rate", "lead_response_hours"}


@dataclass(frozen=True)
class ScorecardFigure:
    """One figure of the scorecard (see the module docstring): money in USD, rates in %, durations in hours."""

    key: str  # one of METRICS
    current: float | int | None  # None: a ratio with nothing to divide by
    previous: float | int | None
    change_pct: float | None  # None when either side is missing or the previous one is 0
    program_median: float | None  # None below MIN_PEERS partners


@dataclass(frozen=True)
class WeekActivity:
    week: date  # its Monday
    registrations: int
    logins: int


@dataclass(frozen=True)
class Scorecard:
    organization_id: int
    partner: str
    period_start: date
    period_end: date  # excluded: the period is [period_start, period_end)
    previous_start: date  # the previous period is [previous_start, period_start)
    metrics: tuple[ScorecardFigure, ...]  # in METRICS order
    trend: tuple[WeekActivity, ...]  # the 12 weeks up to the period's end
    missing_rate_deals: int  # this partner's deals in the current period left out of sums for want of a rate


@dataclass(frozen=True)
class PartnerSums:
    """A partner's raw sums for a period, from which its figures are worked out (`_values`)."""

    sourced_usd: float = 0.0
    influenced_usd: float = 0.0
    won: int = 0
    lost: int = 0
    rated_won: int = 0  # won deals whose currency had a rate
    missing: int = 0  # won deals whose currency had none
    registrations: int = 0
    pipeline_usd: float = 0.0
    logins: int = 0
    active_users: int = 0
    accepted: int = 0
    refused: int = 0  # offers declined or left to expire
    response_hours: float | None = None  # only worked out for one partner (see the module docstring)


def scoped_partner(session: Session, actor: Actor, organization_id: int) -> Organization:
    """The partner, if `actor` may see its scorecard; NotFound otherwise (whether or not it exists)."""
    if actor.is_partner and actor.organization_id != organization_id:
        raise NotFound("partner")
    if not actor.is_partner and not actor.can(Permission.VIEW_PARTNERS):
        raise NotFound("partner")
    org = session.get(Organization, organization_id)
    if org is None or (not actor.is_partner and not actor.reaches_book_of(org.channel_manager_id)):
        raise NotFound("partner")
    return org


def scorecard(session: Session, actor: Actor, organization_id: int, f: Filters) -> Scorecard:
    """The scorecard of one partner for the period `f` (only its dates are used) vs the previous period."""
    check_filters(f)
    org = scoped_partner(session, actor, organization_id)
    no_jit(session)
    rates = load_rates(session)
    program = _figures(session, f, rates)  # every partner, current period: the medians and this partner's own
    previous = _figures(session, f.previous(), rates, organization_id)
    current = replace(
        program.get(organization_id, PartnerSums()), response_hours=_response_median(session, f, organization_id)
    )
    before = previous.get(organization_id, PartnerSums())
    peers = fetch(session, select(col(Organization.id)).where(col(Organization.joined_at) < f.hi))
    empty = _values(PartnerSums(), exact=True)
    table = [_values(program[p], exact=True) if p in program else empty for (p,) in peers]
    columns = list(zip(*table, strict=True)) if table else [() for _m in METRICS]
    typical = {
        key: median([v for v in column if v is not None], MIN_PEERS, 2 if key.endswith("_usd") else 1)
        for key, column in zip(METRICS, columns, strict=True)
    }
    typical["lead_response_hours"] = _response_median(session, f)  # pooled: see the module docstring
    metrics = tuple(
        ScorecardFigure(
            key=key,
            current=now,
            previous=then,
            change_pct=round(100 * (now - then) / then, 1) if now is not None and then else None,
            program_median=typical.get(key),
        )
        for key, now, then in zip(METRICS, _values(current), _values(before), strict=True)
    )
    trend_end = f.end
    trend_start = trend_end - timedelta(days=1)
    trend_start -= timedelta(days=trend_start.weekday() + 7 * (TREND_WEEKS - 1))
    window = Filters(start=trend_start, end=trend_end)
    mine = col(Organization.id) == organization_id
    regs = weekly_counts(session, window, "registrations", col(Organization.id), mine)
    logins = weekly_counts(session, window, "logins", col(Organization.id), mine)
    trend = tuple(
        WeekActivity(
            week=monday,
            registrations=regs.get((i, organization_id), 0),
            logins=logins.get((i, organization_id), 0),
        )
        for i, (monday, _lo, _hi) in enumerate(weeks(window.start, window.end))
    )
    return Scorecard(
        organization_id=saved_id(org),
        partner=org.name,
        period_start=f.start,
        period_end=f.end,
        previous_start=f.previous().start,
        metrics=metrics,
        trend=trend,
        missing_rate_deals=current.missing,
    )


def _values(fig: PartnerSums, exact: bool = False) -> tuple[float | int | None, ...]:
    """The scorecard figures (in METRICS order) from a partner's raw sums, rounded for display unless `exact`
    (medians round once, at the end); None for a ratio with nothing to divide by. Called once per partner of the
    program, so kept plain."""
    won, lost, rated, accepted = fig.won, fig.lost, fig.rated_won, fig.accepted
    sourced, influenced = fig.sourced_usd, fig.influenced_usd
    answered = accepted + fig.refused
    money, share = (float, float) if exact else (usd, _pct)
    return (
        money(sourced),
        money(influenced),
        money(fig.pipeline_usd),
        money((sourced + influenced) / rated) if rated else None,
        share(100 * won / (won + lost)) if won + lost else None,
        share(100 * accepted / answered) if answered else None,
        fig.response_hours,
        fig.registrations,
        fig.logins,
        fig.active_users,
    )


def _pct(value: float) -> float:
    return round(value, 1)


def _figures(session: Session, f: Filters, rates: Rates, organization_id: int | None = None) -> dict[int, PartnerSums]:
    """Raw sums per partner for the period: every partner with something in it, or only `organization_id`."""
    out: dict[int, dict[str, Any]] = defaultdict(dict)  # partner -> keyword arguments of its PartnerSums

    def only(column: Mapped[int] | Mapped[int | None]) -> list[ColumnElement[bool]]:
        return [column == organization_id] if organization_id is not None else []

    # Won and lost deals closed in the period.
    rate = usd_rate(rates, col(Deal.currency), col(Deal.closed_at), f.start, f.end)
    amount = func.coalesce(col(Deal.final_amount), col(Deal.estimated_value)) * rate
    won = col(Deal.status) == DealStatus.WON
    from_lead = select(col(Lead.id)).where(col(Lead.deal_id) == Deal.id).exists()
    rows = fetch(
        session,
        select(
            col(Deal.organization_id),
            money_sum(case((won, amount))),
            money_sum(case((and_(won, from_lead), amount))),
            func.sum(case((won, 1), else_=0)),
            func.count(),
            func.sum(
                case((won, missing_rate(rates, col(Deal.currency), col(Deal.closed_at), f.start, f.end)), else_=0)
            ),
        )
        .where(
            col(Deal.status).in_((DealStatus.WON, DealStatus.LOST)),
            col(Deal.closed_at) >= f.lo,
            col(Deal.closed_at) < f.hi,
        )
        .where(*only(col(Deal.organization_id)))
        .group_by(col(Deal.organization_id)),
    )
    for org_id, won_usd, influenced, n_won, n_closed, missing in rows:
        won_usd, influenced = float(won_usd or 0), float(influenced or 0)
        out[org_id].update(
            sourced_usd=won_usd - influenced,
            influenced_usd=influenced,
            won=int(n_won),
            lost=int(n_closed - n_won),
            rated_won=int(n_won - (missing or 0)),
            missing=int(missing or 0),
        )
    # Registrations submitted in the period, and the value of those still open.
    rate = usd_rate(rates, col(Deal.currency), col(Deal.submitted_at), f.start, f.end)
    still_open = col(Deal.status).in_(OPEN_STATUSES)
    key, source = col(Organization.id), partners_first(Deal, col(Deal.organization_id))
    # Select(...) is what select() builds; annotated with the row type (a partner's id is never NULL)
    registered: Select[int, int, float] = Select(
        key, func.count(), money_sum(case((still_open, col(Deal.estimated_value) * rate)))
    )
    for org_id, n, open_usd in fetch(
        session,
        registered.select_from(source)
        .where(col(Deal.submitted_at) >= f.lo, col(Deal.submitted_at) < f.hi, col(Deal.status).in_(REGISTERED_STATUSES))
        .where(*only(key))
        .group_by(key),
    ):
        out[org_id].update(registrations=int(n), pipeline_usd=float(open_usd or 0))
    # Logins and the people behind them.
    key, source = col(Organization.id), partners_first(EngagementEvent, col(EngagementEvent.organization_id))
    sign_ins: Select[int, int, int] = Select(key, func.count(), func.count(distinct(col(EngagementEvent.user_id))))
    for org_id, n, people in fetch(
        session,
        sign_ins.select_from(source)
        .where(col(EngagementEvent.kind) == "login", col(EngagementEvent.at) >= f.lo, col(EngagementEvent.at) < f.hi)
        .where(*only(key))
        .group_by(key),
    ):
        out[org_id].update(logins=int(n), active_users=int(people))
    # Offers answered in the period.
    accepted = col(LeadEvent.action) == "accepted"
    for partner_id, yes, n in fetch(
        session,
        select(col(LeadEvent.partner_id), func.sum(case((accepted, 1), else_=0)), func.count())
        .where(
            col(LeadEvent.action).in_(("accepted", "declined", "expired")),
            col(LeadEvent.at) >= f.lo,
            col(LeadEvent.at) < f.hi,
        )
        .where(*only(col(LeadEvent.partner_id)))
        .group_by(col(LeadEvent.partner_id)),
    ):
        if partner_id is not None:  # a lead event without a partner belongs to no scorecard
            out[partner_id].update(accepted=int(yes), refused=int(n - yes))
    if organization_id is not None:
        out[organization_id]["response_hours"] = _response_median(session, f, organization_id)
    return {org_id: PartnerSums(**sums) for org_id, sums in out.items()}


def _response_median(session: Session, f: Filters, organization_id: int | None = None) -> float | None:
    bucket = duration_bucket(session, col(Lead.accepted_at), col(Lead.offered_at)).label("bucket")
    stmt = (
        select(bucket, func.count())
        .where(col(Lead.accepted_at) >= f.lo, col(Lead.accepted_at) < f.hi, col(Lead.offered_at).is_not(None))
        .group_by(bucket)
    )
    if organization_id is not None:
        stmt = stmt.where(col(Lead.partner_id) == organization_id)
    return median_of_buckets(fetch(session, stmt))
