"""Folding the daily rollups in SQL: one INSERT ... SELECT ... GROUP BY per measure (analytics/rollups.py says what
each measure is), so a fold's cost is the database's own scan and hash of the rows, not a Python loop over them.

The cubes (rollups.CUBES: each measure summed over every subset of partner type x tier x region) come from one pass:
GROUPING SETS on PostgreSQL; on SQLite, which has none, the finest cells are grouped once in a CTE and summed again
per cube, glued with UNION ALL. The 'first event' measures (rollup_firsts.py) take the day of each event's previous
one with LAG() over its lead, action and the cube's attributes. Keys are built in SQL as the readers split them
('status|stage|currency', 'YYYY-MM|currency', 'currency', a previous day 'YYYY-MM-DD' or '').
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Float,
    Integer,
    Numeric,
    Select,
    String,
    case,
    cast,
    func,
    insert,
    literal,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlmodel import Session, col

from prm_app.analytics.common import OPEN_STATUSES, REGISTERED_STATUSES, dialect, month_of, rows_first
from prm_app.analytics.models import RollupCell
from prm_app.analytics.rollup_changes import day_of
from prm_app.analytics.rollup_firsts import FIRSTS
from prm_app.deals import Deal, DealStatus
from prm_app.leads import Lead, LeadEvent
from prm_app.partners import Organization
from prm_app.platform.models import EngagementEvent

CELL_COLUMNS = ("measure", "cube", "day", "partner_type", "tier_id", "region", "key", "n", "amount", "lead_n",
                "lead_amount")  # fmt: skip
ANY = ("*", 0, "*")  # a cell's attribute summed over (rollups.ANY_TYPE, ANY_TIER, ANY_REGION)
CUBES = tuple((t, r, g) for t in (True, False) for r in (True, False) for g in (True, False))
# Measures keyed by partner ('partner id|...'): only their finest cells (cube 7, the partner's own segment) are kept;
# summed over partners they would be the measure without the partner.
PER_PARTNER = frozenset({"won_p"})


def _segment() -> tuple[Any, Any, Any]:
    return col(Organization.partner_type), col(Organization.tier_id), col(Organization.region)


def _text_day(session: Session, day: ColumnElement[Any]) -> ColumnElement[str]:
    """A day as 'YYYY-MM-DD' (SQLite keeps dates as that text already)."""
    if dialect(session) == "postgresql":
        return func.to_char(day, "YYYY-MM-DD")
    return cast(day, String)


def _measures(session: Session, lo: datetime, hi: datetime) -> dict[str, Select[Any]]:
    """Per measure, the SELECT of its rows over [lo, hi): day, type, tier, region, key, n, amount, lead_n,
    lead_amount -- ungrouped sums' arguments (the caller groups)."""
    zero = literal(0, Integer)

    def rows(model: Any, org_col: Any, at: Any, which: Any, key: Any, sums: tuple[Any, ...]) -> Select[Any]:
        return (
            select(day_of(session, at).label("day"), *_segment(), key.label("key"), *sums)
            .select_from(rows_first(model, org_col))
            .where(which, at >= lo, at < hi)
        )

    counted = (literal(1, Integer).label("n"), zero.label("amount"), zero.label("lead_n"), zero.label("lead_amount"))
    amount = _cents(func.coalesce(col(Deal.final_amount), col(Deal.estimated_value)))
    from_lead = select(col(Lead.id)).where(col(Lead.deal_id) == Deal.id).exists()
    valued = (
        literal(1, Integer).label("n"),
        _cents(col(Deal.estimated_value)).label("amount"),
        zero.label("lead_n"),
        zero.label("lead_amount"),
    )
    bar = literal("|", String)
    won = (
        literal(1, Integer).label("n"),
        amount.label("amount"),
        case((from_lead, 1), else_=0).label("lead_n"),
        amount.label("lead_amount"),  # times lead_n (see _cubed): the EXISTS runs once per row
    )
    return {
        "login": rows(
            EngagementEvent,
            col(EngagementEvent.organization_id),
            col(EngagementEvent.at),
            col(EngagementEvent.kind) == "login",
            literal("", String),
            counted,
        ),
        "registered": rows(
            Deal,
            col(Deal.organization_id),
            col(Deal.submitted_at),
            col(Deal.status).in_(REGISTERED_STATUSES),
            literal("", String),
            counted,
        ),
        "accepted": rows(
            LeadEvent,
            col(LeadEvent.partner_id),
            col(LeadEvent.at),
            col(LeadEvent.action) == "accepted",
            literal("", String),
            counted,
        ),
        "open": rows(
            Deal,
            col(Deal.organization_id),
            col(Deal.submitted_at),
            col(Deal.status).in_(OPEN_STATUSES),
            col(Deal.status) + bar + col(Deal.stage) + bar + col(Deal.currency),
            valued,
        ),
        "forecast": rows(
            Deal,
            col(Deal.organization_id),
            col(Deal.submitted_at),
            col(Deal.status) == DealStatus.APPROVED,
            month_of(session, col(Deal.expected_close)) + bar + col(Deal.currency),
            valued,
        ),
        "won": rows(
            Deal,
            col(Deal.organization_id),
            col(Deal.closed_at),
            col(Deal.status) == DealStatus.WON,
            cast(col(Deal.currency), String),
            won,
        ),
        "won_p": rows(  # per partner (PER_PARTNER): the revenue dashboard's top partners
            Deal,
            col(Deal.organization_id),
            col(Deal.closed_at),
            col(Deal.status) == DealStatus.WON,
            cast(col(Deal.organization_id), String) + bar + col(Deal.currency),
            won,
        ),
    }


