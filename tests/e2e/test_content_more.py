"""The rest of the content library (#14) in Chromium:

- a channel manager generates every partner's co-branded copy of the demo template as a job run: the page follows
  it to "copies ready", the partners' table says each copy is generated, and the zip holds a stamped PDF a partner;
- publish and expiry are moments a manager in Los Angeles types in their own zone (the form names it and shows
  them back so); a partner in Tokyo reads the expiry in Tokyo time; a time the clocks skip is refused beside its
  field with what was typed kept;
- a material change notifies a partner that downloaded the older version, and the asset's usage shows it;
- a kit made on the kits page with a period shows in a partner's library while it runs;
- the library filters by category, sorts by most used, pages, and narrows to what is new since the last visit (a
  partner's first visit, then an asset made after it);
- the team places zones on a co-brand template (a box off the page refused beside the field) and removes one.

People are written straight to the app's database with their zone set (never signed in before). axe on the pages.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import DEMO_PASSWORD, actor_of, assert_accessible, at, log_in, wait_live
from tests.e2e.test_content import _pdf, _sign_out

MANAGER = "maya.cm@vendor.example"
GOLD = "jake.morris@cobaltsys.example"  # Cobalt Systems VAR, Gold
TEMPLATE = "co-branded-novastor-x2-datasheet"
LA, TOKYO = ZoneInfo("America/Los_Angeles"), ZoneInfo("Asia/Tokyo")


def _person(app_db, role: str, zone: str, org_of: str | None = None) -> str:
    """A new person with their zone already set: their email."""
    from prm_app.identity import User
    from prm_app.platform.security import hash_password

    email = f"content.{uuid.uuid4().hex[:8]}@{'cobaltsys' if org_of else 'vendor'}.example"
    with app_db() as session:
        org_id = actor_of(session, org_of).organization_id if org_of else None
        session.add(
            User(
                email=email, full_name="Cora Content", password_hash=hash_password(DEMO_PASSWORD), role=role,
                organization_id=org_id, time_zone=zone,
            )
        )  # fmt: skip
        session.commit()
    return email


def _asset_id(app_db, slug: str) -> int:
    from sqlmodel import select

    from prm_app.content.models import Asset

    with app_db() as session:
        return session.exec(select(Asset.id).where(Asset.slug == slug)).one()


def test_the_team_generates_every_partners_copy_as_a_job_and_downloads_them_as_one_zip(page: Page, app_db):
    log_in(page, MANAGER, expect_path="/partners")
    page.goto(f"/content/{_asset_id(app_db, TEMPLATE)}")
    wait_live(page)
    copies = page.get_by_role("region", name="Partners' copies")
    expect(copies.locator("tbody tr")).not_to_have_count(0)
    partners = copies.locator("tbody tr").count()

    page.get_by_role("button", name="Generate every partner's copy").click()
    done = page.get_by_role("status").filter(has_text=re.compile(r"\d+ (copy|copies) ready"))
    expect(done).to_be_visible(timeout=90_000)
    expect(done).to_contain_text(f"{partners} copies ready")
    expect(copies.get_by_role("cell", name="Not yet", exact=True)).to_have_count(0)
    assert_accessible(page, dark=True, phone=True)

    # By keyboard, as a keyboard user does: the link is below the template's PDF viewer, and a mouse click just below
    # that out-of-process frame, after a scroll, was sometimes swallowed by headless Chromium (seen on the asset page).
    with page.expect_download() as download:
        page.get_by_role("link", name="Download every copy (zip)").press("Enter")
    with zipfile.ZipFile(Path(download.value.path())) as archive:
        names = archive.namelist()
        assert len(names) == partners
        cobalt = next(n for n in names if n.startswith("cobalt-systems-var-"))
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(archive.read(cobalt))).pages)
    assert "Cobalt Systems VAR" in text

    # A second run changes nothing: every copy is current, made once.
    page.get_by_role("button", name="Generate every partner's copy").click()
    expect(done).to_contain_text(f"{partners} copies ready", timeout=90_000)


def test_publish_and_expiry_are_moments_in_the_managers_zone_read_by_each_in_their_own(page: Page, app_db):
    manager = _person(app_db, "channel_manager", "America/Los_Angeles")
    partner = _person(app_db, "partner_user", "Asia/Tokyo", org_of=GOLD)
    title = f"Launch webinar {uuid.uuid4().hex[:6]}"
    opened = datetime.now(LA).replace(second=0, microsecond=0, tzinfo=None) - timedelta(hours=1)
    expires = datetime(date.today().year + 1, 1, 15, 9, 0)  # 09:00 in Los Angeles: 02:00 next day in Tokyo
    spring = datetime(date.today().year + 1, 3, 8, 2, 30)
    while spring.weekday() != 6:  # the second Sunday of March, when Los Angeles skips 02:00-03:00
        spring += timedelta(days=1)

    log_in(page, manager, expect_path="/partners")
    page.goto("/content/new?kind=link")
    wait_live(page)
    expect(page.get_by_text("Publish and expiry times are in America / Los Angeles.")).to_be_visible()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill("Join the launch webinar.")
    page.get_by_label("Web address").fill("https://example.com/launch")
    page.get_by_label("Category").select_option("campaign")
    page.get_by_label("Publish at").fill(spring.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Expires at").fill(expires.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Publish asset").click()
    expect(page.get_by_text("The clocks skip that time there")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value(title)  # nothing typed is lost
    assert_accessible(page, phone=True)
    page.get_by_label("Publish at").fill(opened.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Publish asset").click()
    page.wait_for_url(at(r"/content/\d+", regex=True))
    wait_live(page)
    expect(page.get_by_label("Expires at")).to_have_value(expires.strftime("%Y-%m-%dT%H:%M"))  # as typed, in LA
    as_partners = page.get_by_role("link", name="Open as partners see it")
    expect(as_partners).to_have_attribute("href", re.compile(r"^/a/.+"))  # "/a/" until the asset's slug is in
    slug = (as_partners.get_attribute("href") or "").rsplit("/", 1)[-1]
    with app_db() as session:
        from sqlmodel import select

        from prm_app.content.models import Asset

        stored = session.exec(select(Asset).where(Asset.slug == slug)).one()
        assert stored.expire_at == expires.replace(tzinfo=LA)  # the moment, not a UTC midnight
        assert stored.time_zone == "America/Los_Angeles"
    _sign_out(page)

    log_in(page, partner, expect_path="/portal")
    page.goto(f"/a/{slug}")
    wait_live(page)
    in_tokyo = expires.replace(tzinfo=LA).astimezone(TOKYO)
    expect(page.get_by_text(f"available until {in_tokyo:%-d %b %Y, %H:%M} JST")).to_be_visible()
    assert_accessible(page, dark=True, phone=True)


def test_a_material_change_tells_the_partner_that_downloaded_the_older_version(page: Page, app_db, tmp_path):
    from prm_app.audience import AudienceRule
    from prm_app.content.rules import AssetInput
    from prm_app.content.service import create_asset
    from prm_app.content.storage import CONTENT_FILES

    title = f"Support policy {uuid.uuid4().hex[:6]}"
    with app_db() as session:
        stored = CONTENT_FILES.put(_pdf("Policy v1"), "policy.pdf", "application/pdf")
        made = create_asset(
            session,
            actor_of(session, MANAGER),
            AssetInput(title=title, description="Support terms", category="legal"),
            AudienceRule(),
            stored,
        )
        session.commit()

    log_in(page, GOLD, expect_path="/portal")
    page.goto(f"/a/{made.slug}")
    wait_live(page)
    # The page is drawn once its data is in (the preview and the link to this asset's file), not only hydrated.
    expect(page.get_by_title(f"Preview of {title}")).to_be_visible()
    download = page.get_by_role("link", name="Download")
    expect(download).to_have_attribute("href", re.compile(f"/{made.slug}$"))
    with page.expect_download():
        download.click()
    _sign_out(page)

    v2 = tmp_path / "policy-v2.pdf"
    v2.write_bytes(_pdf("Policy v2"))
    log_in(page, MANAGER, expect_path="/partners")
    page.goto(f"/content/{made.id}")
    wait_live(page)
    expect(
        page.get_by_role("region", name="Usage by partner").get_by_role("row", name=re.compile("Cobalt"))
    ).to_be_visible()
    page.locator('input[type="file"]').set_input_files(str(v2))
    page.get_by_role("button", name="Upload file").click()
    expect(page.get_by_role("status").filter(has_text="Uploaded: policy-v2.pdf")).to_be_visible()
    page.get_by_label("What changed").fill("Response times shortened")
    page.get_by_label("Material change: tell partners who downloaded an older version").check()
    page.get_by_role("button", name="Publish version").click()
    expect(page.get_by_role("row", name=re.compile(r"^v2 \(current\)"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^v2 .*material change"))).to_be_visible()
    _sign_out(page)

    log_in(page, GOLD, expect_path="/portal")
    page.goto("/portal/notifications")
    wait_live(page)
    notice = page.get_by_role("list", name="Notifications").get_by_text(f"“{title}” has changed materially")
    expect(notice).to_be_visible()


def _link_asset(app_db, title: str) -> str:
    """A link asset for every partner, made by the manager now: its slug."""
    from prm_app.audience import AudienceRule
    from prm_app.content.rules import AssetInput
    from prm_app.content.service import create_asset

    data = AssetInput(title=title, description="Fresh material", category="campaign", link_url="https://example.com")
    with app_db() as session:
        made = create_asset(session, actor_of(session, MANAGER), data, AudienceRule())
        session.commit()
    return made.slug


def test_a_kit_with_a_period_shows_while_it_runs_and_the_library_sorts_pages_and_narrows(page: Page, app_db):
    name = f"Winter push {uuid.uuid4().hex[:6]}"
    today = date.today()
    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/content/kits")
    wait_live(page)
    page.get_by_label("Name").fill(name)
    page.get_by_label("First day").fill(today.isoformat())
    page.get_by_label("Last day").fill((today + timedelta(days=14)).isoformat())
    page.get_by_label("Assets (their links or slugs, one a line)").fill("/a/partner-program-guide-2026")
    page.get_by_role("button", name="Save kit").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    assert_accessible(page, phone=True)
    _sign_out(page)

    partner = _person(app_db, "partner_user", "UTC", org_of=GOLD)  # has never opened the library
    log_in(page, partner, expect_path="/portal")
    page.goto("/library")
    wait_live(page)
    expect(page.get_by_text("everything here is new to you")).to_be_visible()
    expect(page.get_by_role("heading", name=name)).to_be_visible()  # the kit, while it runs
    expect(page.get_by_role("link", name="Partner Program Guide 2026").first).to_be_visible()

    page.get_by_label("Category").select_option("legal")
    page.get_by_role("button", name="Search").click()
    cards = page.locator(".library-card")
    expect(cards.first).to_contain_text("Legal")
    expect(cards.filter(has_not_text="Legal ·")).to_have_count(0)
    page.get_by_label("Category").select_option("")
    page.get_by_label("Sort by").select_option("most_used")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text(re.compile(r"^\d+ assets$"))).to_be_visible()
    first = page.locator(".library-card").first.get_by_role("heading").inner_text()
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.locator(".library-card").first.get_by_role("heading")).not_to_have_text(first)

    # Something new arrives; the next visit says so, and narrows to it.
    title = f"Holiday banner set {uuid.uuid4().hex[:6]}"
    _link_asset(app_db, title)
    page.goto("/library")
    wait_live(page)
    expect(page.get_by_text(re.compile(r"new assets? since your last visit on"))).to_be_visible()
    page.get_by_label("Search the library").fill(title)
    page.get_by_label("Only what is new since my last visit").check()
    page.get_by_role("button", name="Search").click()
    card = page.locator(".library-card").filter(has_text=title)
    expect(card.get_by_text("New", exact=True)).to_be_visible()
    expect(page.get_by_text("1 asset", exact=True)).to_be_visible()
    page.get_by_label("Search the library").fill("Partner Program Guide 2026")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Nothing in the library matches")).to_be_visible()  # not new since the last visit
    assert_accessible(page, dark=True, phone=True)


def test_the_team_places_and_removes_zones_on_a_co_brand_template(page: Page, app_db):
    from prm_app.audience import AudienceRule
    from prm_app.content.rules import AssetInput
    from prm_app.content.service import create_asset
    from prm_app.content.storage import CONTENT_FILES

    with app_db() as session:
        stored = CONTENT_FILES.put(_pdf("Flyer"), "flyer.pdf", "application/pdf")
        made = create_asset(
            session, actor_of(session, MANAGER), AssetInput(title=f"Flyer {uuid.uuid4().hex[:6]}", description="",
            category="campaign"), AudienceRule(), stored, cobrand=True,
        )  # fmt: skip
        session.commit()

    log_in(page, MANAGER, expect_path="/partners")
    page.goto(f"/content/{made.id}")
    wait_live(page)
    zones = page.get_by_role("region", name="Zones")
    form = page.get_by_role("form", name="Add a zone")
    form.get_by_label("y (pt)").fill("2000")  # off the page: refused beside the field, the rest kept
    form.get_by_label("Shows").select_option("field")
    form.get_by_label("Profile field").select_option("phone")
    form.get_by_role("button", name="Add zone").click()
    expect(form.get_by_text("The box must fit on the page")).to_be_visible()
    expect(form.get_by_label("Profile field")).to_have_value("phone")
    form.get_by_label("y (pt)").fill("60")
    form.get_by_role("button", name="Add zone").click()
    expect(
        zones.get_by_role("row", name=re.compile(r"Page 1 · x 36, y 60 · 160 × 40 pt · Profile field: Phone"))
    ).to_be_visible()
    form.get_by_label("Shows").select_option("free_text")
    form.get_by_label("Profile field").select_option("")
    form.get_by_label("Text (free text zones)").fill("Valid until March")
    form.get_by_label("Locked: partners may not change its text").check()
    form.get_by_role("button", name="Add zone").click()
    locked = zones.get_by_role("row", name=re.compile("Valid until March.*locked"))
    expect(locked).to_be_visible()
    assert_accessible(page, phone=True)
    page.get_by_role("button", name=re.compile(r"Remove zone: .*Valid until March")).click()
    expect(locked).to_have_count(0)
