"""A partner's checklist for its channel manager: start it, approve what the partner handed in, send a task back
with a note (the partner is notified), skip what this partner does not need."""

from __future__ import annotations

import reflex as rx

from prm_app.identity import with_zone
from prm_app.onboarding import approve_task, partner_checklist, send_back_task, skip_task, start_onboarding
from prm_app.onboarding.ui.display import JourneyCard, TaskLine, journey_card
from prm_app.onboarding.ui.document_http import DOCUMENT_PATH
from prm_app.onboarding.ui.parts import journey_summary, stage_card
from prm_app.platform.errors import DomainError, NotFound
from prm_app.web.components.confirm import confirm_button
from prm_app.web.components.forms import field_error
from prm_app.web.layout import record_heading, record_page
from prm_app.web.registry import Audience, page, url_for
from prm_app.web.state import AuthState


class PartnerChecklistState(AuthState):
    found: bool = True
    partner: str = ""
    partner_id: int = 0
    journey: JourneyCard = JourneyCard()
    errors: dict[str, str] = {}
    back_open: bool = False
    back_for: str = ""
    _back_task: int = 0

    def _reload(self) -> None:
        try:
            view, zone = self._run(with_zone, partner_checklist, self.partner_id)
        except NotFound:
            self.found, self.partner, self.journey = False, "", JourneyCard()
            return
        self.found = True
        self.journey = journey_card(view, zone, self._words())
        self.partner = view.organization if view else self.partner

    @rx.event
    def load(self):
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.errors, self.back_open, self.partner = {}, False, ""
        if not raw.isdigit():
            self.found = False
            return
        self.partner_id = int(raw)
        self._reload()

    def _do(self, fn, *args, success: str):
        try:
            self._run(fn, *args)
        except NotFound:
            raise
        except DomainError as exc:
            if exc.field is None and type(exc) is DomainError:
                self.errors = {"action": exc.message}
                return None
            raise
        self.errors = {}
        self._reload()
        return rx.toast.success(success)

    @rx.event
    def start(self):
        return self._do(start_onboarding, self.partner_id, success="Onboarding started.")

    @rx.event
    def approve(self, task_id: int):
        if isinstance(task_id, int) and not isinstance(task_id, bool):
            return self._do(approve_task, task_id, success="Task approved.")

    @rx.event
    def skip(self, task_id: int):
        if isinstance(task_id, int) and not isinstance(task_id, bool):
            return self._do(skip_task, task_id, success="Task skipped.")

    @rx.event
    def ask_send_back(self, task_id: int, title: str):
        if isinstance(task_id, int) and not isinstance(task_id, bool):
            self._back_task, self.back_for, self.back_open, self.errors = task_id, str(title)[:160], True, {}

    @rx.event
    def close_send_back(self, open_: bool = False):
        if not open_:
            self.back_open, self.errors = False, {}

    @rx.event
    def send_back(self, form: dict):
        try:
            self._run(send_back_task, self._back_task, str(form.get("note", ""))[:2000])
        except NotFound:
            raise
        except DomainError as exc:
            self.errors = {exc.field or "note": exc.message}
            return None
        self.errors, self.back_open = {}, False
        self._reload()
        return rx.toast.success("Sent back; the partner has been notified.")


def _actions(t: rx.Var[TaskLine]) -> rx.Component:
    s = PartnerChecklistState
    return rx.hstack(
        rx.cond(
            t.document_name != "",
            rx.link("Download document", href=f"{DOCUMENT_PATH}/" + t.id.to_string(), is_external=True),
        ),
        rx.cond(
            t.can_approve,
            rx.button(
                "Approve", on_click=s.approve(t.id), size="2", color_scheme="green", aria_label="Approve: " + t.title
            ),
        ),
        rx.cond(
            t.can_send_back,
            rx.button(
                "Send back",
                on_click=s.ask_send_back(t.id, t.title),
                size="2",
                variant="soft",
                color_scheme="red",
                aria_label="Send back: " + t.title,
            ),
        ),
        rx.cond(
            t.can_skip,
            confirm_button(
                "Skip",
                title="Skip this task?",
                consequence="It counts as done for this partner.",
                on_confirm=s.skip(t.id),
                color_scheme="gray",
                variant="soft",
                size="2",
                aria_label="Skip: " + t.title,
            ),
        ),
        wrap="wrap",
        align="center",
    )


def _send_back_dialog() -> rx.Component:
    s = PartnerChecklistState
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Send back"),
            rx.dialog.description(s.back_for),
            rx.form(
                rx.vstack(
                    rx.el.label("What should the partner change?", html_for="field-note", class_name="field-label"),
                    rx.text_area(
                        id="field-note", name="note", rows="4", width="100%", aria_describedby="field-note-error"
                    ),
                    field_error(s.errors, "note"),
                    rx.flex(
                        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                        rx.button("Send back", type="submit", color_scheme="red"),
                        spacing="3",
                        justify="end",
                        wrap="wrap",
                        width="100%",
                    ),
                    width="100%",
                ),
                on_submit=s.send_back,
                reset_on_submit=False,
                no_validate=True,
            ),
            max_width="30rem",
        ),
        open=s.back_open,
        on_open_change=s.close_send_back,
    )


@page(
    "/onboarding/partner/[partner_id]",
    title="Partner onboarding",
    audience=Audience.INTERNAL,
    on_load=PartnerChecklistState.load,
)
@record_page
def partner_onboarding_page() -> rx.Component:
    s = PartnerChecklistState
    return rx.vstack(
        record_heading(s.partner, [("Onboarding", url_for("onboarding_board_page"))], "Partner onboarding"),
        rx.cond(
            s.found,
            rx.vstack(
                field_error(s.errors, "action"),
                rx.cond(
                    s.journey.started,
                    rx.vstack(
                        rx.card(journey_summary(s.journey), width="100%"),
                        rx.foreach(s.journey.stages, lambda st: stage_card(st, _actions)),
                        _send_back_dialog(),
                        spacing="4",
                        width="100%",
                    ),
                    rx.hstack(
                        rx.text("This partner's onboarding has not started."),
                        rx.button("Start onboarding", on_click=s.start),
                        align="center",
                        wrap="wrap",
                    ),
                ),
                spacing="4",
                width="100%",
            ),
            rx.callout("Partner not found.", icon="circle_alert", color_scheme="gray", role="alert"),
        ),
        spacing="4",
        width="100%",
    )
