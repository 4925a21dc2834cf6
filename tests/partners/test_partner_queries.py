"""What the partner pages read: frozen dataclasses with raw values (codes, UTC datetimes, None for what does not
exist). How they look on screen is tested in test_partner_display.py; scope and filters in test_partners.py."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlmodel import Session

from prm_app.partners import PartnerType, directory_filter_options
from prm_app.partners.queries import (
    DirectoryFilterOptions,
    ManagerOption,
    OrganizationProfile,
    TierOption,
    get_partner_profile,
)
from prm_app.partners.team import invite_user, revoke_invite
from prm_app.partners.team_queries import PendingInvite, Team, TeamMember, list_team, my_team
from prm_app.platform.access import Role
from prm_app.platform.errors import NotFound, PermissionDenied
from prm_app.platform.settings import settings
from tests.factories import T0, actor_for, make_org, make_tier, make_user


@pytest.fixture
def alpha(session: Session) -> dict:
    tier = make_tier(session, name="Gold", rank=2, benefits="20% discount\n \nDeal protection\n")
    org = make_org(session, name="Alpha Resellers", tier=tier, partner_type=PartnerType.VAR, joined_at=T0)
    admin = make_user(session, Role.PARTNER_ADMIN, org, email="admin@alpha.example", full_name="Ada Admin")
    user = make_user(session, Role.PARTNER_USER, org, email="user@alpha.example", full_name="Bo User")
    gone = make_user(session, Role.PARTNER_USER, org, email="gone@alpha.example", full_name="Al Gone", is_active=False)
    session.commit()
    return {"org": org, "tier": tier, "admin": admin, "user": user, "gone": gone}


def test_a_profile_is_frozen_and_carries_codes_and_the_utc_join_moment(session, alpha):
    profile = get_partner_profile(session, actor_for(alpha["user"]), alpha["org"].id)

    assert isinstance(profile, OrganizationProfile)
    assert (profile.partner_type, profile.country, profile.joined_at) == ("var", "DE", T0)
    assert profile.joined_at.tzinfo is not None
    assert profile.tier_benefits == ("20% discount", "Deal protection")  # blank lines dropped
    assert (profile.manager, profile.parent, profile.sub_partners) == (None, None, ())
    with pytest.raises(dataclasses.FrozenInstanceError):
        profile.name = "Other"  # type: ignore[misc]  # proving the read model is frozen


def test_the_team_lists_active_people_first_with_role_codes(session, alpha):
    alpha["user"].title, alpha["user"].phone = "Sales engineer", "+49 (30) 1234-567"  # as typed on the account page
    session.flush()

    members = list_team(session, actor_for(alpha["admin"]), alpha["org"].id)

    assert members == (
        TeamMember(
            id=alpha["admin"].id,
            full_name="Ada Admin",
            email="admin@alpha.example",
            title="",
            phone="",
            role=Role.PARTNER_ADMIN,
            active=True,
            is_me=True,
        ),
        TeamMember(
            id=alpha["user"].id,
            full_name="Bo User",
            email="user@alpha.example",
            title="Sales engineer",
            phone="+49 (30) 1234-567",
            role=Role.PARTNER_USER,
            active=True,
            is_me=False,
        ),
        TeamMember(
            id=alpha["gone"].id,
            full_name="Al Gone",
            email="gone@alpha.example",
            title="",
            phone="",
            role=Role.PARTNER_USER,
            active=False,
            is_me=False,
        ),
    )


def test_my_team_has_the_people_and_the_pending_invitations_newest_first(session, alpha):
    admin = actor_for(alpha["admin"])
    old = invite_user(
        session, admin, alpha["org"].id, email="old@alpha.example", full_name="Old", role="partner_user", now=T0
    )
    new = invite_user(
        session,
        admin,
        alpha["org"].id,
        email="new@alpha.example",
        full_name="New",
        role="partner_admin",
        now=T0 + timedelta(days=6),
    )
    revoked = invite_user(
        session, admin, alpha["org"].id, email="rev@alpha.example", full_name="Rev", role="partner_user", now=T0
    )
    revoke_invite(session, admin, revoked.invite_id, now=T0)
    session.commit()

    team = my_team(session, admin, now=T0 + settings.invite_lifetime)

    assert isinstance(team, Team)
    assert [m.email for m in team.members] == ["admin@alpha.example", "user@alpha.example", "gone@alpha.example"]
    assert team.invites == (
        PendingInvite(
            id=new.invite_id,
            full_name="New",
            email="new@alpha.example",
            role=Role.PARTNER_ADMIN,
            expires_at=T0 + timedelta(days=6) + settings.invite_lifetime,
            expired=False,
        ),
        PendingInvite(
            id=old.invite_id,
            full_name="Old",
            email="old@alpha.example",
            role=Role.PARTNER_USER,
            expires_at=T0 + settings.invite_lifetime,
            expired=True,  # it expires at exactly `now`
        ),
    )


def test_my_team_is_for_partners_and_other_teams_are_not_found(session, alpha):
    with pytest.raises(PermissionDenied):
        my_team(session, actor_for(make_user(session, Role.CHANNEL_MANAGER)))
    other = make_user(session, Role.PARTNER_ADMIN)  # in an organization of its own
    with pytest.raises(NotFound):
        list_team(session, actor_for(other), alpha["org"].id)


def test_filter_options_are_raw_and_the_old_dict_shape_is_built_from_them(session, alpha):
    maya = make_user(session, Role.CHANNEL_MANAGER, full_name="Maya Okafor")
    make_user(session, Role.CHANNEL_MANAGER, full_name="Former Manager", is_active=False)
    silver = make_tier(session, name="Silver", rank=1)
    session.commit()

    options = directory_filter_options(session, actor_for(maya))

    assert options == DirectoryFilterOptions(
        types=tuple(PartnerType),
        tiers=(TierOption(id=silver.id, name="Silver"), TierOption(id=alpha["tier"].id, name="Gold")),
        regions=("North America", "Latin America", "EMEA", "APAC"),
        managers=(ManagerOption(id=maya.id, name="Maya Okafor"),),
    )
