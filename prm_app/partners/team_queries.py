"""What the team pages read, as frozen dataclasses with raw values: role codes, UTC datetimes, flags. How they look
is decided by the pages (prm_app/partners/ui/display.py).

An organization's team is visible to its own people and to internal users (prm_app/partners/scope.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from prm_app.identity import User
from prm_app.partners.models import Invite, Organization
from prm_app.partners.scope import team_org
from prm_app.platform.access import Actor, Permission, Role
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import PermissionDenied


@dataclass(frozen=True)
class TeamMember:
    """One person of an organization."""

    id: int
    full_name: str
    email: str
    title: str  # "" when none
    phone: str  # as the person typed it on their account page ("+1 415 555 0100"), "" when none
    role: Role
    active: bool
    is_me: bool  # the actor who asked


@dataclass(frozen=True)
class PendingInvite:
    """An invitation nobody has used or revoked yet (it may have expired)."""

    id: int
    full_name: str
    email: str
    role: Role
    expires_at: datetime  # UTC
    expired: bool  # as of the `now` the list was read at


@dataclass(frozen=True)
class Team:
    """The portal's Team page: the partner's own people and its pending invitations."""

    members: tuple[TeamMember, ...]
    invites: tuple[PendingInvite, ...]


def list_team(session: Session, actor: Actor, organization_id: int) -> tuple[TeamMember, ...]:
    """The people of an organization, active ones first, each group by name; for its own members and internal
    users (anyone else: NotFound)."""
    team_org(session, actor, organization_id)
    users = session.exec(
        select(User).where(User.organization_id == organization_id).order_by(col(User.is_active).desc(), User.full_name)
    ).all()
    return tuple(
        TeamMember(
            id=saved_id(u),
            full_name=u.full_name,
            email=u.email,
            title=u.title,
            phone=u.phone,
            role=Role(u.role),
            active=u.is_active,
            is_me=u.id == actor.user_id,
        )
        for u in users
    )


def list_pending_invites(
    session: Session, actor: Actor, organization_id: int, now: datetime | None = None
) -> tuple[PendingInvite, ...]:
    """An organization's unused, unrevoked invitations, newest first, each marked expired or not at `now`;
    for its own members and internal users (anyone else: NotFound)."""
    team_org(session, actor, organization_id)
    now = now or utcnow()
    invites = session.exec(
        select(Invite)
        .where(
            Invite.organization_id == organization_id, col(Invite.used_at).is_(None), col(Invite.revoked_at).is_(None)
        )
        .order_by(col(Invite.created_at).desc())
    ).all()
    return tuple(
        PendingInvite(
            id=saved_id(i),
            full_name=i.full_name,
            email=i.email,
            role=Role(i.role),
            expires_at=i.expires_at,
            expired=i.expires_at <= now,
        )
        for i in invites
    )


def my_team(session: Session, actor: Actor, now: datetime | None = None) -> Team:
    """The portal's Team page: the partner's own people and its pending invitations (partners only)."""
    actor.require(Permission.USE_PORTAL)
    org_id = actor.organization_id
    if org_id is None:  # only a partner's people use the portal, and they all have one
        raise PermissionDenied()
    return Team(members=list_team(session, actor, org_id), invites=list_pending_invites(session, actor, org_id, now))


@dataclass(frozen=True)
class PersonHit:
    """A partner's person found by the header's search (the vendor's people only)."""

    id: int
    full_name: str
    email: str
    organization_id: int
    organization: str
    active: bool


def find_people(session: Session, actor: Actor, text: str, limit: int = 8) -> tuple[PersonHit, ...]:
    """People of partner organizations whose name or email contains `text` (any case), by name, at most `limit`;
    for the vendor's people, who see every partner's team (partners find their colleagues on their Team page)."""
    actor.require(Permission.VIEW_PARTNERS)
    needle = text.strip().lower()
    rows = session.exec(
        select(User, col(Organization.id), Organization.name)
        .join(Organization, col(Organization.id) == User.organization_id)
        .where(
            or_(
                func.lower(col(User.full_name)).contains(needle, autoescape=True),
                func.lower(col(User.email)).contains(needle, autoescape=True),
            )
        )
        .order_by(func.lower(col(User.full_name)), col(User.id))
        .limit(limit)
    ).all()
    return tuple(
        PersonHit(
            id=saved_id(user),
            full_name=user.full_name,
            email=user.email,
            organization_id=org_id,
            organization=name,
            active=user.is_active,
        )
        for user, org_id, name in rows
        if org_id is not None  # always: the join matched an organization's primary key
    )
