"""Outbound mail: an outbox written in the transaction of the change it announces, sent by the job runner over
SMTP with retries (service.py says what is guaranteed), and the admin's Outbox page."""

from prm_app.mail.models import MailStatus, OutboxMessage
from prm_app.mail.queries import OutboxDetail, OutboxPage, OutboxRow, outbox_backlog, outbox_message, outbox_page
from prm_app.mail.rules import shown
from prm_app.mail.service import (
    Reader,
    SendRun,
    queue_message,
    queue_with_change,
    register_sender,
    send_again,
    send_due_mail,
)
from prm_app.mail.smtp import SmtpTransport

__all__ = [
    "MailStatus",
    "OutboxDetail",
    "OutboxMessage",
    "OutboxPage",
    "OutboxRow",
    "Reader",
    "SendRun",
    "SmtpTransport",
    "outbox_backlog",
    "outbox_message",
    "outbox_page",
    "queue_message",
    "queue_with_change",
    "register_sender",
    "send_again",
    "send_due_mail",
    "shown",
]
