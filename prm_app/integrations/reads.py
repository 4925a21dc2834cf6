"""The REST API's lists: cursor-paged in id order, each narrowed on the server to what the key's actor may see, by
the same rule the area's own pages apply (named beside each), and filterable by `updated_since`.

A row counts as updated since a moment when it was created then or later, or when something about it was audited
(or, for a deal, entered its history) then or later: the areas write those records with every change that matters.
Reads return frozen dataclasses with raw values (Decimal money, aware UTC times); the HTTP layer serializes them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, or_, true
from sqlmodel import Session, col, select

from prm_app.deals import Deal, DealEvent, partner_reach
from prm_app.identity import User
from prm_app.integrations.rules import encode_cursor
from prm_app.partners import Organization, Tier
from prm_app.platform.access import PARTNER_ROLES, Actor, Permission
from prm_app.platform.db import saved_id
from prm_app.platform.models import AuditLog

T = TypeVar("T")
Q = TypeVar("Q", bound=Select[Any])


@dataclass(frozen=True)
class Page(Generic[T]):
    data: list[T]
    next_cursor: str | None  # None on the last page


@dataclass(frozen=True)
class PartnerOut:
    id: int
    name: str
    partner_type: str
    tier: str
    region: str
    country: str
    city: str
    website: str
    parent_id: int | None
    joined_at: datetime


@dataclass(frozen=True)
class UserOut:
    id: int
    full_name: str
    email: str
    role: str
    organization_id: int
    active: bool
    created_at: datetime


@dataclass(frozen=True)
class DealOut:
    id: int
    organization_id: int
    status: str
    customer_name: str
    customer_site: str
    country: str
    contact_name: str
    contact_email: str
    estimated_value: Decimal
    currency: str
    expected_close: date
    stage: str
    created_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None
    protection_ends_at: datetime | None
    final_amount: Decimal | None


@dataclass(frozen=True)
class AuditEventOut:
    id: int
    at: datetime
    actor_user_id: int | None
    actor_organization_id: int | None
    action: str
    record_type: str
    record_id: int | None
    summary: dict[str, Any]


def page_of(rows: Sequence[Any], limit: int, shape: Callable[[Any], T], last_id: Callable[[Any], int]) -> Page[T]:
    """One page from `limit + 1` rows read: the extra row only says whether another page follows."""
    more = len(rows) > limit
    rows = rows[:limit]
    return Page([shape(r) for r in rows], encode_cursor(last_id(rows[-1])) if more and rows else None)


def _audited_since(record_type: str, since: datetime) -> Any:
    return select(AuditLog.record_id).where(AuditLog.record_type == record_type, col(AuditLog.at) >= since)


def partners_rows(query: Q, actor: Actor, organization_id: Any, partner_permission: Permission) -> Q:
    """`query` narrowed to the rows of organizations the actor reaches: a partner (holding `partner_permission`) its
    own; the vendor's people with VIEW_PARTNERS the partners in their reach (Actor.book_owner: a channel manager's
    book, else every partner)."""
    if actor.is_partner:
        actor.require(partner_permission)
        return query.where(organization_id == actor.organization_id)
    actor.require(Permission.VIEW_PARTNERS)
    owner = actor.book_owner()
    reach = true() if owner is None else col(Organization.channel_manager_id) == owner
    return query.join(Organization, col(Organization.id) == organization_id).where(reach)


def list_partners(
    session: Session, actor: Actor, after: int, limit: int, since: datetime | None = None
) -> Page[PartnerOut]:
    """Partner organizations (partners.scope.profile_org's rule): a partner's key its own organization only; the
    vendor's people with VIEW_PARTNERS the whole directory."""
    query = select(Organization, Tier.name).join(Tier, col(Tier.id) == Organization.tier_id)
    if actor.is_partner:
        actor.require(Permission.USE_PORTAL)
        query = query.where(Organization.id == actor.organization_id)
    else:
        actor.require(Permission.VIEW_PARTNERS)
    if since is not None:
        query = query.where(
            or_(col(Organization.joined_at) >= since, col(Organization.id).in_(_audited_since("organization", since)))
        )
    rows = session.exec(query.where(col(Organization.id) > after).order_by(col(Organization.id)).limit(limit + 1)).all()

    def shape(row: Any) -> PartnerOut:
        org, tier = row
        return PartnerOut(
            id=saved_id(org), name=org.name, partner_type=org.partner_type, tier=tier, region=org.region,
            country=org.country, city=org.city, website=org.website, parent_id=org.parent_id, joined_at=org.joined_at,
        )  # fmt: skip

    return page_of(rows, limit, shape, lambda r: saved_id(r[0]))


def list_users(session: Session, actor: Actor, after: int, limit: int, since: datetime | None = None) -> Page[UserOut]:
    """Partners' people (partners.scope.team_org's rule): a partner's key its own organization's; the vendor's
    people with VIEW_PARTNERS those of the partners in their reach."""
    query = select(User).where(col(User.role).in_([r.value for r in PARTNER_ROLES]))
    query = partners_rows(query, actor, col(User.organization_id), Permission.USE_PORTAL)
    if since is not None:
        query = query.where(or_(col(User.created_at) >= since, col(User.id).in_(_audited_since("user", since))))
    rows = session.exec(query.where(col(User.id) > after).order_by(col(User.id)).limit(limit + 1)).all()

    def shape(u: User) -> UserOut:
        return UserOut(
            id=saved_id(u), full_name=u.full_name, email=u.email, role=u.role,
            organization_id=u.organization_id or 0, active=u.is_active, created_at=u.created_at,
        )  # fmt: skip

    return page_of(rows, limit, shape, saved_id)


def deal_out(deal: Deal) -> DealOut:
    return DealOut(
        id=saved_id(deal), organization_id=deal.organization_id, status=deal.status, customer_name=deal.customer_name,
        customer_site=deal.customer_site, country=deal.country, contact_name=deal.contact_name,
        contact_email=deal.contact_email, estimated_value=deal.estimated_value, currency=deal.currency,
        expected_close=deal.expected_close, stage=deal.stage, created_at=deal.created_at,
        submitted_at=deal.submitted_at, decided_at=deal.decided_at, protection_ends_at=deal.protection_ends_at,
        final_amount=deal.final_amount,
    )  # fmt: skip


def list_deals(session: Session, actor: Actor, after: int, limit: int, since: datetime | None = None) -> Page[DealOut]:
    """Deal registrations (deals.scope's rule): a partner's key its own organization's and those its resellers
    shared with it as their distributor (REGISTER_DEALS); the vendor's people with VIEW_PARTNERS those of the
    partners in their reach."""
    if actor.is_partner:  # its own, and those its resellers shared with it as their distributor (deals.scope)
        query = select(Deal).where(partner_reach(actor))
    else:
        query = partners_rows(select(Deal), actor, col(Deal.organization_id), Permission.REGISTER_DEALS)
    if since is not None:
        changed = select(DealEvent.deal_id).where(col(DealEvent.at) >= since)
        query = query.where(or_(col(Deal.created_at) >= since, col(Deal.id).in_(changed)))
    rows = session.exec(query.where(col(Deal.id) > after).order_by(col(Deal.id)).limit(limit + 1)).all()
    return page_of(rows, limit, deal_out, saved_id)


def list_audit_events(
    session: Session, actor: Actor, after: int, limit: int, since: datetime | None = None
) -> Page[AuditEventOut]:
    """The audit log, oldest first (administrators: READ_AUDIT). `updated_since` is the moment it was written."""
    actor.require(Permission.READ_AUDIT)
    query = select(AuditLog).where(col(AuditLog.id) > after)
    if since is not None:
        query = query.where(col(AuditLog.at) >= since)
    rows = session.exec(query.order_by(col(AuditLog.id)).limit(limit + 1)).all()

    def shape(a: AuditLog) -> AuditEventOut:
        try:
            summary = json.loads(a.summary) if a.summary else {}
        except ValueError:
            summary = {"text": a.summary}
        return AuditEventOut(
            id=saved_id(a), at=a.at, actor_user_id=a.actor_user_id, actor_organization_id=a.actor_org_id,
            action=a.action, record_type=a.record_type, record_id=a.record_id,
            summary=summary if isinstance(summary, dict) else {"value": summary},
        )  # fmt: skip

    return page_of(rows, limit, shape, saved_id)
