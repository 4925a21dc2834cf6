"""Mail over a real SMTP server (aiosmtpd on a local port): what arrives is what the outbox holds, in plain text
and HTML; a refusing server leaves the message queued for its next try."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session

from prm_app.mail.models import MailStatus, OutboxMessage
from prm_app.mail.service import queue_message, send_due_mail
from prm_app.mail.smtp import SmtpTransport
from prm_app.platform.db import session_scope
from tests.mail.smtp_sink import Sink, start_sink, text_of

VALUES = {"name": "Casey <Admin>", "link": "https://prm.example/reset-password/tok", "minutes": 60}


@pytest.fixture
def sink() -> Iterator[tuple[str, Sink]]:
    controller, sink = start_sink()
    try:
        yield f"smtp://{controller.hostname}:{controller.port}", sink
    finally:
        controller.stop()


def test_a_queued_message_arrives_as_plain_text_and_html(engine, session: Session, sink):
    url, server = sink
    message_id = queue_message(session, to="casey@example.com", kind="password_reset", values=VALUES)
    session.commit()
    transport = SmtpTransport(url, "Open PRM <no-reply@prm.example>")
    assert send_due_mail(lambda: session_scope(engine), transport).sent == 1
    ((recipients, mail),) = server.received
    assert recipients == ["casey@example.com"]
    assert mail["Subject"] == "Reset your Open PRM password"
    assert mail["From"] == "Open PRM <no-reply@prm.example>" and mail["To"] == "casey@example.com"
    assert mail["Message-ID"] == f"<outbox-{message_id}@prm.example>"
    assert "Hello Casey <Admin>," in text_of(mail) and "https://prm.example/reset-password/tok" in text_of(mail)
    assert "Hello Casey &lt;Admin&gt;," in text_of(mail, "html")
    row = session.get(OutboxMessage, message_id, populate_existing=True)
    assert row is not None and row.status == MailStatus.SENT


def test_a_refusing_server_leaves_the_message_queued_with_its_answer(engine, session: Session, sink):
    url, server = sink
    server.refuse = True
    message_id = queue_message(session, to="casey@example.com", kind="password_reset", values=VALUES)
    session.commit()
    run = send_due_mail(lambda: session_scope(engine), SmtpTransport(url, "no-reply@prm.example"))
    assert (run.sent, run.retrying) == (0, 1)
    row = session.get(OutboxMessage, message_id, populate_existing=True)
    assert row is not None and (row.status, row.attempts) == (MailStatus.QUEUED, 1)
    assert "451" in row.last_error and server.received == []


def test_nobody_listening_is_a_failed_try_not_a_crash(engine, session: Session):
    message_id = queue_message(session, to="casey@example.com", kind="password_reset", values=VALUES)
    session.commit()
    run = send_due_mail(lambda: session_scope(engine), SmtpTransport("smtp://127.0.0.1:1", "no-reply@prm.example"))
    assert run.retrying == 1
    row = session.get(OutboxMessage, message_id, populate_existing=True)
    assert row is not None and "ConnectionRefusedError" in row.last_error
