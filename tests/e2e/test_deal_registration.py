"""Deal registration end to end: register, live conflict warning, evidence, approve, refuse the overlap, reject."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from prm_app.web.format import day
from tests.e2e.conftest import actor_of, assert_accessible, at, log_in, wait_live
from tests.e2e.sweep_support import e2e_database_url

PARTNER_A = "priya.shah@cobaltsys.example"  # Cobalt Systems VAR
PARTNER_B = "sam.carter@bluepeak.example"  # Bluepeak Resellers
MANAGER = "maya.cm@vendor.example"
SAW_NO_CONFLICTS = """() => {
    window.__sawNoConflicts = false;
    new MutationObserver(() => {
        if (document.body.innerText.includes('No possible conflicts')) window.__sawNoConflicts = true;
    }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""


def _fill_deal(page: Page, company: str, site: str) -> None:
    wait_live(page)
    page.get_by_label("Company name").fill(company)
    page.get_by_label("Website or email domain").fill(site)
    page.get_by_label("Country").select_option("US")
    page.get_by_label("Contact name").fill("Art Vandelay")
    page.get_by_label("Contact email").fill(f"art@{site.removeprefix('https://').removeprefix('www.')}")
    page.get_by_label(re.compile("^ ?Core Platform")).check()
    page.get_by_label(re.compile("^ ?Security Suite")).check()
    page.get_by_label("Estimated value").fill("48,000")
    page.get_by_label("Expected close date").fill((date.today() + timedelta(days=45)).isoformat())
    page.get_by_label("Stage").select_option("Proposal")


def _submit_new_deal(page: Page, company: str, site: str) -> str:
    """Register and submit a deal for `company` as the signed-in partner; the new deal page's URL."""
    page.goto("/deals/new")
    _fill_deal(page, company, site)
    page.get_by_role("button", name="Submit registration").click()
    page.wait_for_url(at(r"/deals/\d+", regex=True))
    return page.url


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(at("/login"))


def test_register_conflict_review_approve_refuse_reject(page: Page):
    token = uuid.uuid4().hex[:6]
    company, domain = f"Vandelay {token} Industries, Inc.", f"vandelay{token}.com"

    # Partner A: bad input first — errors beside the fields, nothing typed is lost.
    log_in(page, PARTNER_A, expect_path="/portal")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Deals").click()
    page.get_by_role("link", name="Register a deal").click()
    page.wait_for_url(at("/deals/new"))
    page.get_by_label("Company name").fill(company)
    page.get_by_label("Estimated value").fill("-5")
    page.get_by_label("Expected close date").fill("2020-01-01")
    page.get_by_role("button", name="Submit registration").click()
    expect(page.get_by_text("Enter an amount above zero.")).to_be_visible()
    expect(page.get_by_text("The expected close date is in the past.")).to_be_visible()
    expect(page.get_by_text("Choose at least one product.")).to_be_visible()
    expect(page.get_by_text("Enter the customer's website or an email address at the company.")).to_be_visible()
    expect(page.get_by_label("Company name")).to_have_value(company)
    # The one field-error style: the message sits in the region the field points at, and the field says it is invalid.
    for name, label in (("customer_site", "Website or email domain"), ("expected_close", "Expected close date"),
                        ("country", "Country")):  # fmt: skip
        field = page.get_by_label(label, exact=True)
        expect(field).to_have_attribute("aria-describedby", f"field-{name}-error")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(page.locator(f"#field-{name}-error svg")).to_have_count(1)  # an icon, not colour alone
    expect(page.get_by_label("Company name", exact=True)).to_have_attribute("aria-invalid", "false")
    assert_accessible(page)

    _fill_deal(page, company, domain)
    expect(page.get_by_text("This customer may already be registered")).to_have_count(0)
    page.get_by_role("button", name="Submit registration").click()
    page.wait_for_url(at(r"/deals/\d+", regex=True))
    deal_a_url = page.url
    expect(page.get_by_text("Submitted", exact=True).first).to_be_visible()
    assert_accessible(page)
    _sign_out(page)

    # Manager: the registration is in the queue, clean; approve it.
    log_in(page, MANAGER, expect_path="/partners")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Deal registrations").click()
    page.wait_for_url(at("/registrations"))
    row = page.locator("tbody tr", has_text=company)
    expect(row.get_by_text("Clean")).to_be_visible()
    assert_accessible(page)
    row.get_by_role("link", name=company).click()
    expect(page.get_by_text("No possible conflicts")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_text("Protected until")).to_be_visible()
    _sign_out(page)

    # Partner A sees approved with the protection end date: its Gold tier's 120 protection days (the demo's benefit).
    log_in(page, PARTNER_A, expect_path="/portal")
    page.goto(deal_a_url)
    end = day(date.today() + timedelta(days=120))  # in the partner's zone: this browser's, UTC
    expect(
        page.get_by_text(re.compile(rf"^Approved\. Protected until {end}, \d\d:\d\d UTC \(in 119 days\)\.$"))
    ).to_be_visible()
    _sign_out(page)

    # Partner B: same customer under a slightly different name — the live warning, no names revealed.
    log_in(page, PARTNER_B, expect_path="/portal")
    page.goto("/deals/new")
    _fill_deal(page, f"VANDELAY {token} INDUSTRIES", f"https://www.{domain}")
    warning = page.get_by_text("This customer may already be registered")
    expect(warning).to_be_visible()
    expect(page.get_by_text("Cobalt Systems VAR")).to_have_count(0)
    page.get_by_role("button", name="Submit registration").click()
    page.wait_for_url(at(r"/deals/\d+", regex=True))
    deal_b_url = page.url

    # Partner B cannot open partner A's registration by its URL.
    page.goto(deal_a_url)
    expect(page.get_by_text("Deal not found.")).to_be_visible()
    expect(page.get_by_text(company)).to_have_count(0)
    _sign_out(page)

    # Manager: the evidence names the first registration with its reasons; approval is refused; reject.
    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/registrations")
    page.evaluate(SAW_NO_CONFLICTS)  # the page must never claim "no conflicts" while loading this one
    page.locator("tbody tr", has_text=f"VANDELAY {token} INDUSTRIES").get_by_role("link").click()
    evidence = page.locator(".rt-Card", has_text="Cobalt Systems VAR")
    expect(evidence).to_contain_text(f"same normalized domain {domain}")
    expect(evidence).to_contain_text("Protected now")
    expect(evidence).to_contain_text("by another partner, still protected")
    assert not page.evaluate("window.__sawNoConflicts"), "said 'No possible conflicts' before the evidence loaded"
    assert_accessible(page)
    # Approve is disabled, and says why beside it (the use case would refuse it anyway: tests/deals).
    approve = page.get_by_role("button", name="Approve", exact=True)
    expect(approve).to_be_disabled()
    expect(page.get_by_role("button", name="Approve & next")).to_be_disabled()
    expect(page.locator("#approve-blocked")).to_contain_text("Cannot approve: it overlaps")
    expect(approve).to_have_accessible_description(re.compile("^Cannot approve: it overlaps"))
    page.get_by_label("Reason (shown to the partner)").fill("Cobalt Systems registered this customer first.")
    page.get_by_role("button", name="Reject", exact=True).click()
    expect(page.get_by_text("Rejected", exact=True).first).to_be_visible()
    _sign_out(page)

    # Partner B sees the reason.
    log_in(page, PARTNER_B, expect_path="/portal")
    page.goto(deal_b_url)
    expect(page.get_by_text("Rejected: Cobalt Systems registered this customer first.")).to_be_visible()
    assert_accessible(page)


def test_deal_form_at_375px(mobile_page: Page):
    log_in(mobile_page, PARTNER_B, expect_path="/portal")
    mobile_page.goto("/deals/new")
    expect(mobile_page.get_by_label("Company name")).to_be_visible()
    overflow = mobile_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"page scrolls sideways by {overflow}px at 375px"
    assert_accessible(mobile_page)


def test_info_request_extension_and_win(page: Page):
    token = uuid.uuid4().hex[:6]
    company, domain = f"Kramerica {token} LLC", f"kramerica{token}.com"
    log_in(page, PARTNER_A, expect_path="/portal")
    page.goto("/deals/new")
    _fill_deal(page, company, domain)
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url(at(r"/deals/\d+", regex=True))
    deal_url = page.url
    expect(page.get_by_text("Draft", exact=True).first).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted", exact=True).first).to_be_visible()
    _sign_out(page)

    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/registrations")
    page.locator("tbody tr", has_text=company).get_by_role("link").click()
    page.get_by_role("button", name="Send question").click()
    expect(page.get_by_text("Write what the partner should add.")).to_be_visible()
    page.get_by_label("Question").fill("Which business unit is buying?")
    page.get_by_role("button", name="Send question").click()
    expect(page.get_by_text("More info requested", exact=True).first).to_be_visible()
    review_url = page.url
    _sign_out(page)

    log_in(page, PARTNER_A, expect_path="/portal")
    page.goto(deal_url)
    expect(page.get_by_text("Which business unit is buying?")).to_be_visible()
    page.get_by_label("Your answer").fill("The logistics division, budget approved.")
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("Submitted", exact=True).first).to_be_visible()
    _sign_out(page)

    log_in(page, MANAGER, expect_path="/partners")
    page.goto(review_url)
    expect(page.get_by_text("The logistics division, budget approved.")).to_be_visible()
    page.get_by_label("Protection (days)").fill("60")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_text("Protected for 60 days.")).to_be_visible()
    _sign_out(page)

    log_in(page, PARTNER_A, expect_path="/portal")
    page.goto(deal_url)
    page.get_by_label("Extra days").fill("30")
    page.get_by_role("button", name="Request extension").click()
    expect(page.get_by_text("Say why you need more time.")).to_be_visible()
    page.get_by_label("Reason").fill("Procurement moved the signing to next quarter.")
    page.get_by_role("button", name="Request extension").click()
    expect(page.get_by_text("Your extension request is waiting for a decision.")).to_be_visible()
    _sign_out(page)

    log_in(page, MANAGER, expect_path="/partners")
    page.goto(review_url)
    page.get_by_role("button", name="Approve extension").click()
    end = (date.today() + timedelta(days=90)).isoformat()
    expect(page.get_by_text(f"protected until {end}")).to_be_visible()
    _sign_out(page)

    log_in(page, PARTNER_A, expect_path="/portal")
    page.goto(deal_url)
    page.get_by_label("Final amount").fill("51,250")
    page.get_by_role("button", name="Mark as won").click()
    expect(page.get_by_text("Won", exact=True).first).to_be_visible()
    expect(page.get_by_text("51,250.00 USD")).to_be_visible()
    assert_accessible(page)


