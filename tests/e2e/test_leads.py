"""Lead distribution end to end: drag-sort the queue (mouse and keyboard), route with reasons, confirm, a partner
declines, the lead recycles to the next partner, nobody else sees it; CSV import (the one record import, opened from
the queue) reports exactly the bad rows in its dry run, runs on the job queue (the server's consumer) with its
progress on the page, also after leaving and coming back."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, at, log_in, wait_live

MANAGER = "maya.cm@vendor.example"  # member of the Americas queue
NORTHWIND = "dana.price@northwind-dist.example"
LUMEN = "grace.kim@lumenlabs.example"  # Lumen Software Labs: next best for Maple Leaf Schools (CA), wins 100%
BLUEPEAK = "sam.carter@bluepeak.example"
QUEUE_LABEL = "Lead queue, highest priority first"
HEADER = "company,domain,contact_name,contact_email,country,city,postcode,vertical,products,estimated_size,source\n"
JOB_WAIT_MS = 60_000  # a job consumer polling an idle SQLite queue backs off to 10 s between looks
BIG = 3000


def _drag_above(page: Page, moving: str, target: str) -> None:
    """Mouse drag by the handle, in small steps so dnd-kit's activation distance and collision detection see it."""
    handle = page.get_by_role("button", name=f"Move {moving}", exact=True)
    goal = page.get_by_role("button", name=f"Move {target}", exact=True)
    src, dst = handle.bounding_box(), goal.bounding_box()
    x, y = src["x"] + src["width"] / 2, src["y"] + src["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, y - 10, steps=2)
    page.mouse.move(x, dst["y"] + dst["height"] / 2 - 6, steps=12)
    page.wait_for_timeout(150)
    page.mouse.up()


def _drop_on_partner(page: Page, lead: str, partner: str) -> None:
    """Mouse drag of a lead's handle onto a partner card (kept out of the bottom of the viewport, where dnd-kit
    would scroll the page mid-drag)."""
    handle = page.get_by_role("button", name=f"Move {lead}", exact=True)
    card = (
        page.get_by_role("region", name="Drop a lead on a partner to assign it")
        .get_by_role("listitem")
        .filter(has_text=partner)
    )
    src, dst = handle.bounding_box(), card.bounding_box()
    x, y = src["x"] + src["width"] / 2, src["y"] + src["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 10, y, steps=2)
    page.mouse.move(dst["x"] + dst["width"] / 2, dst["y"] + dst["height"] / 2, steps=15)
    page.wait_for_timeout(150)
    page.mouse.up()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(at("/login"))


def _queue_names(page: Page) -> list[str]:
    rows = page.locator(f'ol[aria-label="{QUEUE_LABEL}"] > li')
    expect(rows.first).to_be_visible()
    return [
        page.get_by_role("button", name="Move ", exact=False).nth(i).get_attribute("aria-label")[5:]
        for i in range(rows.count())
    ]


def test_queue_drag_keyboard_route_decline_recycle(page: Page, browser, app_server):
    log_in(page, MANAGER, expect_path="/partners")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Lead queue").click()
    page.wait_for_url(at("/lead-queue"))
    start = _queue_names(page)
    assert start[:4] == ["Pacific Coast Clinics", "Great Lakes Freight", "Maple Leaf Schools", "Austral Energía"]
    assert_accessible(page)

    # Mouse: C above A, and the order survives a reload.
    _drag_above(page, "Maple Leaf Schools", "Pacific Coast Clinics")
    expect(page.locator(f'ol[aria-label="{QUEUE_LABEL}"] > li').first).to_contain_text("Maple Leaf Schools")
    page.wait_for_timeout(300)  # the persist call
    page.reload()
    assert _queue_names(page)[:3] == ["Maple Leaf Schools", "Pacific Coast Clinics", "Great Lakes Freight"]

    # Keyboard: pick up Austral Energía, move it up one, drop.
    handle = page.get_by_role("button", name="Move Austral Energía", exact=True)
    handle.focus()
    for key in ("Space", "ArrowUp", "Space"):
        page.keyboard.press(key)
        page.wait_for_timeout(120)
    expect(page.get_by_text("Dropped Austral Energía at position 3 of 4.")).to_be_attached()
    page.wait_for_timeout(300)
    page.reload()
    assert _queue_names(page) == [
        "Maple Leaf Schools",
        "Pacific Coast Clinics",
        "Austral Energía",
        "Great Lakes Freight",
    ]

    # Route: every lead gets a partner with its reasons; confirm.
    page.get_by_role("button", name="Route the queue").click()
    expect(page.get_by_text("Routing proposed a partner for 4 leads; 0 found no partner.")).to_be_visible()
    maple = page.locator("tbody tr", has_text="Maple Leaf Schools")
    expect(maple).to_contain_text("Northwind Distribution")
    expect(maple).to_contain_text("Platinum tier")
    expect(maple).to_contain_text("km away")
    expect(page.locator("tbody tr", has_text="Great Lakes Freight")).to_contain_text("logistics vertical")
    assert_accessible(page)
    # Drag a lead onto a partner: assigned by hand, and the reason says who chose.
    _drop_on_partner(page, "Austral Energía", "Bluepeak Resellers")
    austral = page.locator("tbody tr", has_text="Austral Energía")
    expect(austral).to_contain_text("Bluepeak Resellers")
    expect(austral).to_contain_text("assigned by Maya Okafor")
    page.get_by_role("button", name="Confirm and send proposals").click()
    expect(page.get_by_text("Sent 4 leads to their partners.")).to_be_visible()
    expect(page.get_by_text("No leads are waiting in this queue.")).to_be_visible()
    _sign_out(page)

    # Northwind sees the offer and declines it.
    log_in(page, NORTHWIND, expect_path="/portal")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Leads").click()
    page.wait_for_url(at("/leads"))
    page.get_by_role("link", name="Maple Leaf Schools").click()
    page.wait_for_url(at(r"/leads/\d+", regex=True))
    lead_url = page.url
    expect(page.get_by_text("Accept by")).to_be_visible()
    expect(page.get_by_text("Shown once you accept").first).to_be_visible()  # whom to call: only after accepting
    expect(page.get_by_text("Anne Roy")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Decline").click()
    expect(page.get_by_text("Choose why you decline.")).to_be_visible()
    page.get_by_label("Reason for declining").select_option("No capacity")
    page.get_by_role("button", name="Decline").click()
    dialog = page.get_by_role("alertdialog", name="Decline this lead?")
    expect(dialog).to_contain_text("It goes to another partner at once")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()  # a stray Enter keeps the lead
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(page).to_have_url(lead_url)
    page.get_by_role("button", name="Decline").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Decline lead").click()
    page.wait_for_url(at("/leads"))
    expect(page.get_by_role("link", name="Maple Leaf Schools")).to_have_count(0)
    page.goto(lead_url)
    expect(page.get_by_text("Lead not found.")).to_be_visible()
    _sign_out(page)

    # It recycled to Lumen Software Labs (Gold, wins every deal it closes), which accepts it.
    log_in(page, LUMEN, expect_path="/portal")
    page.goto("/leads")
    page.get_by_role("link", name="Maple Leaf Schools").click()
    page.get_by_role("button", name="Accept lead").click()
    expect(page.get_by_text("Accepted", exact=True)).to_be_visible()
    expect(page.get_by_text("Anne Roy")).to_be_visible()
    # Accepted leads become deal registrations with the lead's details already filled in.
    page.get_by_role("link", name="Register a deal from this lead").click()
    page.wait_for_url(at("/deals/new"))
    expect(page.get_by_label("Company name")).to_have_value("Maple Leaf Schools")
    expect(page.get_by_label("Website or email domain")).to_have_value("mapleleafschools.ca")
    expect(page.get_by_label("Country")).to_have_value("CA")
    expect(page.get_by_label(re.compile("^ ?Core Platform"))).to_be_checked()
    page.get_by_label("Expected close date").fill((date.today() + timedelta(days=60)).isoformat())
    page.get_by_label("Stage").select_option("Discovery")
    page.get_by_role("button", name="Submit registration").click()
    page.wait_for_url(at(r"/deals/\d+", regex=True))
    expect(page.get_by_role("heading", name="Maple Leaf Schools")).to_be_visible()
    page.goto(lead_url)
    expect(page.get_by_text("Converted to deal")).to_be_visible()
    _sign_out(page)

    # Another partner cannot see it, not in its list nor by URL.
    log_in(page, BLUEPEAK, expect_path="/portal")
    page.goto("/leads")
    expect(page.get_by_role("link", name="Maple Leaf Schools")).to_have_count(0)
    page.goto(lead_url)
    expect(page.get_by_text("Lead not found.")).to_be_visible()
    expect(page.get_by_text("Maple Leaf Schools")).to_have_count(0)


def test_csv_import_reports_exactly_the_bad_rows(page: Page, tmp_path):
    csv_text = (
        "company,domain,contact_name,contact_email,country,city,postcode,vertical,products,estimated_size,source\n"
        "Rio Foods,riofoods.com,Ana Lima,ana@riofoods.com,BR,São Paulo,,retail,PRM-CORE,20000,event\n"
        "Bad Email Inc,bademail.com,Bo Bad,not-an-email,US,Boston,,retail,PRM-CORE,1000,website\n"
        "Toronto Transit Data,ttdata.ca,Lee Chan,lee@ttdata.ca,CA,Toronto,,logistics,PRM-ANL,15000,webinar\n"
        "Atlantis Ltd,atlantis.com,Nemo,nemo@atlantis.com,Atlantis,,,retail,PRM-CORE,500,website\n"
    )
    path = tmp_path / "leads.csv"
    path.write_text(csv_text, encoding="utf-8")
    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/lead-queue")
    page.get_by_role("link", name="Import CSV").click()
    expect(page).to_have_url(re.compile(r"/data/import\?kind=leads$"))
    wait_live(page)  # a file chosen before the page is live reaches no handler
    expect(page.get_by_label("Records")).to_have_value("leads")
    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("leads.csv: 4 rows.")).to_be_visible()
    page.get_by_role("button", name="Dry run").click()
    # The job consumer beside the server works the runs; an idle SQLite queue is polled every few seconds.
    dry = "Dry run, nothing written: 2 added, 0 updated, 0 skipped, 2 failed."
    expect(page.get_by_text(dry)).to_be_visible(timeout=JOB_WAIT_MS)
    errors = page.get_by_role("region", name="Rows that failed").locator("tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("3")
    expect(errors.nth(0)).to_contain_text("contact email")
    expect(errors.nth(1)).to_contain_text("5")
    expect(errors.nth(1)).to_contain_text("country")
    assert_accessible(page)
    page.get_by_role("button", name="Import", exact=True).focus()  # by keyboard
    page.keyboard.press("Enter")
    expect(page.get_by_text("Imported: 2 added, 0 updated, 0 skipped, 2 failed.")).to_be_visible(timeout=JOB_WAIT_MS)
    assert_accessible(page)
    page.goto("/lead-queue")
    expect(page.get_by_role("button", name="Move Toronto Transit Data", exact=True)).to_be_visible()


def test_a_big_import_shows_its_progress_and_finds_it_again_on_return(page: Page, tmp_path):
    rows = [
        f"Bulk Buyer {n},bulkbuyer{n}.com,Pat {n},pat@bulkbuyer{n}.com,US,Chicago,,retail,PRM-CORE,{1000 + n},website"
        for n in range(BIG)
    ]
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/data/import?kind=leads")
    wait_live(page)
    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text(f"big.csv: {BIG} rows.")).to_be_visible()
    page.get_by_role("button", name="Dry run").click()
    dry = f"Dry run, nothing written: {BIG:,} added, 0 updated, 0 skipped, 0 failed."
    expect(page.get_by_text(dry)).to_be_visible(timeout=JOB_WAIT_MS)
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.get_by_role("progressbar", name="Import progress")).to_be_visible()
    progress = re.compile(rf"[\d,]+ of {BIG} rows|Waiting")
    expect(page.get_by_role("status").filter(has_text=progress)).to_be_visible()
    assert_accessible(page)
    page.goto("/lead-queue")
    page.goto("/data/import?kind=leads")  # the run is this person's latest: its progress, then its outcome, again
    expect(page.get_by_text(f"Imported: {BIG:,} added, 0 updated, 0 skipped, 0 failed.")).to_be_visible(
        timeout=JOB_WAIT_MS
    )
    expect(page.get_by_role("progressbar", name="Import progress")).to_have_count(0)
