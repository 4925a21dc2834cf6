"""Recruitment end to end (#12): a company applies on a phone, by keyboard (a `<script>` in its name stays text),
gets its reference on screen and by mail, a second application from its domain is refused kindly, a channel
manager reads the score and its reasons, adjusts a criterion with a note and approves, the invitation arrives, and
the applicant sets a password; until the new partner's admin signs the program agreement only the agreement page
opens; signed, the onboarding checklist shows the agreement ticked by itself, and a first registered deal ticks its
task too and reaches the manager's funnel. Then: "needs more
detail" → edit and resubmit through the emailed link; a decline is final."""

from __future__ import annotations

import os
import re
import uuid

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, at, live_goto, log_in, wait_live
from tests.e2e.test_onboarding import _register_deal as register_deal
from tests.e2e.test_onboarding import _task
from tests.mail.smtp_sink import Sink, text_of

MANAGER = "maya.cm@vendor.example"
REFERENCE = re.compile(r"APP-[2-9A-Z]{8}")


def _forget_apply_counts() -> None:
    """Scaled out, the per-IP limit lives in Redis and outlives a test run: start this run's counts afresh."""
    if url := os.environ.get("E2E_REDIS_URL"):
        import redis

        client = redis.Redis.from_url(url)
        for key in client.scan_iter("*apply*"):
            client.delete(key)


def _fill_application(p: Page, company: str, domain: str, email: str, *, country: str = "IS") -> None:
    p.get_by_label("Country").select_option(country)
    p.get_by_label("Partner type you want to be").select_option("var")
    p.get_by_label("Annual revenue").select_option("5m_20m")
    p.get_by_label("Financial services").check()
    p.get_by_label("Team size").fill("35")
    p.get_by_label("Customers").fill("240")
    p.get_by_label("Certified staff").fill("3")
    p.get_by_label("Other vendors you carry").fill("Contoso\nGlobex")
    p.get_by_label("Your name").fill("Ragna Test")
    p.get_by_label("Job title").fill("Founder")
    p.get_by_label("Work email").fill(email)
    p.get_by_label("Why do you want to partner with us?").fill("Banks in Reykjavik ask for it.")
    p.get_by_label("Preferred distributor").select_option("Specialist distributor")


