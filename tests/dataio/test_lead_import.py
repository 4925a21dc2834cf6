"""Leads through the one record import (leads/table.py on platform/table_io.py and dataio/runs.py): a dry run writes
nothing and the real run's counts match it; the same file again changes nothing; a row without an external_id is
keyed by its domain and contact e-mail; an export (also of leads typed into the form, which have no external_id)
imports back unchanged; changes are audited and a new country moves a lead to that country's queue; a lead offered
to a partner or in a queue the manager does not work is not changed; every row's outcome comes back as a
formula-safe results file, to its starter only. SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import Engine
from sqlmodel import col, func, select, update

from prm_app.dataio.runs import TABLE_IMPORT, import_results
from prm_app.leads import LEAD_TABLE, Lead, LeadProduct, LeadStatus, add_lead
from prm_app.leads.models import LeadQueue
from prm_app.platform import jobs_progress
from prm_app.platform.access import Actor, Role
from prm_app.platform.db import session_scope
from prm_app.platform.errors import NotFound
from prm_app.platform.jobs_progress import register_sender
from prm_app.platform.models import AuditLog
from prm_app.platform.table_io import export_csv
from tests.dataio.helpers import counts, run_file
from tests.factories import actor_for, make_user
from tests.leads.factories import make_product, make_queue

HEADER = "external_id,company,domain,contact_name,contact_email,country,city,postcode,vertical,products,estimated_size,source"  # noqa: E501
ROWS = [
    "L-1,Rio Foods,riofoods.com,Ana Lima,ana@riofoods.com,BR,São Paulo,,retail,PRM-CORE,20000,event",
    ",Bad Email Inc,bademail.com,Bo Bad,not-an-email,US,Boston,,retail,PRM-CORE,1000,website",  # line 3
    ",Toronto Transit Data,www.ttdata.ca,Lee Chan,Lee@TTData.ca,CA,Toronto,,logistics,Core suite,15000,webinar",
    "L-4,Atlantis Ltd,atlantis.com,Nemo,nemo@atlantis.com,Atlantis,,,retail,PRM-CORE,500,website",  # line 5
    "L-5,Lagoa Labs,lagoalabs.pt,Rui Sá,rui@lagoalabs.pt,PT,Porto,,,,,",
]


def lead_csv(rows: list[str]) -> str:
    return "\r\n".join([HEADER, *rows]) + "\r\n"


@pytest.fixture
def world(engine: Engine, monkeypatch) -> dict[str, Actor]:
    """Maya works the Americas queue and the catch-all, Otto only Europe's (PT leads go there)."""
    monkeypatch.setattr(jobs_progress, "_senders", {})
    register_sender(TABLE_IMPORT, lambda _run_id: None)  # the test works the runs itself
    with session_scope(engine) as session:
        make_product(session, "PRM-CORE", "Core suite")
        maya = actor_for(make_user(session, Role.CHANNEL_MANAGER))
        otto = actor_for(make_user(session, Role.CHANNEL_MANAGER))
        make_queue(session, "Americas", "US,CA,BR", [maya])
        make_queue(session, "Europe", "PT,ES", [otto])
        make_queue(session, "Everywhere else", "", [maya])
    return {"maya": maya, "otto": otto}


def leads(engine: Engine) -> dict[str, tuple[str, str]]:
    """external_id -> (company, queue name's first word) of every lead."""
    with session_scope(engine) as session:
        rows = session.exec(select(Lead.external_id, Lead.company, LeadQueue.name).join(LeadQueue)).all()
    return {str(key): (company, queue.split()[0]) for key, company, queue in rows}


def test_dry_run_then_the_real_run_matches_and_a_rerun_changes_nothing(engine, storage, world):
    maya = world["maya"]
    dry, key = run_file(engine, storage, maya, lead_csv(ROWS), dry=True, kind="leads")
    assert counts(dry) == (3, 0, 0, 2)
    assert leads(engine) == {}  # nothing written

    real, _ = run_file(engine, storage, maya, b"", dry=False, kind="leads", key=key)
    assert counts(real) == counts(dry)
    assert leads(engine) == {
        "L-1": ("Rio Foods", "Americas"),
        "ttdata.ca/lee@ttdata.ca": ("Toronto Transit Data", "Americas"),  # no external_id: domain and e-mail
        "L-5": ("Lagoa Labs", "Europe"),  # stored in its country's queue, whoever imports it (as before)
    }
    with session_scope(engine) as session:
        toronto = session.exec(select(Lead).where(Lead.company == "Toronto Transit Data")).one()
        assert (toronto.domain, toronto.contact_email, toronto.status) == ("ttdata.ca", "lee@ttdata.ca", "new")
        assert len(session.exec(select(LeadProduct).where(LeadProduct.lead_id == toronto.id)).all()) == 1

    again, _ = run_file(engine, storage, maya, lead_csv(ROWS), dry=False, kind="leads")
    assert counts(again) == (0, 0, 3, 2)
    assert len(leads(engine)) == 3


