"""The dashboard's chart card (a chart named in words, its "view data" table, its CSV download, its empty state)
and the sections of the areas' panels (analytics.panels), which use the same card for each bar series.

A built-in chart passes its key and title as text; a panel's chart comes from a list in the state, so its key,
title, figure, sentence and empty flag are Vars: the card takes either.
"""

from __future__ import annotations

import reflex as rx

from prm_app.analytics.ui.dashboard_state import DashboardState
from prm_app.web.components.charts import chart
from prm_app.web.components.tables import data_table


def chart_card(
    title: str | rx.Var,
    key: str | rx.Var,
    figure: rx.Var,
    summary: rx.Var,
    empty: rx.Var,
) -> rx.Component:
    shown = DashboardState.tables.contains(key)
    table_id = f"data-{key}"
    return rx.card(
        rx.hstack(
            rx.heading(title, size="3", as_="h3"),
            rx.spacer(),
            rx.button(
                rx.cond(shown, "Hide data", "View data"),
                size="1",
                variant="soft",
                aria_label=rx.cond(shown, f"Hide the figures of {title}", f"View the figures of {title} as a table"),
                aria_expanded=rx.cond(shown, "true", "false"),
                aria_controls=table_id,
                on_click=DashboardState.toggle_data(key),
            ),
            rx.button(
                "CSV",
                size="1",
                variant="soft",
                aria_label=f"Download {title} as CSV",
                on_click=DashboardState.download(key),
            ),
            align="center",
            spacing="2",
        ),
        rx.box(
            rx.skeleton(
                rx.cond(
                    empty,
                    rx.center(
                        rx.text("Nothing to show for these filters.", color_scheme="gray"),
                        height="320px",
                        id=f"empty-{key}",
                    ),
                    chart(figure, summary, height="320px", width="100%"),
                ),
                loading=~DashboardState.loaded,
            ),
            id=f"chart-{key}",
        ),
        rx.box(
            rx.cond(
                shown,
                data_table(
                    [rx.foreach(DashboardState.tables[key][0], rx.table.column_header_cell)],
                    DashboardState.tables[key][1:],
                    lambda row: rx.table.row(rx.foreach(row, rx.table.cell)),
                    label=f"{title}: figures",
                    size="1",
                ),
            ),
            id=table_id,
        ),
        width="100%",
    )


def _fact(fact: rx.Var) -> rx.Component:
    return rx.card(
        rx.text(fact.label, size="2"),
        rx.text(fact.value, size="7", weight="bold", as_="p"),
        rx.cond(fact.hint, rx.text(fact.hint, size="1", color_scheme="gray")),
        min_width="9rem",
        flex="1",
    )


def _table(table: rx.Var) -> rx.Component:
    return rx.card(
        rx.heading(table.title, size="3", as_="h3", margin_bottom="0.5rem"),
        data_table(
            [rx.foreach(table.headers, rx.table.column_header_cell)],
            table.rows,
            lambda row: rx.table.row(rx.table.row_header_cell(row[0]), rx.foreach(row[1:], rx.table.cell)),
            label=table.title,
            size="1",
        ),
        rx.cond(table.rows.length() == 0, rx.text("Nothing in this period.", size="1", color_scheme="gray")),
        width="100%",
    )


def _panel(panel: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.heading(panel.title, size="5", as_="h2"),
        rx.cond(panel.note, rx.text(panel.note, size="1", color_scheme="gray")),
        rx.flex(rx.foreach(panel.facts, _fact), spacing="3", wrap="wrap", width="100%"),
        rx.grid(
            rx.foreach(panel.charts, lambda c: chart_card(c.title, c.key, c.figure, c.summary, c.empty)),
            rx.foreach(panel.tables, _table),
            columns={"initial": "1", "md": "2"},
            spacing="4",
            width="100%",
        ),
        spacing="3",
        width="100%",
        id=f"panel-{panel.key}",
    )


def panel_sections() -> rx.Component:
    """Each registered panel as its own section, in the order the areas registered them."""
    return rx.fragment(rx.foreach(DashboardState.panels, _panel))
