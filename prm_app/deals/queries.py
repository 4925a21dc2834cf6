"""What the deal pages read, as frozen dataclasses with raw values: Decimal amounts beside their currency,
datetimes in UTC, status codes, None for what does not exist. No formatting and no URLs here: the pages
(prm_app/deals/ui/) decide how a value looks.

Every read takes the actor and reaches deals through its scope (prm_app/deals/scope.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from prm_app.deals.conflicts import Evidence, evidence, possible_conflict
from prm_app.deals.distribution import DealParties, deal_parties
from prm_app.deals.labels import approval_blocker
from prm_app.deals.matching.queued import effective_score, is_conflict
from prm_app.deals.models import Deal, DealEvent, DealExtension, DealProduct, DealStatus, Product, QueuedConflict
from prm_app.deals.review import tier_protection_days
from prm_app.deals.rules import business_days_between
from prm_app.deals.scope import distributor_deal, in_reach, internal_deal, partner_deal
from prm_app.identity import User
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound
from prm_app.platform.settings import settings

# ------------------------------------------------------------------------------------------------ the catalogue


@dataclass(frozen=True)
class ProductOption:
    """A product a partner may name on a registration."""

    id: int
    name: str
    list_price: Decimal
    currency: str


def list_products(session: Session) -> list[ProductOption]:
    """The active catalogue, by name."""
    rows = session.exec(select(Product).where(Product.active).order_by(Product.name)).all()
    return [ProductOption(id=saved_id(p), name=p.name, list_price=p.list_price, currency=p.currency) for p in rows]


def products_for_registration(session: Session, actor: Actor) -> list[ProductOption]:
    """The catalogue a partner picks from when registering a deal."""
    actor.require(Permission.REGISTER_DEALS)
    return list_products(session)


# ------------------------------------------------------------------------------------------------ one registration


@dataclass(frozen=True)
class DealSummary:
    """One registration as a list shows it."""

    id: int
    customer: str
    status: DealStatus
    estimated_value: Decimal
    currency: str
    expected_close: date
    submitted_at: datetime | None  # None while a draft
    protection_ends_at: datetime | None  # None until approved


@dataclass(frozen=True)
class HistoryEntry:
    """One step of a registration's history: who did what, when, and to which status."""

    at: datetime
    actor_name: str | None  # None when the system did it (expiry)
    action: str  # "created", "submitted", "info_requested", "extension_approved", ...
    to_status: DealStatus | None  # None for an entry that did not set a status
    note: str


@dataclass(frozen=True)
class ExtensionRequest:
    """A partner's request to lengthen an approved registration's protection."""

    id: int
    days: int
    reason: str
    status: str  # "pending", "approved" or "declined"
    requested_at: datetime


@dataclass(frozen=True)
class DealDetail(DealSummary):
    """Everything both sides see about one registration."""

    customer_site: str
    domain: str  # the registrable domain conflict checks compare
    country: str  # ISO 3166 alpha-2
    contact_name: str
    contact_email: str
    stage: str
    description: str
    products: tuple[str, ...]  # product names, by name
    decision_note: str  # the manager's note or rejection reason; "" when none
    final_amount: Decimal | None  # once won
    discount_pct: Decimal | None  # the tier's discount stored at approval (None before, or when it gives none)
    extension: ExtensionRequest | None  # the latest request, if any
    history: tuple[HistoryEntry, ...]  # oldest first


def _summary_fields(deal: Deal) -> dict[str, Any]:
    return {
        "id": deal.id,
        "customer": deal.customer_name,
        "status": DealStatus(deal.status),
        "estimated_value": deal.estimated_value,
        "currency": deal.currency,
        "expected_close": deal.expected_close,
        "submitted_at": deal.submitted_at,
        "protection_ends_at": deal.protection_ends_at,
    }


def deal_history(session: Session, deal_id: int) -> tuple[HistoryEntry, ...]:
    """A registration's history, oldest first (callers have already checked access)."""
    rows = session.exec(
        select(DealEvent, User.full_name)
        .join(User, col(User.id) == DealEvent.actor_user_id, isouter=True)
        .where(DealEvent.deal_id == deal_id)
        .order_by(col(DealEvent.at), col(DealEvent.id))
    ).all()
    return tuple(
        HistoryEntry(
            at=e.at,
            actor_name=name,
            action=e.action,
            to_status=DealStatus(e.to_status) if e.to_status else None,
            note=e.note,
        )
        for e, name in rows
    )


