"""Keeping the dashboards' daily rollups (analytics/models.py), so that their figures cost the same at any data size.

What is folded: every complete UTC day (before today), per measure, per partner segment (partner type x tier x
region as the partner is now), from the raw rows:
- login: engagement events of kind login, by their day;
- registered: deals submitted (any status but draft), by submission day;
- accepted: lead events 'accepted', by their day (partner = the event's partner);
- open: open deals (submitted, info requested, approved), by submission day, keyed status|stage|currency, with the
  sum of estimated values; forecast: the approved ones keyed close month|currency;
- won: won deals by close day, keyed by currency, with the sum of final amounts (estimated when none) and the part
  of both from deals a lead was converted to; won_p: the same per partner, keyed partner id|currency (its own
  segment only, rollup_fold.PER_PARTNER: the revenue dashboard's top partners);
- f_offered, f_accepted, f_converted: the lead funnel's events keyed by the day of their lead's previous one, so
  distinct leads add up (rollup_firsts.py).
Each cell is also summed over every subset of (type, tier, region) -- the cubes -- so a report reads only as many
cells as its filters and grouping need: about (days x keys) for the whole program, whatever the number of rows.
Sums stay in the rows' own currency; reports convert per rate epoch, so a new exchange rate changes no cell.
The folding itself is SQL, one INSERT ... SELECT per measure (rollup_fold.py). Each fold also stores every partner's
latest login and event instants (rollup_partner) for the engagement dashboard's per-partner figures
(rollup_partners.py).

How it stays exact (the guarantee reports rely on, see rollup_reads.plan):
- A day is folded whole, by delete-and-insert of its cells in one transaction: folding twice changes nothing.
- Every change the dashboards count writes an event row (deal_event on every deal status change, lead_event on every
  lead action, engagement_event for logins). The state row keeps, per event table, the id up to which changes are
  folded; a later event makes the days of the rows it touched 'dirty': reports read those days raw until the next
  fold refolds them. The watermark is the last id of events older than WATERMARK_LAG at the start of a fold, so an
  event whose transaction committed late (ids are handed out before commit) is still seen by the next fold.
- A partner whose type, tier or region changed has 'moved': reports read raw while any partner has moved, and the
  next fold refolds every day (the cubes sum over partners; about as long as a rebuild). A partner created since
  the last fold has not moved: it has no folded rows, and its rows since then made their days dirty.
- Two consumers at once: a fold takes a transaction-wide lock first (PostgreSQL advisory lock; on SQLite the write
  lock, by writing the state row before reading anything), so folds run one after the other.
Deleting rows (not something the app does to deals or events) is not seen until `rebuild`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update
from sqlmodel import Session, col

from prm_app.analytics.common import dialect, fetch
from prm_app.analytics.models import RollupCell, RollupPartner, RollupState
from prm_app.analytics.rollup_changes import dirty_days, moved_partners, utc_day
from prm_app.analytics.rollup_fold import ANY, CUBES, fold_cells
from prm_app.deals import Deal, DealEvent
from prm_app.leads import LeadEvent
from prm_app.partners import utc
from prm_app.platform.clock import utcnow
from prm_app.platform.models import EngagementEvent

MEASURES = ("login", "registered", "accepted", "open", "forecast", "won")  # and rollup_firsts.FIRSTS
# A cell's attribute summed over: ANY in its place. CUBES: which of (type, tier, region) each family of cells keeps.
ANY_TYPE, ANY_TIER, ANY_REGION = ANY
__all__ = ["CUBES", "FoldRun", "cube_of", "fold_rollups", "rebuild_rollups"]


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


def _fold(session: Session, lo: date, hi: date) -> None:
    """Replace the cells of days [lo, hi) by what the raw rows say now (rollup_fold.py: in SQL, set-based)."""
    session.connection().execute(delete(RollupCell).where(col(RollupCell.day) >= lo, col(RollupCell.day) < hi))
    fold_cells(session, utc(lo), utc(hi))


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
    since = state.engagement_event_id
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
        # a partner folded under another segment counts in other cells of every day: fold them all again (a new
        # partner has no folded rows: its rows since the fold made their days dirty)
        if state.folded_until is not None and any(then is not None for _o, then, _c in moved):
            state.folded_until = None
    dirty = dirty_days(session, state)
    day_ranges: list[list[date]] = []
    for day in sorted(dirty):  # consecutive dirty days in one fold
        if day_ranges and day_ranges[-1][1] == day:
            day_ranges[-1][1] = day + timedelta(days=1)
        else:
            day_ranges.append([day, day + timedelta(days=1)])
    for lo, hi in day_ranges:
        _fold(session, lo, hi)
    start = state.folded_until or _first_day(session) or today
    folded = max(0, (today - start).days)
    if folded:  # one statement per measure however many days: the database groups them (rollup_fold.py)
        _fold(session, start, today)
    if folded > BIG_FOLD_DAYS and dialect(session) == "postgresql":
        # fresh statistics now, or the planner guesses one row per range until autovacuum gets to it
        session.connection().exec_driver_sql("ANALYZE rollup_cell")
    _partner_activity(session, since)
    state.folded_until = max(today, state.folded_until or today)
    state.deal_event_id, state.lead_event_id, state.engagement_event_id = marks
    session.add(state)
    session.flush()
    return FoldRun(
        folded_days=folded, refolded_days=len(dirty), moved_partners=len(moved), folded_until=state.folded_until
    )


def _partner_activity(session: Session, since: int) -> None:
    """Each partner's latest login and latest event (rollup_partner), read raw (an index probe each) for the partners
    with engagement events after id `since` and those not known yet (all of them after a rebuild)."""
    event, partner = EngagementEvent, RollupPartner

    def latest(*which: Any) -> Any:
        return (
            select(func.max(col(event.at)))
            .where(col(event.organization_id) == partner.organization_id, *which)
            .scalar_subquery()
        )

    touched = select(col(event.organization_id)).where(col(event.id) > since)
    session.connection().execute(
        update(partner)
        .where(or_(col(partner.last_event_at).is_(None), col(partner.organization_id).in_(touched)))
        .values(last_login_at=latest(col(event.kind) == "login"), last_event_at=latest())
    )


def rebuild_rollups(session: Session, now: datetime | None = None) -> FoldRun:
    """Forget every cell and fold everything again from the raw rows (after a restore, or a bulk load)."""
    _lock(session, wait=True)
    session.connection().execute(delete(RollupCell))
    session.connection().execute(delete(RollupPartner))
    session.connection().execute(delete(RollupState))
    session.expunge_all()
    return fold_rollups(session, now, wait=True)