def test_the_results_file_has_every_row_formula_safe_and_only_for_its_starter(engine, storage, world):
    rows = [*ROWS, "=HYPERLINK(1),Risky,risky.com,,x@risky.com,US,,,,,,"]
    run, _ = run_file(engine, storage, world["maya"], lead_csv(rows), dry=True, kind="leads")

    with session_scope(engine) as session:
        text = import_results(session, world["maya"], run.id)
        with pytest.raises(NotFound):
            import_results(session, world["otto"], run.id)
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines[0] == ["line", "external_id", "outcome", "reason"]
    assert [(line, outcome) for line, _key, outcome, _why in lines[1:]] == [
        ("2", "added"), ("3", "failed"), ("4", "added"), ("5", "failed"), ("6", "added"), ("7", "added"),
    ]  # fmt: skip
    assert "not a valid email address" in lines[2][3] and lines[4][3] == "country 'Atlantis' is not a country"
    assert lines[6][1] == "'=HYPERLINK(1)"  # shown as text by a spreadsheet, never run


def test_an_export_imports_back_unchanged_also_leads_typed_into_the_form(engine, storage, world):
    maya = world["maya"]
    run_file(engine, storage, maya, lead_csv(ROWS), dry=False, kind="leads")
    with session_scope(engine) as session:
        typed = {"company": "Typed In", "domain": "typedin.com", "contact_email": "t@typedin.com", "country": "US"}
        assert add_lead(session, maya, typed)[0] == []
        exported = export_csv(session, maya, LEAD_TABLE, {}, bom=True)
        americas = session.exec(select(Lead.queue_id).where(Lead.company == "Rio Foods")).one()
        one_queue = export_csv(session, maya, LEAD_TABLE, {"queue_id": str(americas)})
    assert exported.startswith("\ufeff" + HEADER)
    assert ",Typed In,typedin.com,,t@typedin.com,US," in exported  # no external_id of its own
    assert "Lagoa Labs" not in exported  # Europe is Otto's queue
    assert one_queue.count("\r\n") == 4  # the header and Americas' three

    back, _ = run_file(engine, storage, maya, exported, dry=False, kind="leads")
    assert counts(back) == (0, 0, 3, 0)
    with session_scope(engine) as session:
        assert session.exec(select(func.count()).select_from(Lead)).one() == 4


def test_changes_are_audited_a_new_country_moves_queue_and_offered_or_unreachable_leads_stay(engine, storage, world):
    maya, otto = world["maya"], world["otto"]
    run_file(engine, storage, maya, lead_csv(ROWS), dry=False, kind="leads")
    with session_scope(engine) as session:  # Rio Foods is offered to a partner meanwhile
        session.execute(update(Lead).where(col(Lead.external_id) == "L-1").values(status=LeadStatus.OFFERED))
    changed = [
        ROWS[0].replace("20000", "30000"),
        ROWS[2].replace(",CA,Toronto,", ",ES,Madrid,").replace("Core suite", ""),
        ROWS[4].replace("Porto", "Braga"),
    ]

    mine, _ = run_file(engine, storage, maya, lead_csv(changed), "update", dry=False, kind="leads")
    assert counts(mine) == (0, 1, 0, 2)  # Toronto moves; Rio Foods is offered; Lagoa Labs is Otto's
    with session_scope(engine) as session:
        results = import_results(session, maya, mine.id)
    assert "the lead is offered already" in results and "lead not found" in results.lower()
    assert leads(engine)["ttdata.ca/lee@ttdata.ca"] == ("Toronto Transit Data", "Europe")
    with session_scope(engine) as session:
        toronto = session.exec(select(Lead).where(Lead.company == "Toronto Transit Data")).one()
        assert (toronto.country, toronto.city) == ("ES", "Madrid")
        assert session.exec(select(LeadProduct).where(LeadProduct.lead_id == toronto.id)).all() == []
        audited = session.exec(select(AuditLog).where(AuditLog.action == "import_lead")).all()
        assert [a.record_id for a in audited] == [toronto.id]
        assert '"city": "Toronto"' in audited[0].summary and '"queue_id"' in audited[0].summary

    his, _ = run_file(engine, storage, otto, lead_csv(changed[2:]), "update", dry=False, kind="leads")
    assert counts(his) == (0, 1, 0, 0)
    again, _ = run_file(engine, storage, otto, lead_csv(changed[2:]), dry=False, kind="leads")
    assert counts(again) == (0, 0, 1, 0)
