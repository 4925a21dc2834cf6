"""Tables and paging: one way to show rows, so every table scrolls in a named, focusable region on a phone."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from prm_app.web.language_state import t


def data_table(
    headers: list[str | rx.Component],
    rows: rx.Var,
    row: Callable[[rx.Var], rx.Component],
    label: str | rx.Var[str] = "Table",
    **table_props,
) -> rx.Component:
    """`row(item)` renders one rx.table.row (a row header cell first, by convention)."""
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(*[rx.table.column_header_cell(h) if isinstance(h, str) else h for h in headers])
            ),
            rx.table.body(rx.foreach(rows, row)),
            width="100%",
            **table_props,
        ),
        class_name="table-scroll",
        tab_index=0,  # it may scroll sideways on a phone: keyboard users must reach it
        role="region",
        aria_label=label,
        width="100%",
    )


def pager(page: rx.Var, pages: rx.Var, go_to: Callable) -> rx.Component:
    """Previous / page x of y / Next, for lists paged in SQL; `go_to` is the state's event handler."""
    return rx.hstack(
        rx.button(t("pager.previous"), on_click=go_to(page - 1), disabled=page <= 1, variant="soft"),
        rx.text(t("pager.page"), " ", page, " ", t("pager.of"), " ", pages, size="2"),
        rx.button(t("pager.next"), on_click=go_to(page + 1), disabled=page >= pages, variant="soft"),
        align="center",
    )
