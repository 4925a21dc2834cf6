"""What changed since the rollups were folded (analytics/rollups.py's docstring says why each matters): the days
whose rows later events touched, and the partners whose segment moved."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Date, cast, func, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from prm_app.analytics.common import dialect, fetch
from prm_app.analytics.models import RollupPartner, RollupState
from prm_app.deals import Deal, DealEvent
from prm_app.leads import Lead, LeadEvent
from prm_app.partners import Organization
from prm_app.platform.models import EngagementEvent

Segment = tuple[str, int, str]  # partner_type, tier_id, region


def day_of(session: Session, column: Any) -> ColumnElement[date]:
    """The UTC day of a timestamp column, in SQL."""
    if dialect(session) == "postgresql":
        return cast(func.timezone("UTC", column), Date)
    return func.date(column)  # SQLite keeps UTC timestamps as ISO text


def as_date(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def dirty_days(session: Session, state: RollupState) -> set[date]:
    """Folded days whose rows changed after the fold: the days of every row an event since the watermarks touched."""
    if state.folded_until is None:
        return set()
    days: set[date] = set()
    deals = select(col(DealEvent.deal_id)).where(col(DealEvent.id) > state.deal_event_id)
    lead_deals = select(col(Lead.deal_id)).where(
        col(Lead.id).in_(select(col(LeadEvent.lead_id)).where(col(LeadEvent.id) > state.lead_event_id))
    )
    for touched in (deals, lead_deals):
        for submitted, closed in fetch(
            session, select(col(Deal.submitted_at), col(Deal.closed_at)).where(col(Deal.id).in_(touched))
        ):
            days.update(utc_day(t) for t in (submitted, closed) if t is not None)
    # a new lead event changes which event of its lead is 'first' on later days (rollup_firsts): all its lead's days
    new_leads = select(col(LeadEvent.lead_id)).where(col(LeadEvent.id) > state.lead_event_id)
    days.update(
        as_date(d)
        for (d,) in fetch(
            session, select(day_of(session, col(LeadEvent.at))).where(col(LeadEvent.lead_id).in_(new_leads)).distinct()
        )
    )
    for model, mark in ((LeadEvent, state.lead_event_id), (EngagementEvent, state.engagement_event_id)):
        at = col(model.at)
        days.update(
            as_date(d) for (d,) in fetch(session, select(day_of(session, at)).where(col(model.id) > mark).distinct())
        )
    return {d for d in days if d < state.folded_until}


def utc_day(value: datetime | str) -> date:
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value.astimezone(UTC).date()


def moved_partners(session: Session) -> list[tuple[int, Segment | None, Segment | None]]:
    """(partner, the segment it was folded under or None, its segment now or None when gone) for every partner
    whose type, tier or region is not what the rollups assume."""
    now_rows: dict[int, Segment] = {
        int(org_id or 0): (t, tier, region)  # an organization's id is never NULL
        for org_id, t, tier, region in fetch(
            session,
            select(
                col(Organization.id),
                col(Organization.partner_type),
                col(Organization.tier_id),
                col(Organization.region),
            ),
        )
    }
    then_rows: dict[int, Segment] = {
        int(org_id): (t, tier, region)
        for org_id, t, tier, region in fetch(
            session,
            select(
                col(RollupPartner.organization_id),
                col(RollupPartner.partner_type),
                col(RollupPartner.tier_id),
                col(RollupPartner.region),
            ),
        )
    }
    return [
        (org_id, then_rows.get(org_id), now_rows.get(org_id))
        for org_id in now_rows.keys() | then_rows.keys()
        if then_rows.get(org_id) != now_rows.get(org_id)
    ]


def moved_count() -> Any:
    """Scalar subquery: folded partners whose segment differs now or that are gone (one outer join of the folded
    partners with the partners)."""
    now = (
        select(func.count())
        .select_from(RollupPartner)
        .outerjoin(Organization, col(Organization.id) == RollupPartner.organization_id)
        .where(
            or_(
                col(Organization.id).is_(None),
                col(RollupPartner.partner_type) != Organization.partner_type,
                col(RollupPartner.tier_id) != Organization.tier_id,
                col(RollupPartner.region) != Organization.region,
            )
        )
    )
    return now.scalar_subquery()
