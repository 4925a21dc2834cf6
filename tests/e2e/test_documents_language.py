"""Documents in the reader's language, in Chromium (issue #18).

1. A manager adds the German language version of an agreement on its admin page; a German partner admin (this
   test's own organization, an EMEA affiliate like no seeded one, and its own person reading German) opens the
   agreement page at 375 px: its words are German, the text is the German version; signed by keyboard, the signed
   record says German and the PDF's words and date are German.
2. An applicant whose browser asks for German sees the apply form in German and gets the confirmation in German.
3. A registration written in Japanese script (…ジャパン合同会社) is flagged in the manager's review against the same
   company's Japanese registration (…株式会社) and its Latin-script one, each with its reason in plain words.
Nothing seeded is changed: the organization, people, agreement, application and customers are this file's own.
"""

from __future__ import annotations

import io
import re
import uuid
from datetime import UTC
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

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

MANAGER = "lars.cm@vendor.example"  # EMEA & APAC channel manager; manages agreements
ADMIN = "admin@vendor.example"
GERMAN_TEXT = (
    "# Partnervereinbarung\n\nZwischen Open PRM Vendor Inc. und **{{company_name}}**.\n\n"
    "Jede Partei kann diese Bedingungen mit einer Frist von 30 Tagen kündigen.\n\n"
    "Unterzeichnet von {{signer_name}} am {{date}}."
)


def _german_partner(app_db, token: str) -> tuple[str, str, str]:
    """This test's own organization (an EMEA affiliate in Germany) and its partner admin, who reads German:
    (email, full name, organization name)."""
    from prm_app.agreements import my_agreements, sign_agreement
    from prm_app.identity import User
    from prm_app.partners import NewPartner, provision_organization
    from prm_app.platform.security import hash_password

    org_name, email, name = f"Wt-docs Rhein {token} GmbH", f"wt-docs.{token}@rhein-{token}.example", "Greta Rhein"
    with app_db() as session:
        manager = actor_of(session, MANAGER)
        org_id = provision_organization(
            session, actor_of(session, ADMIN),
            NewPartner(name=org_name, partner_type="affiliate", country="DE", region="EMEA",
                       channel_manager_id=manager.user_id, city="Köln"),
        )  # fmt: skip
        session.add(User(email=email, full_name=name, password_hash=hash_password(DEMO_PASSWORD),
                         role="partner_admin", organization_id=org_id, language="de"))  # fmt: skip
        session.commit()
        # What every new partner owes already (the program's own agreement) is signed, in English, as it is.
        admin = actor_of(session, email)
        for owed in my_agreements(session, admin).to_sign:
            sign_agreement(session, admin, owed.pending.version_id, typed_name=name, agreed=True,
                           shown_sha256=owed.text_sha256, language=owed.language)  # fmt: skip
        session.commit()
    return email, name, org_name


def _agreement_for_emea_affiliates(app_db, token: str) -> tuple[int, str]:
    """An agreement for EMEA affiliates (only this test's organization), version 1 published with 30 days' grace
    (so no one is held by it): (template id, name)."""
    from prm_app.agreements import publish_version, save_template

    name = f"Wt-docs Affiliate Terms {token}"
    body = f"# {name}\n\nBetween Open PRM Vendor Inc. and **{{{{company_name}}}}**.\n\nSigned on {{{{date}}}}."
    with app_db() as session:
        manager = actor_of(session, MANAGER)
        tid = save_template(session, manager, None, name=name, body=body, partner_types=["affiliate"],
                            regions=["EMEA"])  # fmt: skip
        publish_version(session, manager, tid, requires_acceptance=True, grace_days=30)
        session.commit()
    return tid, name


