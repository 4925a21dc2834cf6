"""The engagement dashboard's per-partner figures with the rollups (rollup_partners.py) equal the raw ones through
events the fold has not seen, and the rollups' plan is read once per session. Runs on SQLite and
PostgreSQL (the `session` fixture)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session

from prm_app.analytics import engagement, fold_rollups, rollup_reads
from prm_app.analytics.models import RollupPartner
from prm_app.partners import Filters
from prm_app.platform.models import EngagementEvent
from tests.analytics.test_rollups import NOW, TODAY, close, world
from tests.factories import make_org

PERIODS = [
    (TODAY - timedelta(days=45), TODAY + timedelta(days=1)),
    (TODAY - timedelta(days=30), TODAY - timedelta(days=9)),
]


def both(session: Session, w: dict, monkeypatch: pytest.MonkeyPatch) -> tuple[list[object], list[object]]:
    """(with the rollups, raw) engagement reports of every period, for all partners and for EMEA."""

    def run() -> list[object]:
        return [engagement.engagement(session, w["actor"], Filters(a, b, **extra), by="tier")
                for a, b in PERIODS for extra in ({}, {"region": "EMEA"})]  # fmt: skip

    rolled = run()
    with monkeypatch.context() as m:
        m.setattr(rollup_reads, "plan", lambda _session, _f: None)
        raw = run()
    return rolled, raw


def test_stored_activity_answers_exactly_through_events_after_the_fold(session, monkeypatch):
    """Equal to the raw figures right after a fold, with events the fold has not seen (after its watermark: a
    quiet partner active again, a login just now), with a partner created since (no stored row: probed), for a past
    period (stored instants after its end prove nothing: probed), and after the next fold."""
    w = world(session, seed=13)
    quiet = [make_org(session, name=f"Quiet {i}", region="EMEA") for i in range(12)]  # never active: least engaged
    for org in quiet[:3]:
        login(session, org, NOW - timedelta(days=50))  # long ago: a last login, but idle in every period
    session.flush()
    fold_rollups(session, NOW)
    rolled, raw = both(session, w, monkeypatch)
    assert all(close(a, b, 0.0) for a, b in zip(rolled, raw, strict=True))
    assert {p.partner for p in rolled[0].least_engaged} <= {o.name for o in quiet}

    login(session, quiet[5], NOW - timedelta(days=20))  # after the watermark, inside both periods
    login(session, quiet[6], NOW - timedelta(minutes=5))
    login(session, quiet[0], NOW - timedelta(days=40))  # an old day: before the first period, a last login
    newcomer = make_org(session, name="Newcomer", region="EMEA")
    login(session, newcomer, NOW - timedelta(days=15))
    rolled, raw = both(session, w, monkeypatch)
    assert all(close(a, b, 0.0) for a, b in zip(rolled, raw, strict=True))
    shown = {p.partner for p in rolled[0].least_engaged}
    assert quiet[5].name not in shown and quiet[6].name not in shown and newcomer.name not in shown
    before = rolled[0].kpis.active_partners_30d

    fold_rollups(session, NOW + timedelta(minutes=5))
    rolled, raw = both(session, w, monkeypatch)
    assert all(close(a, b, 0.0) for a, b in zip(rolled, raw, strict=True))
    assert rolled[0].kpis.active_partners_30d == before


def test_a_fold_stores_each_partners_latest_login_and_event(session):
    w = world(session, seed=17)
    org = w["orgs"][0]
    fold_rollups(session, NOW)
    row = session.get(RollupPartner, org.id)
    assert row is not None and row.last_event_at is not None and row.last_login_at is not None
    later = NOW - timedelta(minutes=30)
    login(session, org, later)
    session.flush()
    fold_rollups(session, NOW + timedelta(minutes=5))  # the new event is past the watermark: its partner refreshed
    session.expire_all()
    assert session.get(RollupPartner, org.id).last_event_at == later


def test_a_new_partner_neither_refolds_nor_turns_the_rollups_off(session):
    w = world(session, seed=19)
    fold_rollups(session, NOW)
    make_org(session, name="Newcomer", region="APAC")
    session.flush()
    f = Filters(TODAY - timedelta(days=30), TODAY)
    assert rollup_reads.plan(session, f) is not None
    run = fold_rollups(session, NOW + timedelta(minutes=5))
    assert run.moved_partners == 1 and run.folded_days == 0  # registered, nothing refolded
    w["orgs"][2].region = "North America"  # a folded partner moving still sends the reports raw
    session.add(w["orgs"][2])
    session.flush()
    assert rollup_reads.plan(session, f) is None


def test_the_plan_is_read_once_per_session_and_forgotten_on_a_write(session, engine):
    world(session, seed=23)
    fold_rollups(session, NOW)
    session.commit()
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    f = Filters(TODAY - timedelta(days=30), TODAY)
    event.listen(engine, "before_cursor_execute", seen)
    try:
        with Session(engine) as fresh:
            first = rollup_reads.plan(fresh, f)
            reads = len(statements)
            assert rollup_reads.plan(fresh, Filters(TODAY - timedelta(days=9), TODAY)) is not None
            assert rollup_reads.plan(fresh, f) == first
            assert len(statements) == reads  # reused: no statement for the second and third plan
            partner = fresh.get(RollupPartner, 1)
            assert partner is not None
            at = datetime.combine(TODAY - timedelta(days=3), datetime.min.time(), UTC)
            fresh.add(EngagementEvent(user_id=None, organization_id=partner.organization_id, kind="login", at=at))
            fresh.flush()
            after = rollup_reads.plan(fresh, f)
            assert after is not None and any(a <= TODAY - timedelta(days=3) < b for a, b in after.raw)
            fresh.rollback()
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def login(session: Session, org, when: datetime) -> None:
    session.add(EngagementEvent(user_id=None, organization_id=org.id, kind="login", at=when))
    session.flush()
