"""The admins' FX rates page (/settings/fx-rates): the corporate currency (an admin's setting), won revenue per
quarter in it at the rates locked when each deal was won, the locked values themselves, the dated rates with their
source, and adding rates by hand or from a CSV."""

from __future__ import annotations

import reflex as rx

from prm_app.fx import CSV_COLUMNS, QUOTE
from prm_app.fx.ui.rates_state import UPLOAD_ID, FxRatesState
from prm_app.platform.access import Permission
from prm_app.web.components.drop_zone import drop_zone
from prm_app.web.components.forms import field, field_message
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, Nav, page

S = FxRatesState


def _corporate() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.box(
                rx.el.label("Corporate currency", html_for="field-corporate_currency", class_name="field-label"),
                rx.el.select(
                    rx.foreach(S.corporate_choices, lambda c: rx.el.option(c, value=c)),
                    id="field-corporate_currency",
                    name="corporate_currency",
                    default_value=S.corporate,
                    key=S.corporate,  # drawn again with the setting once it is saved
                    class_name="native-select",
                ),
                field_message(S.corporate_error, "field-corporate_currency"),
            ),
            rx.button("Set corporate currency", type="submit"),
            spacing="3",
            align="end",
            wrap="wrap",
        ),
        rx.text(
            "Won deals, refunds and approved MDF claims lock their value in it; a change applies to events after it.",
            size="2",
            color_scheme="gray",
        ),
        on_submit=S.set_corporate,
        reset_on_submit=False,
        aria_label="Set the corporate currency",
    )


def _revenue() -> rx.Component:
    return rx.vstack(
        rx.heading("Won revenue in ", S.corporate, " by quarter", size="5", as_="h2"),
        rx.text(
            "In the corporate currency (",
            S.corporate,
            "), each deal at the rate locked on the day it was won and each refund at its own day's rate: rates "
            "added later never change a quarter.",
            size="2",
            color_scheme="gray",
        ),
        rx.cond(
            S.quarters.length() > 0,
            data_table(
                ["Quarter", "Won", "Refunded", "Net", "Deals", "Rates used"],
                S.quarters,
                lambda q: rx.table.row(
                    rx.table.row_header_cell(q["quarter"]),
                    rx.table.cell(q["won"]),
                    rx.table.cell(q["refunded"]),
                    rx.table.cell(q["net"]),
                    rx.table.cell(q["deals"]),
                    rx.table.cell(q["rates"]),
                ),
                label=S.revenue_label,
            ),
            rx.text("No deal has been won since rates are locked.", size="2"),
        ),
        spacing="2",
        width="100%",
    )


def _locks() -> rx.Component:
    return rx.vstack(
        rx.heading("Values locked at the win", size="5", as_="h2", margin_top="1rem"),
        rx.cond(
            S.locks.length() > 0,
            data_table(
                ["Deal", "Won on", "Locked value"],
                S.locks,
                lambda lock: rx.table.row(
                    rx.table.row_header_cell(lock["deal"]),
                    rx.table.cell(lock["won"]),
                    rx.table.cell(lock["value"]),
                ),
                label="Values locked at the win",
            ),
            rx.text("No deal in another currency than ", S.corporate, " has been won yet.", size="2"),
        ),
        spacing="2",
        width="100%",
    )


def _filter() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.box(
                rx.el.label("Show currency", html_for="field-filter_currency", class_name="field-label"),
                rx.el.select(
                    rx.el.option("All currencies", value=""),
                    rx.foreach(S.currencies, lambda c: rx.el.option(c, value=c)),
                    id="field-filter_currency",
                    name="filter_currency",
                    value=S.currency,
                    on_change=lambda v: S.filter({"filter_currency": v}),
                    class_name="native-select",
                ),
            ),
            spacing="3",
            align="end",
            wrap="wrap",
        ),
        on_submit=S.filter,
        aria_label="Filter the rates",
    )


def _rates() -> rx.Component:
    return rx.vstack(
        rx.heading("Exchange rates", size="5", as_="h2", margin_top="1rem"),
        rx.text(
            f"{QUOTE} per unit of each currency (rates are quoted in {QUOTE}, whatever the corporate currency), from "
            "its day until the next rate; an event takes the latest rate of its day or of the week before.",
            size="2",
            color_scheme="gray",
        ),
        _filter(),
        data_table(
            ["Currency", "From day", f"{QUOTE} per unit", "Source", "Entered by"],
            S.rates,
            lambda r: rx.table.row(
                rx.table.row_header_cell(r["currency"]),
                rx.table.cell(r["day"]),
                rx.table.cell(r["rate"]),
                rx.table.cell(r["source"]),
                rx.table.cell(r["by"]),
            ),
            label="Exchange rates",
        ),
        rx.cond(S.more, rx.text("Showing the latest 100: choose a currency to narrow.", size="2")),
        spacing="2",
        width="100%",
    )


def _add_form() -> rx.Component:
    e = S.errors
    return rx.form(
        rx.flex(
            rx.box(
                rx.el.label("Currency", html_for="field-currency", class_name="field-label"),
                rx.el.select(
                    rx.foreach(S.choices, lambda c: rx.el.option(c, value=c)),
                    id="field-currency",
                    name="currency",
                    default_value="EUR",
                    class_name="native-select",
                ),
                field_message(e.get("currency", ""), "field-currency"),
            ),
            field("From day", "on_date", e.get("on_date", ""), type="date"),
            field(f"{QUOTE} per unit", "rate", e.get("rate", "")),
            field("Source", "source", e.get("source", ""), hint="Where the rate comes from, like ECB"),
            rx.button("Add rate", type="submit"),
            spacing="3",
            align="end",
            wrap="wrap",
            direction={"initial": "column", "sm": "row"},
            width="100%",
        ),
        key=S.form_key,
        on_submit=S.add,
        reset_on_submit=False,
        no_validate=True,
        aria_label="Add an exchange rate",
    )


def _import() -> rx.Component:
    return rx.vstack(
        rx.text("Columns: ", ",".join(CSV_COLUMNS), ". All or nothing: a file with a bad line adds no rate.", size="2"),
        drop_zone(UPLOAD_ID, "CSV file with rates", {"text/csv": [".csv"]}),
        rx.button(
            "Import rates",
            type="button",
            loading=S.importing,
            on_click=S.import_csv(rx.upload_files_chunk(upload_id=UPLOAD_ID)),
        ),
        rx.cond(S.import_problem != "", rx.callout(S.import_problem, color_scheme="red", role="alert", width="100%")),
        rx.cond(
            S.problems.length() > 0,
            data_table(
                ["Line", "Problem"],
                S.problems,
                lambda p: rx.table.row(rx.table.row_header_cell(p["line"]), rx.table.cell(p["message"])),
                label="Lines to fix",
            ),
        ),
        spacing="2",
        width="100%",
    )


@page(
    "/settings/fx-rates",
    title="FX rates",
    audience=Audience.INTERNAL,
    on_load=S.load,
    nav=Nav("FX rates", "arrow-left-right", 49, Permission.MANAGE_INCENTIVES),
)
def fx_rates_page() -> rx.Component:
    return rx.vstack(
        _corporate(),
        _revenue(),
        _locks(),
        _rates(),
        rx.card(rx.heading("Add a rate", size="4", as_="h3", margin_bottom="0.5rem"), _add_form(), width="100%"),
        rx.card(rx.heading("Import rates", size="4", as_="h3", margin_bottom="0.5rem"), _import(), width="100%"),
        spacing="3",
        width="100%",
    )
