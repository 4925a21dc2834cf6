"""Notices for a partner organization: written by other areas' use cases inside their unit of work, read on the
portal home. A notice links to the record it is about."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from prm_app.notifications.models import Notification
from prm_app.platform.access import Actor


def notify(
    session: Session, organization_id: int, kind: str, message: str, link: str = "", at: datetime | None = None
) -> None:
    """Queue a notice for every user of `organization_id`, in the caller's transaction."""
    notice = Notification(organization_id=organization_id, kind=kind, message=message, link=link)
    if at is not None:
        notice.created_at = at
    session.add(notice)


def list_notifications(session: Session, actor: Actor, limit: int = 10) -> list[dict]:
    """The partner's newest notifications (none for the vendor's people, who belong to no organization)."""
    if actor.organization_id is None:
        return []
    rows = session.exec(
        select(Notification)
        .where(Notification.organization_id == actor.organization_id)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .limit(limit)
    ).all()
    return [{"message": n.message, "link": n.link, "at": n.created_at.strftime("%Y-%m-%d")} for n in rows]
