"""Reading the daily rollups (analytics/rollups.py) for a report: which days come from cells, which are read raw.

`plan(session, f)` splits the period into ranges of days read from cells (folded, not dirty) and ranges read raw
(today, days not folded yet, days whose rows changed since the fold). It returns None -- read everything raw --
when the rollups cannot answer exactly: nothing folded yet, a channel-manager filter (cells are per segment, not per
manager), or a partner that moved segment since the fold. Each report then adds the cells' figures to the raw
figures of the raw ranges, so the result is the raw report's, only cheaper.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, and_, case, event, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from prm_app.analytics.common import Rates, fetch
from prm_app.analytics.models import RollupCell, RollupState
from prm_app.analytics.rollup_changes import as_date, dirty_days, moved_count
from prm_app.analytics.rollup_firsts import FIRSTS, raw_firsts
from prm_app.analytics.rollups import ANY_REGION, ANY_TIER, ANY_TYPE
from prm_app.deals import DealEvent
from prm_app.leads import LeadEvent
from prm_app.partners import Filters, utc
from prm_app.platform.models import EngagementEvent

Days = tuple[tuple[date, date], ...]  # [start, end) ranges of days
CELL_GROUPS = {
    "partner_type": col(RollupCell.partner_type),
    "tier": col(RollupCell.tier_id),
    "region": col(RollupCell.region),
}


@dataclass(frozen=True)
class Plan:
    cells: Days  # read from rollup cells
    raw: Days  # read from the raw rows

    def raw_filters(self, f: Filters) -> list[Filters]:
        return [replace(f, start=a, end=b) for a, b in self.raw]


def _ranges(days: list[date]) -> Days:
    out: list[tuple[date, date]] = []
    for d in days:
        if out and out[-1][1] == d:
            out[-1] = (out[-1][0], d + timedelta(days=1))
        else:
            out.append((d, d + timedelta(days=1)))
    return tuple(out)


@dataclass(frozen=True)
class View:
    """What the rollups answer right now: days before `folded_until` except `dirty`; nothing while `moved`."""

    folded_until: date | None
    dirty: frozenset[date]
    moved: bool
    engagement_mark: int = 0  # the last engagement event id the fold covers (rollup_partners)


VIEW = "rollup_reads.view"  # its key in session.info


def view(session: Session) -> View:
    """The rollups' state, read once per session and reused by every report it computes (a dashboard load computes
    four): one statement (the state row, the event tables' last ids, the moved-partner counts), and the dirty days
    only when events came after the fold's watermarks. Forgotten when the session writes or its transaction ends."""
    found = session.info.get(VIEW)
    if isinstance(found, View):
        return found
    ids = [select(func.max(col(m.id))).scalar_subquery() for m in (DealEvent, LeadEvent, EngagementEvent)]
    row = fetch(
        session,
        select(
            col(RollupState.folded_until),
            col(RollupState.deal_event_id),
            col(RollupState.lead_event_id),
            col(RollupState.engagement_event_id),
            *ids,
            moved_count(),
        ).where(col(RollupState.id) == 1),
    )
    out = View(None, frozenset(), False)
    if row and row[0][0] is not None:
        until, deal_id, lead_id, engagement_id, *last, moved = row[0]
        marks = (deal_id, lead_id, engagement_id)
        state = RollupState(id=1, folded_until=as_date(until), deal_event_id=deal_id, lead_event_id=lead_id,
                            engagement_event_id=engagement_id)  # fmt: skip
        fresh = any(int(n or 0) > mark for n, mark in zip(last, marks, strict=True))
        dirty = frozenset(dirty_days(session, state) if fresh else ())
        out = View(state.folded_until, dirty, bool(moved), int(engagement_id))
    session.info[VIEW] = out
    if not event.contains(session, "after_flush", _forget):
        event.listen(session, "after_flush", _forget)
        event.listen(session, "after_transaction_end", _forget)
    return out


def _forget(session: Session, *_args: object) -> None:
    session.info.pop(VIEW, None)


def plan(session: Session, f: Filters) -> Plan | None:
    """Which days of `f`'s period the rollups answer exactly (see the module docstring); None: read raw."""
    if f.manager_id:
        return None
    now = view(session)
    if now.folded_until is None or f.start >= now.folded_until or now.moved:
        return None
    days = [f.start + timedelta(days=i) for i in range(f.days)]
    clean = [d for d in days if d < now.folded_until and d not in now.dirty]
    return Plan(cells=_ranges(clean), raw=_ranges([d for d in days if d not in set(clean)]))


def _cube(f: Filters, group: str | None) -> list[ColumnElement[bool]]:
    """Conditions choosing the coarsest cells that carry `f`'s filters and the `group` attribute (rollups.CUBES)."""
    out: list[ColumnElement[bool]] = []
    mask = 4 * bool(f.partner_type or group == "partner_type") + 2 * bool(f.tier_id or group == "tier")
    out.append(col(RollupCell.cube) == mask + bool(f.region or group == "region"))
    for name, value, column, anything in (
        ("region", f.region, col(RollupCell.region), ANY_REGION),
        ("partner_type", f.partner_type, col(RollupCell.partner_type), ANY_TYPE),
        ("tier", f.tier_id, col(RollupCell.tier_id), ANY_TIER),
    ):
        if value:
            out.append(column == value)
        elif group == name:
            out.append(column != anything)
        else:
            out.append(column == anything)
    return out


def epoch_of(rates: Rates, f: Filters) -> ColumnElement[date]:
    """SQL: the first day of the rate epoch (a stretch of days with no rate change) a cell's day falls in."""
    changes = rates.changes(f.start, f.end)
    if not changes:
        return literal(f.start, Date)
    return case(
        *[(col(RollupCell.day) >= d, literal(d, Date)) for d in reversed(changes)], else_=literal(f.start, Date)
    )


def cells(
    session: Session,
    measure: str | tuple[str, ...],
    f: Filters,
    days: Days,
    group: str | None = None,
    when: ColumnElement[date] | None = None,
    by_key: bool = True,
    *,
    keys_from: Sequence[str] = (),
) -> Sequence[tuple[Any, ...]]:
    """(when, [key], [group], n, amount, lead_n, lead_amount) of `measure` over `days`, narrowed by `f`'s segment;
    `when` is the cell's day unless another expression of it is given (a rate epoch). `keys_from`: only the cells
    whose key starts with one of these, then '|'. `measure` may be several (a tuple): rows then start with it."""
    if not days:
        return []
    several = isinstance(measure, tuple)
    which = col(RollupCell.measure).in_(list(measure)) if several else col(RollupCell.measure) == measure
    measures = [col(RollupCell.measure)] if several else []
    prefixed = [or_(*[col(RollupCell.key).startswith(f"{k}|") for k in keys_from])] if keys_from else []
    in_days = or_(*[and_(col(RollupCell.day) >= a, col(RollupCell.day) < b) for a, b in days])
    time = (when if when is not None else col(RollupCell.day)).label("when")
    keys = [col(RollupCell.key)] if by_key else []
    groups = [CELL_GROUPS[group]] if group else []
    return fetch(
        session,
        select(
            *measures,
            time,
            *keys,
            *groups,
            func.sum(col(RollupCell.n)),
            func.sum(col(RollupCell.amount)),
            func.sum(col(RollupCell.lead_n)),
            func.sum(col(RollupCell.lead_amount)),
        )
        .where(which, in_days, *prefixed, *_cube(f, group))
        .group_by(*measures, time, *keys, *groups),
    )


def in_usd(rates: Rates, currency: str, day: date, amount: Any) -> Decimal | None:
    """A sum in `currency` of rows dated `day`, in USD at that day's rate; None when there is no rate."""
    rate = rates.at(currency, day)
    return None if rate is None else Decimal(str(amount or 0)) * rate


def open_rows(
    session: Session, f: Filters, days: Days, rates: Rates, raw: Sequence[tuple[str, str, str, int, Any, int]] = ()
) -> tuple[dict[tuple[str, str], tuple[int, float, int]], dict[str, float]]:
    """The pipeline's open registrations from the cells of `days` plus the `raw` rows (status, stage, 'YYYY-MM',
    deals, exact USD value, deals without a rate) of the others: {(stage, 'registered' | 'approved'): (deals, value
    in USD, deals without a rate)} and {'YYYY-MM': approved value in USD}. Every figure is summed exactly and made a
    float once, so it does not depend on how the period was split between cells and raw rows."""
    epoch = epoch_of(rates, f)
    stages: dict[tuple[str, str], list[Any]] = {}

    def add(status: str, stage: str, n: int, value: Decimal | None) -> None:
        into = stages.setdefault((stage, "approved" if status == "approved" else "registered"), [0, Decimal(0), 0])
        into[0] += n
        if value is None:
            into[2] += n
        else:
            into[1] += value

    months: dict[str, Decimal] = {}
    for measure, start, key, n, amount, _ln, _la in cells(session, ("open", "forecast"), f, days, when=epoch):
        if measure == "open":
            status, stage, currency = key.split("|")
            add(status, stage, int(n), in_usd(rates, currency, start, amount))
        else:
            month, currency = key.split("|")
            value = in_usd(rates, currency, start, amount)  # a month of deals without a rate still shows, at 0
            months[month] = months.get(month, Decimal(0)) + (value or 0)
    for status, stage, month, n, value, missing in raw:
        add(status, stage, n - missing, Decimal(str(value)))
        if missing:
            add(status, stage, missing, None)
        if status == "approved":
            months[month] = months.get(month, Decimal(0)) + Decimal(str(value))
    return (
        {k: (n, float(v), miss) for k, (n, v, miss) in stages.items()},
        {m: float(v) for m, v in months.items()},
    )


def ageing(
    session: Session, f: Filters, plan: Plan, now: datetime, limits: Sequence[int], awaiting: Sequence[str]
) -> tuple[list[int], list[Filters]]:
    """Deals awaiting a decision per waiting-time bucket (buckets start `limits` days before `now`) from the open
    cells, and the periods to read raw and add: the plan's raw days, and the days a bucket boundary (now minus a
    limit) cuts through, whose deals fall on both sides of it."""
    by_day: dict[date, int] = {}
    for day, n, _a, _ln, _la in cells(session, "open", f, plan.cells, by_key=False, keys_from=awaiting):
        by_day[as_date(day)] = by_day.get(as_date(day), 0) + int(n)
    bounds = [now - timedelta(days=d) for d in limits[1:]]  # latest first: a deal is in the first it is after
    counts, raw = [0] * len(limits), plan.raw_filters(f)
    for day, n in by_day.items():
        lo, hi = utc(day), utc(day + timedelta(days=1))
        if any(lo <= t < hi for t in bounds):
            raw.append(replace(f, start=day, end=day + timedelta(days=1)))
        else:
            counts[next((i for i, t in enumerate(bounds) if lo > t), len(limits) - 1)] += n
    return counts, raw


def funnel(session: Session, f: Filters, plan: Plan) -> dict[str, int]:
    """{lead action: distinct leads with such an event in the period} (rollup_firsts): the cells of the clean days
    keyed before the period's start, plus the raw days' events with no earlier one since the start."""
    out = raw_firsts(session, f, [(sub.lo, sub.hi) for sub in plan.raw_filters(f)])
    if plan.cells:
        in_days = or_(*[and_(col(RollupCell.day) >= a, col(RollupCell.day) < b) for a, b in plan.cells])
        first = or_(col(RollupCell.key) == "", col(RollupCell.key) < f.start.isoformat())
        for measure, n in fetch(
            session,
            select(col(RollupCell.measure), func.sum(col(RollupCell.n)))
            .where(col(RollupCell.measure).in_(list(FIRSTS)), in_days, first, *_cube(f, None))
            .group_by(col(RollupCell.measure)),
        ):
            out[FIRSTS[measure]] = out.get(FIRSTS[measure], 0) + int(n)
    return out


def won_from_leads(session: Session, f: Filters, days: Days) -> int:
    rows = cells(session, "won", f, days, when=literal(f.start, Date), by_key=False)
    return sum(int(lead_n or 0) for _w, _n, _a, lead_n, _la in rows)


def weekly(
    session: Session, f: Filters, days: Days, measures: Sequence[str], by: str
) -> dict[str, dict[tuple[int, object], int]]:
    """{measure: {(week index in f's period, group value): rows}} of counted measures, from the cells, in one
    statement."""
    out: dict[str, dict[tuple[int, object], int]] = {m: {} for m in measures}
    if not days:
        return out
    first_monday = f.start - timedelta(days=f.start.weekday())
    in_days = or_(*[and_(col(RollupCell.day) >= a, col(RollupCell.day) < b) for a, b in days])
    group = CELL_GROUPS[by]
    for measure, day, g, n in fetch(
        session,
        select(col(RollupCell.measure), col(RollupCell.day), group, func.sum(col(RollupCell.n)))
        .where(col(RollupCell.measure).in_(list(measures)), in_days, *_cube(f, by))
        .group_by(col(RollupCell.measure), col(RollupCell.day), group),
    ):
        k = ((as_date(day) - first_monday).days // 7, g)
        into = out[measure]
        into[k] = into.get(k, 0) + int(n)
    return out
