"""The engagement dashboard's per-partner figures with the rollups' help: active partners and the least engaged.

Both ask, for each of thousands of partners, whether it has an event in a period -- an index probe per partner,
most of the report's time when read raw. rollup_partner keeps, per partner, the instant of its latest login and
latest event as of the last fold (rollups._partner_activity). A stored instant inside the period proves activity
there (it is a real event's instant), so only the partners without such proof are probed raw: those that went quiet,
a few hundred out of thousands. A stale or missing value only sends its partner to the probe, so the figures are
the raw queries' exactly, whatever the rollups' state.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal, or_, select
from sqlmodel import Session, col

from prm_app.analytics.common import fetch
from prm_app.analytics.models import RollupPartner
from prm_app.partners import Filters, Organization, org_filters
from prm_app.platform.models import EngagementEvent


def _unproven(stored: Any, since: datetime, until: datetime) -> ColumnElement[bool]:
    return or_(stored.is_(None), stored < since, stored >= until)


def _probe(conditions: tuple[ColumnElement[bool], ...]) -> Any:
    """1 when an engagement event meets `conditions` (correlated to the outer partner), else NULL: a probe that stops
    at the first row. The planner keeps it per partner instead of turning it into a join over every event of the
    period (an anti-join reads them all)."""
    return select(literal(1)).where(*conditions).limit(1).scalar_subquery()


def _only_unproven(stored: Any, since: datetime, until: datetime, probe: Any) -> Any:
    """The probe's answer for the partners without proof, 1 (found) for the others. One expression over both
    tables, so that the probe runs after the join, only for the partners it is needed for (as a plain condition on
    the organization the planner ran it for every partner first)."""
    return case((_unproven(stored, since, until), probe), else_=literal(1))


def idle_in(partners: Select[Any], f: Filters, in_period: tuple[ColumnElement[bool], ...]) -> Select[Any]:
    """`partners` (a select from organization) narrowed to those with no engagement event meeting `in_period`: only
    the partners whose stored latest event is not in f's period are probed."""
    stored = col(RollupPartner.last_event_at)
    return partners.outerjoin(RollupPartner, col(RollupPartner.organization_id) == Organization.id).where(
        _only_unproven(stored, f.lo, f.hi, _probe(in_period)).is_(None)
    )


def active_partners(session: Session, f: Filters, since: datetime, until: datetime) -> int:
    """Partners (of the filter) with a login in [since, until): those whose stored latest login falls there, and
    the others that a probe finds one for."""
    stored = col(RollupPartner.last_login_at)
    logins = (
        col(EngagementEvent.kind) == "login",
        col(EngagementEvent.organization_id) == Organization.id,
        col(EngagementEvent.at) >= since,
        col(EngagementEvent.at) < until,
    )
    partners = (
        select(func.count())
        .select_from(Organization)
        .outerjoin(RollupPartner, col(RollupPartner.organization_id) == Organization.id)
        .where(*org_filters(f))
    )
    found = partners.where(_only_unproven(stored, since, until, _probe(logins)).is_not(None))
    return int(fetch(session, found)[0][0])
