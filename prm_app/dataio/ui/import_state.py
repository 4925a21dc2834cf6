"""The import page's state: the record type, mode and mapping chosen, the upload, and the dry and real runs it
follows (prm_app/dataio/runs.py). One upload handler per record type, each let through the upload guard
(prm_app/web/uploads_http.py) for its own type's permission only."""

from __future__ import annotations

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
from prm_app.platform.access import Actor
from prm_app.platform.errors import DomainError, ValidationError
from prm_app.platform.import_files import receive_upload
from prm_app.platform.jobs_progress import JobStatus, RunProgress
from prm_app.platform.settings import settings
from prm_app.platform.table_io import Mode, check_mapping
from prm_app.web.run_watch import follow_run
from prm_app.web.state import AuthState
from prm_app.web.uploads_http import allow_upload

MODES = [("upsert", "Insert or update (upsert)"), ("insert", "Insert new records only"),
         ("update", "Update existing records only")]  # fmt: skip
OUTCOMES = ("added", "updated", "skipped", "failed")


def importable(session: object, actor: Actor) -> list[list[str]]:
    """[kind, title] of the records the actor may import."""
    return [[kind, spec.title] for kind, spec in TABLES.items() if actor.can(spec.permission)]


class DataImportState(AuthState):
    kind: str = ""
    kinds: list[list[str]] = []  # [kind, title] the person may import
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
        self.kinds = self._run(importable)
        allowed = [kind for kind, _title in self.kinds]
        asked = self.router.url.query_parameters.get("kind", "")
        self.kind = asked if isinstance(asked, str) and asked in allowed else (allowed[0] if allowed else "")
        run = self._run(latest_import)
        if run is None:
            return None
        self._run_id = run.id
        self.phase = "dry" if int(run.summary.get("dry", 0)) else "real"
        self._show(run)
        return None if run.finished else DataImportState.watch

    @rx.event
    def set_kind(self, value: str):
        if isinstance(value, str) and value in [k for k, _t in self.kinds] and not self.running:
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

    # One upload handler per record type (prm_app/web/uploads_http.py lets each through for its type's permission).
    @rx.event(background=True)
    async def upload_partners(self, chunks: rx.UploadChunkIterator):
        return await self._upload("partners", chunks)

    @rx.event(background=True)
    async def upload_users(self, chunks: rx.UploadChunkIterator):
        return await self._upload("users", chunks)

    @rx.event(background=True)
    async def upload_deals(self, chunks: rx.UploadChunkIterator):
        return await self._upload("deals", chunks)

    @rx.event(background=True)
    async def upload_leads(self, chunks: rx.UploadChunkIterator):
        return await self._upload("leads", chunks)

    async def _upload(self, kind: str, chunks: rx.UploadChunkIterator):
        """The file streams to storage (refused past the cap), then its header is read and its columns mapped."""
        async with self:
            busy = self.running or self.kind != kind  # the records chosen changed meanwhile
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
        await follow_run(self, lambda run_id: self._run_in_thread(import_progress, run_id))


def upload_handler(kind: str) -> rx.EventHandler:
    return getattr(DataImportState, f"upload_{kind}")


for _kind, _spec in TABLES.items():
    allow_upload(upload_handler(_kind), _spec.permission, settings.max_upload_bytes)
