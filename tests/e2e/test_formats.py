"""One formatter, the person's own time zone, country names, plurals and one field-error style, in Chromium (#11).

A new partner user signs in from a browser set to India's zone (Playwright's timezone_id): the sign-in keeps that
zone, and the deal list, the deal's page, the leads list and the lead's page show every time in it, named ("IST"),
deadlines with how far off they are, money as "12,000.00 USD" and the country by name. On the account page the
person switches to New York and the times follow. The data the pages show is written straight to the app's
database by the use cases the pages call (registering and routing through the browser are other tests'
subject); the expected text is what web/format.py makes of the stored values. axe on every page.
"""

from __future__ import annotations

import re
import uuid
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, actor_of, assert_accessible, at, live_goto, log_in, register_as, wait_live

ORG_OF = "jake.morris@cobaltsys.example"  # a Cobalt Systems VAR person: the new user joins that organization
MANAGER = "maya.cm@vendor.example"  # Cobalt's channel manager, member of the Americas lead queue
INDIA = "Asia/Kolkata"  # no daylight saving time: "IST" all year
DAY = r"\d{1,2} [A-Z][a-z]{2} \d{4}"  # "6 Dec 2026": the one way a day is written


def _new_partner_user(app_db) -> str:
    """A Cobalt partner user who has never signed in (so no time zone yet)."""
    from prm_app.identity import User
    from prm_app.platform.security import hash_password

    email = f"tz.{uuid.uuid4().hex[:8]}@cobaltsys.example"
    with app_db() as session:
        org_id = actor_of(session, ORG_OF).organization_id
        session.add(
            User(email=email, full_name="Ira Zonal", password_hash=hash_password(DEMO_PASSWORD), role="partner_user",
                 organization_id=org_id)
        )  # fmt: skip
        session.commit()
    return email


def _approved_deal(app_db, email: str, company: str) -> int:
    from prm_app.deals.review import approve_deal

    deal_id = register_as(app_db, email, company, f"{company.split()[0].lower()}-{uuid.uuid4().hex[:6]}.com")
    with app_db() as session:
        approve_deal(session, actor_of(session, MANAGER), deal_id)
        session.commit()
    return deal_id


def _offered_lead(app_db, email: str, company: str) -> int:
    """A new lead in the Americas queue, assigned by hand to the person's organization and sent."""
    from sqlmodel import select

    from prm_app.leads import Lead
    from prm_app.leads.assignment import assign_by_hand
    from prm_app.leads.models import LeadQueue, LeadStatus
    from prm_app.leads.routing_runs import confirm_proposals

    with app_db() as session:
        manager, partner = actor_of(session, MANAGER), actor_of(session, email)
        queue = session.exec(select(LeadQueue).where(LeadQueue.name == "Americas")).one()
        lead = Lead(
            queue_id=queue.id, status=LeadStatus.NEW, company=company, contact_email="buyer@example.com",
            domain=f"{company.replace(' ', '').lower()}.com",  # the lead form always stores one
            country="US", city="Austin", vertical="healthcare",
        )  # fmt: skip
        session.add(lead)
        session.flush()
        assign_by_hand(session, manager, lead.id, partner.organization_id)
        assert confirm_proposals(session, manager, [lead.id]) == 1
        session.commit()
    return lead.id


def _stored(app_db, deal_id: int, lead_id: int, email: str):
    """(submitted_at, protection_ends_at, the lead's accept deadline, the person's stored zone)."""
    from sqlmodel import select

    from prm_app.deals import Deal
    from prm_app.identity import User
    from prm_app.leads import Lead

    with app_db() as session:
        deal, lead = session.get(Deal, deal_id), session.get(Lead, lead_id)
        zone = session.exec(select(User.time_zone).where(User.email == email)).one()
        return deal.submitted_at, deal.protection_ends_at, lead.accept_deadline, zone


def _zoned_page(browser: Browser, app_server: str, zone: str) -> Page:
    context = browser.new_context(base_url=app_server, viewport={"width": 1280, "height": 900}, timezone_id=zone)
    context.set_default_timeout(15_000)
    return live_goto(context.new_page())


def test_an_empty_sign_in_says_what_is_missing_beside_each_field(page: Page):
    page.goto("/login")
    assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(at("/login"))
    wait_live(page)

    email, password = page.get_by_label("Email"), page.get_by_label("Password")
    expect(page.locator("#field-email-error")).to_have_text("Enter your email address.")
    expect(page.locator("#field-password-error")).to_have_text("Enter your password.")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_attribute("aria-describedby", "field-email-error")
    expect(page.get_by_text("wrong email or password", exact=False)).to_have_count(0)  # nothing was wrong yet
    expect(email).to_be_focused()
    assert_accessible(page)

    email.fill("someone@example.com")  # half filled: only what is still missing is named, what was typed stays
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(at("/login"))
    wait_live(page)
    expect(page.locator("#field-password-error")).to_have_text("Enter your password.")
    expect(page.locator("#field-email-error")).to_have_text("")
    expect(email).to_have_attribute("aria-invalid", "false")
    expect(email).to_have_value("someone@example.com")
    expect(password).to_be_focused()


