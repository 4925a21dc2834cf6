"""Lead intake for channel managers: one lead by form, or many by CSV with a preview of every bad row."""

from __future__ import annotations

import reflex as rx

from prm_app.leads.imports import (
    FolderStorage,
    add_lead,
    discard_import,
    drafts_to_import,
    may_import,
    preview_import,
    receive_upload,
)
from prm_app.leads.intake import HEADERS, LEAD_SOURCES, VERTICALS, template_csv
from prm_app.leads.store import store_leads
from prm_app.leads.ui.labels import source_label, vertical_label
from prm_app.platform.access import Permission
from prm_app.platform.errors import DomainError, ValidationError
from prm_app.platform.settings import PROJECT_DIR, settings
from prm_app.web.components.forms import COUNTRY_OPTIONS, field, select_field
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, page, url_for
from prm_app.web.state import AuthState
from prm_app.web.uploads_http import allow_upload

# Uploads wait here between preview and import: outside Reflex's public upload folder, named by random tokens.
STORAGE = FolderStorage(PROJECT_DIR / "uploads" / "lead-imports")
CHUNK = 1000


class NewLeadState(AuthState):
    errors: dict[str, str] = {}

    @rx.event
    def submit(self, form: dict):
        problems, draft = self._run(add_lead, {h: str(form.get(h, "")) for h in HEADERS})
        if problems:
            self.errors = {p.field: p.message for p in problems}
            return rx.set_focus(f"field-{problems[0].field}")
        self.errors = {}
        return [rx.toast.success(f"{draft.company} added to the queue."), rx.redirect(url_for("lead_queue_page"))]


def _err(name: str) -> rx.Var:
    return NewLeadState.errors.get(name, "")


@page("/lead-queue/new", title="Add a lead", audience=Audience.INTERNAL)
def new_lead_page() -> rx.Component:
    two = {"initial": "column", "sm": "row"}
    return rx.form(
        rx.vstack(
            field("Company", "company", _err("company")),
            field("Website or email domain", "domain", _err("domain")),
            rx.flex(
                field("Contact name", "contact_name", _err("contact_name"), required=False),
                field("Contact email", "contact_email", _err("contact_email"), type="email"),
                direction=two,
                gap="3",
                width="100%",
            ),
            rx.flex(
                select_field("Country", "country", COUNTRY_OPTIONS),
                field("City", "city", _err("city"), required=False),
                field("Postcode", "postcode", _err("postcode"), required=False),
                direction=two,
                gap="3",
                width="100%",
            ),
            rx.text(_err("country"), color_scheme="red", size="2", role="alert"),
            rx.flex(
                select_field("Vertical", "vertical", [("", "Unknown"), *[(v, vertical_label(v)) for v in VERTICALS]]),
                field("Products (SKUs or names, separated by ;)", "products", _err("products"), required=False),
                direction=two,
                gap="3",
                width="100%",
            ),
            rx.flex(
                field("Estimated size (USD)", "estimated_size", _err("estimated_size"), required=False),
                select_field("Source", "source", [(s, source_label(s)) for s in LEAD_SOURCES], default="website"),
                direction=two,
                gap="3",
                width="100%",
            ),
            rx.hstack(
                rx.button("Add to queue", type="submit", size="3"),
                rx.link("Cancel", href=url_for("lead_queue_page")),
                align="center",
                spacing="4",
            ),
            spacing="4",
            width="100%",
            max_width="48rem",
        ),
        on_submit=NewLeadState.submit,
        no_validate=True,  # our messages sit next to the field; the browser bubble does not
        aria_label="Add a lead",
    )


class ImportState(AuthState):
    file_name: str = ""
    total: int = 0
    valid: int = 0
    bad_rows: int = 0
    errors: list[dict[str, str]] = []
    problem: str = ""
    importing: bool = False
    progress: int = 0
    imported: int = -1
    _upload_key: str = ""

    def _reset(self) -> None:
        if self._upload_key:  # a preview replaced or left behind goes now, not after a day
            discard_import(STORAGE, self._upload_key)
        self.file_name, self.total, self.valid, self.bad_rows, self.errors = "", 0, 0, 0, []
        self.problem, self.importing, self.progress, self.imported, self._upload_key = "", False, 0, -1, ""

    @rx.event
    def load(self):
        self._reset()

    @rx.event(background=True)
    async def preview(self, chunks: rx.UploadChunkIterator):
        """The file streams to storage as it arrives (refused past the cap, nothing kept), then is parsed from disk.
        The upload guard (web.uploads_http) has already refused anonymous and unauthorized senders."""
        self._run(may_import)
        async with self:
            self._reset()
        try:
            upload = await receive_upload(STORAGE, chunks, settings.max_upload_bytes)
            result = self._run(preview_import, upload.key, STORAGE)
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
        async with self:
            if self.importing:
                return None  # a second start in this tab (a double click); other tabs and workers: take() refuses
            try:
                drafts = self._run(drafts_to_import, self._upload_key, STORAGE)
            except DomainError as refused:
                return rx.toast.error(refused.message)
            key = self._upload_key
            self.importing, self.progress = True, 0
        stored = 0
        try:
            for start in range(0, len(drafts), CHUNK):
                # Outside the tab's lock, so the page stays live; the session is checked again for every chunk.
                stored += len(self._run(store_leads, drafts[start : start + CHUNK]))
                async with self:
                    self.progress = round(100 * stored / max(1, len(drafts)))
        finally:
            async with self:
                self.importing, self.imported, self._upload_key = False, stored, ""
            discard_import(STORAGE, key)


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
        # A <label> around the drop zone names its hidden file input (Reflex gives no way to label it directly);
        # clicks reach the input through the label, so the zone's own click handler is off.
        rx.el.label(
            rx.upload(
                rx.vstack(
                    rx.text("CSV file with leads", weight="medium"),
                    rx.text.span("Choose a file or drop it here", class_name="upload-cta"),
                    rx.text(rx.selected_files("lead_csv").join(", "), size="2"),
                ),
                id="lead_csv",
                accept={"text/csv": [".csv"]},
                max_files=1,
                multiple=False,
                no_click=True,
                border="1px dashed var(--gray-7)",
                padding="1rem",
                width="100%",
            ),
            width="100%",
        ),
        rx.button("Preview", on_click=ImportState.preview(rx.upload_files_chunk(upload_id="lead_csv"))),
        rx.cond(ImportState.problem != "", rx.callout(ImportState.problem, color_scheme="red", role="alert")),
        rx.cond(
            ImportState.file_name != "",
            rx.vstack(
                rx.text(
                    ImportState.file_name,
                    ": ",
                    ImportState.total,
                    " rows, ",
                    ImportState.valid,
                    " ready to import, ",
                    ImportState.bad_rows,
                    " with problems.",
                    role="status",
                ),
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
                    "Import ",
                    ImportState.valid,
                    " valid leads",
                    on_click=ImportState.run_import,
                    disabled=(ImportState.valid == 0) | ImportState.importing | (ImportState.imported >= 0),
                    loading=ImportState.importing,
                ),
                rx.cond(ImportState.importing, rx.progress(value=ImportState.progress, aria_label="Import progress")),
                rx.cond(
                    ImportState.imported >= 0,
                    rx.callout(
                        rx.text("Imported ", ImportState.imported, " leads into their queues."),
                        icon="circle_check",
                        color_scheme="green",
                    ),
                ),
                width="100%",
            ),
        ),
        spacing="4",
        width="100%",
    )
