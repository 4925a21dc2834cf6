"""Generating every partner's co-branded copy from a template's page: the run goes to the job queue
(prm_app/content/cobrand_bulk.py) while the page follows its progress live, also after leaving and coming back or
from another manager's screen; when it is done the copies download as one zip."""

from __future__ import annotations

import reflex as rx

from prm_app.content.cobrand_bulk import BulkRun, latest_bulk_render, start_bulk_render
from prm_app.content.ui.asset_admin_state import AssetAdminState
from prm_app.content.ui.file_http import FILES_PATH
from prm_app.platform.errors import DomainError, NotFound
from prm_app.platform.jobs_progress import JobStatus
from prm_app.web.format import plural
from prm_app.web.run_watch import follow_run
from prm_app.web.state import AuthState


class BulkRenderState(AuthState):
    running: bool = False  # a run for this template is queued or going
    done: int = 0
    total: int = 0  # 0 until the job has listed the partners
    outcome: str = ""  # how the latest run ended
    failure: str = ""
    copies: int = 0  # copies ready when the latest run ended (the zip's link shows when above 0)
    _asset_id: int = 0
    _run_id: int = 0  # the run this tab shows
    _watching: int = 0  # the run a poll loop of this tab watches (one loop per run)

    @rx.var
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @rx.var
    def progress_text(self) -> str:
        return f"{self.done:,} of {plural(self.total, 'partner')} done" if self.total else ""

    def _show(self, run: BulkRun | None) -> None:
        self._run_id = run.id if run else 0
        self.running = run is not None and not run.finished
        self.done, self.total = (run.done, run.total) if run else (0, 0)
        done = run is not None and run.status == JobStatus.DONE
        self.copies = run.copies if run and done else 0
        self.outcome = (
            f"{plural(run.copies, 'copy', 'copies')} ready; {plural(run.without_logo, 'partner')} without a logo "
            "got their company name in its place."
            if run and done
            else ""
        )
        self.failure = run.error if run is not None and run.status == JobStatus.FAILED else ""

    @rx.event
    def load(self):
        """The template's latest run (whoever started it): watched again while it goes, its outcome once ended."""
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self._asset_id = int(raw) if raw.isdigit() else 0
        try:
            run = self._run(latest_bulk_render, self._asset_id)
        except NotFound:  # not a template (or no such asset): the section is not shown
            run = None
        self._show(run)
        return BulkRenderState.watch if self.running else None

    @rx.event(background=True)
    async def start(self):
        """Queue the run (or join the one going for this template) and watch it."""
        async with self:
            if self.running:
                return None  # a second click in this tab; other tabs and managers join the same run
            asset_id, self.running, self.done, self.total, self.failure = self._asset_id, True, 0, 0, ""
        try:
            run_id = await self._run_in_thread(start_bulk_render, asset_id)
        except DomainError as refused:
            async with self:
                self.running = False
            return rx.toast.error(refused.message)
        async with self:
            self._run_id = run_id
        return BulkRenderState.watch

    @rx.event(background=True)
    async def watch(self):
        """Follow the template's latest run until it ends; then the partners' table is read again."""
        async with self:
            asset_id = self._asset_id

        async def read(_run_id: int) -> BulkRun | None:  # the template's latest run: another manager's may follow
            return await self._in_thread(self._run_unattended, latest_bulk_render, asset_id)

        if await follow_run(self, read):
            return AssetAdminState.refresh_partners
        return None


def bulk_section(slug: rx.Var) -> rx.Component:
    """The button, the live progress, and how the last run ended with the zip of the copies."""
    s = BulkRenderState
    return rx.vstack(
        rx.button(
            "Generate every partner's copy",
            on_click=s.start,
            type="button",
            disabled=s.running,
            loading=s.running,
        ),
        rx.cond(
            s.running,
            rx.vstack(
                rx.progress(value=s.percent, aria_label="Generation progress", width="100%"),
                rx.text(
                    rx.cond(s.total > 0, s.progress_text, "Waiting for the job runner to start…"),
                    role="status",
                ),
                width="100%",
            ),
        ),
        rx.cond(
            s.outcome != "",
            rx.callout(
                rx.hstack(
                    rx.text(s.outcome),
                    rx.cond(
                        s.copies > 0,
                        rx.el.a(
                            rx.icon("download", size=14, aria_hidden="true"),
                            "Download every copy (zip)",
                            href=FILES_PATH + "/" + slug + "/copies.zip",
                            download="",
                            reload_document=True,  # a document load: react-router would route the file itself
                            class_name="rt-Link",
                        ),
                    ),
                    spacing="3",
                    align="center",
                    wrap="wrap",
                ),
                icon="circle_check",
                color_scheme="green",
                role="status",
                width="100%",
            ),
        ),
        rx.cond(s.failure != "", rx.callout(s.failure, color_scheme="red", role="alert", width="100%")),
        spacing="3",
        width="100%",
    )
