"""The pages of people who are not signed in, and the emails, in the person's language (#18), in Chromium.

A browser asking for German (Accept-Language: de-DE) at 375 px sees the sign-in page in German, by keyboard: an
empty try says what is missing beside each field, a wrong password is refused in German and the typed address is
kept; the forgot-password page, a dead reset link and a dead invitation link answer in German too. axe on each.

Emails follow the recipient's own setting, not the browser that caused them: two new Cobalt Systems partner users,
one who reads German and one who reads English, get a registration's approval (decided by the manager in the
review page) each in their language, the German one with German days and money; a password reset asked for each
of them from the German phone gets the German person a German email and the English person an English one; the
German link opens a German reset page whose refusal of a short password is German, then the password is set.
"""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import (
    BASE_URL,
    DEMO_PASSWORD,
    PHONE,
    actor_of,
    assert_accessible,
    at,
    live_goto,
    log_in,
    register_as,
    wait_live,
)
from tests.mail.smtp_sink import Sink, text_of

COBALT = "jake.morris@cobaltsys.example"  # Cobalt Systems VAR, partner user (registers the deal)
MANAGER = "maya.cm@vendor.example"  # Cobalt's channel manager (approves it)
GERMAN_MONEY = r"\d{1,3}(\.\d{3})*,\d{2}\s\$"  # 12.000,00 $ (a no-break space before the sign)
GERMAN_MOMENT = (  # 31. März 2028, 14:05 CET
    r"\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}, "
    r"\d{2}:\d{2} [A-Z]+"
)


def _german_phone(browser: Browser, app_server: str) -> BrowserContext:
    context = browser.new_context(
        base_url=app_server, viewport=PHONE, is_mobile=True, reduced_motion="reduce", locale="de-DE"
    )
    context.set_default_timeout(15_000)
    return context


def _new_cobalt_person(app_db, language: str) -> str:
    """A new Cobalt partner user who reads `language` (small and uniquely named: the suite's data stays as it was)."""
    from prm_app.identity import User
    from prm_app.platform.security import hash_password

    email = f"lang.{language}.{uuid.uuid4().hex[:8]}@cobaltsys.example"
    with app_db() as session:
        org_id = actor_of(session, COBALT).organization_id
        name = "Greta Berger" if language == "de" else "Emma Baker"
        session.add(
            User(email=email, full_name=name, password_hash=hash_password(DEMO_PASSWORD), role="partner_user",
                 organization_id=org_id, language=language, time_zone="Europe/Berlin")
        )  # fmt: skip
        session.commit()
    return email


def _wait_for_mail(mailbox: Sink, address: str, words: str, timeout: float = 60) -> object:
    import time

    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in mailbox.for_address(address) if words in str(m["Subject"])]
        if found:
            return found[0]
        assert time.monotonic() < deadline, f"no mail about {words!r} reached {address} in {timeout} s"
        time.sleep(0.2)


def _press(page: Page, name: str) -> None:
    button = page.get_by_role("button", name=name)
    button.focus()
    page.keyboard.press("Enter")


def test_a_german_browser_signs_in_in_german_and_its_refusals_are_german(browser: Browser, app_server):
    context = _german_phone(browser, app_server)
    try:
        page = live_goto(context.new_page())
        page.goto("/login")
        expect(page.get_by_role("heading", name="Anmelden", level=1)).to_be_visible()
        expect(page.get_by_role("link", name="Passwort vergessen?")).to_be_visible()
        expect(page.get_by_label("Angemeldet bleiben")).not_to_be_checked()
        assert_accessible(page, phone=True)

        # An empty try: what is missing, beside each field, in German.
        page.get_by_label("E-Mail").focus()
        page.keyboard.press("Enter")
        page.wait_for_url(at("/login"))
        wait_live(page)
        expect(page.locator("#field-email-error")).to_have_text("Geben Sie Ihre E-Mail-Adresse ein.")
        expect(page.locator("#field-password-error")).to_have_text("Geben Sie Ihr Passwort ein.")

        # A wrong password: refused in German; the typed address stays.
        address = f"niemand.{uuid.uuid4().hex[:8]}@example.com"
        page.get_by_label("E-Mail").fill(address)
        page.get_by_label("Passwort", exact=True).fill("falsches-passwort")
        page.keyboard.press("Enter")
        page.wait_for_url(at("/login"))
        wait_live(page)
        expect(page.get_by_role("alert").filter(has_text="E-Mail-Adresse oder Passwort ist falsch.")).to_be_visible()
        expect(page.get_by_label("E-Mail")).to_have_value(address)
        assert_accessible(page, phone=True)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375, f"the sign-in page scrolls sideways at 375 px ({width} px wide)"

        # Forgot password, in German: an empty address is refused beside the field, then the one answer.
        page.get_by_role("link", name="Passwort vergessen?").click()
        page.wait_for_url(at("/forgot-password"))
        wait_live(page)
        expect(page.get_by_role("heading", name="Passwort vergessen?", level=1)).to_be_visible()
        _press(page, "Link per E-Mail senden")
        expect(page.locator("#field-email-error")).to_have_text(
            "Geben Sie die E-Mail-Adresse ein, mit der Sie sich anmelden."
        )
        assert_accessible(page, phone=True)

        # A dead reset link and a dead invitation link say so in German.
        page.goto("/reset-password/" + "x" * 43)
        expect(page.get_by_role("heading", name="Neues Passwort wählen", level=1)).to_be_visible()
        expect(page.get_by_role("alert").filter(has_text="Dieser Link ist ungültig.")).to_have_text(
            "Dieser Link ist ungültig. Fordern Sie einen neuen an."
        )
        expect(page.get_by_role("link", name="Einen neuen Link anfordern")).to_be_visible()
        assert_accessible(page, phone=True)
        page.goto("/invite/" + "x" * 43)
        expect(page.get_by_role("heading", name="Ihre Einladung annehmen", level=1)).to_be_visible()
        expect(page.get_by_role("alert").filter(has_text="Einladung")).to_have_text("Einladung nicht gefunden.")
        assert_accessible(page, phone=True)
    finally:
        context.close()


