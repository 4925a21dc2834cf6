"""What the partner pages read about organizations, as frozen dataclasses with raw values: partner type and
country codes, UTC datetimes, None for what does not exist. No labels, no formatting and no URLs here: the pages
(prm_app/partners/ui/display.py) and reports (prm_app/partners/labels.py) decide how a value looks.

Every read takes the actor and reaches organizations through its scope (prm_app/partners/scope.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, func, select

from prm_app.identity import User
from prm_app.partners.models import REGIONS, Organization, PartnerType, Tier
from prm_app.partners.scope import profile_org
from prm_app.platform.access import Actor, Permission
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound, ValidationError
from prm_app.platform.settings import settings

# ------------------------------------------------------------------------------------------------ one profile


@dataclass(frozen=True)
class Contact:
    """A person to write to: the organization's channel manager."""

    name: str
    email: str


@dataclass(frozen=True)
class OrganizationRef:
    """Another organization named on a profile: the distributor above it, or a sub-partner below."""

    id: int
    name: str
    partner_type: str  # a PartnerType value


@dataclass(frozen=True)
class OrganizationProfile:
    """Everything a partner's profile shows about one organization.

    (Not the leads area's routing `PartnerProfile`: that one is what lead routing scores a partner on.)"""

    id: int
    name: str
    partner_type: str  # a PartnerType value
    tier: str  # the tier's name
    tier_benefits: tuple[str, ...]  # one per non-blank line of the tier's benefits, in order
    region: str
    country: str  # ISO 3166 alpha-2
    city: str
    website: str  # "" when none
    joined_at: datetime  # UTC
    manager: Contact | None  # None until a channel manager is assigned
    parent: OrganizationRef | None  # the distributor above it, if any
    sub_partners: tuple[OrganizationRef, ...]  # by name
    # The address and logo its partner admin keeps (prm_app/partners/org_profile.py); "" when not given.
    street: str = ""
    postal_code: str = ""
    phone: str = ""
    logo_key: str = ""  # names the current logo file (its URL changes with it)


def get_partner_profile(session: Session, actor: Actor, organization_id: int) -> OrganizationProfile:
    """The profile of one partner, visible to internal users and to the partner's own people only (anyone else:
    NotFound, as for an id that does not exist)."""
    org = profile_org(session, actor, organization_id)
    tier = session.get(Tier, org.tier_id)
    manager = session.get(User, org.channel_manager_id) if org.channel_manager_id else None
    parent = session.get(Organization, org.parent_id) if org.parent_id else None
    subs = session.exec(
        select(Organization.id, Organization.name, Organization.partner_type)
        .where(col(Organization.parent_id) == org.id)
        .order_by(col(Organization.name_lower))
    ).all()
    benefits = (tier.benefits if tier else "").splitlines()
    return OrganizationProfile(
        id=saved_id(org),
        name=org.name,
        partner_type=org.partner_type,
        tier=tier.name if tier else "",
        tier_benefits=tuple(b for b in benefits if b.strip()),
        region=org.region,
        country=org.country,
        city=org.city,
        website=org.website,
        joined_at=org.joined_at,
        manager=Contact(name=manager.full_name, email=manager.email) if manager else None,
        parent=OrganizationRef(id=saved_id(parent), name=parent.name, partner_type=parent.partner_type)
        if parent
        else None,
        # a primary key read back is never None: the filter only tells the type checker so
        sub_partners=tuple(
            OrganizationRef(id=i, name=name, partner_type=partner_type)
            for i, name, partner_type in subs
            if i is not None
        ),
        street=org.street,
        postal_code=org.postal_code,
        phone=org.phone,
        logo_key=org.logo_key,
    )


def get_my_profile(session: Session, actor: Actor) -> OrganizationProfile:
    """The profile of the actor's own organization; NotFound for people who belong to none (internal users)."""
    if actor.organization_id is None:
        raise NotFound("partner")
    return get_partner_profile(session, actor, actor.organization_id)


# ------------------------------------------------------------------------------------------------ the directory

SORTS = {
    "name": col(Organization.name_lower),
    "tier": col(Tier.rank),
    "type": col(Organization.partner_type),
    "region": col(Organization.region),
    "joined": col(Organization.joined_at),
}


