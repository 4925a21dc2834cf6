"""Lead CSV import for channel managers: a preview of every bad row, then the import, which runs on the job queue
(prm_app/leads/import_runs.py) while the page follows its progress, also after leaving and coming back."""

from __future__ import annotations

import asyncio

import reflex as rx

from prm_app.leads.import_runs import latest_lead_import, lead_import_progress, start_lead_import
from prm_app.leads.imports import UPLOADS, discard_import, may_import, preview_import, receive_upload
from prm_app.leads.intake import HEADERS, template_csv
from prm_app.platform.access import Permission
from prm_app.platform.errors import DomainError, ValidationError
from prm_app.platform.jobs_progress import JobStatus, RunProgress
from prm_app.platform.settings import settings
from prm_app.web.components.drop_zone import drop_zone
from prm_app.web.components.tables import data_table
from prm_app.web.format import plural
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState
from prm_app.web.uploads_http import allow_upload

POLL_SECONDS = 0.5  # how often a page watching an import reads its run


class ImportState(AuthState):
    file_name: str = ""
    total: int = 0
    valid: int = 0
    bad_rows: int = 0
    errors: list[dict[str, str]] = []
    problem: str = ""
    importing: bool = False  # this person's import run is queued or running
    done: int = 0
    to_import: int = 0  # 0 until the job has read the file
    imported: int = -1  # set when the run is done
    failure: str = ""
    _upload_key: str = ""
    _run_id: int = 0  # the run this tab shows
    _watching: int = 0  # the run a poll loop of this tab watches (one loop per run)

    @rx.var
    def percent(self) -> int:
        return round(100 * self.done / self.to_import) if self.to_import else 0

    @rx.var
    def summary(self) -> str:
        """ "12 rows, 11 ready to import, 1 with problems." """
        return f"{plural(self.total, 'row')}, {self.valid:,} ready to import, {self.bad_rows:,} with problems."

    @rx.var
    def progress_text(self) -> str:
        return f"Imported {self.done:,} of {self.to_import:,}" if self.to_import else ""

    @rx.var
    def import_label(self) -> str:
        return f"Import {plural(self.valid, 'valid lead')}"

    @rx.var
    def imported_text(self) -> str:
        return f"Imported {plural(max(self.imported, 0), 'lead')} into their queues."

    def _reset(self) -> None:
        if self._upload_key:  # a preview replaced or left behind goes now, not after a day
            discard_import(UPLOADS, self._upload_key)
        self.file_name, self.total, self.valid, self.bad_rows, self.errors = "", 0, 0, 0, []
        self.problem, self.importing, self.done, self.to_import, self.imported = "", False, 0, 0, -1
        self.failure, self._upload_key, self._run_id = "", "", 0

    def _show(self, run: RunProgress) -> None:
        self.importing = not run.finished
        self.done, self.to_import = run.done, run.total
        self.imported = int(run.summary.get("imported", run.done)) if run.status == JobStatus.DONE else -1
        self.failure = run.error if run.status == JobStatus.FAILED else ""

    @rx.event
    def load(self):
        """A fresh page; when this person's last import is still going, its progress again (or its outcome when
        it ended in the last minutes)."""
        self._reset()
        run = self._run(latest_lead_import)
        if run is None:
            return None
        self._run_id = run.id
        self._show(run)
        return None if run.finished else ImportState.watch

    @rx.event(background=True)
    async def preview(self, chunks: rx.UploadChunkIterator):
        """The file streams to storage as it arrives (refused past the cap, nothing kept), then is parsed from disk.
        The upload guard (web.uploads_http) has already refused anonymous and unauthorized senders."""
        await self._run_in_thread(may_import)
        async with self:
            if self.importing:
                return
            self._reset()
        try:
            upload = await receive_upload(UPLOADS, chunks, settings.max_upload_bytes)
            result = await self._run_in_thread(preview_import, upload.key, UPLOADS)
        except ValidationError as exc:
            async with self:
                self.problem = exc.message
            return
        async with self:
            self._reset()  # a second preview started meanwhile in this tab: the last one wins
            self._upload_key, self.file_name = result.key, upload.name
            self.total, self.valid, self.bad_rows = result.total_rows, result.valid, result.bad_rows
            self.errors = [
                {"row": str(e.row), "field": e.field, "message": e.message, "value": e.value} for e in result.errors
            ]

    @rx.event(background=True)
    async def run_import(self):
        """Hand the previewed file to the job queue (taken once, however often this is called) and watch it."""
        async with self:
            if self.importing or not self._upload_key:
                return None  # a second start in this tab (a double click); other tabs and workers: take() refuses
            key, self.importing, self.done, self.to_import, self.failure = self._upload_key, True, 0, 0, ""
        try:
            run_id = await self._run_in_thread(start_lead_import, key, UPLOADS)
        except DomainError as refused:
            async with self:
                self.importing = False
            return rx.toast.error(refused.message)
        async with self:
            self._upload_key, self._run_id = "", run_id  # the job owns the file now
        return ImportState.watch

    @rx.event(background=True)
    async def watch(self):
        """Poll this tab's run every POLL_SECONDS until it ends, showing its progress and then its outcome."""
        async with self:
            run_id = self._run_id
            if not run_id or self._watching == run_id:
                return
            self._watching = run_id
        try:
            while True:
                run = await self._run_in_thread(lead_import_progress, run_id)
                async with self:
                    if self._run_id != run_id:
                        return  # the tab moved on (a new preview)
                    self._show(run)
                if run.finished:
                    return
                await asyncio.sleep(POLL_SECONDS)
        finally:
            async with self:
                if self._watching == run_id:
                    self._watching = 0


