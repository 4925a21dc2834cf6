"""A partner's person chooses which notifications they also get by email; every notification shows in the app
(the bell, the notifications page) whatever they choose. Reached from the notifications page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from prm_app.notifications import EmailChoice, my_email_choices, set_email_choices
from prm_app.web.header_state import HeaderState
from prm_app.web.registry import Audience, page, url_for

CHECKED = ("on", True, "true")


@dataclass(frozen=True)
class ChoiceLine:
    kind: str = ""
    label: str = ""  # "Email me when" + this
    email: bool = False


def _line(c: EmailChoice) -> ChoiceLine:
    return ChoiceLine(c.kind, c.label[:1].upper() + c.label[1:], c.email)


class NotificationPreferencesState(HeaderState):
    choices: list[ChoiceLine] = []
    saved_note: str = ""  # announced after a save

    def _show(self, choices: tuple[EmailChoice, ...]) -> None:
        self.choices = [_line(c) for c in choices]

    @rx.event
    def load(self):
        self.saved_note = ""
        self._show(self._run(my_email_choices))

    @rx.event
    def save(self, form: dict[str, Any]):
        # Only the form's own names count: "email-<kind>"; set_email_choices ignores kinds that are not emailable.
        emailed = [str(name)[6:] for name, value in form.items() if str(name).startswith("email-") and value in CHECKED]
        self._show(self._run(set_email_choices, emailed[:50]))
        count = sum(1 for c in self.choices if c.email)
        self.saved_note = f"Saved: {count} of {len(self.choices)} events by email, every one in the app."
        return rx.toast.success("Notification settings saved.")


def _choice(c: rx.Var[ChoiceLine]) -> rx.Component:
    return rx.box(
        rx.checkbox(c.label, name=rx.Var.create("email-") + c.kind, default_checked=c.email, size="3"),
        padding_y="0.35rem",
    )


@page(
    "/account/notifications",
    title="Notification settings",
    audience=Audience.PARTNER,
    on_load=NotificationPreferencesState.load,
)
def notification_preferences_page() -> rx.Component:
    s = NotificationPreferencesState
    return rx.vstack(
        rx.text(
            "Every notification shows in the app, on the bell and the Notifications page. "
            "Choose which ones you also get by email; the others stay in the app only.",
            size="3",
        ),
        rx.form(
            rx.el.fieldset(
                rx.el.legend("Email me when", class_name="field-label"),
                rx.box(
                    rx.foreach(s.choices, _choice),
                    # Redrawn with the saved choices (default_checked is read once per drawing).
                    key=s.choices.to_string(),
                ),
                class_name="fieldset",
            ),
            rx.flex(
                rx.button("Save notification settings", type="submit", size="3"),
                rx.link("Back to notifications", href=url_for("notifications_page")),
                gap="1rem",
                align="center",
                wrap="wrap",
                margin_top="1rem",
            ),
            on_submit=s.save,
            reset_on_submit=False,
            aria_label="Notification settings",
            width="100%",
        ),
        rx.text(s.saved_note, size="2", role="status"),
        spacing="4",
        width="100%",
        max_width="40rem",
    )
