"""Languages and regional formats in Chromium (#18): a German user sees the portal in German, with German dates and
money.

A new Lumen Software Labs partner user (Gold, in grace in the demo: its tier card names an amount and a day) signs in
from an English browser, so the app starts in English; on the account page they choose Deutsch and the shell, the
account page and the portal home are German at once, with days as 31.03.2028 and money as 228.000,00 $; <html lang>
follows. The catalogue travels to the browser when the language changes, not with every later event (measured on
the event socket). A second person, whose browser asks for German, gets German at their first sign-in, at 375 px.
axe on every page.
"""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, actor_of, assert_accessible, at, live_goto, log_in, wait_live

LUMEN = "grace.kim@lumenlabs.example"  # Lumen Software Labs: Gold, in grace in the demo
GERMAN_DAY = r"\d{2}\.\d{2}\.\d{4}"  # 31.03.2028
GERMAN_MONEY = r"\d{1,3}(\.\d{3})*,\d{2}\s\$"  # 228.000,00 $ (a no-break space before the sign)
SKIP_LINK_DE = "Zum Inhalt springen"  # a message only the catalogue carries


def _new_lumen_user(app_db) -> str:
    """A Lumen partner user who has never signed in (so no language yet)."""
    from prm_app.identity import User
    from prm_app.platform.security import hash_password

    email = f"i18n.{uuid.uuid4().hex[:8]}@lumenlabs.example"
    with app_db() as session:
        org_id = actor_of(session, LUMEN).organization_id
        session.add(
            User(email=email, full_name="Lena Sprache", password_hash=hash_password(DEMO_PASSWORD), role="partner_user",
                 organization_id=org_id)
        )  # fmt: skip
        session.commit()
    return email


def _language_of(app_db, email: str) -> str:
    from sqlmodel import select

    from prm_app.identity import User

    with app_db() as session:
        return session.exec(select(User.language).where(User.email == email)).one()


def _frames(page: Page) -> list[str]:
    """Every event-socket frame the page receives from now on (text frames; what the server sends)."""
    received: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: received.append(f if isinstance(f, str) else "")))
    return received


