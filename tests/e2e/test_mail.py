"""Mail for real: an invitation is emailed through the SMTP server of this run (aiosmtpd) by the job runner, and
the administrator's Outbox lists it, opens it and shows it sent; other people of the console cannot read it."""

from __future__ import annotations

import re
import time

import httpx
from playwright.sync_api import Page, expect
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.conftest import assert_accessible, at, log_in, unique_email
from tests.mail.smtp_sink import Sink, text_of

PARTNER_ADMIN = "priya.shah@cobaltsys.example"
ADMIN = "admin@vendor.example"


def invite(page: Page, mailbox: Sink, name: str) -> tuple[str, str]:
    """As the partner admin on `page`: invite `name` by a new address; returns (address, link from the mail)."""
    email = unique_email("mailed")
    page.goto("/portal/team")
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Work email").fill(email)
    page.get_by_role("button", name="Create invitation").click()
    expect(page.get_by_text(f"Invitation emailed to {email}.")).to_be_visible()
    shown = page.get_by_label("Invitation link").input_value()
    mailbox.wait_for_address(email)
    (mail,) = mailbox.for_address(email)
    link = next(word for word in text_of(mail).split() if "/invite/" in word)
    assert link == shown  # the same link as the one the admin may copy
    return email, link


def test_an_invitation_arrives_by_mail_and_the_outbox_shows_it_sent(page: Page, mailbox: Sink, browser, app_server):
    log_in(page, PARTNER_ADMIN, expect_path="/portal")
    email, link = invite(page, mailbox, "Morgan <Mailed>")
    (mail,) = mailbox.for_address(email)
    assert mail["Subject"] == "Priya Shah invited you to Cobalt Systems VAR on Open PRM"
    assert "Morgan &lt;Mailed&gt;" in text_of(mail, "html")
    assert_accessible(page)

    # Resending mails a new link; the first one stops working.
    page.get_by_role("button", name=f"Resend invitation to {email}").click()
    expect(page.get_by_text(f"Invitation emailed again to {email}")).to_be_visible()
    mailbox.wait_for_address(email, count=2)
    second = next(word for word in text_of(mailbox.for_address(email)[-1]).split() if "/invite/" in word)
    assert second != link
    other = browser.new_context(base_url=app_server)
    invited = other.new_page()
    invited.goto(link)
    expect(invited.get_by_text("Invitation not found.")).to_be_visible()
    invited.goto(second)
    expect(invited.get_by_text("You are joining")).to_contain_text("Cobalt Systems VAR")
    other.close()

    # The administrator reads it in the Outbox, sent.
    admin = browser.new_context(base_url=app_server, viewport={"width": 1280, "height": 900})
    console = admin.new_page()
    log_in(console, ADMIN, expect_path="/partners")
    console.get_by_role("navigation", name="Main").get_by_role("link", name="Outbox").click()
    console.wait_for_url(at("/outbox"))
    row = console.get_by_role("row").filter(has_text=email).first
    expect(row).to_contain_text("Sent")
    expect(row).to_contain_text("invitation")
    row.get_by_role("button", name=re.compile("^Read ")).click()
    reader = console.get_by_role("region", name="Open message")
    expect(reader).to_contain_text("Morgan <Mailed>")
    expect(reader).to_contain_text(second)
    assert_accessible(console)
    console.get_by_label("Show").select_option("failed")
    expect(console.get_by_role("row").filter(has_text=email)).to_have_count(0)
    admin.close()


def test_the_outbox_backlog_is_a_metric_that_empties_as_mail_goes_out(app_server: str):
    def backlog() -> float:
        answer = httpx.get(f"{app_server}/metrics", headers={"Authorization": "Bearer e2e-metrics-token"}, timeout=10)
        assert answer.status_code == 200
        return next(
            sample.value
            for family in text_string_to_metric_families(answer.text)
            for sample in family.samples
            if sample.name == "prm_mail_outbox_backlog"
        )

    deadline = time.monotonic() + 60
    while backlog() != 0:  # every message so far went to this run's SMTP server
        assert time.monotonic() < deadline, "the outbox did not empty"
        time.sleep(1)


def test_only_administrators_read_the_outbox(page: Page):
    log_in(page, "maya.cm@vendor.example", expect_path="/partners")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Partners")).to_be_visible()
    expect(nav.get_by_role("link", name="Outbox")).to_have_count(0)  # not offered to those who cannot open it
    page.goto("/outbox")
    expect(page.get_by_text("Only administrators read the outbox.")).to_be_visible()
    expect(page.get_by_role("region", name="Messages")).to_have_count(0)
    assert_accessible(page)
