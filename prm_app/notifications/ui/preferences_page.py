"""A partner's person chooses which notifications they also get by email; every notification shows in the app
(the bell, the notifications page) whatever they choose. Reached from the notifications page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from prm_app.notifications import EmailChoice, my_email_choices, set_email_choices
from prm_app.platform.i18n import Catalogue
from prm_app.web.header_state import HeaderState
from prm_app.web.language_state import t
from prm_app.web.registry import Audience, page, url_for

CHECKED = ("on", True, "true")


@dataclass(frozen=True)
class ChoiceLine:
    kind: str = ""
    label: str = ""  # "Email me when" + this
    email: bool = False


def _line(c: EmailChoice, words: Catalogue) -> ChoiceLine:
    label = words.text(f"notifications.event.{c.kind}")
    return ChoiceLine(c.kind, label[:1].upper() + label[1:], c.email)


class NotificationPreferencesState(HeaderState):
    choices: list[ChoiceLine] = []
    saved_note: str = ""  # announced after a save

    def _show(self, choices: tuple[EmailChoice, ...]) -> None:
        words = self._words()
        self.choices = [_line(c, words) for c in choices]

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
        words = self._words()
        self.saved_note = words.plural("notifications.saved_note", len(self.choices), chosen=count)
        return rx.toast.success(words.text("notifications.settings_saved"))


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
        rx.text(t("notifications.prefs_intro"), size="3"),
        rx.form(
            rx.el.fieldset(
                rx.el.legend(t("notifications.email_me_when"), class_name="field-label"),
                rx.box(
                    rx.foreach(s.choices, _choice),
                    # Redrawn with the saved choices (default_checked is read once per drawing).
                    key=s.choices.to_string(),
                ),
                class_name="fieldset",
            ),
            rx.flex(
                rx.button(t("notifications.save_settings"), type="submit", size="3"),
                rx.link(t("notifications.back"), href=url_for("notifications_page")),
                gap="1rem",
                align="center",
                wrap="wrap",
                margin_top="1rem",
            ),
            on_submit=s.save,
            reset_on_submit=False,
            aria_label=t("notifications.settings_form"),
            width="100%",
        ),
        rx.text(s.saved_note, size="2", role="status"),
        spacing="4",
        width="100%",
        max_width="40rem",
    )
