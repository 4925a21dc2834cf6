"""Content assets and courses in several languages, with fallback (#18), in Chromium.

The admin gives an asset a German version with a file of its own and a course its German words, by keyboard, on
each item's Languages page. A German person of a new partner (made here, with an English colleague; the seed's
people and items stay as they were) at 375 px then reads the asset and the course in German, with the page around
them in German, switches each to English, and finds the German library card and catalogue entry; the English
colleague reads English. axe on each page.

The items are made here and shown only to this file's partner (its audience rule names a country no seeded partner
is in), so no other test's library or catalogue changes.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, PHONE, actor_of, assert_accessible, log_in, wait_live

ADMIN = "admin@vendor.example"
COUNTRY = "IS"  # no seeded partner is in Iceland: the items are this file's partner's alone


def _pdf(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(300, 20, text)
    return bytes(pdf.output())


@dataclass(frozen=True)
class World:
    tag: str
    german: str  # the German person's email
    english: str
    asset_id: int
    slug: str
    asset_title: str
    course_id: int
    course_title: str
    lesson_title: str


def _person(session, email: str, name: str, role: str, org_id: int, language: str) -> None:
    from prm_app.identity import User
    from prm_app.platform.security import hash_password

    session.add(
        User(email=email, full_name=name, password_hash=hash_password(DEMO_PASSWORD), role=role,
             organization_id=org_id, language=language, time_zone="Europe/Berlin")
    )  # fmt: skip


def _world(app_db) -> World:
    """A new partner in Iceland with a German admin (who signs the terms it owes) and an English user; an asset and
    a published course (one reading lesson) only that partner may see, in English only."""
    from sqlmodel import select

    from prm_app.agreements import my_agreements, sign_agreement
    from prm_app.audience import AudienceRule
    from prm_app.content.rules import AssetInput
    from prm_app.content.service import create_asset
    from prm_app.content.storage import CONTENT_FILES
    from prm_app.partners import Organization, Tier
    from prm_app.training import authoring as au
    from prm_app.training.queries import course_editor

    tag = uuid.uuid4().hex[:6]
    name = f"Wt-variants Nordlicht {tag}"
    german, english = f"wtv.greta.{tag}@nordlicht.example", f"wtv.emma.{tag}@nordlicht.example"
    only_us = AudienceRule(countries=(COUNTRY,))
    with app_db() as session:
        silver = session.exec(select(Tier).where(Tier.name == "Silver")).one()
        org = Organization(name=name, name_lower=name.lower(), partner_type="reseller", tier_id=silver.id,
                           region="EMEA", country=COUNTRY)  # fmt: skip
        session.add(org)
        session.flush()
        _person(session, german, "Greta Wtv", "partner_admin", org.id, "de")
        _person(session, english, "Emma Wtv", "partner_user", org.id, "en")
        session.commit()
        greta = actor_of(session, german)
        for shown in my_agreements(session, greta).to_sign:  # a partner joining today owes the terms at once
            sign_agreement(session, greta, shown.pending.version_id, typed_name="Greta Wtv", agreed=True,
                           shown_sha256=shown.text_sha256)  # fmt: skip
        admin = actor_of(session, ADMIN)
        asset_title = f"Wt-variants datasheet {tag}"
        stored = CONTENT_FILES.put(_pdf("Datasheet"), "datasheet.pdf", "application/pdf")
        made = create_asset(
            session, admin, AssetInput(title=asset_title, description="Storage specifications", category="technical"),
            only_us, stored,
        )  # fmt: skip
        course_title = f"Wt-variants basics {tag}"
        course_id = au.create_course(session, admin, f"WTV-{tag}", course_title)
        au.update_course(
            session,
            admin,
            course_id,
            au.CourseDetails(course_title, "The essentials", "", "foundation", 10, (), only_us),
        )
        module_id = course_editor(session, admin, course_id).modules[0].id
        lesson = au.add_lesson(session, admin, module_id, "text", "Welcome reading")
        au.update_lesson(session, admin, lesson, "Welcome reading", "Welcome to the **basics**.", "", 5)
        au.publish_course(session, admin, course_id)
        session.commit()
    return World(tag, german, english, made.id, made.slug, asset_title, course_id, course_title, "Welcome reading")


def _translated(app_db, w: World) -> None:
    """The German versions, made by the use cases (the admin's test makes them in the browser)."""
    from prm_app.content.storage import CONTENT_FILES
    from prm_app.content.variants import save_asset_variant
    from prm_app.platform.variants import VariantText
    from prm_app.training.queries import course_editor
    from prm_app.training.variants import save_course_variant

    with app_db() as session:
        admin = actor_of(session, ADMIN)
        german = CONTENT_FILES.put(_pdf("Datenblatt"), "datenblatt.pdf", "application/pdf")
        save_asset_variant(session, admin, w.asset_id, VariantText("de", f"Datenblatt {w.tag}", "Technische Daten"),
                           german)  # fmt: skip
        lesson = course_editor(session, admin, w.course_id).modules[0].lessons[0].id
        save_course_variant(
            session, admin, w.course_id, VariantText("de", f"Grundlagen {w.tag}", "Das Wichtigste"),
            {lesson: ("Willkommenslektion", "Willkommen bei den **Grundlagen**.")},
        )  # fmt: skip
        session.commit()


@pytest.fixture(scope="module")
def world(app_server, tmp_path_factory) -> World:
    from sqlmodel import Session

    from prm_app.platform.db import make_engine
    from tests.e2e.sweep_support import e2e_database_url

    engine = make_engine(e2e_database_url(tmp_path_factory.getbasetemp()))
    factory = lambda: Session(engine, expire_on_commit=False)  # noqa: E731
    made = _world(factory)
    _translated(factory, made)
    yield made
    engine.dispose()


def _phone(browser: Browser, app_server: str) -> Page:
    context = browser.new_context(base_url=app_server, viewport=PHONE, is_mobile=True, reduced_motion="reduce")
    context.set_default_timeout(15_000)
    return context.new_page()


def _press(page: Page, locator) -> None:  # type: ignore[no-untyped-def]
    locator.focus()
    page.keyboard.press("Enter")


def test_the_admin_adds_german_versions_to_an_asset_and_a_course_by_keyboard(page: Page, app_db, tmp_path: Path):
    w = _world(app_db)
    log_in(page, ADMIN, expect_path="/partners")

    page.goto(f"/content/{w.asset_id}")
    wait_live(page)
    expect(page.get_by_text("Languages: EN")).to_be_visible()
    expect(page.get_by_role("link", name="Manage languages")).to_have_attribute(
        "href", f"/content/{w.asset_id}/languages"
    )
    page.goto(f"/content/{w.asset_id}/languages")
    wait_live(page)
    expect(page.get_by_role("heading", name=w.asset_title, level=1)).to_be_visible()
    german = tmp_path / "datenblatt.pdf"
    german.write_bytes(_pdf("Datenblatt"))
    page.locator('input[type="file"]').set_input_files(str(german))
    expect(page.get_by_text("datenblatt.pdf")).to_be_visible()  # chosen
    _press(page, page.get_by_role("button", name="Upload file"))
    expect(page.get_by_role("status").filter(has_text="Uploaded: datenblatt.pdf")).to_be_visible()
    page.get_by_label("Language", exact=True).focus()
    page.keyboard.type("Deutsch")
    expect(page.get_by_label("Language", exact=True)).to_have_value("de")
    page.keyboard.press("Tab")
    page.keyboard.type(f"Datenblatt {w.tag}")
    page.keyboard.press("Tab")
    page.keyboard.type("Technische Daten zum Speicher")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Deutsch version saved.")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("^Deutsch"))
    expect(row).to_contain_text(f"Datenblatt {w.tag}")
    expect(row).to_contain_text("datenblatt.pdf")
    expect(page.get_by_text("Languages: EN · DE")).to_be_visible()
    assert_accessible(page)
    # Saving English, the asset's own language, is refused beside the field; what was typed stays.
    page.get_by_label("Language", exact=True).select_option("en")
    page.get_by_label("Title").fill("Another English title")
    _press(page, page.get_by_role("button", name="Save language version"))
    expect(page.get_by_text("English is this item's own language")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Another English title")

    page.goto(f"/training/courses/{w.course_id}")
    wait_live(page)
    expect(page.get_by_role("link", name="Languages: EN")).to_have_attribute(
        "href", f"/training/courses/{w.course_id}/languages"
    )
    page.goto(f"/training/courses/{w.course_id}/languages")
    wait_live(page)
    expect(page.get_by_role("heading", name=w.course_title, level=1)).to_be_visible()
    page.get_by_label("Language", exact=True).focus()
    page.keyboard.type("Deutsch")
    expect(page.get_by_label("Language", exact=True)).to_have_value("de")
    page.keyboard.press("Tab")
    page.keyboard.type(f"Grundlagen {w.tag}")
    page.keyboard.press("Tab")
    page.keyboard.type("Das Wichtigste")
    page.keyboard.press("Tab")
    expect(page.get_by_label(re.compile("^Lesson 1 title"))).to_be_focused()
    page.keyboard.type("Willkommenslektion")
    page.keyboard.press("Tab")
    page.keyboard.type("Willkommen bei den **Grundlagen**.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save language version")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Deutsch version saved.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Deutsch"))).to_contain_text("1 of 1 lessons translated")
    assert_accessible(page)


def test_a_german_person_reads_german_at_375_px_and_switches_to_english(
    browser: Browser, app_server: str, world: World
):
    w = world
    page = _phone(browser, app_server)
    log_in(page, w.german, expect_path="/portal")

    page.goto(f"/a/{w.slug}")
    wait_live(page)
    expect(page.get_by_role("heading", name=f"Datenblatt {w.tag}", level=1)).to_be_visible()
    expect(page.get_by_text("Technische Daten")).to_be_visible()
    download = page.get_by_role("link", name="Herunterladen")
    expect(download).to_have_attribute("href", re.compile(f"/{w.slug}/lang/de$"))
    expect(page.get_by_text(re.compile(r"^Technik · Deutsch"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Veröffentlicht am"))).to_be_visible()
    switch = page.get_by_role("group", name="Lesen auf")
    expect(switch.get_by_role("button", name="Deutsch")).to_have_attribute("aria-pressed", "true")
    assert_accessible(page, dark=True)
    with page.expect_download() as got:
        download.click()
    assert got.value.suggested_filename == "datenblatt.pdf"
    _press(page, switch.get_by_role("button", name="English"))
    expect(page.get_by_role("heading", name=w.asset_title, level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Herunterladen")).to_have_attribute("href", re.compile(f"/{w.slug}$"))
    expect(switch.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    assert_accessible(page)

    page.goto(f"/learn/{w.course_id}")
    wait_live(page)
    expect(page.get_by_role("heading", name=f"Grundlagen {w.tag}", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Willkommenslektion", level=2)).to_be_visible()
    expect(page.get_by_text("Willkommen bei den")).to_be_visible()
    expect(page.get_by_role("navigation", name="Kursübersicht")).to_be_visible()
    expect(page.get_by_text("0 von 1 Lektion erledigt")).to_be_visible()
    assert_accessible(page, dark=True)
    switch = page.get_by_role("group", name="Lesen auf")
    _press(page, switch.get_by_role("button", name="English"))
    expect(page.get_by_role("heading", name=w.course_title, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=w.lesson_title, level=2)).to_be_visible()
    expect(page.get_by_text("Welcome to the")).to_be_visible()
    done = page.get_by_role("button", name="Erledigt", exact=True)
    expect(done).to_be_visible()  # the page's words stay the person's
    _press(page, done)
    expect(page.get_by_text("1 von 1 Lektion erledigt")).to_be_visible()
    _press(page, switch.get_by_role("button", name="Deutsch"))  # the same progress in German
    expect(page.get_by_role("heading", name=f"Grundlagen {w.tag}", level=1)).to_be_visible()
    expect(page.get_by_text("1 von 1 Lektion erledigt")).to_be_visible()
    expect(page.get_by_text("Sie haben diesen Kurs abgeschlossen.")).to_be_visible()
    assert_accessible(page)

    page.goto("/library")
    wait_live(page)
    page.get_by_label("Bibliothek durchsuchen").fill(f"datenblatt {w.tag}")  # each run's own
    _press(page, page.get_by_role("button", name="Suchen"))
    expect(page.get_by_role("heading", name=f"Datenblatt {w.tag}", level=2)).to_be_visible()
    expect(page.get_by_text("1 Dokument", exact=True)).to_be_visible()
    assert_accessible(page)

    page.goto("/learn")
    wait_live(page)
    expect(page.get_by_role("heading", name=f"Grundlagen {w.tag}", level=3)).to_be_visible()
    expect(page.get_by_role("link", name=f"Wiederholen: Grundlagen {w.tag}")).to_be_visible()
    assert_accessible(page)
    page.context.close()


def test_an_english_person_reads_english(page: Page, world: World):
    w = world
    log_in(page, w.english, expect_path="/portal")
    page.goto(f"/a/{w.slug}")
    wait_live(page)
    expect(page.get_by_role("heading", name=w.asset_title, level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Download")).to_have_attribute("href", re.compile(f"/{w.slug}$"))
    expect(page.get_by_role("group", name="Read in").get_by_role("button", name="English")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert_accessible(page)
    page.goto(f"/learn/{w.course_id}")
    wait_live(page)
    expect(page.get_by_role("heading", name=w.course_title, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=w.lesson_title, level=2)).to_be_visible()
    expect(page.get_by_text("0 of 1 lesson done")).to_be_visible()
    assert_accessible(page)
