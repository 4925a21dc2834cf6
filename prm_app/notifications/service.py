"""Notices for a partner organization: written by other areas' use cases inside their unit of work, read on the
portal home. A notice links to the record it is about."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from prm_app.notifications.models import Notification
from prm_app.notifications.queries import recent_notices
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
    """`recent_notices` as {"message", "link", "at": "2030-01-15"} dicts: the shape callers read before the typed
    read model. New code uses `recent_notices`; this goes once nothing reads the dicts."""
    return [
        {"message": n.message, "link": n.link, "at": n.created_at.strftime("%Y-%m-%d")}
        for n in recent_notices(session, actor, limit)
    ]
