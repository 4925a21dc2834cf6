"""People and deal registrations through the one record import, end to end (issue #17). On a phone (375 px), by
keyboard, with axe in light and dark:
- a channel manager imports deals for a partner of their book: the deals template, a dry run with one bad row that
  writes nothing, the results file (every row's line, outcome and reason), the import with matching counts (each
  row registered through the registration form's use case, the manager recorded as its creator), and the same file
  again changes nothing;
- a partner admin imports people for its own organization from its team page: a row for another organization is
  refused, each new person is invited (the invitation e-mail arrives through the outbox), the same file again
  changes nothing, and the team's export imports back unchanged.

Its own partner ("Wt-csv3 ..."), people and customers, unique to each run. It adds registrations to maya.cm's review
queue, so it runs in the sweep suite (other tests count that queue)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, timedelta

from playwright.sync_api import Page, expect
from sqlmodel import col, func, select

from tests.e2e.conftest import DEMO_PASSWORD, actor_of, assert_accessible, log_in, wait_live
from tests.e2e.test_data_import import _press
from tests.mail.smtp_sink import Sink, text_of

MANAGER = "maya.cm@vendor.example"
DEALS = "external_id,partner,customer_name,customer_site,country,contact_name,contact_email,products,estimated_value,currency,expected_close,stage,description,credit"  # noqa: E501
PEOPLE = "external_id,partner,email,full_name,title,phone,role,language"
JOB_WAIT_MS = 120_000  # a job consumer polling an idle queue backs off between looks


def _own_partner(app_db, token: str) -> tuple[str, str, int]:
    """A partner of maya.cm's book with its own partner admin, who has signed what the partner owes: (its name, the
    admin's e-mail, its id)."""
    from prm_app.agreements import my_agreements, sign_agreement
    from prm_app.identity import User
    from prm_app.partners import Organization, Tier
    from prm_app.platform.security import hash_password

    name, email = f"Wt-csv3 {token} Partners", f"wt-csv3.{token}@csv3{token}.example"
    with app_db() as session:
        silver = session.exec(select(Tier).where(Tier.name == "Silver")).one()
        org = Organization(
            name=name, name_lower=name.lower(), partner_type="reseller", tier_id=silver.id, region="North America",
            country="US", channel_manager_id=actor_of(session, MANAGER).user_id, external_id=f"WT-CSV3-{token}",
        )  # fmt: skip
        session.add(org)
        session.flush()
        session.add(
            User(email=email, full_name="Ines Importer", password_hash=hash_password(DEMO_PASSWORD),
                 role="partner_admin", organization_id=org.id)
        )  # fmt: skip
        session.commit()
        ines = actor_of(session, email)
        for shown in my_agreements(session, ines).to_sign:  # a partner joining today owes the terms at once
            sign_agreement(session, ines, shown.pending.version_id, typed_name="Ines Importer", agreed=True,
                           shown_sha256=shown.text_sha256)  # fmt: skip
        session.commit()
        return name, email, org.id


def _upload(page: Page, kind: str, path) -> None:
    page.goto(f"/data/import?kind={kind}")
    wait_live(page)  # a file chosen before the page is live reaches no handler
    expect(page.get_by_label("Records")).to_have_value(kind)
    page.locator('input[type="file"]').set_input_files(str(path))
    _press(page, "Upload")


def _download(page: Page, control) -> str:
    with page.expect_download() as download:
        control.click()
    return download.value.path().read_bytes().decode("utf-8")


def _dry_then_import(page: Page, said: str) -> None:
    _press(page, "Dry run")
    expect(page.get_by_text("Dry run, nothing written: " + said)).to_be_visible(timeout=JOB_WAIT_MS)
    _press(page, "Import")
    expect(page.get_by_text("Imported: " + said)).to_be_visible(timeout=JOB_WAIT_MS)


