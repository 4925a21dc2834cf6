"""Deal registration CSV import and export through the one engine: every row goes through `register_deal`, the
form's use case (a manager's on a partner's behalf, recorded and audited as the importer's); a dry run writes
nothing and its counts are the real run's; the same file again changes nothing; a partner admin imports only for its
own organization, a manager only for the partners of their book; a submitted registration's details do not change
by import (a draft's do); the export (formula-safe, optional BOM) imports back unchanged."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import col, func, select

from prm_app.dataio.runs import TABLE_IMPORT
from prm_app.deals import DEAL_TABLE, Deal, DealStatus
from prm_app.platform import jobs_progress
from prm_app.platform.db import session_scope
from prm_app.platform.errors import PermissionDenied
from prm_app.platform.jobs_progress import register_sender
from prm_app.platform.models import AuditLog
from prm_app.platform.table_io import export_csv, template_csv
from tests.dataio.helpers import counts, run_file
from tests.deals.factories import deal_input, make_world
from tests.factories import actor_for, make_org, make_user

HEADER = (
    "external_id,partner,customer_name,customer_site,country,contact_name,contact_email,products,estimated_value,"
    "currency,expected_close,stage,description,credit"
)
CLOSE = (date.today() + timedelta(days=60)).isoformat()


@pytest.fixture
def world(engine: Engine, monkeypatch):
    monkeypatch.setattr(jobs_progress, "_senders", {})
    register_sender(TABLE_IMPORT, lambda _run_id: None)  # the test works the runs itself
    with session_scope(engine) as session:
        w = make_world(session)
        w.alpha.external_id = "ALPHA-1"
        outside = make_org(session, name="Gamma Outside")  # in nobody's book but the admins'
        w.outside_id = outside.id
        w.gamma_user = actor_for(make_user(session, "partner_admin", outside))
        session.add(w.alpha)
        session.commit()
    return w


def deals_csv(rows: int, bad: dict[int, str] | None = None, *, partner: str = "ALPHA-1", value: str = "25000") -> str:
    lines = [HEADER]
    for n in range(rows):
        lines.append(
            f"D-{n},{partner},Customer{n} Holdings,customer{n}.com,US,Jo Buyer,jo@customer{n}.com,CORE;ANL,"
            f"{value},USD,{CLOSE},Proposal,,sourced"
        )
    for index, line in (bad or {}).items():
        lines[index] = line
    return "\r\n".join(lines) + "\r\n"


def _deals(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(Deal)).one()


def test_a_managers_dry_run_writes_nothing_the_real_run_registers_for_the_partner_and_a_rerun_changes_nothing(
    engine, storage, world
):
    bad = {
        3: f"D-2,ALPHA-1,Customer2 Holdings,customer2.com,US,Jo,jo@customer2.com,CORE,25000,XXX,{CLOSE},Proposal,,",
        5: f"D-4,Gamma Outside,Customer4 Holdings,customer4.com,US,Jo,jo@c4.com,CORE,25000,USD,{CLOSE},Proposal,,",
        7: f"D-6,ALPHA-1,Customer6 Holdings,gmail.com,US,Jo,jo@customer6.com,CORE,25000,USD,{CLOSE},Proposal,,",
    }
    data = deals_csv(10, bad)
    dry, key = run_file(engine, storage, world.manager, data, dry=True, kind="deals")
    assert dry.status == "done" and counts(dry) == (7, 0, 0, 3)
    failures = json.loads(str(dry.summary["failures"]))
    assert [(line, k) for line, k, _why in failures] == [(4, "D-2"), (6, "D-4"), (8, "D-6")]
    assert "currency 'XXX'" in failures[0][2]
    assert "partner named is not one you may" in failures[1][2]  # another book: as if it did not exist
    assert failures[2][2].startswith("customer_site: gmail.com is a free-mail provider")  # the form's own rule
    assert _deals(engine) == 0

    real, _key = run_file(engine, storage, world.manager, "", dry=False, key=key, kind="deals")
    assert counts(real) == counts(dry) and _deals(engine) == 7
    with session_scope(engine) as session:
        deals = session.exec(select(Deal)).all()
        assert {(d.organization_id, d.created_by_id, d.status) for d in deals} == {
            (world.alpha.id, world.manager.user_id, DealStatus.SUBMITTED)
        }
        created = session.exec(select(AuditLog).where(AuditLog.action == "deal_created")).all()
        assert len(created) == 7 and all(a.actor_user_id == world.manager.user_id for a in created)
        assert all(json.loads(a.summary)["on_behalf_of"] == world.alpha.id for a in created)

    again, _key = run_file(engine, storage, world.manager, data, dry=False, kind="deals")
    assert counts(again) == (0, 0, 7, 3) and _deals(engine) == 7
    # A submitted registration's details are the partner's claim as reviewed: an import does not change them.
    changed, _key = run_file(engine, storage, world.manager, deals_csv(2, value="30000"), dry=False, kind="deals")
    assert counts(changed) == (0, 0, 0, 2)
    assert "submitted: only a draft's details can be changed" in str(changed.summary["failures"])


def test_a_partner_admin_imports_for_its_own_organization_only(engine, storage, world):
    own = deals_csv(3, partner="").replace(
        "D-2,,", "D-2,Beta Systems,"
    )  # line 4 names another partner: refused as unknown
    run, _key = run_file(engine, storage, world.a, own, dry=False, kind="deals")
    assert counts(run) == (2, 0, 0, 1)
    assert "partner named is not one you may" in str(run.summary["failures"])
    with session_scope(engine) as session:
        assert set(session.exec(select(Deal.organization_id)).all()) == {world.alpha.id}
    named, _key = run_file(engine, storage, world.a, deals_csv(3, partner="Alpha Resellers"), dry=False, kind="deals")
    assert counts(named) == (1, 0, 2, 0)  # its own name is its own organization; blank partner cells compare equal
    for nobody in (world.a2, world.b, world.exec):  # partner users and execs import no deals
        with pytest.raises(PermissionDenied):
            run_file(engine, storage, nobody, deals_csv(1), dry=True, kind="deals")
    managerless, _key = run_file(engine, storage, world.manager, deals_csv(1, partner=""), dry=False, kind="deals")
    assert counts(managerless) == (0, 0, 1, 0)  # D-0 is Alpha's already; unchanged
    new_row = deals_csv(1, partner="").replace("D-0", "D-new")
    missing, _key = run_file(engine, storage, world.manager, new_row, dry=False, kind="deals")
    assert counts(missing) == (0, 0, 0, 1) and "partner is missing" in str(missing.summary["failures"])


def test_the_export_is_formula_safe_and_imports_back_unchanged_also_for_a_deal_typed_into_the_form(
    engine, storage, world
):
    from prm_app.deals import register_deal

    data = deals_csv(2).replace(",,sourced", ",=HYPERLINK(1),influenced", 1)
    run_file(engine, storage, world.a, data, dry=False, kind="deals")
    with session_scope(engine) as session:
        form = deal_input(world.products, customer_name="Typed Co", customer_site="typed.com", expected_close=CLOSE)
        typed = register_deal(session, world.a, form, submit=True)
        exported = export_csv(session, world.a, DEAL_TABLE, {}, bom=True)
        submitted = export_csv(session, world.manager, DEAL_TABLE, {"status": "submitted"})
        drafts = export_csv(session, world.manager, DEAL_TABLE, {"status": "draft"})
    assert exported.startswith("\ufeff" + HEADER)
    assert f"deal:{typed},ALPHA-1,Typed Co" in exported  # no external_id: keyed by its id
    assert "'=HYPERLINK(1),influenced" in exported  # text in a spreadsheet, never a formula
    assert submitted.count("\r\n") == 4 and drafts.count("\r\n") == 1
    back, _key = run_file(engine, storage, world.a, exported.encode(), dry=False, kind="deals")
    assert counts(back) == (0, 0, 3, 0)
    by_manager, _key = run_file(engine, storage, world.manager, submitted, dry=False, kind="deals")
    assert counts(by_manager) == (0, 0, 3, 0)
    theirs, _key = run_file(engine, storage, world.other_manager, submitted, "update", dry=False, kind="deals")
    assert counts(theirs) == (0, 0, 0, 3)  # not in their book: no such registration for them


def test_a_drafts_details_change_by_the_forms_rules(engine, storage, world):
    from prm_app.deals import register_deal

    with session_scope(engine) as session:
        register_deal(
            session, world.a, deal_input(world.products, customer_name="Customer0 Holdings",
                                         customer_site="customer0.com", expected_close=CLOSE),
            submit=False, external_id="D-0",
        )  # fmt: skip
    row = deals_csv(1, value="31000")
    run, _key = run_file(engine, storage, world.a, row, "update", dry=False, kind="deals")
    assert counts(run) == (0, 1, 0, 0)
    with session_scope(engine) as session:
        deal = session.exec(select(Deal).where(Deal.external_id == "D-0")).one()
        assert (str(deal.estimated_value), deal.status, deal.contact_email) == ("31000.00", "draft", "jo@customer0.com")
        assert session.exec(select(func.count()).where(col(AuditLog.action) == "import_deal")).one() == 1
    again, _key = run_file(engine, storage, world.a, row, dry=False, kind="deals")
    assert counts(again) == (0, 0, 1, 0)
    # An external_id is a partner's own (each partner's CRM numbers its deals): the same id for Beta is Beta's
    # deal, registered anew; Alpha's stays as it is.
    beta, _key = run_file(engine, storage, world.admin, deals_csv(1, partner="Beta Systems"), dry=False, kind="deals")
    assert counts(beta) == (1, 0, 0, 0)
    with session_scope(engine) as session:
        owners = session.exec(select(Deal.organization_id).where(Deal.external_id == "D-0")).all()
        assert sorted(owners) == sorted([world.alpha.id, world.beta.id])
    # A manager's row that names no partner cannot say which of the two it means.
    blank, _key = run_file(engine, storage, world.admin, deals_csv(1, partner=""), dry=False, kind="deals")
    assert counts(blank) == (0, 0, 0, 1) and "partner is missing" in str(blank.summary["failures"])
    mine, _key = run_file(engine, storage, world.a, row, dry=False, kind="deals")
    assert counts(mine) == (0, 0, 1, 0)  # Alpha's admin still finds Alpha's D-0 alone


def test_the_template_names_every_column():
    assert template_csv(DEAL_TABLE) == "\ufeff" + HEADER + "\r\n"


def test_a_draft_renamed_by_import_is_filed_under_its_new_name(engine, storage, world):
    """Conflict checks find a registration by its keys: a draft whose customer an import renames is found by the
    new name, not the old one."""
    from prm_app.deals import register_deal
    from prm_app.deals.models import ConflictKey

    with session_scope(engine) as session:
        deal_id = register_deal(
            session, world.a, deal_input(world.products, customer_name="Zephyr Old Name", customer_site="zephyr.io",
                                         expected_close=CLOSE),
            submit=False, external_id="D-0",
        )  # fmt: skip
    run, _key = run_file(engine, storage, world.a, deals_csv(1), "update", dry=False, kind="deals")
    assert counts(run) == (0, 1, 0, 0)
    with session_scope(engine) as session:
        keys = set(session.exec(select(ConflictKey.key).where(ConflictKey.record_id == deal_id)).all())
        deal = session.get_one(Deal, deal_id)
        assert deal.customer_name == "Customer0 Holdings"
        assert not any("zephyr" in key for key in keys) and any("customer0" in key for key in keys)
