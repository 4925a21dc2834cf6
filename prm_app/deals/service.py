"""Deal registration, partner side: register, submit, answer, withdraw, extend, close; and `move`, the status
machine's one door with history, audit and engagement (the vendor's decisions in review.py go through it too).

Every function takes the actor; a partner reaches only its own organization's deals (a miss is NotFound).
What partners read is in queries.py; the live conflict hint in conflicts.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select, update

from prm_app.deals.distribution import check_fulfilment, tell_distributor, tell_reseller
from prm_app.deals.labels import DEAL_STATUS_LABELS
from prm_app.deals.matching.queued import refresh_queued_conflicts
from prm_app.deals.matching.store import REGISTRATION, index_keys
from prm_app.deals.models import Deal, DealEvent, DealExtension, DealProduct, DealStatus, Product
from prm_app.deals.rules import DealInput, can_move, clean_deal_input
from prm_app.deals.scope import acting_partner, partner_deal, registering_party
from prm_app.notifications import resolve
from prm_app.platform.access import Actor
from prm_app.platform.audit import audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import DomainError, FormInvalid, ValidationError
from prm_app.platform.money import MAX_VALUE, parse_money
from prm_app.platform.settings import settings

INFO_REQUESTED_NOTICE = "deal_info_requested"  # the notice a partner gets with the manager's question
CHANGED_MEANWHILE = "Someone else changed this registration a moment ago. Reload it to see where it stands."


def move(
    session: Session,
    actor: Actor,
    deal: Deal,
    to_status: str,
    action: str,
    note: str = "",
    at: datetime | None = None,
    **facts: Any,
) -> None:
    """Change status through the status machine, with history (dated `at`, default now), audit, an engagement
    event, and the review queue's stored conflicts refreshed (matching.queued)."""
    if not can_move(deal.status, to_status):
        label = DEAL_STATUS_LABELS[DealStatus(deal.status)].lower()
        article = "An" if label[0] in "aeiou" else "A"
        raise DomainError(f"{article} {label} registration cannot be {action.replace('_', ' ')}.")
    from_status = deal.status
    # Compare-and-set: the move happens only from the status checked above. Two people acting on one
    # registration at once (reject and approve, withdraw and ask) are serialized by the row's write lock, and the
    # second finds the status changed and is refused instead of overwriting the first.
    claimed = session.exec(
        update(Deal)
        .where(col(Deal.id) == saved_id(deal), col(Deal.status) == from_status)
        .values(status=to_status)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise DomainError(CHANGED_MEANWHILE)
    session.add(
        DealEvent(
            deal_id=saved_id(deal),
            actor_user_id=actor.user_id,
            action=action,
            from_status=from_status,
            to_status=to_status,
            note=note,
            at=at or utcnow(),
        )
    )
    audit(session, actor, f"deal_{action}", "deal", deal.id, from_status=from_status, to_status=to_status, **facts)
    deal.status = to_status
    session.add(deal)
    # Every status change can change what the review queue counts, for this registration and the ones it matches.
    refresh_queued_conflicts(session, deal)
    if from_status == DealStatus.INFO_REQUESTED:  # answered (or withdrawn): the manager's question is dealt with
        resolve(session, deal.organization_id, ("deal", saved_id(deal)), INFO_REQUESTED_NOTICE, at=at)
    if action in {"submitted", "approved", "rejected", "won", "lost", "withdrawn", "expired"}:
        record_engagement(
            session,
            actor,
            "deal_registered" if action == "submitted" else f"deal_{action}",
            "deal",
            deal.id,
            organization_id=deal.organization_id,
        )


def note_event(session: Session, actor: Actor, deal: Deal, action: str, note: str, at: datetime | None = None) -> None:
    """A step of the deal's history that leaves its status as it is (an extension asked, a refund, a credit)."""
    session.add(
        DealEvent(
            deal_id=saved_id(deal),
            actor_user_id=actor.user_id,
            action=action,
            from_status=deal.status,
            to_status=deal.status,
            note=note,
            at=at or utcnow(),
        )
    )


def register_deal(
    session: Session,
    actor: Actor,
    data: DealInput,
    *,
    submit: bool,
    now: datetime | None = None,
    on_behalf_of: int | None = None,
    external_id: str | None = None,
) -> int:
    """Create a registration for the actor's organization, as a draft or submitted. Returns its id.

    A deal import (deals/table.py) may name the partner it registers for (`on_behalf_of`: a channel manager or
    admin for a partner in their reach, deals.scope.registering_party) and the deal's id in its CRM
    (`external_id`); the registration then goes through exactly these rules, is created by the importer and
    audited with whom it was registered for.

    Raises FormInvalid with a message per bad field; nothing is written then.
    """
    org_id, user_id = registering_party(session, actor, on_behalf_of)
    now = now or utcnow()
    # A primary key is never NULL; the filter only tells mypy so (Product.id is typed int | None).
    product_ids = {i for i in session.exec(select(Product.id).where(Product.active)).all() if i is not None}
    fulfil, errors = check_fulfilment(
        session, org_id, data.for_organization_id, data.distributor_id, data.hide_from_distributor, submit
    )
    try:
        clean = clean_deal_input(data, product_ids, now.date())
    except FormInvalid as exc:
        raise FormInvalid({**exc.errors, **errors}) from None
    if errors or fulfil is None:
        raise FormInvalid(errors)
    deal = Deal(
        organization_id=fulfil.organization_id,
        distributor_id=fulfil.distributor_id,
        distributor_hidden=fulfil.hidden,
        registered_by_org_id=fulfil.registered_by_org_id,
        created_by_id=user_id,
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
        credit=clean.credit,
        created_at=now,
        external_id=external_id or None,
    )
    session.add(deal)
    session.flush()
    deal_id = saved_id(deal)
    for product_id in clean.product_ids:
        session.add(DealProduct(deal_id=deal_id, product_id=product_id))
    index_keys(session, REGISTRATION, deal_id, deal.name_norm, deal.domain)
    session.add(
        DealEvent(deal_id=deal_id, actor_user_id=actor.user_id, action="created", to_status=DealStatus.DRAFT, at=now)
    )
    facts: dict[str, object] = {
        "distributor_id": deal.distributor_id,
        "hidden": deal.distributor_hidden,
        "for": deal.organization_id,
    }
    if org_id != actor.organization_id:  # registered on a partner's behalf (registering_party said so)
        facts |= {"on_behalf_of": org_id, "external_id": deal.external_id}
    elif external_id:
        facts["external_id"] = deal.external_id
    audit(session, actor, "deal_created", "deal", deal_id, customer=deal.customer_name, **facts)
    if submit:
        deal.submitted_at = now
        move(session, actor, deal, DealStatus.SUBMITTED, "submitted", at=now)
        tell_distributor(session, deal, at=now)
        tell_reseller(session, deal, at=now)
    session.flush()
    return deal_id


def submit_draft(session: Session, actor: Actor, deal_id: int, now: datetime | None = None) -> None:
    """Submit one of the organization's drafts for review, dated `now`. A registration waiting for more
    information goes back through `answer_info_request` (the manager's question must be answered), not here."""
    deal = partner_deal(session, actor, deal_id)
    if deal.status != DealStatus.DRAFT:
        raise DomainError("Only drafts are submitted this way. Answer the channel manager's question to send it back.")
    deal.submitted_at = now or utcnow()
    move(session, actor, deal, DealStatus.SUBMITTED, "submitted", at=deal.submitted_at)
    tell_distributor(session, deal, at=deal.submitted_at)


def answer_info_request(session: Session, actor: Actor, deal_id: int, answer: str) -> None:
    """Answer the manager's question; the registration goes back to submitted. An empty answer is refused."""
    deal = partner_deal(session, actor, deal_id)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError("Write your answer for the channel manager.", "answer")
    move(session, actor, deal, DealStatus.SUBMITTED, "info_provided", answer)


def withdraw_deal(session: Session, actor: Actor, deal_id: int, reason: str = "") -> None:
    """Withdraw a registration that is not decided yet."""
    deal = partner_deal(session, actor, deal_id)
    move(session, actor, deal, DealStatus.WITHDRAWN, "withdrawn", (reason or "").strip())


def request_extension(
    session: Session, actor: Actor, deal_id: int, days: int, reason: str, now: datetime | None = None
) -> int:
    """Ask to lengthen an approved registration's protection. One pending request at a time."""
    deal = partner_deal(session, actor, deal_id)
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
    _, user_id = acting_partner(actor)
    now = now or utcnow()
    ext = DealExtension(
        deal_id=saved_id(deal), requested_by_id=user_id, requested_at=now, days=int(days), reason=reason
    )
    session.add(ext)
    session.flush()
    note_event(session, actor, deal, "extension_requested", f"{days} days: {reason}", at=now)
    audit(session, actor, "deal_extension_requested", "deal", deal.id, days=int(days))
    return saved_id(ext)


def close_deal(
    session: Session, actor: Actor, deal_id: int, *, won: bool, final_amount: str = "", now: datetime | None = None
) -> None:
    """Mark an approved registration won (with the final amount) or lost. (Correcting a closed deal is the
    vendor's: deals.corrections.)"""
    deal = partner_deal(session, actor, deal_id)
    if deal.status != DealStatus.APPROVED:
        raise DomainError("Only an approved registration can be closed as won or lost.")
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


def protection_ending_soon(deal: Deal, now: datetime) -> bool:
    """Whether an approved registration's protection ends within the expiry notice period."""
    return bool(
        deal.protection_ends_at and now < deal.protection_ends_at <= now + timedelta(days=settings.expiry_notice_days)
    )
