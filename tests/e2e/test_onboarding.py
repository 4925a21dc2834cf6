"""Onboarding end to end: a partner's checklist ticks "register a first deal" by itself when the deal form is
submitted; a task handed in is sent back with a note (the partner sees it, and a notice), redone and approved, its
stage completes and the portal home moves to the next stage; the board shows the partner in its stage and the
stuck partners highlighted. Axe on every page; the partner's pages at 375 px, the hand-in by keyboard.

Harbor Tech Supply (seeded mid-way through "Enable", in Maya's book) is not used by any other e2e test."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, at, live_goto, log_in, wait_live
from tests.mail.smtp_sink import text_of

PARTNER = "noah.tremblay@harbortech.example"
MANAGER = "maya.cm@vendor.example"
PLAN = "Send us your first-year business plan"
FIRST_DEAL = "Register your first deal"
NOTE = "Please add your revenue targets per quarter."


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(at("/login"))


def _task(page: Page, title: str):
    return page.locator("li.task-item").filter(has_text=title)


def _register_deal(page: Page) -> None:
    token = uuid.uuid4().hex[:6]
    page.goto("/deals/new")
    wait_live(page)
    page.get_by_label("Company name").fill(f"Onboard {token} Ltd")
    page.get_by_label("Website or email domain").fill(f"onboard{token}.com")
    page.get_by_label("Country").select_option("US")
    page.get_by_label("Contact name").fill("Art Vandelay")
    page.get_by_label("Contact email").fill(f"art@onboard{token}.com")
    page.get_by_label(re.compile("^ ?Core Platform")).check()
    page.get_by_label("Estimated value").fill("18,000")
    page.get_by_label("Expected close date").fill((date.today() + timedelta(days=45)).isoformat())
    page.get_by_label("Stage").select_option("Proposal")
    page.get_by_role("button", name="Submit registration").click()
    page.wait_for_url(at(r"/deals/\d+", regex=True))


def test_checklist_ticks_itself_is_sent_back_redone_approved_and_the_board_shows_it(page: Page):
    log_in(page, PARTNER, expect_path="/portal")
    journey = page.locator("#onboarding-journey")
    expect(journey).to_contain_text("Enable: 2 of 3 done")
    expect(page.get_by_role("link", name=PLAN, exact=True)).to_be_visible()  # the next step, linked
    assert_accessible(page)

    page.goto("/portal/onboarding")
    expect(_task(page, FIRST_DEAL).locator(".task-status")).to_have_text("To do")
    assert_accessible(page)
    _register_deal(page)
    page.goto("/portal/onboarding")
    expect(_task(page, FIRST_DEAL).locator(".task-status")).to_have_text("Done")  # ticked by itself

    # the manual task, handed in by keyboard
    button = page.get_by_role("button", name=f"Mark as done: {PLAN}")
    button.focus()
    page.keyboard.press("Enter")
    expect(_task(page, PLAN).locator(".task-status")).to_have_text("Waiting for approval")
    _sign_out(page)

    log_in(page, MANAGER, expect_path="/partners")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Onboarding").click()
    page.wait_for_url(at("/onboarding"))
    enable = page.locator("section").filter(has=page.get_by_role("heading", name="Enable", exact=True))
    expect(enable.get_by_role("row").filter(has_text="Harbor Tech Supply")).to_be_visible()
    stuck = page.locator("tr.board-row.stuck").filter(has_text="Andes Cloud Services")
    expect(stuck).to_be_visible()
    expect(stuck.get_by_text("Stuck")).to_be_visible()
    expect(page.locator("tr.board-row.stuck").filter(has_text="Harbor Tech Supply")).to_have_count(0)
    expect(page.get_by_role("row").filter(has_text=re.compile(r"20\d\d Q[1-4]")).first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Harbor Tech Supply").click()
    page.wait_for_url(at(r"/onboarding/partner/\d+", regex=True))
    expect(page.get_by_role("heading", name="Harbor Tech Supply", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=f"Send back: {PLAN}").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Send back").click()
    expect(dialog.get_by_text("Say what the partner should change.")).to_be_visible()
    dialog.get_by_label("What should the partner change?").fill(NOTE)
    dialog.get_by_role("button", name="Send back").click()
    expect(dialog).to_have_count(0)
    expect(_task(page, PLAN).locator(".task-status")).to_have_text("Action required")
    manager_url = page.url
    _sign_out(page)

    log_in(page, PARTNER, expect_path="/portal")
    expect(page.get_by_text(NOTE).first).to_be_visible()  # the notice on the home
    expect(page.locator("#onboarding-journey")).to_be_visible()
    expect(page.get_by_text("Action required").first).to_be_visible()  # the next step's status
    page.get_by_role("link", name=PLAN, exact=True).click()
    page.wait_for_url(at("/portal/onboarding"))
    expect(_task(page, PLAN)).to_contain_text(f"Sent back: {NOTE}")
    page.get_by_role("button", name=f"Mark as done: {PLAN}").click()
    expect(_task(page, PLAN).locator(".task-status")).to_have_text("Waiting for approval")
    _sign_out(page)

    log_in(page, MANAGER, expect_path="/partners")
    page.goto(manager_url)
    page.get_by_role("button", name=f"Approve: {PLAN}").click()
    expect(_task(page, PLAN).locator(".task-status")).to_have_text("Done")
    _sign_out(page)

    log_in(page, PARTNER, expect_path="/portal")
    expect(page.locator("#onboarding-journey")).to_contain_text("Enable: 3 of 3 done")
    expect(page.get_by_text("You are in the Sell stage.")).to_be_visible()
    expect(page.get_by_role("link", name="Hold a joint pipeline review with your channel manager")).to_be_visible()


def test_the_partners_checklist_at_375_px(mobile_page: Page):
    log_in(mobile_page, PARTNER, expect_path="/portal")
    expect(mobile_page.locator("#onboarding-journey")).to_be_visible()
    assert_accessible(mobile_page)
    mobile_page.goto("/portal/onboarding")
    expect(mobile_page.locator("li.task-item").first).to_be_visible()
    assert_accessible(mobile_page)
    width = mobile_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the checklist scrolls sideways at 375 px ({width} px)"


def test_a_manager_edits_a_template(page: Page):
    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/onboarding/templates")
    expect(page.get_by_role("link", name="Reseller onboarding")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Create template").click()
    expect(page.get_by_text("Enter a name.")).to_be_visible()
    page.get_by_label("Name").fill("Distributor onboarding")
    page.get_by_label("Partner type").select_option("distributor")
    page.get_by_role("button", name="Create template").click()
    page.wait_for_url(at(r"/onboarding/templates/\d+", regex=True))
    expect(page.get_by_role("heading", name="Distributor onboarding", level=1)).to_be_visible()
    page.get_by_label("New stage").fill("Welcome")
    page.get_by_role("button", name="Add stage").click()
    page.get_by_label("New stage").fill("Sell")
    page.get_by_role("button", name="Add stage").click()
    expect(page.get_by_role("heading", name="Sell", level=2)).to_be_visible()
    page.get_by_role("button", name="Move stage up: Sell").click()
    expect(page.locator("section h2").first).to_have_text("Sell")
    sell = page.get_by_role("region", name="Sell")
    sell.get_by_label("New task").fill("Register your first deal")
    sell.get_by_label("Kind").select_option("register_first_deal")
    sell.get_by_role("button", name="Add task to Sell").click()
    expect(sell.get_by_label("Task", exact=True)).to_have_value("Register your first deal")
    assert_accessible(page)


def test_a_colleague_asks_to_join_and_the_partner_admin_lets_them_in(page: Page, browser, app_server, mailbox):
    token = uuid.uuid4().hex[:6]
    newcomer = f"new.{token}@harbortech.example"
    page.goto("/login")  # someone without an account finds the way from the sign-in page
    page.get_by_role("link", name="Ask to join your company's partner team").click()
    page.wait_for_url(at("/request-access"))
    wait_live(page)
    page.get_by_role("button", name="Request access").click()
    expect(page.get_by_text("Enter your name.")).to_be_visible()  # beside the field
    expect(page.get_by_label("Your name")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, phone=True)
    page.get_by_label("Your name").fill("Nia <script>alert(1)</script>")
    page.get_by_label("Work email").fill(newcomer)
    page.get_by_role("button", name="Request access").click()
    answer = page.get_by_role("status")
    expect(answer).to_contain_text("If your email address belongs to one of our partners")
    matched = answer.inner_text()
    page.goto("/request-access")
    page.get_by_label("Your name").fill("Nobody")
    page.get_by_label("Work email").fill(f"nobody.{token}@nowhere.example")
    page.get_by_role("button", name="Request access").click()
    expect(page.get_by_role("status")).to_have_text(matched)  # the same words: nothing says who is a partner

    log_in(page, PARTNER, expect_path="/portal")
    page.goto("/portal/team")
    expect(page.get_by_text("Nia <script>alert(1)</script>", exact=False)).to_be_visible()  # shown as text
    assert_accessible(page)
    page.get_by_role("button", name=f"Approve {newcomer}").click()
    expect(page.get_by_text(f"Invitation emailed to {newcomer}")).to_be_visible()
    mail = mailbox.wait_for_address(newcomer)[-1]
    link = next(word for word in text_of(mail).split() if "/invite/" in word)

    other = browser.new_context(base_url=app_server)
    colleague = live_goto(other.new_page())
    colleague.goto(link)
    expect(colleague.get_by_text("You are joining")).to_contain_text("Harbor Tech Supply")
    colleague.get_by_label("New password").fill("a-good-long-password")
    colleague.get_by_label("Repeat the password").fill("a-good-long-password")
    colleague.get_by_role("button", name="Set password").click()
    expect(colleague.get_by_text("Your password is set.")).to_be_visible()
    other.close()


def test_the_exec_dashboard_shows_the_onboarding_medians(page: Page):
    log_in(page, "erin.exec@vendor.example", expect_path="/dashboards")
    medians = page.get_by_role("region", name=re.compile("Time to onboard and to first deal"))
    row = medians.get_by_role("row", name=re.compile(r"^20\d\d Q[1-4] \d+ \d+ days"))  # quarter, partners, median
    expect(row.first).to_be_visible()
    assert_accessible(page)


def test_a_document_task_takes_a_checked_upload_that_only_the_partner_and_its_manager_read(page: Page, tmp_path):
    log_in(page, "kavya.iyer@deccanres.example", expect_path="/portal")
    page.goto("/portal/onboarding")
    certificate = "Upload your reseller certificate"
    page.get_by_role("button", name=f"Upload document: {certificate}").click()
    dialog = page.get_by_role("dialog")
    fake = tmp_path / "cert.pdf"
    fake.write_text("<html><script>alert(1)</script></html>")
    dialog.locator('input[type="file"]').set_input_files(str(fake))
    dialog.get_by_role("button", name="Send document").click()
    expect(dialog.get_by_text("That file is not a PDF, PNG or JPEG.")).to_be_visible()
    real = tmp_path / "certificate.pdf"
    real.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    dialog.locator('input[type="file"]').set_input_files(str(real))
    dialog.get_by_role("button", name="Send document").click()
    expect(dialog).to_have_count(0)
    task = _task(page, certificate)
    expect(task.locator(".task-status")).to_have_text("Waiting for approval")
    expect(task).to_contain_text("Document: certificate.pdf")
    _sign_out(page)

    log_in(page, "lars.cm@vendor.example", expect_path="/partners")
    page.goto("/onboarding")
    page.get_by_role("link", name="Deccan Resellers").click()
    page.wait_for_url(at(r"/onboarding/partner/\d+", regex=True))
    href = _task(page, certificate).get_by_role("link", name="Download document").get_attribute("href") or ""
    answer = page.request.get(href)
    assert answer.status == 200 and answer.body() == real.read_bytes()
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith("attachment")
    assert answer.headers["x-content-type-options"] == "nosniff"
    _sign_out(page)

    log_in(page, "dana.price@northwind-dist.example", expect_path="/portal")  # another partner: not found
    assert page.request.get(href).status == 404
