"""The outbox on SQLite and PostgreSQL: written in the caller's transaction, claimed once per try (also with two
senders racing), retried on the schedule, given up, sent again by an admin; what the Outbox page reads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from prm_app.mail import service
from prm_app.mail.models import MailStatus, OutboxMessage
from prm_app.mail.queries import outbox_backlog, outbox_message, outbox_page
from prm_app.mail.rules import BACKOFF, MAX_ATTEMPTS
from prm_app.mail.service import Claimed, claim_due, mark_sent, queue_message, send_again, send_due_mail
from prm_app.platform.access import Role
from prm_app.platform.clock import utcnow
from prm_app.platform.db import savepoint, session_scope
from prm_app.platform.errors import PermissionDenied, ValidationError
from tests.conftest import SHARED_BACKENDS, race, shared_database
from tests.factories import actor_for, make_user

VALUES = {"name": "Casey", "link": "https://prm.example/reset-password/t", "minutes": 60}


def _queue(session: Session, to: str = "casey@example.com") -> int:
    message_id = queue_message(session, to=to, kind="password_reset", values=VALUES)
    session.commit()
    return message_id


def _status(session: Session, message_id: int) -> OutboxMessage:
    row = session.get(OutboxMessage, message_id, populate_existing=True)
    assert row is not None
    return row


class Recorder:
    """A transport that keeps what it was given, or fails with `error`."""

    def __init__(self, error: Exception | None = None) -> None:
        self.sent: list[Claimed] = []
        self.error = error

    def send(self, message: Claimed) -> None:
        if self.error is not None:
            raise self.error
        self.sent.append(message)


def _units(engine: Engine) -> Callable[[], AbstractContextManager[Session]]:
    return lambda: session_scope(engine)


@pytest.fixture
def kicks(monkeypatch) -> Iterator[list[str]]:
    """What the job runner was asked (the runtime's sender replaced by a list)."""
    asked: list[str] = []
    monkeypatch.setattr(service, "_senders", [lambda: asked.append("send")])
    yield asked


def test_a_message_exists_only_when_its_transaction_commits_and_then_the_runner_is_asked(session, kicks):
    queue_message(session, to="a@example.com", kind="password_reset", values=VALUES)
    assert kicks == []  # not before the commit: a consumer would find no row
    session.rollback()
    assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 0
    assert kicks == []

    message_id = queue_message(session, to="a@example.com", kind="password_reset", values=VALUES)
    queue_message(session, to="b@example.com", kind="password_reset", values=VALUES)
    session.commit()
    assert kicks == ["send"]  # once per transaction, however many messages it queued
    row = _status(session, message_id)
    assert (row.status, row.attempts, row.sent_at) == (MailStatus.QUEUED, 0, None)
    assert "Choose a new password" in row.text_body and "<a href=" in row.html_body


def test_a_savepoint_after_the_message_neither_asks_early_nor_forgets_it(session, kicks):
    """A use case that queues mail and then works in a savepoint (SQLAlchemy fires after_commit and after_rollback
    for savepoints too): the runner is asked once, at the real commit."""
    queue_message(session, to="a@example.com", kind="password_reset", values=VALUES)
    with savepoint(session):
        session.flush()
    try:
        with savepoint(session):
            raise LookupError
    except LookupError:
        pass
    assert kicks == []
    session.commit()
    assert kicks == ["send"]


def test_sending_marks_each_message_sent_once(engine, session):
    ids = [_queue(session, f"p{n}@example.com") for n in range(3)]
    transport = Recorder()
    run = send_due_mail(_units(engine), transport)
    assert (run.sent, run.retrying, run.failed) == (3, 0, 0)
    assert sorted(m.id for m in transport.sent) == ids
    for message_id in ids:
        row = _status(session, message_id)
        assert (row.status, row.attempts) == (MailStatus.SENT, 1) and row.sent_at is not None
    assert send_due_mail(_units(engine), transport).sent == 0  # nothing is sent twice
    assert len(transport.sent) == 3


def test_a_failing_server_is_retried_on_the_schedule_then_given_up(engine, session):
    message_id = _queue(session)
    now = utcnow()
    broken = Recorder(ConnectionRefusedError("connection refused"))
    for attempt, wait in enumerate(BACKOFF, start=1):
        run = send_due_mail(_units(engine), broken, clock=lambda now=now: now)
        assert run.retrying == 1
        row = _status(session, message_id)
        assert (row.status, row.attempts) == (MailStatus.QUEUED, attempt)
        assert row.next_attempt_at == now + wait and "connection refused" in row.last_error
        assert send_due_mail(_units(engine), broken, clock=lambda now=now: now).retrying == 0  # not due before the wait
        now = now + wait
    run = send_due_mail(_units(engine), broken, clock=lambda: now)
    assert run.failed == 1
    row = _status(session, message_id)
    assert (row.status, row.attempts) == (MailStatus.FAILED, MAX_ATTEMPTS)
    assert outbox_backlog(session) == 0


def test_an_admin_sends_a_failed_message_again(engine, session, kicks):
    admin = actor_for(make_user(session, Role.ADMIN))
    manager = actor_for(make_user(session, Role.CHANNEL_MANAGER))
    message_id = _queue(session)
    with pytest.raises(ValidationError):
        send_again(session, admin, message_id)  # only a failed one
    session.rollback()
    row = _status(session, message_id)
    row.status = MailStatus.FAILED
    session.add(row)
    session.commit()
    kicks.clear()
    with pytest.raises(PermissionDenied):
        send_again(session, manager, message_id)
    send_again(session, admin, message_id)
    session.commit()
    assert kicks == ["send"]
    row = _status(session, message_id)
    assert (row.status, row.attempts) == (MailStatus.QUEUED, 0)
    assert send_due_mail(_units(engine), Recorder()).sent == 1


def test_a_sender_that_died_mid_try_loses_its_lease_and_cannot_write_over_the_next_try(engine, session):
    message_id = _queue(session)
    now = utcnow()
    with session_scope(engine) as s:
        (dead,) = claim_due(s, now)  # claimed, then the process died before the server answered
    assert send_due_mail(_units(engine), Recorder(), clock=lambda: now).sent == 0  # leased, not due
    later = now + service.LEASE + timedelta(seconds=1)
    transport = Recorder()
    assert send_due_mail(_units(engine), transport, clock=lambda: later).sent == 1
    assert transport.sent[0].attempt == 2
    with session_scope(engine) as s:
        assert not mark_sent(s, dead, later)  # the dead try's late word changes nothing
    assert _status(session, message_id).attempts == 2


def test_the_outbox_page_is_for_admins_newest_first_paged_and_filtered(session):
    admin = actor_for(make_user(session, Role.ADMIN))
    ids = [_queue(session, f"p{n}@example.com") for n in range(30)]
    first = outbox_page(session, admin)
    assert (first.total, first.pages, len(first.rows)) == (30, 2, 25)
    assert first.rows[0].id == ids[-1] and first.rows[0].status == MailStatus.QUEUED
    assert len(outbox_page(session, admin, page=2).rows) == 5
    assert outbox_page(session, admin, status="sent").total == 0
    assert outbox_page(session, admin, page=99).page == 2
    assert "Choose a new password" in outbox_message(session, admin, ids[0]).text
    for role in (Role.CHANNEL_MANAGER, Role.EXEC, Role.PARTNER_ADMIN):
        with pytest.raises(PermissionDenied):
            outbox_page(session, actor_for(make_user(session, role)))
        with pytest.raises(PermissionDenied):
            outbox_message(session, actor_for(make_user(session, role)), ids[0])


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_two_senders_racing_claim_each_message_once(backend, tmp_path):
    with shared_database(backend, tmp_path, "mail_race") as engine:
        with Session(engine) as session:
            ids = {_queue(session, f"p{n}@example.com") for n in range(12)}
        now = utcnow()
        for _round in range(3):
            results = race(engine, *[lambda s: claim_due(s, now, limit=8)] * 2)
            assert not [r for r in results if isinstance(r, Exception)], results
            claimed = [m.id for batch in results for m in batch]  # type: ignore[attr-defined]
            assert len(claimed) == len(set(claimed))
            ids -= set(claimed)
        assert ids == set()  # between them they took every message, each once
        with Session(engine) as session:
            attempts = session.exec(select(OutboxMessage.attempts)).all()
        assert set(attempts) == {1}
