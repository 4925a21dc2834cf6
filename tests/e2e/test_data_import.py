"""Record CSV import and export end to end (issue #17): an admin on a phone (375 px), by keyboard, upserts 10,000
partners with 3 bad rows: the dry run reports 9,997 / 3 with the bad rows' line numbers and writes nothing; the real
run's counts match; the same file again changes nothing. An export of the filtered partner list (for Excel, with a
BOM, formula-safe) imports back unchanged. Axe in light and dark mode at 375 px."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect
from sqlmodel import col, func, select

from prm_app.partners import Organization
from tests.e2e.conftest import assert_accessible, log_in, wait_live

ADMIN = "admin@vendor.example"
MANAGER = "maya.cm@vendor.example"
HEADER = "external_id,name,partner_type,region,country,city,website,channel_manager_email"
JOB_WAIT_MS = 600_000  # 10,000 partners through the use cases on a shared 2-core machine, after the queue's poll
ROWS = 10_000


def _press(page: Page, name: str) -> None:
    """Activate a button by keyboard: focus it, Enter."""
    page.get_by_role("button", name=name, exact=True).focus()
    page.keyboard.press("Enter")


def _upload(page: Page, path) -> None:
    page.goto("/data/import")
    wait_live(page)  # a file chosen before the page is live reaches no handler
    page.locator('input[type="file"]').set_input_files(str(path))
    _press(page, "Upload")


def _count(app_db, prefix: str) -> int:
    with app_db() as session:
        return session.exec(
            select(func.count()).where(col(Organization.external_id).startswith(prefix, autoescape=True))
        ).one()


def test_ten_thousand_partners_upserted_with_three_bad_rows(mobile_page: Page, app_db, tmp_path):
    page, token = mobile_page, uuid.uuid4().hex[:6]
    lines = [HEADER] + [
        f"E{token}-{n},Bulk {token} Partner {n},reseller,EMEA,PT,Lisbon,bulk{token}p{n}.example,{MANAGER}"
        for n in range(ROWS)
    ]
    lines[101] = f"E{token}-100,Bulk {token} Partner 100,reseller,Atlantis,PT,Lisbon,,{MANAGER}"  # line 102
    lines[5002] = f"E{token}-5001,Bulk {token} Partner 5001,reseller,EMEA,Narnia,,,{MANAGER}"  # line 5003
    lines[9999] = f"E{token}-9998,Bulk {token} Partner 9998,reseller,EMEA,PT,,,nobody@vendor.example"  # line 10000
    path = tmp_path / "partners.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")

    log_in(page, ADMIN, expect_path="/partners")
    _upload(page, path)
    expect(page.get_by_text("partners.csv: 10000 rows.")).to_be_visible()
    mapping = page.get_by_role("region", name="Column mapping")
    expect(mapping.get_by_role("row")).to_have_count(9)  # the header row and the file's 8 columns, all matched
    expect(page.get_by_label("channel_manager_email", exact=True)).to_have_value("channel_manager_email")
    expect(page.get_by_role("button", name="Import", exact=True)).to_be_disabled()  # a dry run comes first
    assert_accessible(page, dark=True, phone=True)

    _press(page, "Dry run")
    summary = page.get_by_text("Dry run, nothing written: 9,997 added, 0 updated, 0 skipped, 3 failed.")
    expect(summary).to_be_visible(timeout=JOB_WAIT_MS)
    failed = page.get_by_role("region", name="Rows that failed").locator("tbody tr")
    expect(failed).to_have_count(3)
    for row, (line, why) in zip(
        failed.all(), [("102", "region 'Atlantis'"), ("5003", "country 'Narnia'"), ("10000", "channel manager")],
        strict=True,
    ):  # fmt: skip
        expect(row).to_contain_text(line)
        expect(row).to_contain_text(why)
    assert _count(app_db, f"E{token}-") == 0  # the dry run wrote nothing
    assert_accessible(page, dark=True, phone=True)

    _press(page, "Import")
    done = page.get_by_text("Imported: 9,997 added, 0 updated, 0 skipped, 3 failed.")
    expect(done).to_be_visible(timeout=JOB_WAIT_MS)
    assert _count(app_db, f"E{token}-") == ROWS - 3

    # The same file again: nothing to add or change.
    _upload(page, path)
    _press(page, "Dry run")
    expect(page.get_by_text("Dry run, nothing written: 0 added, 0 updated, 9,997 skipped, 3 failed.")).to_be_visible(
        timeout=JOB_WAIT_MS
    )
    _press(page, "Import")
    expect(page.get_by_text("Imported: 0 added, 0 updated, 9,997 skipped, 3 failed.")).to_be_visible(
        timeout=JOB_WAIT_MS
    )
    assert _count(app_db, f"E{token}-") == ROWS - 3


def test_an_export_of_the_filtered_list_imports_back_unchanged(page: Page, app_db, tmp_path):
    token = uuid.uuid4().hex[:6]
    rows = [
        f"R{token}-1,=Round {token} One,var,APAC,Japan,Tokyo,,{MANAGER}",  # a name a spreadsheet would run
        f"R{token}-2,Round {token} Two,msp,North America,US,Boston,round{token}.example,{MANAGER}",
        f"R{token}-3,Round {token} Three,System integrator,Latin America,br,São Paulo,,{MANAGER}",
    ]
    path = tmp_path / "round.csv"
    path.write_text("\r\n".join([HEADER, *rows]) + "\r\n", encoding="utf-8")
    log_in(page, ADMIN, expect_path="/partners")
    _upload(page, path)
    page.get_by_role("button", name="Dry run").click()
    expect(page.get_by_text("Dry run, nothing written: 3 added")).to_be_visible(timeout=JOB_WAIT_MS)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported: 3 added, 0 updated, 0 skipped, 0 failed.")).to_be_visible(timeout=JOB_WAIT_MS)

    # The directory filtered to these three, exported for Excel.
    page.goto("/partners")
    wait_live(page)
    page.get_by_label("Search partners").fill(f"round {token}")
    expect(page.get_by_role("status").filter(has_text="3 partners")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV for Excel").click()
    exported = download.value.path().read_bytes()
    assert exported.startswith(b"\xef\xbb\xbf" + HEADER.encode())
    text = exported.decode("utf-8-sig")
    assert text.count("\r\n") == 4  # the header and the three partners the list shows, nothing else
    assert f"'=Round {token} One" in text and ",JP,Tokyo," in text and "system_integrator" in text
    back = tmp_path / "exported.csv"
    back.write_bytes(exported)

    _upload(page, back)
    page.get_by_role("button", name="Dry run").click()
    expect(page.get_by_text("Dry run, nothing written: 0 added, 0 updated, 3 skipped, 0 failed.")).to_be_visible(
        timeout=JOB_WAIT_MS
    )
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported: 0 added, 0 updated, 3 skipped, 0 failed.")).to_be_visible(timeout=JOB_WAIT_MS)
    with app_db() as session:
        names = session.exec(
            select(Organization.name).where(col(Organization.external_id).startswith(f"R{token}-", autoescape=True))
        ).all()
    assert sorted(names) == sorted([f"=Round {token} One", f"Round {token} Two", f"Round {token} Three"])
    assert re.search(r"R\w+-3", text)
