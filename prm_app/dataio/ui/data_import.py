"""Import records from CSV: choose the records and the mode, upload, check the column mapping, dry run (every row's
outcome with its line number, nothing written), then import; both runs go on the job queue (prm_app/dataio/runs.py)
while the page follows their progress, also after leaving and coming back; after either, every row's outcome
downloads as a CSV. `?kind=leads` opens it on a record type (the lead queue links here)."""

from __future__ import annotations

import asyncio
import json

import reflex as rx

from prm_app.dataio.runs import (
    UPLOADS,
    check_upload,
    import_progress,
    import_results,
    latest_import,
    start_import,
    table,
)
from prm_app.dataio.tables import TABLES
from prm_app.platform.access import Permission
from prm_app.platform.errors import DomainError, ValidationError
from prm_app.platform.import_files import receive_upload
from prm_app.platform.jobs_progress import JobStatus, RunProgress
from prm_app.platform.settings import settings
from prm_app.platform.table_io import Mode, check_mapping, template_csv
from prm_app.web.components.drop_zone import drop_zone
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, Nav, page
from prm_app.web.state import AuthState
from prm_app.web.uploads_http import allow_upload

POLL_SECONDS = 0.5
MODES = [("upsert", "Insert or update (upsert)"), ("insert", "Insert new records only"),
         ("update", "Update existing records only")]  # fmt: skip
OUTCOMES = ("added", "updated", "skipped", "failed")


