"""Notifications end to end: a manager approves a registration, the partner's bell shows it, the notifications
page lists it, opening its link reads it (the bell goes to 0) while a colleague still has it unread; a lead offered
to the partner puts a badge on Leads and a notice on the bell, and accepting the lead resolves the notice and
empties the badge. By keyboard only, at 375 px, with axe on each page.

The registration and the lead are written straight to the app's database by the same use cases the pages call
(registering a deal and routing a lead through the browser are other tests' subject); every decision and answer
this test is about goes through the browser.
"""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.e2e.conftest import actor_of, assert_accessible, at, log_in, register_as

READER = "jake.morris@cobaltsys.example"  # Cobalt Systems VAR, partner user
COLLEAGUE = "ken.ito@cobaltsys.example"  # the same organization
MANAGER = "maya.cm@vendor.example"  # Cobalt's channel manager, member of the Americas lead queue


def _register(app_db, company: str, site: str) -> int:
    return register_as(app_db, READER, company, site)


def _offer_lead(app_db, company: str) -> int:
    """A new lead in the Americas queue, assigned by hand to Cobalt and sent, as the lead queue page does."""
    from sqlmodel import select

    from prm_app.leads import Lead
    from prm_app.leads.assignment import assign_by_hand
    from prm_app.leads.models import LeadQueue, LeadStatus
    from prm_app.leads.routing_runs import confirm_proposals

    with app_db() as session:
        manager, reader = actor_of(session, MANAGER), actor_of(session, READER)
        queue = session.exec(select(LeadQueue).where(LeadQueue.name == "Americas")).one()
        lead = Lead(
            queue_id=queue.id,
            status=LeadStatus.NEW,
            company=company,
            contact_email="buyer@example.com",
            country="US",
            city="Austin",
            vertical="healthcare",
        )
        session.add(lead)
        session.flush()
        assign_by_hand(session, manager, lead.id, reader.organization_id)
        assert confirm_proposals(session, manager, [lead.id]) == 1
        session.commit()
    return lead.id


def _counts(app_db, email: str) -> tuple[int, int]:
    """(unread notices, offers waiting) for `email`, as the header computes them."""
    from prm_app.leads import offers_waiting
    from prm_app.notifications import unread_count

    with app_db() as session:
        actor = actor_of(session, email)
        return unread_count(session, actor), offers_waiting(session, actor)


def _bell(page: Page, unread: int):
    return page.get_by_role("link", name=f"Notifications, {unread} unread", exact=True)


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(at("/login"))


def _catch_up(page: Page) -> None:
    """Start from a bell at 0: mark everything read on the notifications page (keyboard: focus, Enter)."""
    page.goto("/portal/notifications")
    button = page.get_by_role("button", name="Mark all read")
    if button.is_enabled():
        button.focus()
        page.keyboard.press("Enter")
    expect(_bell(page, 0)).to_be_visible()
    expect(page.get_by_text("0 unread notifications")).to_be_visible()


