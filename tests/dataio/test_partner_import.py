"""Partner CSV import and export through the one engine (platform/table_io.py, dataio/runs.py): a dry run reports
every row's outcome with its line number and writes nothing; the real run's counts match it; the same file again
changes nothing; an export imports back unchanged; insert and update modes; a channel manager's scope; formula-safe
cells with an optional BOM."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine
from sqlmodel import col, func, select

from prm_app.dataio.runs import TABLE_IMPORT, check_upload, import_progress
from prm_app.partners import PARTNER_TABLE, Organization
from prm_app.platform import jobs_progress
from prm_app.platform.access import Actor, Role
from prm_app.platform.csv_files import guarded, unguarded
from prm_app.platform.db import session_scope
from prm_app.platform.errors import DomainError, NotFound
from prm_app.platform.jobs_progress import register_sender
from prm_app.platform.models import AuditLog
from prm_app.platform.table_io import export_csv, read_table, template_csv
from tests.dataio.helpers import counts, run_file
from tests.factories import actor_for, make_tier, make_user

HEADER = "external_id,name,partner_type,region,country,city,website,channel_manager_email"
MANAGER = "maya.manager@example.com"


@pytest.fixture
def world(engine: Engine, monkeypatch) -> dict[str, Actor]:
    monkeypatch.setattr(jobs_progress, "_senders", {})
    register_sender(TABLE_IMPORT, lambda _run_id: None)  # the test works the runs itself
    with session_scope(engine) as session:
        make_tier(session, name="Registered", rank=0)
        admin = actor_for(make_user(session, Role.ADMIN))
        maya = actor_for(make_user(session, Role.CHANNEL_MANAGER, email=MANAGER))
        other = actor_for(make_user(session, Role.CHANNEL_MANAGER, email="otto.other@example.com"))
    return {"admin": admin, "maya": maya, "other": other}


def partners_csv(rows: int, bad: dict[int, str] | None = None, *, city: str = "Lisbon") -> bytes:
    lines = [HEADER]
    for n in range(rows):
        lines.append(f"P-{n},Partner {n} Lda,reseller,EMEA,PT,{city},partner{n}.example,{MANAGER}")
    for index, line in (bad or {}).items():
        lines[index] = line
    return ("\r\n".join(lines) + "\r\n").encode()


def _partners(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(Organization)).one()


def test_dry_run_reports_each_row_and_writes_nothing_then_the_real_run_matches_and_a_rerun_changes_nothing(
    engine, storage, world
):
    bad = {
        4: "P-3,Partner 3 Lda,reseller,Mars,PT,Lisbon,p3.example," + MANAGER,  # line 5: no such region
        9: "P-8,Partner 8 Lda,reseller,EMEA,PT,Lisbon,p8.example,nobody@example.com",  # line 10: no such manager
        20: "P-5,Partner 5b Lda,reseller,EMEA,PT,,," + MANAGER,  # line 21: repeats P-5's key (line 7)
    }
    data = partners_csv(30, bad)
    dry, key = run_file(engine, storage, world["admin"], data, dry=True)
    assert dry.status == "done" and (dry.done, dry.total) == (30, 30)
    assert counts(dry) == (27, 0, 0, 3)
    failures = json.loads(str(dry.summary["failures"]))
    assert [(line, k) for line, k, _why in failures] == [(5, "P-3"), (10, "P-8"), (21, "P-5")]
    assert "region 'Mars'" in failures[0][2] and "channel manager" in failures[1][2] and "line 7" in failures[2][2]
    assert _partners(engine) == 0  # nothing written
    with session_scope(engine) as session:
        assert session.exec(select(AuditLog).where(AuditLog.action == "provision_organization")).all() == []

    real, _key = run_file(engine, storage, world["admin"], b"", dry=False, key=key)  # the file the dry run checked
    assert counts(real) == counts(dry) and _partners(engine) == 27
    with pytest.raises(DomainError):  # the real run took the upload: a second start is refused
        run_file(engine, storage, world["admin"], b"", dry=False, key=key)

    again, _key = run_file(engine, storage, world["admin"], data, dry=False)
    assert counts(again) == (0, 0, 27, 3)  # idempotent
    changed, _key = run_file(engine, storage, world["admin"], partners_csv(30, bad, city="Porto"), dry=False)
    assert counts(changed) == (0, 27, 0, 3)
    with session_scope(engine) as session:
        assert set(session.exec(select(Organization.city)).all()) == {"Porto"}
        assert session.exec(select(func.count()).where(AuditLog.action == "import_organization")).one() == 27


def test_export_imports_back_unchanged_and_is_formula_safe_with_an_optional_bom(engine, storage, world):
    data = (
        HEADER
        + "\r\n"
        + f"=1+2,@Risky Co,var,APAC,Japan,Tokyo,,{MANAGER}\r\n"
        + partners_csv(3).decode()[len(HEADER) + 2 :]
    )
    first, _key = run_file(engine, storage, world["admin"], data, dry=False)
    assert counts(first) == (4, 0, 0, 0)
    with session_scope(engine) as session:
        exported = export_csv(session, world["admin"], PARTNER_TABLE, {}, bom=True)
        narrowed = export_csv(session, world["admin"], PARTNER_TABLE, {"search": "risky"})
    assert exported.startswith("\ufeff" + HEADER)
    assert "'=1+2,'@Risky Co,var,APAC,JP,Tokyo" in exported  # a spreadsheet shows these as text, never runs them
    assert narrowed.count("\r\n") == 2  # the header and the one match
    back, _key = run_file(engine, storage, world["admin"], exported.encode(), dry=False)
    assert counts(back) == (0, 0, 4, 0)
    assert [unguarded(guarded(v)) for v in ("-5", "=x", "plain", "'quoted")] == ["-5", "=x", "plain", "'quoted"]


def test_insert_and_update_modes_and_a_channel_managers_book(engine, storage, world):
    run_file(engine, storage, world["admin"], partners_csv(2), dry=False)
    inserted, _ = run_file(engine, storage, world["admin"], partners_csv(3, city="Faro"), "insert", dry=False)
    assert counts(inserted) == (1, 0, 2, 0)  # existing keys are left as they are
    updated, _ = run_file(engine, storage, world["admin"], partners_csv(4, city="Braga"), "update", dry=False)
    assert counts(updated) == (0, 3, 0, 1)  # a new key is not created in update mode
    # Another channel manager's book is out of reach: its rows cannot be changed, nor given to that manager.
    theirs, _ = run_file(engine, storage, world["other"], partners_csv(2, city="Evora"), "update", dry=False)
    assert counts(theirs) == (0, 0, 0, 2)
    with session_scope(engine) as session:
        assert session.exec(select(func.count()).where(col(Organization.city) == "Evora")).one() == 0


def test_the_template_and_a_file_level_problem(world):
    assert template_csv(PARTNER_TABLE) == "\ufeff" + HEADER + "\r\n"
    mapped = read_table(PARTNER_TABLE, "external_id,name\r\nx,y\r\n")
    assert mapped.rows == [] and "partner_type" in mapped.problem and mapped.problem_line == 1
    aliased = read_table(
        PARTNER_TABLE, "ID,Company,Type,Region,Country Code,City,URL,Manager Email\r\nx,y,var,EMEA,PT,,,m@x\r\n"
    )
    assert aliased.rows == [
        (2, {"external_id": "x", "name": "y", "partner_type": "var", "region": "EMEA", "country": "PT", "city": "",
             "website": "", "channel_manager_email": "m@x"})
    ]  # fmt: skip


def test_someone_else_never_sees_arun_file(engine, storage, world):
    run, _ = run_file(engine, storage, world["admin"], partners_csv(1), dry=True)
    with session_scope(engine) as s, pytest.raises(DomainError):
        import_progress(s, world["maya"], run.id)


def test_an_upload_is_counted_and_its_mapping_guessed_before_anyrun_file(engine, storage, world):
    key, file = storage.create()
    with file:
        file.write(b"ID;Company;Type;Region;Country\r\nx;y;var;EMEA;PT\r\n\r\nz;w;msp;APAC;JP\r\n")
    with session_scope(engine) as session:
        found = check_upload(session, world["admin"], "partners", key, storage)
    assert found.header == ["ID", "Company", "Type", "Region", "Country"] and found.rows == 2
    assert found.mapping == ["external_id", "name", "partner_type", "region", "country"]
    assert found.problem == "No column of the file is mapped to: channel_manager_email."
    empty, file = storage.create()
    file.close()
    with session_scope(engine) as session:
        assert check_upload(session, world["admin"], "partners", empty, storage).problem.startswith("The file is empty")
    with pytest.raises(NotFound):  # an unreadable upload is deleted at once
        storage.open(empty)
