"""Deal registration, vendor side: decisions (approve, reject, ask for more), bulk approval of clean ones,
extension decisions and expiry. What the channel team reads (the queue, the evidence) is in queries.py.

Approvals that grant protection are serialized on one lock row and re-check conflicts inside that lock,
so two overlapping registrations can never both hold live protection — on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select, update

from prm_app.deals.conflicts import evidence
from prm_app.deals.labels import approval_blocker
from prm_app.deals.matching.queued import refresh_queued_conflicts
from prm_app.deals.models import Deal, DealEvent, DealExtension, DealStatus
from prm_app.deals.scope import internal_deal
from prm_app.deals.service import INFO_REQUESTED_NOTICE, move, note_event
from prm_app.notifications import notify, resolve
from prm_app.partners import benefit_number
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import DomainError, NotFound, ValidationError
from prm_app.platform.i18n import Amount, Words
from prm_app.platform.models import AppLock
from prm_app.platform.settings import settings

PROTECTION_LOCK = "deal_protection"
EXTENSION_DECIDED = "This extension request was already decided."


def _take_protection_lock(session: Session) -> None:
    """Serialize approvals: an UPDATE takes a row lock on PostgreSQL and the write lock on SQLite, and every
    read after it sees the other approvals committed before we got it."""
    result = session.exec(
        update(AppLock).where(col(AppLock.name) == PROTECTION_LOCK).values(counter=AppLock.counter + 1)
    )
    if result.rowcount == 0:
        session.add(AppLock(name=PROTECTION_LOCK, counter=1))
        session.flush()


def approve_deal(
    session: Session,
    actor: Actor,
    deal_id: int,
    *,
    protection_days: int | None = None,
    note: str = "",
    now: datetime | None = None,
) -> datetime:
    """Approve and protect a registration. Refused, with the evidence, when it overlaps a registration or a
    direct account that is protected right now. Returns the end of protection."""
    actor.require(Permission.DECIDE_DEALS)
    now = now or utcnow()
    if protection_days is None:
        deal = internal_deal(session, actor, deal_id)
        protection_days = tier_protection_days(session, deal.organization_id, now)
    days = int(protection_days)
    if not 1 <= days <= 365:
        raise ValidationError("Protection lasts 1 to 365 days.", "protection_days")
    _take_protection_lock(session)
    deal = internal_deal(session, actor, deal_id)
    session.refresh(deal)
    if deal.status != DealStatus.SUBMITTED:
        raise DomainError("Only submitted registrations can be approved.")
    blocked = approval_blocker(evidence(session, deal, now))
    if blocked:
        raise DomainError(blocked)
    return _grant_protection(session, actor, deal, days, note, now)


def tier_protection_days(session: Session, organization_id: int, now: datetime) -> int:
    """How long an approval protects the partner's deals: its tier's "deal_protection_days" benefit in effect
    today (tiering supplies it), else the app's default (settings.protection_days)."""
    days = benefit_number(session, organization_id, "deal_protection_days", now.date())
    return int(days) if days is not None and 1 <= days <= 365 else settings.protection_days


def _grant_protection(session: Session, actor: Actor, deal: Deal, days: int, note: str, now: datetime) -> datetime:
    """The approval itself, once the protection lock is held and the checks passed; the tier's discount on the
    day ("discount_pct" benefit) is stored on the deal."""
    deal.decided_at, deal.decided_by_id = now, actor.user_id
    discount = benefit_number(session, deal.organization_id, "discount_pct", now.date())
    deal.discount_pct = discount if discount is not None and 0 <= discount <= 100 else None
    deal.protection_ends_at = now + timedelta(days=days)
    deal.decision_note = (note or "").strip()
    move(
        session,
        actor,
        deal,
        DealStatus.APPROVED,
        "approved",
        f"Protected for {days} days. {deal.decision_note}".strip(),
        at=now,
        protection_days=days,
    )
    notify(
        session,
        deal.organization_id,
        "deal_approved",
        f"Registration for {deal.customer_name} approved: protected until {deal.protection_ends_at:%Y-%m-%d}.",
        f"/deals/{deal.id}",
        at=now,
        about=("deal", saved_id(deal)),
        words=Words(
            "notice.deal_approved",
            {
                "customer": deal.customer_name,
                "until": deal.protection_ends_at,
                "amount": Amount(deal.estimated_value, deal.currency),
            },
        ),
    )
    return deal.protection_ends_at


