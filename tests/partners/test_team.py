"""A partner's team: invitations (single use, expiring, revocable), accepting them, deactivation, audit."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from prm_app.identity.auth import log_in, resolve_session
from prm_app.identity.models import AuthSession, User
from prm_app.partners.models import Invite
from prm_app.partners.team import (
    accept_invite,
    get_invite,
    invite_user,
    revoke_invite,
    set_user_active,
)
from prm_app.partners.team_queries import list_pending_invites, list_team
from prm_app.platform.access import Role
from prm_app.platform.errors import NotAuthenticated, NotFound, PermissionDenied, ValidationError
from prm_app.platform.models import AuditLog
from prm_app.platform.settings import settings
from tests.factories import PASSWORD, T0, actor_for, make_org, make_user

NEW_PASSWORD = "a-new-team-password"


@pytest.fixture
def team(session: Session) -> dict:
    """Two partner organizations, each with an admin and a user, plus the vendor's admin."""
    org_a, org_b = make_org(session, name="Alpha Resellers"), make_org(session, name="Beta Systems")
    people = {
        "org_a": org_a,
        "org_b": org_b,
        "admin_a": make_user(session, Role.PARTNER_ADMIN, org_a, email="admin@alpha.example"),
        "user_a": make_user(session, Role.PARTNER_USER, org_a, email="user@alpha.example"),
        "admin_b": make_user(session, Role.PARTNER_ADMIN, org_b, email="admin@beta.example"),
        "user_b": make_user(session, Role.PARTNER_USER, org_b, email="user@beta.example"),
        "vendor_admin": make_user(session, Role.ADMIN, email="admin@vendor.example"),
    }
    session.commit()
    return people


def _invite(session, inviter, org, email="new.hire@alpha.example", now=T0, **kw):
    created = invite_user(
        session,
        actor_for(inviter),
        org.id,
        email=email,
        full_name=kw.pop("full_name", "New Hire"),
        role=kw.pop("role", Role.PARTNER_USER.value),
        now=now,
    )
    session.commit()
    return created


def _actions(session: Session) -> list[tuple[str, int | None, int | None]]:
    rows = session.exec(select(AuditLog).order_by(AuditLog.id)).all()
    return [(r.action, r.actor_user_id, r.record_id) for r in rows]


def test_partner_admin_invites_into_own_org(session, team):
    created = _invite(session, team["admin_a"], team["org_a"], email=" New.Hire@Alpha.example ")

    invite = session.get(Invite, created.invite_id)
    assert (invite.organization_id, invite.email, invite.role) == (
        team["org_a"].id,
        "new.hire@alpha.example",
        "partner_user",
    )
    assert invite.expires_at == T0 + settings.invite_lifetime
    assert created.token not in invite.token_hash
    pending = list_pending_invites(session, actor_for(team["admin_a"]), team["org_a"].id, now=T0)
    assert [p.email for p in pending] == ["new.hire@alpha.example"]


def test_vendor_admin_may_invite_into_any_org(session, team):
    created = _invite(session, team["vendor_admin"], team["org_b"], email="x@beta.example")

    assert session.get(Invite, created.invite_id).organization_id == team["org_b"].id


@pytest.mark.parametrize("who", ["user_a", "exec"])
def test_partner_user_and_exec_cannot_invite(session, team, who):
    inviter = make_user(session, Role.EXEC) if who == "exec" else team[who]
    with pytest.raises(PermissionDenied):
        _invite(session, inviter, team["org_a"])
    assert session.exec(select(func.count()).select_from(Invite)).one() == 0


def test_partner_admin_cannot_invite_into_another_org(session, team):
    actor = actor_for(team["admin_a"])
    messages = []
    for org_id in (team["org_b"].id, team["org_b"].id + 1000):  # another org's, and one that does not exist
        with pytest.raises(NotFound) as err:
            invite_user(session, actor, org_id, email="x@beta.example", full_name="X", role="partner_user", now=T0)
        messages.append(err.value.message)

    # The same answer whether the organization exists or not: nothing leaks.
    assert messages == ["Partner not found.", "Partner not found."]
    assert session.exec(select(func.count()).select_from(Invite)).one() == 0


