"""Import records from CSV: choose the records and the mode, upload, check the column mapping, dry run (every row's
outcome with its line number, nothing written), then import; both runs go on the job queue (prm_app/dataio/runs.py)
while the page follows their progress, also after leaving and coming back; after either, every row's outcome
downloads as a CSV. `?kind=leads` opens it on a record type (the lead queue, the partner directory, the team and
deal pages link here). Each person is offered the record types they may import (a partner admin: its own people and
deals); each type uploads through its own handler, so the upload guard asks that type's permission."""

from __future__ import annotations

import reflex as rx

from prm_app.dataio.tables import TABLES
from prm_app.dataio.ui.import_state import MODES, DataImportState, upload_handler
from prm_app.platform.access import Permission
from prm_app.platform.table_io import template_csv
from prm_app.web.components.drop_zone import drop_zone
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, Nav, page


def _mapping_row(c: rx.Var[dict[str, str]]) -> rx.Component:
    select_id = "map-" + c["index"]
    return rx.table.row(
        rx.table.row_header_cell(rx.el.label(c["header"], html_for=select_id)),
        rx.table.cell(
            rx.el.select(
                rx.el.option("(ignore this column)", value=""),
                rx.foreach(DataImportState.column_names, lambda name: rx.el.option(name, value=name)),
                id=select_id,
                value=c["column"],
                class_name="native-select",
                on_change=lambda v: DataImportState.set_column(c["index"], v),
            )
        ),
    )


def _native_select(
    label: str, select_id: str, options: list[tuple[str, str]], value: rx.Var, on_change
) -> rx.Component:
    return rx.box(
        rx.el.label(label, html_for=select_id, class_name="field-label"),
        rx.el.select(
            *[rx.el.option(text, value=v) for v, text in options],
            id=select_id,
            value=value,
            class_name="native-select",
            on_change=on_change,
        ),
        min_width="12rem",
        flex="1",
    )


@page(
    "/data/import",
    title="Import records",
    audience=Audience.ANY,  # partner admins import their own people and deals
    on_load=DataImportState.load,
    nav=Nav("Import & export", "file-up", 97, permission=Permission.MANAGE_TEAM),
)
def data_import_page() -> rx.Component:
    return rx.cond(
        DataImportState.kinds.length() > 0,
        _import_form(),
        rx.callout("You have no records to import.", role="status"),
    )


def _import_form() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.box(
                rx.el.label("Records", html_for="import-kind", class_name="field-label"),
                rx.el.select(
                    rx.foreach(DataImportState.kinds, lambda k: rx.el.option(k[1], value=k[0])),
                    id="import-kind",
                    value=DataImportState.kind,
                    class_name="native-select",
                    on_change=DataImportState.set_kind,
                ),
                min_width="12rem",
                flex="1",
            ),
            _native_select("Mode", "import-mode", MODES, DataImportState.mode, DataImportState.set_mode),
            gap="1rem",
            wrap="wrap",
            width="100%",
        ),
        rx.text(
            "Rows are matched on external_id (a lead without one: on its domain and contact e-mail; a person: on "
            "the e-mail address). Export a current list from the Partners page, a lead queue, the team page or the "
            "deals list (same columns).",
            size="2",
        ),
        *[
            rx.cond(
                DataImportState.kind == kind,
                rx.link(
                    f"Download the {spec.title.lower()} template",
                    href="data:text/csv;charset=utf-8," + template_csv(spec).replace("\n", "%0A"),
                    download=f"{kind}-template.csv",
                ),
            )
            for kind, spec in TABLES.items()
        ],
        drop_zone("record_csv", "CSV file (UTF-8 or Excel CSV)", {"text/csv": [".csv"]}),
        *[
            rx.cond(
                DataImportState.kind == kind,
                rx.button(
                    "Upload",
                    type="button",
                    on_click=upload_handler(kind)(rx.upload_files_chunk(upload_id="record_csv")),
                ),
            )
            for kind in TABLES
        ],
        rx.cond(DataImportState.problem != "", rx.callout(DataImportState.problem, color_scheme="red", role="alert")),
        rx.cond(DataImportState.file_name != "", _mapping_and_runs()),
        _outcome(),
        spacing="4",
        width="100%",
    )


def _mapping_and_runs() -> rx.Component:
    return rx.vstack(
        rx.text(DataImportState.file_name, ": ", DataImportState.rows, " rows.", role="status"),
        data_table(["File column", "Fills"], DataImportState.columns, _mapping_row, label="Column mapping"),
        rx.cond(
            DataImportState.mapping_problem != "",
            rx.callout(DataImportState.mapping_problem, color_scheme="amber", role="status"),
        ),
        rx.flex(
            rx.button(
                "Dry run",
                on_click=DataImportState.dry_run,
                disabled=DataImportState.running | (DataImportState.mapping_problem != ""),
            ),
            rx.button(
                "Import",
                on_click=DataImportState.run_import,
                disabled=DataImportState.running | ~DataImportState.checked,
                color_scheme="green",
            ),
            gap="0.75rem",
        ),
        rx.cond(
            ~DataImportState.checked & ~DataImportState.running,
            rx.text("Run a dry run first: it writes nothing and shows what the import would do.", size="2"),
        ),
        width="100%",
    )


def _outcome() -> rx.Component:
    return rx.fragment(
        rx.cond(
            DataImportState.running,
            rx.vstack(
                rx.progress(value=DataImportState.percent, aria_label="Import progress", width="100%"),
                rx.text(
                    rx.cond(
                        DataImportState.total > 0,
                        f"{DataImportState.done} of {DataImportState.total} rows",
                        "Waiting for the job runner…",
                    ),
                    role="status",
                ),
                width="100%",
            ),
        ),
        rx.cond(
            ~DataImportState.running & (DataImportState.phase != "") & (DataImportState.failure == ""),
            rx.callout(DataImportState.result_text, icon="circle_check", color_scheme="green", role="status"),
        ),
        rx.cond(
            ~DataImportState.running & (DataImportState.phase != ""),
            rx.button("Download the results", type="button", variant="soft", on_click=DataImportState.download_results),
        ),
        rx.cond(DataImportState.failure != "", rx.callout(DataImportState.failure, color_scheme="red", role="alert")),
        rx.cond(
            DataImportState.failures.length() > 0,
            data_table(
                ["Line", "external_id", "Reason"],
                DataImportState.failures,
                lambda f: rx.table.row(
                    rx.table.row_header_cell(f["line"]), rx.table.cell(f["key"]), rx.table.cell(f["reason"])
                ),
                label="Rows that failed",
            ),
        ),
    )