def test_register_a_deal_by_keyboard_only(page: Page):
    page.goto("/login")
    expect(page.get_by_role("button", name="Sign in")).to_be_enabled()  # the app is live (hydrated)
    page.get_by_label("Email").focus()
    page.keyboard.type(PARTNER_B)
    page.keyboard.press("Tab")
    page.keyboard.type("demo-partner-2026")
    page.keyboard.press("Enter")
    page.wait_for_url(at("/portal"))
    page.goto("/deals/new")
    token = uuid.uuid4().hex[:6]
    page.get_by_label("Company name").focus()
    steps = [
        ("type", f"Pendant {token} Publishing"),
        ("Tab", None),
        ("type", f"pendant{token}.com"),
        ("Tab", None),
        ("type", "United States"),  # type-ahead in the native select
        ("Tab", None),
        ("type", "Elaine Benes"),
        ("Tab", None),
        ("type", f"elaine@pendant{token}.com"),
        ("Tab", None),
        ("Space", None),  # first product checkbox
    ]
    for key, text in steps:
        if key == "type":
            page.keyboard.type(text)
        else:
            page.keyboard.press(key)
    page.get_by_label("Estimated value").focus()
    page.keyboard.type("12000")
    page.keyboard.press("Tab")  # currency keeps USD
    page.keyboard.press("Tab")
    page.keyboard.type((date.today() + timedelta(days=30)).strftime("%m%d%Y"))
    page.get_by_label("Stage").focus()  # (Chromium's date input has its own picker button in the tab order)
    page.keyboard.type("Proposal")
    page.get_by_role("button", name="Submit registration").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(at(r"/deals/\d+", regex=True))
    expect(page.get_by_role("heading", name=f"Pendant {token} Publishing")).to_be_visible()


