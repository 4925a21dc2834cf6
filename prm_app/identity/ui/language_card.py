"""The account page's language setting: the words, dates, numbers and amounts of every page the person opens.

Taken from the browser at the first sign-in (session_http.py reads its Accept-Language); here the person sees it
and changes it. Saving shows the whole app in the new language at once: the shell reads its words from state
(web/language_state.py), so no reload is needed."""

from __future__ import annotations

import reflex as rx

from prm_app.identity.languages import my_language, set_my_language
from prm_app.platform.errors import DomainError
from prm_app.platform.i18n import DEFAULT_LANGUAGE, LANGUAGES
from prm_app.web.components.forms import field_message
from prm_app.web.language_state import t
from prm_app.web.state import AuthState

LANGUAGE_SELECT = "field-language"


class LanguageCardState(AuthState):
    choice: str = DEFAULT_LANGUAGE  # what the select shows
    error: str = ""

    @rx.event
    def load(self):
        self.error = ""
        self.choice = self._run(my_language)

    @rx.event
    def pick(self, code: str):
        self.choice, self.error = str(code)[:8], ""

    @rx.event
    def save(self):
        try:
            saved = self._run(set_my_language, self.choice)
        except DomainError as exc:
            # The one refusal is a language not in the list: said in the language the page is shown in.
            self.error = self._words().text("lang.invalid") if exc.field == "language" else exc.message
            return rx.set_focus(LANGUAGE_SELECT)
        self.error = ""
        self._show_language(saved)
        self.role_label = self._words().text(f"role.{self.user_role}") if self.user_role else ""
        return rx.toast.success(self._words().text("lang.saved"))


def language_card(then: list[rx.event.EventType[()]]) -> rx.Component:
    """The card; `then` runs after a save (the page's own sentences made again in the new language)."""
    s = LanguageCardState
    return rx.card(
        rx.heading(t("lang.heading"), size="4", as_="h2", margin_bottom="0.75rem"),
        rx.vstack(
            rx.text(t("lang.intro"), size="2"),
            rx.box(
                rx.el.label(t("lang.heading"), html_for=LANGUAGE_SELECT, class_name="field-label"),
                rx.el.select(
                    # Each language under its own name, marked as that language for screen readers.
                    *[rx.el.option(name, value=code, lang=code) for code, name in LANGUAGES.items()],
                    id=LANGUAGE_SELECT,
                    name="language",
                    value=s.choice,
                    on_change=s.pick,
                    class_name="native-select",
                    custom_attrs={
                        "aria-invalid": rx.cond(s.error != "", "true", "false"),
                        "aria-describedby": f"{LANGUAGE_SELECT}-error",
                    },
                ),
                field_message(s.error, LANGUAGE_SELECT),
                width="100%",
            ),
            rx.button(t("lang.save"), on_click=[s.save, *then], disabled=~rx.State.is_hydrated),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
