"""Deal registration, partner side: register, answer, withdraw, extend, close; and what partners may read.

Every function takes the actor; a partner reaches only its own organization's deals (a miss is NotFound).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from prm_app.deals.matching.rules import Subject, normalize_company_name, registrable_domain
from prm_app.deals.matching.store import REGISTRATION, find_conflicts, index_keys
from prm_app.deals.models import DEAL_STATUS_LABELS, Deal, DealEvent, DealExtension, DealProduct, DealStatus, Product
from prm_app.deals.rules import DealInput, can_move, clean_deal_input
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import DomainError, NotFound, ValidationError
from prm_app.platform.money import MAX_VALUE, parse_money
from prm_app.platform.settings import settings

CONFLICT_HINT = (
    "An existing registration may already cover this customer. "
    "You can still submit; your channel manager will review it."
)


def products_for_registration(session: Session, actor: Actor) -> list[dict]:
    """The catalogue a partner picks from when registering a deal."""
    actor.require(Permission.REGISTER_DEALS)
    return list_products(session)


def list_products(session: Session) -> list[dict]:
    rows = session.exec(select(Product).where(Product.active).order_by(Product.name)).all()
    return [{"id": p.id, "name": p.name, "price": f"{p.list_price:,.2f} {p.currency}"} for p in rows]


def _partner_deal(session: Session, actor: Actor, deal_id: int) -> Deal:
    """Load a deal through the partner's scope; another organization's deal does not exist for it."""
    actor.require(Permission.REGISTER_DEALS)
    deal = session.get(Deal, deal_id)
    if deal is None or deal.organization_id != actor.organization_id:
        raise NotFound("deal")
    return deal


def move(
    session: Session,
    actor: Actor,
    deal: Deal,
    to_status: str,
    action: str,
    note: str = "",
    at: datetime | None = None,
    **facts,
) -> None:
    """Change status through the status machine, with history (dated `at`, default now), audit and an
    engagement event."""
    if not can_move(deal.status, to_status):
        label = DEAL_STATUS_LABELS[DealStatus(deal.status)].lower()
        article = "An" if label[0] in "aeiou" else "A"
        raise DomainError(f"{article} {label} registration cannot be {action.replace('_', ' ')}.")
    session.add(
        DealEvent(
            deal_id=deal.id,
            actor_user_id=actor.user_id,
            action=action,
            from_status=deal.status,
            to_status=to_status,
            note=note,
            at=at or utcnow(),
        )
    )
    audit(session, actor, f"deal_{action}", "deal", deal.id, from_status=deal.status, to_status=to_status, **facts)
    deal.status = to_status
    session.add(deal)
    if action in {"submitted", "approved", "rejected", "won", "lost", "withdrawn", "expired"}:
        record_engagement(
            session,
            actor,
            "deal_registered" if action == "submitted" else f"deal_{action}",
            "deal",
            deal.id,
            organization_id=deal.organization_id,
        )


def register_deal(session: Session, actor: Actor, data: DealInput, *, submit: bool, now: datetime | None = None) -> int:
    """Create a registration for the actor's organization, as a draft or submitted. Returns its id.

    Raises FormInvalid with a message per bad field; nothing is written then.
    """
    actor.require(Permission.REGISTER_DEALS)
    now = now or utcnow()
    product_ids = set(session.exec(select(Product.id).where(Product.active)).all())
    clean = clean_deal_input(data, product_ids, now.date())
    deal = Deal(
        organization_id=actor.organization_id,
        created_by_id=actor.user_id,
        status=DealStatus.DRAFT,
        customer_name=clean.customer_name,
        name_norm=clean.name_norm,
        customer_site=clean.customer_site,
        domain=clean.domain,
        country=clean.country,
        contact_name=clean.contact_name,
        contact_email=clean.contact_email,
        estimated_value=clean.estimated_value,
        currency=clean.currency,
        expected_close=clean.expected_close,
        stage=clean.stage,
        description=clean.description,
        created_at=now,
    )
    session.add(deal)
    session.flush()
    for product_id in clean.product_ids:
        session.add(DealProduct(deal_id=deal.id, product_id=product_id))
    index_keys(session, REGISTRATION, deal.id, deal.name_norm)
    session.add(
        DealEvent(deal_id=deal.id, actor_user_id=actor.user_id, action="created", to_status=DealStatus.DRAFT, at=now)
    )
    audit(session, actor, "deal_created", "deal", deal.id, customer=deal.customer_name)
    if submit:
        deal.submitted_at = now
        move(session, actor, deal, DealStatus.SUBMITTED, "submitted", at=now)
    session.flush()
    return deal.id


def submit_draft(session: Session, actor: Actor, deal_id: int, now: datetime | None = None) -> None:
    deal = _partner_deal(session, actor, deal_id)
    deal.submitted_at = now or utcnow()
    move(session, actor, deal, DealStatus.SUBMITTED, "submitted", at=deal.submitted_at)


def conflict_hint(
    session: Session, actor: Actor, customer_name: str, customer_site: str, now: datetime | None = None
) -> str:
    """For the live check while a partner types: a warning when another claim may cover the customer, else "".

    Says nothing about who holds the other claim or what it contains.
    """
    actor.require(Permission.REGISTER_DEALS)
    name_norm = normalize_company_name(customer_name or "")
    domain = registrable_domain(customer_site or "") if customer_site else ""
    if not name_norm and not domain:
        return ""
    subject = Subject(
        name=customer_name, name_norm=name_norm, domain=domain, product_ids=frozenset(), registered_at=None
    )
    matches = find_conflicts(session, subject, organization_id=actor.organization_id, now=now or utcnow())
    return (
        CONFLICT_HINT
        if any(not (c.kind == REGISTRATION and d.organization_id == actor.organization_id) for c, d in matches)
        else ""
    )


def answer_info_request(session: Session, actor: Actor, deal_id: int, answer: str) -> None:
    deal = _partner_deal(session, actor, deal_id)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError("Write your answer for the channel manager.", "answer")
    move(session, actor, deal, DealStatus.SUBMITTED, "info_provided", answer)


def withdraw_deal(session: Session, actor: Actor, deal_id: int, reason: str = "") -> None:
    deal = _partner_deal(session, actor, deal_id)
    move(session, actor, deal, DealStatus.WITHDRAWN, "withdrawn", (reason or "").strip())


def request_extension(
    session: Session, actor: Actor, deal_id: int, days: int, reason: str, now: datetime | None = None
) -> int:
    """Ask to lengthen an approved registration's protection. One pending request at a time."""
    deal = _partner_deal(session, actor, deal_id)
    if deal.status != DealStatus.APPROVED:
        raise DomainError("Only approved registrations can be extended.")
    if not 1 <= int(days) <= settings.max_extension_days:
        raise ValidationError(f"Ask for 1 to {settings.max_extension_days} days.", "days")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why you need more time.", "reason")
    pending = session.exec(
        select(DealExtension.id).where(DealExtension.deal_id == deal.id, DealExtension.status == "pending")
    ).first()
    if pending is not None:
        raise DomainError("An extension request is already waiting for a decision.")
    ext = DealExtension(
        deal_id=deal.id, requested_by_id=actor.user_id, requested_at=now or utcnow(), days=int(days), reason=reason
    )
    session.add(ext)
    session.flush()
    session.add(
        DealEvent(
            deal_id=deal.id,
            actor_user_id=actor.user_id,
            action="extension_requested",
            from_status=deal.status,
            to_status=deal.status,
            note=f"{days} days: {reason}",
        )
    )
    audit(session, actor, "deal_extension_requested", "deal", deal.id, days=int(days))
    return ext.id


