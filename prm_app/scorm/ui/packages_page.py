"""SCORM packages for managers (/training/scorm): every imported package, and importing a new one from a zip.
A refused zip says why next to the upload, and nothing of it is kept. Reached from training's manager pages."""

from __future__ import annotations

import reflex as rx

from prm_app.identity import with_zone
from prm_app.platform.access import Permission
from prm_app.platform.errors import DomainError
from prm_app.scorm.queries import PAGE_SIZE, list_packages
from prm_app.scorm.service import import_package
from prm_app.scorm.storage import PACKAGE_MAX_BYTES, PACKAGES
from prm_app.scorm.ui.display import PackageLine, package_line
from prm_app.web.components.forms import field_message
from prm_app.web.components.tables import data_table, pager
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState
from prm_app.web.uploads_http import allow_upload

UPLOAD_ID = "scorm-package"


class ScormPackagesState(AuthState):
    packages: list[PackageLine] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    upload_problem: str = ""
    importing: bool = False

    def _reload(self) -> None:
        (rows, total), zone = self._run(with_zone, list_packages, self.page)
        self.packages = [package_line(r, zone) for r in rows]
        self.total, self.pages = total, max(1, -(-total // PAGE_SIZE))

    @rx.event
    def load(self):
        self.page, self.upload_problem, self.importing = 1, "", False
        self._reload()

    @rx.event
    def go_to(self, page: int):
        self.page = page if isinstance(page, int) and not isinstance(page, bool) and 1 <= page <= 10_000 else 1
        self._reload()

    @rx.event(background=True)
    async def import_zip(self, chunks: rx.UploadChunkIterator):
        """The zip streams into the incoming store (capped, proven a zip by its first bytes), is checked entry by
        entry and unpacked only if all of it passes; the zip itself goes either way. The upload guard refused
        anyone without MANAGE_SCORM before a byte arrived; the import checks again."""
        async with self:
            self.importing, self.upload_problem = True, ""
        stored = None
        try:
            stored = await PACKAGES.incoming.receive(chunks)
            package_id = await self._run_in_thread(import_package, PACKAGES.incoming.path(stored.key), stored.name)
        except DomainError as exc:
            async with self:
                self.importing, self.upload_problem = False, exc.message
            return None
        except Exception:
            async with self:
                self.importing = False
            raise
        finally:
            if stored is not None:
                PACKAGES.incoming.delete(stored.key)  # the zip goes whether it was imported or refused
        async with self:
            self.importing = False
        return [rx.clear_selected_files(UPLOAD_ID), rx.redirect(f"/training/scorm/{package_id}")]


allow_upload(ScormPackagesState.import_zip, Permission.MANAGE_SCORM, PACKAGE_MAX_BYTES)


def _row(p: rx.Var[PackageLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(p.title, href=f"/training/scorm/{p.id}")),
        rx.table.cell(p.version),
        rx.table.cell(p.scos),
        rx.table.cell(p.size),
        rx.table.cell(p.imported),
    )


def _upload_form() -> rx.Component:
    s = ScormPackagesState
    return rx.card(
        rx.vstack(
            rx.heading("Import a package", size="4", as_="h2"),
            rx.el.label(
                rx.upload(
                    rx.vstack(
                        rx.text(
                            f"SCORM 1.2 or 2004 zip, up to {PACKAGE_MAX_BYTES // (1024 * 1024)} MB", weight="medium"
                        ),
                        rx.text.span("Choose a zip or drop it here", class_name="upload-cta"),
                        rx.text(rx.selected_files(UPLOAD_ID).join(", "), size="2"),
                    ),
                    id=UPLOAD_ID,
                    accept={"application/zip": [".zip"], "application/x-zip-compressed": [".zip"]},
                    max_files=1,
                    multiple=False,
                    border="1px dashed var(--gray-7)",
                    padding="1rem",
                    width="100%",
                    custom_attrs={"aria-describedby": "field-package-error"},
                ),
                width="100%",
            ),
            field_message(s.upload_problem, "field-package"),
            rx.button(
                "Import package",
                type="button",
                loading=s.importing,
                on_click=s.import_zip(rx.upload_files_chunk(upload_id=UPLOAD_ID)),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


@page("/training/scorm", title="SCORM packages", audience=Audience.INTERNAL, on_load=ScormPackagesState.load)
def scorm_packages_page() -> rx.Component:
    s = ScormPackagesState
    return rx.vstack(
        rx.text(
            "Courses exported from an authoring tool as SCORM 1.2 or 2004 zips. Import one here, preview it, then "
            "use it in a training lesson.",
            size="2",
        ),
        _upload_form(),
        rx.cond(
            s.total > 0,
            rx.vstack(
                data_table(
                    ["Package", "Version", "SCOs", "Size", "Imported"], s.packages, _row, label="SCORM packages"
                ),
                rx.cond(s.pages > 1, pager(s.page, s.pages, s.go_to)),
                width="100%",
            ),
            rx.text("No packages yet.", size="2", color_scheme="gray"),
        ),
        spacing="4",
        width="100%",
    )
