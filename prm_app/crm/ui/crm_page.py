"""CRM sync, for administrators: choose HubSpot or Salesforce, set the connection (API address, access token and the
secret inbound events are signed with: stored, never shown again), edit the field maps, run a sync, read the sync
log, check for drift and resolve each group in either direction, and see the inbound events received."""

from __future__ import annotations

import reflex as rx

from prm_app.crm.rules import DIRECTION_LABELS, OBJECTS, PROVIDER_LABELS
from prm_app.crm.ui.crm_state import CrmState, DriftLine, InboundLine, LogLine, MapLine
from prm_app.platform.access import Permission
from prm_app.web.components.confirm import confirm_button
from prm_app.web.components.forms import field, labelled, select_field
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, Nav, page

DIRECTIONS = [(k.value, v) for k, v in DIRECTION_LABELS.items()]


def _provider_choice() -> rx.Component:
    return rx.box(
        rx.el.label("CRM", html_for="field-provider", class_name="field-label"),
        rx.el.select(
            *[rx.el.option(label, value=value.value) for value, label in PROVIDER_LABELS.items()],
            id="field-provider",
            value=CrmState.provider,
            on_change=CrmState.choose,
            class_name="native-select",
        ),
        max_width="20rem",
    )


def _connection() -> rx.Component:
    return rx.card(
        rx.heading(CrmState.provider_label, " connection", size="4", as_="h2", margin_bottom="0.75rem"),
        rx.form(
            rx.vstack(
                rx.cond(CrmState.secrets_note != "", rx.callout(CrmState.secrets_note, icon="lock", width="100%")),
                field("API address", "base_url", CrmState.errors.get("base_url", ""), type="url",
                      default_value=CrmState.base_url,
                      hint="HubSpot: https://api.hubapi.com · Salesforce: your instance, e.g. "
                      "https://acme.my.salesforce.com"),
                field("Access token", "token", CrmState.errors.get("token", ""), type="password",
                      required=False, hint="A HubSpot private app token or a Salesforce OAuth access token."),
                field("Inbound signing secret", "inbound_secret", CrmState.errors.get("inbound_secret", ""),
                      type="password", required=False,
                      hint="HubSpot: the app's client secret (v3 signatures). Salesforce: the secret your Flow or "
                      "Apex callout signs with."),
                rx.text("The CRM sends its events to ", rx.code(CrmState.inbound_url), size="2"),
                rx.button("Save connection", type="submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=CrmState.save_connection,
            no_validate=True,
            reset_on_submit=False,
            aria_label="Connection",
            key=CrmState.provider,
        ),
        width="100%",
    )  # fmt: skip


def _map_row(m: rx.Var[MapLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(m.object_label),
        rx.table.cell(m.prm),
        rx.table.cell(rx.code(m.crm_field)),
        rx.table.cell(m.on_create),
        rx.table.cell(m.on_update),
        rx.table.cell(m.first_sync_only),
        rx.table.cell(
            confirm_button(
                "Delete", title="Delete the map of " + m.crm_field.to(str) + "?",
                consequence="Later syncs leave this CRM field alone.", on_confirm=CrmState.remove_map(m.id),
                confirm_label="Delete map", size="1", variant="soft",
                aria_label="Delete the map of " + m.object_label.to(str) + " " + m.crm_field.to(str),
            )
        ),
    )  # fmt: skip


def _map_form() -> rx.Component:
    errors = CrmState.map_errors
    return rx.form(
        rx.vstack(
            rx.heading("Add or change a field map", size="3", as_="h3"),
            rx.grid(
                labelled(errors, "Record", "object_name", rx.el.select(
                    *[rx.el.option(o.label.capitalize(), value=o.name) for o in OBJECTS.values()],
                    id="field-object_name", value=CrmState.map_object, on_change=CrmState.pick_object,
                    class_name="native-select",
                )),
                labelled(errors, "PRM field", "prm_field", rx.el.select(
                    rx.el.option("None: send a fixed value", value=""),
                    rx.foreach(CrmState.field_options, lambda o: rx.el.option(o.label, value=o.value)),
                    id="field-prm_field", name="prm_field", class_name="native-select", key=CrmState.map_object,
                )),
                field("CRM field (API name)", "crm_field", errors.get("crm_field", ""), hint="e.g. amount, dealname"),
                field("Fixed value", "fixed_value", errors.get("fixed_value", ""), required=False,
                      hint="Sent as it is when no PRM field is chosen"),
                select_field("When creating", "on_create", DIRECTIONS, "to_crm", errors.get("on_create", "")),
                select_field("When updating", "on_update", DIRECTIONS, "to_crm", errors.get("on_update", "")),
                columns={"initial": "1", "sm": "2"},
                spacing="3",
                width="100%",
            ),
            rx.el.label(rx.el.input(type="checkbox", name="first_sync_only", id="field-first_sync_only"),
                        " First sync only (the CRM owns the value afterwards)", class_name="check-row"),
            rx.button("Save field map", type="submit"),
            spacing="3",
            width="100%",
        ),
        on_submit=CrmState.save_map,
        no_validate=True,
        reset_on_submit=False,
        aria_label="Field map",
    )  # fmt: skip


def _log_row(line: rx.Var[LogLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(line.at),
        rx.table.cell(line.what),
        rx.table.cell(line.counts),
        rx.table.cell(rx.text(line.message, size="1", overflow_wrap="anywhere")),
    )


def _drift(d: rx.Var[DriftLine]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(d.title, weight="bold"),
            rx.text(d.example, size="2"),
            rx.hstack(
                rx.button("Use the PRM's values", size="2", on_click=CrmState.resolve(d.key, "to_crm"),
                          aria_label="Use the PRM's values: " + d.title.to(str)),
                rx.cond(d.writable, rx.button(
                    "Use the CRM's values", size="2", variant="soft", on_click=CrmState.resolve(d.key, "to_prm"),
                    aria_label="Use the CRM's values: " + d.title.to(str),
                )),
                wrap="wrap",
                spacing="2",
            ),
            spacing="2",
        ),
        width="100%",
    )  # fmt: skip


def _inbound_row(e: rx.Var[InboundLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.code(e.event_id)),
        rx.table.cell(e.occurred),
        rx.table.cell(e.record),
        rx.table.cell(rx.text(e.change, overflow_wrap="anywhere")),
        rx.table.cell(e.result),
    )


def _runs() -> rx.Component:
    return rx.vstack(
        rx.heading("Sync", size="4", as_="h2"),
        rx.text(CrmState.linked, " records are linked to a CRM record."),
        rx.hstack(
            rx.button("Run sync now", on_click=CrmState.start_sync, disabled=CrmState.running),
            rx.button("Check for drift", variant="soft", on_click=CrmState.check_drift, disabled=CrmState.running),
            rx.button("Refresh", variant="soft", on_click=CrmState.refresh),
            wrap="wrap",
            spacing="2",
        ),
        rx.box(
            rx.cond(CrmState.progress != "", rx.text(CrmState.progress)),
            rx.cond(CrmState.outcome != "", rx.callout(CrmState.outcome, icon=rx.cond(CrmState.failed, "circle_alert",
                    "check"), color_scheme=rx.cond(CrmState.failed, "red", "green"), high_contrast=True)),
            role="status",
            width="100%",
        ),
        rx.heading("Sync log", size="3", as_="h3"),
        rx.cond(CrmState.log.length() > 0,
                data_table(["When", "What", "Records", "Details"], CrmState.log, _log_row, label="Sync log"),
                rx.text("Nothing has run yet.")),
        rx.heading("Reconciliation", size="4", as_="h2"),
        rx.cond(CrmState.drift.length() > 0, rx.vstack(rx.foreach(CrmState.drift, _drift), width="100%"),
                rx.text("No drift found by the last check.")),
        rx.heading("Inbound events", size="4", as_="h2"),
        rx.cond(CrmState.inbound.length() > 0,
                data_table(["Event", "Happened", "CRM record", "Change", "Result"], CrmState.inbound, _inbound_row,
                           label="Inbound events"),
                rx.text("No events received yet.")),
        spacing="3",
        width="100%",
    )  # fmt: skip


def _body() -> rx.Component:
    return rx.cond(
        CrmState.checked,
        rx.cond(
            CrmState.allowed,
            rx.vstack(
                rx.text(
                    "Partners, their people, deals and leads go to the CRM by the field maps below; values the "
                    "CRM owns come back by its signed events or when you resolve drift."
                ),
                _provider_choice(),
                _connection(),
                rx.cond(
                    CrmState.connected,
                    rx.vstack(
                        rx.heading("Field maps", size="4", as_="h2"),
                        data_table(
                            [
                                "Record",
                                "PRM field",
                                "CRM field",
                                "When creating",
                                "When updating",
                                "First sync only",
                                "",
                            ],
                            CrmState.maps,
                            _map_row,
                            label="Field maps",
                        ),
                        _map_form(),
                        _runs(),
                        spacing="4",
                        width="100%",
                    ),
                ),
                spacing="4",
                width="100%",
            ),
            rx.callout("Only administrators manage CRM sync.", icon="info", width="100%"),
        ),
    )


@page(
    "/crm",
    title="CRM sync",
    audience=Audience.INTERNAL,
    on_load=CrmState.load,
    nav=Nav("CRM sync", "refresh_cw", 97, permission=Permission.MANAGE_CRM),
)
def crm_sync_page() -> rx.Component:
    return _body()
