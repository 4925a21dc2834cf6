"""The managers' onboarding board: partners grouped by the stage they are in, stuck partners (no task moved in 14
days) highlighted, each partner's time to onboard and to first deal, and both as medians per quarter of joining.
A channel manager sees their own book; admins and execs every partner."""

from __future__ import annotations

import reflex as rx

from prm_app.identity import with_zone
from prm_app.onboarding import onboarding_board
from prm_app.onboarding.ui.display import (
    BoardLine,
    QuarterLine,
    StageGroup,
    board_line,
    quarter_line,
    stage_groups,
)
from prm_app.platform.clock import utcnow
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, Nav, page, url_for
from prm_app.web.state import AuthState


class BoardState(AuthState):
    groups: list[StageGroup] = []
    quarters: list[QuarterLine] = []
    stuck: int = 0
    total: int = 0

    @rx.event
    def load(self):
        board, zone = self._run(with_zone, onboarding_board)
        now = utcnow()
        lines = [board_line(r, now, zone) for r in board.rows]
        self.groups = stage_groups(lines)
        self.quarters = [quarter_line(q) for q in board.quarters]
        self.stuck, self.total = sum(x.stuck for x in lines), len(lines)


def _partner_row(r: rx.Var[BoardLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(r.organization, href=url_for("partner_onboarding_page", partner_id=r.organization_id)),
            rx.cond(
                r.stuck,
                rx.badge("Stuck", color_scheme="red", variant="surface", high_contrast=True, margin_left="0.5rem"),
            ),
        ),
        rx.table.cell(r.type_label),
        rx.table.cell(r.progress),
        rx.table.cell(r.last_progress),
        rx.table.cell(r.joined),
        rx.table.cell(r.to_onboard),
        rx.table.cell(r.to_first_deal),
        class_name=rx.cond(r.stuck, "board-row stuck", "board-row"),
        style=rx.cond(r.stuck, {"background": "var(--red-a3)"}, {}),
    )


def _group(g: rx.Var[StageGroup]) -> rx.Component:
    return rx.el.section(
        rx.hstack(
            rx.heading(g.stage, size="4", as_="h2"),
            rx.badge(g.count, " partners", variant="soft"),
            rx.cond(g.stuck > 0, rx.badge(g.stuck, " stuck", color_scheme="red", variant="soft")),
            align="center",
            wrap="wrap",
        ),
        data_table(
            ["Partner", "Type", "Progress", "Last progress", "Joined", "Time to onboard", "Time to first deal"],
            g.partners,
            _partner_row,
            label="Partners in " + g.stage,
        ),
        aria_label=g.stage,
        width="100%",
    )


def _quarter_row(q: rx.Var[QuarterLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(q.quarter),
        rx.table.cell(q.joined),
        rx.table.cell(q.onboarded),
        rx.table.cell(q.to_onboard),
        rx.table.cell(q.first_deal),
        rx.table.cell(q.to_first_deal),
    )


@page(
    "/onboarding",
    title="Onboarding",
    audience=Audience.INTERNAL,
    on_load=BoardState.load,
    nav=Nav("Onboarding", "list-checks", 46),  # after Applications: where an approved applicant goes next
)
def onboarding_board_page() -> rx.Component:
    s = BoardState
    return rx.vstack(
        rx.hstack(
            rx.text(s.total, " partners onboarding or onboarded; ", s.stuck, " stuck (no progress for 14 days)."),
            rx.spacer(),
            rx.link("Checklist templates", href=url_for("onboarding_templates_page")),
            rx.link("Agreements", href="/agreements"),
            width="100%",
            wrap="wrap",
        ),
        rx.foreach(s.groups, _group),
        rx.el.section(
            rx.heading("Medians per quarter of joining", size="4", as_="h2"),
            data_table(
                [
                    "Quarter joined",
                    "Partners",
                    "Onboarded",
                    "Median time to onboard",
                    "Made a first deal",
                    "Median time to first deal",
                ],
                s.quarters,
                _quarter_row,
                label="Medians per quarter",
            ),
            width="100%",
        ),
        spacing="5",
        width="100%",
    )
