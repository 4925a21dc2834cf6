"""One asset for the channel team (/content/<id>): its stable link, versions with their usage (publish a new
version, roll back), usage per partner and month, preview as a partner (why it can or cannot see it), details and
audience, delete and restore; a co-brand template's zones come from cobrand_admin.py."""

from __future__ import annotations

import reflex as rx

from prm_app.content.ui.asset_admin_state import AssetAdminState
from prm_app.content.ui.asset_form import asset_fields
from prm_app.content.ui.cobrand_admin import cobrand_section
from prm_app.content.ui.cobrand_bulk import BulkRenderState
from prm_app.content.ui.display import UsageLine, VersionLine
from prm_app.content.ui.uploader import upload_box
from prm_app.web.components.confirm import confirm_button
from prm_app.web.components.forms import field, field_error
from prm_app.web.components.tables import data_table
from prm_app.web.layout import record_heading, record_page
from prm_app.web.registry import Audience, page

S = AssetAdminState


def _version_row(v: rx.Var[VersionLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(v.label, href=v.href)),
        rx.table.cell(v.file),
        rx.table.cell(v.added),
        rx.table.cell(v.changelog),
        rx.table.cell(v.views),
        rx.table.cell(v.downloads),
        rx.table.cell(
            rx.cond(
                v.is_current,
                rx.text("Served now", size="2"),
                rx.button(
                    "Roll back to this",
                    size="1",
                    variant="soft",
                    on_click=S.roll_back_to(v.n),
                    aria_label="Roll back to " + v.label,
                ),
            )
        ),
    )


def _usage_row(u: rx.Var[UsageLine]) -> rx.Component:
    return rx.table.row(rx.table.row_header_cell(u.label), rx.table.cell(u.views), rx.table.cell(u.downloads))


def _new_version() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Publish a new version", size="4", as_="h2"),
            rx.text("Older versions stay at their own links; the asset's link serves the new one at once.", size="2"),
            upload_box(S, "content_version_file", "New file"),
            field_error(S.errors, "file"),
            rx.form(
                rx.vstack(
                    field("What changed", "changelog", S.errors.get("changelog", ""), required=False),
                    rx.el.label(
                        rx.el.input(type="checkbox", name="material_change", id="field-material_change"),
                        " Material change: tell partners who downloaded an older version",
                        display="inline-flex",
                        gap="0.35rem",
                        align_items="center",
                    ),
                    rx.button("Publish version", type="submit"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=S.publish_version,
                reset_on_submit=True,
                aria_label="Publish a new version",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _preview_as() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Preview as a partner", size="4", as_="h2"),
            rx.form(
                rx.hstack(
                    rx.box(
                        rx.el.label("Partner", html_for="field-partner", class_name="field-label"),
                        rx.el.select(
                            rx.foreach(S.partner_choices, lambda p: rx.el.option(p[1], value=p[0])),
                            id="field-partner",
                            name="partner",
                            class_name="native-select",
                        ),
                    ),
                    rx.button("Check", type="submit"),
                    align="end",
                    spacing="3",
                    wrap="wrap",
                ),
                on_submit=S.preview_as,
                reset_on_submit=False,
                aria_label="Preview as a partner",
            ),
            rx.cond(
                S.preview_answer != "",
                rx.box(
                    rx.text(S.preview_answer, weight="medium", role="status"),
                    rx.el.ul(rx.foreach(S.preview_reasons, lambda r: rx.el.li(r))),
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _details() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Details and audience", size="4", as_="h2"),
                asset_fields(S.errors, S.values, S.audience_form, S.audience_options, S.times_zone, link=S.is_link),
                rx.button("Save details", type="submit"),
                spacing="3",
                width="100%",
            ),
            key=S.form_key,
            on_submit=S.save,
            reset_on_submit=False,
            no_validate=True,
            aria_label="Details and audience",
        ),
        width="100%",
    )


def _body() -> rx.Component:
    return rx.vstack(
        rx.text("Who sees it: ", S.audience_text),
        rx.hstack(
            rx.text("Languages: ", S.languages, size="2"),
            rx.link("Manage languages", href=S.languages_href, size="2"),
            spacing="3",
            wrap="wrap",
        ),
        rx.hstack(
            rx.link("Open as partners see it", href="/a/" + S.slug),
            rx.text("Stable link: /a/", S.slug, size="2", color_scheme="gray"),
            spacing="3",
            wrap="wrap",
        ),
        field_error(S.errors, "action"),
        rx.cond(
            S.deleted_note != "",
            rx.callout(
                rx.hstack(
                    rx.text(S.deleted_note),
                    rx.cond(S.can_restore, rx.button("Restore", on_click=S.restore, size="1")),
                    spacing="3",
                    align="center",
                ),
                icon="trash-2",
                color_scheme="red",
                width="100%",
            ),
            rx.vstack(
                rx.cond(
                    ~S.is_link,
                    rx.vstack(
                        rx.heading("Versions", size="4", as_="h2"),
                        data_table(
                            ["Version", "File", "Added", "What changed", "Views", "Downloads", ""],
                            S.versions,
                            _version_row,
                            label="Versions",
                        ),
                        _new_version(),
                        width="100%",
                    ),
                ),
                rx.heading("Usage", size="4", as_="h2"),
                rx.flex(
                    data_table(["Partner", "Views", "Downloads"], S.partners, _usage_row, label="Usage by partner"),
                    data_table(["Month (UTC)", "Views", "Downloads"], S.months, _usage_row, label="Usage by month"),
                    direction={"initial": "column", "md": "row"},
                    spacing="4",
                    width="100%",
                ),
                _preview_as(),
                rx.cond(S.is_cobrand, cobrand_section()),
                _details(),
                confirm_button(
                    "Delete asset",
                    title="Delete this asset?",
                    consequence="Partners lose it at once. An admin can restore it for 30 days; then it is gone.",
                    on_confirm=S.delete,
                ),
                spacing="4",
                width="100%",
            ),
        ),
        spacing="4",
        width="100%",
    )


@page("/content/[asset_id]", title="Asset", audience=Audience.INTERNAL, on_load=[S.load, BulkRenderState.load])
@record_page
def asset_admin_page() -> rx.Component:
    return rx.vstack(
        record_heading(S.title, [("Content", "/content")], "Asset"),
        rx.cond(S.found, _body(), rx.text("There is no such asset.")),
        width="100%",
    )
