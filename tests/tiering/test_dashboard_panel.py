"""Tiering's dashboard panel on SQLite and PostgreSQL: partners per tier now, tier changes in the period (up and
down), pending proposals and partners in grace at their latest evaluation, month by month the tiers held and the
moves; narrowed by the partner filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from prm_app.partners import Filters
from prm_app.tiering import TierChange, TierEvaluation, TierProposal
from prm_app.tiering.dashboard_panel import tiering_panel
from tests.factories import make_org
from tests.tiering.factories import make_world

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def _evaluation(session: Session, world, org, period: str, state: str) -> TierEvaluation:
    row = TierEvaluation(
        program_id=world.program.id,
        organization_id=org.id,
        period=period,
        as_of=date(2026, 11, 30),
        window_start=date(2025, 12, 1),
        rule_version=1,
        current_tier_id=org.tier_id,
        eligible_tier_id=org.tier_id,
        state=state,
    )
    session.add(row)
    session.flush()
    return row


def _setup(session: Session):
    w = make_world(session)
    gold = make_org(session, tier=w.gold, region="EMEA")
    silver = make_org(session, tier=w.silver, region="EMEA")
    apac = make_org(session, tier=w.silver, region="APAC")
    make_org(session, tier=w.registered, region="APAC")
    change = TierChange  # up in the period, down in the period, up long before
    session.add(change(organization_id=gold.id, from_tier_id=w.silver.id, to_tier_id=w.gold.id, source="proposal",
                       at=NOW - timedelta(days=5)))  # fmt: skip
    session.add(change(organization_id=apac.id, from_tier_id=w.gold.id, to_tier_id=w.silver.id, source="proposal",
                       at=NOW - timedelta(days=20)))  # fmt: skip
    session.add(change(organization_id=silver.id, from_tier_id=w.registered.id, to_tier_id=w.silver.id,
                       source="evaluation", at=NOW - timedelta(days=200)))  # fmt: skip
    _evaluation(session, w, silver, "2026-10", "grace")
    _evaluation(session, w, silver, "2026-11", "ok")  # recovered: not in grace any more
    ev = _evaluation(session, w, apac, "2026-11", "grace")
    session.add(TierProposal(program_id=w.program.id, organization_id=apac.id, period="2026-11", evaluation_id=ev.id,
                             from_tier_id=w.silver.id, to_tier_id=w.registered.id))  # fmt: skip
    session.flush()
    return w


def _facts(panel) -> dict[str, str]:
    return {f.label: f.value for f in panel.facts}


def test_distribution_now_changes_in_the_period_proposals_and_grace(session: Session):
    _setup(session)
    panel = tiering_panel(session, Filters.last_days(30, NOW), NOW)
    assert _facts(panel) == {
        "Upgrades": "1",
        "Downgrades": "1",
        "Proposals to decide": "1",
        "Partners in grace": "1",
    }
    (bars,) = panel.bars
    assert dict(zip(bars.labels, bars.values, strict=True)) == {"Registered": 1, "Silver": 2, "Gold": 1}
    assert set(panel.tables[0].rows) == {("Silver", "Gold", "1"), ("Gold", "Silver", "1")}


def test_the_partner_filters_and_the_period_narrow_it(session: Session):
    w = _setup(session)
    emea = tiering_panel(session, Filters.last_days(30, NOW, region="EMEA"), NOW)
    assert _facts(emea) == {"Upgrades": "1", "Downgrades": "0", "Proposals to decide": "0", "Partners in grace": "0"}
    assert dict(zip(emea.bars[0].labels, emea.bars[0].values, strict=True)) == {"Registered": 0, "Silver": 1, "Gold": 1}
    year = tiering_panel(session, Filters.last_days(365, NOW, tier_id=w.silver.id), NOW)
    assert _facts(year)["Upgrades"] == "1"  # the registered -> silver move 200 days ago; the gold partner is not silver
    assert _facts(year)["Downgrades"] == "1"


def test_month_by_month_the_tiers_held_at_each_evaluation_and_the_moves(session: Session):
    _setup(session)
    table = tiering_panel(session, Filters.last_days(90, NOW), NOW).tables[1]
    assert table.title == "Tiers month by month"
    assert table.headers == ("Month", "Registered", "Silver", "Gold", "Moved up", "Moved down")
    assert table.rows == (
        ("2026-10", "0", "1", "0", "0", "0"),  # the silver partner's evaluation
        ("2026-11", "0", "2", "0", "0", "1"),  # silver and apac evaluated; apac down from Gold on 17 Nov
        ("2026-12", "0", "0", "0", "1", "0"),  # up to Gold on 2 Dec, no evaluation yet
    )
    emea = tiering_panel(session, Filters.last_days(90, NOW, region="EMEA"), NOW).tables[1]
    assert [row[0] for row in emea.rows] == ["2026-10", "2026-11", "2026-12"]
    assert emea.rows[1] == ("2026-11", "0", "1", "0", "0", "0")  # apac is not in EMEA