@pytest.mark.parametrize(
    ("email", "full_name", "role", "field"),
    [
        ("not-an-email", "New Hire", "partner_user", "email"),
        ("two@@alpha.example", "New Hire", "partner_user", "email"),
        ("", "New Hire", "partner_user", "email"),
        ("ok@alpha.example", "   ", "partner_user", "full_name"),
        ("ok@alpha.example", "x" * 121, "partner_user", "full_name"),
        ("ok@alpha.example", "New Hire", "admin", "role"),  # no escalation to an internal role
        ("ok@alpha.example", "New Hire", "channel_manager", "role"),
    ],
)
def test_invalid_invite_input_names_the_field(session, team, email, full_name, role, field):
    with pytest.raises(ValidationError) as err:
        _invite(session, team["admin_a"], team["org_a"], email=email, full_name=full_name, role=role)
    assert err.value.field == field


def test_inviting_a_colleague_already_on_the_team_names_the_field(session, team):
    with pytest.raises(ValidationError, match="already on your team") as err:
        _invite(session, team["admin_a"], team["org_a"], email="User@Alpha.EXAMPLE")  # other case
    assert err.value.field == "email"


def test_the_invite_form_does_not_reveal_an_account_elsewhere(session, team):
    """Whether an email has an account at another partner or at the vendor is not the inviter's business: the
    invitation is created as for anyone; the invitee, opening the link, is told to sign in instead."""
    for email in ("User@Beta.EXAMPLE", "admin@vendor.example", "nobody.yet@beta.example"):
        created = _invite(session, team["admin_a"], team["org_a"], email=email)
        assert created.email == email.lower()

    elsewhere = _invite(session, team["admin_a"], team["org_a"], email="user@beta.example")
    with pytest.raises(ValidationError, match="Sign in instead"):
        accept_invite(session, elsewhere.token, NEW_PASSWORD, NEW_PASSWORD, now=T0)


def test_deactivating_an_admin_revokes_the_invitations_they_sent(session, team):
    mine = _invite(session, team["admin_a"], team["org_a"], email="one@alpha.example")
    vendors = _invite(session, team["vendor_admin"], team["org_a"], email="two@alpha.example")
    second_admin = make_user(session, Role.PARTNER_ADMIN, team["org_a"], email="second@alpha.example")
    session.commit()

    set_user_active(session, actor_for(second_admin), team["admin_a"].id, False, now=T0)
    session.commit()

    assert session.get(Invite, mine.invite_id).revoked_at == T0
    with pytest.raises(NotFound):
        accept_invite(session, mine.token, NEW_PASSWORD, NEW_PASSWORD, now=T0)
    assert session.get(Invite, vendors.invite_id).revoked_at is None  # someone else's invitation lives on
    deactivation = session.exec(select(AuditLog).where(AuditLog.action == "deactivate_user")).one()
    assert json.loads(deactivation.summary)["invites_revoked"] == 1


@pytest.mark.parametrize("change", ["deactivated", "demoted", "moved"])
def test_accepting_checks_the_inviter_may_still_invite(session, team, change):
    created = _invite(session, team["admin_a"], team["org_a"])
    inviter = session.get(User, team["admin_a"].id)
    if change == "deactivated":  # e.g. switched off directly in the database, without the revocation
        inviter.is_active = False
    elif change == "demoted":
        inviter.role = Role.PARTNER_USER.value
    else:
        inviter.organization_id = team["org_b"].id
    session.add(inviter)
    session.commit()

    with pytest.raises(ValidationError, match="no longer valid"):
        get_invite(session, created.token, now=T0)
    with pytest.raises(ValidationError, match="no longer valid"):
        accept_invite(session, created.token, NEW_PASSWORD, NEW_PASSWORD, now=T0)
    assert session.get(Invite, created.invite_id).used_at is None


