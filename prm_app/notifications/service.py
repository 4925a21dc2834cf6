"""Notices for a partner organization: written and resolved by other areas' use cases inside their own unit of
work (`notify`, `resolve`), read and marked read by the organization's people (`mark_read`, `open_notice`,
`mark_all_read`). A notice links to the record it is about.

The vendor's people belong to no organization: a notice to one of them is addressed to that person alone
(`notify_person`: a manager told the override they asked for was decided) and read on the console's bell.

The people-facing use cases take the server-resolved Actor and reach only the notices of the actor's own
organization (or, for the vendor's people, their own): an id from the browser is looked up through that scope, and
a miss is "not found".
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, delete, func, select

from prm_app.notifications.emails import email_notice
from prm_app.notifications.models import Notification, NotificationCursor, NotificationRead
from prm_app.notifications.queries import addressed_to
from prm_app.notifications.rules import safe_link
from prm_app.notifications.wording import words_json
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import NotFound
from prm_app.platform.i18n import Words

Subject = tuple[str, int]  # what a notice is about: ("lead", 42), ("deal", 7)


def notify(
    session: Session,
    organization_id: int,
    kind: str,
    message: str,
    link: str = "",
    at: datetime | None = None,
    *,
    about: Subject | None = None,
    once: str | None = None,
    words: Words | None = None,
) -> bool:
    """Queue a notice for every user of `organization_id`, in the caller's transaction, and email it to those of
    them who want `kind` by email (emails.py decides who). `about` names the record it concerns, so `resolve` can
    close it once that record is acted on.

    `once` makes it a reminder that exists at most once per organization and key (e.g. per lead offer): written at
    once with an insert that does nothing when the key is taken, so two job consumers racing on one reminder write
    one notice and one email per person. Returns False (nothing written, nobody emailed) when the key was taken.

    `words`: the message as a catalogue sentence, so each emailed person reads it in their language with days and
    amounts in their format; the notice keeps them too (wording.py), so the app says it in each reader's language,
    and `message` is its English)."""
    notice = Notification(
        organization_id=organization_id, kind=kind, message=message, link=link, once_key=once, words=words_json(words)
    )
    if at is not None:
        notice.created_at = at
    if about is not None:
        notice.subject_kind, notice.subject_id = about
    if once is None:
        session.add(notice)
    elif not _insert_once(session, notice):
        return False
    email_notice(session, organization_id, kind, words or message, link)
    return True


def notify_person(
    session: Session, user_id: int, kind: str, message: str, link: str = "", *, about: Subject | None = None
) -> None:
    """Queue a notice for one of the vendor's people (who belong to no organization), in the caller's
    transaction: in the app only (their bell), never emailed. `about` names the record it concerns."""
    notice = Notification(user_id=user_id, kind=kind, message=message, link=link)
    if about is not None:
        notice.subject_kind, notice.subject_id = about
    session.add(notice)


def _insert_once(session: Session, notice: Notification) -> bool:
    """INSERT … ON CONFLICT (organization_id, once_key) DO NOTHING; True when the row was written. On PostgreSQL a
    racing insert of the same key waits for the first to commit, then does nothing."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    values = notice.model_dump(exclude={"id"})
    insert = dialect.insert(Notification).values(**values)
    insert = insert.on_conflict_do_nothing(index_elements=["organization_id", "once_key"])
    # RETURNING rather than rowcount: an ORM-run INSERT reports no rowcount on PostgreSQL (-1).
    return session.exec(insert.returning(col(Notification.id))).first() is not None


def resolve(session: Session, organization_id: int, about: Subject, *kinds: str, at: datetime | None = None) -> int:
    """Mark done the organization's open notices of `kinds` about the record `about`, in the caller's
    transaction (so a rolled-back action leaves them open). Returns how many were open; resolving twice is
    harmless.

    The change is written with the caller's next flush, not at once, and the lookup does not flush: a use case
    that defers its own writes to the flush (accept_lead's compare-and-set) keeps holding no write lock until
    then (on SQLite a write would lock the whole database for the rest of the unit of work)."""
    subject_kind, subject_id = about
    with session.no_autoflush:
        notices = session.exec(
            select(Notification).where(
                col(Notification.organization_id) == organization_id,
                col(Notification.subject_kind) == subject_kind,
                col(Notification.subject_id) == subject_id,
                col(Notification.kind).in_(kinds),
                col(Notification.resolved_at).is_(None),
            )
        ).all()
    for notice in notices:
        notice.resolved_at = at or utcnow()
        session.add(notice)
    return len(notices)


