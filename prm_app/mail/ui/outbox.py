"""The Outbox (administrators): every message the app sent or will send, its status and last error; read one,
send a failed one again. Without PRM_SMTP_URL (the demo) messages stay queued here, and this is where to read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, tzinfo

import reflex as rx

from prm_app.identity import with_zone
from prm_app.mail.models import MailStatus
from prm_app.mail.queries import OutboxRow, outbox_message, outbox_page
from prm_app.mail.service import send_again
from prm_app.platform.access import Permission
from prm_app.platform.errors import DomainError
from prm_app.platform.settings import settings
from prm_app.web.components.tables import data_table, pager
from prm_app.web.format import moment
from prm_app.web.registry import Audience, Nav, page
from prm_app.web.state import AuthState

STATUS_LABELS = {
    MailStatus.QUEUED: "Queued",
    MailStatus.SENT: "Sent",
    MailStatus.FAILED: "Failed",
    MailStatus.WITHDRAWN: "Withdrawn",
}
FILTERS = [("", "All messages"), *((s.value, label) for s, label in STATUS_LABELS.items())]


@dataclass(frozen=True)
class OutboxLine:
    id: int
    to_address: str
    subject: str
    kind: str
    status: str
    status_label: str
    attempts: int
    created: str
    last_error: str


def outbox_line(row: OutboxRow, zone: tzinfo = UTC) -> OutboxLine:
    """The message's row, its creation moment in the reader's `zone`."""
    return OutboxLine(
        id=row.id,
        to_address=row.to_address,
        subject=row.subject,
        kind=row.kind.replace("_", " "),
        status=row.status.value,
        status_label=STATUS_LABELS[row.status],
        attempts=row.attempts,
        created=moment(row.created_at, zone),
        last_error=row.last_error,
    )


class OutboxState(AuthState):
    allowed: bool = False
    checked: bool = False  # until load has asked, neither the list nor the refusal shows
    smtp_configured: bool = bool(settings.smtp_url)
    rows: list[OutboxLine] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    status: str = ""
    open_id: int = 0  # the message being read (0: none)
    open_subject: str = ""
    open_to: str = ""
    open_text: str = ""

    def _query(self) -> None:
        result, zone = self._run(with_zone, outbox_page, self.page, self.status)
        self.rows = [outbox_line(r, zone) for r in result.rows]
        self.total, self.page, self.pages = result.total, result.page, result.pages

    @rx.event
    def load(self):
        self.open_id, self.allowed, self.checked = 0, self._actor().can(Permission.READ_OUTBOX), True
        if self.allowed:
            self._query()

    @rx.event
    def set_status(self, value: str):
        self.status = value if value in {s.value for s in MailStatus} else ""
        self.page, self.open_id = 1, 0
        self._query()

    @rx.event
    def go_to(self, page: int):
        self.page = int(page)
        self._query()

    @rx.event
    def read(self, message_id: int):
        detail = self._run(outbox_message, int(message_id))
        self.open_id, self.open_subject = detail.row.id, detail.row.subject
        self.open_to, self.open_text = detail.row.to_address, detail.text

    @rx.event
    def close(self):
        self.open_id = 0

    @rx.event
    def retry(self, message_id: int):
        try:
            self._run(send_again, int(message_id))
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self._query()
        return rx.toast.success("The message is queued to be sent again.")


def _row(m: rx.Var[OutboxLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(m.to_address),
        rx.table.cell(m.subject),
        rx.table.cell(m.kind),
        rx.table.cell(
            rx.badge(
                m.status_label,
                color_scheme=rx.match(m.status, ("sent", "green"), ("failed", "red"), "gray"),
                high_contrast=True,
            )
        ),
        rx.table.cell(m.attempts),
        rx.table.cell(rx.text(m.last_error, size="1")),
        rx.table.cell(m.created),
        rx.table.cell(
            rx.hstack(
                rx.button(
                    "Read",
                    size="1",
                    variant="soft",
                    aria_label="Read " + m.subject.to(str),
                    on_click=OutboxState.read(m.id),
                ),
                rx.cond(
                    m.status == "failed",
                    rx.button(
                        "Send again",
                        size="1",
                        aria_label="Send again to " + m.to_address.to(str),
                        on_click=OutboxState.retry(m.id),
                    ),
                ),
                spacing="2",
            )
        ),
    )


def _reader() -> rx.Component:
    return rx.cond(
        OutboxState.open_id != 0,
        rx.card(
            rx.vstack(
                rx.heading(OutboxState.open_subject, size="4", as_="h2"),
                rx.text("To ", rx.text.strong(OutboxState.open_to), size="2"),
                rx.el.pre(OutboxState.open_text, class_name="mail-text", white_space="pre-wrap", width="100%"),
                rx.button("Close", variant="soft", on_click=OutboxState.close),
                spacing="3",
                width="100%",
            ),
            role="region",
            aria_label="Open message",
            width="100%",
        ),
    )


@page(
    "/outbox",
    title="Outbox",
    audience=Audience.INTERNAL,
    on_load=OutboxState.load,
    nav=Nav("Outbox", "mail", 90, Permission.READ_OUTBOX),
)
def outbox_page_view() -> rx.Component:
    return rx.cond(
        OutboxState.allowed,
        rx.vstack(
            rx.cond(
                OutboxState.smtp_configured,
                rx.text("Messages go out through the configured mail server within seconds; failed tries are retried."),
                rx.callout(
                    "No mail server is configured (PRM_SMTP_URL), so messages stay here, queued. "
                    "Read them here, or set PRM_SMTP_URL and they go out.",
                    icon="info",
                    width="100%",
                ),
            ),
            rx.box(
                rx.el.label("Show", html_for="field-status", class_name="field-label"),
                rx.el.select(
                    *[rx.el.option(text, value=value) for value, text in FILTERS],
                    id="field-status",
                    value=OutboxState.status,
                    on_change=OutboxState.set_status,
                    class_name="native-select",
                ),
            ),
            _reader(),
            data_table(
                ["To", "Subject", "Kind", "Status", "Tries", "Last error", "Created", "Actions"],
                OutboxState.rows,
                _row,
                label="Messages",
            ),
            rx.cond(OutboxState.total == 0, rx.text("No messages.", color_scheme="gray")),
            pager(OutboxState.page, OutboxState.pages, OutboxState.go_to),
            spacing="4",
            width="100%",
        ),
        rx.cond(OutboxState.checked, rx.callout("Only administrators read the outbox.", icon="lock", width="100%")),
    )
