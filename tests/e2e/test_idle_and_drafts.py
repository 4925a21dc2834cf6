"""Staying signed in and never losing a long form, in Chromium.

The deal form keeps a draft as the person types (375 px, keyboard): it comes back when they return, goes when they
discard it or submit, and the close date cannot be set before today. Before the idle timeout a banner warns and
"Stay signed in" (by keyboard) extends the session; when it lapses the person is sent to sign in and comes back to
the page, draft included. The session's idle time is moved on in the database (the person "was away"), and the
page is told the tab became visible again, which is when it asks the server how long is left.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text

from prm_app.identity.rules import idle_warning_lead
from prm_app.platform.settings import settings
from tests.e2e.conftest import BASE_URL, DEMO_PASSWORD, assert_accessible, at, log_in, wait_live
from tests.e2e.sweep_support import e2e_database_url

DRAFTER = "omar.haddad@northwind-dist.example"
IDLER = "lena.fischer@northwind-dist.example"
KEPT = "Draft saved. It stays here for you until you submit or discard it."


@pytest.fixture(scope="module")
def db(app_server: str, tmp_path_factory):
    engine = create_engine(e2e_database_url(tmp_path_factory.getbasetemp()))
    yield engine
    engine.dispose()


def _idle_for(db, p: Page, idle: timedelta) -> None:
    """This browser's session was last active `idle` ago (the person was away), then the tab is shown again."""
    token = next(c["value"] for c in p.context.cookies() if c["name"] == "prm_session")
    digest = hashlib.sha256(token.encode()).hexdigest()
    with db.begin() as conn:
        row = conn.execute(text("SELECT last_seen_at FROM auth_session WHERE token_hash = :h"), {"h": digest}).first()
        assert row is not None, "the browser's session is not in the database"
        seen = datetime.now(UTC) - idle
        # Stored as the app's UTCDateTime stores it (naive UTC on SQLite, aware on PostgreSQL).
        value = seen.replace(tzinfo=None) if db.dialect.name == "sqlite" else seen
        conn.execute(text("UPDATE auth_session SET last_seen_at = :t WHERE token_hash = :h"), {"t": value, "h": digest})
    p.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


def test_a_long_deal_form_keeps_its_draft(mobile_page: Page):
    p = mobile_page
    customer = f"Draftwell Industries {uuid.uuid4().hex[:6]}"
    log_in(p, DRAFTER, expect_path="/portal")
    p.goto("/deals/new")
    form = p.get_by_role("form", name="Register a deal")
    expect(p.get_by_text("Your entries are kept as a draft as you type.")).to_be_visible()
    today = datetime.now(UTC).date().isoformat()
    expect(form.get_by_label("Expected close date")).to_have_attribute("min", today)

    form.get_by_label("Company name").click()
    p.keyboard.type(customer)
    form.get_by_label("Contact name").fill("Rosa Diaz")
    form.get_by_label("Stage").select_option("Proposal")
    form.get_by_label("Description (optional)").fill("Three sites, phased roll-out; procurement wants a pilot first.")
    form.get_by_role("checkbox").first.check()
    expect(p.get_by_text(KEPT)).to_be_visible()
    assert_accessible(p)

    p.goto("/deals")  # away, and back
    p.goto("/deals/new")
    expect(form.get_by_label("Company name")).to_have_value(customer)
    expect(form.get_by_label("Contact name")).to_have_value("Rosa Diaz")
    expect(form.get_by_label("Stage")).to_have_value("Proposal")
    expect(form.get_by_label("Description (optional)")).to_have_value(re.compile("^Three sites"))
    expect(form.get_by_role("checkbox").first).to_be_checked()
    expect(p.get_by_text(KEPT)).to_be_visible()

    discard = p.get_by_role("button", name="Discard draft")
    discard.focus()
    p.keyboard.press("Enter")
    expect(form.get_by_label("Company name")).to_have_value("")
    expect(form.get_by_label("Description (optional)")).to_have_value("")
    expect(p.get_by_text("Your entries are kept as a draft as you type.")).to_be_visible()
    p.reload()
    wait_live(p)
    expect(form.get_by_label("Company name")).to_have_value("")  # discarded on the server, not just on screen

    # Typed again and submitted: the registration is stored and the draft is gone.
    form.get_by_label("Company name").fill(customer)
    form.get_by_label("Website or email domain").fill(f"draftwell-{customer.split()[-1]}.com")
    form.get_by_label("Country").select_option(label="Canada")
    form.get_by_label("Contact name").fill("Rosa Diaz")
    form.get_by_label("Contact email").fill("rosa@draftwell.example")
    form.get_by_role("checkbox").first.check()
    form.get_by_label("Estimated value").fill("48000")
    form.get_by_label("Expected close date").fill((datetime.now(UTC).date() + timedelta(days=60)).isoformat())
    form.get_by_label("Stage").select_option("Discovery")
    expect(p.get_by_text(KEPT)).to_be_visible()
    form.get_by_role("button", name="Submit registration").click()
    p.wait_for_url(at(r"/deals/\d+", regex=True))
    p.goto("/deals/new")
    expect(form.get_by_label("Company name")).to_have_value("")
    expect(p.get_by_text("Your entries are kept as a draft as you type.")).to_be_visible()


def test_a_banner_warns_before_the_idle_timeout_and_a_lapse_returns_to_the_page(mobile_page: Page, db):
    page = mobile_page  # a phone: the banner sits at the bottom of the screen, over whatever is scrolled there
    lead = idle_warning_lead(settings.session_idle)
    log_in(page, IDLER, expect_path="/portal")
    page.goto("/deals/new")
    form = page.get_by_role("form", name="Register a deal")
    form.get_by_label("Company name").fill("Idlewild Logistics")
    page.get_by_role("link", name="Skip to content").focus()  # leaving the field is a change the draft follows too
    expect(page.get_by_text(KEPT)).to_be_visible()
    # Saving a draft is activity (the person typed); let the last save land before the person "goes away".
    page.wait_for_timeout(1500)
    stay = page.get_by_role("button", name="Stay signed in")
    expect(stay).to_have_count(0)

    # Quiet until three minutes before the end: the banner says so.
    _idle_for(db, page, settings.session_idle - timedelta(minutes=3))
    expect(page.get_by_text("You'll be signed out in 3 minutes")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="You'll be signed out in 3 minutes")).to_have_count(
        1
    )  # announced
    assert lead >= timedelta(minutes=3)
    assert_accessible(page)
    # By keyboard: the button is the first stop after the skip link.
    page.get_by_role("link", name="Skip to content").focus()
    page.keyboard.press("Tab")
    expect(stay).to_be_focused()
    page.keyboard.press("Enter")
    expect(stay).to_have_count(0)
    expect(page.get_by_text("You'll be signed out")).to_have_count(0)

    # Away again, this time until the end: the page sends the person to sign in, and back here afterwards.
    _idle_for(db, page, settings.session_idle - timedelta(seconds=8))
    expect(page.get_by_text("You'll be signed out in 1 minute")).to_be_visible()
    page.wait_for_url(re.compile(rf"^{re.escape(BASE_URL)}/login/?\?next=(/|%2F)deals(/|%2F)new/?$"), timeout=30_000)
    wait_live(page)
    # The address changes before the sign-in page replaces the deal form (whose "Contact email" also says Email).
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.get_by_label("Email").fill(IDLER)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(at("/deals/new"))
    wait_live(page)
    expect(form.get_by_label("Company name")).to_have_value("Idlewild Logistics")  # nothing typed was lost
