"""Reads of the outbox for the admin's Outbox page and the metrics: frozen dataclasses with raw values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from prm_app.mail.models import MailStatus, OutboxMessage
from prm_app.platform.access import Actor, Permission
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound

PAGE_SIZE = 25


@dataclass(frozen=True)
class OutboxRow:
    id: int
    to_address: str
    subject: str
    kind: str
    status: MailStatus
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    last_error: str


@dataclass(frozen=True)
class OutboxPage:
    rows: list[OutboxRow]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class OutboxDetail:
    row: OutboxRow
    text: str


def _row(m: OutboxMessage) -> OutboxRow:
    return OutboxRow(
        id=saved_id(m),
        to_address=m.to_address,
        subject=m.subject,
        kind=m.kind,
        status=MailStatus(m.status),
        attempts=m.attempts,
        created_at=m.created_at,
        sent_at=m.sent_at,
        last_error=m.last_error,
    )


def outbox_page(session: Session, actor: Actor, page: int = 1, status: str = "") -> OutboxPage:
    """One page of messages, newest first; `status` ("queued", "sent", "failed") narrows it (admins)."""
    actor.require(Permission.READ_OUTBOX)
    query = select(OutboxMessage)
    counted = select(func.count()).select_from(OutboxMessage)
    if status in {s.value for s in MailStatus}:
        query = query.where(OutboxMessage.status == status)
        counted = counted.where(OutboxMessage.status == status)
    total = session.exec(counted).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = session.exec(
        query.order_by(col(OutboxMessage.id).desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    return OutboxPage(rows=[_row(m) for m in rows], total=total, page=page, pages=pages)


def outbox_message(session: Session, actor: Actor, message_id: int) -> OutboxDetail:
    """One message with its plain text (admins)."""
    actor.require(Permission.READ_OUTBOX)
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound("message")
    return OutboxDetail(row=_row(message), text=message.text_body)


def outbox_backlog(session: Session) -> int:
    """Messages not sent yet and not given up (the metric prm_mail_outbox_backlog)."""
    return session.exec(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == MailStatus.QUEUED)
    ).one()