def reject_deal(session: Session, actor: Actor, deal_id: int, reason: str, now: datetime | None = None) -> None:
    """Reject a registration with the reason the partner will read; an empty reason is refused."""
    actor.require(Permission.DECIDE_DEALS)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give the partner a reason for the rejection.", "reason")
    deal = internal_deal(session, actor, deal_id)
    deal.decided_at, deal.decided_by_id, deal.decision_note = now or utcnow(), actor.user_id, reason
    move(session, actor, deal, DealStatus.REJECTED, "rejected", reason, at=deal.decided_at)
    notify(
        session,
        deal.organization_id,
        "deal_rejected",
        f"Registration for {deal.customer_name} rejected: {reason}",
        f"/deals/{deal.id}",
        at=deal.decided_at,
        about=("deal", saved_id(deal)),
        words=Words("notice.deal_rejected", {"customer": deal.customer_name, "reason": reason}),
    )


def request_more_info(session: Session, actor: Actor, deal_id: int, question: str) -> None:
    """Send a submitted registration back to its partner with a question; an empty question is refused."""
    actor.require(Permission.DECIDE_DEALS)
    question = (question or "").strip()
    if not question:
        raise ValidationError("Write what the partner should add.", "question")
    deal = internal_deal(session, actor, deal_id)
    move(session, actor, deal, DealStatus.INFO_REQUESTED, "info_requested", question)
    # Resolved when the registration leaves "more info requested" (answered or withdrawn): see deals.service.move.
    notify(
        session,
        deal.organization_id,
        INFO_REQUESTED_NOTICE,
        f"More information needed for {deal.customer_name}: {question}",
        f"/deals/{deal.id}",
        about=("deal", saved_id(deal)),
        words=Words("notice.deal_info_requested", {"customer": deal.customer_name, "question": question}),
    )


def bulk_approve_clean(
    session: Session, actor: Actor, deal_ids: list[int], now: datetime | None = None
) -> tuple[list[int], list[int]]:
    """Approve each submitted registration that has no possible conflict at all; return (approved, skipped).

    Each one is resolved and checked once, under the protection lock (taken first, for all of them): with no
    evidence at all there is nothing protected to overlap, so approve_deal's own check would add nothing.
    """
    actor.require(Permission.DECIDE_DEALS)
    now = now or utcnow()
    _take_protection_lock(session)
    approved, skipped = [], []
    for deal_id in sorted({int(i) for i in deal_ids}):
        try:
            deal = internal_deal(session, actor, deal_id)
        except NotFound:  # gone, or a partner outside the actor's book: not theirs to approve
            skipped.append(deal_id)
            continue
        session.refresh(deal)  # as approve_deal: its row as it is now that the lock is ours
        if deal.status != DealStatus.SUBMITTED or evidence(session, deal, now):
            skipped.append(deal_id)
            continue
        try:
            _grant_protection(session, actor, deal, tier_protection_days(session, deal.organization_id, now), "", now)
        except DomainError:  # changed since the check (move's compare-and-set): skip it, keep the others
            skipped.append(deal_id)
            continue
        approved.append(deal_id)
    return approved, skipped