def test_accepted_invite_creates_a_user_who_can_log_in(session, team):
    created = _invite(session, team["admin_a"], team["org_a"], role="partner_admin")
    info = get_invite(session, created.token, now=T0 + timedelta(hours=1))
    assert (info.email, info.full_name, info.organization, info.role) == (
        "new.hire@alpha.example",
        "New Hire",
        "Alpha Resellers",
        Role.PARTNER_ADMIN,
    )

    user_id = accept_invite(session, created.token, NEW_PASSWORD, NEW_PASSWORD, now=T0 + timedelta(hours=1))
    session.commit()

    signed_in = log_in(session, "new.hire@alpha.example", NEW_PASSWORD)
    assert signed_in.actor.user_id == user_id
    assert (signed_in.actor.role, signed_in.actor.organization_id) == (Role.PARTNER_ADMIN, team["org_a"].id)
    assert session.get(User, user_id).password_hash.startswith("$argon2id$")
    assert list_pending_invites(session, actor_for(team["admin_a"]), team["org_a"].id) == ()


@pytest.mark.parametrize(
    ("reported", "kept"),
    [
        ("Asia/Tokyo", "Asia/Tokyo"),
        ("Asia/Calcutta", "Asia/Kolkata"),  # Chrome's older name, kept under the current one
        ("Mars/Olympus", ""),  # not a zone: left unset (the first sign-in reporting one sets it)
        ("", ""),  # the browser said nothing (or the script did not run)
    ],
)
def test_accepting_keeps_the_browsers_zone_as_a_first_sign_in_would(session, team, reported, kept):
    created = _invite(session, team["admin_a"], team["org_a"])

    user_id = accept_invite(session, created.token, NEW_PASSWORD, NEW_PASSWORD, now=T0, time_zone=reported)
    session.commit()

    assert session.get(User, user_id).time_zone == kept
    accepted = session.exec(select(AuditLog).where(AuditLog.action == "accept_invite")).one()
    assert json.loads(accepted.summary)["time_zone"] == kept


def test_invite_token_is_single_use(session, team):
    created = _invite(session, team["admin_a"], team["org_a"])
    accept_invite(session, created.token, NEW_PASSWORD, NEW_PASSWORD, now=T0)
    session.commit()

    with pytest.raises(ValidationError, match="already been used"):
        accept_invite(session, created.token, NEW_PASSWORD, NEW_PASSWORD, now=T0)
    with pytest.raises(ValidationError, match="already been used"):
        get_invite(session, created.token, now=T0)
    assert session.exec(select(func.count()).select_from(User).where(User.email == created.email)).one() == 1


def test_expired_invite_is_refused(session, team):
    created = _invite(session, team["admin_a"], team["org_a"])

    with pytest.raises(ValidationError, match="expired"):
        accept_invite(session, created.token, NEW_PASSWORD, NEW_PASSWORD, now=created.expires_at)
    assert session.exec(select(User).where(User.email == created.email)).first() is None


def test_revoked_invite_is_refused(session, team):
    created = _invite(session, team["admin_a"], team["org_a"])
    revoke_invite(session, actor_for(team["admin_a"]), created.invite_id, now=T0)
    session.commit()

    with pytest.raises(NotFound):
        accept_invite(session, created.token, NEW_PASSWORD, NEW_PASSWORD, now=T0)


def test_other_orgs_admin_cannot_revoke_an_invite(session, team):
    created = _invite(session, team["admin_a"], team["org_a"])

    with pytest.raises(NotFound):
        revoke_invite(session, actor_for(team["admin_b"]), created.invite_id, now=T0)
    assert session.get(Invite, created.invite_id).revoked_at is None


def test_a_newer_invite_revokes_the_older_one(session, team):
    older = _invite(session, team["admin_a"], team["org_a"], now=T0)
    newer = _invite(session, team["admin_a"], team["org_a"], now=T0 + timedelta(minutes=5))

    with pytest.raises(NotFound):
        accept_invite(session, older.token, NEW_PASSWORD, NEW_PASSWORD, now=T0 + timedelta(minutes=6))
    assert accept_invite(session, newer.token, NEW_PASSWORD, NEW_PASSWORD, now=T0 + timedelta(minutes=6))


