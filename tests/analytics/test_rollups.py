"""The daily rollups answer every dashboard report exactly as the raw queries do: on a generated world, after
folding, after edits made once their days were folded (status changes, a win, a partner changing tier, a late
login), after folding again, and after a rebuild. Runs on SQLite and PostgreSQL (the `session` fixture)."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from prm_app.analytics import dashboards, engagement, fold_rollups, rebuild_rollups, revenue, rollup_reads
from prm_app.analytics.models import RollupCell
from prm_app.deals.models import Deal, DealEvent
from prm_app.leads.models import LeadEvent
from prm_app.partners import Filters
from prm_app.platform.access import Role
from prm_app.platform.models import EngagementEvent
from tests.analytics.test_metrics import deal, lead, login, rate
from tests.factories import actor_for, make_org, make_tier, make_user

NOW = datetime(2030, 3, 1, 12, 30, tzinfo=UTC)
TODAY = NOW.date()
STATUSES = ("submitted", "info_requested", "approved", "won", "lost", "rejected", "draft", "expired")


def world(session: Session, seed: int = 7) -> dict:
    """Six partners over two tiers, three types and three regions; 60 days of logins, deals and leads."""
    rng = random.Random(seed)
    silver, gold = make_tier(session, name="Silver", rank=1), make_tier(session, name="Gold", rank=2)
    orgs = []
    for i, (ptype, tier, region) in enumerate(
        [("reseller", gold, "EMEA"), ("msp", silver, "EMEA"), ("reseller", silver, "APAC"),
         ("var", silver, "North America"), ("isv", gold, "APAC"), ("msp", gold, "North America")]
    ):  # fmt: skip
        org = make_org(session, name=f"Partner {i}", partner_type=ptype, tier=tier, region=region)
        orgs.append((org, make_user(session, Role.PARTNER_ADMIN, org)))
    rate(session, "EUR", date(2029, 12, 1), "1.10")
    rate(session, "EUR", date(2030, 2, 3), "1.20")  # a rate change inside the period
    rate(session, "GBP", date(2030, 2, 10), "1.30")  # GBP deals before this day have no rate
    start = NOW - timedelta(days=60)

    def when() -> datetime:
        return start + timedelta(seconds=rng.randrange(60 * 86400))

    for _ in range(300):
        org, user = rng.choice(orgs)
        login(session, user, when(), kind=rng.choice(("login", "login", "asset_viewed")))
    deals = []
    for _ in range(160):
        org, _user = rng.choice(orgs)
        submitted = when()
        status = rng.choice(STATUSES)
        closed = submitted + timedelta(days=rng.randrange(0, 20), hours=3) if status in ("won", "lost") else None
        closed = min(closed, NOW - timedelta(hours=1)) if closed else None
        decided = submitted + timedelta(hours=rng.randrange(1, 200)) if status not in ("submitted", "draft") else None
        final = f"{rng.randrange(100, 90000)}" if status == "won" and rng.random() < 0.7 else None
        deals.append(
            deal(session, org, status, value=f"{rng.randrange(100, 90000)}.{rng.randrange(100):02d}",
                 currency=rng.choice(("USD", "USD", "EUR", "GBP", "ZAR")),
                 stage=rng.choice(("Prospecting", "Proposal", "Negotiation")),
                 submitted=None if status == "draft" else submitted,
                 decided=decided, closed=closed, final=final,
                 close_day=(submitted + timedelta(days=rng.randrange(0, 120))).date())
        )  # fmt: skip
    for i in range(40):
        org, _user = rng.choice(orgs)
        other, _u = rng.choice(orgs)
        t = when()
        events = [
            ("offered", t, org),
            ("declined", t + timedelta(hours=2), org),
            ("offered", t + timedelta(hours=3), other),
        ]
        if rng.random() < 0.6:
            events.append(("accepted", t + timedelta(hours=5), other))
            if rng.random() < 0.5:
                events.append(("converted", t + timedelta(days=rng.randrange(0, 12)), other))
        if rng.random() < 0.3:  # offered again weeks later, and once by the vendor without a partner
            events.append(("offered", t + timedelta(days=rng.randrange(1, 30)), org))
            events.append(("offered", t + timedelta(days=rng.randrange(1, 30)), None))
        won = [d for d in deals if d.status == "won" and d.organization_id == other.id]
        deal_id = won[i % len(won)].id if won and rng.random() < 0.5 else None
        lead(session, other, events, deal_id=deal_id, status="accepted")
    session.flush()
    exec_user = make_user(session, Role.EXEC)
    return {"orgs": [o for o, _u in orgs], "users": [u for _o, u in orgs], "deals": deals, "silver": silver,
            "gold": gold, "actor": actor_for(exec_user)}  # fmt: skip


def reports(session: Session, w: dict) -> list[object]:
    """Every report the rollups serve, for periods inside, across and beyond the folded days, with each filter."""
    actor, out = w["actor"], []
    periods = [
        (TODAY - timedelta(days=45), TODAY + timedelta(days=1)),
        (TODAY - timedelta(days=30), TODAY - timedelta(days=9)),
    ]
    narrow = [
        {},
        {"region": "EMEA"},
        {"partner_type": "msp"},
        {"tier_id": w["gold"].id},
        {"region": "APAC", "tier_id": w["silver"].id},
    ]
    for a, b in periods:
        for extra in narrow:
            f = Filters(a, b, **extra)
            out.append(dashboards.pipeline(session, actor, f, now=NOW))
            for by in ("partner_type", "tier", "region"):
                out.append(engagement.engagement(session, actor, f, by=by))
                out.append(revenue.revenue(session, actor, f, by=by))
    quiet = Filters(TODAY - timedelta(days=15), TODAY + timedelta(days=1))  # no exchange rate changes inside
    out.append(revenue.revenue(session, actor, quiet, by="region"))
    return out  # fmt: skip


def same(got: list[object], want: list[object], cent: float = 0.0) -> bool:
    """Equal report by report (money within `cent`); on a difference, names the report and field first."""
    for i, (a, b) in enumerate(zip(got, want, strict=True)):
        assert close(a, b, cent), f"report {i} ({type(a).__name__}): {a} != {b}"
    return True


def close(a: object, b: object, cent: float) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= cent + 1e-9
    if dataclasses.is_dataclass(a) and type(a) is type(b):
        return all(close(getattr(a, f.name), getattr(b, f.name), cent) for f in dataclasses.fields(a))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(close(x, y, cent) for x, y in zip(a, b, strict=True))
    return a == b


def raw_reports(session: Session, w: dict, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    with monkeypatch.context() as m:
        m.setattr(rollup_reads, "plan", lambda _session, _f: None)
        return reports(session, w)


def cells_used(session: Session) -> bool:
    f = Filters(TODAY - timedelta(days=45), TODAY + timedelta(days=1))
    found = rollup_reads.plan(session, f)
    return found is not None and bool(found.cells)


def test_rollups_equal_the_raw_reports_through_edits_after_folding(session, monkeypatch):
    """Exactly equal on PostgreSQL (NUMERIC sums). SQLite sums money as binary floats, so its raw figure may land
    on the other side of a half cent than the exact sum the cells give: there, money may differ by one cent."""
    w = world(session)
    cent = 0.01 if session.get_bind().dialect.name == "sqlite" else 0.0
    expected = raw_reports(session, w, monkeypatch)
    assert not cells_used(session)  # nothing folded: everything raw

    run = fold_rollups(session, NOW)
    assert run.folded_days > 0 and run.folded_until == TODAY
    assert cells_used(session)
    assert same(reports(session, w), expected, cent)

    # Edits after their days were folded, each written the way the app writes it (with its event row).
    awaiting = [d for d in w["deals"] if d.status == "submitted"][:3]
    for i, d in enumerate(awaiting):
        to = ("approved", "rejected", "won")[i]
        d.status, d.decided_at = to, NOW
        if to == "won":
            d.closed_at, d.final_amount = NOW - timedelta(days=20), 5000  # closed on a folded day
        session.add(d)
        session.add(
            DealEvent(deal_id=d.id, actor_user_id=None, action=to, from_status="submitted", to_status=to, at=NOW)
        )
    session.add(EngagementEvent(user_id=w["users"][0].id, organization_id=w["orgs"][0].id, kind="login",
                                at=NOW - timedelta(days=10)))  # fmt: skip
    session.flush()
    changed = raw_reports(session, w, monkeypatch)
    assert changed != expected  # the edits move the figures...
    assert same(reports(session, w), changed, cent)  # ...and the rollups follow them before any refold
    assert cells_used(session)

    w["orgs"][1].tier_id = w["gold"].id  # a partner changes tier: its folded rows sit in the wrong segment
    session.add(w["orgs"][1])
    session.flush()
    moved = raw_reports(session, w, monkeypatch)
    assert same(reports(session, w), moved, cent)
    assert not cells_used(session)  # read raw until the next fold

    run = fold_rollups(session, NOW + timedelta(minutes=5))
    assert run.moved_partners == 1 and run.folded_days > 0  # every day again: cubes sum over partners
    assert cells_used(session)
    assert same(reports(session, w), moved, cent)

    incremental = session.exec(select(RollupCell).order_by(RollupCell.measure, RollupCell.day, RollupCell.key)).all()
    snapshot = sorted((c.measure, c.day, c.partner_type, c.tier_id, c.region, c.key, c.n, c.amount, c.lead_n,
                       c.lead_amount) for c in incremental)  # fmt: skip
    session.expunge_all()
    rebuild_rollups(session, NOW + timedelta(minutes=5))
    rebuilt = session.exec(select(RollupCell)).all()
    assert sorted((c.measure, c.day, c.partner_type, c.tier_id, c.region, c.key, c.n, c.amount, c.lead_n,
                   c.lead_amount) for c in rebuilt) == snapshot  # fmt: skip
    assert same(reports(session, w), moved, cent)


def test_folding_twice_changes_nothing(session):
    world(session, seed=11)
    fold_rollups(session, NOW)
    first = session.exec(select(RollupCell)).all()
    before = sorted((c.measure, c.day, c.partner_type, c.tier_id, c.region, c.key, c.n, c.amount) for c in first)
    run = fold_rollups(session, NOW)
    assert run.folded_days == 0
    session.expunge_all()
    again = session.exec(select(RollupCell)).all()
    assert (
        sorted((c.measure, c.day, c.partner_type, c.tier_id, c.region, c.key, c.n, c.amount) for c in again) == before
    )


def test_a_manager_filter_reads_raw(session):
    w = world(session, seed=3)
    fold_rollups(session, NOW)
    f = Filters(TODAY - timedelta(days=30), TODAY, manager_id=w["users"][0].id)
    assert rollup_reads.plan(session, f) is None


def test_lead_events_after_the_fold_make_their_days_dirty(session):
    w = world(session, seed=5)
    fold_rollups(session, NOW)
    day = TODAY - timedelta(days=12)
    session.add(LeadEvent(lead_id=1, action="accepted", at=datetime.combine(day, datetime.min.time(), UTC),
                          partner_id=w["orgs"][2].id))  # fmt: skip
    session.flush()
    found = rollup_reads.plan(session, Filters(TODAY - timedelta(days=20), TODAY))
    assert found is not None and any(a <= day < b for a, b in found.raw)
    assert not any(a <= day < b for a, b in found.cells)


def test_deal_status_changes_without_moving_days_are_seen(session):
    """A deal approved after its submission day was folded moves value from 'registered' to 'approved'."""
    w = world(session, seed=9)
    fold_rollups(session, NOW)
    d = session.exec(select(Deal).where(Deal.status == "submitted", Deal.currency == "USD")).first()
    assert d is not None
    f = Filters(TODAY - timedelta(days=60), TODAY)
    before = dashboards.pipeline(session, w["actor"], f, now=NOW)
    d.status = "approved"
    session.add(d)
    session.add(DealEvent(deal_id=d.id, action="approved", from_status="submitted", to_status="approved", at=NOW))
    session.flush()
    after = dashboards.pipeline(session, w["actor"], f, now=NOW)
    approved = {s.stage: s.deals for s in after.by_stage if s.status == "approved"}
    was = {s.stage: s.deals for s in before.by_stage if s.status == "approved"}
    assert approved[d.stage] == was[d.stage] + 1


def test_a_second_fold_skips_while_one_runs_on_postgresql(session, engine):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite serializes writers itself: the second fold waits for the write lock")
    world(session, seed=2)
    session.commit()
    with Session(engine) as first, Session(engine) as second:
        assert fold_rollups(first, NOW).folded_days > 0  # holds the lock until it commits
        assert fold_rollups(second, NOW).skipped
        first.commit()
        second.rollback()
        again = fold_rollups(second, NOW)
        assert not again.skipped and again.folded_days == 0
