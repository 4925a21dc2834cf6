"""The private link of a "needs more detail" answer: the applicant reads what the reviewer asked, edits the
application (filled with what they sent) and sends it again, or withdraws it. The token in the address is the
credential (a backend var here); the use cases look the application up by its hash."""

from __future__ import annotations

import reflex as rx

from prm_app.platform.errors import DomainError, FormInvalid, NotFound
from prm_app.recruitment import application_to_edit, open_program, resubmit_application, withdraw_application
from prm_app.recruitment.ui.apply import confirmation, public_frame
from prm_app.recruitment.ui.form import FieldView, application_fields, field_views
from prm_app.web.components.confirm import confirm_button
from prm_app.web.components.forms import form_error
from prm_app.web.registry import Audience, page
from prm_app.web.state import off_loop, run_public


class ResubmitState(rx.State):
    valid: bool = False
    loaded: bool = False
    reference: str = ""
    note: str = ""
    fields: list[FieldView] = []
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    problem: str = ""
    sent_to: str = ""  # set once it is sent again
    withdrawn: bool = False
    _token: str = ""

    @rx.event
    @off_loop
    def load(self):
        self._token = self.router.url.path.rstrip("/").rsplit("/", 1)[-1][:100]
        self.errors, self.problem, self.sent_to, self.withdrawn, self.loaded = {}, "", "", False, False
        try:
            shown = run_public(application_to_edit, self._token)
        except NotFound:
            self.valid, self.loaded = False, True
            return
        try:
            self.fields = field_views(run_public(open_program, shown.program_slug))
        except NotFound:
            self.fields = []
        self.valid, self.reference, self.note, self.values = True, shown.reference, shown.note, shown.values
        self.loaded = True

    @rx.event
    @off_loop
    def submit(self, form: dict):
        self.errors, self.problem = {}, ""
        try:
            done = run_public(resubmit_application, self._token, form)
        except FormInvalid as exc:
            self.errors = exc.errors
            return rx.set_focus(f"field-{next(iter(exc.errors))}")
        except NotFound:
            self.valid = False
            return None
        except DomainError as exc:
            self.problem = exc.message
            return None
        self.sent_to = done.email
        return None

    @rx.event
    @off_loop
    def withdraw(self):
        try:
            run_public(withdraw_application, self._token)
        except NotFound:
            self.valid = False
            return
        self.withdrawn = True


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            application_fields(ResubmitState.errors, ResubmitState.values, ResubmitState.fields),
            rx.button("Send it again", type="submit", size="3", disabled=~rx.State.is_hydrated),
            spacing="4",
            width="100%",
        ),
        on_submit=ResubmitState.submit,
        no_validate=True,
        reset_on_submit=False,
        aria_label="Your application",
        width="100%",
    )


@page("/apply/resubmit/[token]", title="Add detail to your application", audience=Audience.PUBLIC,
      on_load=ResubmitState.load)  # fmt: skip
def resubmit_page() -> rx.Component:
    return public_frame(
        "Add detail to your application",
        rx.cond(
            ~ResubmitState.loaded,
            rx.text("Opening your application…"),
            rx.cond(
                ResubmitState.sent_to != "",
                confirmation(ResubmitState.reference, ResubmitState.sent_to),
                rx.cond(
                    ResubmitState.withdrawn,
                    rx.callout(
                        "Your application is withdrawn. Thank you for your interest.",
                        icon="circle_check",
                        role="status",
                    ),
                    rx.cond(
                        ResubmitState.valid,
                        rx.vstack(
                            rx.text("Application ", rx.text.strong(ResubmitState.reference), ". Our reviewer asked:"),
                            rx.el.blockquote(ResubmitState.note, class_name="reviewer-note"),
                            form_error(ResubmitState.problem),
                            _form(),
                            confirm_button(
                                "Withdraw my application",
                                title="Withdraw your application?",
                                consequence="We stop reviewing it, and this link stops working.",
                                on_confirm=ResubmitState.withdraw,
                                variant="soft",
                            ),
                            spacing="4",
                            width="100%",
                        ),
                        rx.callout(
                            "This link does not work any more: it was used, or the application was decided.",
                            icon="circle_alert",
                            role="alert",
                        ),
                    ),
                ),
            ),
        ),
    )
