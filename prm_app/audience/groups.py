"""Partner groups: list, create, rename, add and remove partners. Internal users who view partners see every
group; changing one needs MANAGE_PARTNER_GROUPS, and a channel manager adds or removes only partners in their book."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from prm_app.audience.models import PartnerGroup, PartnerGroupMember
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.db import saved_id
from prm_app.platform.errors import FormInvalid, NotFound

NAME_MAX = 80


@dataclass(frozen=True)
class GroupSummary:
    key: str
    name: str
    description: str
    members: int


@dataclass(frozen=True)
class GroupMember:
    organization_id: int
    name: str
    tier_id: int
    region: str


@dataclass(frozen=True)
class GroupDetail:
    key: str
    name: str
    description: str
    members: tuple[GroupMember, ...]
    can_manage: bool


def _viewer(actor: Actor) -> None:
    if actor.is_partner:
        raise NotFound("partner group")
    actor.require(Permission.VIEW_PARTNERS)


def list_groups(session: Session, actor: Actor) -> list[GroupSummary]:
    """Every group with its number of partners, by name."""
    _viewer(actor)
    counts = (
        select(PartnerGroup, func.count(col(PartnerGroupMember.organization_id)))
        .outerjoin(PartnerGroupMember, col(PartnerGroupMember.group_id) == col(PartnerGroup.id))
        .group_by(col(PartnerGroup.id))
        .order_by(col(PartnerGroup.name_lower))
    )
    return [GroupSummary(g.key, g.name, g.description, n) for g, n in session.exec(counts).all()]


def _group(session: Session, key: str) -> PartnerGroup:
    group = session.exec(select(PartnerGroup).where(PartnerGroup.key == str(key)[:NAME_MAX])).first()
    if group is None:
        raise NotFound("partner group")
    return group


def group_detail(session: Session, actor: Actor, key: str) -> GroupDetail:
    """A group and its partners (by name)."""
    _viewer(actor)
    group = _group(session, key)
    rows = session.exec(
        select(Organization.id, Organization.name, Organization.tier_id, Organization.region)
        .join(PartnerGroupMember, col(PartnerGroupMember.organization_id) == col(Organization.id))
        .where(PartnerGroupMember.group_id == saved_id(group))
        .order_by(col(Organization.name_lower))
    ).all()
    return GroupDetail(
        group.key,
        group.name,
        group.description,
        tuple(GroupMember(*row) for row in rows),
        actor.can(Permission.MANAGE_PARTNER_GROUPS),
    )


def _clean_name(session: Session, name: str, *, except_id: int | None = None) -> str:
    name = " ".join(str(name).split())
    if not name:
        raise FormInvalid({"name": "Give the group a name."})
    if len(name) > NAME_MAX:
        raise FormInvalid({"name": f"Keep the name to {NAME_MAX} characters."})
    clash = session.exec(select(PartnerGroup.id).where(PartnerGroup.name_lower == name.lower())).first()
    if clash is not None and clash != except_id:
        raise FormInvalid({"name": f"There is already a group called {name}."})
    return name


def _new_key(session: Session, name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "group"
    key, n = base, 1
    while session.exec(select(PartnerGroup.id).where(PartnerGroup.key == key)).first() is not None:
        n += 1
        key = f"{base}-{n}"
    return key


def create_group(session: Session, actor: Actor, name: str, description: str = "") -> str:
    """A new, empty group; returns its key (made from the name once and never changed)."""
    actor.require(Permission.MANAGE_PARTNER_GROUPS)
    name = _clean_name(session, name)
    group = PartnerGroup(
        key=_new_key(session, name),
        name=name,
        name_lower=name.lower(),
        description=str(description).strip()[:1000],
        created_by_id=actor.user_id,
    )
    session.add(group)
    session.flush()
    audit(session, actor, "partner_group.created", "partner_group", saved_id(group), name=name)
    return group.key


def rename_group(session: Session, actor: Actor, key: str, name: str, description: str) -> None:
    """A new name and description; rules that address the group keep addressing it (they hold its key)."""
    actor.require(Permission.MANAGE_PARTNER_GROUPS)
    group = _group(session, key)
    before = group.name
    group.name = _clean_name(session, name, except_id=group.id)
    group.name_lower = group.name.lower()
    group.description = str(description).strip()[:1000]
    session.add(group)
    audit(session, actor, "partner_group.renamed", "partner_group", saved_id(group), before=before, after=group.name)


def _reachable_partner(session: Session, actor: Actor, name: str) -> Organization:
    name = " ".join(str(name).split())
    if not name:
        raise FormInvalid({"partner": "Type the partner's name."})
    org = session.exec(select(Organization).where(Organization.name_lower == name.lower()[:200])).first()
    if org is None or not actor.reaches_book_of(org.channel_manager_id):
        raise FormInvalid({"partner": f"No partner called {name} in your book."})
    return org


def add_partner(session: Session, actor: Actor, key: str, partner_name: str) -> str:
    """Put a partner (named exactly, in the actor's book) in the group; returns its name. Adding twice is refused."""
    actor.require(Permission.MANAGE_PARTNER_GROUPS)
    group = _group(session, key)
    org = _reachable_partner(session, actor, partner_name)
    if session.get(PartnerGroupMember, (saved_id(group), saved_id(org))) is not None:
        raise FormInvalid({"partner": f"{org.name} is already in {group.name}."})
    session.add(PartnerGroupMember(group_id=saved_id(group), organization_id=saved_id(org), added_by_id=actor.user_id))
    audit(session, actor, "partner_group.partner_added", "partner_group", saved_id(group), partner=org.name)
    return org.name


def remove_partner(session: Session, actor: Actor, key: str, organization_id: int) -> None:
    """Take a partner (in the actor's book) out of the group; a partner not in it is "not found"."""
    actor.require(Permission.MANAGE_PARTNER_GROUPS)
    group = _group(session, key)
    member = session.get(PartnerGroupMember, (saved_id(group), int(organization_id)))
    org = session.get(Organization, int(organization_id))
    if member is None or org is None or not actor.reaches_book_of(org.channel_manager_id):
        raise NotFound("partner in this group")
    session.delete(member)
    audit(session, actor, "partner_group.partner_removed", "partner_group", saved_id(group), partner=org.name)
