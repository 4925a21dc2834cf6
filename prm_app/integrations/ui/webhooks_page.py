"""Webhooks, for administrators (program-wide endpoints, in the console) and partner admins (their organization's
events, in the portal): add an endpoint with its URL and events, copy its signing secret while it is shown (once),
rotate it, send a test event, and see each endpoint's deliveries with their last answer and a Redeliver button."""

from __future__ import annotations

import reflex as rx

from prm_app.integrations.ui.shown_once import code_choices, secret_callout
from prm_app.integrations.ui.webhooks_state import (
    EVENT_FIELD,
    SECRET_FIELD_ID,
    DeliveryLine,
    EndpointLine,
    WebhooksState,
)
from prm_app.platform.access import Permission
from prm_app.web.components.confirm import confirm_button
from prm_app.web.components.forms import field, form_error
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, Nav, page


def _secret() -> rx.Component:
    return secret_callout(
        WebhooksState.secret_for,
        rx.callout.text(
            "The signing secret of ",
            rx.code(WebhooksState.secret_for),
            ". Copy it now into your receiver: it is shown only this once. Each message carries the "
            "webhook-id, webhook-timestamp and webhook-signature headers (Standard Webhooks).",
        ),
        "Signing secret",
        SECRET_FIELD_ID,
        WebhooksState.dismiss,
    )


def _create_form() -> rx.Component:
    return rx.card(
        rx.heading("Add an endpoint", size="4", as_="h2", margin_bottom="0.75rem"),
        rx.form(
            rx.vstack(
                form_error(WebhooksState.form_message),
                field(
                    "Endpoint URL",
                    "url",
                    WebhooksState.errors.get("url", ""),
                    type="url",
                    hint="Where the events are POSTed, e.g. https://example.com/hooks/prm",
                ),
                code_choices(
                    "Events to send", WebhooksState.event_options, EVENT_FIELD, WebhooksState.errors, "events"
                ),
                rx.button("Add endpoint", type="submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=WebhooksState.create,
            no_validate=True,
            reset_on_submit=False,
            aria_label="Add an endpoint",
        ),
        width="100%",
    )


def _endpoint(e: rx.Var[EndpointLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(e.url, overflow_wrap="anywhere")),
        rx.table.cell(rx.text(e.events, size="1")),
        rx.table.cell(e.organization),
        rx.table.cell(
            rx.badge(e.status, color_scheme=rx.cond(e.failing, "red", "green"), high_contrast=True),
            rx.cond(e.rotating != "", rx.text(e.rotating, size="1")),
        ),
        rx.table.cell(e.counts),
        rx.table.cell(
            rx.hstack(
                rx.button("Deliveries", size="1", variant="soft", on_click=WebhooksState.open_deliveries(e.id),
                          aria_label="Deliveries of " + e.url.to(str)),
                rx.button("Send test event", size="1", variant="soft", on_click=WebhooksState.send_test(e.id),
                          aria_label="Send a test event to " + e.url.to(str)),
                confirm_button(
                    "Rotate secret",
                    title="Make a new secret for " + e.url.to(str) + "?",
                    consequence="Messages are signed with both the new and the current secret for 24 hours, then "
                    "with the new one only: update your receiver within that time.",
                    on_confirm=WebhooksState.rotate(e.id),
                    confirm_label="Make a new secret",
                    size="1",
                    variant="soft",
                    aria_label="Rotate the secret of " + e.url.to(str),
                ),
                confirm_button(
                    "Delete",
                    title="Delete the endpoint " + e.url.to(str) + "?",
                    consequence="It gets no more events, and deliveries still waiting are not sent.",
                    on_confirm=WebhooksState.remove(e.id),
                    confirm_label="Delete endpoint",
                    size="1",
                    variant="soft",
                    aria_label="Delete the endpoint " + e.url.to(str),
                ),
                wrap="wrap",
                spacing="2",
            )
        ),
    )  # fmt: skip


def _delivery(d: rx.Var[DeliveryLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.code(d.event_type)),
        rx.table.cell(rx.code(d.event_id, size="1")),
        rx.table.cell(rx.badge(d.status, color_scheme=rx.cond(d.ok, "green", "amber"), high_contrast=True)),
        rx.table.cell(d.attempts),
        rx.table.cell(d.created),
        rx.table.cell(rx.text(d.last), rx.cond(d.next_try != "", rx.text("Next try ", d.next_try, size="1"))),
        rx.table.cell(rx.text(d.excerpt, size="1", overflow_wrap="anywhere")),
        rx.table.cell(
            rx.cond(
                d.finished,
                rx.button("Redeliver", size="1", variant="soft", on_click=WebhooksState.resend(d.id),
                          aria_label="Redeliver " + d.event_type.to(str) + " " + d.event_id.to(str)),
            )
        ),
    )  # fmt: skip


def _deliveries() -> rx.Component:
    return rx.cond(
        WebhooksState.opened_id != 0,
        rx.vstack(
            rx.heading("Deliveries to ", WebhooksState.opened_url, size="4", as_="h2", overflow_wrap="anywhere"),
            rx.button("Refresh", size="1", variant="soft", on_click=WebhooksState.refresh),
            rx.cond(
                WebhooksState.deliveries.length() > 0,
                data_table(
                    ["Event", "Webhook id", "Status", "Tries", "Created", "Last try", "Answer", ""],
                    WebhooksState.deliveries,
                    _delivery,
                    label="Deliveries",
                ),
                rx.text("Nothing sent to this endpoint yet."),
            ),
            spacing="3",
            width="100%",
        ),
    )


def _body() -> rx.Component:
    return rx.cond(
        WebhooksState.checked,
        rx.cond(
            WebhooksState.allowed,
            rx.vstack(
                rx.text(
                    "Webhooks tell your own systems what happens here as it happens: each event is POSTed as JSON, "
                    "signed, and retried for about a day if your receiver does not answer with 2xx."
                ),
                _secret(),
                _create_form(),
                rx.heading("Endpoints", size="4", as_="h2"),
                rx.cond(
                    WebhooksState.endpoints.length() > 0,
                    data_table(
                        ["URL", "Events", "For", "Status", "Deliveries", ""],
                        WebhooksState.endpoints,
                        _endpoint,
                        label="Webhook endpoints",
                    ),
                    rx.text("No endpoints yet."),
                ),
                _deliveries(),
                spacing="4",
                width="100%",
            ),
            rx.callout("Only administrators and partner admins manage webhooks.", icon="info", width="100%"),
        ),
    )


_NAV = Nav("Webhooks", "webhook", 96, permission=Permission.MANAGE_API_KEYS)


@page("/webhooks", title="Webhooks", audience=Audience.INTERNAL, on_load=WebhooksState.load, nav=_NAV)
def webhooks_page() -> rx.Component:
    return _body()


@page("/portal/webhooks", title="Webhooks", audience=Audience.PARTNER, on_load=WebhooksState.load, nav=_NAV)
def portal_webhooks_page() -> rx.Component:
    return _body()
