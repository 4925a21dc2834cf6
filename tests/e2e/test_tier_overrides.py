"""Manual tier overrides end to end (#16), each person's browser in its own time zone (Playwright's timezone_id):

- a channel manager in Tokyo asks for a partner's Gold with a reason; it waits, and he cannot approve it himself;
  an admin in Los Angeles approves it; the movements name both people, at the time in Los Angeles; the manager's
  console bell then counts the decision, its notice says who decided, and the movements read in Tokyo time; the
  partner's person in Berlin (on a phone) is told of the new tier, reads its history in Berlin time, and finds the
  Gold-only price list that was locked for Silver open to her;
- with the program's "Overrides need a second approver" unticked, a manager's override applies at once (and the
  setting is ticked again for the tests after this one);
- the exec's dashboards show the tiers month by month: partners per tier held at each month's evaluation and the
  moves up and down, as the database counts them.

The people and partners are new, written straight to the app's database (never signed in, so each takes its
browser's zone at its first sign-in), so the demo partners later tests read keep their tiers. axe on every page.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import assert_accessible, at, log_in, wait_live
from tests.e2e.test_zones_more import LA, TOKYO, _browser_in, _moment, _person

BERLIN = "Europe/Berlin"
REASON = "Signed the 2027 joint plan with two newly certified engineers"


def _partner_in_book_of(app_db, manager_email: str) -> tuple[str, str]:
    """A new Silver reseller in the manager's book, with one person who signed the terms it owes: (its name, the
    person's email)."""
    from sqlmodel import select

    from prm_app.partners import Organization, Tier
    from tests.e2e.conftest import actor_of

    name = f"Kitsune Systems {uuid.uuid4().hex[:6]}"
    with app_db() as session:
        silver = session.exec(select(Tier).where(Tier.name == "Silver")).one()
        session.add(
            Organization(
                name=name,
                name_lower=name.lower(),
                partner_type="reseller",
                tier_id=silver.id,
                region="APAC",
                country="JP",
                channel_manager_id=actor_of(session, manager_email).user_id,
            )
        )
        session.commit()
    person = _person(app_db, "partner_admin", full_name="Hana Partner")
    with app_db() as session:
        from prm_app.agreements import my_agreements, sign_agreement
        from prm_app.identity import User

        user = session.exec(select(User).where(User.email == person)).one()
        user.organization_id = session.exec(select(Organization.id).where(Organization.name == name)).one()
        session.add(user)
        session.commit()
        hana = actor_of(session, person)
        for shown in my_agreements(session, hana).to_sign:  # a partner joining today owes the terms at once
            sign_agreement(session, hana, shown.pending.version_id, typed_name="Hana Partner", agreed=True,
                           shown_sha256=shown.text_sha256)  # fmt: skip
        session.commit()
    return name, person


def _changed_at(app_db, partner: str) -> datetime:
    from sqlmodel import col, select

    from prm_app.partners import Organization
    from prm_app.tiering import TierChange

    with app_db() as session:
        return session.exec(
            select(TierChange.at)
            .join(Organization, col(Organization.id) == col(TierChange.organization_id))
            .where(Organization.name == partner)
        ).one()


def _price_list(page: Page):
    """The library's card of the demo's Gold-only "NovaStor X2 Partner Price List"."""
    page.goto("/library")
    wait_live(page)
    page.get_by_label("Search the library").fill("Partner Price List")
    page.get_by_role("button", name="Search").click()
    return page.locator(".library-card").filter(has_text="NovaStor X2 Partner Price List")


def _ask(page: Page, partner: str, tier: str) -> None:
    page.get_by_label("Partner", exact=True).fill(partner)
    page.get_by_label("New tier").select_option(label=tier)
    page.get_by_label("Reason (at least 20 characters)").fill(REASON)
    page.get_by_role("button", name="Change the tier").click()


