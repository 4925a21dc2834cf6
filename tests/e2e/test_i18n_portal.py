"""The signed-in partner portal in the partner's language (#18), in Chromium at 375 px.

A German partner admin of a new organization (its own, so no seeded person or count changes) has a lead offered to
the organization, written by the same use case the lead queue page calls. On their phone, by keyboard, they see:
the notifications page with the offer's notice in German (its deadline a German moment) and mark it read; the
leads page with the offer in German (status, place, vertical, a German deadline with the time left) and, on the
lead's page, the German refusal of a decline without a reason and the amount in German format; the onboarding
checklist in German with German days; the team page in German, where they invite a colleague by keyboard and see
the invitation's German expiry. axe on each page (light, and dark on the first two). A Japanese colleague reads the
same notice, and the notifications page, in Japanese.
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, assert_accessible, log_in

ADMIN = "admin@vendor.example"  # starts the new organization's onboarding and offers it the lead
GERMAN_MOMENT = (  # 9. Dezember 2026, 23:05 CET (the notice, said as its email says it)
    r"\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}, "
    r"\d{2}:\d{2} [A-Z]+"
)
GERMAN_DAY = r"\d{2}\.\d{2}\.\d{4}"  # 09.12.2026


def _words(language: str):
    from prm_app.platform.i18n import catalogue

    return catalogue(language)


def _new_partner(app_db, token: str) -> dict[str, str]:
    """A new reseller (no channel manager: nobody's book changes) with a German partner admin and a Japanese
    partner user, its agreement signed, its onboarding started and a lead offered to it, by the use cases the
    pages call."""
    from sqlmodel import select

    from prm_app.agreements import my_agreements, sign_agreement
    from prm_app.identity import User
    from prm_app.leads import Lead
    from prm_app.leads.models import LeadQueue, LeadStatus
    from prm_app.leads.offers import offer
    from prm_app.onboarding import start_onboarding
    from prm_app.partners import Organization
    from prm_app.platform.clock import utcnow
    from prm_app.platform.security import hash_password
    from tests.e2e.conftest import actor_of

    name = f"Wt-i18n3 Kraft {token} GmbH"
    german, japanese = f"greta.{token}@kraft-i18n3.example", f"yui.{token}@kraft-i18n3.example"
    company = f"Wt-i18n3 Bäckerei {token}"
    with app_db() as session:
        admin = actor_of(session, ADMIN)
        cobalt = session.get(Organization, actor_of(session, "jake.morris@cobaltsys.example").organization_id)
        assert cobalt is not None
        tier_id = cobalt.tier_id
        org = Organization(
            name=name, name_lower=name.lower(), partner_type="reseller", tier_id=tier_id, region="EMEA",
            country="DE", city="München",
        )  # fmt: skip
        session.add(org)
        session.flush()
        for email, full_name, role, language, zone in (
            (german, "Greta Kraft", "partner_admin", "de", "Europe/Berlin"),
            (japanese, "Yui Tanaka", "partner_user", "ja", "Asia/Tokyo"),
        ):
            session.add(
                User(email=email, full_name=full_name, password_hash=hash_password(DEMO_PASSWORD), role=role,
                     organization_id=org.id, language=language, time_zone=zone)
            )  # fmt: skip
        session.flush()
        greta = actor_of(session, german)
        for shown in my_agreements(session, greta).to_sign:  # a partner joining today owes the terms at once
            sign_agreement(session, greta, shown.pending.version_id, typed_name="Greta Kraft", agreed=True,
                           shown_sha256=shown.text_sha256)  # fmt: skip
        queue = session.exec(select(LeadQueue).order_by(LeadQueue.id)).first()
        assert queue is not None
        lead = Lead(
            queue_id=queue.id, status=LeadStatus.PROPOSED, partner_id=org.id, company=company,
            domain=f"baeckerei-{token}.com", contact_email=f"einkauf@baeckerei-{token}.com", contact_name="Jan Roth",
            country="DE", city="Köln", vertical="retail", estimated_size=Decimal("12500"), currency="EUR",
        )  # fmt: skip
        session.add(lead)
        session.flush()
        offer(session, admin, lead, utcnow())
        start_onboarding(session, admin, org.id)
        session.commit()
        return {"german": german, "japanese": japanese, "company": company, "lead_id": str(lead.id)}


def _heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", name=text, level=1)).to_be_visible()


def test_a_german_partner_reads_notices_leads_onboarding_and_team_in_german(mobile_page: Page, app_db):
    page, de = mobile_page, _words("de")
    token = uuid.uuid4().hex[:6]
    made = _new_partner(app_db, token)
    company = made["company"]

    log_in(page, made["german"], expect_path="/portal")

    # Notifications: the lead offer's notice in German, with the deadline as a German moment; marked read by keyboard.
    page.goto("/portal/notifications")
    _heading(page, "Benachrichtigungen")
    notices = page.get_by_role("list", name="Benachrichtigungen")
    item = notices.get_by_role("listitem").filter(has_text=company)
    expect(item).to_contain_text(re.compile(rf"Neuer Lead: {company}\. Annehmen bis {GERMAN_MOMENT}\."))
    expect(item).to_contain_text("Ungelesen")
    expect(item.locator("time")).to_have_text("gerade eben")
    expect(page.get_by_role("status").filter(has_text="ungelesene")).to_have_text("1 ungelesene Benachrichtigung")
    expect(page.get_by_label("Anzeigen")).to_be_visible()
    assert_accessible(page, dark=True)
    item.get_by_role("button", name=re.compile("^Als gelesen markieren: Neuer Lead")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="ungelesene")).to_have_text("0 ungelesene Benachrichtigungen")
    expect(item).to_contain_text("Gelesen")

    # Leads: the offer in German, its deadline a German day and time with the hours left.
    page.goto("/leads")
    _heading(page, "Leads")
    table = page.get_by_role("region", name="Ihre Leads")
    for column in ("Unternehmen", "Status", "Standort", "Branche", "Annehmen bis"):
        expect(table.get_by_role("columnheader", name=column)).to_be_visible()
    row = table.get_by_role("row").filter(has_text=company)
    expect(row).to_contain_text("Neues Angebot")
    expect(row).to_contain_text("Köln, Deutschland")
    expect(row).to_contain_text("Einzelhandel")
    expect(row).to_contain_text(re.compile(rf"{GERMAN_DAY}, \d{{2}}:\d{{2}} [A-Z]+ \(in 4\d Std\.\)"))
    expect(page.get_by_role("heading", name="Lead-Einstellungen")).to_be_visible()
    assert_accessible(page, dark=True)

    # The lead's page, reached by keyboard: German facts and money; a decline without a reason is refused in German.
    row.get_by_role("link", name=company).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/leads/{made['lead_id']}/?$"))
    expect(page.get_by_role("heading", name=company)).to_be_visible()
    expect(page.get_by_text("Sichtbar, sobald Sie annehmen").first).to_be_visible()
    expect(page.get_by_text("12.500,00\u00a0€")).to_be_visible()
    expect(page.get_by_role("button", name="Lead annehmen")).to_be_visible()
    page.get_by_role("button", name="Ablehnen", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Wählen Sie, warum Sie ablehnen.")).to_be_visible()
    expect(page.get_by_label("Grund für die Ablehnung")).to_be_visible()
    assert_accessible(page)

    # Onboarding: the checklist in German, days in the German format.
    page.goto("/portal/onboarding")
    _heading(page, "Onboarding")
    in_stage = re.escape(de.text("home.in_stage", stage="STAGE")).replace("STAGE", ".+")
    expect(page.get_by_text(re.compile(rf"^{in_stage}$"))).to_be_visible()
    expect(page.get_by_text(de.text("home.current_stage")).first).to_be_visible()
    expect(page.get_by_text(re.compile(rf"· aktualisiert am {GERMAN_DAY}$")).first).to_be_visible()
    expect(page.locator(".task-status").filter(has_text=de.text("onboarding.status.pending")).first).to_be_visible()
    expect(page.get_by_text("Firmenprofil vervollständigen").first).to_be_visible()
    assert_accessible(page)

    # Team: in German; a colleague invited by keyboard, the invitation's expiry a German deadline.
    page.goto("/portal/team")
    _heading(page, "Team")
    people = page.get_by_role("region", name="Ihr Team")
    for column in ("Name", "E-Mail", "Rolle", "Status", "Aktionen"):
        expect(people.get_by_role("columnheader", name=column)).to_be_visible()
    me = people.get_by_role("row").filter(has_text="Greta Kraft")
    expect(me).to_contain_text(de.text("role.partner_admin"))
    expect(me).to_contain_text("Aktiv")
    expect(me).to_contain_text("Sie")
    expect(people.get_by_role("button", name="Deaktivieren Yui Tanaka")).to_be_visible()
    form = page.get_by_role("form", name="Kollegen einladen")
    invited = f"lena.{token}@kraft-i18n3.example"
    form.get_by_label("Vollständiger Name").focus()
    page.keyboard.type("Lena Vogel")
    page.keyboard.press("Tab")
    page.keyboard.type(invited)
    form.get_by_role("button", name="Einladung erstellen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Einladung an {invited} gesendet.")).to_be_visible()
    expect(page.get_by_text(re.compile(rf"^Wir haben diesen Link an {re.escape(invited)} gesendet"))).to_be_visible()
    expect(page.get_by_role("heading", name="Offene Einladungen")).to_be_visible()
    expires = re.compile(rf"läuft ab {GERMAN_DAY}, \d{{2}}:\d{{2}} [A-Z]+ \(in [67] Tagen\)")
    expect(page.get_by_text(expires)).to_be_visible()
    assert_accessible(page)


def test_a_japanese_partner_reads_the_notice_in_japanese(mobile_page: Page, app_db):
    page = mobile_page
    made = _new_partner(app_db, uuid.uuid4().hex[:6])

    log_in(page, made["japanese"], expect_path="/portal")
    page.goto("/portal/notifications")
    _heading(page, "通知")
    item = page.get_by_role("list", name="通知").get_by_role("listitem").filter(has_text=made["company"])
    expect(item).to_contain_text(f"新しいリード: {made['company']}。")
    expect(item).to_contain_text("までに承諾してください。")
    expect(item).to_contain_text("未読")
    expect(page.get_by_role("status").filter(has_text="未読の通知")).to_have_text("未読の通知 1 件")
    expect(page.get_by_role("button", name="すべて既読にする")).to_be_visible()
    assert_accessible(page)
