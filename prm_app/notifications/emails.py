"""Which of an organization's people get a notice by email too, and the messages themselves.

The one place that decides email versus in-app: `notify` calls `email_notice` in the same transaction as the
notice, so the messages reach the outbox exactly when the change they announce is committed (mail.service).
A person gets the email when they are an active partner user of the organization *now* (deactivated people and
people who moved on get nothing) and want that event by email (their preference, else the event's default); the
job that sends it checks again before each try (`still_members`), so someone who leaves meanwhile gets nothing.

Each email is written in its recipient's language and time zone (identity's `mail_reader`): the writing area gives
the notice's sentence as Words (a catalogue key and its values: days, amounts), said for each reader; the notice in
the app keeps its English message.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from prm_app.identity import User, mail_reader
from prm_app.mail import Reader, queue_with_change, shown
from prm_app.notifications.models import NotificationPreference
from prm_app.notifications.rules import EMAIL_KINDS, absolute_link, email_subject, wants_email
from prm_app.platform.access import PARTNER_ROLES
from prm_app.platform.i18n import Words
from prm_app.platform.settings import settings

NOTIFICATIONS_PATH = "/portal/notifications"  # where a notice without a link leads
PREFERENCES_PATH = "/account/notifications"


def _members(organization_id: int | None = None) -> list[ColumnElement[bool]]:
    """WHERE clauses of the active partner users (of `organization_id`): who may get a notice's email."""
    partner_roles = [r.value for r in PARTNER_ROLES]
    where: list[ColumnElement[bool]] = [col(User.is_active).is_(True), col(User.role).in_(partner_roles)]
    return where if organization_id is None else [*where, col(User.organization_id) == organization_id]


def still_members(session: Session, recipients: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Of the (user id, organization id) given, those still active partner users of that organization: the
    sender's last check before a notice's email goes out (mail.send_due_mail's `still_there`)."""
    rows = session.exec(
        select(User.id, User.organization_id).where(*_members(), col(User.id).in_([u for u, _ in recipients]))
    ).all()
    return {(u, o) for u, o in rows if u is not None and o is not None} & recipients


def email_recipients(session: Session, organization_id: int, kind: str) -> list[tuple[int, str, str, Reader]]:
    """(user id, address, name, how they read) of the organization's active partner users who want notice `kind`
    by email.

    Reads without flushing: the caller's pending writes stay pending (see notifications.service.resolve)."""
    if kind not in EMAIL_KINDS:
        return []
    with session.no_autoflush:
        people = session.exec(select(User).where(*_members(organization_id)).order_by(col(User.id))).all()
        ids = [p.id for p in people]
        chosen = dict(
            session.exec(
                select(NotificationPreference.user_id, NotificationPreference.email).where(
                    col(NotificationPreference.kind) == kind, col(NotificationPreference.user_id).in_(ids)
                )
            ).all()
        )
    return [
        (p.id, p.email, p.full_name, mail_reader(p))
        for p in people
        if p.id is not None and wants_email(kind, chosen.get(p.id))
    ]


def email_notice(session: Session, organization_id: int, kind: str, message: str | Words, link: str) -> int:
    """Queue notice `kind` as an email (plain text and HTML, absolute links) to each person of the organization
    who wants it, in the caller's transaction, each in their own language and zone (`message` as Words; a plain
    message reads as written). Returns how many were queued."""
    recipients = email_recipients(session, organization_id, kind)
    origin = settings.app_origin
    values = {
        "link": absolute_link(origin, link, NOTIFICATIONS_PATH),
        "preferences": absolute_link(origin, PREFERENCES_PATH, PREFERENCES_PATH),
    }
    for user_id, address, name, reader in recipients:
        said = shown(message, reader.language, reader.zone)
        queue_with_change(
            session,
            to=address,
            kind="notice",
            values={**values, "name": name, "message": said, "subject": email_subject(said)},
            label=kind,
            recipient=(user_id, organization_id),
            reader=reader,
        )
    return len(recipients)