def test_a_person_in_india_sees_every_time_in_their_zone_and_can_change_it(browser, app_server, app_db):
    from prm_app.platform.clock import utcnow
    from prm_app.web.format import day, moment

    email = _new_partner_user(app_db)
    deal_id = _approved_deal(app_db, email, "Zonal Widgets Inc")
    lead_id = _offered_lead(app_db, email, f"Kolkata Clinics {uuid.uuid4().hex[:4]}")
    page = _zoned_page(browser, app_server, INDIA)
    try:
        log_in(page, email, expect_path="/portal")
        submitted, protected_until, accept_by, stored = _stored(app_db, deal_id, lead_id, email)
        assert stored == INDIA  # taken from the browser at the first sign-in
        india = ZoneInfo(INDIA)

        page.goto("/deals")
        row = page.get_by_role("row").filter(has_text="Zonal Widgets Inc")
        expect(row).to_contain_text("12,000.00 USD")
        expect(row).to_contain_text(day(submitted, india))
        expect(row).to_contain_text(day(protected_until, india))
        expect(page.get_by_text(re.compile(r"^\d+ registrations?$"))).to_be_visible()
        assert_accessible(page)

        page.goto(f"/deals/{deal_id}")
        expect(page.get_by_role("heading", name="Zonal Widgets Inc")).to_be_visible()
        main = page.locator("main")
        expect(main).to_contain_text("United States")  # the country by name
        expect(main).to_contain_text("12,000.00 USD")
        ends = moment(protected_until, india)
        assert ends.endswith(" IST")
        left = (protected_until - utcnow()).days  # the partner tier's days (Cobalt, Gold: 120), less a moment
        expect(main).to_contain_text(re.compile(re.escape(ends) + rf" \(in ({left}|{left + 1}) days\)"))
        expect(main.locator("ol:not(.breadcrumbs)")).to_contain_text(
            re.compile(DAY + r", \d\d:\d\d IST")
        )  # the history's steps
        assert_accessible(page)

        page.goto("/leads")
        lead_row = page.get_by_role("row").filter(has_text="Kolkata Clinics")
        expect(lead_row).to_contain_text("Austin, United States")
        deadline = moment(accept_by, india)
        expect(lead_row).to_contain_text(re.compile(re.escape(deadline) + r" \(in [^)]+\)"))
        assert_accessible(page)

        page.goto(f"/leads/{lead_id}")
        expect(page.locator("main")).to_contain_text(re.compile(re.escape(deadline) + r" \(in [^)]+\)"))
        assert_accessible(page)

        # The account page: the zone is named, and a new one takes effect on every page at once.
        page.goto("/account")
        select = page.get_by_label("Time zone", exact=True)
        expect(select).to_have_value(INDIA)
        expect(page.get_by_role("row").filter(has_text="This browser")).to_contain_text(" IST")
        assert_accessible(page)
        select.select_option("America/New_York")
        page.get_by_role("button", name="Save time zone").click()
        expect(page.get_by_text("Times are now shown in America / New York.")).to_be_visible()
        expect(page.get_by_role("row").filter(has_text="This browser")).to_contain_text(re.compile(r" E[SD]T"))
        assert _stored(app_db, deal_id, lead_id, email)[3] == "America/New_York"
        page.goto("/leads")
        expect(page.get_by_role("row").filter(has_text="Kolkata Clinics")).to_contain_text(
            moment(accept_by, ZoneInfo("America/New_York"))
        )
    finally:
        page.context.close()


def test_a_zone_nobody_knows_is_refused_beside_the_field(browser, app_server, app_db):
    email = _new_partner_user(app_db)
    page = _zoned_page(browser, app_server, "Europe/Lisbon")
    try:
        log_in(page, email, expect_path="/portal")
        page.goto("/account")
        select = page.get_by_label("Time zone", exact=True)
        expect(select).to_have_value("Europe/Lisbon")
        # A client can send any value (the select only offers real ones): the server checks and says so.
        select.evaluate("s => { const o = document.createElement('option'); o.value = 'Mars/Olympus'; s.add(o); }")
        select.select_option("Mars/Olympus")
        page.get_by_role("button", name="Save time zone").click()
        expect(page.locator("#field-time_zone-error")).to_have_text("Choose a time zone from the list.")
        expect(select).to_have_attribute("aria-invalid", "true")
        assert _stored_zone(app_db, email) == "Europe/Lisbon"
    finally:
        page.context.close()


