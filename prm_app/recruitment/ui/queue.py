"""The applications queue for the channel team: filters, sort and paging done in SQL, each row's score and age,
and bulk approve / reject of the rows ticked. The nav shows how many applications wait for a decision."""

from __future__ import annotations

import reflex as rx

from prm_app.platform.access import Permission
from prm_app.recruitment import pending_count
from prm_app.recruitment.rules import REJECT_REASONS
from prm_app.recruitment.ui.queue_state import REVIEWER_OPTIONS, SORT_OPTIONS, STATUS_FILTER, QueueState
from prm_app.web.components.forms import field_error
from prm_app.web.components.tables import data_table, pager
from prm_app.web.registry import Audience, Badge, Nav, page


def _select(label: str, name: str, options, value) -> rx.Component:
    items = (
        [rx.el.option(t, value=v) for v, t in options]
        if isinstance(options, list)
        else [rx.foreach(options, lambda o: rx.el.option(o.label, value=o.value))]
    )
    return rx.box(
        rx.el.label(label, html_for=f"queue-{name}", class_name="field-label"),
        rx.el.select(
            *items,
            id=f"queue-{name}",
            value=value,
            class_name="native-select",
            on_change=lambda v: QueueState.filter(name, v),
        ),
        min_width="11rem",
    )


def _filters() -> rx.Component:
    return rx.flex(
        _select("Status", "status", STATUS_FILTER, QueueState.status),
        _select("Program", "program", QueueState.programs, QueueState.program),
        _select("Reviewer", "reviewer", REVIEWER_OPTIONS, QueueState.reviewer),
        _select("Sort", "sort", SORT_OPTIONS, QueueState.sort),
        rx.form(
            rx.el.label("Company or reference", html_for="queue-q", class_name="field-label"),
            rx.hstack(rx.input(id="queue-q", name="q", type="search", size="3"), rx.button("Search", type="submit")),
            on_submit=QueueState.search,
            reset_on_submit=False,
            role="search",
            aria_label="Search applications",
        ),
        wrap="wrap",
        spacing="3",
        align="end",
    )


def _row(r: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.el.input(
                type="checkbox",
                checked=QueueState.selected.contains(r.id),
                aria_label="Select " + r.reference,
                on_change=lambda _checked: QueueState.toggle(r.id),
            ),
        ),
        rx.table.row_header_cell(rx.link(r.company, href="/recruitment/application/" + r.id.to(str))),
        rx.table.cell(r.reference),
        rx.table.cell(r.country),
        rx.table.cell(r.program),
        rx.table.cell(r.status),
        rx.table.cell(r.score),
        rx.table.cell(r.age),
        rx.table.cell(r.reviewer),
    )


def _bulk() -> rx.Component:
    return rx.card(
        rx.heading("Decide the ticked applications", size="4", as_="h2"),
        rx.text(QueueState.selected.length(), " ticked.", size="2"),
        rx.form(
            rx.flex(
                rx.box(
                    rx.el.label("Channel manager (approve)", html_for="bulk-manager", class_name="field-label"),
                    rx.el.select(
                        rx.el.option("Choose…", value=""),
                        rx.foreach(QueueState.managers, lambda m: rx.el.option(m.label, value=m.value)),
                        id="bulk-manager",
                        name="channel_manager",
                        value=QueueState.manager,
                        class_name="native-select",
                        on_change=QueueState.choose_manager,
                    ),
                ),
                rx.box(
                    rx.el.label("Reason (reject)", html_for="field-reason", class_name="field-label"),
                    rx.el.select(
                        *[rx.el.option(t, value=v) for v, t in REJECT_REASONS.items() if v != "needs_more_detail"],
                        id="field-reason",
                        name="reason",
                        class_name="native-select",
                    ),
                    field_error(QueueState.errors, "reason"),
                ),
                rx.box(
                    rx.el.label("Note (reject)", html_for="field-note", class_name="field-label"),
                    rx.input(id="field-note", name="note", size="3"),
                    field_error(QueueState.errors, "note"),
                ),
                wrap="wrap",
                spacing="3",
                align="end",
            ),
            rx.hstack(
                rx.box(
                    rx.el.label("Decision", html_for="bulk-decision", class_name="field-label"),
                    rx.el.select(
                        rx.el.option("Approve", value="approve"),
                        rx.el.option("Reject", value="reject"),
                        id="bulk-decision",
                        name="decision",
                        class_name="native-select",
                    ),
                ),
                rx.button("Decide ticked", type="submit", size="3"),
                margin_top="0.75rem",
                align="end",
            ),
            on_submit=QueueState.bulk,
            reset_on_submit=False,
            aria_label="Decide the ticked applications",
        ),
        width="100%",
    )


@page(
    "/recruitment",
    title="Applications",
    audience=Audience.INTERNAL,
    on_load=QueueState.load,
    nav=Nav("Applications", "user-plus", 45, Permission.VIEW_PARTNERS),
    badge=Badge(pending_count, "waiting"),
)
def queue_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.link("Funnel", href="/recruitment/funnel"),
            rx.cond(QueueState.can_decide, rx.link("Programs and scoring", href="/recruitment/programs")),
            spacing="4",
        ),
        _filters(),
        rx.text(plural_var(QueueState.total), size="2", role="status"),
        data_table(
            [
                rx.table.column_header_cell(rx.el.span("Select", class_name="sr-only")),
                "Company",
                "Reference",
                "Country",
                "Program",
                "Status",
                "Score",
                "Age",
                "Reviewer",
            ],
            QueueState.rows,
            _row,
            label="Applications",
        ),
        pager(QueueState.page, QueueState.pages, QueueState.go_to),
        rx.cond(QueueState.can_decide & (QueueState.selected.length() > 0), _bulk()),
        rx.cond(QueueState.outcome != "", rx.text(QueueState.outcome, role="status", size="2")),
        spacing="4",
        width="100%",
    )


def plural_var(count: rx.Var) -> rx.Var:
    return rx.cond(count == 1, "1 application", count.to(str) + " applications")
