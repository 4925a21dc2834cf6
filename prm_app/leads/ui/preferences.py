"""The partner's lead preferences on its Leads page: what routing knows about it (countries, verticals, monthly
capacity, taking new leads). Partner admins change them; everyone else reads them."""

from __future__ import annotations

from typing import Any

import reflex as rx

from prm_app.leads.preferences import MAX_CAPACITY, LeadPreferences, my_lead_preferences, update_lead_preferences
from prm_app.leads.vocabulary import VERTICALS
from prm_app.platform.errors import DomainError
from prm_app.platform.places import country_name
from prm_app.web.components.forms import field, field_error
from prm_app.web.state import AuthState


class LeadPreferencesState(AuthState):
    countries: str = ""  # as the form shows them, by name: "United States, Canada" (the rules read names or codes)
    verticals: list[str] = []
    capacity: str = ""
    accepts: bool = True
    can_edit: bool = False
    errors: dict[str, str] = {}

    def _show(self, p: LeadPreferences) -> None:
        self.countries, self.verticals = ", ".join(country_name(c) for c in p.countries), list(p.verticals)
        self.capacity, self.accepts, self.can_edit = str(p.monthly_capacity), p.accepts_leads, p.can_edit

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
            self.errors = {exc.field or "countries": exc.message}
            return None
        self.errors = {}
        self._show(saved)
        return rx.toast.success("Lead preferences saved. Routing uses them from its next run.")


def _summary() -> rx.Component:
    s = LeadPreferencesState
    return rx.vstack(
        rx.text("Countries: ", rx.text.strong(rx.cond(s.countries != "", s.countries, "none"))),
        rx.text("Verticals: ", rx.text.strong(rx.cond(s.verticals.length() > 0, s.verticals.join(", "), "any"))),
        rx.text("Leads a month: ", rx.text.strong(s.capacity)),
        rx.text(rx.cond(s.accepts, "Taking new leads.", "Not taking new leads.")),
        rx.text("Your partner admin can change these.", size="1", color_scheme="gray"),
        spacing="1",
    )


def _form() -> rx.Component:
    s = LeadPreferencesState
    return rx.form(
        rx.vstack(
            field(
                "Countries you serve",
                "countries",
                s.errors.get("countries", ""),
                default_value=s.countries,
                hint="Names or two-letter codes, separated by commas.",
            ),
            rx.el.fieldset(
                rx.el.legend("Verticals you know (none: any)", class_name="field-label"),
                rx.flex(
                    *[
                        rx.checkbox(
                            v.capitalize(),
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
                "Leads a month you can take",
                "monthly_capacity",
                s.errors.get("monthly_capacity", ""),
                default_value=s.capacity,
                hint=f"0 to {MAX_CAPACITY}.",
            ),
            rx.checkbox("Take new leads", name="accepts_leads", default_checked=s.accepts, key=s.accepts.to(str)),
            rx.button("Save lead preferences", type="submit"),
            spacing="3",
            width="100%",
        ),
        on_submit=s.save,
        reset_on_submit=False,
        no_validate=True,
        aria_label="Lead preferences",
        width="100%",
    )


def lead_preferences() -> rx.Component:
    return rx.card(
        rx.heading("Lead preferences", size="4", as_="h2", margin_bottom="0.5rem"),
        rx.text("What routing knows about you when it chooses a partner for a lead.", size="2", color_scheme="gray"),
        rx.box(rx.cond(LeadPreferencesState.can_edit, _form(), _summary()), margin_top="0.75rem"),
        width="100%",
        max_width="40rem",
    )