def close_deal(
    session: Session, actor: Actor, deal_id: int, *, won: bool, final_amount: str = "", now: datetime | None = None
) -> None:
    """Mark an approved registration won (with the final amount) or lost."""
    deal = _partner_deal(session, actor, deal_id)
    if won:
        try:
            amount = parse_money(final_amount)
        except ValueError:
            raise ValidationError("Enter the final amount as a number.", "final_amount") from None
        if amount <= 0:
            raise ValidationError("Enter an amount above zero.", "final_amount")
        if amount >= MAX_VALUE:  # as for the estimated value; the column (Numeric(14, 2)) overflows on PostgreSQL
            raise ValidationError("That amount is too large; check the number.", "final_amount")
        deal.final_amount = amount
    deal.closed_at = now or utcnow()
    move(
        session,
        actor,
        deal,
        DealStatus.WON if won else DealStatus.LOST,
        "won" if won else "lost",
        at=deal.closed_at,
        amount=str(deal.final_amount or ""),
    )


@dataclass(frozen=True)
class DealPage:
    rows: list[dict]
    total: int
    page: int
    pages: int


def deal_row(deal: Deal, now: datetime) -> dict:
    days_left = (deal.protection_ends_at - now).days if deal.protection_ends_at else None
    return {
        "id": deal.id,
        "customer": deal.customer_name,
        "status": deal.status,
        "status_label": DEAL_STATUS_LABELS[DealStatus(deal.status)],
        "value": f"{deal.estimated_value:,.2f} {deal.currency}",
        "close": deal.expected_close.isoformat(),
        "submitted": deal.submitted_at.strftime("%Y-%m-%d") if deal.submitted_at else "—",
        "protection_ends": deal.protection_ends_at.strftime("%Y-%m-%d") if deal.protection_ends_at else "",
        "days_left": "" if days_left is None else str(days_left),
    }