def test_each_person_gets_emails_in_their_own_language(browser: Browser, app_server, page: Page, app_db, mailbox):
    german, english = _new_cobalt_person(app_db, "de"), _new_cobalt_person(app_db, "en")

    # A notice: the manager approves a Cobalt registration in the review page (English: the manager's language).
    token = uuid.uuid4().hex[:6]
    company = f"Sprachco {token} GmbH"
    deal_id = register_as(app_db, COBALT, company, f"sprachco{token}.de")
    log_in(page, MANAGER, expect_path="/partners")
    page.goto(f"/registrations/{deal_id}")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_text("Protected until").first).to_be_visible()

    in_german = _wait_for_mail(mailbox, german, f"Registrierung für {company} genehmigt")
    body = text_of(in_german)
    assert body.startswith("Hallo Greta Berger,")
    assert re.search(rf"geschützt bis {GERMAN_MOMENT}\. Registrierter Wert: {GERMAN_MONEY}\.", body), body
    assert re.search(rf"In Open PRM öffnen:\s+{re.escape(BASE_URL)}/deals/{deal_id}\s", body), body
    assert f'href="{BASE_URL}/deals/{deal_id}"' in text_of(in_german, "html")
    in_english = _wait_for_mail(mailbox, english, f"Registration for {company} approved")
    assert "Hello Emma Baker," in text_of(in_english) and "Registered value: 12,000.00 USD." in text_of(in_english)

    # Password resets asked for both from the German phone: each email in its reader's language.
    context = _german_phone(browser, app_server)
    try:
        phone = live_goto(context.new_page())
        for address in (german, english):
            phone.goto("/forgot-password")
            phone.get_by_label("E-Mail").fill(address)
            _press(phone, "Link per E-Mail senden")
            expect(
                phone.get_by_role("status").filter(has_text="Falls es für diese Adresse ein Konto gibt")
            ).to_be_visible()
        reset = _wait_for_mail(mailbox, german, "Setzen Sie Ihr Open-PRM-Passwort zurück")
        assert "Jemand (hoffentlich Sie) hat das Zurücksetzen" in text_of(reset)
        assert "Neues Passwort wählen" in text_of(reset, "html")
        assert "Reset your Open PRM password" in str(_wait_for_mail(mailbox, english, "Reset your")["Subject"])

        # The German link opens the reset page in German; a short password is refused beside its field.
        link = next(w for w in text_of(reset).split() if w.startswith(f"{BASE_URL}/reset-password/"))
        phone.goto(link)
        expect(phone.get_by_role("heading", name="Neues Passwort wählen", level=1)).to_be_visible()
        expect(phone.get_by_text(f"Für {german}.")).to_be_visible()
        phone.get_by_label("Neues Passwort", exact=True).fill("kurz")
        phone.get_by_label("Passwort wiederholen").fill("kurz")
        _press(phone, "Neues Passwort festlegen")
        expect(phone.locator("#field-password-error")).to_have_text("Verwenden Sie mindestens 10 Zeichen.")
        assert_accessible(phone, phone=True)
        phone.get_by_label("Neues Passwort", exact=True).fill("ein-langes-neues-passwort")
        phone.get_by_label("Passwort wiederholen").fill("ein-langes-neues-passwort")
        _press(phone, "Neues Passwort festlegen")
        expect(phone.get_by_text("Ihr neues Passwort ist gesetzt. Melden Sie sich jetzt damit an.")).to_be_visible()
    finally:
        context.close()
