"""Register a deal: every field labelled, errors beside their fields, a live (debounced) conflict hint."""

from __future__ import annotations

from typing import Any

import reflex as rx

from prm_app.deals.conflicts import conflict_hint
from prm_app.deals.models import DEAL_STAGES
from prm_app.deals.queries import products_for_registration
from prm_app.deals.rules import CURRENCIES
from prm_app.deals.service import register_deal
from prm_app.deals.ui.deal_form import PRODUCT_FIELD, DealPrefill, deal_input_from_form, deal_prefill_from_lead
from prm_app.deals.ui.display import ProductChoice, product_choice
from prm_app.leads import lead_deal_prefill, register_deal_from_lead
from prm_app.platform.errors import FormInvalid
from prm_app.web.components.forms import COUNTRY_OPTIONS, field, form_error
from prm_app.web.registry import Audience, page, url_for
from prm_app.web.state import AuthState


class DealFormState(AuthState):
    products: list[ProductChoice] = []
    errors: dict[str, str] = {}
    hint: str = ""
    prefill: DealPrefill = DealPrefill()  # starting values when the deal comes from an accepted lead
    _lead_id: int = 0
    _intent: str = "submit"
    # The two fields the live conflict check follows, held in state (controlled inputs) so a lead's prefill shows.
    typed_name: str = ""
    typed_site: str = ""

    @rx.event
    def load(self) -> None:
        self.products = [product_choice(p) for p in self._run(products_for_registration)]
        self.errors, self.hint = {}, ""  # the hint is recomputed below for whatever the fields still hold
        self.prefill, self._lead_id, self._intent = DealPrefill(), 0, "submit"
        lead = self.router.url.query_parameters.get("lead", "")
        if lead.isdigit():
            self.prefill = deal_prefill_from_lead(self._run(lead_deal_prefill, int(lead)))
            self._lead_id = int(lead)
            self.typed_name, self.typed_site = self.prefill.customer_name, self.prefill.customer_site
        if self.typed_name or self.typed_site:
            self._check()

    def _check(self) -> None:
        self.hint = self._run(conflict_hint, self.typed_name[:200], self.typed_site[:254])

    @rx.event
    def name_typed(self, value: str) -> None:
        self.typed_name = str(value)
        self._check()

    @rx.event
    def site_typed(self, value: str) -> None:
        self.typed_site = str(value)
        self._check()

    @rx.event
    def set_intent(self, intent: str) -> None:
        self._intent = "draft" if intent == "draft" else "submit"

    @rx.event
    def submit(self, form: dict[str, Any]) -> rx.event.EventSpec | list[rx.event.EventSpec]:
        data = deal_input_from_form(form)
        try:
            submit = self._intent == "submit"
            if self._lead_id:
                deal_id = self._run(register_deal_from_lead, self._lead_id, data, submit=submit)
            else:
                deal_id = self._run(register_deal, data, submit=submit)
        except FormInvalid as exc:
            self._intent = "submit"
            self.errors = exc.errors
            return rx.set_focus(f"field-{next(iter(exc.errors))}")
        self.errors = {}
        self.typed_name = self.typed_site = ""
        message = "Registration submitted for review." if self._intent == "submit" else "Draft saved."
        self._intent = "submit"  # one click, one event: only "Save as draft" sets the intent first
        return [rx.toast.success(message), rx.redirect(url_for("deal_detail_page", deal_id=deal_id))]


def _err(name: str) -> rx.Var:
    return DealFormState.errors.get(name, "")


def _start(name: str) -> rx.Var[str]:
    return getattr(DealFormState.prefill, name)


def _native_select(label: str, name: str, options: list[tuple[str, str]], default: str | rx.Var = "") -> rx.Component:
    return rx.box(
        rx.el.label(label, html_for=f"field-{name}", class_name="field-label"),
        rx.el.select(
            *[rx.el.option(t, value=v) for v, t in options],
            id=f"field-{name}",
            name=name,
            default_value=default,
            class_name="native-select",
            aria_describedby=f"field-{name}-error",
        ),
        rx.text(_err(name), id=f"field-{name}-error", color_scheme="red", size="2", role="alert"),
        width="100%",
    )


