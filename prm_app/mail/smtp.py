"""Handing a message to the SMTP server named by PRM_SMTP_URL (stdlib smtplib: plain, STARTTLS or TLS)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate

from prm_app.mail.rules import SmtpServer, parse_smtp_url
from prm_app.mail.service import Claimed

TIMEOUT_SECONDS = 30


def build_email(message: Claimed, sender: str, domain: str) -> EmailMessage:
    """The MIME message: plain text first, HTML as the alternative. The Message-ID comes from the outbox id, so
    a message sent twice (the at-least-once window, see service.py) is recognisably the same message."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = f"<outbox-{message.id}@{domain}>"
    email.set_content(message.text)
    email.add_alternative(message.html, subtype="html")
    return email


class SmtpTransport:
    """One SMTP connection per batch would be faster; one per message keeps a broken connection from failing the
    messages after it, and volumes here are small (invitations, resets)."""

    def __init__(self, url: str, sender: str) -> None:
        self.server: SmtpServer = parse_smtp_url(url)
        self.sender = sender
        self.domain = sender.rsplit("@", 1)[-1].strip(" >") or "localhost"

    def _connect(self) -> smtplib.SMTP:
        s = self.server
        if s.tls:
            return smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context())
        return smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_SECONDS)

    def send(self, message: Claimed) -> None:
        with self._connect() as smtp:
            if self.server.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.server.username:
                smtp.login(self.server.username, self.server.password)
            smtp.send_message(build_email(message, self.sender, self.domain))
