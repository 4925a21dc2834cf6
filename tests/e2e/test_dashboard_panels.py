"""The areas' panels on the exec's dashboard (training #13, content #14, tiering #16, MDF return): each a section with
its figures matching the database, following the filters (and the address), kept live, each bar series a chart named
in words with its figures as a table; accessible in dark mode and at 375 px. A channel manager sees the program-wide
figures but only their own book's partners where a panel lists partners."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import select

from prm_app.content import DOWNLOADED
from prm_app.content.dashboard_panel import content_panel
from prm_app.content.models import AssetVersion
from prm_app.identity import User
from prm_app.incentives.mdf_roi_reports import mdf_panel
from prm_app.partners import Filters, Organization
from prm_app.platform.clock import utcnow
from prm_app.platform.models import EngagementEvent
from prm_app.tiering.dashboard_panel import tiering_panel
from prm_app.training.dashboard_panel import training_panel
from tests.e2e.conftest import assert_accessible, log_in

EXEC = "erin.exec@vendor.example"
READERS = {"training": training_panel, "content": content_panel, "tiering": tiering_panel, "mdf": mdf_panel}


def _expected(app_db, **segment) -> dict:
    """What each panel should say now for the last 90 days (the default period) narrowed by `segment`."""
    with app_db() as session:
        now = utcnow()
        f = Filters.last_days(90, now, **segment)
        return {key: read(session, f, now) for key, read in READERS.items()}


def _facts_match(section: Locator, panel) -> None:
    for fact in panel.facts:
        card = section.locator(".rt-Card").filter(has=section.page.get_by_text(fact.label, exact=True))
        expect(card.first).to_contain_text(fact.value)


def test_the_panels_show_the_database_follow_the_filters_and_stay_live(page: Page, app_db):
    log_in(page, EXEC, expect_path="/dashboards")
    expected = _expected(app_db)
    for key, panel in expected.items():
        assert panel is not None, f"the demo has no {key} panel"
        section = page.locator(f"#panel-{key}")
        expect(section.get_by_role("heading", level=2, name=panel.title)).to_be_visible()
        _facts_match(section, panel)
        for bars in panel.bars:  # every bar series is an image named by what it shows, or says it has nothing
            if any(bars.values):
                expect(section.get_by_role("img", name=re.compile(rf"^{re.escape(bars.title)}: \w"))).to_be_visible()
            else:
                expect(section.get_by_text("Nothing to show for these filters.").first).to_be_visible()
    assert page.locator(".modebar").count() == 0

    # A chart's figures as a table: partners per tier, as the database counts them.
    tiers = expected["tiering"].bars[0]
    page.get_by_role("button", name="View the figures of Partners per tier now as a table").click()
    table = page.get_by_role("region", name="Partners per tier now: figures")
    expect(table.get_by_role("columnheader")).to_have_text(["Tier", "Partners"])
    expect(table.get_by_role("row")).to_have_count(len(tiers.labels) + 1)
    for label, value in zip(tiers.labels, tiers.values, strict=True):
        expect(table.get_by_role("row").filter(has_text=label).first).to_contain_text(f"{int(value):,}")
    assert_accessible(page, dark=True, phone=True)

    # Live: a partner downloads an asset; the content panel counts it without a reload.
    downloads = page.locator("#panel-content .rt-Card").filter(has=page.get_by_text("Downloads", exact=True)).first
    before = next(f.value for f in expected["content"].facts if f.label == "Downloads")
    expect(downloads).to_contain_text(before)
    with app_db() as session:
        org_id = session.exec(select(Organization.id).where(Organization.region == "EMEA")).first()
        version_id = session.exec(select(AssetVersion.id)).first()
        session.add(EngagementEvent(organization_id=org_id, kind=DOWNLOADED, subject_type="content_version",
                                    subject_id=version_id))  # fmt: skip
        session.commit()
    after = f"{int(before.replace(',', '')) + 1:,}"
    expect(downloads.locator("p").nth(1)).to_have_text(after, timeout=8_000)  # label, figure, hint

    # A filter narrows every panel (and goes into the address); the open table follows.
    page.get_by_label("Region", exact=True).select_option("EMEA")
    page.wait_for_url(re.compile(r"/dashboards/?\?(.*&)?region=EMEA"))
    expect(page.locator("[aria-busy]")).to_have_attribute("aria-busy", "false")
    emea = _expected(app_db, region="EMEA")
    for key, panel in emea.items():
        if panel is None:  # MDF: no claim of an EMEA partner approved in the period, so no section
            assert key == "mdf"
            expect(page.locator(f"#panel-{key}")).to_have_count(0)
            continue
        _facts_match(page.locator(f"#panel-{key}"), panel)
    emea_tiers = emea["tiering"].bars[0]
    for label, value in zip(emea_tiers.labels, emea_tiers.values, strict=True):
        expect(table.get_by_role("row").filter(has_text=label).first).to_contain_text(f"{int(value):,}")
    assert emea_tiers.values != tiers.values, "the demo's EMEA partners should not hold every tier the program does"


def test_the_panels_at_375px(mobile_page: Page):
    log_in(mobile_page, EXEC, expect_path="/dashboards")
    for key in READERS:
        expect(mobile_page.locator(f"#panel-{key} h2")).to_be_visible()
    overflow = mobile_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 375 px"
    assert_accessible(mobile_page, dark=True)


@pytest.mark.parametrize("manager", ["maya.cm@vendor.example", "lars.cm@vendor.example"])
def test_a_channel_manager_sees_the_mdf_panel_with_only_their_partners(page: Page, app_db, manager: str):
    """The MDF panel's facts are program-wide; its table and chart of partners list only the manager's book (maya
    manages the partners whose claims the demo approved, lars none of them)."""
    log_in(page, manager)
    page.wait_for_url(re.compile(r"^(?!.*/login)"))
    page.goto("/dashboards")
    expected = _expected(app_db)["mdf"]
    assert expected is not None, "the demo approves MDF claims in the period"
    with app_db() as session:
        owner = session.exec(select(User.id).where(User.email == manager)).one()
        book = set(session.exec(select(Organization.id).where(Organization.channel_manager_id == owner)).all())
    table = expected.tables[0]
    mine = [row[0] for row, org in zip(table.rows, table.partners, strict=True) if org in book]
    theirs = [row[0] for row, org in zip(table.rows, table.partners, strict=True) if org not in book]
    section = page.locator("#panel-mdf")
    expect(section.get_by_role("heading", level=2, name=expected.title)).to_be_visible()
    _facts_match(section, expected)
    rows = section.get_by_role("region", name=table.title).get_by_role("row")
    expect(rows).to_have_count(len(mine) + 1)  # the header, then the manager's partners
    for name in mine:
        expect(rows.filter(has_text=name)).to_have_count(1)
    for name in theirs:
        expect(section).not_to_contain_text(name)
    assert mine if manager.startswith("maya") else theirs, "the demo's approved claims are maya's partners'"