def decide_extension(
    session: Session, actor: Actor, extension_id: int, *, approve: bool, now: datetime | None = None
) -> None:
    """Approve a pending extension request (protection lengthens, the expiry notice re-arms) or decline it."""
    actor.require(Permission.DECIDE_DEALS)
    now = now or utcnow()
    ext = session.get(DealExtension, extension_id)
    if ext is None:
        raise NotFound("extension request")
    if ext.status != "pending":
        raise DomainError(EXTENSION_DECIDED)
    deal = internal_deal(session, actor, ext.deal_id)
    decision = "approved" if approve else "declined"
    # Compare-and-set, so two managers deciding one request at once cannot both lengthen the protection.
    claimed = session.exec(
        update(DealExtension)
        .where(col(DealExtension.id) == extension_id, col(DealExtension.status) == "pending")
        .values(status=decision, decided_by_id=actor.user_id, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise DomainError(EXTENSION_DECIDED)
    ext.status, ext.decided_by_id, ext.decided_at = decision, actor.user_id, now
    if approve:
        if deal.status != DealStatus.APPROVED or deal.protection_ends_at is None:
            raise DomainError("Only approved registrations can be extended.")
        deal.protection_ends_at = deal.protection_ends_at + timedelta(days=ext.days)
        deal.expiry_notice_sent_at = None
        session.add(deal)
        refresh_queued_conflicts(session, deal)  # the registrations it matches stay "protected" longer
        resolve(session, deal.organization_id, ("deal", saved_id(deal)), "protection_ending", at=now)
    session.add(ext)
    note = f"{ext.days} days" + (f"; protected until {deal.protection_ends_at:%Y-%m-%d}" if approve else "")
    note_event(session, actor, deal, f"extension_{ext.status}", note, at=now)
    audit(session, actor, f"deal_extension_{ext.status}", "deal", deal.id, days=ext.days)


@dataclass(frozen=True)
class ExpiryRun:
    expired: int
    notified: int


def expire_deals(session: Session, now: datetime | None = None) -> ExpiryRun:
    """Expire approved registrations whose protection has ended; tell partners 14 days ahead, once.

    Safe to run from several workers at once: each row changes only if it is still in the state we read.
    """
    now = now or utcnow()
    system = Actor.system("System")
    expired = 0
    for deal in session.exec(
        select(Deal).where(Deal.status == DealStatus.APPROVED, col(Deal.protection_ends_at) <= now)
    ).all():
        claimed = session.exec(
            update(Deal)
            .where(col(Deal.id) == deal.id, col(Deal.status) == DealStatus.APPROVED)
            .values(status=DealStatus.EXPIRED)
        )
        if claimed.rowcount != 1:
            continue
        session.add(
            DealEvent(
                deal_id=saved_id(deal),
                action="expired",
                from_status=DealStatus.APPROVED,
                to_status=DealStatus.EXPIRED,
                note="Protection period ended.",
                at=now,
            )
        )
        audit(session, system, "deal_expired", "deal", deal.id)
        refresh_queued_conflicts(session, deal)  # its protection no longer counts against the ones it matched
        notify(
            session,
            deal.organization_id,
            "deal_expired",
            f"Protection for {deal.customer_name} has ended.",
            f"/deals/{deal.id}",
            about=("deal", saved_id(deal)),
            words=Words("notice.deal_expired", {"customer": deal.customer_name}),
        )
        expired += 1
    notified = 0
    soon = now + timedelta(days=settings.expiry_notice_days)
    for deal in session.exec(
        select(Deal).where(
            Deal.status == DealStatus.APPROVED,
            col(Deal.protection_ends_at) <= soon,
            col(Deal.expiry_notice_sent_at).is_(None),
        )
    ).all():
        ends = deal.protection_ends_at
        if ends is None:  # never: NULL <= soon is not true, so the WHERE above left such rows out
            continue
        claimed = session.exec(
            update(Deal)
            .where(col(Deal.id) == deal.id, col(Deal.expiry_notice_sent_at).is_(None))
            .values(expiry_notice_sent_at=now)
        )
        if claimed.rowcount != 1:
            continue
        days = max(0, (ends - now).days)
        notify(
            session,
            deal.organization_id,
            "protection_ending",
            f"Protection for {deal.customer_name} ends in {days} days "
            f"({ends:%Y-%m-%d}). Request an extension if you need more time.",
            f"/deals/{deal.id}",
            about=("deal", saved_id(deal)),
            words=Words("notice.protection_ending", {"customer": deal.customer_name, "ends": ends}, count=days),
        )
        notified += 1
    return ExpiryRun(expired=expired, notified=notified)
