"""Event emails and notification settings end to end (#11), with the app's real job runner and this run's SMTP
server (aiosmtpd): a partner turns one event's email off on the settings page (keyboard only, 375 px, axe) and gets
that event in the app only while a colleague gets it by email, with an absolute link that opens the record; a lead
offer and its reminder (the periodic job's use case, run at a moment just before the deadline) arrive by email; and
a notice opened from the portal home is read (the bell goes back to 0).

Registrations and lead offers are written straight to the app's database by the use cases the pages call, as in
test_notifications.py; every setting, decision and click this file is about goes through the browser.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from playwright.sync_api import Page, expect

from tests.e2e.conftest import BASE_URL, assert_accessible, at, log_in, send_job
from tests.e2e.test_notifications import _bell, _catch_up, _counts, _offer_lead, _register, _sign_out
from tests.mail.smtp_sink import Sink, text_of

READER = "jake.morris@cobaltsys.example"  # Cobalt Systems VAR, partner user: email defaults
CHOOSER = "ken.ito@cobaltsys.example"  # the same organization: turns "registration approved" emails off
MANAGER = "maya.cm@vendor.example"
APPROVED = "A registration is approved"
PERIODIC_SEND = 120.0  # mail queued outside the server, if the job sent for it were lost: the once-a-minute run


def _mails_about(mailbox: Sink, address: str, words: str) -> list:
    return [m for m in mailbox.for_address(address) if words in str(m["Subject"])]


def _wait_for_mail(mailbox: Sink, address: str, words: str, timeout: float) -> object:
    import time

    deadline = time.monotonic() + timeout
    while not _mails_about(mailbox, address, words):
        assert time.monotonic() < deadline, f"no mail about {words!r} reached {address} in {timeout} s"
        time.sleep(0.2)
    return _mails_about(mailbox, address, words)[0]


def _link_in(mail, path_start: str) -> str:
    return next(w for w in text_of(mail).split() if w.startswith(f"{BASE_URL}{path_start}"))


def test_settings_page_by_keyboard_at_375px_then_one_colleague_is_emailed_and_the_other_is_not(
    mobile_page: Page, page: Page, app_db, mailbox: Sink
):
    phone = mobile_page
    log_in(phone, CHOOSER, expect_path="/portal")
    phone.goto("/portal/notifications")
    phone.get_by_role("link", name="Email settings").focus()
    phone.keyboard.press("Enter")
    phone.wait_for_url(at("/account/notifications"))
    expect(phone.get_by_role("heading", name="Notification settings", level=1)).to_be_visible()
    form = phone.get_by_role("form", name="Notification settings")
    approved = form.get_by_role("checkbox", name=APPROVED)
    expect(approved).to_be_checked()  # on by default
    expect(form.get_by_role("checkbox", name="A registration's protection has ended")).not_to_be_checked()
    assert_accessible(phone)
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"the settings page scrolls sideways at 375 px ({width} px wide)"

    approved.focus()
    phone.keyboard.press("Space")
    expect(approved).not_to_be_checked()
    save = form.get_by_role("button", name="Save notification settings")
    save.focus()
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("status").filter(has_text="Saved: ")).to_contain_text("events by email")
    phone.reload()
    expect(
        phone.get_by_role("form", name="Notification settings").get_by_role("checkbox", name=APPROVED)
    ).not_to_be_checked()

    # The manager approves a Cobalt registration in the review page.
    token = uuid.uuid4().hex[:6]
    company = f"Mailco {token} Labs"
    deal_id = _register(app_db, company, f"mailco{token}.com")
    log_in(page, MANAGER, expect_path="/partners")
    page.goto(f"/registrations/{deal_id}")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_text("Protected until").first).to_be_visible()
    _sign_out(page)

    # The colleague with the defaults gets it by email, plain text and HTML, with an absolute link to the record.
    mail = _wait_for_mail(mailbox, READER, company, timeout=60)
    # A long subject is folded onto the next header line: a reader unfolds it (and trims the leading space).
    assert str(mail["Subject"]).strip().startswith(f"Registration for {company} approved")
    link = _link_in(mail, "/deals/")
    assert link == f"{BASE_URL}/deals/{deal_id}"
    assert f'href="{link}"' in text_of(mail, "html")
    assert f"{BASE_URL}/account/notifications" in text_of(mail)
    # Sent in the same run as the reader's: the chooser got none, and has it in the app all the same.
    assert _mails_about(mailbox, CHOOSER, company) == []
    phone.goto("/portal/notifications")
    expect(phone.get_by_role("listitem").filter(has_text=company)).to_contain_text("approved")

    # The emailed link opens the registration for a signed-in partner.
    log_in(page, READER, expect_path="/portal")
    page.goto(link)
    page.wait_for_url(at(f"/deals/{deal_id}"))
    expect(page.get_by_role("heading", name=company)).to_be_visible()


def test_a_lead_offer_and_its_reminder_are_emailed_and_a_notice_opened_from_home_is_read(
    page: Page, app_db, mailbox, monkeypatch
):
    import dataclasses

    from sqlmodel import func, select

    from prm_app.leads import Lead, remind_expiring_offers
    from prm_app.notifications import emails
    from prm_app.notifications.models import Notification
    from prm_app.runtime.jobs import send_mail_job

    # The offer and the reminder are written from this process: it renders their links as the server would.
    monkeypatch.setattr(emails, "settings", dataclasses.replace(emails.settings, app_origin=BASE_URL))

    log_in(page, READER, expect_path="/portal")
    _catch_up(page)
    company = f"Remindco {uuid.uuid4().hex[:6]} Health"
    lead_id = _offer_lead(app_db, company)
    send_job(send_mail_job)  # written from this process: the server's consumer sends it now

    # Offered: by email to each of Cobalt's people (defaults on), linking to the lead.
    offered = _wait_for_mail(mailbox, CHOOSER, f"New lead: {company}", timeout=PERIODIC_SEND)
    assert _link_in(offered, "/leads/") == f"{BASE_URL}/leads/{lead_id}"

    # The reminder job's run an hour before the deadline (the demo's own offers may be reminded too), run twice:
    # this offer gets one reminder.
    with app_db() as session:
        deadline = session.get(Lead, lead_id).accept_deadline
        assert remind_expiring_offers(session, now=deadline - timedelta(hours=1)).reminded >= 1
        session.commit()
        remind_expiring_offers(session, now=deadline - timedelta(minutes=55))
        session.commit()
        reminders = select(func.count()).where(
            Notification.kind == "lead_offer_expiring", Notification.subject_id == lead_id
        )
        assert session.exec(reminders).one() == 1
    send_job(send_mail_job)
    reminder = _wait_for_mail(mailbox, READER, f"Lead {company} is still waiting", timeout=PERIODIC_SEND)
    assert "then it moves on to another partner" in text_of(reminder)
    assert _link_in(reminder, "/leads/") == f"{BASE_URL}/leads/{lead_id}"
    assert len(_mails_about(mailbox, READER, f"Lead {company} is still waiting")) == 1

    # On the portal home, opening the reminder's notice (keyboard) reads it: the bell counts one fewer.
    unread = _counts(app_db, READER)[0]
    assert unread >= 2  # the offer and its reminder at least
    page.goto("/portal")
    expect(_bell(page, unread)).to_be_visible()
    notices = page.get_by_role("listitem").filter(has_text=company)
    expect(notices).to_have_count(2)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(f"^Lead {company} is still waiting")).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(at(f"/leads/{lead_id}"))
    expect(_bell(page, unread - 1)).to_be_visible()
    page.goto("/portal/notifications")
    item = page.get_by_role("listitem").filter(has_text=f"Lead {company} is still waiting")
    expect(item.get_by_text("Read", exact=True)).to_be_visible()