def _cents(amount: ColumnElement[Any]) -> ColumnElement[int]:
    """Money as whole cents: integer sums are exact on both backends (SQLite sums NUMERIC as binary floats) and
    PostgreSQL adds bigints several times faster than NUMERIC (a 128-bit sum instead of a numeric one)."""
    return cast(func.round(amount * 100), BigInteger)


def _amount(session: Session, cents: ColumnElement[Any]) -> ColumnElement[Any]:
    """Whole cents back to the cells' NUMERIC(20, 2) (on SQLite a float that reads back exact to the cent: an
    integer division there would drop the cents)."""
    if dialect(session) == "postgresql":
        return cast(cents, Numeric(20, 2)) / 100
    return cents / literal(100.0, Float)


def _cubed(session: Session, measure: str, source: Select[Any]) -> Select[Any]:
    """The cells of every cube of `source`'s rows, in RollupCell's column order (CELL_COLUMNS): the rows are grouped
    once into the finest cells (day, segment, key), a few per day and segment, which are then summed per cube."""
    s = source.subquery("rows")
    seg = (s.c.partner_type, s.c.tier_id, s.c.region)
    sums = (
        func.sum(s.c.n),
        func.sum(s.c.amount),
        func.sum(s.c.lead_n),
        func.sum(s.c.lead_amount * s.c.lead_n),
    )
    finest = (
        select(s.c.day, *seg, s.c.key, *[cast(t, BigInteger).label(f"s{i}") for i, t in enumerate(sums)])
        .group_by(s.c.day, *seg, s.c.key)
        .cte("finest")
    )
    seg = (finest.c.partner_type, finest.c.tier_id, finest.c.region)
    if measure in PER_PARTNER:
        money = (_amount(session, finest.c.s1), _amount(session, finest.c.s3))
        return select(literal(measure), literal(7, Integer), finest.c.day, *seg, finest.c.key, finest.c.s0, money[0],
                      finest.c.s2, money[1])  # fmt: skip
    totals = [
        func.sum(finest.c.s0),
        _amount(session, func.sum(finest.c.s1)),
        func.sum(finest.c.s2),
        _amount(session, func.sum(finest.c.s3)),
    ]
    if dialect(session) == "postgresql":
        grouping = func.grouping(*seg)  # bit 4: type summed over, 2: tier, 1: region
        kept = [
            case((func.grouping(c) == 1, literal(a)), else_=c) for c, a in zip(seg, ANY, strict=True)
        ]  # NULL for an attribute summed over: ANY in its place
        sets = func.grouping_sets(*[tuple_(*[c for c, k in zip(seg, keep, strict=True) if k]) for keep in CUBES])
        return select(
            literal(measure), literal(7, Integer) - grouping, finest.c.day, *kept, finest.c.key, *totals
        ).group_by(finest.c.day, finest.c.key, sets)
    arms = []
    for keep in CUBES:
        kept = [c if k else literal(a) for c, k, a in zip(seg, keep, ANY, strict=True)]
        by = [c for c, k in zip(seg, keep, strict=True) if k]
        cube = 4 * keep[0] + 2 * keep[1] + keep[2]
        arms.append(
            select(literal(measure), literal(cube, Integer), finest.c.day, *kept, finest.c.key, *totals).group_by(
                finest.c.day, *by, finest.c.key
            )
        )
    return union_all(*arms)  # type: ignore[return-value]  # a compound select inserts like a select


