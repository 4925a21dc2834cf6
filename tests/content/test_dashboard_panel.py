"""The content library's dashboard panel on SQLite and PostgreSQL: views and downloads in the period by category,
the most used assets, and the selected partners that used the library or not; the partner filters and the period
narrow every figure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session

from prm_app.content import DOWNLOADED, VIEWED
from prm_app.content.dashboard_panel import content_panel
from prm_app.content.models import Asset, AssetVersion
from prm_app.partners import Filters
from prm_app.platform.models import EngagementEvent
from tests.factories import make_org, make_tier

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def _version(session: Session, slug: str, category: str) -> int:
    asset = Asset(slug=slug, title=slug.replace("-", " ").title(), category=category, current_n=1)
    session.add(asset)
    session.flush()
    version = AssetVersion(asset_id=asset.id, n=1)
    session.add(version)
    session.flush()
    return version.id or 0


def _use(session: Session, org_id: int, kind: str, version_id: int, days_ago: int, times: int = 1) -> None:
    for _ in range(times):
        session.add(
            EngagementEvent(
                at=NOW - timedelta(days=days_ago),
                organization_id=org_id,
                kind=kind,
                subject_type="content_version",
                subject_id=version_id,
            )
        )
    session.flush()


def _world(session: Session):
    tier = make_tier(session)
    emea, apac, idle = (make_org(session, tier=tier, region=r) for r in ("EMEA", "APAC", "EMEA"))
    prices = _version(session, "price-list", "sales")
    battle = _version(session, "battlecard", "competitive")
    _use(session, emea.id, VIEWED, prices, 3, times=4)
    _use(session, emea.id, DOWNLOADED, prices, 3, times=2)
    _use(session, apac.id, DOWNLOADED, battle, 10)
    _use(session, apac.id, VIEWED, battle, 50)  # before the last 30 days
    session.add(EngagementEvent(at=NOW, organization_id=emea.id, kind="login"))  # not library usage
    session.flush()
    return emea, apac, idle


def _facts(panel) -> dict[str, str]:
    return {f.label: f.value for f in panel.facts}


def _bars(panel, title: str) -> dict[str, float]:
    bars = next(b for b in panel.bars if b.title == title)
    return dict(zip(bars.labels, bars.values, strict=True))


def test_usage_in_the_period_by_category_asset_and_partner(session: Session):
    _world(session)
    panel = content_panel(session, Filters.last_days(30, NOW), NOW)
    assert _facts(panel) == {
        "Asset views": "4",
        "Downloads": "3",
        "Assets used": "2",
        "Partners using the library": "2 of 3",
    }
    assert _bars(panel, "Downloads by category")["Sales collateral"] == 2
    assert _bars(panel, "Downloads by category")["Competitive"] == 1
    assert _bars(panel, "Views by category")["Competitive"] == 0
    assert _bars(panel, "Partners that used the library") == {"Used it": 2, "Did not": 1}
    assert panel.tables[0].rows == (
        ("Price List", "Sales collateral", "4", "2"),
        ("Battlecard", "Competitive", "0", "1"),
    )


def test_the_partner_filters_and_the_period_narrow_it(session: Session):
    _world(session)
    emea = content_panel(session, Filters.last_days(30, NOW, region="EMEA"), NOW)
    assert _facts(emea) == {
        "Asset views": "4",
        "Downloads": "2",
        "Assets used": "1",
        "Partners using the library": "1 of 2",
    }
    longer = content_panel(session, Filters.last_days(90, NOW, region="APAC"), NOW)
    assert _facts(longer)["Asset views"] == "1"
    nobody = content_panel(session, Filters.last_days(30, NOW, partner_type="distributor"), NOW)
    assert _facts(nobody)["Partners using the library"] == "0 of 0"
    assert not nobody.tables[0].rows


def test_counting_the_partners_that_used_the_library_reads_an_index_alone(session: Session):
    """A year of library usage at a few thousand partners is some 100,000 events, read again at every data change:
    the partners' count must come from the index on (kind, at, organization_id), not from each event's row (which
    took a second at 3,000 partners on SQLite). The plan says so on SQLite; PostgreSQL picks its own."""
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    _world(session)
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        seen.append((statement, parameters))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        content_panel(session, Filters.last_days(30, NOW), NOW)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    (statement, parameters), *_ = [(s, p) for s, p in seen if "count(distinct(engagement_event.organization_id))" in s]
    plan = " ".join(
        row[-1] for row in session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
    )
    assert "engagement_event USING COVERING INDEX" in plan, plan
