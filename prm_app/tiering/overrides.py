"""Manual tier overrides with a second approver: a manager asks for a partner's tier with a reason (at least
MIN_REASON characters); the change waits until a different manager, or an admin, approves it (the partner takes the
tier then, the reason in its history) or rejects it. The asker can never approve their own. One override waits per
partner. Asking and deciding are both audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from prm_app.identity import User
from prm_app.partners import Organization, Tier
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.db import savepoint
from prm_app.platform.errors import FormInvalid, NotFound, ValidationError
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


def override_tier(session: Session, actor: Actor, organization_id: int, tier_id: int, reason: str) -> int:
    """Ask for a partner's tier by hand, with a reason of at least MIN_REASON characters. Nothing changes until a
    different manager approves it (decide_override). Returns the pending override's id."""
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
    try:
        with savepoint(session):  # UNIQUE open_for: two managers asking at once make one pending override
            session.add(row)
            session.flush()
    except IntegrityError:
        raise FormInvalid({"partner": OVERRIDE_WAITING}) from None
    audit(session, actor, "ask_tier_override", "organization", organization_id, frm=org.tier_id, to=tier_id)
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
        change_tier(session, actor, row.organization_id, row.to_tier_id, "override", row.reason)
    audit(session, actor, "decide_tier_override", "tier_override", override_id, approved=approve)


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