def fold_cells(session: Session, lo: datetime, hi: datetime) -> None:
    """Insert the cells of every measure for the rows dated in [lo, hi) (the caller deleted those days' cells)."""
    conn = session.connection()
    if dialect(session) == "postgresql":
        # room to hash-aggregate millions of rows in memory (with the default 4 MB, sorts spilled to disk: 3x slower),
        # and no JIT: LLVM spent over a second compiling each of these statements at 1M deals
        conn.exec_driver_sql("SET LOCAL work_mem = '256MB'")
        conn.exec_driver_sql("SET LOCAL jit = off")
    into = insert(RollupCell)
    for measure, source in _measures(session, lo, hi).items():
        conn.execute(into.from_select(list(CELL_COLUMNS), _in_key_order(_cubed(session, measure, source))))
    conn.execute(into.from_select(list(CELL_COLUMNS), _in_key_order(_firsts(session, lo, hi))))


def _in_key_order(cells: Any) -> Select[Any]:
    """`cells` sorted as the primary key (measure, cube, day, segment, key): inserted in that order, the cells a report
    reads (one measure and cube over a range of days) sit together in a few table pages instead of one page each
    (at 1M deals, the open pipeline's 6.5k cells took 35 ms to fetch scattered)."""
    columns = list(cells.subquery("cells").c)
    return select(*columns).order_by(*columns[:7])


def _firsts(session: Session, lo: datetime, hi: datetime) -> Select[Any]:
    """The funnel's 'first event' cells of every cube (rollup_firsts.py): each event of [lo, hi) counted in its day's
    cell keyed by the day of the previous event of its lead and action among those in the same cube cell. One pass:
    the events of the leads with one in [lo, hi), each with its previous day per cube (a LAG() per cube), then
    each event once per cube (a cross join with the cube numbers) and grouped."""
    actions = list(FIRSTS.values())
    leads = select(col(LeadEvent.lead_id)).where(
        col(LeadEvent.action).in_(actions), col(LeadEvent.at) >= lo, col(LeadEvent.at) < hi
    )
    seg = _segment()
    day = day_of(session, col(LeadEvent.at))
    lags = {}
    for keep in CUBES:
        cube = 4 * keep[0] + 2 * keep[1] + keep[2]
        kept = [c for c, k in zip(seg, keep, strict=True) if k]
        # events without a partner (or whose partner is gone) share a NULL segment: they never precede a partner's
        lags[cube] = func.lag(day).over(
            partition_by=[col(LeadEvent.lead_id), col(LeadEvent.action), *kept],
            order_by=[col(LeadEvent.at), col(LeadEvent.id)],
        )
    e = (
        select(
            col(LeadEvent.action).label("action"),
            col(LeadEvent.at).label("at"),
            day.label("day"),
            *[c.label(c.key) for c in seg],
            col(Organization.id).label("partner"),
            *[lag.label(f"p{cube}") for cube, lag in lags.items()],
        )
        .select_from(LeadEvent)
        .outerjoin(Organization, col(Organization.id) == LeadEvent.partner_id)
        .where(col(LeadEvent.action).in_(actions), col(LeadEvent.at) < hi, col(LeadEvent.lead_id).in_(leads))
        .subquery("e")
    )
    # the cube numbers as a table (SQLite takes no column names after a VALUES list's alias)
    cubes = union_all(*[select(literal(cube, Integer).label("cube")) for cube in lags]).subquery("cubes")
    n = cubes.c.cube
    keeps = {name: [c for c in lags if c & bit] for name, bit in (("partner_type", 4), ("tier_id", 2), ("region", 1))}
    each = (
        select(
            case(*[(e.c.action == a, literal(m)) for m, a in FIRSTS.items()]).label("measure"),
            n.label("cube"),
            e.c.day,
            *[
                case((n.in_(keeps[c.key]), e.c[c.key]), else_=literal(a)).label(c.key)
                for c, a in zip(seg, ANY, strict=True)
            ],
            func.coalesce(_text_day(session, case({c: e.c[f"p{c}"] for c in lags}, value=n)), literal("")).label("key"),
        )
        .select_from(e.join(cubes, literal(True)))
        .where(e.c.at >= lo, or_(n == 0, e.c.partner.is_not(None)))
        .subquery("each")
    )
    zero = literal(0, Integer)
    columns = (each.c.measure, each.c.cube, each.c.day, each.c.partner_type, each.c.tier_id, each.c.region, each.c.key)
    return select(
        *columns, func.count(), zero.label("amount"), zero.label("lead_n"), zero.label("lead_amount")
    ).group_by(*columns)
