"""The partner's lead preferences on its Leads page: what routing knows about it (countries, verticals, monthly
capacity, taking new leads). Partner admins change them; everyone else reads them."""

from __future__ import annotations

from typing import Any

import reflex as rx

from prm_app.leads.preferences import MAX_CAPACITY, LeadPreferences, my_lead_preferences, update_lead_preferences
from prm_app.leads.ui.labels import vertical_key
from prm_app.leads.vocabulary import VERTICALS
from prm_app.platform.errors import DomainError
from prm_app.platform.i18n import country_shown
from prm_app.platform.places import country_name
from prm_app.web.components.forms import field, field_error
from prm_app.web.language_state import t
from prm_app.web.state import AuthState


class LeadPreferencesState(AuthState):
    countries: str = ""  # as the form shows them, by name: "United States, Canada" (the rules read names or codes)
    countries_shown: str = ""  # the same in the person's language, for reading ("Vereinigte Staaten, Kanada")
    verticals_shown: str = ""  # the chosen verticals in the person's language, "" for any
    capacity_hint: str = ""  # "0 to 500."
    verticals: list[str] = []
    capacity: str = ""
    accepts: bool = True
    can_edit: bool = False
    errors: dict[str, str] = {}

    def _show(self, p: LeadPreferences) -> None:
        words, language = self._words(), self.language
        self.countries, self.verticals = ", ".join(country_name(c) for c in p.countries), list(p.verticals)
        self.countries_shown = ", ".join(country_shown(c, language) for c in p.countries)
        self.verticals_shown = ", ".join(_vertical(v, words) for v in p.verticals)
        self.capacity, self.accepts, self.can_edit = str(p.monthly_capacity), p.accepts_leads, p.can_edit
        self.capacity_hint = words.text("leads.prefs.capacity_hint", max=MAX_CAPACITY)

    @rx.event
    def load(self):
        self.errors = {}
        self._show(self._run(my_lead_preferences))

    @rx.event
    def save(self, form: dict[str, Any]):
        chosen = [v for v in VERTICALS if form.get(f"vertical-{v}") in ("on", True, "true")]
        try:
            saved = self._run(
                update_lead_preferences,
                str(form.get("countries", ""))[:500],
                chosen,
                str(form.get("monthly_capacity", ""))[:10],
                form.get("accepts_leads") in ("on", True, "true"),
            )
        except DomainError as exc:
            self.errors = {exc.field or "countries": exc.in_language(self.language)}
            return None
        self.errors = {}
        self._show(saved)
        return rx.toast.success(self._words().text("leads.prefs.saved"))


def _vertical(vertical: str, words) -> str:
    """A chosen vertical as the summary names it: as stored in English ("retail"), else in the language."""
    return vertical if words.language == "en" else words.text(f"{vertical_key(vertical)}.choice")


def _summary() -> rx.Component:
    s = LeadPreferencesState
    return rx.vstack(
        rx.text(
            t("leads.prefs.countries"),
            rx.text.strong(rx.cond(s.countries_shown != "", s.countries_shown, t("leads.prefs.none"))),
        ),
        rx.text(
            t("leads.prefs.verticals"),
            rx.text.strong(rx.cond(s.verticals_shown != "", s.verticals_shown, t("leads.prefs.any"))),
        ),
        rx.text(t("leads.prefs.capacity"), rx.text.strong(s.capacity)),
        rx.text(rx.cond(s.accepts, t("leads.prefs.taking"), t("leads.prefs.not_taking"))),
        rx.text(t("leads.prefs.admin_can"), size="1", color_scheme="gray"),
        spacing="1",
    )


def _form() -> rx.Component:
    s = LeadPreferencesState
    return rx.form(
        rx.vstack(
            field(
                t("leads.prefs.countries_field"),
                "countries",
                s.errors.get("countries", ""),
                default_value=s.countries,
                hint=t("leads.prefs.countries_hint"),
            ),
            rx.el.fieldset(
                rx.el.legend(t("leads.prefs.verticals_legend"), class_name="field-label"),
                rx.flex(
                    *[
                        rx.checkbox(
                            t(f"{vertical_key(v)}.choice"),
                            name=f"vertical-{v}",
                            default_checked=s.verticals.contains(v),
                            key=s.verticals.join(","),  # redrawn with the saved choice
                        )
                        for v in VERTICALS
                    ],
                    gap="0.5rem 1.25rem",
                    wrap="wrap",
                ),
                field_error(s.errors, "verticals"),
                class_name="fieldset",
            ),
            field(
                t("leads.prefs.capacity_field"),
                "monthly_capacity",
                s.errors.get("monthly_capacity", ""),
                default_value=s.capacity,
                hint=s.capacity_hint,
            ),
            rx.checkbox(t("leads.prefs.take"), name="accepts_leads", default_checked=s.accepts, key=s.accepts.to(str)),
            rx.button(t("leads.prefs.save"), type="submit"),
            spacing="3",
            width="100%",
        ),
        on_submit=s.save,
        reset_on_submit=False,
        no_validate=True,
        aria_label=t("leads.prefs.title"),
        width="100%",
    )


def lead_preferences() -> rx.Component:
    return rx.card(
        rx.heading(t("leads.prefs.title"), size="4", as_="h2", margin_bottom="0.5rem"),
        rx.text(t("leads.prefs.intro"), size="2", color_scheme="gray"),
        rx.box(rx.cond(LeadPreferencesState.can_edit, _form(), _summary()), margin_top="0.75rem"),
        width="100%",
        max_width="40rem",
    )
