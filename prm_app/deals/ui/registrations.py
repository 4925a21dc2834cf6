"""The channel team's review queue: oldest first, paged, SLA age, conflict count and best score, bulk approval of
clean ones."""

from __future__ import annotations

from datetime import tzinfo

import reflex as rx
from sqlmodel import Session

from prm_app.deals.queries import QueuePage, review_queue
from prm_app.deals.review import bulk_approve_clean
from prm_app.deals.table import DEAL_TABLE
from prm_app.deals.ui.display import QueueLine, queue_line
from prm_app.deals.ui.program_setting import DistributionSettingState, distribution_setting
from prm_app.identity import viewer_zone
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.settings import settings
from prm_app.platform.table_io import export_csv
from prm_app.web.components.tables import pager
from prm_app.web.format import plural, zone_abbreviation
from prm_app.web.registry import Audience, Nav, page, url_for
from prm_app.web.state import AuthState

DECIDE = Permission.DECIDE_DEALS


def _queue_and_whether_deciding(session: Session, actor: Actor, page: int) -> tuple[QueuePage, bool, tzinfo]:
    return review_queue(session, actor, page=page), actor.can(DECIDE), viewer_zone(session, actor)


class QueueState(AuthState):
    rows: list[QueueLine] = []
    selected: list[str] = []
    can_decide: bool = False
    zone: str = "UTC"  # the viewer's zone, named once in the Submitted column's header
    page: int = 1
    pages: int = 1
    total: int = 0

    def _reload(self) -> None:
        queue, self.can_decide, zone = self._run(_queue_and_whether_deciding, self.page)
        self.zone = zone_abbreviation(utcnow(), zone)
        self.rows = [queue_line(r, zone) for r in queue.rows]
        self.total, self.page, self.pages = queue.total, queue.page, queue.pages
        live = {r.id for r in self.rows if r.conflicts == 0}
        self.selected = [s for s in self.selected if s in live]  # only what this page shows can be approved

    @rx.event
    def load(self) -> None:
        self.selected = []
        self.page = 1
        self._reload()

    @rx.event
    def go_to(self, page: int) -> None:
        self.page = int(page)
        self._reload()

    @rx.event
    def export(self, bom: bool = False):
        """The registrations waiting for review in the actor's reach (every page), as CSV; with `bom` for Excel."""
        text = self._run(export_csv, DEAL_TABLE, {"status": "submitted"}, bom=bom is True)
        return rx.download(data=text, filename="registrations.csv")

    @rx.event
    def toggle(self, deal_id: str, checked: bool) -> None:
        deal_id = str(deal_id)
        if checked and deal_id not in self.selected:
            self.selected = [*self.selected, deal_id]
        elif not checked:
            self.selected = [s for s in self.selected if s != deal_id]

    @rx.event
    def approve_selected(self) -> rx.event.EventSpec:
        approved, skipped = self._run(bulk_approve_clean, [int(s) for s in self.selected if s.isdigit()])
        self.selected = []
        self._reload()
        note = f" {len(skipped)} skipped (no longer clean or already decided)." if skipped else ""
        return rx.toast.success(f"Approved {plural(len(approved), 'registration')}.{note}")


def _row(r: rx.Var[QueueLine]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.cond(
                QueueState.can_decide & (r.conflicts == 0),
                rx.checkbox(
                    checked=QueueState.selected.contains(r.id),
                    on_change=lambda checked: QueueState.toggle(r.id, checked),
                    aria_label="Select " + r.customer,
                ),
            )
        ),
        rx.table.row_header_cell(rx.link(r.customer, href=url_for("registration_review_page", deal_id=r.id))),
        rx.table.cell(r.partner),
        rx.table.cell(r.value),
        rx.table.cell(r.submitted),
        rx.table.cell(
            rx.cond(
                r.overdue,
                rx.badge(r.waiting, color_scheme="red", high_contrast=True),
                rx.text(r.waiting),
            )
        ),
        rx.table.cell(
            rx.cond(
                r.conflicts == 0,
                rx.badge("Clean", color_scheme="green", high_contrast=True),
                rx.badge(r.conflicts_text, color_scheme="amber", high_contrast=True),
            )
        ),
    )


@page(
    "/registrations",
    title="Deal registrations",
    audience=Audience.INTERNAL,
    on_load=[QueueState.load, DistributionSettingState.load],
    nav=Nav("Deal registrations", "clipboard-check", 30),
)
def registrations_page() -> rx.Component:
    return rx.vstack(
        rx.text(
            QueueState.total,
            " waiting for review, oldest first. Target: a decision within ",
            settings.review_sla_business_days,
            " business days.",
            size="2",
            color_scheme="gray",
            role="status",
        ),
        rx.flex(
            rx.button("Export CSV", variant="soft", size="2", on_click=QueueState.export(False)),
            rx.button("Export CSV for Excel", variant="soft", size="2", on_click=QueueState.export(True)),
            rx.link("Import deals for partners", href="/data/import?kind=deals", size="2"),
            gap="0.75rem",
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            QueueState.can_decide,
            rx.button(
                "Approve selected clean registrations",
                on_click=QueueState.approve_selected,
                disabled=QueueState.selected.length() == 0,
            ),
        ),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(rx.text("Select", class_name="sr-only")),
                        *[rx.table.column_header_cell(h) for h in ("Customer", "Partner", "Estimated value")],
                        rx.table.column_header_cell("Submitted (", QueueState.zone, ")"),
                        *[rx.table.column_header_cell(h) for h in ("Waiting", "Conflicts")],
                    )
                ),
                rx.table.body(rx.foreach(QueueState.rows, _row)),
                width="100%",
            ),
            class_name="table-scroll",
            tab_index=0,  # it may scroll sideways on a phone: keyboard users must reach it
            role="region",
            aria_label="Table",
        ),
        pager(QueueState.page, QueueState.pages, QueueState.go_to),
        distribution_setting(),
        spacing="4",
        width="100%",
    )
