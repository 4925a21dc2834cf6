"""The proof checklist of a fund request's claim, as the partner fills it and the reviewer reads it: each required
item ticked with its file (a download) or marked missing, with the message beside the item when a claim was refused
for it; and, for the partner, the uploader (which item, the file, Upload proof)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import reflex as rx

from prm_app.incentives.mdf_proofs import ProofView
from prm_app.incentives.ui.parts import private_upload
from prm_app.web.components.tables import data_table

PROOF_INPUT = "mdf-proof"


@dataclass(frozen=True)
class ProofRow:
    proof_id: int = 0  # 0: no file yet
    item: str = ""
    label: str = ""
    file_name: str = ""


def proof_rows(views: list[ProofView]) -> list[ProofRow]:
    return [ProofRow(v.proof_id or 0, v.item, v.label, v.file_name) for v in views]


def proof_checklist(rows: rx.Var, errors: rx.Var, download: Callable) -> rx.Component:
    """The checklist as a table: item, ticked (with the file to download) or missing, and the item's message."""

    def row(r: rx.Var[ProofRow]) -> rx.Component:
        message = errors.get("proof_" + r.item, "")
        return rx.table.row(
            rx.table.row_header_cell(r.label),
            rx.table.cell(
                rx.cond(
                    r.proof_id > 0,
                    rx.flex(
                        rx.icon("circle_check", size=16, color=rx.color("green", 11), aria_hidden="true"),
                        rx.text("Provided", size="2"),
                        rx.button(
                            "Download " + r.file_name,
                            on_click=download(r.proof_id),
                            variant="ghost",
                            size="1",
                            type="button",
                        ),
                        spacing="2",
                        align="center",
                        wrap="wrap",
                    ),
                    rx.flex(
                        rx.icon("circle_dashed", size=16, aria_hidden="true"),
                        rx.text("Missing", size="2"),
                        spacing="2",
                        align="center",
                    ),
                ),
                rx.cond(
                    message != "",
                    rx.text(message, size="2", weight="medium", color=rx.color("red", 11), role="alert"),
                ),
            ),
        )

    return data_table(["Proof", "File"], rows, row, label="Proof checklist")


def proof_uploader(
    rows: rx.Var, item: rx.Var, choose: Callable, upload: Callable, uploading: rx.Var, error: rx.Var
) -> rx.Component:
    """Which checklist item the file proves, the file, and the button that uploads it (a button outside any form)."""
    return rx.vstack(
        rx.el.label("Which proof", html_for="field-proof_item", class_name="field-label"),
        rx.el.select(
            rx.el.option("Choose the proof…", value=""),
            rx.foreach(rows, lambda r: rx.el.option(r.label, value=r.item)),
            id="field-proof_item",
            value=item,
            on_change=choose,
            class_name="native-select",
        ),
        *private_upload(PROOF_INPUT, "Proof file", "Upload proof", upload, uploading),
        rx.cond(error != "", rx.text(error, size="2", weight="medium", color=rx.color("red", 11), role="alert")),
        spacing="2",
        width="100%",
    )
