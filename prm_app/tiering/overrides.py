"""Manual tier overrides with a second approver: a manager asks for a partner's tier with a reason (at least
MIN_REASON characters); the change waits until a different manager, or an admin, approves it (the partner takes the
tier then, the reason and both people in its history) or rejects it. The asker can never approve their own. One
override waits per partner. Asking and deciding are both audited, and the asker is told of the decision (a notice on
their bell). A program whose `override_approver` is off applies its partners' overrides at once instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from prm_app.identity import User
from prm_app.notifications import notify_person
from prm_app.partners import Organization, Tier
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import savepoint
from prm_app.platform.errors import FormInvalid, NotFound, ValidationError
from prm_app.tiering.benefits import program_of
from prm_app.tiering.book import NOT_IN_BOOK, partner_id_by_name, partner_in_book
from prm_app.tiering.decisions import decide_once
from prm_app.tiering.evaluate import change_tier
from prm_app.tiering.models import TierOverride

MIN_REASON = 20
OWN_OVERRIDE = "You asked for this change: a different manager or an admin approves it."
OVERRIDE_DECIDED = "This override was already decided."
OVERRIDE_WAITING = "A tier change for this partner is already waiting for approval: decide that one first."
OVERRIDE_MOVED = "The partner's tier changed since this override was asked; reject it and ask again."
REASON_ERROR = f"Say why in at least {MIN_REASON} characters."


def needs_second_approver(session: Session, organization: Organization) -> bool:
    """Whether an override of this partner's tier waits for a second approver: its program's setting (on when no
    program covers its partner type: the careful default)."""
    program = program_of(session, organization.partner_type)
    return program is None or program.override_approver


def override_tier(session: Session, actor: Actor, organization_id: int, tier_id: int, reason: str) -> int:
    """Ask for a partner's tier by hand, with a reason of at least MIN_REASON characters. Nothing changes until a
    different manager approves it (decide_override), unless the partner's program asks no second approver: then it
    applies at once, approved by the asker. Returns the override's id."""
    actor.require(Permission.MANAGE_TIERS)
    org = partner_in_book(session, actor, organization_id)
    errors = {}
    if session.get(Tier, tier_id) is None:
        errors["tier"] = "Choose a tier."
    elif tier_id == org.tier_id:
        errors["tier"] = "The partner holds this tier already."
    if len(reason.strip()) < MIN_REASON:
        errors["reason"] = REASON_ERROR
    if errors:
        raise FormInvalid(errors)
    row = TierOverride(
        organization_id=organization_id,
        from_tier_id=org.tier_id,
        to_tier_id=tier_id,
        reason=reason.strip()[:1000],
        asked_by_id=actor.user_id or 0,
        open_for=organization_id,
    )
    if not needs_second_approver(session, org):
        row.status, row.open_for, row.decided_by_id, row.decided_at = "approved", None, actor.user_id, utcnow()
    try:
        with savepoint(session):  # UNIQUE open_for: two managers asking at once make one pending override
            session.add(row)
            session.flush()
    except IntegrityError:
        raise FormInvalid({"partner": OVERRIDE_WAITING}) from None
    audit(session, actor, "ask_tier_override", "organization", organization_id, frm=org.tier_id, to=tier_id)
    if row.status == "approved":
        change_tier(session, actor, organization_id, tier_id, "override", row.reason)
    return row.id or 0


def override_by_name(session: Session, actor: Actor, form: Mapping[str, object]) -> int:
    """The override form: the partner by its exact name, looked up in the actor's book (a miss is a field error)."""
    actor.require(Permission.MANAGE_TIERS)
    found = partner_id_by_name(session, actor, str(form.get("partner", "") or ""))
    tier = str(form.get("tier", "") or "")
    if found is None:
        errors = {"partner": NOT_IN_BOOK}
        if len(str(form.get("reason", "") or "").strip()) < MIN_REASON:
            errors["reason"] = REASON_ERROR
        raise FormInvalid(errors)
    return override_tier(session, actor, found, int(tier) if tier.isdigit() else 0, str(form.get("reason", "") or ""))


