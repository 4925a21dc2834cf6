"""The organization profile in Chromium: the partner admin edits the address (country by name), website and phone
at 375 px by keyboard, a bad field is named beside it with what was typed kept, and uploads a logo (checked by
content); a colleague reads it; the logo is served only to those who may see the partner; the channel manager
sees address and logo on the partner's page."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import BASE_URL, assert_accessible, at, log_in, wait_live

ADMIN = "dana.price@northwind-dist.example"
USER = "lena.fischer@northwind-dist.example"
MANAGER = "maya.cm@vendor.example"  # Northwind's channel manager
STRANGER = "anna.schmidt@meridian-ig.example"  # a partner user of another organization


def tiny_png() -> bytes:
    """A real 2x2 PNG (what a logo file starts with is what the server judges)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x3f\x51\xb5" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_the_partner_admin_edits_the_profile_on_a_phone(
    mobile_page: Page, page: Page, browser: Browser, tmp_path: Path
):
    p = mobile_page
    log_in(p, ADMIN, expect_path="/portal")
    p.goto("/portal/organization")
    form = p.get_by_role("form", name="Organization profile")
    expect(form.get_by_label("City")).to_have_value("Chicago")
    expect(form.get_by_label("Country")).to_have_value("US")  # the option's value; the person sees its name:
    expect(form.get_by_label("Country").locator("option:checked")).to_have_text("United States")

    # By keyboard: street, then Tab through postal code and city to the website.
    form.get_by_label("Street and number").click()
    p.keyboard.type("233 S Wacker Dr")
    p.keyboard.press("Tab")
    p.keyboard.type("60606")
    form.get_by_label("Website").fill("not a website")
    form.get_by_label("Phone").fill("+1 312 555 0142")
    form.get_by_label("Phone").press("Enter")
    expect(form.get_by_text("Enter a web address such as https://example.com.")).to_be_visible()
    expect(form.get_by_label("Website")).to_have_value("not a website")  # what was typed stays
    expect(form.get_by_label("Street and number")).to_have_value("233 S Wacker Dr")
    assert_accessible(p)

    form.get_by_label("Website").fill("northwind-dist.example")
    form.get_by_role("button", name="Save profile").click()
    expect(p.get_by_text("Organization profile saved.")).to_be_visible()
    p.reload()
    wait_live(p)
    expect(form.get_by_label("Website")).to_have_value("https://northwind-dist.example")
    expect(form.get_by_label("Postal code")).to_have_value("60606")
    expect(p.get_by_role("link", name="lead preferences")).to_have_attribute("href", re.compile(r"/leads/?$"))

    # A logo: a text file named .png is refused by its content; a real PNG is kept and shown.
    fake = tmp_path / "logo.png"
    fake.write_text("<svg onload='alert(1)'></svg>")
    p.locator('input[type="file"]').set_input_files(str(fake))
    p.get_by_role("button", name="Upload logo").click()
    expect(p.get_by_text("That file is not a PNG, JPEG or WebP image.")).to_be_visible()
    real = tmp_path / "northwind.png"
    real.write_bytes(tiny_png())
    p.locator('input[type="file"]').set_input_files(str(real))
    p.get_by_role("button", name="Upload logo").click()
    logo = p.get_by_role("img", name="Northwind Distribution logo")
    expect(logo).to_be_visible()
    expect(p.get_by_text("That file is not a PNG, JPEG or WebP image.")).to_have_count(0)
    assert_accessible(p)
    src = logo.get_attribute("src") or ""
    assert src.startswith("/_files/logo/")
    answer = p.request.get(src)
    assert answer.status == 200 and answer.headers["content-type"] == "image/png"
    assert answer.headers["x-content-type-options"] == "nosniff" and answer.body() == real.read_bytes()

    # A colleague reads the profile; nobody outside the partner and the vendor gets the logo.
    log_in(page, USER, expect_path="/portal")
    page.goto("/portal/organization")
    expect(page.get_by_text("233 S Wacker Dr")).to_be_visible()
    expect(page.get_by_text("60606 Chicago")).to_be_visible()
    expect(page.get_by_text("United States")).to_be_visible()
    expect(page.get_by_role("form", name="Organization profile")).to_have_count(0)
    expect(page.get_by_role("button", name="Upload logo")).to_have_count(0)
    expect(page.get_by_role("img", name="Northwind Distribution logo")).to_be_visible()
    assert_accessible(page)

    stranger = browser.new_context(base_url=BASE_URL)
    try:
        assert stranger.request.get(src).status == 404  # not signed in
        other = stranger.new_page()
        log_in(other, STRANGER, expect_path="/portal")
        assert other.request.get(src).status == 404  # another partner's people
    finally:
        stranger.close()

    # The channel manager sees the address and the logo on the partner's page.
    manager = browser.new_context(base_url=BASE_URL, viewport={"width": 1280, "height": 900})
    try:
        m = manager.new_page()
        log_in(m, MANAGER, expect_path="/partners")
        m.get_by_role("link", name="Northwind Distribution").first.click()
        m.wait_for_url(at(r"/partners/\d+", regex=True))
        wait_live(m)
        expect(m.get_by_text("233 S Wacker Dr")).to_be_visible()
        expect(m.get_by_text("Phone: +1 312 555 0142")).to_be_visible()
        expect(m.get_by_role("img", name="Northwind Distribution logo")).to_be_visible()
        assert_accessible(m)
    finally:
        manager.close()