class DataImportState(AuthState):
    kind: str = "partners"
    mode: str = "upsert"
    file_name: str = ""
    rows: int = 0
    columns: list[dict[str, str]] = []  # per file column: index, header, column ("" = ignored)
    problem: str = ""
    phase: str = ""  # the run this tab shows: "dry" or "real"
    running: bool = False
    done: int = 0
    total: int = 0
    counts: dict[str, int] = {}
    failures: list[dict[str, str]] = []
    failure: str = ""
    checked: bool = False  # a dry run of this file, mode and mapping finished: the import may start
    _upload_key: str = ""
    _run_id: int = 0
    _watching: int = 0

    @rx.var
    def column_names(self) -> list[str]:
        spec = TABLES.get(self.kind)
        return [c.name for c in spec.columns] if spec else []

    @rx.var
    def mapping_problem(self) -> str:
        spec = TABLES.get(self.kind)
        return check_mapping(spec, [c["column"] for c in self.columns]) if spec and self.columns else ""

    @rx.var
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @rx.var
    def result_text(self) -> str:
        said = ", ".join(f"{self.counts.get(o, 0):,} {o}" for o in OUTCOMES)
        return ("Dry run, nothing written: " if self.phase == "dry" else "Imported: ") + said + "."

    def _forget_result(self) -> None:
        self.phase, self.running, self.done, self.total, self.counts = "", False, 0, 0, {}
        self.failures, self.failure, self.checked, self._run_id = [], "", False, 0

    def _reset(self) -> None:
        if self._upload_key:
            UPLOADS.delete(self._upload_key)
        self.file_name, self.rows, self.columns, self.problem, self._upload_key = "", 0, [], "", ""
        self._forget_result()

    def _show(self, run: RunProgress) -> None:
        self.running, self.done, self.total = not run.finished, run.done, run.total
        self.phase = "dry" if int(run.summary.get("dry", 0)) or self.phase == "dry" else self.phase or "real"
        self.counts = {o: int(run.summary.get(o, 0)) for o in OUTCOMES}
        failed = json.loads(str(run.summary.get("failures", "[]")))
        self.failures = [{"line": str(line), "key": str(key), "reason": str(why)} for line, key, why in failed]
        self.failure = run.error if run.status == JobStatus.FAILED else ""
        self.checked = self.phase == "dry" and run.status == JobStatus.DONE

    def _mapping(self) -> list[str]:
        return [c["column"] for c in self.columns]

    @rx.event
    def load(self):
        self._reset()
        asked = self.router.url.query_parameters.get("kind", "")
        if isinstance(asked, str) and asked in TABLES:
            self.kind = asked
        run = self._run(latest_import)
        if run is None:
            return None
        self._run_id = run.id
        self.phase = "dry" if int(run.summary.get("dry", 0)) else "real"
        self._show(run)
        return None if run.finished else DataImportState.watch

    @rx.event
    def set_kind(self, value: str):
        if isinstance(value, str) and value in TABLES and not self.running:
            self._reset()
            self.kind = value

    @rx.event
    def set_mode(self, value: str):
        if isinstance(value, str) and value in {m.value for m in Mode} and not self.running:
            self.mode = value
            self._forget_result()

    @rx.event
    def set_column(self, index: str, value: str):
        """Map file column `index` to `value` ("" ignores it)."""
        names = self.column_names
        if not (isinstance(index, str) and index.isdigit() and isinstance(value, str)) or self.running:
            return
        if int(index) < len(self.columns) and (value == "" or value in names):
            self.columns[int(index)] = {**self.columns[int(index)], "column": value}
            self._forget_result()

    @rx.event
    def download_results(self):
        """Every row's outcome of the run this tab shows (line, external_id, outcome, reason), as CSV."""
        if not self._run_id or self.running:
            return None
        text = self._run(import_results, self._run_id)
        return rx.download(data=text, filename=f"{self.kind}-{self.phase}-run-results.csv")

    @rx.event(background=True)
    async def upload(self, chunks: rx.UploadChunkIterator):
        """The file streams to storage (refused past the cap), then its header is read and its columns mapped."""
        async with self:
            kind, busy = self.kind, self.running
        await self._run_in_thread(lambda session, actor: actor.require(table(kind).permission))
        if busy:
            return
        try:
            stored = await receive_upload(UPLOADS, chunks, settings.max_upload_bytes)
            found = await self._run_in_thread(check_upload, kind, stored.key, UPLOADS)
        except (ValidationError, DomainError) as refused:
            async with self:
                self.problem = refused.message
            return
        async with self:
            self._reset()
            self._upload_key, self.file_name, self.rows, self.problem = stored.key, stored.name, found.rows, ""
            self.columns = [
                {"index": str(i), "header": h, "column": c}
                for i, (h, c) in enumerate(zip(found.header, found.mapping, strict=True))
            ]
            if not found.header:
                self._upload_key, self.problem = "", found.problem  # the file is gone

    @rx.event(background=True)
    async def dry_run(self):
        return await self._start(dry=True)

    @rx.event(background=True)
    async def run_import(self):
        return await self._start(dry=False)

    async def _start(self, *, dry: bool):
        async with self:
            if self.running or not self._upload_key or (not dry and not self.checked):
                return None
            kind, mode, key, mapping = self.kind, self.mode, self._upload_key, self._mapping()
            self._forget_result()
            self.running, self.phase = True, "dry" if dry else "real"
        try:
            run_id = await self._run_in_thread(start_import, kind, mode, key, mapping, UPLOADS, dry=dry)
        except DomainError as refused:
            async with self:
                self.running, self.phase = False, ""
            return rx.toast.error(refused.message)
        async with self:
            self._run_id = run_id
            if not dry:
                self._upload_key = ""  # the job owns the file now
        return DataImportState.watch

    @rx.event(background=True)
    async def watch(self):
        async with self:
            run_id = self._run_id
            if not run_id or self._watching == run_id:
                return
            self._watching = run_id
        try:
            while True:
                run = await self._run_in_thread(import_progress, run_id)
                async with self:
                    if self._run_id != run_id:
                        return
                    self._show(run)
                if run.finished:
                    return
                await asyncio.sleep(POLL_SECONDS)
        finally:
            async with self:
                if self._watching == run_id:
                    self._watching = 0


allow_upload(DataImportState.upload, Permission.RECRUIT_PARTNERS, settings.max_upload_bytes)


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
    audience=Audience.INTERNAL,
    on_load=DataImportState.load,
    nav=Nav("Import & export", "file-up", 97, permission=Permission.RECRUIT_PARTNERS),
)
def data_import_page() -> rx.Component:
    return rx.vstack(
        rx.flex(
            _native_select(
                "Records",
                "import-kind",
                [(k, s.title) for k, s in TABLES.items()],
                DataImportState.kind,
                DataImportState.set_kind,
            ),
            _native_select("Mode", "import-mode", MODES, DataImportState.mode, DataImportState.set_mode),
            gap="1rem",
            wrap="wrap",
            width="100%",
        ),
        rx.text(
            "Rows are matched on external_id (a lead without one: on its domain and contact e-mail). Export a "
            "current list from the Partners page or a lead queue (same columns).",
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
        rx.button(
            "Upload", type="button", on_click=DataImportState.upload(rx.upload_files_chunk(upload_id="record_csv"))
        ),
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