def ask_override(session: Session, actor: Actor, form: Mapping[str, object]) -> bool:
    """The override form (override_by_name); True when it applied at once (no second approver asked)."""
    row = session.get(TierOverride, override_by_name(session, actor, form))
    return row is not None and row.status == "approved"


def decide_override(session: Session, actor: Actor, override_id: int, approve: bool, note: str = "") -> None:
    """Approve (the partner takes the tier now; its history keeps the asker's reason) or reject a pending override.
    The approver is a manager who reaches the partner and is not the one who asked."""
    actor.require(Permission.MANAGE_TIERS)
    row = session.get(TierOverride, override_id)
    if row is None:
        raise NotFound("override")
    org = partner_in_book(session, actor, row.organization_id)
    if row.status != "pending":
        raise ValidationError(OVERRIDE_DECIDED)
    if row.asked_by_id == actor.user_id:
        raise ValidationError(OWN_OVERRIDE)
    if approve and org.tier_id != row.from_tier_id:
        raise ValidationError(OVERRIDE_MOVED)
    decide_once(session, TierOverride, override_id, actor, approve, note, OVERRIDE_DECIDED, open_for=None)
    session.refresh(row)
    if approve:
        change_tier(session, actor, row.organization_id, row.to_tier_id, "override", row.reason, row.asked_by_id)
    audit(session, actor, "decide_tier_override", "tier_override", override_id, approved=approve)
    _tell_asker(session, actor, row, org.name, note)


def _tell_asker(session: Session, actor: Actor, row: TierOverride, partner: str, note: str) -> None:
    """The asker learns on their own bell who decided their override and what the partner holds now."""
    names = dict(
        session.exec(select(Tier.id, Tier.name).where(col(Tier.id).in_([row.from_tier_id, row.to_tier_id]))).all()
    )
    decider = session.get(User, actor.user_id or 0)
    approved = row.status == "approved"
    outcome = f"it holds {names[row.to_tier_id]} now" if approved else f"it keeps {names[row.from_tier_id]}"
    notify_person(
        session,
        row.asked_by_id,
        f"tier_override_{row.status}",
        f"{decider.full_name if decider else 'An admin'} {row.status} your override of {partner}'s tier: {outcome}."
        + (f" Note: {note.strip()[:200]}" if note.strip() else ""),
        "/tiers",
        about=("tier_override", row.id or 0),
    )


@dataclass(frozen=True)
class PendingOverride:
    id: int
    partner: str
    from_tier: str
    to_tier: str
    reason: str
    asked_by: str
    asked_at: datetime
    mine: bool  # asked by the reader: someone else decides it


def pending_overrides(session: Session, actor: Actor) -> list[PendingOverride]:
    """The overrides waiting for a second approver among the partners the actor reaches, oldest first."""
    actor.require(Permission.VIEW_PARTNERS)
    query = (
        select(TierOverride, Organization.name, User.full_name)
        .join(Organization, col(Organization.id) == col(TierOverride.organization_id))
        .join(User, col(User.id) == col(TierOverride.asked_by_id))
        .where(col(TierOverride.status) == "pending")
        .order_by(col(TierOverride.asked_at), col(TierOverride.id))
        .limit(100)
    )
    owner = actor.book_owner()
    if owner is not None:
        query = query.where(col(Organization.channel_manager_id) == owner)
    names = dict(session.exec(select(Tier.id, Tier.name)).all())
    return [
        PendingOverride(
            o.id or 0,
            name,
            names.get(o.from_tier_id, ""),
            names.get(o.to_tier_id, ""),
            o.reason,
            asker,
            o.asked_at,
            o.asked_by_id == actor.user_id,
        )
        for o, name, asker in session.exec(query).all()
    ]