@pytest.mark.parametrize(
    ("password", "confirm", "field"),
    [
        ("short", "short", "password"),
        ("123456789", "123456789", "password"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "confirm"),
        ("demo-partner-2026", "demo-partner-2026", "password"),  # published with the demo: never a real password
    ],
)
def test_bad_new_password_names_the_field_and_keeps_the_invite(session, team, password, confirm, field):
    created = _invite(session, team["admin_a"], team["org_a"])

    with pytest.raises(ValidationError) as err:
        accept_invite(session, created.token, password, confirm, now=T0)

    assert err.value.field == field
    assert session.get(Invite, created.invite_id).used_at is None  # a typo does not burn the invitation


def test_deactivation_ends_sessions_at_once(session, team):
    token = log_in(session, "user@alpha.example", PASSWORD, now=T0).token
    resolve_session(session, token, now=T0)

    set_user_active(session, actor_for(team["admin_a"]), team["user_a"].id, False)
    session.commit()

    assert session.exec(select(AuthSession).where(AuthSession.user_id == team["user_a"].id)).all() == []
    with pytest.raises(NotAuthenticated):
        resolve_session(session, token, now=T0 + timedelta(seconds=1))
    team_view = {row.email: row.active for row in list_team(session, actor_for(team["admin_a"]), team["org_a"].id)}
    assert team_view == {"admin@alpha.example": True, "user@alpha.example": False}


def test_nobody_deactivates_themselves(session, team):
    with pytest.raises(ValidationError):
        set_user_active(session, actor_for(team["admin_a"]), team["admin_a"].id, False)
    assert session.get(User, team["admin_a"].id).is_active


def test_partner_admin_cannot_deactivate_another_orgs_user(session, team):
    with pytest.raises(NotFound):
        set_user_active(session, actor_for(team["admin_a"]), team["user_b"].id, False)
    assert session.get(User, team["user_b"].id).is_active


def test_partner_user_cannot_deactivate_a_colleague(session, team):
    with pytest.raises(PermissionDenied):
        set_user_active(session, actor_for(team["user_a"]), team["admin_a"].id, False)
    assert session.get(User, team["admin_a"].id).is_active


def test_partner_cannot_list_another_orgs_team(session, team):
    with pytest.raises(NotFound):
        list_team(session, actor_for(team["admin_a"]), team["org_b"].id)


def test_audit_log_records_invite_accept_deactivate_and_login(session, team):
    admin = team["admin_a"]
    created = _invite(session, admin, team["org_a"])
    new_id = accept_invite(session, created.token, NEW_PASSWORD, NEW_PASSWORD, now=T0)
    session.commit()
    log_in(session, created.email, NEW_PASSWORD, now=T0)
    set_user_active(session, actor_for(admin), new_id, False)
    session.commit()

    assert _actions(session) == [
        ("invite_user", admin.id, created.invite_id),
        ("accept_invite", None, new_id),
        ("login", new_id, new_id),
        ("deactivate_user", admin.id, new_id),
    ]
    deactivation = session.exec(select(AuditLog).where(AuditLog.action == "deactivate_user")).one()
    assert deactivation.actor_org_id == team["org_a"].id
    assert created.email in deactivation.summary


def test_a_partners_people_are_read_and_changed_only_within_the_managers_book(session, team):
    """#9: the partner's own channel manager (and admins, execs to read) see its people; another book's manager
    gets "not found" and may not change that team."""
    own = make_user(session, Role.CHANNEL_MANAGER, email="own.cm@vendor.example")
    other = make_user(session, Role.CHANNEL_MANAGER, email="other.cm@vendor.example")
    team["org_a"].channel_manager_id = own.id
    session.add(team["org_a"])
    session.commit()

    assert len(list_team(session, actor_for(own), team["org_a"].id)) == 2
    assert len(list_team(session, actor_for(make_user(session, Role.EXEC)), team["org_a"].id)) == 2
    with pytest.raises(NotFound):
        list_team(session, actor_for(other), team["org_a"].id)
    with pytest.raises(NotFound):
        _invite(session, other, team["org_a"])
    with pytest.raises(NotFound):
        set_user_active(session, actor_for(other), team["user_a"].id, False)
    pending = _invite(session, own, team["org_a"])  # the partner's own manager may
    with pytest.raises(NotFound):
        revoke_invite(session, actor_for(other), pending.invite_id)
