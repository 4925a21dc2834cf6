"""Keeping the dashboards' daily rollups (analytics/models.py), so that their figures cost the same at any data size.

What is folded: every complete UTC day (before today), per measure, per partner segment (partner type x tier x
region as the partner is now), from the raw rows:
- login: engagement events of kind login, by their day;
- registered: deals submitted (any status but draft), by submission day;
- accepted: lead events 'accepted', by their day (partner = the event's partner);
- open: open deals (submitted, info requested, approved), by submission day, keyed status|stage|currency, with the
  sum of estimated values; forecast: the approved ones keyed close month|currency;
- won: won deals by close day, keyed by currency, with the sum of final amounts (estimated when none) and the part
  of both from deals a lead was converted to;
- f_offered, f_accepted, f_converted: the lead funnel's events keyed by the day of their lead's previous one, so
  distinct leads add up (rollup_firsts.py).
Each cell is also summed over every subset of (type, tier, region) -- the cubes -- so a report reads only as many
cells as its filters and grouping need: about (days x keys) for the whole program, whatever the number of rows.
Sums stay in the rows' own currency; reports convert per rate epoch, so a new exchange rate changes no cell.

How it stays exact (the guarantee reports rely on, see rollup_reads.plan):
- A day is folded whole, by delete-and-insert of its cells in one transaction: folding twice changes nothing.
- Every change the dashboards count writes an event row (deal_event on every deal status change, lead_event on every
  lead action, engagement_event for logins). The state row keeps, per event table, the id up to which changes are
  folded; a later event makes the days of the rows it touched 'dirty': reports read those days raw until the next
  fold refolds them. The watermark is the last id of events older than WATERMARK_LAG at the start of a fold, so an
  event whose transaction committed late (ids are handed out before commit) is still seen by the next fold.
- A partner whose type, tier or region changed has 'moved': reports read raw while any partner has moved, and the
  next fold refolds every day (the cubes sum over partners; about as long as a rebuild).
- Two consumers at once: a fold takes a transaction-wide lock first (PostgreSQL advisory lock; on SQLite the write
  lock, by writing the state row before reading anything), so folds run one after the other.
Deleting rows (not something the app does to deals or events) is not seen until `rebuild`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, func, insert, literal, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from prm_app.analytics.common import OPEN_STATUSES, REGISTERED_STATUSES, dialect, fetch, rows_first
from prm_app.analytics.models import RollupCell, RollupPartner, RollupState
from prm_app.analytics.rollup_changes import as_date, day_of, dirty_days, moved_partners, utc_day
from prm_app.analytics.rollup_firsts import fold_firsts
from prm_app.deals import Deal, DealEvent, DealStatus
from prm_app.leads import Lead, LeadEvent
from prm_app.partners import Organization, utc
from prm_app.platform.clock import utcnow
from prm_app.platform.models import EngagementEvent

MEASURES = ("login", "registered", "accepted", "open", "forecast", "won")  # and rollup_firsts.FIRSTS
# A cell's attribute summed over: ANY in its place. CUBES: which of (type, tier, region) each family of cells keeps.
ANY_TYPE, ANY_TIER, ANY_REGION = "*", 0, "*"
CUBES = tuple((t, r, g) for t in (True, False) for r in (True, False) for g in (True, False))


def cube_of(partner_type: str, tier_id: int, region: str) -> int:
    """The cube a cell belongs to, as bits: 4 keeps the partner type, 2 the tier, 1 the region."""
    return 4 * (partner_type != ANY_TYPE) + 2 * (tier_id != ANY_TIER) + (region != ANY_REGION)


WATERMARK_LAG = timedelta(minutes=2)
BIG_FOLD_DAYS = 31
ADVISORY_LOCK = 0x524F4C4C  # 'ROLL': one fold at a time across consumers (PostgreSQL)


@dataclass(frozen=True)
class FoldRun:
    """What one fold did: days newly folded, dirty days refolded, partners that had moved."""

    folded_days: int = 0
    refolded_days: int = 0
    moved_partners: int = 0
    folded_until: date | None = None
    skipped: bool = False  # another fold was running


def _sources(session: Session, lo: datetime, hi: datetime) -> dict[str, Any]:
    """Per measure, the SELECT of its cells over [lo, hi): (day, type, tier, region, *key, n, amount, lead_n,
    lead_amount), grouped. Callers add a segment condition when they fold only some segments."""
    segment = (col(Organization.partner_type), col(Organization.tier_id), col(Organization.region))
    zero = literal(0)

    def cells(
        model: Any, org_col: Any, at: Any, which: ColumnElement[bool], key: Sequence[Any], sums: Sequence[Any]
    ) -> Any:
        day = day_of(session, at).label("day")
        return (
            select(day, *segment, *key, *sums)
            .select_from(rows_first(model, org_col))
            .where(which, at >= lo, at < hi)
            .group_by(day, *segment, *key)
        )

    count = (func.count(), zero, zero, zero)
    amount = func.coalesce(col(Deal.final_amount), col(Deal.estimated_value))
    from_lead = select(col(Lead.id)).where(col(Lead.deal_id) == Deal.id).exists()
    return {
        "login": cells(
            EngagementEvent,
            col(EngagementEvent.organization_id),
            col(EngagementEvent.at),
            col(EngagementEvent.kind) == "login",
            (),
            count,
        ),
        "registered": cells(
            Deal,
            col(Deal.organization_id),
            col(Deal.submitted_at),
            col(Deal.status).in_(REGISTERED_STATUSES),
            (),
            count,
        ),
        "accepted": cells(
            LeadEvent, col(LeadEvent.partner_id), col(LeadEvent.at), col(LeadEvent.action) == "accepted", (), count
        ),
        "open": cells(
            Deal,
            col(Deal.organization_id),
            col(Deal.submitted_at),
            col(Deal.status).in_(OPEN_STATUSES),
            (col(Deal.status), col(Deal.stage), col(Deal.currency)),
            (func.count(), func.sum(col(Deal.estimated_value)), zero, zero),
        ),
        "forecast": cells(
            Deal,
            col(Deal.organization_id),
            col(Deal.submitted_at),
            col(Deal.status) == DealStatus.APPROVED,
            (col(Deal.expected_close), col(Deal.currency)),
            (func.count(), func.sum(col(Deal.estimated_value)), zero, zero),
        ),
        "won": cells(
            Deal,
            col(Deal.organization_id),
            col(Deal.closed_at),
            col(Deal.status) == DealStatus.WON,
            (col(Deal.currency),),
            (
                func.count(),
                func.sum(amount),
                func.sum(case((from_lead, 1), else_=0)),
                func.sum(case((from_lead, amount), else_=0)),
            ),
        ),
    }


def _key(measure: str, parts: Sequence[Any]) -> str:
    if measure == "forecast":  # YYYY-MM|currency: the close month is all the forecast needs
        close, currency = parts
        return f"{str(close)[:7]}|{currency}"
    return "|".join(str(p) for p in parts)


def _cubes(merged: dict[tuple[Any, ...], list[Any]]) -> dict[tuple[Any, ...], list[Any]]:
    """The segment cells plus, for each subset of (type, tier, region), the same cells summed over the other
    attributes (ANY in their place): a report reads the coarsest cells that still carry its filters and grouping."""
    out: dict[tuple[Any, ...], list[Any]] = {}
    for (day, partner_type, tier_id, region, key), sums in merged.items():
        for keep in CUBES:
            cube = (
                day,
                partner_type if keep[0] else ANY_TYPE,
                tier_id if keep[1] else ANY_TIER,
                region if keep[2] else ANY_REGION,
                key,
            )
            into = out.setdefault(cube, [0, 0, 0, 0])
            for i, value in enumerate(sums):
                into[i] += value
    return out


def _fold(session: Session, lo: date, hi: date) -> None:
    """Replace the cells of days [lo, hi) by what the raw rows say now."""
    session.connection().execute(delete(RollupCell).where(col(RollupCell.day) >= lo, col(RollupCell.day) < hi))
    for measure, stmt in _sources(session, utc(lo), utc(hi)).items():
        merged: dict[tuple[Any, ...], list[Any]] = {}
        for row in fetch(session, stmt):
            day, partner_type, tier_id, region, *rest = row
            *parts, n, total, lead_n, lead_total = rest
            key = (as_date(day), partner_type, tier_id, region, _key(measure, parts))
            into = merged.setdefault(key, [0, 0, 0, 0])  # several close days of one month share a key
            for i, value in enumerate((n, total, lead_n, lead_total)):
                into[i] += value or 0
        if merged:
            session.connection().execute(
                insert(RollupCell),
                [
                    {
                        "measure": measure,
                        "cube": cube_of(partner_type, tier_id, region),
                        "day": day,
                        "partner_type": partner_type,
                        "tier_id": tier_id,
                        "region": region,
                        "key": key,
                        "n": int(n),
                        "amount": total,
                        "lead_n": int(lead_n),
                        "lead_amount": lead_total,
                    }
                    for (day, partner_type, tier_id, region, key), (n, total, lead_n, lead_total) in _cubes(
                        merged
                    ).items()
                ],
            )
    firsts = fold_firsts(session, utc(lo), utc(hi), CUBES, (ANY_TYPE, ANY_TIER, ANY_REGION))
    if firsts:
        session.connection().execute(
            insert(RollupCell),
            [
                {"measure": measure, "cube": cube_of(*segment), "day": day, "partner_type": segment[0],
                 "tier_id": segment[1], "region": segment[2], "key": key, "n": n, "amount": 0, "lead_n": 0,
                 "lead_amount": 0}
                for (measure, segment, day, key), n in firsts.items()
            ],
        )  # fmt: skip


def _lock(session: Session, wait: bool) -> RollupState | None:
    """Serialize folds (see the module docstring) and return the state row, created on first use; None when another
    fold holds the lock and `wait` is false (a periodic fold then leaves the work to it rather than queue up behind
    it: the first fold of a large database takes minutes, and a consumer's threads are few)."""
    if dialect(session) == "postgresql":
        call = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
        # per schema: advisory locks are per database, and tests and benches share one database in many schemas
        lock = f"SELECT {call}({ADVISORY_LOCK}, hashtext(current_schema()))"
        got = session.connection().exec_driver_sql(lock).scalar()
        if got is False:
            return None
    else:  # take SQLite's write lock before reading anything
        session.connection().exec_driver_sql("UPDATE rollup_state SET id = id WHERE id = 1")
    state = session.get(RollupState, 1, populate_existing=True)
    if state is None:
        state = RollupState(id=1)
        session.add(state)
        session.flush()
    return state


def _watermarks(session: Session, state: RollupState, before: datetime) -> tuple[int, int, int]:
    """The last ids of events older than `before` (surely committed by now), never lower than the current ones."""
    out = []
    for model, current in (
        (DealEvent, state.deal_event_id),
        (LeadEvent, state.lead_event_id),
        (EngagementEvent, state.engagement_event_id),
    ):
        found = fetch(session, select(func.max(col(model.id))).where(col(model.id) > current, col(model.at) < before))[
            0
        ][0]
        out.append(max(current, int(found or 0)))
    return out[0], out[1], out[2]


def _first_day(session: Session) -> date | None:
    found = [
        fetch(session, select(func.min(column)))[0][0]
        for column in (col(EngagementEvent.at), col(Deal.submitted_at), col(Deal.closed_at), col(LeadEvent.at))
    ]
    days = [utc_day(v) for v in found if v is not None]
    return min(days) if days else None


def fold_rollups(session: Session, now: datetime | None = None, wait: bool = False) -> FoldRun:
    """Bring the rollups up to date in this transaction: partners that moved, days changed since the last fold,
    then every complete day not yet folded. Idempotent; safe with two consumers (on PostgreSQL the second skips
    while the first folds, unless `wait`; on SQLite they take turns)."""
    now = now or utcnow()
    today = now.astimezone(UTC).date()
    state = _lock(session, wait)
    if state is None:
        return FoldRun(skipped=True)
    marks = _watermarks(session, state, now - WATERMARK_LAG)
    moved = moved_partners(session)
    if moved:
        session.connection().execute(
            delete(RollupPartner).where(col(RollupPartner.organization_id).in_([o for o, _t, _c in moved]))
        )
        fresh = [
            {"organization_id": o, "partner_type": c[0], "tier_id": c[1], "region": c[2]} for o, _t, c in moved if c
        ]
        if fresh:
            session.connection().execute(insert(RollupPartner), fresh)
        if state.folded_until is not None:  # its rows count in other cells of every day: fold them all again
            state.folded_until = None
    dirty = dirty_days(session, state)
    for day in sorted(dirty):
        _fold(session, day, day + timedelta(days=1))
    start = state.folded_until or _first_day(session) or today
    folded = 0
    while start < today:  # a month per step: bounded memory for a rebuild
        stop = min(today, start + timedelta(days=31))
        _fold(session, start, stop)
        folded += (stop - start).days
        start = stop
    if folded > BIG_FOLD_DAYS and dialect(session) == "postgresql":
        # fresh statistics now, or the planner guesses one row per range until autovacuum gets to it
        session.connection().exec_driver_sql("ANALYZE rollup_cell")
    state.folded_until = max(today, state.folded_until or today)
    state.deal_event_id, state.lead_event_id, state.engagement_event_id = marks
    session.add(state)
    session.flush()
    return FoldRun(
        folded_days=folded, refolded_days=len(dirty), moved_partners=len(moved), folded_until=state.folded_until
    )


def rebuild_rollups(session: Session, now: datetime | None = None) -> FoldRun:
    """Forget every cell and fold everything again from the raw rows (after a restore, or a bulk load)."""
    _lock(session, wait=True)
    session.connection().execute(delete(RollupCell))
    session.connection().execute(delete(RollupPartner))
    session.connection().execute(delete(RollupState))
    session.expunge_all()
    return fold_rollups(session, now, wait=True)
