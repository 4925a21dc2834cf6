"""#11's last time zone and team leftovers in Chromium, each browser set to a zone (Playwright's timezone_id):

- a survey's days: a channel manager in Los Angeles launches a survey "from today to ten days on"; the manager's
  list, another manager in Tokyo, and a partner in Tokyo (at 375 px) all read the same closing day, named with its
  zone, and each reads when it ends in their own zone;
- an invitation accepted in a Tokyo browser gives the new account Tokyo's zone, which a later sign-in from a
  Los Angeles browser keeps (a first sign-in takes the browser's zone only when none is set);
- the Team page shows each person's phone as written, a link that dials it, in view on a 375 px phone.

The people are written straight to the app's database (never signed in, so no zone yet); the expected text is
worked out here from the zones, not by the app's formatter. axe on every page.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    DEMO_PASSWORD,
    PHONE,
    actor_of,
    assert_accessible,
    at,
    live_goto,
    log_in,
    unique_email,
)

LA, TOKYO = "America/Los_Angeles", "Asia/Tokyo"
COBALT_ADMIN = "priya.shah@cobaltsys.example"


def _person(app_db, role: str, *, org_of: str | None = None, **fields) -> str:
    """A new person who has never signed in (no time zone yet): their email."""
    from prm_app.identity import User
    from prm_app.platform.security import hash_password

    email = f"zones.{uuid.uuid4().hex[:8]}@{'cobaltsys' if org_of else 'vendor'}.example"
    with app_db() as session:
        org_id = actor_of(session, org_of).organization_id if org_of else None
        fields.setdefault("full_name", "Zed Zonal")
        session.add(
            User(email=email, password_hash=hash_password(DEMO_PASSWORD), role=role, organization_id=org_id, **fields)
        )
        session.commit()
    return email


def _stored_zone(app_db, email: str) -> str:
    from sqlmodel import select

    from prm_app.identity import User

    with app_db() as session:
        return session.exec(select(User.time_zone).where(User.email == email)).one()


def _browser_in(browser: Browser, app_server: str, zone: str, *, phone: bool = False) -> Page:
    size = PHONE if phone else {"width": 1280, "height": 900}
    context = browser.new_context(
        base_url=app_server, viewport=size, is_mobile=phone, timezone_id=zone, reduced_motion="reduce"
    )
    context.set_default_timeout(15_000)
    return live_goto(context.new_page())


def _day(on: date) -> str:
    return f"{on.day} {on:%b %Y}"


def _moment(at_: datetime, zone: str) -> str:
    local = at_.astimezone(ZoneInfo(zone))
    return f"{_day(local.date())}, {local:%H:%M} {local.tzname()}"


def test_a_surveys_days_read_the_same_in_los_angeles_and_tokyo(browser: Browser, app_server: str, app_db):
    manager_la = _person(app_db, "channel_manager", full_name="Lou Angeles")
    manager_tokyo = _person(app_db, "channel_manager", full_name="Toki Manager")
    partner_tokyo = _person(app_db, "partner_user", org_of=COBALT_ADMIN, full_name="Kei Tokyo")
    title = f"Zones pulse {uuid.uuid4().hex[:6]}"
    today_la = datetime.now(ZoneInfo(LA)).date()
    closes_on = today_la + timedelta(days=10)
    last_second = datetime.combine(closes_on, time(23, 59, 59), tzinfo=ZoneInfo(LA))
    last_day = f"{_day(closes_on)} (America / Los Angeles)"

    # The manager in Los Angeles launches it: the form says whose days these are.
    page = _browser_in(browser, app_server, LA)
    try:
        log_in(page, manager_la, expect_path="/partners")
        assert _stored_zone(app_db, manager_la) == LA
        page.goto("/surveys")
        expect(page.locator("#survey-days-hint")).to_contain_text("Days in your time zone, America / Los Angeles")
        expect(page.get_by_label("Closes on")).to_have_attribute("min", today_la.isoformat())
        page.get_by_label("Title").fill(title)
        page.get_by_label("Opens on").fill(today_la.isoformat())
        page.get_by_label("Closes on").fill(closes_on.isoformat())
        page.get_by_role("button", name="Launch survey").click()
        expect(page.get_by_text("Survey launched; partners were notified.")).to_be_visible()
        row = page.get_by_role("row").filter(has_text=title)
        expect(row).to_contain_text(_day(today_la))
        expect(row).to_contain_text(last_day)
        expect(row).to_contain_text("ends " + _moment(last_second, LA))  # 23:59 PST (or PDT)
        assert_accessible(page)
    finally:
        page.context.close()

    # Another manager, in Tokyo: the same days, and the end in Tokyo time (already the next day there).
    page = _browser_in(browser, app_server, TOKYO)
    try:
        log_in(page, manager_tokyo, expect_path="/partners")
        page.goto("/surveys")
        row = page.get_by_role("row").filter(has_text=title)
        expect(row).to_contain_text(last_day)
        ends_in_tokyo = _moment(last_second, TOKYO)
        assert ends_in_tokyo.startswith(_day(closes_on + timedelta(days=1)))  # the day the old list would have shown
        expect(row).to_contain_text("ends " + ends_in_tokyo)
    finally:
        page.context.close()

    # A partner in Tokyo, on a phone: the portal home and the survey page name the same day and the end for them.
    page = _browser_in(browser, app_server, TOKYO, phone=True)
    try:
        log_in(page, partner_tokyo, expect_path="/portal")
        assert _stored_zone(app_db, partner_tokyo) == TOKYO
        line = page.locator("main").get_by_text(re.compile("^open until " + re.escape(last_day)))
        expect(line).to_have_text(f"open until {last_day}; ends {ends_in_tokyo}")
        assert_accessible(page)
        page.get_by_role("link", name=title, exact=True).click()
        page.wait_for_url(at(r"/portal/survey/\d+", regex=True))
        expect(page.locator("main")).to_contain_text(
            re.compile(re.escape(f"Open until {last_day}; it closes {ends_in_tokyo} (in ") + r"(\d+ days|\d+ h)\)\. ")
        )
        assert_accessible(page, dark=True)
    finally:
        page.context.close()


def test_an_invitation_accepted_in_tokyo_keeps_tokyo_for_the_new_account(browser: Browser, app_server: str, app_db):
    from prm_app.partners.team import invite_colleague

    email = unique_email("tokyo")
    with app_db() as session:
        created = invite_colleague(
            session, actor_of(session, COBALT_ADMIN), email=email, full_name="Yui Tanaka", role="partner_user"
        )
        session.commit()

    page = _browser_in(browser, app_server, TOKYO)
    try:
        page.goto(f"/invite/{created.token}")
        expect(page.get_by_text("You are joining")).to_contain_text("Cobalt Systems VAR")
        page.get_by_label("New password").fill("a-good-long-password")
        page.get_by_label("Repeat the password").fill("a-good-long-password")
        page.get_by_role("button", name="Set password").click()
        expect(page.get_by_text("Your password is set.")).to_be_visible()
        assert_accessible(page)
        assert _stored_zone(app_db, email) == TOKYO  # before any sign-in
    finally:
        page.context.close()

    # The first sign-in comes from another device, in Los Angeles: the account keeps the zone it started with.
    page = _browser_in(browser, app_server, LA)
    try:
        log_in(page, email, "a-good-long-password", expect_path="/portal")
        page.goto("/account")
        expect(page.get_by_label("Time zone", exact=True)).to_have_value(TOKYO)
        expect(page.get_by_role("row").filter(has_text="This browser")).to_contain_text(" JST")
        assert_accessible(page)
        assert _stored_zone(app_db, email) == TOKYO
    finally:
        page.context.close()


def test_the_team_page_shows_each_phone_as_a_link_that_dials_it_on_a_phone(mobile_page: Page, app_db):
    written = "+1 (415) 555-0142"
    name = f"Pat Phone {uuid.uuid4().hex[:4]}"
    _person(app_db, "partner_user", org_of=COBALT_ADMIN, full_name=name, title="Field engineer", phone=written)
    page = mobile_page

    log_in(page, COBALT_ADMIN, expect_path="/portal")
    page.goto("/portal/team")
    cell = page.get_by_role("rowheader").filter(has_text=name)
    expect(cell).to_contain_text("Field engineer")
    link = cell.get_by_role("link", name=written, exact=True)  # as the person wrote it
    expect(link).to_have_attribute("href", "tel:+14155550142")
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box  # no scrolling
    link.focus()  # a keyboard reaches it
    expect(link).to_be_focused()
    assert_accessible(page, dark=True)

    page.set_viewport_size({"width": 1280, "height": 900})  # and on a laptop, under the title too
    expect(link).to_be_visible()
    expect(cell.get_by_role("link")).to_have_count(1)
