"""Notices for a partner organization: written by other areas' use cases inside their unit of work, read on the
portal home. A notice links to the record it is about."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from prm_app.notifications.models import Notification


def notify(
    session: Session, organization_id: int, kind: str, message: str, link: str = "", at: datetime | None = None
) -> None:
    """Queue a notice for every user of `organization_id`, in the caller's transaction."""
    notice = Notification(organization_id=organization_id, kind=kind, message=message, link=link)
    if at is not None:
        notice.created_at = at
    session.add(notice)
