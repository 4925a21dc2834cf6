"""The engagement dashboard's per-partner figures with the rollups' help: active partners and the least engaged.

Both ask, for each of thousands of partners, whether it has an event in a period -- an index probe per partner,
most of the report's time when read raw. Each fold stores per partner (rollup_partner) the instant of its latest
login and latest event among all events then (rollups._partner_activity): at least the latest of those up to the
fold's watermark (`mark`, the last engagement event id the fold covers), and always a real event's instant. So:
- a stored instant inside the period proves activity there;
- a stored instant before the period proves that no event up to the watermark is in it: only the events after the
  watermark can still be (a few minutes' worth: read once, as one small set of partners, not probed per partner);
- a stored instant at or after the period's end (a past period) proves nothing, nor does a partner without a row
  (created since the fold): those are probed raw, one index probe each.
The figures are the raw queries' exactly. Like the dirty days (rollup_changes), this relies on an event's
transaction committing within rollups.WATERMARK_LAG of its id being handed out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select
from sqlmodel import Session, col

from prm_app.analytics.common import fetch
from prm_app.analytics.models import RollupPartner
from prm_app.partners import Filters, Organization, org_filters
from prm_app.platform.models import EngagementEvent

_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])  # any SELECT: joins and conditions keep its row type


def _probe(conditions: tuple[ColumnElement[bool], ...]) -> Any:
    """1 when an engagement event meets `conditions` (correlated to the outer partner), else NULL: a probe that stops
    at the first row. The planner keeps it per partner instead of turning it into a join over every event of the
    period (an anti-join reads them all)."""
    return select(literal(1)).where(*conditions).limit(1).scalar_subquery()


def _found(stored: Any, since: datetime, until: datetime, recent: Any, probe: Any) -> Any:
    """1 when the partner has an event of the kind `stored` keeps in [since, until), else NULL (see the module
    docstring). One CASE over the joined tables, so that the probe runs after the join and only for the partners
    that need it (as a plain condition on the organization, the planner probed every partner first)."""
    return case(
        (and_(stored >= since, stored < until), literal(1)),
        (col(RollupPartner.organization_id).is_(None), probe),
        (stored >= until, probe),
        (recent.c.organization_id.is_not(None), literal(1)),
        else_=None,
    )


def _recent(mark: int, since: datetime, until: datetime, *which: ColumnElement[bool]) -> Any:
    """The partners with an engagement event (meeting `which`) in [since, until) after the watermark."""
    return (
        select(col(EngagementEvent.organization_id))
        .where(
            col(EngagementEvent.id) > mark, col(EngagementEvent.at) >= since, col(EngagementEvent.at) < until, *which
        )
        .distinct()
        .subquery("recent")
    )


def _joined(stmt: _Query, recent: Any) -> _Query:
    return stmt.outerjoin(RollupPartner, col(RollupPartner.organization_id) == Organization.id).outerjoin(
        recent, recent.c.organization_id == Organization.id
    )


def idle_in(partners: _Query, f: Filters, in_period: tuple[ColumnElement[bool], ...], mark: int) -> _Query:
    """`partners` (a select from organization) narrowed to those with no engagement event in f's period
    (`in_period`: the same condition, correlated to the partner, for the probe)."""
    recent = _recent(mark, f.lo, f.hi)
    found = _found(col(RollupPartner.last_event_at), f.lo, f.hi, recent, _probe(in_period))
    return _joined(partners, recent).where(found.is_(None))


def active_partners(session: Session, f: Filters, since: datetime, until: datetime, mark: int) -> int:
    """Partners (of the filter) with a login in [since, until)."""
    login = col(EngagementEvent.kind) == "login"
    logins = (
        login,
        col(EngagementEvent.organization_id) == Organization.id,
        col(EngagementEvent.at) >= since,
        col(EngagementEvent.at) < until,
    )
    recent = _recent(mark, since, until, login)
    found = _found(col(RollupPartner.last_login_at), since, until, recent, _probe(logins))
    stmt = _joined(select(func.count()).select_from(Organization), recent).where(*org_filters(f), found.is_not(None))
    return int(fetch(session, stmt)[0][0])
