"""Shared pieces of the dashboards' read side: who may look, period and week maths, and SQL building
blocks that give the same answers on SQLite and PostgreSQL.

Why the SQL looks the way it does (measured on 1M deals / 5M engagement events, see bench/dashboards.py):
- Weekly figures on SQLite are one `GROUP BY <partner attribute>` per week, glued with UNION ALL, not a GROUP BY
  on a computed week: each arm reads an index range and sorts only a week's rows, and no date function runs per
  row (a single GROUP BY on a week expression took twice as long). PostgreSQL hash-aggregates date_trunc('week').
- Money is converted in SQL with a CASE on the currency whose rates are those in force in each "rate epoch" of the
  period (the instants where some rate changes), instead of a correlated lookup per deal: a handful of parameters
  instead of an index probe per row.
- Figures over a period read the period's rows first and look up each row's partner (`rows_first`); figures per
  partner loop over the partners and seek each one's rows in an index that starts with the partner
  (`partners_first`): the rows then arrive grouped by partner, so `GROUP BY organization.id` sorts nothing.
  SQLite, which has no statistics here (nobody runs ANALYZE), would otherwise scan the period and sort it; the
  CROSS JOIN keyword is SQLite's documented way to fix the loop order. PostgreSQL gets a plain join.
- Medians come from histograms of 6-minute buckets grouped in SQL (a few thousand rows at most), computed in Python;
  SQLite has no percentile function and shipping every duration to Python would be the slow part.
"""

from __future__ import annotations

import itertools
import statistics
import typing
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVarTuple

from sqlalchemy import (
    CompoundSelect,
    Date,
    Float,
    FromClause,
    Integer,
    Numeric,
    Row,
    Select,
    and_,
    case,
    cast,
    func,
    inspect,
    literal,
    select,
    type_coerce,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped
from sqlalchemy.sql.compiler import FromLinter, SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Join
from sqlmodel import Session, SQLModel, col

from prm_app.deals import DealStatus
from prm_app.partners import Filters, Organization, Tier, check_filters, type_label, utc
from prm_app.platform.access import Actor, Permission
from prm_app.platform.errors import ValidationError
from prm_app.platform.models import ExchangeRate

BUCKETS_PER_HOUR = 10  # duration histograms: 6-minute buckets, so medians are exact to the tenth of an hour
# A registration counts once it is submitted: every status but draft (new statuses are included by default).
REGISTERED_STATUSES = tuple(s.value for s in DealStatus if s != DealStatus.DRAFT)
OPEN_STATUSES = (DealStatus.SUBMITTED.value, DealStatus.INFO_REQUESTED.value, DealStatus.APPROVED.value)
AWAITING_STATUSES = (DealStatus.SUBMITTED.value, DealStatus.INFO_REQUESTED.value)
GROUPS: dict[str, Mapped[str] | Mapped[int]] = {
    "partner_type": col(Organization.partner_type),
    "tier": col(Organization.tier_id),
    "region": col(Organization.region),
}
# A report's group key: what the GROUP BY column holds (a tier id, a partner type code or a region) -> the key shown
# (a tier name, a code, a region; None for no region), and a sort key for the groups.
GroupName = Callable[[Any], str | None]
GroupOrder = Callable[[Any], int | str]
_Row = TypeVarTuple("_Row")


def require_dashboard(session: Session, actor: Actor, f: Filters) -> None:
    """Dashboards are for the vendor's people (exec, admin, channel managers); partners get PermissionDenied."""
    actor.require(Permission.VIEW_PARTNERS)
    check_filters(f)
    no_jit(session)


def no_jit(session: Session) -> None:
    """PostgreSQL: no JIT compilation for the rest of this transaction. The reports' wide CASE expressions made
    LLVM spend ~100 ms compiling queries that then ran in less (measured at 1M deals); reads only, so harmless."""
    if dialect(session) == "postgresql":
        session.connection().exec_driver_sql("SET LOCAL jit = off")


def group_column(by: str) -> Mapped[str] | Mapped[int]:
    if by not in GROUPS:
        raise ValidationError("Group by partner type, tier or region.", "by")
    return GROUPS[by]


def group_key(session: Session, by: str) -> tuple[GroupName, GroupOrder]:
    """value -> the group's key in a report (tier ids become tier names; partner types and regions stay as stored),
    and a sort key that keeps tiers in rank order and partner types in the order of their labels."""
    if by == "tier":
        tiers = {
            tid: (rank, name)
            for tid, rank, name in fetch(session, select(col(Tier.id), col(Tier.rank), col(Tier.name)))
        }
        return (lambda v: tiers.get(v, (0, str(v)))[1]), (lambda v: tiers.get(v, (0, ""))[0])
    if by == "partner_type":
        return (lambda v: v), type_label
    return (lambda v: v or None), (lambda v: v or "")


def weeks(start: date, end: date) -> list[tuple[date, datetime, datetime]]:
    """(Monday, from, until) for every ISO week touching [start, end), clipped to it."""
    out = []
    monday = start - timedelta(days=start.weekday())
    while monday < end:
        out.append((monday, utc(max(monday, start)), utc(min(monday + timedelta(days=7), end))))
        monday += timedelta(days=7)
    return out


class Ordered(Join):
    """An inner join whose left side SQLite must loop over first (see the module docstring); elsewhere a JOIN."""

    inherit_cache = True


@compiles(Ordered, "sqlite")
def _ordered_sqlite(
    join: Ordered, compiler: SQLCompiler, asfrom: bool = False, from_linter: FromLinter | None = None, **kw: Any
) -> str:
    if from_linter:
        from_linter.edges.update(itertools.product(join.left._from_objects, join.right._from_objects))
    if join.onclause is None:  # Ordered is only built with an ON clause (partners_first, rows_first)
        raise ValueError("an Ordered join needs an ON clause")
    return (
        join.left._compiler_dispatch(compiler, asfrom=True, from_linter=from_linter, **kw)
        + " CROSS JOIN "
        + join.right._compiler_dispatch(compiler, asfrom=True, from_linter=from_linter, **kw)
        + " ON "
        + join.onclause._compiler_dispatch(compiler, from_linter=from_linter, **kw)
    )


def table_of(model: type[SQLModel]) -> FromClause:
    """The table a model is mapped to (its `__table__`, which SQLModel's classes do not declare for type checkers)."""
    table: FromClause = inspect(model).local_table
    return table


def partners_first(
    model: type[SQLModel], org_column: Mapped[int] | Mapped[int | None], *conditions: ColumnElement[bool]
) -> Ordered:
    """FROM organization, then each partner's rows of `model` (which needs an index led by `org_column`)."""
    return Ordered(table_of(Organization), table_of(model), and_(org_column == Organization.id, *conditions))


def rows_first(model: type[SQLModel], org_column: Mapped[int] | Mapped[int | None]) -> Ordered:
    """FROM the period's rows of `model` (read from its covering index), then each row's partner by primary key.
    Without this, a partner filter (region, type, ...) made SQLite start from the partners and read the deals of
    each through an index that does not cover the query: 0.8 s instead of 0.1 s at 1M deals."""
    return Ordered(table_of(model), table_of(Organization), org_column == Organization.id)


def fetch(session: Session, stmt: Select[*_Row] | CompoundSelect[*_Row]) -> Sequence[Row[*_Row]]:
    """Run a Core select on the session's connection: plain tuples, without the ORM's row machinery (which cost
    more than the query itself for results of a few thousand rows)."""
    session.flush()  # what session.exec would do: the caller's pending rows count too
    return session.connection().execute(stmt).all()


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def seconds_between(
    session: Session, later: Mapped[datetime | None], earlier: Mapped[datetime | None]
) -> ColumnElement[int]:
    """Whole seconds from `earlier` to `later` (UTC timestamps)."""
    if dialect(session) == "postgresql":
        return cast(func.round(func.extract("epoch", later - earlier)), Integer)
    return cast(func.round((func.julianday(later) - func.julianday(earlier)) * 86400), Integer)


def duration_bucket(
    session: Session, later: Mapped[datetime | None], earlier: Mapped[datetime | None]
) -> ColumnElement[int]:
    """The 6-minute bucket of a duration (integer division of whole seconds, so both backends floor alike)."""
    return seconds_between(session, later, earlier) // literal(3600 // BUCKETS_PER_HOUR, Integer)


def day_number(session: Session, column: Mapped[datetime | None]) -> ColumnElement[int]:
    """Days since a Monday, in UTC (so `% 7` is the weekday, Monday = 0)."""
    if dialect(session) == "postgresql":
        # date - date is an integer (days) in PostgreSQL, and SQLAlchemy types it Integer; only its stubs say date
        return typing.cast(
            "ColumnElement[int]", cast(func.timezone("UTC", column), Date) - literal(date(2000, 1, 3), Date)
        )
    # The Julian day number of an instant is floor(julianday + 0.5); JDN % 7 == 0 on Mondays.
    return cast(func.julianday(column) + 0.5, Integer)


def month_of(session: Session, date_column: Mapped[date | None]) -> ColumnElement[str]:
    if dialect(session) == "postgresql":
        return func.to_char(date_column, "YYYY-MM")
    return func.substr(date_column, 1, 7)  # SQLite stores dates as 'YYYY-MM-DD'


def median_of_buckets(rows: Iterable[Sequence[Any]]) -> float | None:
    """The median (mean of the two middle values when even) of a histogram [(bucket, count)], in hours."""
    hist = sorted((int(b), int(n)) for b, n in rows if n)
    total = sum(n for _b, n in hist)
    if not total:
        return None

    def value_at(k: int) -> int:  # the k-th smallest value, 0-based
        seen = 0
        for bucket, n in hist:
            seen += n
            if k < seen:
                return bucket
        return hist[-1][0]

    middle = (value_at((total - 1) // 2) + value_at(total // 2)) / 2
    return round(middle / BUCKETS_PER_HOUR, 1)


def median(values: list[float], min_count: int, digits: int = 2) -> float | None:
    """statistics.median rounded to `digits`, or None below `min_count` values (a median of two partners would
    give one away)."""
    return round(float(statistics.median(values)), digits) if len(values) >= min_count else None


# --- Money ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rates:
    """Every exchange rate, by currency, in date order: a small table, read once per report."""

    by_currency: dict[str, tuple[list[date], list[Decimal]]]

    def at(self, currency: str, day: date) -> Decimal | None:
        """USD per unit in force on `day`: the latest rate dated on or before it. USD is always 1."""
        if currency == "USD":
            return Decimal(1)
        dates, values = self.by_currency.get(currency, ((), ()))
        i = bisect_right(dates, day)
        return values[i - 1] if i else None

    def changes(self, start: date, end: date) -> list[date]:
        """Days in (start, end) on which some rate changes: the boundaries of the period's rate epochs."""
        return sorted({d for dates, _v in self.by_currency.values() for d in dates if start < d < end})


def load_rates(session: Session) -> Rates:
    by: dict[str, tuple[list[date], list[Decimal]]] = {}
    for currency, as_of, value in fetch(
        session,
        select(col(ExchangeRate.currency), col(ExchangeRate.as_of), col(ExchangeRate.usd_per_unit)).order_by(
            col(ExchangeRate.currency), col(ExchangeRate.as_of)
        ),
    ):
        dates, values = by.setdefault(currency, ([], []))
        dates.append(as_of)
        values.append(Decimal(str(value)))
    return Rates(by)


def usd_rate(
    rates: Rates, currency: Mapped[str], at: Mapped[datetime | None], start: date, end: date
) -> ColumnElement[Decimal | None]:
    """SQL for the USD rate of a row whose date is `at` (a timestamp inside [start, end)) in `currency`, or NULL
    when that currency has no rate dated on or before the row's UTC day.

    One CASE on the currency per rate epoch (a stretch of days over which no rate changes), the epochs chosen by
    comparing `at` with the days rates change on, latest first.
    """
    currencies = ["USD", *sorted(set(rates.by_currency) - {"USD"})]  # USD first: most deals stop at the first WHEN

    def on(day: date) -> ColumnElement[Decimal | None]:
        whens = {c: literal(r, Numeric(18, 8)) for c in currencies if (r := rates.at(c, day)) is not None}
        return case(whens, value=currency) if whens else literal(None, Numeric(18, 8))

    epochs = [start, *rates.changes(start, end)]
    if len(epochs) == 1:
        return on(start)
    return case(*[(at >= utc(day), on(day)) for day in reversed(epochs[1:])], else_=on(start))


def missing_rate(
    rates: Rates, currency: Mapped[str], at: Mapped[datetime | None], start: date, end: date
) -> ColumnElement[int]:
    """SQL: 1 when `usd_rate` is NULL for the row, else 0, without evaluating the rate CASE again (usually one
    `currency IN (...)` test: currencies with no rate at all; a currency whose first rate falls inside the period is
    also missing before that day)."""
    lacking = [c for c in rates.by_currency if rates.at(c, start) is None and c != "USD"]
    whens = []
    for code in lacking:
        first = rates.by_currency[code][0][0]
        whens.append((and_(currency == code, at < utc(first)), 1) if first < end else (currency == code, 1))
    return case(*whens, (currency.in_([*sorted(rates.by_currency), "USD"]), 0), else_=1)


def money_sum(expression: ColumnElement[Any]) -> ColumnElement[float]:
    """SUM(expression) read back as a float: thousands of Decimal conversions per report were a measurable cost,
    and results are rounded to cents for display anyway."""
    return type_coerce(func.sum(expression), Float)


def usd(value: float | Decimal | None) -> float:
    return round(float(value or 0), 2)
