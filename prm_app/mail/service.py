"""Queueing and sending mail through the outbox.

- `queue_message` only adds a row in the caller's transaction: the message exists exactly when the change it
  announces was committed (a rolled-back invitation emails nobody; a crash after the commit loses nothing).
  Once that transaction commits, the job runner is asked to send at once (`register_sender`), so mail goes out
  in seconds; the periodic run catches whatever that request missed.
- `send_due_mail` claims due messages, sends each over SMTP and records the outcome:
  * the claim is one short transaction: `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (concurrent senders pass
    over each other's rows instead of queueing behind them) then, for each row, a conditional UPDATE that bumps
    `attempts` and moves `next_attempt_at` to the end of a lease. Only one sender's UPDATE matches (SQLite is a
    single writer: the claim takes its write lock first with BEGIN IMMEDIATE), so a message is claimed once.
  * the SMTP conversation happens outside any transaction, and the outcome is written right after the server's
    answer, guarded by the attempt number the claim gave (a sender whose lease ran out cannot overwrite a newer
    try). Why not hold the claim's transaction open across SMTP: on SQLite that would hold the one write lock
    for as long as a mail server takes to answer, stalling every other write of the app.
  * the remaining at-least-once window: if the process dies after the server accepted a message and before
    "sent" is committed (a few milliseconds), the lease runs out and the message is sent again. Each message
    carries a Message-ID made from its outbox id, so a receiving system can drop the duplicate.
  * a failed try waits 1, 5, 30 minutes, then 2 hours (rules.BACKOFF), then the message is "failed"; an admin
    may send it again from the Outbox page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import CursorResult, event, update
from sqlmodel import Session, col, select

from prm_app.mail.models import MailStatus, OutboxMessage
from prm_app.mail.rules import render, retry_delay
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound, ValidationError
from prm_app.platform.i18n import DEFAULT_LANGUAGE

log = logging.getLogger("prm_app.mail")

# How long a claimed message belongs to its sender: far longer than one SMTP conversation (its timeout is 30 s),
# so only a sender that died loses it.
LEASE = timedelta(minutes=5)
CLAIM_BATCH = 20

_senders: list[Callable[[], None]] = []
Recipient = tuple[int, int]  # (user id, organization id) a message is addressed to as a member
# Of the recipients given, those still active members of that organization (the notifications area answers).
StillThere = Callable[[Session, set[Recipient]], set[Recipient]]
WITHDRAWN_NOTE = "Not sent: its recipient is no longer active in the organization."
_PENDING, _LISTENING = "mail.pending", "mail.listening"


def register_sender(send_soon: Callable[[], None]) -> None:
    """How a committed message reaches the job runner at once (the runtime registers its task here)."""
    _senders.append(send_soon)


def _ask_to_send(session: Session) -> None:
    # SQLAlchemy fires after_commit when a savepoint is released too: the transaction itself commits later, and
    # asking now would send the runner to rows it cannot see yet (and leave none to ask for at the real commit).
    if session.in_nested_transaction() or not session.info.pop(_PENDING, False):
        return
    for send_soon in _senders:
        try:
            send_soon()
        except Exception:  # the queue is down: the rows are committed and the periodic run sends them
            log.exception("could not ask the job runner to send mail now")


def _forget(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint rolled back: the mail queued before it is still there
        session.info.pop(_PENDING, None)


def _send_after_commit(session: Session) -> None:
    """Ask the job runner to send once this transaction commits (not before: it would find no row yet). The
    listeners stay on the session for its life (once per session), the flag says whether this transaction has mail."""
    session.info[_PENDING] = True
    if not session.info.get(_LISTENING):
        session.info[_LISTENING] = True
        event.listen(session, "after_commit", _ask_to_send)
        event.listen(session, "after_rollback", _forget)


@dataclass(frozen=True)
class Reader:
    """Who reads a message, as its words and times need: their language and time zone (English in UTC unless
    known). The caller knows the recipient; the outbox keeps the message as rendered for them."""

    language: str = DEFAULT_LANGUAGE
    zone: str = "UTC"


def _outbox_row(
    to: str,
    kind: str,
    values: Mapping[str, object],
    label: str,
    recipient: Recipient | None = None,
    reader: Reader | None = None,
) -> OutboxMessage:
    reader = reader or Reader()
    rendered = render(kind, values, reader.language, reader.zone)
    return OutboxMessage(
        to_address=to,
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        kind=label or kind,
        next_attempt_at=utcnow(),
        recipient_user_id=recipient[0] if recipient else None,
        recipient_org_id=recipient[1] if recipient else None,
    )


def queue_message(
    session: Session, *, to: str, kind: str, values: Mapping[str, object], reader: Reader | None = None
) -> int:
    """Add message `kind` (rules.TEMPLATES) for `to`, rendered with `values` in the `reader`'s language and zone
    (English, UTC by default), to the outbox in the caller's transaction; nothing is sent before that transaction
    commits. Returns the message's id."""
    message = _outbox_row(to, kind, values, "", reader=reader)
    session.add(message)
    session.flush()
    _send_after_commit(session)
    return saved_id(message)


