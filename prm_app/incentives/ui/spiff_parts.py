"""A SPIFF claim as a row, for the rep's page and the managers' queue (the evidence a download, the decision and
its reason beside it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo

import reflex as rx

from prm_app.incentives.spiff_claims import SpiffClaimView
from prm_app.incentives.ui.display import amount
from prm_app.web.components.tables import data_table
from prm_app.web.format import moment

STATUS = {"pending": "Waiting for review", "approved": "Approved", "rejected": "Rejected"}


@dataclass(frozen=True)
class SpiffClaimRow:
    id: int = 0
    spiff: str = ""
    deal: str = ""
    who: str = ""  # "Rep Name · Partner"
    bonus: str = ""
    status: str = ""
    pending: bool = False
    reason: str = ""
    file_name: str = ""
    at: str = ""


def spiff_claim_row(v: SpiffClaimView, zone: tzinfo) -> SpiffClaimRow:
    status = STATUS.get(v.status, v.status)
    return SpiffClaimRow(
        v.id, v.spiff, v.deal, f"{v.rep} · {v.organization}", amount(v.bonus, v.currency), status,
        v.status == "pending", v.reason, v.file_name, moment(v.created_at, zone),
    )  # fmt: skip


def spiff_claims_table(rows: rx.Var, download: Callable, actions: Callable | None = None) -> rx.Component:
    def row(c: rx.Var[SpiffClaimRow]) -> rx.Component:
        return rx.table.row(
            rx.table.row_header_cell(
                c.deal,
                rx.text(c.spiff, " · ", c.who, size="1", color_scheme="gray", as_="p"),
                rx.button("Download " + c.file_name, on_click=download(c.id), variant="ghost", size="1", type="button"),
            ),
            rx.table.cell(c.bonus, white_space="nowrap"),
            rx.table.cell(c.at, white_space="nowrap"),
            rx.table.cell(c.status, rx.cond(c.reason != "", rx.text(c.reason, size="1", as_="p"))),
            *([rx.table.cell(actions(c))] if actions else []),
        )

    headers = ["Deal", "Bonus", "Claimed", "Decision", *(["Review"] if actions else [])]
    return data_table(headers, rows, row, label="SPIFF claims")