def _stored_zone(app_db, email: str) -> str:
    from sqlmodel import select

    from prm_app.identity import User

    with app_db() as session:
        return session.exec(select(User.time_zone).where(User.email == email)).one()


def test_partner_pages_name_countries_and_write_days_one_way(page: Page):
    log_in(page, MANAGER, expect_path="/partners")
    row = page.get_by_role("row").filter(has_text="Cobalt Systems VAR")
    expect(row).to_contain_text("United States")
    expect(page.get_by_text(re.compile(r"^\d{1,3}(,\d{3})* partners? · Sorted by"))).to_be_visible()
    assert_accessible(page)
    row.get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text(re.compile("Partner since.*" + DAY))


TOKYO = "Asia/Tokyo"  # no daylight saving time: "JST" all year, nine hours from UTC


def _new_internal_user(app_db, role: str) -> str:
    """An internal user who has never signed in (so no time zone yet): the browser's zone becomes theirs."""
    from prm_app.identity import User
    from prm_app.platform.security import hash_password

    email = f"tz.{uuid.uuid4().hex[:8]}@vendor.example"
    with app_db() as session:
        session.add(User(email=email, full_name="Kenji Zonal", password_hash=hash_password(DEMO_PASSWORD), role=role))
        session.commit()
    return email


def _notice_written(app_db, deal_id: int):
    """When the newest notice about the deal was written (UTC, as stored)."""
    from sqlmodel import col, select

    from prm_app.notifications.models import Notification

    with app_db() as session:
        link = f"/deals/{deal_id}"
        return session.exec(
            select(Notification.created_at).where(Notification.link == link).order_by(col(Notification.id).desc())
        ).first()


def test_the_partners_notices_read_in_their_zone(browser, app_server, app_db):
    """The approval's notice: its day on the portal home and its moment on the notifications page, in India's zone
    (the notice list says "5 min ago"; the exact moment is the <time>'s title)."""
    from prm_app.web.format import day, moment

    email = _new_partner_user(app_db)
    deal_id = _approved_deal(app_db, email, f"Notice Widgets {uuid.uuid4().hex[:4]}")
    written = _notice_written(app_db, deal_id)
    assert written is not None
    india = ZoneInfo(INDIA)
    page = _zoned_page(browser, app_server, INDIA)
    try:
        log_in(page, email, expect_path="/portal")
        expect(page.locator(f"main li:has(a[href='/deals/{deal_id}'])").first).to_contain_text(day(written, india))
        page.goto("/portal/notifications")
        shown = page.locator(f"main li:has(a[href='/deals/{deal_id}']) time").first
        expect(shown).to_have_attribute("title", moment(written, india))
        assert moment(written, india).endswith(" IST")
        assert_accessible(page)
    finally:
        page.context.close()


def test_the_vendor_reads_review_outbox_and_dashboard_times_in_their_zone(browser, app_server, app_db):
    """A reviewer signing in from Tokyo for the first time: the registration's review page (when protection ends,
    the history's steps), the Outbox's Created column and the dashboard's last update are in JST, not UTC."""
    from prm_app.platform.clock import utcnow
    from prm_app.web.format import moment

    partner = _new_partner_user(app_db)
    company = f"Review Widgets {uuid.uuid4().hex[:4]}"
    deal_id = _approved_deal(app_db, partner, company)
    reviewer = _new_internal_user(app_db, "admin")
    page = _zoned_page(browser, app_server, TOKYO)
    try:
        log_in(page, reviewer)
        assert _stored_zone(app_db, reviewer) == TOKYO
        with app_db() as session:
            from prm_app.deals import Deal

            protected_until = session.get(Deal, deal_id).protection_ends_at

        page.goto(f"/registrations/{deal_id}")
        expect(page.get_by_role("heading", name=company)).to_be_visible()
        main = page.locator("main")
        ends = moment(protected_until, ZoneInfo(TOKYO))
        assert ends.endswith(" JST")
        left = (protected_until - utcnow()).days  # the partner tier's days (Cobalt, Gold: 120), less a moment
        expect(main).to_contain_text(re.compile(re.escape(ends) + rf" \(in ({left}|{left + 1}) days\)"))
        expect(main.locator("ol:not(.breadcrumbs)")).to_contain_text(re.compile(DAY + r", \d\d:\d\d JST"))
        expect(main).not_to_contain_text(re.compile(r"\d\d:\d\d UTC"))
        assert_accessible(page)

        page.goto("/outbox")
        first_row = page.get_by_role("region", name="Messages").get_by_role("row").nth(1)
        expect(first_row).to_contain_text(re.compile(DAY + r", \d\d:\d\d JST"))

        page.goto("/dashboards")
        expect(page.get_by_text(re.compile(r"Last update \d\d:\d\d:\d\d JST\."))).to_be_visible(timeout=30_000)
    finally:
        page.context.close()