allow_upload(ImportState.preview, Permission.MANAGE_LEADS, settings.max_upload_bytes)


@page("/lead-queue/import", title="Import leads", audience=Audience.INTERNAL, on_load=ImportState.load)
def import_page() -> rx.Component:
    return rx.vstack(
        rx.text("Columns: ", ", ".join(HEADERS), ". Company, domain, contact_email and country are required."),
        rx.link(
            "Download a template",
            href="data:text/csv;charset=utf-8," + template_csv().replace("\n", "%0A"),
            download="lead-import-template.csv",
        ),
        drop_zone("lead_csv", "CSV file with leads", {"text/csv": [".csv"]}),
        rx.button("Preview", on_click=ImportState.preview(rx.upload_files_chunk(upload_id="lead_csv"))),
        rx.cond(ImportState.problem != "", rx.callout(ImportState.problem, color_scheme="red", role="alert")),
        rx.cond(
            ImportState.file_name != "",
            rx.vstack(
                rx.text(ImportState.file_name, ": ", ImportState.summary, role="status"),
                rx.cond(
                    ImportState.errors.length() > 0,
                    data_table(
                        ["Row", "Column", "Problem", "Value"],
                        ImportState.errors,
                        lambda e: rx.table.row(
                            rx.table.row_header_cell(e["row"]),
                            rx.table.cell(e["field"]),
                            rx.table.cell(e["message"]),
                            rx.table.cell(e["value"]),
                        ),
                        label="Problems found in the file",
                    ),
                ),
                rx.button(
                    ImportState.import_label,
                    on_click=ImportState.run_import,
                    disabled=(ImportState.valid == 0) | ImportState.importing | (ImportState.imported >= 0),
                    loading=ImportState.importing,
                ),
                width="100%",
            ),
        ),
        _import_outcome(),
        spacing="4",
        width="100%",
    )


def _import_outcome() -> rx.Component:
    """The run's progress while it goes (also after leaving the page and coming back), then how it ended."""
    return rx.fragment(
        rx.cond(
            ImportState.importing,
            rx.vstack(
                rx.progress(value=ImportState.percent, aria_label="Import progress", width="100%"),
                rx.text(
                    rx.cond(
                        ImportState.to_import > 0,
                        ImportState.progress_text,
                        "Waiting for the job runner to start the import…",
                    ),
                    role="status",
                ),
                width="100%",
            ),
        ),
        rx.cond(
            ImportState.imported >= 0,
            rx.callout(
                rx.text(ImportState.imported_text),
                icon="circle_check",
                color_scheme="green",
                role="status",
            ),
        ),
        rx.cond(ImportState.failure != "", rx.callout(ImportState.failure, color_scheme="red", role="alert")),
    )
