"""Provisioning a new partner: the organization, at the program's lowest tier, with its channel manager.

Recruitment calls this when a manager approves an application, in the approval's own unit of work (the invitation of
the applicant as partner admin is `team.invite_user`, in the same transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

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
    (result,) = provision_organizations(session, actor, [new], now)
    if isinstance(result, ValidationError):
        raise result
    return result


def _refusal(
    session: Session, actor: Actor, new: NewPartner, name: str, managers: dict[int | None, int | ValidationError]
) -> ValidationError | None:
    if not name or len(name) > 200:
        return ValidationError("The organization needs a name of at most 200 characters.", "company")
    if new.partner_type not in {t.value for t in PartnerType}:
        return ValidationError("Choose a partner type.", "partner_type")
    if new.region not in REGIONS:
        return ValidationError("Choose a region.", "region")
    if new.channel_manager_id not in managers:
        try:
            managers[new.channel_manager_id] = check_channel_manager(session, actor, new.channel_manager_id)
        except ValidationError as refused:
            managers[new.channel_manager_id] = refused
    manager = managers[new.channel_manager_id]
    return manager if isinstance(manager, ValidationError) else None


def provision_organizations(
    session: Session, actor: Actor, news: Sequence[NewPartner], now: datetime | None = None
) -> list[int | ValidationError]:
    """`provision_organization` for many partners at once (a CSV import), by the same rules, with a few queries
    for all of them instead of several for each: per partner, in order, its new id or the ValidationError that
    refused it (a name taken, also by an earlier partner of the same call; a value the program does not know).
    The refused write nothing; the others are created and audited in the caller's unit of work."""
    actor.require(Permission.RECRUIT_PARTNERS)
    names = [" ".join((new.name or "").split()) for new in news]
    managers: dict[int | None, int | ValidationError] = {}
    refusals = [_refusal(session, actor, new, name, managers) for new, name in zip(news, names, strict=True)]
    wanted = sorted({name for name, refused in zip(names, refusals, strict=True) if refused is None})
    taken: set[str] = set()
    for start in range(0, len(wanted), 500):  # bound the IN lists
        part = wanted[start : start + 500]
        taken.update(
            session.exec(
                select(Organization.name_lower).where(col(Organization.name_lower).in_([n.lower() for n in part]))
            ).all()
        )
        taken.update(
            n.lower() for n in session.exec(select(Organization.name).where(col(Organization.name).in_(part))).all()
        )
    tier_id: int | ValidationError | None = None
    created: list[tuple[int, Organization]] = []
    for index, (new, name) in enumerate(zip(news, names, strict=True)):
        if refusals[index] is not None:
            continue
        if name.lower() in taken:
            refusals[index] = ValidationError(f"A partner named {name} already exists.", "company")
            continue
        if tier_id is None:
            try:
                tier_id = lowest_tier_id(session)
            except ValidationError as refused:
                tier_id = refused
        if isinstance(tier_id, ValidationError):
            refusals[index] = tier_id
            continue
        taken.add(name.lower())
        manager_id = managers[new.channel_manager_id]
        assert isinstance(manager_id, int)  # _refusal refused the others
        org = Organization(
            name=name,
            name_lower=name.lower(),
            partner_type=new.partner_type,
            tier_id=tier_id,
            region=new.region,
            country=new.country.upper()[:2],
            website=_web_address(new.website)[:200],
            channel_manager_id=manager_id,
            joined_at=now or utcnow(),
            city=new.city[:100],
            external_id=new.external_id or None,
        )
        created.append((index, org))
    session.add_all([org for _index, org in created])
    session.flush()  # one batched INSERT
    ids: dict[int, int] = {}
    for index, org in created:
        new = news[index]
        audit(
            session, actor, "provision_organization", "organization", org.id,
            name=org.name, partner_type=new.partner_type, region=new.region, channel_manager_id=org.channel_manager_id,
        )  # fmt: skip
        ids[index] = saved_id(org)
    return [ids[i] if refusal is None else refusal for i, refusal in enumerate(refusals)]


def _web_address(website: str) -> str:
    """The website as the profile keeps it, a full http(s) address ("www.acme.com" -> "https://www.acme.com"); ""
    for anything else (another scheme, no host): the profile links to it, so it must be a web address."""
    try:
        return normalize_website(website or "")
    except ValueError:
        return ""
