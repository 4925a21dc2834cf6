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

from sqlalchemy import and_, func, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from prm_app.analytics.common import Rates, fetch
from prm_app.analytics.models import RollupCell, RollupState
from prm_app.analytics.rollups import dirty_days, moved_partners
from prm_app.partners import Filters, utc

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


def plan(session: Session, f: Filters) -> Plan | None:
    """Which days of `f`'s period the rollups answer exactly (see the module docstring); None: read raw."""
    if f.manager_id:
        return None
    state = session.get(RollupState, 1)
    if state is None or state.folded_until is None or f.start >= state.folded_until:
        return None
    if moved_partners(session):
        return None
    dirty = dirty_days(session, state)
    days = [f.start + timedelta(days=i) for i in range(f.days)]
    clean = [d for d in days if d < state.folded_until and d not in dirty]
    return Plan(cells=_ranges(clean), raw=_ranges([d for d in days if d not in set(clean)]))


def _segment(f: Filters) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if f.region:
        out.append(col(RollupCell.region) == f.region)
    if f.partner_type:
        out.append(col(RollupCell.partner_type) == f.partner_type)
    if f.tier_id:
        out.append(col(RollupCell.tier_id) == f.tier_id)
    return out


def cells(session: Session, measure: str, f: Filters, days: Days, *group: Any) -> Sequence[tuple[Any, ...]]:
    """(day, key, *group, n, amount, lead_n, lead_amount) of `measure` over `days`, narrowed by `f`'s segment."""
    if not days:
        return []
    in_days = or_(*[and_(col(RollupCell.day) >= a, col(RollupCell.day) < b) for a, b in days])
    return fetch(
        session,
        select(
            col(RollupCell.day),
            col(RollupCell.key),
            *group,
            func.sum(col(RollupCell.n)),
            func.sum(col(RollupCell.amount)),
            func.sum(col(RollupCell.lead_n)),
            func.sum(col(RollupCell.lead_amount)),
        )
        .where(col(RollupCell.measure) == measure, in_days, *_segment(f))
        .group_by(col(RollupCell.day), col(RollupCell.key), *group),
    )


def in_usd(rates: Rates, currency: str, day: date, amount: Any) -> Decimal | None:
    """A sum in `currency` of rows dated `day`, in USD at that day's rate; None when there is no rate."""
    rate = rates.at(currency, day)
    return None if rate is None else Decimal(str(amount or 0)) * rate


def open_rows(
    session: Session, f: Filters, days: Days, rates: Rates, raw: Sequence[tuple[str, str, str, int, Any, int]] = ()
) -> list[tuple[str, str, str, int, float, int]]:
    """The pipeline's (status, stage, 'YYYY-MM', deals, value in USD, deals without a rate) from the open cells,
    plus the `raw` rows of the other days (values as exact Decimals): each group is summed exactly and made a float
    once, as the raw query's NUMERIC sum is."""
    groups: dict[tuple[str, str, str], list[Any]] = {}
    for day, key, n, amount, _ln, _la in cells(session, "open", f, days):
        status, stage, month, currency = key.split("|")
        into = groups.setdefault((status, stage, month), [0, Decimal(0), 0])
        value = in_usd(rates, currency, day, amount)
        into[0] += int(n)
        if value is None:
            into[2] += int(n)
        else:
            into[1] += value
    for status, stage, month, n, value, missing in raw:
        into = groups.setdefault((status, stage, month), [0, Decimal(0), 0])
        into[0] += n
        into[1] += Decimal(str(value))
        into[2] += missing
    return [(s, st, m, n, float(v), miss) for (s, st, m), (n, v, miss) in groups.items()]


def ageing(
    session: Session, f: Filters, plan: Plan, now: datetime, limits: Sequence[int], awaiting: Sequence[str]
) -> tuple[list[int], list[Filters]]:
    """Deals awaiting a decision per waiting-time bucket (buckets start `limits` days before `now`) from the open
    cells, and the periods to read raw and add: the plan's raw days, and the days a bucket boundary (now minus a
    limit) cuts through, whose deals fall on both sides of it."""
    by_day: dict[date, int] = {}
    for day, key, n, _a, _ln, _la in cells(session, "open", f, plan.cells):
        if key.split("|", 1)[0] in awaiting:
            by_day[day] = by_day.get(day, 0) + int(n)
    bounds = [now - timedelta(days=d) for d in limits[1:]]  # latest first: a deal is in the first it is after
    counts, raw = [0] * len(limits), plan.raw_filters(f)
    for day, n in by_day.items():
        lo, hi = utc(day), utc(day + timedelta(days=1))
        if any(lo <= t < hi for t in bounds):
            raw.append(replace(f, start=day, end=day + timedelta(days=1)))
        else:
            counts[next((i for i, t in enumerate(bounds) if lo > t), len(limits) - 1)] += n
    return counts, raw


def won_from_leads(session: Session, f: Filters, days: Days) -> int:
    return sum(int(lead_n) for _d, _k, _n, _a, lead_n, _la in cells(session, "won", f, days))


def weekly(session: Session, f: Filters, days: Days, measure: str, by: str) -> dict[tuple[int, object], int]:
    """{(week index in f's period, group value): rows} of a counted measure, from the cells."""
    first_monday = f.start - timedelta(days=f.start.weekday())
    out: dict[tuple[int, object], int] = {}
    for day, _key, g, n, _a, _ln, _la in cells(session, measure, f, days, CELL_GROUPS[by]):
        k = ((day - first_monday).days // 7, g)
        out[k] = out.get(k, 0) + int(n)
    return out