def _tab_to(page: Page, name: str, limit: int = 40) -> None:
    """Press Tab until the focused element's accessible name (aria-label or text) is `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => (document.activeElement.getAttribute('aria-label') || document.activeElement.innerText || '').trim()"
        )
        if focused == name:
            return
    raise AssertionError(f"{name!r} is not reachable by Tab")


def test_approval_bell_page_link_colleague_and_a_resolved_lead_offer(page: Page, app_db):
    token = uuid.uuid4().hex[:6]
    company, site = f"Notifco {token} Labs", f"notifco{token}.com"

    log_in(page, READER, expect_path="/portal")
    _catch_up(page)
    assert_accessible(page)
    _sign_out(page)
    deal_id = _register(app_db, company, site)

    # The manager approves it in the review page.
    log_in(page, MANAGER, expect_path="/partners")
    page.goto(f"/registrations/{deal_id}")
    expect(page.get_by_role("heading", name=company)).to_be_visible()
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_text("Protected until").first).to_be_visible()
    _sign_out(page)

    # The partner: the bell says 1, by keyboard it opens the page, which lists the approval as unread.
    log_in(page, READER, expect_path="/portal")
    expect(_bell(page, 1)).to_be_visible()
    expect(_bell(page, 1)).to_contain_text("1")  # the badge
    _tab_to(page, "Notifications, 1 unread")
    page.keyboard.press("Enter")
    page.wait_for_url(at("/portal/notifications"))
    item = page.get_by_role("listitem").filter(has_text=company)
    expect(item).to_contain_text("approved")
    expect(item.get_by_text("Unread", exact=True)).to_be_visible()
    expect(item.get_by_text("just now")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Show").select_option("unread")
    # The filter is applied once no read or done notice is listed (until then the rows can still move under the
    # focus: the list is re-rendered by position, and Enter would open another notice).
    listed = page.get_by_role("list", name="Notifications")
    expect(listed.get_by_text(re.compile(r"^(Read|Done)$"))).to_have_count(0)
    expect(page.get_by_role("listitem").filter(has_text=company)).to_be_visible()

    # Opening its link (keyboard: focus it, Enter) reads it and shows the registration; the bell is back to 0.
    page.get_by_role("link", name=re.compile(f"Registration for {company} approved")).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(at(f"/deals/{deal_id}"))
    expect(_bell(page, 0)).to_be_visible()
    _sign_out(page)

    # A colleague still has it unread, and marks it read on its own (the button keeps focus on the notice).
    log_in(page, COLLEAGUE, expect_path="/portal")
    unread = _counts(app_db, COLLEAGUE)[0]
    assert unread >= 1
    expect(_bell(page, unread)).to_be_visible()
    page.goto("/portal/notifications")
    item = page.get_by_role("listitem").filter(has_text=company)
    expect(item.get_by_text("Unread", exact=True)).to_be_visible()
    item.get_by_role("button", name=re.compile("^Mark read")).focus()
    page.keyboard.press("Enter")
    expect(item.get_by_text("Read", exact=True)).to_be_visible()
    expect(item.get_by_role("link")).to_be_focused()
    expect(_bell(page, unread - 1)).to_be_visible()
    _sign_out(page)

    # A lead is offered to the partner: a badge on Leads and a notice on the bell.
    waiting_before = _counts(app_db, READER)[1]
    lead_company = f"Leadco {token} Health"
    lead_id = _offer_lead(app_db, lead_company)
    log_in(page, READER, expect_path="/portal")
    nav = page.get_by_role("navigation", name="Main")
    leads_link = nav.get_by_role("link", name=f"Leads, {waiting_before + 1} waiting", exact=True)
    expect(leads_link).to_be_visible()
    expect(_bell(page, 1)).to_be_visible()
    page.goto("/portal/notifications")
    offer = page.get_by_role("listitem").filter(has_text=lead_company)
    expect(offer.get_by_text("Unread", exact=True)).to_be_visible()

    # Accepting the lead resolves its notice and takes it off the badge, on the same page.
    offer.get_by_role("link", name=re.compile(lead_company)).click()
    page.wait_for_url(at(f"/leads/{lead_id}"))
    page.get_by_role("button", name="Accept lead").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Accepted", exact=True)).to_be_visible()
    after = "Leads" if waiting_before == 0 else f"Leads, {waiting_before} waiting"
    expect(nav.get_by_role("link", name=after, exact=True)).to_be_visible()
    page.goto("/portal/notifications")
    offer = page.get_by_role("listitem").filter(has_text=lead_company)
    expect(offer.get_by_text("Done", exact=True)).to_be_visible()
    expect(offer.get_by_role("button", name=re.compile("^Mark read"))).to_have_count(0)
    expect(_bell(page, 0)).to_be_visible()
    page.get_by_label("Show").select_option("unread")
    expect(page.get_by_text("You are all caught up: no unread notifications.")).to_be_visible()
    assert_accessible(page)


def test_notifications_at_375px(mobile_page: Page):
    page = mobile_page
    log_in(page, COLLEAGUE, expect_path="/portal")
    bell = page.get_by_role("link", name=re.compile(r"^Notifications, \d+ unread$"))
    expect(bell).to_be_visible()
    bell.click()
    page.wait_for_url(at("/portal/notifications"))
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    mark_all = page.get_by_role("button", name="Mark all read")
    expect(mark_all).to_be_visible()
    box = mark_all.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways at 375 px ({width} px wide)"
    assert_accessible(page)