def test_a_manager_imports_deals_for_a_partner_dry_run_results_import_rerun(mobile_page: Page, app_db, tmp_path):
    from prm_app.deals import Deal

    page, token = mobile_page, uuid.uuid4().hex[:6]
    partner, _admin, partner_id = _own_partner(app_db, token)
    close = (date.today() + timedelta(days=50)).isoformat()
    rows = [
        f"WD{token}-1,WT-CSV3-{token},Wtc {token} Foods,wtcfoods{token}.com,US,Ana Lima,ana@wtcfoods{token}.com,"
        f"PRM-CORE,20000,USD,{close},Proposal,Renewal of =the old portal,sourced",
        f"WD{token}-2,{partner},Wtc {token} Transit,wtctransit{token}.com,Canada,Lee Chan,lee@wtctransit{token}.com,"
        f"PRM-CORE,15000,CAD,{close},Discovery,,influenced",
        f"WD{token}-3,WT-CSV3-{token},Wtc {token} Atlantis,wtcatl{token}.com,US,Nemo,nemo@wtcatl{token}.com,"
        f"PRM-CORE,500,USD,{close},Daydreaming,,",  # line 4: no such stage
    ]
    path = tmp_path / "deals.csv"
    path.write_text("\r\n".join([DEALS, *rows]) + "\r\n", encoding="utf-8")

    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/data/import?kind=deals")
    expect(page.get_by_label("Records")).to_have_value("deals")
    template = _download(page, page.get_by_role("link", name="Download the deal registrations template"))
    assert template == "\ufeff" + DEALS + "\r\n"

    _upload(page, "deals", path)
    expect(page.get_by_text("deals.csv: 3 rows.")).to_be_visible()
    expect(page.get_by_role("region", name="Column mapping").get_by_role("row")).to_have_count(15)  # all matched
    assert_accessible(page, dark=True, phone=True)

    _press(page, "Dry run")
    expect(page.get_by_text("Dry run, nothing written: 2 added, 0 updated, 0 skipped, 1 failed.")).to_be_visible(
        timeout=JOB_WAIT_MS
    )
    failed = page.get_by_role("region", name="Rows that failed").locator("tbody tr")
    expect(failed).to_have_count(1)
    expect(failed).to_contain_text("4")
    expect(failed).to_contain_text("stage 'Daydreaming'")
    with app_db() as session:
        assert session.exec(select(func.count()).where(Deal.organization_id == partner_id)).one() == 0
    results_file = _download(page, page.get_by_role("button", name="Download the results"))
    results = list(csv.reader(io.StringIO(results_file.lstrip("\ufeff"))))
    assert results[0] == ["line", "external_id", "outcome", "reason"]
    assert [(r[0], r[1], r[2]) for r in results[1:]] == [
        ("2", f"WD{token}-1", "added"), ("3", f"WD{token}-2", "added"), ("4", f"WD{token}-3", "failed")
    ]  # fmt: skip
    assert results[3][3].startswith("stage 'Daydreaming' is not one of")
    assert_accessible(page, dark=True, phone=True)

    _press(page, "Import")
    expect(page.get_by_text("Imported: 2 added, 0 updated, 0 skipped, 1 failed.")).to_be_visible(timeout=JOB_WAIT_MS)
    with app_db() as session:
        deals = session.exec(select(Deal).where(Deal.organization_id == partner_id).order_by(col(Deal.id))).all()
        maya = actor_of(session, MANAGER).user_id
        assert [(d.external_id, d.status, d.created_by_id) for d in deals] == [
            (f"WD{token}-1", "submitted", maya), (f"WD{token}-2", "submitted", maya)
        ]  # fmt: skip

    _upload(page, "deals", path)  # the same file again: nothing to add or change
    _dry_then_import(page, "0 added, 0 updated, 2 skipped, 1 failed.")
    with app_db() as session:
        assert session.exec(select(func.count()).where(Deal.organization_id == partner_id)).one() == 2


def test_a_partner_admin_imports_its_own_people_who_are_invited_by_mail(
    mobile_page: Page, app_db, mailbox: Sink, tmp_path
):
    page, token = mobile_page, uuid.uuid4().hex[:6]
    partner, admin, _partner_id = _own_partner(app_db, token)
    first, second = f"ola.{token}@csv3{token}.example", f"kai.{token}@csv3{token}.example"
    rows = [
        f",,{first},Ola Import,Engineer,+1 415 555 0100,partner_user,",
        f"WP{token}-2,,{second},Kai Import,,,partner_admin,de",
        f",Cobalt Systems VAR,stray.{token}@csv3{token}.example,Stray Row,,,partner_user,",  # line 4: not theirs
    ]
    path = tmp_path / "people.csv"
    path.write_text("\r\n".join([PEOPLE, *rows]) + "\r\n", encoding="utf-8")

    log_in(page, admin, expect_path="/portal")
    page.goto("/portal/team")
    wait_live(page)
    page.get_by_role("link", name="Import people from CSV").click()
    expect(page.get_by_label("Records")).to_have_value("users")
    expect(page.get_by_label("Records").locator("option")).to_have_count(2)  # its people and its deals, nothing else

    _upload(page, "users", path)
    expect(page.get_by_text("people.csv: 3 rows.")).to_be_visible()
    assert_accessible(page, dark=True, phone=True)
    _press(page, "Dry run")
    expect(page.get_by_text("Dry run, nothing written: 2 added, 0 updated, 0 skipped, 1 failed.")).to_be_visible(
        timeout=JOB_WAIT_MS
    )
    failed = page.get_by_role("region", name="Rows that failed").locator("tbody tr")
    expect(failed).to_contain_text("the partner named is not one whose people you may import")
    assert mailbox.for_address(first) == []  # a dry run sends nothing
    _press(page, "Import")
    expect(page.get_by_text("Imported: 2 added, 0 updated, 0 skipped, 1 failed.")).to_be_visible(timeout=JOB_WAIT_MS)
    assert_accessible(page, dark=True, phone=True)

    for address in (first, second):  # each invited through the outbox, by the invitation's own mail
        (mail,) = mailbox.wait_for_address(address)
        assert "/invite/" in text_of(mail) and partner in mail["Subject"]
    assert mailbox.for_address(first)[0]["Subject"] == f"Ines Importer invited you to {partner} on Open PRM"
    assert mailbox.for_address(second)[0]["Subject"] != mailbox.for_address(first)[0]["Subject"]  # in German
    assert mailbox.for_address(f"stray.{token}@csv3{token}.example") == []

    _upload(page, "users", path)  # the same file again: nothing to add or change, nobody mailed again
    _dry_then_import(page, "0 added, 0 updated, 2 skipped, 1 failed.")
    assert len(mailbox.for_address(first)) == 1

    # The team's export (the admin and the two pending invitations) imports back unchanged.
    page.goto("/portal/team")
    wait_live(page)
    exported = _download(page, page.get_by_role("button", name="Export CSV for Excel"))
    assert exported.startswith("\ufeff" + PEOPLE) and exported.count("\r\n") == 4
    back = tmp_path / "team.csv"
    back.write_text(exported, encoding="utf-8")
    _upload(page, "users", back)
    _dry_then_import(page, "0 added, 0 updated, 3 skipped, 0 failed.")
