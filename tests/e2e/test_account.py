"""Account self-service in Chromium: forgot password (the link arrives by mail, works once), changing one's
password (other sessions end), one's own title and phone, and signing in from a deep link returning to it. Forms
at 375 px, axe on each."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import BASE_URL, assert_accessible, at, log_in, wait_live
from tests.e2e.test_mail import PARTNER_ADMIN, invite
from tests.mail.smtp_sink import Sink, text_of

FIRST = "first-password-2026"


def fresh_account(browser: Browser, app_server: str, mailbox: Sink, name: str) -> str:
    """A partner user of Cobalt Systems VAR nobody else's test signs in as (invited, password FIRST); its email."""
    context = browser.new_context(base_url=app_server)
    page = context.new_page()
    log_in(page, PARTNER_ADMIN, expect_path="/portal")
    email, link = invite(page, mailbox, name)
    page.goto(link)
    wait_live(page)
    page.get_by_label("New password").fill(FIRST)
    page.get_by_label("Repeat the password").fill(FIRST)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_text("Your password is set.")).to_be_visible()
    context.close()
    return email


def test_forgot_password_by_mail_on_a_phone(mobile_page: Page, browser: Browser, app_server: str, mailbox: Sink):
    page = mobile_page
    email = fresh_account(browser, app_server, mailbox, "Riley Reset")
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.wait_for_url(at("/forgot-password"))
    wait_live(page)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_text("Enter the email address you sign in with.").last).to_be_visible()
    assert_accessible(page)

    # An address without an account gets the same answer, and no mail.
    page.get_by_label("Email").fill("nobody-here@cobaltsys.example")
    page.get_by_role("button", name="Email me a link").click()
    answer = "If an account exists for that address, we've emailed a link"
    expect(page.get_by_role("status")).to_contain_text(answer)
    page.goto("/forgot-password")
    page.get_by_label("Email").fill(email.upper())
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("status")).to_contain_text(answer)
    assert_accessible(page)

    mail = mailbox.wait_for_address(email, count=2)[-1]  # after the invitation
    assert mail["Subject"] == "Reset your Open PRM password"
    link = next(word for word in text_of(mail).split() if "/reset-password/" in word)
    assert link.startswith(f"{BASE_URL}/reset-password/")
    assert mailbox.for_address("nobody-here@cobaltsys.example") == []

    page.goto(link)
    expect(page.get_by_text(email)).to_be_visible()
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Repeat the password").fill("short")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("Use at least 10 characters.")).to_be_visible()
    expect(page.get_by_label("New password", exact=True)).to_have_value("short")  # what was typed stays
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("second-password-2026")
    page.get_by_label("Repeat the password").fill("second-password-2026")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("Your new password is set.")).to_be_visible()

    page.goto(link)  # single use
    expect(page.get_by_text("This link has already been used.")).to_be_visible()
    assert_accessible(page)

    log_in(page, email, FIRST)
    expect(page.get_by_role("alert").filter(has_text="Wrong email or password.")).to_be_visible()
    page.get_by_label("Password").fill("second-password-2026")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(at("/portal"))


def test_a_deep_link_returns_there_after_sign_in_and_only_to_this_site(page: Page):
    page.goto("/portal/team")
    page.wait_for_url(at(r"/login/?\?next=/portal/team", regex=True))
    wait_live(page)
    page.get_by_label("Email").fill(PARTNER_ADMIN)
    page.get_by_label("Password").fill("demo-partner-2026")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(at("/portal/team"))
    expect(page.get_by_role("heading", name="Team", level=1)).to_be_visible()
    assert_accessible(page)

    # A wrong password keeps the way back; then the right one still returns there.
    other = page.context.browser.new_context(base_url=BASE_URL)  # type: ignore[union-attr]
    fresh = other.new_page()
    fresh.goto("/login?next=/deals")
    wait_live(fresh)
    fresh.get_by_label("Email").fill(PARTNER_ADMIN)
    fresh.get_by_label("Password").fill("not-the-password")
    fresh.get_by_role("button", name="Sign in").click()
    expect(fresh.get_by_role("alert").filter(has_text="Wrong email or password.")).to_be_visible()
    expect(fresh).to_have_url(at(r"/login/?\?next=/deals", regex=True))
    fresh.get_by_label("Password").fill("demo-partner-2026")
    fresh.get_by_role("button", name="Sign in").click()
    fresh.wait_for_url(at("/deals"))
    other.close()

    # Another site is never a destination: the sign-in lands at home instead.
    for hostile in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        context = page.context.browser.new_context(base_url=BASE_URL)  # type: ignore[union-attr]
        p = context.new_page()
        p.goto(f"/login?next={hostile}")
        wait_live(p)
        p.get_by_label("Email").fill(PARTNER_ADMIN)
        p.get_by_label("Password").fill("demo-partner-2026")
        p.get_by_role("button", name="Sign in").click()
        p.wait_for_url(at("/portal"))
        context.close()


