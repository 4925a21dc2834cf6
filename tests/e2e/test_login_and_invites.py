"""Sign-in errors, the soft lockout, and the invite → set password → sign in → deactivate cycle."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, at, live_goto, log_in, unique_email


def test_wrong_password_shows_error_and_keeps_email(page: Page):
    log_in(page, "omar.haddad@northwind-dist.example", "not-the-password")
    expect(page.get_by_role("alert").filter(has_text="Wrong email or password.")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("omar.haddad@northwind-dist.example")
    expect(page).to_have_url(at("/login"))
    assert_accessible(page)


def test_unknown_email_gets_the_same_message(page: Page):
    log_in(page, "nobody@nowhere.example", "whatever-password")
    expect(page.get_by_role("alert").filter(has_text="Wrong email or password.")).to_be_visible()


def test_lockout_is_a_growing_wait_that_the_owner_outlasts(page: Page):
    """Three wrong passwords are free; then each try must wait twice as long (2 s, 4 s, ...), even with the right
    password; once the wait is over the owner gets in. (It used to lock the email for 15 minutes after five
    failures, which let anyone who knew an address keep its owner out: issue #9, item 5.)"""
    email = "youssef.amrani@saharadigital.example"
    password = page.get_by_label("Password")
    sign_in = page.get_by_role("button", name="Sign in")
    log_in(page, email, "wrong-password-123")
    expected = ["Wrong email or password."] * 2 + ["Wrong email or password. Try again in 2 seconds."]
    for attempt, message in enumerate(expected, start=1):
        if attempt > 1:
            password.fill("wrong-password-123")
            sign_in.click()
        expect(page.get_by_role("alert").filter(has_text=message)).to_be_visible()
        expect(password).to_have_value("")

    page.wait_for_timeout(2_500)  # the 2 s are over: the next try is judged, fails, and doubles the wait
    password.fill("wrong-password-123")
    sign_in.click()
    expect(page.get_by_role("alert").filter(has_text="Try again in 4 seconds.")).to_be_visible()
    # Even the right password is refused while the wait runs...
    password.fill("demo-partner-2026")
    sign_in.click()
    expect(page.get_by_role("alert").filter(has_text="Too many failed sign-in attempts. Try again in")).to_be_visible()
    expect(page).to_have_url(at("/login"))
    assert_accessible(page)
    # ...and accepted once it is over.
    page.wait_for_timeout(4_500)
    password.fill("demo-partner-2026")
    sign_in.click()
    page.wait_for_url(at("/portal"))


def test_invite_set_password_sign_in_and_deactivate(page: Page, browser, app_server):
    log_in(page, "priya.shah@cobaltsys.example", expect_path="/portal")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
    page.wait_for_url(at("/portal/team"))
    email = unique_email("colleague")

    # Bad input first: message next to the field, what was typed stays.
    page.get_by_label("Full name").fill("Casey Jones")
    page.get_by_label("Work email").fill("not-an-email")
    page.get_by_role("button", name="Create invitation").click()
    expect(page.get_by_text("Enter a valid email address")).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_value("Casey Jones")

    page.get_by_label("Work email").fill(email)
    page.get_by_role("button", name="Create invitation").click()
    link = page.get_by_label("Invitation link")
    expect(link).to_have_value(re.compile(r"/invite/[\w-]{40,}$"))
    invite_url = link.input_value()
    expect(page.get_by_text(email).first).to_be_visible()
    assert_accessible(page)

    # The colleague, in a separate browser, sets a password.
    other = browser.new_context(base_url=app_server)
    colleague = live_goto(other.new_page())
    colleague.goto(invite_url)
    expect(colleague.get_by_text("You are joining")).to_contain_text("Cobalt Systems VAR")
    colleague.get_by_label("New password").fill("short")
    colleague.get_by_label("Repeat the password").fill("short")
    colleague.get_by_role("button", name="Set password").click()
    expect(colleague.get_by_text("Use at least 10 characters.")).to_be_visible()
    colleague.get_by_label("New password").fill("demo-partner-2026")  # published with the demo: refused
    colleague.get_by_label("Repeat the password").fill("demo-partner-2026")
    colleague.get_by_role("button", name="Set password").click()
    expect(colleague.get_by_text("This password is published with the demo.")).to_be_visible()
    colleague.get_by_label("New password").fill("a-good-long-password")
    colleague.get_by_label("Repeat the password").fill("a-good-long-password")
    colleague.get_by_role("button", name="Set password").click()
    expect(colleague.get_by_text("Your password is set.")).to_be_visible()
    assert_accessible(colleague)
    # "Go to sign in" is one link drawn as a button: one element, one Tab stop (no button inside a link).
    go = colleague.get_by_role("link", name="Go to sign in")
    expect(go).to_have_count(1)
    expect(colleague.get_by_role("button", name="Go to sign in")).to_have_count(0)
    expect(go.locator("button, a")).to_have_count(0)
    go.focus()
    colleague.keyboard.press("Tab")  # one step leaves it (a button inside the link took a second stop)
    focused = "(document.activeElement.closest('a, button') || {textContent: ''}).textContent"
    assert "Go to sign in" not in colleague.evaluate(focused)
    go.focus()
    colleague.keyboard.press("Enter")
    colleague.wait_for_url(at("/login"))

    # The link is single-use.
    colleague.goto(invite_url)
    expect(colleague.get_by_text("already been used")).to_be_visible()

    log_in(colleague, email, "a-good-long-password", expect_path="/portal")
    expect(colleague.get_by_role("heading", name="Cobalt Systems VAR")).to_be_visible()

    # The admin deactivates the colleague: the colleague's session ends at once.
    page.reload()
    page.get_by_role("button", name="Deactivate Casey Jones").click()
    dialog = page.get_by_role("alertdialog", name="Deactivate Casey Jones?")
    expect(dialog).to_contain_text("signed out everywhere at once")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    dialog.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_text("Deactivated").first).to_be_visible()
    colleague.goto(colleague.url.replace("/portal", "/portal/team"))
    colleague.wait_for_url(at("/login"))
    log_in(colleague, email, "a-good-long-password")
    expect(colleague.get_by_role("alert").filter(has_text="Wrong email or password.")).to_be_visible()
    other.close()


