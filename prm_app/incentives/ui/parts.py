"""Pieces the incentive pages share: the fund request's fields, a request's card, a claim's lines, a private upload."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from prm_app.incentives.ui.display import LineRow, RequestRow
from prm_app.web.components.drop_zone import drop_zone
from prm_app.web.components.forms import field, labelled
from prm_app.web.components.tables import data_table


def money_form_fields(errors: rx.Var, activities: list[tuple[str, str]], values: rx.Var | None = None) -> rx.Component:
    """The fields of a fund request (activity, title, dates, expected leads, amount, contribution); `values` (a
    dict var) fills them when a returned request is fixed."""

    def value(name: str) -> rx.Var | str:
        return values.get(name, "") if values is not None else ""

    return rx.vstack(
        labelled(
            errors,
            "Activity type",
            "activity_type",
            rx.el.select(
                rx.el.option("Choose an activity…", value=""),
                *[rx.el.option(label, value=key) for key, label in activities],
                id="field-activity_type",
                name="activity_type",
                class_name="native-select",
                default_value=value("activity_type"),
            ),
        ),
        field("Activity name", "title", errors.get("title", ""), default_value=value("title")),
        rx.flex(
            field("First day", "starts_on", errors.get("starts_on", ""), type="date", default_value=value("starts_on")),
            field("Last day", "ends_on", errors.get("ends_on", ""), type="date", default_value=value("ends_on")),
            spacing="3",
            width="100%",
            direction={"initial": "column", "sm": "row"},
        ),
        field(
            "Expected leads",
            "expected_leads",
            errors.get("expected_leads", ""),
            type="number",
            default_value=value("expected_leads"),
            required=False,
        ),
        rx.flex(
            field(
                "Amount requested",
                "requested_amount",
                errors.get("requested_amount", ""),
                default_value=value("requested_amount"),
                hint="In the budget's currency",
            ),
            field(
                "Your contribution",
                "partner_contribution",
                errors.get("partner_contribution", ""),
                default_value=value("partner_contribution"),
                required=False,
            ),
            spacing="3",
            width="100%",
            direction={"initial": "column", "sm": "row"},
        ),
        spacing="3",
        width="100%",
    )


def request_card(r: rx.Var[RequestRow], href_prefix: str) -> rx.Component:
    """A request's facts, decision and deadline, linked to its own page."""
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.link(rx.text(r.title, weight="bold"), href=href_prefix + r.id.to_string()),
                rx.badge(r.status, variant="soft"),
                rx.cond(r.partner != "", rx.text(r.partner, size="2", color_scheme="gray")),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.text(r.activity, " · ", r.dates, " · ", r.requested, " requested", size="2"),
            rx.cond(r.approved != "", rx.text("Approved: ", r.approved, size="2")),
            rx.cond(r.deadline != "", rx.text(r.deadline, size="2", weight="medium", color=rx.color("amber", 11))),
            rx.cond(r.note != "", rx.text("Note: ", r.note, size="2")),
            rx.cond(r.claim_code != "", rx.text("Claim: ", r.claim_status, size="2")),
            spacing="1",
            width="100%",
        ),
        width="100%",
    )


def claim_lines(lines: rx.Var, download, actions=None) -> rx.Component:
    """The claim's lines: what was claimed and what was accepted, with the reviewer's note and any duplicate;
    `download(line_id)` is the page's handler that sends a line's invoice."""

    def row(line: rx.Var[LineRow]) -> rx.Component:
        return rx.table.row(
            rx.table.row_header_cell(
                line.description,
                rx.text("Invoice ", line.invoice, size="1", color_scheme="gray", as_="p"),
                rx.button(
                    "Download " + line.file_name,
                    on_click=download(line.id),
                    variant="ghost",
                    size="1",
                    type="button",
                ),
                rx.cond(line.duplicate != "", rx.text(line.duplicate, size="1", color=rx.color("red", 11), as_="p")),
            ),
            rx.table.cell(line.claimed, white_space="nowrap"),
            rx.table.cell(line.final, white_space="nowrap"),
            rx.table.cell(line.status, rx.cond(line.note != "", rx.text(line.note, size="1", as_="p"))),
            *([rx.table.cell(actions(line))] if actions else []),
        )

    headers = ["Cost", "Claimed", "Accepted", "Decision", *(["Review"] if actions else [])]
    return data_table(headers, lines, row, label="Claim lines")


def private_upload(upload_id: str, label: str, button: str, upload: Any, uploading: rx.Var) -> list[rx.Component]:
    """A labelled drop zone for one PDF, PNG or JPEG (up to 10 MB) and the button that streams it to `upload`, the
    page's background handler (which checks it by content and stores it privately). A button, not a form submit."""
    # The drop zone inside its <label> (web/components/drop_zone.py): axe wants every form element labelled, and a
    # label's `for` would name the zone's <div>, not the input.
    return [
        drop_zone(
            upload_id,
            f"{label} (PDF, PNG or JPEG, up to 10 MB)",
            {"application/pdf": [".pdf"], "image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"]},
            compact=True,
        ),
        rx.button(
            button,
            type="button",
            loading=uploading,
            variant="soft",
            on_click=upload(rx.upload_files_chunk(upload_id=upload_id)),
        ),
    ]


def attachment(state: Any, use_case: Callable[..., tuple[bytes, str]], record_id: object) -> Any:
    """The private file `use_case(session, actor, record_id) -> (content, name)` gives, as a download (the use case
    checks who asks); nothing for an id that is not a plain int (any client can call a handler with anything)."""
    if isinstance(record_id, int) and not isinstance(record_id, bool):
        content, name = state._run(use_case, record_id)
        return rx.download(data=content, filename=name)
    return None
