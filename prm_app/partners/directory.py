"""Partner organizations: the partner's own profile and the internal directory."""

from __future__ import annotations

from dataclasses import dataclass, field

import pycountry
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from prm_app.identity import User
from prm_app.partners.models import PARTNER_TYPE_LABELS, REGIONS, Organization, PartnerType, Tier
from prm_app.platform.access import Actor, Permission
from prm_app.platform.errors import NotFound, ValidationError
from prm_app.platform.settings import settings

SORTS = {
    "name": col(Organization.name_lower),
    "tier": col(Tier.rank),
    "type": col(Organization.partner_type),
    "region": col(Organization.region),
    "joined": col(Organization.joined_at),
}


@dataclass(frozen=True)
class PartnerProfile:
    id: int
    name: str
    partner_type: str
    type_label: str
    tier: str
    tier_benefits: list[str]
    region: str
    country: str
    city: str
    website: str
    joined: str
    manager_name: str
    manager_email: str
    parent_id: int | None
    parent_name: str
    sub_partners: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class DirectoryQuery:
    search: str = ""
    partner_type: str = ""
    tier_id: int | None = None
    region: str = ""
    manager_id: int | None = None
    sort: str = "name"
    descending: bool = False
    page: int = 1


@dataclass(frozen=True)
class DirectoryPage:
    rows: list[dict]
    total: int
    page: int
    pages: int


def type_label(partner_type: str) -> str:
    try:
        return PARTNER_TYPE_LABELS[PartnerType(partner_type)]
    except ValueError:
        return partner_type


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code


def _scoped_org(session: Session, actor: Actor, organization_id: int) -> Organization:
    """Load an organization through the actor's scope: a partner sees only its own; a miss is NotFound."""
    if actor.is_partner and actor.organization_id != organization_id:
        raise NotFound("partner")
    if not actor.is_partner:
        actor.require(Permission.VIEW_PARTNERS)
    org = session.get(Organization, organization_id)
    if org is None:
        raise NotFound("partner")
    return org


def get_partner_profile(session: Session, actor: Actor, organization_id: int) -> PartnerProfile:
    """The profile of one partner, visible to internal users and to the partner's own people only."""
    org = _scoped_org(session, actor, organization_id)
    tier = session.get(Tier, org.tier_id)
    manager = session.get(User, org.channel_manager_id) if org.channel_manager_id else None
    parent = session.get(Organization, org.parent_id) if org.parent_id else None
    subs = session.exec(
        select(Organization.id, Organization.name, Organization.partner_type)
        .where(Organization.parent_id == org.id)
        .order_by(Organization.name_lower)
    ).all()
    return PartnerProfile(
        id=org.id,
        name=org.name,
        partner_type=org.partner_type,
        type_label=type_label(org.partner_type),
        tier=tier.name if tier else "",
        tier_benefits=[b for b in (tier.benefits if tier else "").splitlines() if b.strip()],
        region=org.region,
        country=country_name(org.country),
        city=org.city,
        website=org.website,
        joined=org.joined_at.strftime("%d %b %Y"),
        manager_name=manager.full_name if manager else "",
        manager_email=manager.email if manager else "",
        parent_id=parent.id if parent else None,
        parent_name=parent.name if parent else "",
        sub_partners=[{"id": s.id, "name": s.name, "type": type_label(s.partner_type)} for s in subs],
    )


def get_my_profile(session: Session, actor: Actor) -> PartnerProfile:
    if actor.organization_id is None:
        raise NotFound("partner")
    return get_partner_profile(session, actor, actor.organization_id)


def directory_options(session: Session, actor: Actor) -> dict[str, list[dict]]:
    """The choices for the directory's filters."""
    actor.require(Permission.VIEW_PARTNERS)
    tiers = session.exec(select(Tier).order_by(Tier.rank)).all()
    managers = session.exec(
        select(User).where(User.role == "channel_manager", User.is_active).order_by(User.full_name)
    ).all()
    return {
        "types": [{"value": t.value, "label": PARTNER_TYPE_LABELS[t]} for t in PartnerType],
        "tiers": [{"value": str(t.id), "label": t.name} for t in tiers],
        "regions": [{"value": r, "label": r} for r in REGIONS],
        "managers": [{"value": str(m.id), "label": m.full_name} for m in managers],
    }


def search_partners(session: Session, actor: Actor, q: DirectoryQuery) -> DirectoryPage:
    """One page of the partner directory, filtered, sorted and paged in SQL. Internal users only."""
    actor.require(Permission.VIEW_PARTNERS)
    if q.sort not in SORTS:
        raise ValidationError("Unknown sort.", "sort")
    manager = aliased(User)
    stmt = (
        select(Organization, Tier.name, Tier.rank, manager.full_name)
        .join(Tier, Tier.id == Organization.tier_id)
        .join(manager, manager.id == Organization.channel_manager_id, isouter=True)
    )
    if q.search.strip():
        stmt = stmt.where(col(Organization.name_lower).contains(q.search.strip().lower(), autoescape=True))
    if q.partner_type:
        stmt = stmt.where(Organization.partner_type == q.partner_type)
    if q.tier_id:
        stmt = stmt.where(Organization.tier_id == q.tier_id)
    if q.region:
        stmt = stmt.where(Organization.region == q.region)
    if q.manager_id:
        stmt = stmt.where(Organization.channel_manager_id == q.manager_id)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    size = settings.page_size
    pages = max(1, -(-total // size))
    page = min(max(1, q.page), pages)
    order = SORTS[q.sort].desc() if q.descending else SORTS[q.sort].asc()
    result = session.exec(
        stmt.order_by(order, col(Organization.name_lower)).offset((page - 1) * size).limit(size)
    ).all()
    rows = [
        {
            "id": org.id,
            "name": org.name,
            "type": type_label(org.partner_type),
            "tier": tier_name,
            "region": org.region,
            "country": country_name(org.country),
            "manager": manager_name or "—",
        }
        for org, tier_name, _rank, manager_name in result
    ]
    return DirectoryPage(rows=rows, total=total, page=page, pages=pages)