def test_changing_ones_password_ends_the_other_sessions(mobile_page: Page, browser: Browser, app_server, mailbox):
    email = fresh_account(browser, app_server, mailbox, "Casey Change")
    elsewhere_context = browser.new_context(base_url=app_server)
    elsewhere = elsewhere_context.new_page()
    log_in(elsewhere, email, FIRST, expect_path="/portal")

    page = mobile_page
    log_in(page, email, FIRST, expect_path="/portal")
    page.goto("/account")
    expect(page.get_by_label("Full name")).to_have_value("Casey Change")
    page.get_by_label("Current password").fill("not-my-password")
    page.get_by_label("New password", exact=True).fill("changed-password-2026")
    page.get_by_label("Repeat the new password").fill("changed-password-2026")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("That is not your current password.")).to_be_visible()
    expect(page.get_by_label("New password", exact=True)).to_have_value("changed-password-2026")
    assert_accessible(page)

    page.get_by_label("Current password").fill(FIRST)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password is changed.")).to_be_visible()
    expect(page.get_by_label("Current password")).to_have_value("")

    # This browser stays signed in; the other one is out.
    page.goto("/portal/team")
    page.wait_for_url(at("/portal/team"))
    elsewhere.goto("/portal/team")
    elsewhere.wait_for_url(at(r"/login/?\?next=/portal/team", regex=True))
    log_in(elsewhere, email, FIRST)
    expect(elsewhere.get_by_role("alert").filter(has_text="Wrong email or password.")).to_be_visible()
    log_in(elsewhere, email, "changed-password-2026", expect_path="/portal")
    elsewhere_context.close()

    # The name, too.
    page.goto("/account")
    page.get_by_label("Full name").fill("Casey Changed")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text("Casey Changed")


def test_editing_ones_title_and_phone_by_keyboard_on_a_phone(mobile_page: Page, browser, app_server, mailbox):
    email = fresh_account(browser, app_server, mailbox, "Pat Profile")
    page = mobile_page
    log_in(page, email, FIRST, expect_path="/portal")
    page.goto("/account")
    wait_live(page)
    expect(page.get_by_label("Full name")).to_have_value("Pat Profile")
    expect(page.get_by_label("Job title")).to_have_value("")
    expect(page.get_by_label("Phone")).to_have_value("")
    assert_accessible(page)

    # Keyboard only: from the name, Tab to the title and the phone, Enter submits.
    page.get_by_label("Full name").focus()
    page.keyboard.press("Tab")
    page.keyboard.type("Alliances lead")
    page.keyboard.press("Tab")
    page.keyboard.type("call me on 555")
    page.keyboard.press("Enter")
    phone_error = page.locator("#field-phone-error")
    expect(phone_error).to_contain_text("Enter a phone number of 6 to 30 digits")
    expect(page.get_by_label("Phone")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Phone")).to_have_value("call me on 555")  # what was typed stays
    expect(page.get_by_label("Job title")).to_have_value("Alliances lead")
    expect(page.locator("#field-title-error")).to_have_text("")
    assert_accessible(page)

    page.get_by_label("Phone").focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("+1 (415)  555-0100")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(phone_error).to_have_text("")
    expect(page.get_by_label("Phone")).to_have_value("+1 (415) 555-0100")  # as stored: spaces tidied

    page.reload()
    wait_live(page)
    expect(page.get_by_label("Job title")).to_have_value("Alliances lead")
    expect(page.get_by_label("Phone")).to_have_value("+1 (415) 555-0100")
    expect(page.get_by_label("Full name")).to_have_value("Pat Profile")


def test_where_you_are_signed_in_and_signing_the_others_out(page: Page, browser: Browser, app_server: str):
    who = "jonas.weber@meridian-ig.example"
    phone_context = browser.new_context(
        base_url=app_server,
        user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1",
    )
    phone = phone_context.new_page()
    log_in(phone, who, expect_path="/portal")
    log_in(page, who, expect_path="/portal")

    page.get_by_role("banner").get_by_role("link", name="Your account: Jonas Weber").click()
    page.wait_for_url(at("/account"))  # (the pointer stays on the link: axe below judges it hovered)
    listed = page.get_by_role("region", name="Your signed-in browsers")
    expect(listed.get_by_role("row").filter(has_text="This browser")).to_have_count(1)
    expect(listed.get_by_role("row").filter(has_text="Safari on iPhone")).to_have_count(1)
    assert_accessible(page)

    listed.get_by_role("button", name=re.compile("^Sign out Safari on iPhone")).click()
    expect(page.get_by_text("That browser is signed out.")).to_be_visible()
    expect(listed.get_by_role("row").filter(has_text="Safari on iPhone")).to_have_count(0)
    phone.goto("/portal/team")
    phone.wait_for_url(at(r"/login/?\?next=/portal/team", regex=True))

    log_in(phone, who, expect_path="/portal")  # back on the phone: then out of everything but this browser
    page.reload()
    wait_live(page)
    expect(listed.get_by_role("row").filter(has_text="Safari on iPhone")).to_have_count(1)
    others = listed.locator("tbody tr").count() - 1  # other tests may have left this person signed in elsewhere too
    page.get_by_role("button", name="Sign out everywhere else").click()
    expect(page.get_by_text(f"Signed out of {others} other browser{'s' if others != 1 else ''}.")).to_be_visible()
    expect(page.get_by_text("You are signed in on this browser only.")).to_be_visible()
    phone.goto("/portal")
    phone.wait_for_url(at(r"/login/?\?next=/portal", regex=True))
    page.goto("/portal/team")
    page.wait_for_url(at("/portal/team"))  # this browser is still in
    phone_context.close()
