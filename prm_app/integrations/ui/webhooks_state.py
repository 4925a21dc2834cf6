"""The webhooks page's state: endpoints of the person's reach (an administrator's program-wide ones, a partner
admin's their organization's), the secret shown once after creation or rotation, and the deliveries of the endpoint
opened, with "Send test event" and "Redeliver". Handlers are one domain call each; the use cases check who may."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, tzinfo

import reflex as rx

from prm_app.identity import with_zone
from prm_app.integrations.ui.shown_once import show_secret
from prm_app.integrations.webhook_rules import EVENT_LABELS, EndpointInput
from prm_app.integrations.webhooks import (
    DeliveryRow,
    EndpointRow,
    create_endpoint,
    delete_endpoint,
    list_deliveries,
    list_endpoints,
    redeliver,
    rotate_secret,
    send_test_event,
)
from prm_app.platform.access import Permission
from prm_app.platform.errors import DomainError, FormInvalid
from prm_app.web.format import moment
from prm_app.web.state import AuthState

EVENT_FIELD = "event__"  # a checkbox per event type: event__deal.won
SECRET_FIELD_ID = "new-webhook-secret"  # noqa: S105 (an element id)


@dataclass(frozen=True)
class EndpointLine:
    id: int
    url: str
    events: str
    organization: str
    created: str
    status: str  # "Active", "Failing"
    failing: bool
    rotating: str  # "" or "Previous secret signs until …"
    counts: str


@dataclass(frozen=True)
class DeliveryLine:
    id: int
    event_id: str
    event_type: str
    status: str  # "Delivered", "Waiting", "Retrying", "Given up"
    ok: bool
    finished: bool  # delivered or given up: it may be redelivered
    attempts: int
    created: str
    last: str  # "HTTP 200 in 35 ms, 7 Dec 2026, 10:02 CET" or "Not tried yet"
    excerpt: str
    next_try: str


@dataclass(frozen=True)
class EventOption:
    value: str
    label: str


def endpoint_line(row: EndpointRow, zone: tzinfo = UTC) -> EndpointLine:
    return EndpointLine(
        id=row.id, url=row.url, events=", ".join(EVENT_LABELS.get(e, e) for e in row.events),
        organization=row.organization or "Whole program", created=moment(row.created_at, zone),
        status="Failing" if row.status == "failing" else "Active", failing=row.status == "failing",
        rotating=f"Previous secret signs until {moment(row.rotating_until, zone)}" if row.rotating_until else "",
        counts=f"{row.pending} waiting, {row.failed} given up",
    )  # fmt: skip


_STATUS = {"succeeded": "Delivered", "pending": "Retrying", "dead": "Given up"}


def delivery_line(row: DeliveryRow, zone: tzinfo = UTC) -> DeliveryLine:
    if row.last_at is None:
        last = "Not tried yet"
    else:
        answer = f"HTTP {row.last_status_code}" if row.last_status_code else "No answer"
        last = f"{answer} in {row.last_duration_ms} ms, {moment(row.last_at, zone)}"
    status = "Waiting" if row.status == "pending" and not row.attempts else _STATUS.get(row.status, row.status)
    return DeliveryLine(
        id=row.id, event_id=row.event_id, event_type=row.event_type, status=status, ok=row.status == "succeeded",
        finished=row.status != "pending",
        attempts=row.attempts, created=moment(row.created_at, zone), last=last, excerpt=row.last_excerpt,
        next_try=moment(row.next_attempt_at, zone) if row.status == "pending" else "",
    )  # fmt: skip


class WebhooksState(AuthState):
    allowed: bool = False
    checked: bool = False
    endpoints: list[EndpointLine] = []
    event_options: list[EventOption] = []
    errors: dict[str, str] = {}
    form_message: str = ""
    # The URL whose secret is shown: the secret itself is never a state var (see ApiKeysState.new_key_name).
    secret_for: str = ""
    opened_id: int = 0
    opened_url: str = ""
    deliveries: list[DeliveryLine] = []

    def _reload(self) -> None:
        rows, zone = self._run(with_zone, list_endpoints)
        self.endpoints = [endpoint_line(r, zone) for r in rows]
        if self.opened_id and not any(r.id == self.opened_id for r in rows):
            self.opened_id, self.opened_url, self.deliveries = 0, "", []
        if self.opened_id:
            found, zone = self._run(with_zone, list_deliveries, self.opened_id)
            self.deliveries = [delivery_line(d, zone) for d in found]

    @rx.event
    def load(self):
        actor = self._actor()
        self.secret_for = self.form_message = self.opened_url = ""
        self.errors, self.opened_id, self.deliveries = {}, 0, []
        self.allowed, self.checked = actor.can(Permission.MANAGE_API_KEYS), True
        self.event_options = [EventOption(k, v) for k, v in EVENT_LABELS.items()]
        if self.allowed:
            self._reload()

    @rx.event
    def create(self, form: dict):
        self.errors, self.form_message, self.secret_for = {}, "", ""
        events = tuple(k.removeprefix(EVENT_FIELD) for k, v in form.items() if k.startswith(EVENT_FIELD) and v)
        try:
            made = self._run(create_endpoint, EndpointInput(url=str(form.get("url", "")), events=events))
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        except DomainError as exc:
            self.form_message = exc.message
            return None
        self.secret_for = made.url
        self._reload()
        return [show_secret(made.secret, SECRET_FIELD_ID), rx.toast.success("Endpoint added. Copy its secret now.")]

    @rx.event
    def rotate(self, endpoint_id: int):
        try:
            made = self._run(rotate_secret, int(endpoint_id))
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self.secret_for = made.url
        self._reload()
        return [
            show_secret(made.secret, SECRET_FIELD_ID),
            rx.toast.success("New secret made: the previous one keeps signing for 24 hours."),
        ]

    @rx.event
    def dismiss(self):
        self.secret_for = ""

    @rx.event
    def remove(self, endpoint_id: int):
        try:
            self._run(delete_endpoint, int(endpoint_id))
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self._reload()
        return rx.toast.success("Endpoint deleted: it gets no more events.")

    @rx.event
    def open_deliveries(self, endpoint_id: int):
        chosen = next((e for e in self.endpoints if e.id == int(endpoint_id)), None)
        if chosen is None:
            return rx.toast.error("Webhook endpoint not found.")
        self.opened_id, self.opened_url = chosen.id, chosen.url
        try:
            self._reload()
        except DomainError as exc:
            self.opened_id, self.opened_url = 0, ""
            return rx.toast.error(exc.message)
        return None

    @rx.event
    def refresh(self):
        self._reload()

    @rx.event
    def send_test(self, endpoint_id: int):
        try:
            self._run(send_test_event, int(endpoint_id))
        except DomainError as exc:
            return rx.toast.error(exc.message)
        chosen = next((e for e in self.endpoints if e.id == int(endpoint_id)), None)
        if chosen is not None:
            self.opened_id, self.opened_url = chosen.id, chosen.url
        self._reload()
        return rx.toast.success("Test event queued: it shows in the deliveries below once sent.")

    @rx.event
    def resend(self, delivery_id: int):
        try:
            self._run(redeliver, int(delivery_id))
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self._reload()
        return rx.toast.success("Queued to be delivered again.")