def test_a_second_manager_approves_the_asker_is_told_and_each_reads_the_time_in_their_zone(
    browser: Browser, app_server: str, app_db
):
    kenji = _person(app_db, "channel_manager", full_name="Kenji Aoki")
    bea = _person(app_db, "admin", full_name="Bea Approver")
    partner, hana = _partner_in_book_of(app_db, kenji)

    # Hana, the partner's person in Berlin on a phone: at Silver, the Gold-only price list is locked.
    page = _browser_in(browser, app_server, BERLIN, phone=True)
    try:
        log_in(page, hana, expect_path="/portal")
        expect(_price_list(page).get_by_text("Available from Gold")).to_be_visible()
    finally:
        page.context.close()

    # Kenji, in Tokyo, asks: it waits for someone else, and nothing has moved.
    page = _browser_in(browser, app_server, TOKYO)
    try:
        log_in(page, kenji, expect_path="/partners")
        page.goto("/tiers")
        page.wait_for_url(at("/tiers"))
        _ask(page, partner, "Gold")
        expect(page.get_by_text("Override asked: it takes effect when another manager approves it.")).to_be_visible()
        row = page.get_by_role("region", name="Pending overrides").get_by_role("row", name=partner)
        expect(row).to_contain_text(REASON)
        expect(row).to_contain_text("Asked by you: another manager decides")
        expect(row.get_by_role("button")).to_have_count(0)
        expect(page.get_by_role("link", name="Notifications, 0 unread")).to_be_visible()
    finally:
        page.context.close()

    # Bea, an admin in Los Angeles, approves: both people in the movements, the time in Los Angeles.
    page = _browser_in(browser, app_server, LA)
    try:
        log_in(page, bea, expect_path="/partners")
        page.goto("/tiers")
        waiting = page.get_by_role("region", name="Pending overrides")
        expect(waiting.get_by_role("row", name=partner)).to_contain_text("Kenji Aoki")
        waiting.get_by_role("button", name=f"Approve the override of {partner}").click()
        expect(page.get_by_text("Override approved: the partner has its new tier.")).to_be_visible()
        changed = _changed_at(app_db, partner)
        moved = page.get_by_role("region", name="Tier movements").get_by_role("row", name=partner)
        expect(moved).to_contain_text("SilverGold")
        expect(moved).to_contain_text("Asked by Kenji Aoki, approved by Bea Approver")
        expect(moved).to_contain_text(_moment(changed, LA))
        assert_accessible(page)
    finally:
        page.context.close()

    # Kenji again: his bell counts the decision; its notice says who decided and leads to the tiers page, whose
    # movements read in Tokyo time.
    page = _browser_in(browser, app_server, TOKYO)
    try:
        log_in(page, kenji, expect_path="/partners")
        page.get_by_role("link", name="Notifications, 1 unread").click()
        page.wait_for_url(at("/notifications"))
        notices = page.get_by_role("list", name="Notifications")
        told = f"Bea Approver approved your override of {partner}'s tier: it holds Gold now."
        expect(notices).to_contain_text(told)
        assert_accessible(page, dark=True)
        notices.get_by_role("link", name=told).click()
        page.wait_for_url(at("/tiers"))
        moved = page.get_by_role("region", name="Tier movements").get_by_role("row", name=partner)
        expect(moved).to_contain_text(_moment(changed, TOKYO))
        expect(page.get_by_role("link", name="Notifications, 0 unread")).to_be_visible()
    finally:
        page.context.close()

    # Hana again: told of the new tier, its history in Berlin time, the Gold-only price list open to her.
    page = _browser_in(browser, app_server, BERLIN, phone=True)
    try:
        log_in(page, hana, expect_path="/portal")
        page.goto("/portal/notifications")
        expect(page.get_by_role("list", name="Notifications")).to_contain_text(
            f"Your tier changed from Silver to Gold: {REASON}"
        )
        page.goto("/portal/tier")
        page.get_by_role("button", name="Why am I Gold?").click()
        expect(page.get_by_text(f"{_moment(changed, BERLIN)}: Silver → Gold: {REASON}")).to_be_visible()
        assert_accessible(page, phone=True)
        card = _price_list(page)
        expect(card.get_by_role("link").first).to_be_visible()
        expect(card.get_by_text("Available from Gold")).to_have_count(0)
    finally:
        page.context.close()


def test_without_a_second_approver_an_override_applies_at_once(browser: Browser, app_server: str, app_db):
    mika = _person(app_db, "channel_manager", full_name="Mika Solo")
    partner, _ = _partner_in_book_of(app_db, mika)
    page = _browser_in(browser, app_server, TOKYO)
    settings = page.get_by_role("form", name="Settings of Partner program")
    approver = settings.get_by_label("Overrides need a second approver")
    try:
        log_in(page, mika, expect_path="/partners")
        page.goto("/tiers")
        expect(approver).to_be_checked()
        approver.uncheck()
        settings.get_by_role("button", name="Save program").click()
        expect(page.get_by_text("Program saved.")).to_be_visible()
        _ask(page, partner, "Gold")
        expect(page.get_by_text("Tier changed: the partner's program asks no second approver.")).to_be_visible()
        moved = page.get_by_role("region", name="Tier movements").get_by_role("row", name=partner)
        expect(moved).to_contain_text("SilverGold")
        expect(moved).to_contain_text("By Mika Solo")
        expect(moved).to_contain_text(_moment(_changed_at(app_db, partner), TOKYO))
        expect(page.get_by_role("region", name="Pending overrides").get_by_role("row", name=partner)).to_have_count(0)
        assert_accessible(page, phone=True)
    finally:
        # Overrides wait for a second approver again, as the demo's program has them (later tests rely on it).
        page.reload()
        approver.check()
        settings.get_by_role("button", name="Save program").click()
        expect(page.get_by_text("Program saved.").first).to_be_visible()
        page.context.close()
    from sqlmodel import select

    from prm_app.tiering import TierProgram

    with app_db() as session:
        assert session.exec(select(TierProgram.override_approver).where(TierProgram.name == "Partner program")).one()


def test_the_dashboards_show_the_tiers_month_by_month(page: Page, app_db):
    from prm_app.partners import Filters
    from prm_app.platform.clock import utcnow
    from prm_app.tiering.dashboard_panel import tiering_panel
    from tests.e2e.test_dashboard_panels import EXEC

    log_in(page, EXEC, expect_path="/dashboards")
    with app_db() as session:
        now = utcnow()
        expected = tiering_panel(session, Filters.last_days(90, now), now).tables[1]  # the default period
    assert expected.rows, "the demo's evaluations (and the overrides above) fall in the last 90 days"
    table = page.locator("#panel-tiering").get_by_role("region", name="Tiers month by month")
    expect(table.get_by_role("columnheader")).to_have_text(list(expected.headers))
    for row in expected.rows:
        expect(table.get_by_role("row").filter(has_text=row[0]).locator("th, td")).to_have_text(list(row))
    assert_accessible(page, phone=True)