def deal_detail(session: Session, deal: Deal) -> DealDetail:
    """Everything both sides see about one registration (callers have already checked access)."""
    products = session.exec(
        select(Product.name)
        .join(DealProduct, col(DealProduct.product_id) == Product.id)
        .where(DealProduct.deal_id == deal.id)
        .order_by(Product.name)
    ).all()
    ext = session.exec(
        select(DealExtension).where(DealExtension.deal_id == deal.id).order_by(col(DealExtension.requested_at).desc())
    ).first()
    return DealDetail(
        **_summary_fields(deal),
        customer_site=deal.customer_site,
        domain=deal.domain,
        country=deal.country,
        contact_name=deal.contact_name,
        contact_email=deal.contact_email,
        stage=deal.stage,
        description=deal.description,
        products=tuple(products),
        decision_note=deal.decision_note,
        final_amount=deal.final_amount,
        discount_pct=deal.discount_pct,
        extension=(
            ExtensionRequest(
                id=saved_id(ext), days=ext.days, reason=ext.reason, status=ext.status, requested_at=ext.requested_at
            )
            if ext
            else None
        ),
        history=deal_history(session, saved_id(deal)),
    )


# ------------------------------------------------------------------------------------------------ the partner's side


@dataclass(frozen=True)
class DealPage:
    """One page of a list paged in SQL."""

    rows: list[DealSummary]
    total: int
    page: int  # 1-based, clamped to 1..pages
    pages: int  # at least 1


def list_my_deals(session: Session, actor: Actor, status: str = "", page: int = 1) -> DealPage:
    """The organization's registrations, newest first, filtered by status and paged in SQL."""
    actor.require(Permission.REGISTER_DEALS)
    stmt = select(Deal).where(Deal.organization_id == actor.organization_id)
    if status:
        stmt = stmt.where(Deal.status == status)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    size = settings.page_size
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    deals = session.exec(
        stmt.order_by(col(Deal.created_at).desc(), col(Deal.id).desc()).offset((page - 1) * size).limit(size)
    ).all()
    return DealPage(rows=[DealSummary(**_summary_fields(d)) for d in deals], total=total, page=page, pages=pages)


@dataclass(frozen=True)
class MyDeal:
    """A partner's own registration, and whether another claim may cover its customer (never whose); or, read-only,
    a reseller's registration shared with it as the distributor (`own` False)."""

    deal: DealDetail
    possible_conflict: bool  # only asked while undecided: draft, submitted or more info requested
    own: bool = True  # False: a reseller's registration the actor's organization reads as its distributor
    parties: DealParties | None = None  # the reseller, distributor and who registered it


def get_my_deal(session: Session, actor: Actor, deal_id: int, now: datetime | None = None) -> MyDeal:
    """A partner's own registration with its history, or a reseller's registration shared with it as its
    distributor (read-only, deals.scope.distributor_deal); any other deal is NotFound."""
    now = now or utcnow()
    try:
        deal = partner_deal(session, actor, deal_id)
    except NotFound:
        shared = distributor_deal(session, actor, deal_id)
        return MyDeal(
            deal=deal_detail(session, shared), possible_conflict=False, own=False, parties=deal_parties(session, shared)
        )
    undecided = deal.status in (DealStatus.DRAFT, DealStatus.SUBMITTED, DealStatus.INFO_REQUESTED)
    return MyDeal(
        deal=deal_detail(session, deal),
        possible_conflict=undecided and possible_conflict(session, actor, deal.customer_name, deal.customer_site, now),
        parties=deal_parties(session, deal),
    )


# ------------------------------------------------------------------------------------------------ the vendor's side


@dataclass(frozen=True)
class QueuedDeal:
    """A submitted registration waiting for a decision."""

    id: int
    customer: str
    partner: str
    status: DealStatus
    estimated_value: Decimal
    currency: str
    submitted_at: datetime
    age_business_days: int  # weekdays since submission
    overdue: bool  # older than the review SLA
    conflicts: int  # how many possible conflicts the evidence lists
    top_score: int | None  # the best of their scores (0..100); None when there is none


@dataclass(frozen=True)
class QueuePage:
    """One page of the review queue, paged in SQL."""

    rows: list[QueuedDeal]
    total: int  # submitted registrations in the actor's reach, on every page
    page: int  # 1-based, clamped to 1..pages
    pages: int  # at least 1


QUEUE_PAGE_SIZE = 50


def _waiting(actor: Actor) -> SelectOfScalar[int] | SelectOfScalar[None]:
    """The ids of the registrations waiting for a decision in the actor's reach: the review queue."""
    return (
        select(Deal.id)
        .join(Organization, col(Organization.id) == Deal.organization_id)
        .where(Deal.status == DealStatus.SUBMITTED, in_reach(actor))
    )