def test_bulk_approve_clean_registrations(page: Page):
    token = uuid.uuid4().hex[:6]
    company = f"Peterman {token} Catalog"
    log_in(page, PARTNER_B, expect_path="/portal")
    deal_url = _submit_new_deal(page, company, f"peterman{token}.com")
    _sign_out(page)

    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/registrations")
    bulk = page.get_by_role("button", name="Approve selected clean registrations")
    expect(bulk).to_be_disabled()
    box = page.get_by_role("checkbox", name=f"Select {company}")
    box.click()  # a controlled checkbox: its state comes back from the server
    expect(box).to_be_checked()
    expect(bulk).to_be_enabled()
    bulk.click()
    expect(page.get_by_text("Approved 1 registration.")).to_be_visible()  # one, in words
    expect(page.locator("tbody tr", has_text=company)).to_have_count(0)
    _sign_out(page)

    log_in(page, PARTNER_B, expect_path="/portal")
    page.goto(deal_url)
    expect(page.get_by_text("Approved. Protected until")).to_be_visible()


def test_the_queue_pages_with_a_total(page: Page, tmp_path_factory):
    """More registrations wait than one page holds: the total counts them all, the pager walks to the last ones.
    They are written straight to the app's database (55 through the browser would take minutes) by the same
    use case the form calls, and withdrawn at the end so later tests find their own rows on the first page."""
    from sqlmodel import Session, select

    from prm_app.deals import DealInput, Product, register_deal, review_queue, withdraw_deal
    from prm_app.deals.queries import QUEUE_PAGE_SIZE
    from prm_app.platform.db import make_engine

    token = uuid.uuid4().hex[:6]
    engine = make_engine(e2e_database_url(tmp_path_factory.getbasetemp()))
    with Session(engine) as session:
        partner = actor_of(session, PARTNER_B)
        core = session.exec(select(Product.id).where(Product.sku == "PRM-CORE")).one()
        ids = [
            register_deal(
                session,
                partner,
                DealInput(
                    customer_name=f"Pager{token}{n:02d} Works",
                    customer_site=f"pager{token}{n:02d}.com",
                    country="US",
                    contact_name="Art Vandelay",
                    contact_email=f"art@pager{token}{n:02d}.com",
                    product_ids=(core,),
                    estimated_value="1000",
                    currency="USD",
                    expected_close=(date.today() + timedelta(days=45)).isoformat(),
                    stage="Proposal",
                ),
                submit=True,
            )
            for n in range(QUEUE_PAGE_SIZE + 5)
        ]
        session.commit()
        queue = review_queue(session, actor_of(session, MANAGER))
    try:
        assert queue.pages >= 2
        log_in(page, MANAGER, expect_path="/partners")
        page.goto("/registrations")
        expect(page.get_by_text(f"{queue.total} waiting for review")).to_be_visible()
        expect(page.locator("tbody tr")).to_have_count(QUEUE_PAGE_SIZE)
        expect(page.get_by_text(f"Page 1 of {queue.pages}")).to_be_visible()
        expect(page.get_by_role("button", name="Previous")).to_be_disabled()
        for _ in range(queue.pages - 1):
            page.get_by_role("button", name="Next").click()
        expect(page.get_by_text(f"Page {queue.pages} of {queue.pages}")).to_be_visible()
        expect(page.get_by_role("button", name="Next")).to_be_disabled()
        expect(page.locator("tbody tr", has_text=f"Pager{token}{QUEUE_PAGE_SIZE + 4:02d} Works")).to_have_count(1)
        assert_accessible(page)
    finally:
        with Session(engine) as session:
            partner = actor_of(session, PARTNER_B)
            for deal_id in ids:
                withdraw_deal(session, partner, deal_id, "Paging test data.")
            session.commit()
        engine.dispose()


