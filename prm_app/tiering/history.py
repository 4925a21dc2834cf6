"""A partner's tier history as people read it: each change with when, from and to, why, and who made it; for an
override a second manager approved, who asked and who approved. Reads for the partner's tier page and the managers'
movements, as frozen dataclasses with raw values (UTC datetimes: the pages show them in the reader's zone)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from prm_app.identity import User
from prm_app.partners import Organization, Tier
from prm_app.tiering.models import TierChange


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    from_tier: str
    to_tier: str
    source: str
    reason: str
    by: str = ""  # who made the change ("" for the scheduled evaluation); for an override, its approver
    asked_by: str = ""  # who asked for an override another manager approved


@dataclass(frozen=True)
class Movement:
    partner: str
    change: HistoryEntry


def partner_history(session: Session, organization_id: int, limit: int = 20) -> tuple[HistoryEntry, ...]:
    """The partner's latest tier changes, newest first."""
    rows = session.exec(
        select(TierChange)
        .where(col(TierChange.organization_id) == organization_id)
        .order_by(col(TierChange.at).desc(), col(TierChange.id).desc())
        .limit(limit)
    ).all()
    tiers, people = _names(session, rows)
    return tuple(_entry(r, tiers, people) for r in rows)


def movements(session: Session, book: Any, limit: int = 20) -> tuple[Movement, ...]:
    """The latest tier changes of the partners whose ids `book` (a select) gives, newest first."""
    rows = session.exec(
        select(TierChange, Organization.name)
        .join(Organization, col(Organization.id) == col(TierChange.organization_id))
        .where(col(TierChange.organization_id).in_(book))
        .order_by(col(TierChange.at).desc(), col(TierChange.id).desc())
        .limit(limit)
    ).all()
    tiers, people = _names(session, [c for c, _ in rows])
    return tuple(Movement(name, _entry(c, tiers, people)) for c, name in rows)


def _names(session: Session, changes: Sequence[TierChange]) -> tuple[dict[int, str], dict[int, str]]:
    """Tier names by id, and the names of the people who made or asked for `changes`."""
    ids = {i for c in changes for i in (c.by_id, c.asked_by_id) if i is not None}
    tiers = {i or 0: name for i, name in session.exec(select(Tier.id, Tier.name)).all()}
    people = session.exec(select(User.id, User.full_name).where(col(User.id).in_(ids))).all() if ids else []
    return tiers, {i or 0: name for i, name in people}


def _entry(c: TierChange, tiers: dict[int, str], people: dict[int, str]) -> HistoryEntry:
    return HistoryEntry(
        c.at,
        tiers.get(c.from_tier_id, ""),
        tiers.get(c.to_tier_id, ""),
        c.source,
        c.reason,
        people.get(c.by_id or 0, ""),
        people.get(c.asked_by_id or 0, ""),
    )