def test_apply_review_approve_and_sign_in_as_the_new_partner(mobile_page: Page, page: Page, mailbox: Sink, browser,
                                                              app_server):  # fmt: skip
    _forget_apply_counts()
    token = uuid.uuid4().hex[:6]
    company, domain = f"Geysir {token} <script>alert(1)</script> ehf", f"geysir{token}.example"
    email = f"ragna@{domain}"

    # The applicant, on a phone: the programs, then the form.
    applicant = mobile_page
    applicant.goto("/login")  # the way in for a company that is not a partner yet
    applicant.get_by_role("link", name="apply to become a partner").click()
    applicant.wait_for_url(at("/apply"))
    wait_live(applicant)
    assert_accessible(applicant)
    applicant.get_by_role("link", name="Apply to the Resellers & VARs").click()
    applicant.wait_for_url(at("/apply/resellers"))
    expect(applicant.get_by_role("heading", name="Resellers & VARs", level=1)).to_be_visible()
    expect(applicant.get_by_role("heading", name="Sell Open PRM to your customers")).to_be_visible()  # the intro
    # By keyboard: the company name, then Tab to the website.
    applicant.get_by_label("Company name").focus()
    applicant.keyboard.type(company)
    applicant.keyboard.press("Tab")
    expect(applicant.get_by_label("Website")).to_be_focused()
    _fill_application(applicant, company, domain, email)
    applicant.get_by_role("button", name="Send application").click()
    # The website was left out: its message is beside it, the rest stays as typed.
    expect(applicant.get_by_text("Enter the website.")).to_be_visible()
    expect(applicant.get_by_label("Company name")).to_have_value(company)
    expect(applicant.get_by_label("Website")).to_be_focused()
    assert_accessible(applicant)
    applicant.keyboard.type(f"https://www.{domain}")
    applicant.get_by_role("button", name="Send application").press("Enter")
    reference = applicant.locator("#reference")
    expect(reference).to_have_text(REFERENCE)
    ref = reference.inner_text()
    assert_accessible(applicant)
    (mail,) = mailbox.wait_for_address(email)
    assert ref in mail["Subject"] and ref in text_of(mail)
    assert "&lt;script&gt;" in text_of(mail, "html")

    # A second application from the same domain is refused kindly, with nothing lost.
    applicant.goto("/apply/resellers")
    applicant.get_by_label("Company name").fill(f"Geysir {token} again")
    applicant.get_by_label("Website").fill(f"{domain}/about")
    _fill_application(applicant, company, domain, f"someone.else@{domain}")
    applicant.get_by_role("button", name="Send application").click()
    expect(applicant.get_by_role("alert").filter(has_text="already applied")).to_be_visible()
    expect(applicant.get_by_label("Company name")).to_have_value(f"Geysir {token} again")

    # The channel manager: the badge, the queue, the score and its reasons.
    log_in(page, MANAGER, expect_path="/partners")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name=re.compile(r"^Applications, \d+ waiting$"))).to_be_visible()
    nav.get_by_role("link", name=re.compile("^Applications")).click()
    page.wait_for_url(at("/recruitment"))
    page.get_by_label("Company or reference").fill(ref)
    page.get_by_role("button", name="Search").click()
    row = page.get_by_role("row", name=re.compile(re.escape(ref)))
    expect(row).to_contain_text("Iceland")
    assert_accessible(page)
    row.get_by_role("link").click()
    page.wait_for_url(at(r"/recruitment/application/\d+", regex=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(company)  # the script is text
    expect(page.locator("#criterion-coverage_gap")).to_contain_text("No partner in Iceland yet.")
    expect(page.locator("#criterion-competitors")).to_contain_text("Carries Globex, which competes.")
    total_before = page.locator("#score-total").inner_text()
    assert_accessible(page)

    page.get_by_label("Criterion", exact=True).select_option("coverage_gap")
    page.get_by_label("Points", exact=True).fill("10")
    page.get_by_role("button", name="Save adjustment").click()
    expect(page.get_by_text("Say why you adjust the points")).to_be_visible()
    page.get_by_label("Note (why)").fill("A partner in Reykjavik signs next month.")
    page.get_by_role("button", name="Save adjustment").click()
    gap = page.locator("#criterion-coverage_gap")
    expect(gap).to_contain_text("10 of 25")
    expect(gap).to_contain_text("Adjusted from 25 by Maya Okafor")
    expect(gap).to_contain_text("A partner in Reykjavik signs next month.")
    expect(page.locator("#score-total")).not_to_have_text(total_before)

    page.get_by_role("button", name="Approve and invite").click()
    expect(page.get_by_text("Choose the channel manager of the new partner.")).to_be_visible()
    page.get_by_label("Channel manager of the new partner").select_option(label="Maya Okafor")
    page.get_by_role("button", name="Approve and invite").click()
    expect(page.get_by_text("Approved: the partner exists")).to_be_visible()
    expect(page.get_by_role("button", name="Approve and invite")).to_have_count(0)  # decided: no second approval
    page.goto("/recruitment/funnel")
    wait_live(page)
    first_deals = page.get_by_role("row", name=re.compile("^First deal registered")).get_by_role("cell").first
    expect(first_deals).to_have_text(re.compile(r"^[\d,]+$"))
    first_deals_before = int(first_deals.inner_text().replace(",", ""))

    # The invitation arrives; the applicant sets a password and lands in the portal as the partner's admin.
    (_, invitation) = mailbox.wait_for_address(email, count=2)
    link = next(word for word in text_of(invitation).split() if "/invite/" in word)
    other = browser.new_context(base_url=app_server)
    newcomer = live_goto(other.new_page())
    newcomer.goto(link)
    expect(newcomer.get_by_text("You are joining")).to_contain_text(company)
    newcomer.get_by_label("New password").fill("a-good-long-password")
    newcomer.get_by_label("Repeat the password").fill("a-good-long-password")
    newcomer.get_by_role("button", name="Set password").click()
    expect(newcomer.get_by_text("Your password is set.")).to_be_visible()
    log_in(newcomer, email, "a-good-long-password")

    # Until its admin signs the program agreement, the new partner's people see only the agreement page.
    for elsewhere in ("/deals", "/portal/onboarding", "/portal"):
        newcomer.goto(elsewhere)
        newcomer.wait_for_url(at("/agreement"))
    wait_live(newcomer)
    expect(newcomer.get_by_role("banner").get_by_text("Partner admin")).to_be_visible()
    expect(
        newcomer.get_by_role("heading", name=re.compile(r"^Partner Program Agreement, version \d+$"))
    ).to_be_visible()
    expect(newcomer.locator(".agreement-text")).to_contain_text(company)  # merged in, as text
    assert_accessible(newcomer)
    newcomer.locator("#field-full_name").fill("Ragna Test")
    newcomer.get_by_label("I have read and agree to this agreement on behalf of my organization").check()
    newcomer.get_by_role("button", name="Sign the agreement").click()
    expect(newcomer.get_by_text("Your organization has signed every agreement that applies to it.")).to_be_visible()

    # The checklist ticked the agreement by itself; a first deal ticks its task too.
    newcomer.goto("/portal/onboarding")
    wait_live(newcomer)
    expect(_task(newcomer, "Sign the partner agreement").locator(".task-status")).to_have_text("Done")
    expect(_task(newcomer, "Register your first deal").locator(".task-status")).to_have_text("To do")
    assert_accessible(newcomer)
    register_deal(newcomer)
    newcomer.goto("/portal/onboarding")
    wait_live(newcomer)
    expect(_task(newcomer, "Register your first deal").locator(".task-status")).to_have_text("Done")
    newcomer.goto("/portal")
    wait_live(newcomer)
    expect(newcomer.get_by_text(company).first).to_be_visible()
    other.close()

    # The manager's funnel counts the new partner's first registered deal.
    page.reload()
    wait_live(page)
    expect(first_deals).to_have_text(f"{first_deals_before + 1:,}")


def test_more_detail_through_the_emailed_link_and_a_decline_is_final(page: Page, mailbox: Sink, browser, app_server):
    _forget_apply_counts()
    token = uuid.uuid4().hex[:6]
    company, domain = f"Fjall {token} hf", f"fjall{token}.example"
    email = f"olafur@{domain}"
    page.goto("/apply/resellers")
    page.get_by_label("Company name").fill(company)
    page.get_by_label("Website").fill(domain)
    _fill_application(page, company, domain, email)
    page.get_by_role("button", name="Send application").click()
    expect(page.locator("#reference")).to_have_text(REFERENCE)
    ref = page.locator("#reference").inner_text()

    console = browser.new_context(base_url=app_server, viewport={"width": 1280, "height": 900})
    manager = live_goto(console.new_page())
    log_in(manager, MANAGER, expect_path="/partners")
    manager.goto("/recruitment")
    manager.get_by_label("Company or reference").fill(ref)
    manager.get_by_role("button", name="Search").click()
    manager.get_by_role("link", name=company).click()
    manager.wait_for_url(at(r"/recruitment/application/\d+", regex=True))
    detail_url = manager.url
    manager.get_by_label("Reason").select_option("needs_more_detail")
    manager.get_by_label("Note to the applicant").fill("How many engineers are certified?")
    manager.get_by_role("button", name="Reject").click()
    expect(manager.locator(".fact", has_text="Status")).to_contain_text("Rejected: Needs more detail")

    mails = mailbox.wait_for_address(email, count=2)
    link = next(word for word in text_of(mails[-1]).split() if "/apply/resubmit/" in word)
    assert "How many engineers are certified?" in text_of(mails[-1])
    page.goto(link)
    expect(page.get_by_text("How many engineers are certified?")).to_be_visible()
    expect(page.get_by_label("Company name")).to_have_value(company)
    assert_accessible(page)
    page.get_by_label("Certified staff").fill("7")
    page.get_by_role("button", name="Send it again").click()
    expect(page.locator("#reference")).to_have_text(ref)
    page.goto(link)
    expect(page.get_by_text("This link does not work any more")).to_be_visible()

    # Back in the queue; the manager declines it for good.
    manager.goto(detail_url)
    expect(manager.locator(".fact", has_text="Certified staff")).to_contain_text("7")
    expect(manager.locator(".fact", has_text="Status")).to_contain_text("Submitted")
    manager.get_by_role("button", name="Decline for good").click()
    dialog = manager.get_by_role("alertdialog", name="Decline this application for good?")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    dialog.get_by_role("button", name="Decline for good").click()
    expect(manager.get_by_text("Declined for good.")).to_be_visible()
    console.close()

    page.goto("/apply/resellers")
    page.get_by_label("Company name").fill(f"{company} reborn")
    page.get_by_label("Website").fill(f"https://{domain}")
    _fill_application(page, company, domain, f"new.person@{domain}")
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_role("alert").filter(has_text="cannot take a new application")).to_be_visible()


def test_managers_edit_a_form_read_the_funnel_and_reject_in_bulk(page: Page, browser, app_server):
    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/recruitment/funnel")
    expect(page.get_by_role("row", name=re.compile("^Form visited"))).to_be_visible()
    page.get_by_label("Period").select_option("365")
    expect(page.get_by_role("row", name=re.compile("^First deal won"))).to_contain_text("1")
    assert_accessible(page)

    # The MSP form gains a required field and an intro with markup that must stay text.
    page.goto("/recruitment/programs")
    assert_accessible(page)
    edit = page.get_by_role("form", name="Edit MSP program")
    edit.get_by_label("Intro (markdown)").fill("**Now** recruiting MSPs <script>window.__pwned = 1</script>")
    edit.get_by_role("button", name="Save program").click()
    expect(page.get_by_text("Program saved.")).to_be_visible()
    add = page.get_by_role("form", name="Add a field to MSP program")
    add.get_by_label("New field's label").fill("Number of technicians")
    add.get_by_label("Who fills it").select_option("required")
    add.get_by_role("button", name="Add field").click()
    expect(page.get_by_text("Number of technicians · Text · Required")).to_be_visible()

    public = live_goto(browser.new_context(base_url=app_server).new_page())
    public.goto("/apply/msp")
    expect(public.locator(".program-intro strong")).to_have_text("Now")
    expect(public.locator(".program-intro")).to_contain_text("<script>window.__pwned = 1</script>")
    assert public.evaluate("window.__pwned === undefined")
    public.get_by_role("button", name="Send application").click()
    technicians = public.get_by_label("Number of technicians")
    expect(technicians).to_have_attribute("aria-invalid", "true")
    expect(public.locator("#field-x_number_of_technicians-error")).to_have_text("This field is required.")
    public.context.close()

    page.get_by_role("button", name="Remove field Number of technicians").click()
    expect(page.get_by_text("Number of technicians · Text · Required")).to_have_count(0)

    # Two waiting applications rejected at once from the queue.
    page.goto("/recruitment")
    for ref in ("APP-DEMO4SUB", "APP-DEMODSUB"):  # the server holds what is ticked: click, then see it ticked
        page.get_by_label(f"Select {ref}").click()
        expect(page.get_by_label(f"Select {ref}")).to_be_checked()
    bulk = page.get_by_role("form", name="Decide the ticked applications")
    bulk.get_by_label("Decision").select_option("reject")
    bulk.get_by_label("Reason (reject)").select_option("does_not_fit")
    bulk.get_by_role("button", name="Decide ticked").click()
    expect(page.get_by_role("status").filter(has_text="2 applications rejected.")).to_be_visible()
    page.get_by_label("Status").select_option("rejected")
    expect(page.get_by_role("row", name=re.compile("APP-DEMO4SUB"))).to_contain_text("Rejected")
