"""Previews in the browser (#14): a partner sees an image asset drawn (decoded, not a broken image), a video asset
playable (its metadata loaded through the app's range requests: 206 with Content-Range) and a PDF in a frame; each
with its Download. At 375 px too, axe dark."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from tests.e2e.conftest import actor_of, assert_accessible, log_in, wait_live
from tests.e2e.test_content import _pdf

MANAGER = "maya.cm@vendor.example"
GOLD = "jake.morris@cobaltsys.example"  # Cobalt Systems VAR, Gold
BANNER = "Ransomware Readiness Social Banner"  # a PNG of the demo library, for every partner


def _asset(app_db, title: str, data: bytes, name: str, content_type: str) -> str:
    from prm_app.audience import AudienceRule
    from prm_app.content.rules import AssetInput
    from prm_app.content.service import create_asset
    from prm_app.content.storage import CONTENT_FILES

    with app_db() as session:
        stored = CONTENT_FILES.put(data, name, content_type)
        made = create_asset(
            session, actor_of(session, MANAGER), AssetInput(title=title, description="Preview", category="training"),
            AudienceRule(), stored,
        )  # fmt: skip
        session.commit()
    return made.slug


def _open(page: Page, app_db, title: str) -> None:
    from sqlmodel import select

    from prm_app.content.models import Asset

    with app_db() as session:
        slug = session.exec(select(Asset.slug).where(Asset.title == title)).one()
    page.goto(f"/a/{slug}")
    wait_live(page)
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()


def test_images_videos_and_pdfs_preview_in_the_browser(page: Page, app_db):
    from prm_app.training.demo_media import demo_mp4

    token = uuid.uuid4().hex[:6]
    video, pdf = f"Platform tour {token}", f"Datasheet {token}"
    _asset(app_db, video, demo_mp4(6, "Tour"), "tour.mp4", "video/mp4")
    _asset(app_db, pdf, _pdf("Datasheet"), "datasheet.pdf", "application/pdf")
    log_in(page, GOLD, expect_path="/portal")

    _open(page, app_db, BANNER)
    image = page.get_by_role("img", name=f"Preview of {BANNER}")
    expect(image).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    expect(page.get_by_role("link", name="Download")).to_be_visible()
    assert_accessible(page, dark=True, phone=True)

    _open(page, app_db, video)
    player = page.get_by_label(f"Video: {video}")
    expect(player).to_be_visible()
    page.wait_for_function("v => v.readyState >= 1 && v.duration > 5", arg=player.element_handle())  # metadata
    src = player.evaluate("v => v.currentSrc")
    ranged = page.request.get(src, headers={"Range": "bytes=0-99"})
    assert ranged.status == 206 and ranged.headers["content-range"].startswith("bytes 0-99/")
    assert len(ranged.body()) == 100
    assert_accessible(page)

    _open(page, app_db, pdf)
    expect(page.locator(f'iframe[title="Preview of {pdf}"]')).to_be_visible()
    assert_accessible(page, phone=True)
