"""A real SMTP server for tests (aiosmtpd) that keeps what arrives; shared by the mail tests and the e2e tests."""

from __future__ import annotations

import socket
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

PORTS = range(2525, 2536)  # the local SMTP test ports of this machine


class Sink:
    """aiosmtpd handler: every accepted message, parsed; `refuse` makes it answer 451 (a temporary failure)."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []
        self.refuse = False

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.refuse:
            return "451 4.3.0 Try again later"
        parsed = message_from_bytes(envelope.original_content or b"", policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def wait_for(self, count: int = 1, timeout: float = 20.0) -> list[tuple[list[str], EmailMessage]]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.received

    def wait_for_address(self, address: str, count: int = 1, timeout: float = 30.0) -> list[EmailMessage]:
        """The messages to `address` once `count` have arrived; fails after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while len(self.for_address(address)) < count:
            assert time.monotonic() < deadline, f"{count} message(s) to {address} did not arrive in {timeout} s"
            time.sleep(0.1)
        return self.for_address(address)

    def for_address(self, address: str) -> list[EmailMessage]:
        return [m for rcpts, m in self.received if address in rcpts]


def start_sink() -> tuple[Controller, Sink]:
    """A running server on the first free port of PORTS (test processes running side by side take the next)."""
    sink = Sink()
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                continue  # taken
        controller = Controller(sink, hostname="127.0.0.1", port=port, ready_timeout=10)
        try:
            controller.start()
        except (OSError, RuntimeError):  # taken between the probe and the bind
            continue
        return controller, sink
    raise RuntimeError(f"no free SMTP test port in {PORTS.start}-{PORTS.stop - 1}")


def text_of(message: EmailMessage, subtype: str = "plain") -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None, f"no text/{subtype} part"
    return str(part.get_content())
