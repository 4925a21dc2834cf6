"""The permission table is the policy: these tests read as its specification."""

from __future__ import annotations

import pytest

from prm_app.platform.access import GRANTS, Actor, Permission, Role, Scope
from prm_app.platform.errors import PermissionDenied


def actor(role: Role, user_id: int | None = 7, org: int | None = None) -> Actor:
    return Actor(user_id=user_id, role=role, organization_id=org)


def test_every_role_has_a_row_and_a_scope():
    assert set(GRANTS) == set(Role)
    assert {actor(r, org=1 if r in (Role.PARTNER_USER, Role.PARTNER_ADMIN) else None).scope for r in Role} == set(Scope)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.PARTNER_USER, {"use_portal", "register_deals", "work_leads", "answer_surveys", "claim_funds"}),
        (
            Role.PARTNER_ADMIN,
            {"use_portal", "register_deals", "work_leads", "answer_surveys", "claim_funds", "manage_team"}
            | {"manage_api_keys", "import_deals"},
        ),
        (Role.EXEC, {"view_partners"}),
        (
            Role.CHANNEL_MANAGER,
            {
                "view_partners",
                "decide_deals",
                "manage_leads",
                "launch_surveys",
                "manage_team",
                "manage_onboarding",
                "recruit_partners",
                "manage_agreements",
                "manage_partner_groups",
                "manage_content",
                "manage_training",
                "review_funds",
                "manage_tiers",
                "import_deals",
            },
        ),
        (
            Role.ADMIN,
            {
                "view_partners",
                "decide_deals",
                "manage_leads",
                "launch_surveys",
                "manage_team",
                "read_outbox",
                "manage_onboarding",
                "recruit_partners",
                "manage_agreements",
                "manage_partner_groups",
                "manage_scorm",
                "manage_content",
                "manage_training",
                "review_funds",
                "manage_tiers",
                "manage_incentives",
                "restore_content",
                "manage_api_keys",
                "read_audit",
                "manage_crm",
                "import_deals",
            },
        ),
    ],
)
def test_what_each_person_may_do(role, allowed):
    someone = actor(role, org=3 if role in (Role.PARTNER_USER, Role.PARTNER_ADMIN) else None)

    assert {p.value for p in Permission if someone.can(p)} == allowed
    for permission in Permission:
        if permission.value in allowed:
            someone.require(permission)
        else:
            with pytest.raises(PermissionDenied):
                someone.require(permission)


def test_execs_read_everything_but_change_nothing_operational():
    exec_ = actor(Role.EXEC)

    assert exec_.can(Permission.VIEW_PARTNERS) and exec_.scope == Scope.ALL
    assert not any(exec_.can(p) for p in (Permission.DECIDE_DEALS, Permission.MANAGE_LEADS, Permission.LAUNCH_SURVEYS))


def test_the_system_actor_runs_jobs_and_is_nobody():
    system = Actor.system("Expiry")

    assert (system.user_id, system.organization_id, system.name, system.role) == (None, None, "Expiry", Role.SYSTEM)
    assert system.can(Permission.RUN_JOBS) and not system.is_partner and not system.is_internal
    assert not any(actor(r).can(Permission.RUN_JOBS) for r in Role if r != Role.SYSTEM)


def test_books_partners_admins_and_execs_reach():
    manager = actor(Role.CHANNEL_MANAGER, user_id=5)

    assert manager.reaches_book_of(5) and not manager.reaches_book_of(6) and not manager.reaches_book_of(None)
    assert actor(Role.ADMIN).reaches_book_of(6) and actor(Role.EXEC).reaches_book_of(None)
    assert not actor(Role.PARTNER_ADMIN, org=1).reaches_book_of(7)


def test_partner_admins_manage_only_their_own_team_and_managers_only_their_books():
    admin = actor(Role.PARTNER_ADMIN, org=1)
    manager = actor(Role.CHANNEL_MANAGER, user_id=5)

    assert admin.can_manage_team_of(1, None) and not admin.can_manage_team_of(2, None)
    assert not actor(Role.PARTNER_USER, org=1).can_manage_team_of(1, None)
    assert manager.can_manage_team_of(2, 5) and not manager.can_manage_team_of(2, 6)
    assert not manager.can_manage_team_of(2, None)  # a partner nobody manages: the admins'
    assert actor(Role.ADMIN).can_manage_team_of(2, None)
    assert not actor(Role.EXEC).can_manage_team_of(2, None)


def test_queries_are_bounded_by_the_same_book():
    assert actor(Role.CHANNEL_MANAGER, user_id=5).book_owner() == 5
    assert actor(Role.ADMIN).book_owner() is None and actor(Role.EXEC).book_owner() is None
