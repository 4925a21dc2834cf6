"""Leads through the one record import, end to end (issue #17): a channel manager on a phone (375 px), by keyboard,
downloads the leads template, dry-runs a small lead file (one bad row; rows without an external_id keyed by domain
and contact e-mail), reads the results file (every row's line, outcome and reason, formula-safe), imports it with
matching counts, and the same file again changes nothing. A lead queue's export imports back unchanged. Axe on the
import page at 375 px, light and dark."""

from __future__ import annotations

import csv
import io
import uuid

from playwright.sync_api import Page, expect
from sqlmodel import col, func, select

from prm_app.leads import Lead
from tests.e2e.conftest import assert_accessible, log_in, wait_live
from tests.e2e.test_data_import import _press

MANAGER = "maya.cm@vendor.example"  # works the Americas queue
HEADER = "external_id,company,domain,contact_name,contact_email,country,city,postcode,vertical,products,estimated_size,source"  # noqa: E501
JOB_WAIT_MS = 120_000  # a job consumer polling an idle queue backs off between looks


def _leads(app_db, token: str) -> int:
    with app_db() as session:
        return session.exec(select(func.count()).where(col(Lead.company).contains(token, autoescape=True))).one()


def _upload(page: Page, path) -> None:
    page.goto("/data/import?kind=leads")
    wait_live(page)  # a file chosen before the page is live reaches no handler
    expect(page.get_by_label("Records")).to_have_value("leads")
    page.locator('input[type="file"]').set_input_files(str(path))
    _press(page, "Upload")


def _download(page: Page, control) -> str:
    with page.expect_download() as download:
        control.click()
    return download.value.path().read_bytes().decode("utf-8")


def _results(page: Page) -> str:
    return _download(page, page.get_by_role("button", name="Download the results"))


def test_leads_dry_run_results_file_import_and_rerun_on_a_phone(mobile_page: Page, app_db, tmp_path):
    page, token = mobile_page, uuid.uuid4().hex[:6]
    rows = [
        f"M{token}-1,Mesa {token} Foods,mesa{token}.com,Ana Lima,ana@mesa{token}.com,US,Chicago,,retail,PRM-CORE,20000,event",  # noqa: E501
        f",Mesa {token} Transit,www.transit{token}.com,Lee Chan,Lee@Transit{token}.com,CA,Toronto,,logistics,,15000,webinar",  # noqa: E501
        f"M{token}-3,Mesa {token} Atlantis,atl{token}.com,Nemo,nemo@atl{token}.com,Atlantis,,,retail,,500,",  # line 4
        f"=M{token}-4,Mesa {token} Formula,form{token}.com,Rui,rui@form{token}.com,US,,,,,,",  # a risky key
    ]
    path = tmp_path / "leads.csv"
    path.write_text("\r\n".join([HEADER, *rows]) + "\r\n", encoding="utf-8")

    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/data/import?kind=leads")
    expect(page.get_by_label("Records")).to_have_value("leads")
    template = _download(page, page.get_by_role("link", name="Download the leads template"))
    assert template == "\ufeff" + HEADER + "\r\n"

    _upload(page, path)
    expect(page.get_by_text("leads.csv: 4 rows.")).to_be_visible()
    mapping = page.get_by_role("region", name="Column mapping")
    expect(mapping.get_by_role("row")).to_have_count(13)  # the header row and the file's 12 columns, all matched
    assert_accessible(page, dark=True, phone=True)

    _press(page, "Dry run")
    dry = page.get_by_text("Dry run, nothing written: 3 added, 0 updated, 0 skipped, 1 failed.")
    expect(dry).to_be_visible(timeout=JOB_WAIT_MS)
    failed = page.get_by_role("region", name="Rows that failed").locator("tbody tr")
    expect(failed).to_have_count(1)
    expect(failed).to_contain_text("4")
    expect(failed).to_contain_text("country 'Atlantis' is not a country")
    assert _leads(app_db, token) == 0  # the dry run wrote nothing
    results = list(csv.reader(io.StringIO(_results(page).lstrip("\ufeff"))))
    assert results[0] == ["line", "external_id", "outcome", "reason"]
    assert [(r[0], r[2]) for r in results[1:]] == [("2", "added"), ("3", "added"), ("4", "failed"), ("5", "added")]
    assert results[2][1] == f"transit{token}.com/lee@transit{token}.com"  # keyed by domain and e-mail
    assert results[3][3] == "country 'Atlantis' is not a country"
    assert results[4][1] == f"'=M{token}-4"  # text to a spreadsheet, never a formula
    assert_accessible(page, dark=True, phone=True)

    _press(page, "Import")
    expect(page.get_by_text("Imported: 3 added, 0 updated, 0 skipped, 1 failed.")).to_be_visible(timeout=JOB_WAIT_MS)
    assert _leads(app_db, token) == 3

    # The same file again: nothing to add or change.
    _upload(page, path)
    _press(page, "Dry run")
    expect(page.get_by_text("Dry run, nothing written: 0 added, 0 updated, 3 skipped, 1 failed.")).to_be_visible(
        timeout=JOB_WAIT_MS
    )
    _press(page, "Import")
    expect(page.get_by_text("Imported: 0 added, 0 updated, 3 skipped, 1 failed.")).to_be_visible(timeout=JOB_WAIT_MS)
    results = _results(page)
    assert results.count(",skipped,unchanged") == 3
    assert _leads(app_db, token) == 3


def test_a_lead_queue_export_imports_back_unchanged(page: Page, app_db, tmp_path):
    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/lead-queue")
    wait_live(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV for Excel").click()
    exported = download.value.path().read_bytes()
    assert exported.startswith(b"\xef\xbb\xbf" + HEADER.encode())
    rows = exported.decode("utf-8-sig").count("\r\n") - 1
    assert rows > 0
    path = tmp_path / "queue.csv"
    path.write_bytes(exported)

    _upload(page, path)
    _press(page, "Dry run")
    unchanged = f"0 added, 0 updated, {rows:,} skipped, 0 failed."
    expect(page.get_by_text("Dry run, nothing written: " + unchanged)).to_be_visible(timeout=JOB_WAIT_MS)
    _press(page, "Import")
    expect(page.get_by_text("Imported: " + unchanged)).to_be_visible(timeout=JOB_WAIT_MS)
