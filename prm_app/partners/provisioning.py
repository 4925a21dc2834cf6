"""Provisioning a new partner: the organization, at the program's lowest tier, with its channel manager.

Recruitment calls this when a manager approves an application, in the approval's own unit of work (the invitation of
the applicant as partner admin is `team.invite_user`, in the same transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from prm_app.identity import User
from prm_app.partners.models import REGIONS, Organization, PartnerType, Tier
from prm_app.partners.rules import normalize_website
from prm_app.platform.access import Actor, Permission, Role
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import ValidationError


@dataclass(frozen=True)
class NewPartner:
    name: str
    partner_type: str
    country: str  # ISO alpha-2
    region: str  # one of REGIONS
    website: str = ""
    channel_manager_id: int | None = None
    city: str = ""  # ≤ 100 characters
    external_id: str | None = None  # its id in another system (CSV imports: prm_app/partners/table.py)


def lowest_tier_id(session: Session) -> int:
    """The entry tier (lowest rank); raises ValidationError when the program has no tier at all."""
    tier = session.exec(select(Tier).order_by(col(Tier.rank), col(Tier.id))).first()
    if tier is None:
        raise ValidationError("The partner program has no tier yet: add one before approving partners.")
    return saved_id(tier)


def check_channel_manager(session: Session, actor: Actor, user_id: int | None) -> int:
    """The channel manager a new partner gets: an active channel manager; a channel manager approving may only give
    the partner to themselves (the invitation speaks for them, and they manage only their own book's teams)."""
    user = session.get(User, user_id) if user_id else None
    if user is None or not user.is_active or user.role != Role.CHANNEL_MANAGER.value:
        raise ValidationError("Choose the channel manager of the new partner.", "channel_manager_id")
    if actor.role == Role.CHANNEL_MANAGER and user.id != actor.user_id:
        raise ValidationError("You can approve partners into your own book only.", "channel_manager_id")
    return saved_id(user)


def provision_organization(session: Session, actor: Actor, new: NewPartner, now: datetime | None = None) -> int:
    """Create the partner organization (lowest tier, the given type, region and channel manager) in the caller's
    unit of work and return its id. Raises ValidationError when the name is taken (compared case-insensitively:
    the UNIQUE name is the last guard) or a value is not one the program knows."""
    actor.require(Permission.RECRUIT_PARTNERS)
    name = " ".join((new.name or "").split())
    if not name or len(name) > 200:
        raise ValidationError("The organization needs a name of at most 200 characters.", "company")
    if new.partner_type not in {t.value for t in PartnerType}:
        raise ValidationError("Choose a partner type.", "partner_type")
    if new.region not in REGIONS:
        raise ValidationError("Choose a region.", "region")
    manager_id = check_channel_manager(session, actor, new.channel_manager_id)
    taken = session.exec(select(Organization.id).where(Organization.name_lower == name.lower())).first()
    if taken is not None or session.exec(select(func.count()).where(Organization.name == name)).one():
        raise ValidationError(f"A partner named {name} already exists.", "company")
    org = Organization(
        name=name,
        name_lower=name.lower(),
        partner_type=new.partner_type,
        tier_id=lowest_tier_id(session),
        region=new.region,
        country=new.country.upper()[:2],
        website=_web_address(new.website)[:200],
        channel_manager_id=manager_id,
        joined_at=now or utcnow(),
        city=new.city[:100],
        external_id=new.external_id or None,
    )
    session.add(org)
    session.flush()
    audit(
        session, actor, "provision_organization", "organization", org.id,
        name=name, partner_type=new.partner_type, region=new.region, channel_manager_id=manager_id,
    )  # fmt: skip
    return saved_id(org)


def _web_address(website: str) -> str:
    """The website as the profile keeps it, a full http(s) address ("www.acme.com" -> "https://www.acme.com"); ""
    for anything else (another scheme, no host): the profile links to it, so it must be a web address."""
    try:
        return normalize_website(website or "")
    except ValueError:
        return ""