def test_withdraw_and_mark_lost_ask_first(page: Page):
    """Ending a claim says what it ends, with the focus on Cancel: Escape and Cancel leave the registration as it
    was; only the dialog's own button withdraws it or marks it lost."""
    token = uuid.uuid4().hex[:6]
    log_in(page, PARTNER_A, expect_path="/portal")
    page.goto("/deals/new")
    _fill_deal(page, f"Pendant {token} Publishing", f"pendant{token}.com")
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url(at(r"/deals/\d+", regex=True))
    assert_accessible(page)  # (with a dialog open, axe would judge the dimmed page behind it)
    page.get_by_role("button", name="Withdraw registration").click()
    dialog = page.get_by_role("alertdialog", name="Withdraw this registration?")
    expect(dialog).to_contain_text("it will not protect this customer")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(page.get_by_text("Draft", exact=True).first).to_be_visible()
    page.get_by_role("button", name="Withdraw registration").click()
    dialog.get_by_role("button", name="Cancel").click()
    expect(page.get_by_text("Draft", exact=True).first).to_be_visible()
    page.get_by_role("button", name="Withdraw registration").click()
    page.keyboard.press("Tab")  # from Cancel to the dialog's Withdraw, by keyboard
    page.keyboard.press("Enter")
    expect(page.get_by_text("Withdrawn", exact=True).first).to_be_visible()

    company = f"Brentwood {token} Imports"
    deal_url = _submit_new_deal(page, company, f"brentwood{token}.com")
    _sign_out(page)
    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/registrations")
    page.locator("tbody tr", has_text=company).get_by_role("link").click()
    page.wait_for_url(at(r"/registrations/\d+", regex=True))
    review_url = page.url
    page.get_by_role("button", name="Approve & next").click()
    expect(page.get_by_text("Approved and protected.")).to_be_visible()
    page.wait_for_url(lambda url: url.rstrip("/") != review_url.rstrip("/"))  # the next waiting one, or the queue
    expect(page.get_by_text(company)).to_have_count(0)
    _sign_out(page)

    log_in(page, PARTNER_A, expect_path="/portal")
    page.goto(deal_url)
    page.get_by_role("button", name="Mark as lost").click()
    dialog = page.get_by_role("alertdialog", name="Mark this deal as lost?")
    expect(dialog).to_contain_text("open to other partners again")
    page.keyboard.press("Escape")
    expect(page.get_by_text("Approved", exact=True).first).to_be_visible()
    page.get_by_role("button", name="Mark as lost").click()
    dialog.get_by_role("button", name="Mark as lost").click()
    expect(page.get_by_text("Lost", exact=True).first).to_be_visible()
