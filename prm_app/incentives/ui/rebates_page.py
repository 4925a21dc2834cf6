"""Rebate programs and SPIFFs for admins: each rebate with its mode, period, bands and audience, and a new one (bands
that leave a gap or overlap are refused, next to the field); the SPIFFs and a new one (a bonus per deal registered
in a window of whole days in its time zone, optionally for one product, capped per rep)."""

from __future__ import annotations

import reflex as rx

from prm_app.audience import AudienceForm, AudienceOptions, audience_options
from prm_app.audience.ui import audience_editor
from prm_app.incentives import create_rebate_program, create_spiff, rebate_programs, running_spiffs
from prm_app.incentives.rebate_rules import REBATE_MODES
from prm_app.incentives.rules import CURRENCIES
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import FormInvalid
from prm_app.web.components.forms import field, field_error, select_field
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState


class RebatesState(AuthState):
    programs: list[tuple[str, str]] = []
    spiffs: list[tuple[str, str]] = []
    audience_form: AudienceForm = AudienceForm()
    audience_choices: AudienceOptions = AudienceOptions()
    errors: dict[str, str] = {}
    form_key: int = 0

    def _reload(self) -> None:
        self.programs = self._run(rebate_programs)
        self.spiffs = [
            (
                v.name,
                f"{v.bonus} per registered deal · {v.window} · {v.product}"
                + (f" · at most {v.cap} per rep" if v.cap else ""),
            )
            for v in self._run(running_spiffs, today=utcnow().date())
        ]
        self.audience_choices = self._run(audience_options)

    @rx.event
    def load(self):
        self.errors = {}
        self._reload()

    @rx.event
    def create(self, form: dict):
        try:
            self._run(create_rebate_program, {str(k)[:80]: v for k, v in form.items()})
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        self.errors, self.form_key = {}, self.form_key + 1
        self._reload()
        return rx.toast.success("Rebate program created: won deals in its period now accrue it.")

    @rx.event
    def create_spiff(self, form: dict):
        try:
            self._run(create_spiff, {str(k)[:80]: v for k, v in form.items()})
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        self.errors, self.form_key = {}, self.form_key + 1
        self._reload()
        return rx.toast.success("SPIFF created: deals registered in its window now earn it.")


def _spiff_form() -> rx.Component:
    s, e = RebatesState, RebatesState.errors
    return rx.form(
        rx.vstack(
            field("SPIFF name", "spiff_name", e.get("spiff_name", "")),
            rx.flex(
                select_field(
                    "Currency", "spiff_currency", [(c, c) for c in CURRENCIES], "USD", e.get("spiff_currency", "")
                ),
                field("Bonus per registered deal", "bonus", e.get("bonus", "")),
                field("Time zone", "time_zone", e.get("time_zone", ""), default_value="America/New_York"),
                spacing="3",
                width="100%",
                direction={"initial": "column", "sm": "row"},
            ),
            rx.flex(
                field("Window's first day", "window_start", e.get("window_start", ""), type="date"),
                field("Window's last day", "window_end", e.get("window_end", ""), type="date"),
                field("Product code (optional)", "product", e.get("product", ""), required=False),
                field("At most per rep (optional)", "cap", e.get("cap", ""), required=False),
                spacing="3",
                width="100%",
                direction={"initial": "column", "sm": "row"},
            ),
            rx.hstack(
                rx.el.input(type="checkbox", id="field-needs_claim", name="needs_claim", class_name="checkbox"),
                rx.el.label(
                    "Paid on the rep's claim with evidence, approved by the channel manager",
                    html_for="field-needs_claim",
                ),
                align="center",
                spacing="2",
            ),
            rx.button("Create SPIFF", type="submit"),
            spacing="3",
            width="100%",
        ),
        key=s.form_key,
        on_submit=s.create_spiff,
        reset_on_submit=False,
        no_validate=True,
        aria_label="New SPIFF",
    )


@page("/incentives/rebates", title="Rebates and SPIFFs", audience=Audience.INTERNAL, on_load=RebatesState.load)
def rebates_page() -> rx.Component:
    s, e = RebatesState, RebatesState.errors
    return rx.vstack(
        rx.cond(
            s.programs.length() > 0,
            rx.foreach(
                s.programs,
                lambda p: rx.card(rx.heading(p[0], size="3", as_="h2"), rx.text(p[1], size="2"), width="100%"),
            ),
            rx.text("No rebate programs yet.", size="2"),
        ),
        rx.heading("SPIFFs", size="5", as_="h2"),
        rx.link("Review SPIFF claims", href="/incentives/spiffs"),
        rx.foreach(s.spiffs, lambda p: rx.text(rx.text.strong(p[0]), " · ", p[1], size="2")),
        rx.card(
            rx.heading("New SPIFF", size="4", as_="h3", margin_bottom="0.5rem"),
            _spiff_form(),
            width="100%",
            max_width="44rem",
        ),
        rx.card(
            rx.heading("New rebate program", size="4", as_="h2", margin_bottom="0.5rem"),
            rx.form(
                rx.vstack(
                    field("Name", "name", e.get("name", "")),
                    rx.flex(
                        select_field(
                            "Currency", "currency", [(c, c) for c in CURRENCIES], "USD", e.get("currency", "")
                        ),
                        select_field("Mode", "mode", list(REBATE_MODES.items()), "slab", e.get("mode", "")),
                        spacing="3",
                        width="100%",
                        direction={"initial": "column", "sm": "row"},
                    ),
                    rx.flex(
                        field("First day", "period_start", e.get("period_start", ""), type="date"),
                        field("Last day", "period_end", e.get("period_end", ""), type="date"),
                        field(
                            "Holding days after the period",
                            "holding_days",
                            e.get("holding_days", ""),
                            default_value="15",
                        ),
                        spacing="3",
                        width="100%",
                        direction={"initial": "column", "sm": "row"},
                    ),
                    rx.box(
                        rx.el.label(
                            "Bands (lower-upper: rate %, one per line)",
                            html_for="field-bands",
                            class_name="field-label",
                        ),
                        rx.text_area(
                            id="field-bands",
                            name="bands",
                            rows="4",
                            width="100%",
                            default_value="0-100000: 0\n100000-250000: 2\n250000-: 3",
                            aria_describedby="field-bands-error",
                        ),
                        field_error(e, "bands"),
                        width="100%",
                    ),
                    audience_editor(s.audience_form, s.audience_choices, e),
                    rx.button("Create program", type="submit"),
                    spacing="3",
                    width="100%",
                ),
                key=s.form_key,
                on_submit=s.create,
                reset_on_submit=False,
                no_validate=True,
                aria_label="New rebate program",
            ),
            width="100%",
            max_width="44rem",
        ),
        spacing="4",
        width="100%",
    )
