"""What a partner reads of its notices, as frozen dataclasses with raw values (UTC datetimes); the portal home
decides how they look."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from prm_app.notifications.models import Notification
from prm_app.platform.access import Actor
from prm_app.platform.db import saved_id


@dataclass(frozen=True)
class Notice:
    """One notice to a partner organization."""

    id: int
    kind: str  # what it is about, as the writing area named it ("deal_approved", "lead_offered", ...)
    message: str
    link: str  # the path of the record it is about, as the writing area stored it; "" when none
    created_at: datetime  # UTC


def recent_notices(session: Session, actor: Actor, limit: int = 10) -> tuple[Notice, ...]:
    """The actor's organization's newest `limit` notices, newest first (id breaks ties); none for the vendor's
    people, who belong to no organization."""
    if actor.organization_id is None:
        return ()
    rows = session.exec(
        select(Notification)
        .where(Notification.organization_id == actor.organization_id)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .limit(limit)
    ).all()
    return tuple(
        Notice(id=saved_id(n), kind=n.kind, message=n.message, link=n.link, created_at=n.created_at) for n in rows
    )