def test_the_demo_says_demo_mode_before_and_after_sign_in(page: Page):
    log_in(page, "omar.haddad@northwind-dist.example", "not-the-password")
    expect(page.get_by_text("Demo mode")).to_be_visible()

    page.get_by_label("Password").fill("demo-partner-2026")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(at("/portal"))
    expect(page.get_by_role("banner").get_by_text("Demo mode")).to_be_visible()
    assert_accessible(page)


def test_revoking_an_invitation_asks_first_and_the_link_then_fails(page: Page):
    log_in(page, "priya.shah@cobaltsys.example", expect_path="/portal")
    page.goto("/portal/team")
    email = unique_email("revoked")
    page.get_by_label("Full name").fill("Robin Revoke")
    page.get_by_label("Work email").fill(email)
    page.get_by_role("button", name="Create invitation").click()
    invite_url = page.get_by_label("Invitation link").input_value()
    revoke = page.get_by_role("button", name=f"Revoke invitation for {email}")

    revoke.click()
    dialog = page.get_by_role("alertdialog", name=f"Revoke the invitation for {email}?")
    expect(dialog).to_contain_text("The link they were sent stops working.")
    dialog.get_by_role("button", name="Cancel").click()
    expect(revoke).to_be_visible()  # Cancel kept it
    revoke.click()
    dialog.get_by_role("button", name="Revoke invitation").click()
    expect(revoke).to_have_count(0)
    page.goto(invite_url)
    expect(page.get_by_text("Invitation not found.")).to_be_visible()