def _checked_field(
    label: str, name: str, value: rx.Var[str], on_change: rx.EventHandler, placeholder: str = ""
) -> rx.Component:
    """A field the live conflict check follows. Debounced and controlled: the check runs when typing pauses; a
    lead's prefill lands in the same var. load() never blanks it (a late blank would overwrite typing), and a
    successful submit clears it for the next registration."""
    return rx.box(
        rx.el.label(label, html_for=f"field-{name}", class_name="field-label"),
        rx.debounce_input(
            rx.input(
                id=f"field-{name}",
                name=name,
                value=value,
                on_change=on_change,
                aria_describedby=f"field-{name}-error",
                size="3",
                **({"placeholder": placeholder} if placeholder else {}),
            ),
            debounce_timeout=400,
        ),
        rx.text(_err(name), id=f"field-{name}-error", color_scheme="red", size="2", role="alert"),
        width="100%",
    )


def _products() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend("Products", class_name="field-label"),
        rx.grid(
            rx.foreach(
                DealFormState.products,
                lambda p: rx.el.label(
                    rx.el.input(
                        type="checkbox",
                        name=PRODUCT_FIELD + p.id,
                        id="product-" + p.id,
                        default_checked=DealFormState.prefill.products.contains(p.id),
                    ),
                    rx.text.span(" ", p.name, " ", rx.text.span("(", p.price, ")", color="var(--gray-11)")),
                    class_name="check-row",
                ),
            ),
            columns={"initial": "1", "sm": "2"},
            gap="2",
        ),
        rx.text(_err("products"), id="field-products-error", color_scheme="red", size="2", role="alert"),
        class_name="fieldset",
        aria_describedby="field-products-error",
        id="field-products",
        tab_index=-1,
    )


@page("/deals/new", title="Register a deal", audience=Audience.PARTNER, on_load=DealFormState.load)
def deal_new_page() -> rx.Component:
    two = {"initial": "column", "sm": "row"}
    return rx.form(
        rx.vstack(
            rx.cond(
                DealFormState.errors.length() > 0,
                form_error("Some fields need your attention; see the messages below them."),
            ),
            rx.heading("Customer", size="4", as_="h2"),
            _checked_field("Company name", "customer_name", DealFormState.typed_name, DealFormState.name_typed),
            _checked_field(
                "Website or email domain",
                "customer_site",
                DealFormState.typed_site,
                DealFormState.site_typed,
                placeholder="acme.com or https://www.acme.com",
            ),
            rx.cond(
                DealFormState.hint != "",
                rx.callout(
                    DealFormState.hint, icon="triangle_alert", color_scheme="amber", role="status", width="100%"
                ),
            ),
            rx.flex(
                _native_select("Country", "country", COUNTRY_OPTIONS, default=_start("country")),
                field("Contact name", "contact_name", _err("contact_name"), default_value=_start("contact_name")),
                field(
                    "Contact email",
                    "contact_email",
                    _err("contact_email"),
                    type="email",
                    default_value=_start("contact_email"),
                ),
                direction=two,
                gap="3",
                width="100%",
            ),
            rx.heading("Opportunity", size="4", as_="h2", margin_top="0.5rem"),
            _products(),
            rx.flex(
                field(
                    "Estimated value",
                    "estimated_value",
                    _err("estimated_value"),
                    hint="e.g. 25000 or 25,000.00",
                    default_value=_start("estimated_value"),
                ),
                _native_select("Currency", "currency", [(c, c) for c in CURRENCIES], default="USD"),
                field("Expected close date", "expected_close", _err("expected_close"), type="date"),
                _native_select("Stage", "stage", [("", "Choose a stage…")] + [(s, s) for s in DEAL_STAGES]),
                direction=two,
                gap="3",
                width="100%",
            ),
            rx.box(
                rx.el.label("Description (optional)", html_for="field-description", class_name="field-label"),
                rx.text_area(
                    id="field-description",
                    name="description",
                    rows="4",
                    width="100%",
                    aria_describedby="field-description-error",
                ),
                rx.text(_err("description"), id="field-description-error", color_scheme="red", size="2", role="alert"),
                width="100%",
            ),
            rx.hstack(
                rx.button("Submit registration", type="submit", size="3"),
                rx.button(
                    "Save as draft", type="submit", size="3", variant="soft", on_click=DealFormState.set_intent("draft")
                ),
                rx.link("Cancel", href=url_for("deals_page")),
                align="center",
                wrap="wrap",
                spacing="4",
            ),
            spacing="4",
            width="100%",
            max_width="56rem",
        ),
        on_submit=DealFormState.submit,
        no_validate=True,  # our messages sit next to the field; the browser bubble does not
        aria_label="Register a deal",
        # Default values apply at mount: remount when a lead's prefill arrives.
        key=rx.cond(DealFormState.prefill.lead_id != "", DealFormState.prefill.lead_id, "blank"),
    )
