"""The partner's onboarding checklist: the journey, each stage's tasks, marking a manual task done (waiting for
approval when it needs one), uploading a task's document, and why a task was sent back."""

from __future__ import annotations

import reflex as rx

from prm_app.identity import with_zone
from prm_app.onboarding import mark_task_done, my_checklist
from prm_app.onboarding.documents import DOCUMENT_MAX_BYTES, DOCUMENTS
from prm_app.onboarding.service import attach_document, check_document_task
from prm_app.onboarding.ui.display import JourneyCard, TaskLine, journey_card
from prm_app.onboarding.ui.parts import journey_summary, stage_card
from prm_app.platform.access import Permission
from prm_app.platform.errors import DomainError, ValidationError
from prm_app.web.language_state import t as words
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState
from prm_app.web.uploads_http import allow_upload

DOC_INPUT = "onboarding-document"


class ChecklistState(AuthState):
    journey: JourneyCard = JourneyCard()
    # The upload dialog: which task it is for (the id stays on the server; the upload checks it again).
    upload_open: bool = False
    upload_for: str = ""
    upload_problem: str = ""
    uploading: bool = False
    _upload_task: int = 0

    def _reload(self) -> None:
        view, zone = self._run(with_zone, my_checklist)
        self.journey = journey_card(view, zone, self._words())

    @rx.event
    def load(self):
        self.upload_open, self.upload_problem, self.uploading = False, "", False
        self._reload()

    @rx.event
    def mark_done(self, task_id: int):
        if not isinstance(task_id, int) or isinstance(task_id, bool):
            return None
        status = self._run(mark_task_done, task_id)
        self._reload()
        done = "onboarding.sent_for_approval" if status == "waiting_approval" else "onboarding.task_done"
        return rx.toast.success(self._words().text(done))

    @rx.event
    def choose_upload(self, task_id: int, title: str):
        if not isinstance(task_id, int) or isinstance(task_id, bool):
            return
        self._run(check_document_task, task_id)
        self._upload_task, self.upload_for = task_id, str(title)[:160]
        self.upload_open, self.upload_problem = True, ""

    @rx.event
    def close_upload(self, open_: bool = False):
        if not open_:
            self.upload_open, self.upload_problem = False, ""

    @rx.event(background=True)
    async def upload_document(self, chunks: rx.UploadChunkIterator):
        """The file streams into the document storage (capped, checked by content) and hands the task in; a
        replaced document's file goes once that is saved. The upload guard refused anyone without the portal."""
        async with self:
            task_id, self.uploading, self.upload_problem = self._upload_task, True, ""
        try:
            await self._run_in_thread(check_document_task, task_id)
            stored = await DOCUMENTS.receive(chunks)
        except (ValidationError, DomainError) as exc:
            async with self:
                self.uploading, self.upload_problem = False, exc.message
            return None
        try:
            previous = await self._run_in_thread(attach_document, task_id, stored.key, stored.content_type, stored.name)
        except BaseException:
            DOCUMENTS.delete(stored.key)
            async with self:
                self.uploading = False
            raise
        DOCUMENTS.delete(previous)
        view, zone = await self._run_in_thread(with_zone, my_checklist)
        async with self:
            self.uploading, self.upload_open = False, False
            self.journey = journey_card(view, zone, self._words())
        return rx.toast.success(self._words().text("onboarding.document_sent"))


allow_upload(ChecklistState.upload_document, Permission.USE_PORTAL, DOCUMENT_MAX_BYTES)


def _actions(t: rx.Var[TaskLine]) -> rx.Component:
    return rx.hstack(
        rx.cond(
            t.can_mark_done,
            rx.button(
                words("onboarding.mark_done"),
                on_click=ChecklistState.mark_done(t.id),
                size="2",
                aria_label=words("onboarding.mark_done_of") + t.title,
            ),
        ),
        rx.cond(
            t.needs_upload,
            rx.button(
                words("onboarding.upload"),
                on_click=ChecklistState.choose_upload(t.id, t.title),
                size="2",
                aria_label=words("onboarding.upload_of") + t.title,
            ),
        ),
        wrap="wrap",
    )


def _upload_dialog() -> rx.Component:
    s = ChecklistState
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(words("onboarding.upload")),
            rx.dialog.description(s.upload_for),
            rx.el.label(
                rx.upload(
                    rx.vstack(
                        rx.text(words("onboarding.document_field"), weight="medium"),
                        rx.text.span(words("onboarding.choose_file"), class_name="upload-cta"),
                        rx.text(rx.selected_files(DOC_INPUT).join(", "), size="2"),
                    ),
                    id=DOC_INPUT,
                    accept={"application/pdf": [".pdf"], "image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"]},
                    max_files=1,
                    multiple=False,
                    border="1px dashed var(--gray-7)",
                    padding="1rem",
                    width="100%",
                ),
                width="100%",
            ),
            rx.text(s.upload_problem, id="field-document-error", color_scheme="red", size="2", role="alert"),
            rx.flex(
                rx.dialog.close(rx.button(words("shell.cancel"), variant="soft", color_scheme="gray", type="button")),
                rx.button(
                    words("onboarding.send_document"),
                    type="button",
                    loading=s.uploading,
                    on_click=s.upload_document(rx.upload_files_chunk(upload_id=DOC_INPUT)),
                ),
                spacing="3",
                justify="end",
                margin_top="1rem",
                wrap="wrap",
            ),
            max_width="30rem",
        ),
        open=s.upload_open,
        on_open_change=s.close_upload,
    )


@page("/portal/onboarding", title="Onboarding", audience=Audience.PARTNER, on_load=ChecklistState.load)
def onboarding_checklist_page() -> rx.Component:
    j = ChecklistState.journey
    return rx.cond(
        j.started,
        rx.vstack(
            rx.card(journey_summary(j), width="100%"),
            rx.foreach(j.stages, lambda s: stage_card(s, _actions)),
            _upload_dialog(),
            spacing="4",
            width="100%",
        ),
        rx.callout(
            words("onboarding.not_started"),
            icon="info",
            color_scheme="gray",
        ),
    )