def review_queue(session: Session, actor: Actor, now: datetime | None = None, page: int = 1) -> QueuePage:
    """Submitted registrations of the partners in the actor's reach (a channel manager's book), oldest first,
    QUEUE_PAGE_SIZE to a page, with their SLA age, how many possible conflicts each has and the best score.

    The conflict figures are the stored ones (matching.queued), equal to what `evidence` would list at `now`;
    the read costs three indexed queries whatever the page holds.
    """
    actor.require(Permission.VIEW_PARTNERS)
    now = now or utcnow()
    waiting = _waiting(actor)
    total = session.exec(select(func.count()).select_from(waiting.subquery())).one()
    pages = max(1, -(-total // QUEUE_PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = session.exec(
        select(Deal, Organization.name)
        .join(Organization, col(Organization.id) == Deal.organization_id)
        .where(Deal.status == DealStatus.SUBMITTED, in_reach(actor))
        .order_by(col(Deal.submitted_at), col(Deal.id))
        .offset((page - 1) * QUEUE_PAGE_SIZE)
        .limit(QUEUE_PAGE_SIZE)
    ).all()
    ids = [saved_id(deal) for deal, _ in rows]
    figures: dict[int, tuple[int, int | None]] = {}
    if ids:
        score = effective_score(now)
        figures = {
            deal_id: (count, top)
            for deal_id, count, top in session.exec(
                select(QueuedConflict.deal_id, func.count(), func.max(score))
                .where(col(QueuedConflict.deal_id).in_(ids), is_conflict(now))
                .group_by(col(QueuedConflict.deal_id))
            ).all()
        }
    queue = []
    for deal, partner in rows:
        deal_id, submitted_at = saved_id(deal), deal.submitted_at
        if submitted_at is None:  # set before every move to "submitted" (service.register_deal, submit_draft)
            raise RuntimeError(f"deal {deal_id} is submitted but has no submission time")
        age = business_days_between(submitted_at, now)
        count, top = figures.get(deal_id, (0, None))
        queue.append(
            QueuedDeal(
                id=deal_id,
                customer=deal.customer_name,
                partner=partner,
                status=DealStatus.SUBMITTED,
                estimated_value=deal.estimated_value,
                currency=deal.currency,
                submitted_at=submitted_at,
                age_business_days=age,
                overdue=age > settings.review_sla_business_days,
                conflicts=count,
                top_score=top,
            )
        )
    return QueuePage(rows=queue, total=total, page=page, pages=pages)


@dataclass(frozen=True)
class DealForReview:
    """One registration as the channel team reviews it: the deal, its partner and the conflict evidence."""

    deal: DealDetail
    partner_id: int
    partner_name: str
    evidence: tuple[Evidence, ...]  # best match first; empty when the customer is clean
    approval_blocked: str | None  # why Approve would be refused now (a protected claim overlaps); None if it would not
    protection_days: int  # what an approval protects it for by default: the partner tier's benefit, or the app's
    parties: DealParties | None = None  # the distributor it names, whether it is shared, and the credit by role


def get_deal_for_review(session: Session, actor: Actor, deal_id: int, now: datetime | None = None) -> DealForReview:
    """Any registration with its conflict evidence, for the vendor's people; a missing id is NotFound."""
    now = now or utcnow()
    deal = internal_deal(session, actor, deal_id)
    partner = session.get_one(Organization, deal.organization_id)  # the foreign key guarantees it exists
    found = tuple(evidence(session, deal, now))
    return DealForReview(
        deal=deal_detail(session, deal),
        partner_id=saved_id(partner),
        partner_name=partner.name,
        evidence=found,
        approval_blocked=approval_blocker(found),
        protection_days=tier_protection_days(session, deal.organization_id, now),
        parties=deal_parties(session, deal),
    )


def next_to_review(session: Session, actor: Actor, after_id: int) -> int | None:
    """The registration to review after `after_id`: the oldest one waiting in the actor's reach other than it (the
    queue's order), or None when the queue holds nothing else."""
    actor.require(Permission.VIEW_PARTNERS)
    return session.exec(
        _waiting(actor).where(Deal.id != after_id).order_by(col(Deal.submitted_at), col(Deal.id)).limit(1)
    ).first()


def pending_extensions(session: Session, actor: Actor) -> int:
    """How many extension requests of the partners in the actor's reach wait for a decision."""
    actor.require(Permission.VIEW_PARTNERS)
    return session.exec(
        select(func.count())
        .select_from(DealExtension)
        .join(Deal, col(Deal.id) == DealExtension.deal_id)
        .join(Organization, col(Organization.id) == Deal.organization_id)
        .where(DealExtension.status == "pending", in_reach(actor))
    ).one()