def withdraw(session: Session, organization_id: int, about: Subject, *kinds: str) -> int:
    """Take back the organization's notices of `kinds` about the record `about`, read or not: it may no longer see
    that record (a reseller kept a registration from its distributor again), so no notice may still name it.
    Deletes them with their read marks, in the caller's transaction; returns how many there were."""
    subject_kind, subject_id = about
    ids = list(
        session.exec(
            select(Notification.id).where(
                col(Notification.organization_id) == organization_id,
                col(Notification.subject_kind) == subject_kind,
                col(Notification.subject_id) == subject_id,
                col(Notification.kind).in_(kinds),
            )
        ).all()
    )
    if ids:
        session.exec(delete(NotificationRead).where(col(NotificationRead.notification_id).in_(ids)))
        session.exec(delete(Notification).where(col(Notification.id).in_(ids)))
    return len(ids)


def _reader(actor: Actor) -> tuple[int, ColumnElement[bool]]:
    """(user id, WHERE clause of the notices they read) of a person who may read notices: a partner's person
    (their organization's) or one of the vendor's people (those addressed to them); NotFound for anyone else."""
    if actor.organization_id is not None:
        actor.require(Permission.USE_PORTAL)
    whose = addressed_to(actor)
    if actor.user_id is None or whose is None or not (actor.is_partner or actor.is_internal):
        raise NotFound("notification")
    return actor.user_id, whose


def _own_notice(session: Session, actor: Actor, notification_id: int) -> tuple[int, Notification]:
    user_id, _ = _reader(actor)
    notice = session.get(Notification, notification_id)
    if notice is None or not _reads(actor, notice):
        raise NotFound("notification")
    return user_id, notice


def _reads(actor: Actor, notice: Notification) -> bool:
    """Whether the notice is one the actor reads (the Python twin of queries.addressed_to)."""
    if actor.organization_id is not None:
        return notice.organization_id == actor.organization_id
    return notice.organization_id is None and notice.user_id == actor.user_id


def mark_read(session: Session, actor: Actor, notification_id: int, now: datetime | None = None) -> None:
    """The actor has read one of their organization's notices (for them alone: colleagues keep it unread).
    Reading it again changes nothing."""
    user_id, _ = _own_notice(session, actor, notification_id)
    _record_read(session, user_id, notification_id, now or utcnow())


def open_notice(session: Session, actor: Actor, notification_id: int, now: datetime | None = None) -> str:
    """Mark the notice read and return where it leads: a path on this site, or "" when it links nowhere."""
    user_id, notice = _own_notice(session, actor, notification_id)
    _record_read(session, user_id, notification_id, now or utcnow())
    return safe_link(notice.link)


def _record_read(session: Session, user_id: int, notification_id: int, now: datetime) -> None:
    if session.get(NotificationRead, (user_id, notification_id)) is not None:
        return
    cursor = session.get(NotificationCursor, user_id)
    if cursor is not None and notification_id <= cursor.read_through_id:
        return  # already read by "Mark all read"
    session.add(NotificationRead(user_id=user_id, notification_id=notification_id, read_at=now))


def mark_all_read(session: Session, actor: Actor, now: datetime | None = None) -> None:
    """Every notice the actor reads now (their organization's, or their own) is read by the actor (notices written
    later are not).
    One watermark row per person; the one-by-one reads it covers are deleted."""
    user_id, whose = _reader(actor)
    newest = session.exec(select(func.max(Notification.id)).where(whose)).one()
    if newest is None:
        return
    cursor = session.get(NotificationCursor, user_id) or NotificationCursor(user_id=user_id)
    cursor.read_through_id = max(cursor.read_through_id or 0, newest)
    cursor.updated_at = now or utcnow()
    session.add(cursor)
    session.exec(
        delete(NotificationRead).where(
            col(NotificationRead.user_id) == user_id,
            col(NotificationRead.notification_id) <= cursor.read_through_id,
        )
    )
