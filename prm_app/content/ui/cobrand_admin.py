"""The co-brand part of an asset's page: the template's current PDF to read positions from, its zones (add in a
form: page, x, y, width, height in PDF points from the bottom-left corner; remove), the partners it is open to with
who lacks a logo, and generating every partner's copy at once (a job run followed live: cobrand_bulk.py)."""

from __future__ import annotations

import reflex as rx

from prm_app.content.rules import PROFILE_FIELDS, ZONE_LABELS
from prm_app.content.ui.asset_admin_state import AssetAdminState, ReadyLine, ZoneLine
from prm_app.content.ui.cobrand_bulk import bulk_section
from prm_app.web.components.forms import field, select_field
from prm_app.web.components.tables import data_table

S = AssetAdminState
KIND_OPTIONS = [(k.value, label) for k, label in ZONE_LABELS.items()]
BINDING_OPTIONS = [("", "(not a profile field)"), *PROFILE_FIELDS.items()]


def _zone_row(z: rx.Var[ZoneLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(z.text),
        rx.table.cell(
            rx.button(
                "Remove",
                size="1",
                variant="soft",
                color_scheme="red",
                on_click=S.remove_zone(z.id),
                aria_label="Remove zone: " + z.text,
            )
        ),
    )


def _ready_row(r: rx.Var[ReadyLine]) -> rx.Component:
    return rx.table.row(rx.table.row_header_cell(r.name), rx.table.cell(r.logo), rx.table.cell(r.rendered))


def _zone_form() -> rx.Component:
    e = S.errors
    row = {"initial": "column", "sm": "row"}
    return rx.form(
        rx.vstack(
            rx.heading("Add a zone", size="3", as_="h3"),
            rx.flex(
                field("Page", "page", e.get("page", ""), type="number", default_value="1"),
                field("x (pt)", "x", e.get("x", ""), type="number", default_value="36"),
                field("y (pt)", "y", e.get("y", ""), type="number", default_value="36"),
                field("Width (pt)", "w", e.get("w", ""), type="number", default_value="160"),
                field("Height (pt)", "h", e.get("h", ""), type="number", default_value="40"),
                direction=row,
                spacing="2",
                width="100%",
            ),
            rx.flex(
                select_field("Shows", "kind", KIND_OPTIONS, error=e.get("kind", "")),
                select_field("Profile field", "binding", BINDING_OPTIONS, error=e.get("binding", "")),
                field("Text (free text zones)", "text", e.get("text", ""), required=False),
                direction=row,
                spacing="2",
                width="100%",
            ),
            rx.el.label(
                rx.el.input(type="checkbox", name="locked", id="field-locked"),
                " Locked: partners may not change its text",
                display="inline-flex",
                gap="0.35rem",
                align_items="center",
            ),
            rx.button("Add zone", type="submit"),
            spacing="3",
            width="100%",
        ),
        on_submit=S.add_zone,
        reset_on_submit=False,
        no_validate=True,
        aria_label="Add a zone",
        width="100%",
    )


def cobrand_section() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Co-brand template", size="4", as_="h2"),
            rx.text(
                "Positions are in PDF points (72 to the inch) from the page's bottom-left corner; A4 is 595 × 842, "
                "US Letter 612 × 792.",
                size="2",
            ),
            rx.el.iframe(src=S.template_src, title="The template's current PDF", width="100%", height="480px"),
            data_table(["Zone", ""], S.zones, _zone_row, label="Zones"),
            _zone_form(),
            rx.heading("Partners", size="3", as_="h3"),
            rx.text(S.missing_logos.to_string() + " of the partners it is open to have no logo yet.", size="2"),
            bulk_section(S.slug),
            data_table(
                ["Partner", "Logo", "Copy of the current version"], S.ready, _ready_row, label="Partners' copies"
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
