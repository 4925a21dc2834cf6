"""A file upload with a progress bar for the library's manager pages: the file streams into the content store
(capped, typed by content: content/storage.py) and waits there, under its random key in a backend var, until the
page's form uses it (a new asset, a new version). Choosing another file, leaving the page or discarding deletes the
waiting one; a refused file leaves nothing, and the message says why next to the file field."""

from __future__ import annotations

from typing import Any

import reflex as rx

from prm_app.content.rules import type_label
from prm_app.content.service import check_can_manage
from prm_app.content.storage import CONTENT_FILES, CONTENT_MAX_BYTES
from prm_app.content.ui.display import size_text
from prm_app.platform.errors import ValidationError
from prm_app.platform.uploads import StoredFile
from prm_app.web.components.drop_zone import drop_zone
from prm_app.web.state import AuthState

ACCEPT = {
    "application/pdf": [".pdf"],
    "image/*": [".png", ".jpg", ".jpeg", ".gif", ".webp"],
    "video/mp4": [".mp4"],
    "application/zip": [".zip"],
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": [".pptx"],
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"],
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [".docx"],
}


class UploadingState(AuthState):
    uploaded: str = ""  # "price-list.pdf · 1.2 MB · PDF" once a file waits
    progress: int = 0
    uploading: bool = False
    file_problem: str = ""
    _stored: dict[str, Any] = {}  # the waiting file (key, content_type, size, name, sha256): never sent to the browser

    def _forget_file(self, delete: bool = True) -> None:
        if delete and self._stored.get("key"):
            CONTENT_FILES.delete(self._stored["key"])
        self._stored, self.uploaded, self.progress, self.file_problem = {}, "", 0, ""

    def _waiting(self) -> tuple[StoredFile, str] | None:
        s = self._stored
        if not s:
            return None
        return StoredFile(s["key"], s["content_type"], s["size"], s["name"]), s["sha256"]

    @rx.event
    def on_progress(self, progress: dict):
        value = progress.get("progress", 0) if isinstance(progress, dict) else 0
        self.progress = max(0, min(100, int(float(value) * 100))) if isinstance(value, int | float) else 0

    @rx.event
    def discard_file(self):
        self._run(check_can_manage)
        self._forget_file()

    @rx.event(background=True)
    async def upload_file(self, chunks: rx.UploadChunkIterator):
        """Stream the file into the store; the upload guard has already refused anyone without the content
        permission, and this checks again before a byte is kept."""
        await self._run_in_thread(check_can_manage)
        async with self:
            self._forget_file()
            self.uploading = True
        try:
            stored = await CONTENT_FILES.receive(chunks)
        except ValidationError as exc:
            async with self:
                self.uploading, self.file_problem, self.progress = False, exc.message, 0
            return None
        digest = await self._in_thread(CONTENT_FILES.sha256, stored.key)
        async with self:
            self.uploading, self.progress = False, 100
            self._stored = {**stored.__dict__, "sha256": digest}
            self.uploaded = f"{stored.name} · {size_text(stored.size)} · {type_label(stored.content_type)}"
        return None


def upload_box(state: type[UploadingState], upload_id: str, label: str) -> rx.Component:
    s = state
    limit = f"up to {CONTENT_MAX_BYTES // (1024 * 1024)} MB"
    return rx.vstack(
        drop_zone(upload_id, f"{label} (PDF, image, MP4, slides, spreadsheet or zip, {limit})", ACCEPT),
        rx.hstack(
            rx.button(
                "Upload file",
                type="button",
                on_click=s.upload_file(rx.upload_files_chunk(upload_id=upload_id, on_upload_progress=s.on_progress)),
                loading=s.uploading,
            ),
            rx.cond(
                s.uploaded != "",
                rx.button("Discard file", type="button", variant="soft", color_scheme="gray", on_click=s.discard_file),
            ),
            spacing="3",
            wrap="wrap",
        ),
        rx.cond(
            s.uploading | (s.progress > 0),
            rx.progress(value=s.progress, max=100, aria_label="Upload progress", width="100%"),
        ),
        rx.text(s.file_problem, id="field-file-error", color_scheme="red", size="2", role="alert"),
        rx.cond(s.uploaded != "", rx.text("Uploaded: ", s.uploaded, size="2", role="status")),
        spacing="2",
        width="100%",
        id="field-file",
    )
