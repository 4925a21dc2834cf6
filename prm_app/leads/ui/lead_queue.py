"""A channel manager's lead queue: drag to set priority, route in queue order, review reasons, confirm."""

from __future__ import annotations

from typing import Any

import reflex as rx

from prm_app.leads.assignment import assign_by_hand
from prm_app.leads.queries import QueueView, queue_view
from prm_app.leads.routing_runs import confirm_proposals, route_leads
from prm_app.leads.store import reorder_queue
from prm_app.leads.table import LEAD_TABLE
from prm_app.leads.ui.display import (
    PartnerChoice,
    QueueChoice,
    QueueRow,
    partner_choice,
    queue_choice,
    queue_row,
)
from prm_app.platform.access import Permission
from prm_app.platform.errors import DomainError, PermissionDenied
from prm_app.platform.table_io import export_csv
from prm_app.web.components.link_button import link_button
from prm_app.web.components.sortable import sortable_list
from prm_app.web.components.tables import data_table
from prm_app.web.format import plural
from prm_app.web.registry import Audience, Nav, page, url_for
from prm_app.web.state import AuthState

CHUNK = 250  # leads routed per unit of work, so progress moves and no transaction grows large


class LeadQueueState(AuthState):
    queues: list[QueueChoice] = []
    queue_id: str = ""
    rows: list[QueueRow] = []
    partners: list[PartnerChoice] = []
    can_route: bool = False
    routing: bool = False
    progress: int = 0
    message: str = ""
    revision: int = 0  # bumped when a new order is refused, so the list drops its optimistic order

    def _reload(self) -> None:
        self._show(self._run(queue_view, self._queue_pick()))

    def _queue_pick(self) -> int | None:
        return int(self.queue_id) if self.queue_id.isdigit() else None

    def _show(self, view: QueueView) -> None:
        self.queues = [queue_choice(q) for q in view.queues]
        self.queue_id = str(view.queue_id or "")
        self.rows = [queue_row(lead) for lead in view.rows]
        self.partners = [partner_choice(p) for p in view.partners]
        self.can_route = view.can_route

    @rx.event
    def load(self):
        self.message = ""
        asked = str(self.router.url.query_parameters.get("queue", ""))  # a link to one queue (e.g. from search)
        if asked.isdigit():
            self.queue_id = asked  # queue_view shows it only if the person works it, else their first queue
        self._reload()

    @rx.event
    def export(self, bom: bool = False):
        """The leads of the queue shown, every status, as CSV (the lead import's columns; importing it changes
        nothing); with `bom` for Excel."""
        text = self._run(export_csv, LEAD_TABLE, {"queue_id": self.queue_id}, bom=bom is True)
        return rx.download(data=text, filename="leads.csv")

    @rx.event
    def pick_queue(self, queue_id: str):
        self.queue_id = str(queue_id)
        self._reload()

    @rx.event
    def reorder(self, ids: list[str]):
        try:
            self._run(reorder_queue, int(self.queue_id), [int(i) for i in ids if str(i).isdigit()])
        except DomainError as exc:  # e.g. another manager routed a lead meanwhile: show the queue as it is
            self.revision += 1
            self._reload()
            return rx.toast.error(exc.message)
        by_id = {r.id: r for r in self.rows}
        self.rows = [by_id[i] for i in ids if i in by_id]
        return None

    @rx.event(background=True)
    async def route_queue(self):
        """Route every waiting lead in queue order, a chunk at a time, with progress. Every database call runs on
        the handler threads (never on the event loop, never inside the tab's lock), each checking the session."""
        actor = await self._run_in_thread(lambda _session, actor: actor)
        if not actor.can(Permission.MANAGE_LEADS):
            raise PermissionDenied()
        async with self:
            if self.routing or not self.queue_id.isdigit():
                return
            queue_id = int(self.queue_id)
            ids = [int(r.id) for r in self.rows]
            self.routing, self.progress, self.message = True, 0, ""
        proposed = unmatched = 0
        try:
            for start in range(0, len(ids), CHUNK):
                run = await self._run_in_thread(route_leads, queue_id, ids[start : start + CHUNK])
                proposed, unmatched = proposed + run.proposed, unmatched + run.unmatched
                async with self:
                    self.progress = min(100, round(100 * (start + CHUNK) / max(1, len(ids))))
        finally:
            async with self:
                self.routing, self.progress = False, 100
                found = plural(proposed, "lead")
                self.message = f"Routing proposed a partner for {found}; {unmatched:,} found no partner."
        view = await self._run_in_thread(queue_view, queue_id)
        async with self:
            self._show(view)

    @rx.event
    def route_one(self, lead_id: str):
        run = self._run(route_leads, int(self.queue_id), [int(lead_id)])
        self._reload()
        return rx.toast.success("Proposed a partner." if run.proposed else "No partner is eligible; see why.")

    @rx.event
    def assign(self, lead_id: str, partner_id: str):
        if not str(partner_id).isdigit():
            return None
        self._run(assign_by_hand, int(lead_id), int(partner_id))
        self._reload()
        return rx.toast.success("Assigned by hand.")

    @rx.event
    def confirm_all(self):
        sent = self._run(confirm_proposals, [int(r.id) for r in self.rows if r.status == "proposed"])
        self._reload()
        return rx.toast.success(f"Sent {plural(sent, 'lead')} to their partners.")