def list_my_deals(
    session: Session, actor: Actor, status: str = "", page: int = 1, now: datetime | None = None
) -> DealPage:
    """The organization's registrations, newest first, filtered by status and paged in SQL."""
    actor.require(Permission.REGISTER_DEALS)
    now = now or utcnow()
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
    return DealPage(rows=[deal_row(d, now) for d in deals], total=total, page=page, pages=pages)


def deal_history(session: Session, deal_id: int) -> list[dict]:
    from prm_app.identity.models import User

    rows = session.exec(
        select(DealEvent, User.full_name)
        .join(User, User.id == DealEvent.actor_user_id, isouter=True)
        .where(DealEvent.deal_id == deal_id)
        .order_by(DealEvent.at, DealEvent.id)
    ).all()
    return [
        {
            "at": e.at.strftime("%Y-%m-%d %H:%M UTC"),
            "who": name or "System",
            "action": e.action.replace("_", " "),
            "status": DEAL_STATUS_LABELS[DealStatus(e.to_status)] if e.to_status else "",
            "note": e.note,
        }
        for e, name in rows
    ]


def deal_detail(session: Session, deal: Deal, now: datetime) -> dict:
    """Everything both sides see about one registration (callers have already checked access)."""
    products = session.exec(
        select(Product.name)
        .join(DealProduct, DealProduct.product_id == Product.id)
        .where(DealProduct.deal_id == deal.id)
        .order_by(Product.name)
    ).all()
    ext = session.exec(
        select(DealExtension).where(DealExtension.deal_id == deal.id).order_by(col(DealExtension.requested_at).desc())
    ).first()
    return {
        **deal_row(deal, now),
        "site": deal.customer_site,
        "domain": deal.domain,
        "country": deal.country,
        "contact": f"{deal.contact_name} <{deal.contact_email}>",
        "stage": deal.stage,
        "description": deal.description,
        "products": ", ".join(products),
        "decision_note": deal.decision_note,
        "final_amount": f"{deal.final_amount:,.2f} {deal.currency}" if deal.final_amount is not None else "",
        "extension": f"{ext.days} days requested ({ext.status}): {ext.reason}" if ext else "",
        "extension_pending": bool(ext and ext.status == "pending"),
        "extension_id": ext.id if ext else 0,
        "history": deal_history(session, deal.id),
    }


def get_my_deal(session: Session, actor: Actor, deal_id: int, now: datetime | None = None) -> dict:
    """A partner's own registration with its history; a possible-conflict flag but never the other side's details."""
    now = now or utcnow()
    deal = _partner_deal(session, actor, deal_id)
    detail = deal_detail(session, deal, now)
    hint = ""
    if deal.status in (DealStatus.DRAFT, DealStatus.SUBMITTED, DealStatus.INFO_REQUESTED):
        hint = conflict_hint(session, actor, deal.customer_name, deal.customer_site, now)
    return {**detail, "conflict_hint": hint}


def protection_ending_soon(deal: Deal, now: datetime) -> bool:
    return bool(
        deal.protection_ends_at and now < deal.protection_ends_at <= now + timedelta(days=settings.expiry_notice_days)
    )
