"""The content library in Chromium (#14): a manager uploads a PDF (with a progress bar) for Gold partners; a Gold
partner finds it by a word of its description and downloads the identical bytes; a Silver partner sees it locked and
gets the same 404 on its direct URL as on a missing one; version 2 replaces it while the version-1 link still
resolves with a "superseded" banner; a partner downloads the co-branded datasheet stamped with its company name and
phone; an oversized file and an executable renamed .pdf are refused with clear messages and nothing stored."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import actor_of, assert_accessible, at, log_in, wait_live

MANAGER = "maya.cm@vendor.example"
GOLD = "jake.morris@cobaltsys.example"  # Cobalt Systems VAR, Gold
SILVER = "sam.carter@bluepeak.example"  # Bluepeak Resellers, Silver
STORE = Path(__file__).resolve().parents[2] / "uploads" / "content"


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(at("/login"))


def _pdf(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(300, 20, text)
    return bytes(pdf.output())


def _upload(page: Page, path: Path) -> None:
    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_role("button", name="Upload file").click()


def _stored_files() -> set[str]:
    return {p.name for p in STORE.iterdir()} if STORE.is_dir() else set()


def test_a_gold_only_pdf_is_found_and_downloaded_by_gold_locked_for_silver_and_versioned(page: Page, tmp_path):
    word = "zephyr" + uuid.uuid4().hex[:6]
    title = f"EMEA Storage Price Sheet {word[-6:]}"
    v1 = tmp_path / "price-sheet.pdf"
    v1.write_bytes(_pdf(f"Version one {word}"))

    log_in(page, MANAGER, expect_path="/partners")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Content").click()
    page.wait_for_url(at("/content"))
    page.get_by_role("link", name="New asset").click()
    page.wait_for_url(at("/content/new"))
    wait_live(page)
    _upload(page, v1)
    expect(page.get_by_role("status").filter(has_text="Uploaded: price-sheet.pdf")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Upload progress")).to_be_visible()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill(f"Partner prices for the {word} appliance range, valid this quarter.")
    page.get_by_label("Category").select_option("sales")
    page.get_by_label("Lowest tier").select_option("Gold")
    assert_accessible(page, phone=True)
    page.get_by_role("button", name="Publish asset").click()
    page.wait_for_url(at(r"/content/\d+", regex=True))
    asset_url = page.url
    opens = page.get_by_role("link", name="Open as partners see it")
    expect(opens).to_have_attribute("href", re.compile(r"^/a/emea-storage-price-sheet-"))
    slug = (opens.get_attribute("href") or "").rsplit("/", 1)[-1]
    _sign_out(page)

    # A Gold partner finds it by a word of its description and downloads the very bytes uploaded.
    log_in(page, GOLD, expect_path="/portal")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Library").click()
    page.wait_for_url(at("/library"))
    wait_live(page)
    expect(page.get_by_text("everything here is new to you")).to_be_visible()  # the library has loaded
    page.get_by_label("Search the library").fill(word)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 asset", exact=True)).to_be_visible()
    assert_accessible(page, phone=True)
    page.get_by_role("link", name=title).click()
    page.wait_for_url(at(f"/a/{slug}"))
    expect(page.get_by_title(f"Preview of {title}")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    assert Path(download.value.path()).read_bytes() == v1.read_bytes()
    answer = page.request.get(f"/_files/content/{slug}")
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["content-disposition"].startswith("attachment")
    _sign_out(page)

    # A Silver partner sees it locked, and its direct URL answers exactly as a missing asset does.
    log_in(page, SILVER, expect_path="/portal")
    page.goto("/library")
    wait_live(page)
    expect(page.get_by_text("Available from Platinum").first).to_be_visible()  # the library has loaded
    page.get_by_label("Search the library").fill(word)
    page.get_by_role("button", name="Search").click()
    card = page.locator(".library-card").filter(has_text=title)
    expect(card.get_by_text("Available from Gold")).to_be_visible()
    hidden, missing = page.request.get(f"/_files/content/{slug}"), page.request.get("/_files/content/no-such-asset")
    assert hidden.status == missing.status == 404 and hidden.body() == missing.body()
    assert page.request.get(f"/_files/content/{slug}/v/1").body() == missing.body()
    _sign_out(page)

    # Version 2 replaces it at the stable link; the version-1 link still resolves, with the banner.
    v2 = tmp_path / "price-sheet-v2.pdf"
    v2.write_bytes(_pdf(f"Version two {word}"))
    log_in(page, MANAGER, expect_path="/partners")
    page.goto(asset_url)
    wait_live(page)
    _upload(page, v2)
    expect(page.get_by_role("status").filter(has_text="Uploaded: price-sheet-v2.pdf")).to_be_visible()
    page.get_by_label("What changed").fill("Prices for next quarter")
    page.get_by_role("button", name="Publish version").click()
    expect(page.get_by_role("row", name=re.compile(r"^v2 \(current\)"))).to_be_visible()
    assert_accessible(page)
    _sign_out(page)

    log_in(page, GOLD, expect_path="/portal")
    assert page.request.get(f"/_files/content/{slug}").body() == v2.read_bytes()
    page.goto(f"/a/{slug}/v/1")
    wait_live(page)
    expect(page.get_by_text("This version is superseded.")).to_be_visible()
    assert page.request.get(f"/_files/content/{slug}/v/1").body() == v1.read_bytes()
    page.get_by_role("link", name="Open the current version").click()
    page.wait_for_url(at(f"/a/{slug}"))
    expect(page.get_by_text("This version is superseded.")).to_have_count(0)


def test_a_partner_downloads_the_co_branded_datasheet_with_its_name_and_phone(page: Page, app_db):
    from sqlmodel import select

    from prm_app.partners import Organization

    phone = f"+1 512 555 {uuid.uuid4().int % 10000:04d}"
    with app_db() as session:
        org = session.exec(select(Organization).where(Organization.name == "Cobalt Systems VAR")).one()
        org.phone = phone
        session.add(org)
        session.commit()

    log_in(page, GOLD, expect_path="/portal")
    page.goto("/a/co-branded-novastor-x2-datasheet")
    wait_live(page)
    page.get_by_label("Text on page 1").fill("Ask Jake for a demo this week")
    assert_accessible(page, phone=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download co-branded PDF").click()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages)
    assert "Cobalt Systems VAR" in text and phone in text and "Ask Jake for a demo this week" in text
    assert "Prices valid for 30 days." in text  # the locked zone's text stands
    locked = page.request.get("/_files/content/co-branded-novastor-x2-datasheet/cobrand?zone-999999=mine")
    assert locked.status == 422


def test_an_oversized_file_and_an_executable_named_pdf_are_refused_and_nothing_is_kept(page: Page, tmp_path):
    fake = tmp_path / "invoice.pdf"
    fake.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 4096)  # a Windows executable
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as out:  # 200 MB and a little more, mostly a hole in the file
        out.write(_pdf("big"))
        out.truncate(200 * 1024 * 1024 + 4096)
    before = _stored_files()

    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/content/new")
    wait_live(page)
    _upload(page, fake)
    expect(page.get_by_role("alert").filter(has_text="That file is not a PDF, image")).to_be_visible()
    _upload(page, huge)
    expect(page.get_by_role("alert").filter(has_text="That file is over 200 MB")).to_be_visible(timeout=60_000)
    page.get_by_label("Title").fill("Should not exist")
    page.get_by_label("Category").select_option("sales")
    page.get_by_role("button", name="Publish asset").click()
    expect(page.get_by_text("Upload the file first.")).to_be_visible()
    assert _stored_files() == before


def test_the_team_previews_as_a_partner_rolls_back_deletes_and_an_admin_restores(page: Page, app_db):
    from prm_app.audience import AudienceRule
    from prm_app.content.rules import AssetInput
    from prm_app.content.service import create_asset

    title = f"Retired brochure {uuid.uuid4().hex[:6]}"
    with app_db() as session:
        create_asset(
            session,
            actor_of(session, MANAGER),
            AssetInput(
                title=title, description="Last year's brochure", category="sales", link_url="https://example.com/b"
            ),
            AudienceRule(),
        )
        session.commit()

    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/content/preview")
    wait_live(page)
    page.get_by_label("Partner", exact=True).select_option(label="Bluepeak Resellers")
    page.get_by_label("Search their library").fill("partner price list")
    page.get_by_role("button", name="Show").click()
    card = page.locator(".library-card").filter(has_text="NovaStor X2 Partner Price List")
    expect(card.get_by_text("Available from Gold")).to_be_visible()
    assert_accessible(page, phone=True)

    page.goto("/content")
    wait_live(page)
    page.get_by_label("Search assets").fill("Partner Program Guide")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Partner Program Guide 2026").click()
    page.wait_for_url(at(r"/content/\d+", regex=True))
    wait_live(page)
    page.get_by_role("button", name="Roll back to v1").click()
    expect(page.get_by_role("row", name=re.compile(r"^v1 \(current\)"))).to_be_visible()
    page.get_by_role("button", name="Roll back to v2").click()
    expect(page.get_by_role("row", name=re.compile(r"^v2 \(current\)"))).to_be_visible()
    page.get_by_label("Partner", exact=True).select_option(label="Bluepeak Resellers")
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_text("Bluepeak Resellers sees this asset and can open it.")).to_be_visible()

    page.goto("/content")
    wait_live(page)
    page.get_by_label("Search assets").fill(title)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=title).click()
    page.wait_for_url(at(r"/content/\d+", regex=True))
    wait_live(page)
    page.get_by_role("button", name="Delete asset").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete asset").click()
    page.wait_for_url(at("/content"))
    expect(page.get_by_text("Asset deleted. An admin can restore it for 30 days.")).to_be_visible()
    expect(page.get_by_role("link", name=title)).to_have_count(0)
    _sign_out(page)

    log_in(page, "admin@vendor.example", expect_path="/partners")
    page.goto("/content/deleted")
    wait_live(page)
    page.get_by_role("button", name=f"Restore {title}").click()
    expect(page.get_by_role("row", name=re.compile(title))).to_have_count(0)
    _sign_out(page)

    log_in(page, GOLD, expect_path="/portal")
    page.goto("/library")
    wait_live(page)
    expect(page.get_by_role("heading", name="Ransomware Readiness Quarter")).to_be_visible()  # loaded
    page.get_by_label("Search the library").fill(title)
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".library-card").filter(has_text=title)).to_be_visible()
