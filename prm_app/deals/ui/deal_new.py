"""Register a deal: every field labelled, errors beside their fields, a live (debounced) conflict hint."""

from __future__ import annotations

import pycountry
import reflex as rx

from prm_app.deals.models import DEAL_STAGES
from prm_app.deals.rules import CURRENCIES, DealInput
from prm_app.deals.service import conflict_hint, products_for_registration, register_deal
from prm_app.leads.offers import register_deal_from_lead
from prm_app.leads.queues import lead_deal_prefill
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import FormInvalid
from prm_app.web.components.forms import field, form_error
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState

COUNTRIES = sorted((c.alpha_2, c.name) for c in pycountry.countries)
COUNTRY_OPTIONS = [("", "Choose a country…"), *sorted(COUNTRIES, key=lambda c: c[1])]


class DealFormState(AuthState):
    products: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    hint: str = ""
    min_close: str = ""
    prefill: dict[str, str] = {}  # starting values when the deal comes from an accepted lead
    picked: list[str] = []  # product ids ticked at the start
    _lead_id: int = 0
    _intent: str = "submit"
    # The two fields the live conflict check follows, held in state (controlled inputs) so a lead's prefill shows.
    typed_name: str = ""
    typed_site: str = ""

    @rx.event
    def load(self):
        self.products = [{k: str(v) for k, v in p.items()} for p in self._run(products_for_registration)]
        self.errors, self.hint = {}, ""  # the hint is recomputed below for whatever the fields still hold
        self.min_close = utcnow().date().isoformat()
        self.prefill, self.picked, self._lead_id, self._intent = {}, [], 0, "submit"
        lead = self.router.url.query_parameters.get("lead", "")
        if lead.isdigit():
            self.prefill = self._run(lead_deal_prefill, int(lead))
            self.picked = [p for p in self.prefill.get("products", "").split(",") if p]
            self._lead_id = int(lead)
            self.typed_name, self.typed_site = self.prefill["customer_name"], self.prefill["customer_site"]
        if self.typed_name or self.typed_site:
            self._check()

    def _check(self) -> None:
        self.hint = self._run(conflict_hint, self.typed_name[:200], self.typed_site[:254])

    @rx.event
    def name_typed(self, value: str):
        self.typed_name = str(value)
        self._check()

    @rx.event
    def site_typed(self, value: str):
        self.typed_site = str(value)
        self._check()

    @rx.event
    def set_intent(self, intent: str):
        self._intent = "draft" if intent == "draft" else "submit"

    @rx.event
    def submit(self, form: dict):
        product_ids = tuple(int(k.split("_", 1)[1]) for k in form if k.startswith("product_") and k[8:].isdigit())
        data = DealInput(
            customer_name=str(form.get("customer_name", "")),
            customer_site=str(form.get("customer_site", "")),
            country=str(form.get("country", "")),
            contact_name=str(form.get("contact_name", "")),
            contact_email=str(form.get("contact_email", "")),
            product_ids=product_ids,
            estimated_value=str(form.get("estimated_value", "")),
            currency=str(form.get("currency", "")),
            expected_close=str(form.get("expected_close", "")),
            stage=str(form.get("stage", "")),
            description=str(form.get("description", "")),
        )
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
        return [rx.toast.success(message), rx.redirect(f"/deals/{deal_id}")]


def _err(name: str) -> rx.Var:
    return DealFormState.errors.get(name, "")


def _start(name: str) -> rx.Var:
    return DealFormState.prefill.get(name, "")


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


def _products() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend("Products", class_name="field-label"),
        rx.grid(
            rx.foreach(
                DealFormState.products,
                lambda p: rx.el.label(
                    rx.el.input(
                        type="checkbox",
                        name="product_" + p["id"],
                        id="product-" + p["id"],
                        default_checked=DealFormState.picked.contains(p["id"]),
                    ),
                    rx.text.span(" ", p["name"], " ", rx.text.span("(", p["price"], ")", color="var(--gray-11)")),
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
            rx.box(
                rx.el.label("Company name", html_for="field-customer_name", class_name="field-label"),
                # Debounced and controlled: the live conflict check runs when typing pauses; a lead's prefill
                # lands in the same var. load() never blanks it (a late blank would overwrite typing), and a
                # successful submit clears it for the next registration.
                rx.debounce_input(
                    rx.input(
                        id="field-customer_name",
                        name="customer_name",
                        value=DealFormState.typed_name,
                        on_change=DealFormState.name_typed,
                        aria_describedby="field-customer_name-error",
                        size="3",
                    ),
                    debounce_timeout=400,
                ),
                rx.text(
                    _err("customer_name"), id="field-customer_name-error", color_scheme="red", size="2", role="alert"
                ),
                width="100%",
            ),
            rx.box(
                rx.el.label("Website or email domain", html_for="field-customer_site", class_name="field-label"),
                # Debounced and controlled: the live conflict check runs when typing pauses; a lead's prefill
                # lands in the same var. load() never blanks it (a late blank would overwrite typing), and a
                # successful submit clears it for the next registration.
                rx.debounce_input(
                    rx.input(
                        id="field-customer_site",
                        name="customer_site",
                        value=DealFormState.typed_site,
                        placeholder="acme.com or https://www.acme.com",
                        on_change=DealFormState.site_typed,
                        aria_describedby="field-customer_site-error",
                        size="3",
                    ),
                    debounce_timeout=400,
                ),
                rx.text(
                    _err("customer_site"), id="field-customer_site-error", color_scheme="red", size="2", role="alert"
                ),
                width="100%",
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
                rx.link("Cancel", href="/deals"),
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
        key=DealFormState.prefill.get("lead_id", "blank"),  # default values apply at mount: remount on prefill
    )