def queue_with_change(
    session: Session,
    *,
    to: str,
    kind: str,
    values: Mapping[str, object],
    label: str = "",
    recipient: Recipient | None = None,
    reader: Reader | None = None,
) -> None:
    """As `queue_message`, but written with the caller's next flush rather than at once: a use case that defers
    its own writes to the flush (a compare-and-set in a before_flush hook) is not made to write early. `label`
    names the message on the Outbox page (the template's name when empty: "notice" says little there).
    `recipient` (user id, organization id): the sender checks before each try that this person is still there
    (`send_due_mail`'s `still_there`) and withdraws the message if not. `reader`: as for `queue_message`."""
    session.add(_outbox_row(to, kind, values, label, recipient, reader))
    _send_after_commit(session)


# -- the sender's side ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Claimed:
    """A message a sender holds for one try (`attempt`)."""

    id: int
    attempt: int
    to_address: str
    subject: str
    text: str
    html: str


class Transport(Protocol):
    def send(self, message: Claimed) -> None:
        """Hand `message` to the mail server; raise when it was not accepted."""


@dataclass(frozen=True)
class SendRun:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    withdrawn: int = 0  # not sent: the recipient left (see claim_due)


def _changed(result: Any) -> bool:
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


def _write_lock_first(session: Session) -> None:
    """SQLite: take the write lock before reading, so a concurrent claim waits instead of failing to upgrade a
    stale read snapshot ("database is locked"). PostgreSQL needs nothing: its row locks do this."""
    connection = session.connection()
    dbapi = connection.connection.dbapi_connection
    if connection.dialect.name == "sqlite" and dbapi is not None and not dbapi.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def claim_due(
    session: Session, now: datetime, limit: int = CLAIM_BATCH, still_there: StillThere | None = None
) -> list[Claimed]:
    """Take up to `limit` messages that are due for a try; each is taken by one caller only, for LEASE. With
    `still_there`, a message addressed to a member whose membership ended is withdrawn instead (never sent)."""
    return _claim_due(session, now, limit, still_there)[0]


def _claim_due(
    session: Session, now: datetime, limit: int, still_there: StillThere | None
) -> tuple[list[Claimed], int]:
    """claim_due, and how many of the messages it took were withdrawn."""
    _write_lock_first(session)
    due = session.exec(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == MailStatus.QUEUED, col(OutboxMessage.next_attempt_at) <= now)
        .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    rows: list[OutboxMessage] = []
    for message_id in due:
        took = session.exec(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == message_id,
                col(OutboxMessage.status) == MailStatus.QUEUED,
                col(OutboxMessage.next_attempt_at) <= now,
            )
            .values(attempts=col(OutboxMessage.attempts) + 1, next_attempt_at=now + LEASE)
            .execution_options(synchronize_session=False)
        )
        if _changed(took):
            row = session.get(OutboxMessage, message_id, populate_existing=True)
            assert row is not None  # updated just above, in this transaction
            rows.append(row)
    gone = _left(session, rows, still_there)
    claimed: list[Claimed] = []
    for row in rows:
        if (row.recipient_user_id, row.recipient_org_id) in gone:
            row.status, row.last_error = MailStatus.WITHDRAWN, WITHDRAWN_NOTE  # ours: claimed just above
            session.add(row)
            continue
        claimed.append(Claimed(saved_id(row), row.attempts, row.to_address, row.subject, row.text_body, row.html_body))
    return claimed, len(rows) - len(claimed)


