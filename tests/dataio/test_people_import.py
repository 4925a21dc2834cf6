"""Partner people CSV import and export through the one engine: a new person is invited through the team's own use
case (the invitation e-mail in the outbox, audited), never given a password; a pending invitation or a person who
joined compares unchanged on a rerun, a changed one is re-invited or changed by the team's profile and role rules;
a partner admin imports only its own organization's people, a manager those of their book; the export
(formula-safe, optional BOM) imports back unchanged."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine
from sqlmodel import col, func, select

from prm_app.dataio.runs import TABLE_IMPORT
from prm_app.identity import User
from prm_app.mail.models import OutboxMessage
from prm_app.partners import PEOPLE_TABLE
from prm_app.partners.models import Invite
from prm_app.partners.team import accept_invite
from prm_app.platform import jobs_progress
from prm_app.platform.db import session_scope
from prm_app.platform.errors import PermissionDenied
from prm_app.platform.jobs_progress import register_sender
from prm_app.platform.models import AuditLog
from prm_app.platform.security import hash_token
from prm_app.platform.table_io import export_csv, template_csv
from tests.dataio.helpers import counts, run_file
from tests.deals.factories import make_world

HEADER = "external_id,partner,email,full_name,title,phone,role,language"
PASSWORD = "a-long-enough-password"


@pytest.fixture
def world(engine: Engine, monkeypatch):
    monkeypatch.setattr(jobs_progress, "_senders", {})
    register_sender(TABLE_IMPORT, lambda _run_id: None)  # the test works the runs itself
    with session_scope(engine) as session:
        w = make_world(session)
        w.alpha.external_id = "ALPHA-1"
        session.add(w.alpha)
        session.commit()
    return w


def people_csv(rows: int, bad: dict[int, str] | None = None, *, partner: str = "", title: str = "Engineer") -> str:
    lines = [HEADER]
    for n in range(rows):
        lines.append(f",{partner},new{n}@alpha.example,New Person {n},{title},+1 415 555 010{n % 10},partner_user,de")
    for index, line in (bad or {}).items():
        lines[index] = line
    return "\r\n".join(lines) + "\r\n"


def _invitations(engine: Engine) -> tuple[int, int]:
    """(invitations, invitation e-mails in the outbox)."""
    with session_scope(engine) as session:
        invites = session.exec(select(func.count()).select_from(Invite)).one()
        mails = session.exec(select(func.count()).where(col(OutboxMessage.kind) == "invitation")).one()
        return invites, mails


def test_a_partner_admins_dry_run_writes_nothing_the_real_run_invites_and_a_rerun_changes_nothing(
    engine, storage, world
):
    bad = {
        2: ",,boss@alpha.example,Big Boss,,,boss,",  # line 3: no such role
        4: ",Beta Systems,new3@alpha.example,New Person 3,,,partner_user,",  # line 5: another organization
        6: ",,new0@alpha.example,Again,,,partner_user,",  # line 7: repeats line 2's e-mail
    }
    data = people_csv(8, bad)
    dry, key = run_file(engine, storage, world.a, data, dry=True, kind="users")
    assert dry.status == "done" and counts(dry) == (5, 0, 0, 3)
    failures = json.loads(str(dry.summary["failures"]))
    assert [line for line, _k, _why in failures] == [3, 5, 7]
    assert "role 'boss'" in failures[0][2] and "partner named is not one whose people" in failures[1][2]
    assert "repeats line 2" in failures[2][2]
    assert _invitations(engine) == (0, 0)  # nothing written, no e-mail queued

    real, _key = run_file(engine, storage, world.a, "", dry=False, key=key, kind="users")
    assert counts(real) == counts(dry) and _invitations(engine) == (5, 5)
    with session_scope(engine) as session:
        invite = session.exec(select(Invite).where(Invite.email == "new0@alpha.example")).one()
        assert (invite.organization_id, invite.title, invite.phone, invite.language) == (
            world.alpha.id, "Engineer", "+1 415 555 0100", "de"
        )  # fmt: skip
        assert session.exec(select(func.count()).where(col(AuditLog.action) == "invite_user")).one() == 5
        assert session.exec(select(func.count()).where(col(User.email).like("new%"))).one() == 0  # no account yet

    again, _key = run_file(engine, storage, world.a, data, dry=False, kind="users")
    assert counts(again) == (0, 0, 5, 3) and _invitations(engine) == (5, 5)
    # A pending invitation whose details changed is sent again with them (the earlier link stops working); new1
    # (line 3 was the bad one) is new.
    retitled, _key = run_file(engine, storage, world.a, people_csv(2, title="Architect"), dry=False, kind="users")
    assert counts(retitled) == (1, 1, 0, 0) and _invitations(engine) == (7, 7)

    with session_scope(engine) as session:  # new0 accepts: the imported profile becomes theirs
        invite = session.exec(
            select(Invite).where(Invite.email == "new0@alpha.example", col(Invite.revoked_at).is_(None))
        ).one()
        invite.token_hash = hash_token("known-token")
        session.add(invite)
    with session_scope(engine) as session:
        user = session.get_one(User, accept_invite(session, "known-token", PASSWORD, PASSWORD))
        assert (user.title, user.phone, user.language) == ("Architect", "+1 415 555 0100", "de")
    joined, _key = run_file(engine, storage, world.a, people_csv(2, title="Architect"), dry=False, kind="users")
    assert counts(joined) == (0, 0, 2, 0)


def test_a_person_who_joined_changes_by_the_teams_rules(engine, storage, world):
    with session_scope(engine) as session:
        colleague = session.get_one(User, world.a2.user_id)
        me = session.get_one(User, world.a.user_id)
        rows = (
            f"{HEADER}\r\nCRM-7,ALPHA-1,{colleague.email.upper()},Pat Colleague,Sales lead,,partner_admin,fr\r\n"
            f",,{me.email},{me.full_name},,,partner_user,\r\n"  # their own role: refused
            f",,{me.email.replace('@', '+x@')},,,,partner_user,\r\n"  # no name
        )
    run, _key = run_file(engine, storage, world.a, rows, dry=False, kind="users")
    assert counts(run) == (0, 1, 0, 2)
    reasons = str(run.summary["failures"])
    assert "You cannot change your own role." in reasons and "full_name is missing" in reasons
    with session_scope(engine) as session:
        colleague = session.get_one(User, world.a2.user_id)
        assert (colleague.full_name, colleague.title, colleague.role, colleague.language, colleague.external_id) == (
            "Pat Colleague", "Sales lead", "partner_admin", "fr", "CRM-7"
        )  # fmt: skip
        changed = session.exec(select(AuditLog).where(AuditLog.action == "user.changed_by_team")).one()
        assert changed.actor_user_id == world.a.user_id and "partner_admin" in changed.summary
        assert session.exec(select(func.count()).select_from(Invite)).one() == 0  # nobody invited
    again, _key = run_file(engine, storage, world.a, rows.replace("Sales lead", "Sales lead"), dry=False, kind="users")
    assert counts(again) == (0, 0, 1, 2)


def test_who_may_import_whom(engine, storage, world):
    rows = people_csv(1, partner="Alpha Resellers")
    by_manager, _key = run_file(engine, storage, world.manager, rows, dry=False, kind="users")
    assert counts(by_manager) == (1, 0, 0, 0)  # Alpha is in their book
    theirs, _key = run_file(engine, storage, world.other_manager, rows, dry=False, kind="users")
    assert counts(theirs) == (0, 0, 0, 1) and "partner named is not one" in str(theirs.summary["failures"])
    blank, _key = run_file(engine, storage, world.admin, people_csv(1).replace("new0", "new9"), dry=False, kind="users")
    assert counts(blank) == (0, 0, 0, 1) and "partner is missing" in str(blank.summary["failures"])
    for nobody in (world.a2, world.b, world.exec):  # partner users and execs manage no team
        with pytest.raises(PermissionDenied):
            run_file(engine, storage, nobody, rows, dry=True, kind="users")
    assert "password" not in template_csv(PEOPLE_TABLE)


def test_the_export_is_formula_safe_and_imports_back_unchanged(engine, storage, world):
    with session_scope(engine) as session:
        me = session.get_one(User, world.a.user_id)
        me.title = "=HYPERLINK(1)"
        session.add(me)
    run_file(engine, storage, world.a, people_csv(2), dry=False, kind="users")
    with session_scope(engine) as session:
        exported = export_csv(session, world.a, PEOPLE_TABLE, {}, bom=True)
        by_manager = export_csv(session, world.manager, PEOPLE_TABLE, {"organization_id": str(world.alpha.id)})
    assert exported.startswith("\ufeff" + HEADER)
    assert "'=HYPERLINK(1)" in exported and "password" not in exported
    assert exported.count("\r\n") == 5  # the header, two colleagues, two pending invitations
    back, _key = run_file(engine, storage, world.a, exported.encode(), dry=False, kind="users")
    assert counts(back) == (0, 0, 4, 0)
    again, _key = run_file(engine, storage, world.manager, by_manager, dry=False, kind="users")
    assert counts(again) == (0, 0, 4, 0)
    with session_scope(engine) as session, pytest.raises(Exception, match="not found"):
        export_csv(session, world.other_manager, PEOPLE_TABLE, {"organization_id": str(world.alpha.id)})
    for nobody in (world.a2, world.exec):  # the export is the import's: partner users and execs manage no team
        with session_scope(engine) as session, pytest.raises(PermissionDenied):
            export_csv(session, nobody, PEOPLE_TABLE, {"organization_id": str(world.alpha.id)})


def test_two_partners_crms_may_both_number_a_person_c_1(engine, storage, world):
    """An external_id is unique within a partner: Beta's contact C-1 is invited and joins although Alpha's C-1
    has joined already; a manager's row that names no partner cannot say which C-1 it means."""
    alpha = HEADER + "\r\nC-1,,ann@alpha.example,Ann Alpha,,,partner_user,\r\n"
    assert counts(run_file(engine, storage, world.a, alpha, dry=False, kind="users")[0]) == (1, 0, 0, 0)
    _join(engine, "ann@alpha.example")

    beta = HEADER + "\r\nC-1,Beta Systems,bo@beta.example,Bo Beta,,,partner_user,\r\n"
    assert counts(run_file(engine, storage, world.manager, beta, dry=False, kind="users")[0]) == (1, 0, 0, 0)
    bo = _join(engine, "bo@beta.example")
    assert (bo.external_id, bo.organization_id) == ("C-1", world.beta.id)
    assert counts(run_file(engine, storage, world.manager, beta, dry=False, kind="users")[0]) == (0, 0, 1, 0)
    unnamed = beta.replace(",Beta Systems,", ",,")
    run, _key = run_file(engine, storage, world.manager, unnamed, dry=False, kind="users")
    assert counts(run) == (0, 0, 0, 1) and "partner is missing" in str(run.summary["failures"])


def _join(engine: Engine, email: str) -> User:
    """The person invited at `email` accepts the invitation (its link's token is set here: the mail holds it)."""
    with session_scope(engine) as session:
        invite = session.exec(select(Invite).where(Invite.email == email)).one()
        invite.token_hash = hash_token(f"token-{email}")
        session.add(invite)
    with session_scope(engine) as session:
        return session.get_one(User, accept_invite(session, f"token-{email}", PASSWORD, PASSWORD))
