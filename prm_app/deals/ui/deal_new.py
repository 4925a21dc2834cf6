"""Register a deal: every field labelled, errors beside their fields, a live (debounced) conflict hint, and a
draft kept as the person types (server-side, per person: prm_app/identity/drafts.py says why), restored when they
come back, cleared when the form is sent or discarded."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from sqlmodel import Session

from prm_app.deals.conflicts import conflict_hint
from prm_app.deals.distribution import registration_choices
from prm_app.deals.models import DEAL_STAGES
from prm_app.deals.queries import products_for_registration
from prm_app.deals.rules import CURRENCIES, DealInput
from prm_app.deals.service import register_deal
from prm_app.deals.ui.deal_fields import checked_field, close_date, draft_status, native_select, products_fieldset
from prm_app.deals.ui.deal_form import (
    DealPrefill,
    deal_input_from_form,
    deal_prefill_from_lead,
    draft_fields,
    draft_form_key,
    prefill_from_draft,
)
from prm_app.deals.ui.display import ProductChoice, product_choice
from prm_app.deals.ui.distribution_fields import distribution_fields
from prm_app.identity import discard_form_draft, form_draft, save_form_draft
from prm_app.leads import lead_deal_prefill, register_deal_from_lead
from prm_app.platform.access import Actor
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import FormInvalid
from prm_app.web.components.form_draft import form_draft_keeper
from prm_app.web.components.forms import COUNTRY_OPTIONS, field, form_error, labelled
from prm_app.web.registry import Audience, page, url_for
from prm_app.web.state import AuthState


def send_registration(session: Session, actor: Actor, lead_id: int, data: DealInput, submit: bool) -> int:
    """Register the deal (from its lead when it has one) and forget the person's draft of the form, in one
    transaction: a registration that fails keeps the draft, one that is stored never leaves it behind."""
    if lead_id:
        deal_id = register_deal_from_lead(session, actor, lead_id, data, submit=submit)
    else:
        deal_id = register_deal(session, actor, data, submit=submit)
    discard_form_draft(session, actor, draft_form_key(lead_id))
    return deal_id


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
    has_draft: bool = False  # a draft of this form is kept for the person
    today: str = ""  # the earliest expected close date the rules accept (UTC today, ISO)
    # Distribution (deals.distribution.registration_choices): [[id, name], …] with the blank choice first, [] when
    # the partner has no reseller / no distributor; whether the program requires naming one.
    resellers: list[list[str]] = []
    distributors: list[list[str]] = []
    distributor_required: bool = False

    @rx.event
    def load(self) -> None:
        self.products = [product_choice(p) for p in self._run(products_for_registration)]
        choices = self._run(registration_choices)
        own = [["", "Our own company (a direct deal)"]]
        self.resellers = own + [[str(i), n] for i, n in choices.resellers] if choices.resellers else []
        none = [["", "Choose a distributor…" if choices.distributor_required else "No distributor"]]
        self.distributors = none + [[str(i), n] for i, n in choices.distributors] if choices.distributors else []
        self.distributor_required = choices.distributor_required
        self.errors, self.hint = {}, ""  # the hint is recomputed below for whatever the fields still hold
        self.prefill, self._lead_id, self._intent = DealPrefill(), 0, "submit"
        self.today = utcnow().date().isoformat()
        lead = self.router.url.query_parameters.get("lead", "")
        if lead.isdigit():
            start = deal_prefill_from_lead(self._run(lead_deal_prefill, int(lead)))
            self.prefill = dataclasses.replace(start, key=f"lead-{lead}")  # the form is redrawn with its values
            self._lead_id = int(lead)
            self.typed_name, self.typed_site = self.prefill.customer_name, self.prefill.customer_site
        draft = self._run(form_draft, draft_form_key(self._lead_id))
        self.has_draft = draft is not None
        if draft is not None:
            self.prefill = prefill_from_draft(draft.fields, self.prefill, f"draft-{draft.saved_at.timestamp()}")
            self.typed_name, self.typed_site = self.prefill.customer_name, self.prefill.customer_site
        if self.typed_name or self.typed_site:
            self._check()

    @rx.event
    def keep_draft(self, fields: dict[str, Any]) -> None:
        """Typing paused: keep what the form holds as this person's draft (the form it belongs to is the server's
        to say: the lead this page was opened for, never a name from the browser)."""
        if not isinstance(fields, dict):
            return
        self._run(save_form_draft, draft_form_key(self._lead_id), draft_fields(fields))
        self.has_draft = True

    @rx.event
    def discard_draft(self) -> None:
        """Forget the draft and start the form again (from the lead's values when it comes from one)."""
        self._run(discard_form_draft, draft_form_key(self._lead_id))
        self.has_draft, self.errors, self.hint = False, {}, ""
        start = deal_prefill_from_lead(self._run(lead_deal_prefill, self._lead_id)) if self._lead_id else DealPrefill()
        self.prefill = dataclasses.replace(start, key=f"fresh-{utcnow().timestamp()}")
        self.typed_name, self.typed_site = start.customer_name, start.customer_site
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
            deal_id = self._run(send_registration, self._lead_id, data, self._intent == "submit")
        except FormInvalid as exc:
            self._intent = "submit"
            self.errors = exc.errors
            return rx.set_focus(f"field-{next(iter(exc.errors))}")
        self.errors, self.has_draft = {}, False
        self.typed_name = self.typed_site = ""
        message = "Registration submitted for review." if self._intent == "submit" else "Draft saved."
        self._intent = "submit"  # one click, one event: only "Save as draft" sets the intent first
        return [rx.toast.success(message), rx.redirect(url_for("deal_detail_page", deal_id=deal_id))]


def _err(name: str) -> rx.Var:
    return DealFormState.errors.get(name, "")


def _start(name: str) -> rx.Var[str]:
    return getattr(DealFormState.prefill, name)


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
            checked_field(
                DealFormState.errors,
                "Company name",
                "customer_name",
                DealFormState.typed_name,
                DealFormState.name_typed,
            ),
            checked_field(
                DealFormState.errors,
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
                native_select(DealFormState.errors, "Country", "country", COUNTRY_OPTIONS, default=_start("country")),
                field("Contact name", "contact_name", _err("contact_name"), default_value=_start("contact_name")),
                field(
                    "Contact email",
                    "contact_email",
                    _err("contact_email"),
                    type="email",
                    default_value=_start("contact_email"),
                ),
                direction=two,
                spacing="3",
                width="100%",
            ),
            rx.heading("Opportunity", size="4", as_="h2", margin_top="0.5rem"),
            products_fieldset(DealFormState.errors, DealFormState.products, DealFormState.prefill.products),
            rx.flex(
                field(
                    "Estimated value",
                    "estimated_value",
                    _err("estimated_value"),
                    hint="e.g. 25000 or 25,000.00",
                    default_value=_start("estimated_value"),
                ),
                native_select(
                    DealFormState.errors,
                    "Currency",
                    "currency",
                    [(c, c) for c in CURRENCIES],
                    default=_start("currency"),
                ),
                close_date(DealFormState.errors, DealFormState.today, _start("expected_close")),
                native_select(
                    DealFormState.errors,
                    "Stage",
                    "stage",
                    [("", "Choose a stage…")] + [(s, s) for s in DEAL_STAGES],
                    default=_start("stage"),
                ),
                native_select(
                    DealFormState.errors,
                    "Your part in the deal",
                    "credit",
                    [("sourced", "Sourced: we found it"), ("influenced", "Influenced: we help on it")],
                    default=_start("credit"),
                ),
                direction=two,
                spacing="3",
                width="100%",
            ),
            distribution_fields(
                DealFormState.errors,
                DealFormState.resellers,
                DealFormState.distributors,
                DealFormState.distributor_required,
                DealFormState.prefill,
            ),
            labelled(
                DealFormState.errors,
                "Description (optional)",
                "description",
                rx.text_area(
                    id="field-description",
                    name="description",
                    rows="4",
                    width="100%",
                    default_value=_start("description"),
                ),
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
            draft_status(DealFormState.has_draft, DealFormState.discard_draft),
            form_draft_keeper(DealFormState.keep_draft),
            spacing="4",
            width="100%",
            max_width="56rem",
        ),
        on_submit=DealFormState.submit,
        no_validate=True,  # our messages sit next to the field; the browser bubble does not
        aria_label="Register a deal",
        # Default values apply at mount: remount when a lead's prefill or a kept draft arrives, or after a discard.
        key=DealFormState.prefill.key,
    )
