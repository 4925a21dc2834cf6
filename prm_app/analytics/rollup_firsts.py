"""Distinct counts from daily cells: the lead funnel's "distinct leads offered / accepted / converted in the period".

Distinct leads cannot be added up day by day (a lead offered on two days is one lead). But a lead has an event in
[start, end) exactly when one of its events there is the first since `start`: an event whose previous event (same
lead, same action, among the rows the filter keeps) fell before `start`, or that has none. So each event is folded
into the cell of its day keyed by the day of that previous event ('' for none), and the count for any period is the
sum over its days of the cells keyed before its first day. The 'previous event' depends on the filter, so it is
worked out within each cube (rollups.CUBES): within the partner's region for the region cells, and so on; events
with no partner count only in the cells over all partners, as the raw query counts them only without a filter.

Days read raw (today, changed days) count their events that have no earlier one since `start`, in SQL. A new event
makes every day of its lead dirty (rollups.dirty_days), so an event folded as 'first' is never counted twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.util import ClauseAdapter
from sqlmodel import Session, col

from prm_app.analytics.common import fetch, table_of
from prm_app.leads import LeadEvent
from prm_app.partners import Filters, Organization, org_filters

FIRSTS = {"f_offered": "offered", "f_accepted": "accepted", "f_converted": "converted"}  # cell measure: lead action


def raw_firsts(session: Session, f: Filters, periods: Sequence[tuple[datetime, datetime]]) -> dict[str, int]:
    """{action: events in `periods` with no earlier event of the same lead and action since f's start}, among the
    events `f` keeps (by their partner)."""
    if not periods:
        return {}
    earlier = aliased(LeadEvent)
    other = table_of(Organization).alias("earlier_partner")
    conditions = org_filters(f)
    sooner = (
        select(literal(1))
        .select_from(earlier)
        .where(
            col(earlier.lead_id) == LeadEvent.lead_id,
            col(earlier.action) == LeadEvent.action,
            col(earlier.at) >= f.lo,
            or_(col(earlier.at) < LeadEvent.at, and_(col(earlier.at) == LeadEvent.at, col(earlier.id) < LeadEvent.id)),
        )
    )
    if conditions:  # the earlier event must be one the filter keeps too: its own partner, checked like ours
        sooner = sooner.join(other, other.c.id == earlier.partner_id).where(*[_on(other, c) for c in conditions])
    stmt = select(col(LeadEvent.action), func.count()).select_from(LeadEvent)
    if conditions:
        stmt = stmt.join(Organization, col(Organization.id) == LeadEvent.partner_id).where(*conditions)
    in_periods = or_(*[and_(col(LeadEvent.at) >= a, col(LeadEvent.at) < b) for a, b in periods])
    rows = fetch(
        session,
        stmt.where(col(LeadEvent.action).in_(list(FIRSTS.values())), in_periods, ~sooner.exists()).group_by(
            col(LeadEvent.action)
        ),
    )
    return {action: int(n) for action, n in rows}


def _on(alias: Any, condition: Any) -> Any:
    """`condition` on the organization table, rewritten onto `alias` of it."""
    return ClauseAdapter(alias).traverse(condition)
