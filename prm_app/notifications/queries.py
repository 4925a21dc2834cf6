"""What a partner's person reads of their organization's notices (and one of the vendor's people of the notices
addressed to them), as frozen dataclasses with raw values (UTC datetimes, states as codes); the pages decide how
they look.

Every read is scoped to the actor's organization, or for the vendor's people (who belong to none) to themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, exists, func, select

from prm_app.notifications.models import Notification, NotificationCursor, NotificationRead
from prm_app.notifications.rules import PAGE_SIZE, NoticeState, clamp_page, is_read, notice_state, safe_link
from prm_app.notifications.wording import say_notice, words_from_json
from prm_app.platform.access import Actor
from prm_app.platform.db import saved_id
from prm_app.platform.i18n import Words


@dataclass(frozen=True)
class Notice:
    """One notice to a partner organization, as one person sees it."""

    id: int
    kind: str  # what it is about, as the writing area named it ("deal_approved", "lead_offered", ...)
    message: str
    link: str  # a path on this site to the record it is about; "" when none
    created_at: datetime  # UTC
    state: NoticeState = NoticeState.UNREAD  # for this person: unread, read, or done (resolved)
    words: Words | None = None  # the message as a catalogue sentence, when the writer gave one (wording.py)

    def text(self, language: str, zone: tzinfo = UTC) -> str:
        """The message as a reader of `language` in `zone` reads it (English: `message` as written)."""
        return say_notice(self.message, self.words, language, getattr(zone, "key", "UTC"))


@dataclass(frozen=True)
class NoticePage:
    rows: tuple[Notice, ...]
    total: int  # notices matching the filter
    page: int  # 1-based, clamped to 1..pages
    pages: int  # at least 1
    unread: int  # the person's unread notices (whatever the filter)


def _read_one_by_one(user_id: int) -> Any:
    return exists().where(
        col(NotificationRead.user_id) == user_id, col(NotificationRead.notification_id) == Notification.id
    )


def _read_through(session: Session, user_id: int) -> int:
    return (
        session.exec(
            select(NotificationCursor.read_through_id).where(col(NotificationCursor.user_id) == user_id)
        ).first()
        or 0
    )


def addressed_to(actor: Actor) -> ColumnElement[bool] | None:
    """WHERE clause of the notices the actor reads: their organization's (a partner's person), or those addressed
    to them alone (one of the vendor's people); None for an actor who is no person (a job)."""
    if actor.user_id is None:
        return None
    if actor.organization_id is not None:
        return col(Notification.organization_id) == actor.organization_id
    return col(Notification.user_id) == actor.user_id


def _unread(whose: ColumnElement[bool], user_id: int, read_through: int) -> tuple[ColumnElement[bool], ...]:
    """WHERE clauses of a person's unread notices: open (not resolved), above their watermark, not read alone.
    The index (organization_id, resolved_at, id), or (user_id, resolved_at, id) for a notice to one person, finds
    the open ones above the watermark; each is then checked in notification_read by its primary key."""
    return (
        whose,
        col(Notification.resolved_at).is_(None),
        col(Notification.id) > read_through,
        ~_read_one_by_one(user_id),
    )


def _count_unread(session: Session, whose: ColumnElement[bool], user_id: int, read_through: int) -> int:
    return session.exec(
        select(func.count()).select_from(Notification).where(*_unread(whose, user_id, read_through))
    ).one()


def unread_count(session: Session, actor: Actor) -> int:
    """How many of the notices the actor reads (addressed_to) are open and not read by them.
    Runs on every page a person opens: one indexed count and one primary-key read."""
    whose = addressed_to(actor)
    if whose is None or actor.user_id is None:
        return 0
    return _count_unread(session, whose, actor.user_id, _read_through(session, actor.user_id))


def list_notices(session: Session, actor: Actor, *, unread_only: bool = False, page: int = 1) -> NoticePage:
    """A page of the notices the actor reads (their organization's, or their own for the vendor's people), newest
    first (id breaks ties), all or only the unread ones, with the actor's unread count."""
    whose = addressed_to(actor)
    if whose is None or actor.user_id is None:
        return NoticePage(rows=(), total=0, page=1, pages=1, unread=0)
    user = actor.user_id
    read_through = _read_through(session, user)
    unread = _count_unread(session, whose, user, read_through)
    where = _unread(whose, user, read_through) if unread_only else (whose,)
    total = unread if unread_only else session.exec(select(func.count()).where(*where)).one()
    page, pages = clamp_page(page, total)
    rows = _newest(session, user, read_through, where, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return NoticePage(rows=rows, total=total, page=page, pages=pages, unread=unread)


def recent_notices(session: Session, actor: Actor, limit: int = 10) -> tuple[Notice, ...]:
    """The actor's organization's newest `limit` notices, newest first (id breaks ties), each as the actor sees
    it; none for the vendor's people, who belong to no organization."""
    if actor.organization_id is None or actor.user_id is None:
        return ()
    user = actor.user_id
    where = (col(Notification.organization_id) == actor.organization_id,)
    return _newest(session, user, _read_through(session, user), where, offset=0, limit=limit)


def _newest(
    session: Session,
    user_id: int,
    read_through: int,
    where: tuple[ColumnElement[bool], ...],
    *,
    offset: int,
    limit: int,
) -> tuple[Notice, ...]:
    """The notices matching `where`, newest first (id breaks ties), as person `user_id` sees them."""
    rows = session.exec(
        select(Notification, _read_one_by_one(user_id).label("read_alone"))
        .where(*where)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return tuple(_notice(n, is_read(saved_id(n), read_through, bool(alone))) for n, alone in rows)


def _notice(n: Notification, read: bool) -> Notice:
    return Notice(
        id=saved_id(n),
        kind=n.kind,
        message=n.message,
        link=safe_link(n.link),
        created_at=n.created_at,
        state=notice_state(resolved=n.resolved_at is not None, read=read),
        words=words_from_json(n.words),
    )