def test_a_german_partner_signs_the_german_agreement_and_gets_a_german_pdf(page: Page, browser: Browser, app_db):
    token = uuid.uuid4().hex[:6]
    email, person, org = _german_partner(app_db, token)
    template_id, name = _agreement_for_emea_affiliates(app_db, token)

    # The manager adds the German language version of version 1 on the agreement's page.
    log_in(page, MANAGER, expect_path="/partners")
    page.goto(f"/agreements/{template_id}")
    wait_live(page)
    expect(page.get_by_role("heading", name="Language versions of Version 1")).to_be_visible()
    page.get_by_label("Language", exact=True).select_option("de")
    page.get_by_label("Text in this language").fill("{{unknown}}")
    page.get_by_role("button", name="Save language version").click()
    expect(page.locator("#field-translation-error")).to_contain_text("Unknown merge field {{unknown}}")
    page.get_by_label("Text in this language").fill(GERMAN_TEXT)
    page.get_by_role("button", name="Save language version").click()
    languages = page.get_by_role("region", name="Language versions")
    expect(languages.get_by_role("row").filter(has_text="Deutsch")).to_contain_text("Not signed yet")
    assert_accessible(page)

    # The German partner admin, on a phone: the page's words and the agreement are German.
    context = browser.new_context(base_url=BASE_URL, viewport=PHONE, is_mobile=True, reduced_motion="reduce")
    context.set_default_timeout(15_000)
    p = live_goto(context.new_page())
    log_in(p, email)
    p.goto("/agreement")
    p.wait_for_url(at("/agreement"))
    wait_live(p)
    expect(p.get_by_role("heading", name=f"{name}, Version 1")).to_be_visible()
    expect(p.get_by_text("Bitte unterzeichnen Sie bis zum")).to_be_visible()
    expect(p.get_by_label("Sprache der Vereinbarung")).to_have_value("de")
    expect(p.locator(".agreement-text")).to_contain_text(f"Zwischen Open PRM Vendor Inc. und {org}")
    assert_accessible(p, phone=True)
    assert_accessible(p, phone=True, dark=True)

    # By keyboard: the name, Tab to the box, Space, Tab to the button, Enter.
    p.locator("#field-full_name").focus()
    p.keyboard.type(person)
    p.keyboard.press("Tab")
    p.keyboard.press("Space")
    p.keyboard.press("Tab")
    expect(p.get_by_role("button", name="Vereinbarung unterzeichnen")).to_be_focused()
    p.keyboard.press("Enter")
    expect(p.get_by_text("Ihre Organisation hat alle für sie geltenden Vereinbarungen unterzeichnet.")).to_be_visible()
    row = p.get_by_role("region", name="Unterzeichnete Vereinbarungen").get_by_role("row").filter(has_text=name)
    expect(row).to_contain_text("Deutsch")
    assert_accessible(p, phone=True)

    # The signed record says German.
    from sqlmodel import select

    from prm_app.agreements.models import AgreementSignature, AgreementVersion

    with app_db() as session:
        signature = session.exec(
            select(AgreementSignature)
            .join(AgreementVersion, AgreementVersion.id == AgreementSignature.version_id)
            .where(AgreementVersion.template_id == template_id)
        ).one()
        assert signature.language == "de" and "Zwischen Open PRM Vendor Inc." in signature.text

    # The PDF: its words and the signing date in German.
    with p.expect_download() as download:
        p.get_by_role("link", name=f"PDF von {name}, Version 1 herunterladen").click()
    pdf = Path(download.value.path()).read_bytes()
    text = "\n".join(page_.extract_text() for page_ in PdfReader(io.BytesIO(pdf)).pages)
    assert "Unterschrift" in text and f"Unterzeichnet von: {person}" in text and "Deutsch" in text
    assert "kündigen" in text and "Zwischen Open PRM Vendor Inc." in text
    german_month = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                    "November", "Dezember"][signature.signed_at.astimezone(UTC).month - 1]  # fmt: skip
    assert f"Unterzeichnet am: {signature.signed_at.astimezone(UTC).day}. {german_month}" in text
    context.close()

    # The manager sees which language was signed.
    page.reload()
    wait_live(page)
    signed = page.get_by_role("region", name="Who signed").get_by_role("row").filter(has_text=org)
    expect(signed).to_contain_text("German")