def _left(session: Session, rows: list[OutboxMessage], still_there: StillThere | None) -> set[Recipient]:
    """The recipients of `rows` who are no longer there (none when nobody checks)."""
    addressed = {
        (r.recipient_user_id, r.recipient_org_id)
        for r in rows
        if r.recipient_user_id is not None and r.recipient_org_id is not None
    }
    if still_there is None or not addressed:
        return set()
    return addressed - still_there(session, addressed)


def _this_try(message: Claimed) -> Any:
    return (
        col(OutboxMessage.id) == message.id,
        col(OutboxMessage.attempts) == message.attempt,
        col(OutboxMessage.status) == MailStatus.QUEUED,
    )


def mark_sent(session: Session, message: Claimed, now: datetime) -> bool:
    """Record that the server accepted `message` (False: its lease was lost and a newer try owns it)."""
    done = session.exec(
        update(OutboxMessage)
        .where(*_this_try(message))
        .values(status=MailStatus.SENT, sent_at=now, last_error="")
        .execution_options(synchronize_session=False)
    )
    return _changed(done)


def mark_failed(session: Session, message: Claimed, error: str, now: datetime) -> MailStatus:
    """Record a failed try: due again after the backoff, or given up ("failed") after the last one."""
    delay = retry_delay(message.attempt)
    values: dict[str, Any] = {"last_error": error[:500]}
    if delay is None:
        values["status"] = MailStatus.FAILED
    else:
        values["next_attempt_at"] = now + delay
    session.exec(
        update(OutboxMessage).where(*_this_try(message)).values(**values).execution_options(synchronize_session=False)
    )
    return MailStatus.FAILED if delay is None else MailStatus.QUEUED


def send_due_mail(
    unit_of_work: Callable[[], AbstractContextManager[Session]],
    transport: Transport,
    clock: Callable[[], datetime] = utcnow,
    still_there: StillThere | None = None,
) -> SendRun:
    """Send every message due now: claim a batch, send each, record each outcome in its own short transaction
    (`unit_of_work()` opens one and commits it). Repeats until nothing is due. See the module docstring.
    `still_there` checks the recipients addressed as members (see claim_due)."""
    sent = retrying = failed = withdrawn = 0
    while True:
        with unit_of_work() as session:
            batch, left = _claim_due(session, clock(), CLAIM_BATCH, still_there)
        withdrawn += left
        if not batch and not left:
            return SendRun(sent, retrying, failed, withdrawn)
        for message in batch:
            try:
                transport.send(message)
            except Exception as exc:  # any refusal or network trouble: try again later
                log.warning("mail %d to %s not sent (try %d): %s", message.id, message.to_address, message.attempt, exc)
                with unit_of_work() as session:
                    outcome = mark_failed(session, message, f"{type(exc).__name__}: {exc}", clock())
                failed += outcome == MailStatus.FAILED
                retrying += outcome == MailStatus.QUEUED
                continue
            with unit_of_work() as session:
                mark_sent(session, message, clock())
            sent += 1


# -- the admin's side ----------------------------------------------------------------------------------------------
def send_again(session: Session, actor: Actor, message_id: int, now: datetime | None = None) -> None:
    """Give a failed message a fresh series of tries, starting now (admins)."""
    actor.require(Permission.READ_OUTBOX)
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound("message")
    if message.status != MailStatus.FAILED:
        raise ValidationError("Only a message that failed can be sent again.")
    message.status, message.attempts = MailStatus.QUEUED, 0
    message.next_attempt_at = now or utcnow()
    session.add(message)
    session.flush()
    _send_after_commit(session)
    audit(session, actor, "mail.send_again", "mail_outbox", message.id, to=message.to_address)