def _as_plain_items(rows: rx.Var) -> rx.Var[list[dict[str, Any]]]:
    """The sortable list's props are typed as lists of dicts (its JS reads fields by name). Frozen rows reach
    the browser as exactly such objects, so this only retypes the Var: the rows are not copied or reshaped."""
    return rows.to(list[dict[str, Any]])


def _proposal(r: rx.Var[QueueRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(r.label, rx.text(r.sublabel, size="1", color_scheme="gray")),
        rx.table.cell(
            rx.cond(r.partner != "", rx.text(r.partner, weight="medium"), rx.text("No partner", color_scheme="red")),
            rx.cond(r.score != "", rx.text("score ", r.score, size="1")),
        ),
        rx.table.cell(rx.el.ul(rx.foreach(r.reasons, lambda x: rx.el.li(x)), class_name="reasons")),
        rx.table.cell(
            rx.cond(
                LeadQueueState.can_route,
                rx.el.select(
                    rx.el.option("Assign to…", value=""),
                    rx.foreach(LeadQueueState.partners, lambda p: rx.el.option(p.label, value=p.value)),
                    class_name="native-select",
                    aria_label="Assign " + r.label + " to a partner",
                    on_change=lambda v: LeadQueueState.assign(r.id, v),
                ),
            ),
            rx.cond(
                LeadQueueState.can_route,
                rx.button(
                    "Route this lead",
                    size="1",
                    variant="ghost",
                    margin_top="0.25rem",
                    aria_label="Route " + r.label,
                    on_click=LeadQueueState.route_one(r.id),
                ),
            ),
        ),
    )


@page(
    "/lead-queue",
    title="Lead queue",
    audience=Audience.INTERNAL,
    on_load=LeadQueueState.load,
    nav=Nav("Lead queue", "list-ordered", 40),
)
def lead_queue_page() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.box(
                rx.el.label("Queue", html_for="queue-pick", class_name="field-label"),
                rx.el.select(
                    rx.foreach(LeadQueueState.queues, lambda q: rx.el.option(q.name, value=q.id)),
                    id="queue-pick",
                    class_name="native-select",
                    value=LeadQueueState.queue_id,
                    on_change=LeadQueueState.pick_queue,
                ),
                min_width="14rem",
            ),
            rx.cond(
                LeadQueueState.can_route,
                rx.hstack(
                    link_button("Add a lead", url_for("new_lead_page"), variant="soft"),
                    link_button("Import CSV", url_for("data_import_page") + "?kind=leads", variant="soft"),
                    link_button("Fairness report", url_for("fairness_page"), variant="soft"),
                    wrap="wrap",
                ),
            ),
            rx.hstack(
                rx.button("Export CSV", variant="soft", on_click=LeadQueueState.export(False)),
                rx.button("Export CSV for Excel", variant="soft", on_click=LeadQueueState.export(True)),
                wrap="wrap",
            ),
            justify="between",
            align="end",
            wrap="wrap",
            spacing="3",
            width="100%",
        ),
        rx.text(
            "Drag leads, or move them with the keyboard, to set the order routing takes them in.",
            size="2",
            color_scheme="gray",
        ),
        sortable_list(
            _as_plain_items(LeadQueueState.rows),
            on_reorder=LeadQueueState.reorder,
            sublabel_key="sublabel",
            badge_key="status_label",
            aria_label="Lead queue, highest priority first",
            show_rank=True,
            disabled=~LeadQueueState.can_route,
            empty_text="No leads are waiting in this queue.",
            revision=LeadQueueState.revision,
            drop_targets=_as_plain_items(LeadQueueState.partners),
            target_id_key="value",
            on_drop_target=LeadQueueState.assign,
            drop_targets_label="Drop a lead on a partner to assign it",
        ),
        rx.cond(
            LeadQueueState.can_route,
            rx.hstack(
                rx.button(
                    "Route the queue",
                    on_click=LeadQueueState.route_queue,
                    loading=LeadQueueState.routing,
                    disabled=LeadQueueState.rows.length() == 0,
                ),
                rx.button(
                    "Confirm and send proposals",
                    on_click=LeadQueueState.confirm_all,
                    variant="soft",
                    disabled=LeadQueueState.routing,
                ),
                wrap="wrap",
            ),
        ),
        rx.cond(LeadQueueState.routing, rx.progress(value=LeadQueueState.progress, aria_label="Routing progress")),
        rx.cond(LeadQueueState.message != "", rx.text(LeadQueueState.message, role="status")),
        rx.heading("Proposals and reasons", size="4", as_="h2"),
        data_table(
            ["Lead", "Proposed partner", "Why", "Change"], LeadQueueState.rows, _proposal, label="Proposals and reasons"
        ),
        spacing="4",
        width="100%",
    )