def test_an_applicant_with_a_german_browser_applies_in_german_and_gets_a_german_email(
    browser: Browser, mailbox: Sink, app_server
):
    token = uuid.uuid4().hex[:6]
    domain = f"wt-docs-{token}.example"
    email = f"karl@{domain}"
    context = browser.new_context(
        base_url=app_server, viewport=PHONE, is_mobile=True, locale="de-DE", reduced_motion="reduce"
    )
    context.set_default_timeout(15_000)
    p = live_goto(context.new_page())
    p.goto("/apply/resellers")
    wait_live(p)
    expect(p.get_by_role("heading", name="Ihr Unternehmen")).to_be_visible()
    assert_accessible(p, phone=True)
    p.get_by_label("Firmenname").fill(f"Wt-docs Kontor {token} GmbH")
    p.get_by_label("Website").fill(f"https://www.{domain}")
    p.get_by_label("Land").select_option("DE")
    p.get_by_label("Gewünschter Partnertyp").select_option("var")
    p.get_by_label("Jahresumsatz").select_option("5m_20m")
    p.get_by_label("Financial services").check()
    p.get_by_label("Teamgröße").fill("12")
    p.get_by_label("Kunden", exact=True).fill("90")
    p.get_by_label("Ihr Name").fill("Karl Kontor")
    p.get_by_label("Geschäftliche E-Mail").fill(email)
    p.get_by_label("Warum möchten Sie unser Partner werden?").fill("Banken in Hamburg fragen danach.")
    p.get_by_label("Preferred distributor").select_option("Specialist distributor")
    p.get_by_role("button", name="Bewerbung senden").click()
    reference = p.locator("#reference")
    expect(reference).to_have_text(re.compile(r"APP-[2-9A-Z]{8}"))
    expect(p.get_by_text("Vielen Dank. Ihre Bewerbung ist eingegangen.")).to_be_visible()
    assert_accessible(p, phone=True)
    ref = reference.inner_text()
    (mail,) = mailbox.wait_for_address(email)
    assert mail["Subject"] == f"Wir haben Ihre Bewerbung erhalten ({ref})"
    assert "Hallo Karl Kontor," in text_of(mail)
    context.close()


KANA = "カキクサシタナハマラルロミトノフ"  # one syllable per hex digit: a name unique to this run, in katakana


def test_a_japanese_script_registration_is_flagged_against_the_japanese_and_latin_ones(page: Page, app_db):
    token = uuid.uuid4().hex[:6]
    kana = "".join(KANA[int(c, 16)] for c in token)
    from prm_app.deals.matching.kana import consonants, romaji

    reading = romaji(kana)  # e.g. "kashitanahama": the Latin spelling of the same company
    japanese_id = register_as(app_db, "sam.carter@bluepeak.example", f"{kana}株式会社", f"{reading}.co.jp")
    latin_id = register_as(app_db, "sam.carter@bluepeak.example", f"{reading.capitalize()} Inc.", f"{reading}.com")
    deal_id = register_as(app_db, "jake.morris@cobaltsys.example", f"{kana}ジャパン合同会社", f"{reading}.co.jp")
    assert len({japanese_id, latin_id, deal_id}) == 3

    log_in(page, "maya.cm@vendor.example", expect_path="/partners")
    page.goto(f"/registrations/{deal_id}")
    wait_live(page)
    same_name = page.locator(".rt-Card", has_text=f"{kana}株式会社")
    expect(same_name.get_by_role("listitem").nth(1)).to_have_text(
        f"same company name '{kana}' without country/group words"
    )
    latin = page.locator(".rt-Card", has_text=f"{reading.capitalize()} Inc.")
    skeleton = "-".join(consonants(reading))
    expect(latin).to_contain_text(f"katakana name '{kana}' reads '{reading}': the consonants of '{reading}'")
    expect(latin).to_contain_text(skeleton)
    assert_accessible(page)