def _expect_german_portal_home(page: Page, *, phone: bool = False) -> None:
    main = page.locator("main")
    expect(page.get_by_role("heading", name="Startseite", level=1)).to_be_visible()
    if not phone:  # at 375 px the navigation and the header's tools fold behind the menu button
        nav = page.get_by_role("navigation", name="Hauptnavigation")
        expect(nav.get_by_role("link", name="Startseite")).to_be_visible()
        expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
        expect(page.get_by_role("link", name="Ihr Konto: Lena Sprache")).to_be_visible()
    card = page.get_by_role("region", name="Ihre Stufe")
    expect(card.get_by_role("heading", name="Ihre Stufe", level=2)).to_be_visible()
    # The tier card's progress with the amount in German (thousands ".", decimals ",", the sign after it).
    expect(card).to_contain_text(re.compile(rf"Noch {GERMAN_MONEY} mehr Umsatz.*, um Platinum zu erreichen\."))
    expect(card.get_by_role("status").filter(has_text="Gold ist gefährdet")).to_contain_text(
        re.compile(rf"bis {GERMAN_DAY}, um die Stufe zu halten\.")
    )
    expect(card.get_by_role("link", name="Ihre Stufe, ihre Vorteile und die Gründe ansehen")).to_be_visible()
    expect(main.get_by_text("Partner seit")).to_be_visible()
    expect(main.get_by_text(re.compile(rf"^{GERMAN_DAY}$")).first).to_be_visible()  # the day the partner joined
    expect(main.get_by_role("heading", name="Channel Manager", level=2)).to_be_visible()
    expect(main.get_by_text(re.compile(r"^\d+ aktive (Person|Personen) in Ihrem Team\.$"))).to_be_visible()
    expect(main.get_by_role("link", name="Ihr Team ansehen")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")


def test_a_german_user_sees_the_portal_in_german_with_german_dates_and_money(page: Page, app_db):
    email = _new_lumen_user(app_db)
    frames = _frames(page)  # before the event socket opens
    log_in(page, email, expect_path="/portal")  # Playwright's Chromium asks for en-US: the app starts in English
    expect(page.get_by_role("heading", name="Home", level=1)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert _language_of(app_db, email) == "en"

    page.get_by_role("link", name="Your account: Lena Sprache").click()
    page.wait_for_url(at("/account"))
    wait_live(page)
    frames.clear()
    page.get_by_label("Language").select_option(label="Deutsch")
    page.get_by_role("button", name="Save language").click()

    # At once, without a reload: the toast, the shell and the account page are German.
    expect(page.get_by_text("Die App ist jetzt auf Deutsch.")).to_be_visible()
    expect(page.get_by_role("heading", name="Ihr Konto", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Sprache", level=2)).to_be_visible()
    expect(page.get_by_label("Vollständiger Name")).to_have_value("Lena Sprache")
    expect(page.get_by_role("button", name="Profil speichern")).to_be_visible()
    expect(page.get_by_role("button", name="Zeitzone speichern")).to_be_visible()
    expect(page.get_by_text("Partner-Benutzer").first).to_be_visible()  # the role under the name in the header
    expect(page.get_by_role("columnheader", name="Zuletzt aktiv")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile(rf"^{GERMAN_DAY}, \d{{2}}:\d{{2}} \w+$")).first).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert _language_of(app_db, email) == "de"
    assert any(SKIP_LINK_DE in f for f in frames), "the German catalogue reached the browser when chosen"
    assert_accessible(page)

    # The portal home, reached by the German navigation: the catalogue is not sent again.
    frames.clear()
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Startseite").click()
    page.wait_for_url(at("/portal"))
    _expect_german_portal_home(page)
    assert frames, "the page's opening was answered on the event socket"
    assert not any(SKIP_LINK_DE in f for f in frames), "the catalogue travels once, not with each page's events"
    assert_accessible(page, phone=True)

    # A full reload keeps the person's language (it is theirs, not the tab's).
    page.reload()
    wait_live(page)
    _expect_german_portal_home(page)

    # The organization's deal list: its words, statuses, amounts and days in German too.
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Deals").click()
    page.wait_for_url(at("/deals"))
    main = page.locator("main")
    expect(main.get_by_role("link", name="Deal registrieren")).to_be_visible()
    expect(main.get_by_role("status").filter(has_text=re.compile(r"^\d+ Registrierung(en)?$"))).to_be_visible()
    table = main.get_by_role("region", name="Ihre Deal-Registrierungen")
    expect(table.get_by_role("columnheader", name="Geschätzter Wert")).to_be_visible()
    expect(table.get_by_role("cell", name=re.compile(r"^\d{1,3}(\.\d{3})*,\d{2}\s\S+$")).first).to_be_visible()
    expect(table.get_by_role("cell", name=re.compile(rf"^{GERMAN_DAY}$")).first).to_be_visible()
    page.get_by_label("Status").select_option(label="Gewonnen")  # the demo's Initrode Labs deal was won
    expect(table.get_by_role("row", name=re.compile("Initrode Labs")).get_by_text("Gewonnen")).to_be_visible()
    assert_accessible(page)


def test_a_browser_asking_for_german_gets_german_at_the_first_sign_in_on_a_phone(browser: Browser, app_server, app_db):
    email = _new_lumen_user(app_db)
    context = browser.new_context(
        base_url=app_server,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        reduced_motion="reduce",
        locale="de-DE",  # Accept-Language: de-DE
    )
    context.set_default_timeout(15_000)
    page = live_goto(context.new_page())
    try:
        # The sign-in page already speaks the browser's German (test_i18n_more.py looks at it closely).
        page.goto("/login")
        page.get_by_label("E-Mail").fill(email)
        page.get_by_label("Passwort", exact=True).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_url(at("/portal"))
        wait_live(page)
        assert _language_of(app_db, email) == "de"
        _expect_german_portal_home(page, phone=True)
        # At 375 px the navigation folds behind the menu button, German too; by keyboard.
        menu = page.get_by_role("button", name="Menü")
        menu.focus()
        page.keyboard.press("Enter")
        expect(menu).to_have_attribute("aria-expanded", "true")
        nav = page.get_by_role("navigation", name="Hauptnavigation")
        expect(nav.get_by_role("link", name="Startseite")).to_be_visible()
        expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
        expect(page.get_by_role("link", name="Ihr Konto: Lena Sprache")).to_be_visible()
        team = nav.get_by_role("link", name="Team")
        expect(team).to_be_visible()
        assert_accessible(page, dark=True)
        team.click()
        page.wait_for_url(at("/portal/team"))
        expect(page.get_by_role("heading", name="Team", level=1)).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "de")
    finally:
        context.close()


def test_a_french_reader_gets_a_french_certificate_and_a_french_verify_page(browser: Browser, app_server, app_db):
    """A certificate downloaded by a French user is written in French with French dates; the public verify page
    answers a French browser in French (its Accept-Language), at 375 px, axe included."""
    import io

    from pypdf import PdfReader
    from sqlmodel import col, select

    from prm_app.identity import User
    from prm_app.training.models import Certificate

    holder = "dana.price@northwind-dist.example"  # holds Certified Core Platform Associate in the demo
    with app_db() as session:
        user = session.exec(select(User).where(User.email == holder)).one()
        cert = session.exec(
            select(Certificate)
            .where(col(Certificate.user_id) == user.id, col(Certificate.revoked_at).is_(None))
            .where(col(Certificate.superseded_by_id).is_(None))
            .order_by(col(Certificate.id).desc())
        ).first()
        assert cert is not None
        before, user.language = user.language, "fr"
        session.add(user)
        session.commit()
        cert_id, code = cert.id, cert.code
    context = browser.new_context(base_url=app_server, reduced_motion="reduce")
    context.set_default_timeout(15_000)
    try:
        page = live_goto(context.new_page())
        log_in(page, holder, expect_path="/portal")
        answer = page.request.get(f"/_files/training/certificate/{cert_id}")
        assert answer.status == 200 and answer.body().startswith(b"%PDF-")
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.body())).pages)
        assert "Certificat de réussite" in text and "a obtenu la certification" in text, text
        assert re.search(r"Valable jusqu'au \d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|"
                         r"octobre|novembre|décembre) \d{4}", text), text  # fmt: skip
    finally:
        context.close()
        with app_db() as session:
            user = session.exec(select(User).where(User.email == holder)).one()
            user.language = before
            session.add(user)
            session.commit()

    french = browser.new_context(
        base_url=app_server, viewport={"width": 375, "height": 740}, is_mobile=True, locale="fr-FR"
    )
    try:
        public = live_goto(french.new_page())
        public.goto(f"/verify/{code}")
        expect(public.get_by_role("heading", level=1, name="Vérifier un certificat")).to_be_visible()
        expect(public.get_by_text("Titulaire")).to_be_visible()
        expect(public.get_by_text("Valable jusqu'au")).to_be_visible()
        expect(public.locator("#certificate-status")).to_have_text(re.compile("^(Valide|Expire bientôt)$"))
        expect(public.get_by_text(re.compile(r"^\d{1,2} \w+\.? \d{4}$")).first).to_be_visible()  # 15 mars 2028
        assert_accessible(public, dark=True)
        public.goto("/verify/" + "0" * 32)
        expect(public.get_by_text("Aucun certificat ne porte ce code.")).to_be_visible()
    finally:
        french.close()