@dataclass(frozen=True)
class DirectoryQuery:
    """What the directory is searched, filtered, sorted and paged by ("" / None: no filter)."""

    search: str = ""
    partner_type: str = ""
    tier_id: int | None = None
    region: str = ""
    manager_id: int | None = None
    sort: str = "name"  # a key of SORTS
    descending: bool = False
    page: int = 1


@dataclass(frozen=True)
class DirectoryEntry:
    """One partner as the directory lists it."""

    id: int
    name: str
    partner_type: str  # a PartnerType value
    tier: str  # the tier's name
    region: str
    country: str  # ISO 3166 alpha-2
    manager: str | None  # the channel manager's name; None when none is assigned


@dataclass(frozen=True)
class DirectoryPage:
    """One page of the directory and where it sits among all matches."""

    rows: tuple[DirectoryEntry, ...]
    total: int  # matches on all pages
    page: int  # 1-based, clamped to 1..pages
    pages: int  # at least 1


def directory_where(q: DirectoryQuery) -> list[ColumnElement[bool]]:
    """The WHERE clauses of the directory's search and filters (its CSV export applies the same)."""
    where: list[ColumnElement[bool]] = []
    if q.search.strip():
        where.append(col(Organization.name_lower).contains(q.search.strip().lower(), autoescape=True))
    if q.partner_type:
        where.append(col(Organization.partner_type) == q.partner_type)
    if q.tier_id:
        where.append(col(Organization.tier_id) == q.tier_id)
    if q.region:
        where.append(col(Organization.region) == q.region)
    if q.manager_id:
        where.append(col(Organization.channel_manager_id) == q.manager_id)
    return where


def search_partners(session: Session, actor: Actor, q: DirectoryQuery) -> DirectoryPage:
    """One page of the partner directory, filtered, sorted (name breaks ties) and paged in SQL. Internal users
    only; an unknown sort key is a ValidationError."""
    actor.require(Permission.VIEW_PARTNERS)
    if q.sort not in SORTS:
        raise ValidationError("Unknown sort.", "sort")
    manager = aliased(User)
    stmt = (
        select(Organization, Tier.name, manager.full_name)
        .join(Tier, col(Tier.id) == Organization.tier_id)
        .join(manager, col(manager.id) == Organization.channel_manager_id, isouter=True)
    )
    stmt = stmt.where(*directory_where(q))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    size = settings.page_size
    pages = max(1, -(-total // size))
    page = min(max(1, q.page), pages)
    order = SORTS[q.sort].desc() if q.descending else SORTS[q.sort].asc()
    result = session.exec(
        stmt.order_by(order, col(Organization.name_lower)).offset((page - 1) * size).limit(size)
    ).all()
    rows = tuple(
        DirectoryEntry(
            id=saved_id(org),
            name=org.name,
            partner_type=org.partner_type,
            tier=tier_name,
            region=org.region,
            country=org.country,
            manager=manager_name,
        )
        for org, tier_name, manager_name in result
    )
    return DirectoryPage(rows=rows, total=total, page=page, pages=pages)


@dataclass(frozen=True)
class TierOption:
    """A tier to filter by."""

    id: int
    name: str


@dataclass(frozen=True)
class ManagerOption:
    """A channel manager to filter by."""

    id: int
    name: str


@dataclass(frozen=True)
class DirectoryFilterOptions:
    """The choices for the directory's (and the dashboards') filters."""

    types: tuple[PartnerType, ...]  # in the enum's order
    tiers: tuple[TierOption, ...]  # by rank, lowest first
    regions: tuple[str, ...]
    managers: tuple[ManagerOption, ...]  # active channel managers, by name


def directory_filter_options(session: Session, actor: Actor) -> DirectoryFilterOptions:
    """The choices for the directory's filters. Internal users only."""
    actor.require(Permission.VIEW_PARTNERS)
    tiers = session.exec(select(Tier).order_by(col(Tier.rank))).all()
    managers = session.exec(
        select(User).where(User.role == "channel_manager", User.is_active).order_by(User.full_name)
    ).all()
    return DirectoryFilterOptions(
        types=tuple(PartnerType),
        tiers=tuple(TierOption(id=saved_id(t), name=t.name) for t in tiers),
        regions=REGIONS,
        managers=tuple(ManagerOption(id=saved_id(m), name=m.full_name) for m in managers),
    )
