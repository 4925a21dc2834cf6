"""The registration form's values at the web edge: what a lead or a kept draft fills in at the start, what a
submitted form says, read into a DealInput as typed (the domain validates it, field by field), and what of a form
a draft keeps. Pure functions."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from prm_app.deals.rules import DealInput
from prm_app.leads import LeadDealPrefill

PRODUCT_FIELD = "product_"  # one checkbox per product, named product_<id>
TEXT_FIELDS = (
    "customer_name", "customer_site", "country", "contact_name", "contact_email", "estimated_value", "currency",
    "expected_close", "stage", "description", "credit", "distributor_id", "for_organization_id",
    "hide_from_distributor",
)  # fmt: skip


@dataclass(frozen=True)
class DealPrefill:
    """The form's starting values when the deal comes from an accepted lead ("" = blank)."""

    lead_id: str = ""
    customer_name: str = ""
    customer_site: str = ""
    country: str = ""
    contact_name: str = ""
    contact_email: str = ""
    estimated_value: str = ""
    products: tuple[str, ...] = ()  # ids of the products ticked at the start
    currency: str = "USD"
    expected_close: str = ""  # ISO date
    stage: str = ""
    description: str = ""
    credit: str = "sourced"
    distributor_id: str = ""  # the distributor's id as text; "" for none
    for_organization_id: str = ""  # the reseller a distributor registers for; "" for its own company
    hide_from_distributor: str = ""  # "on" when "do not share" is ticked
    # Names these starting values; the form is redrawn whenever it changes (its inputs take defaults at mount).
    key: str = "blank"


def deal_prefill_from_lead(lead: LeadDealPrefill) -> DealPrefill:
    """The form's starting values for a deal from an accepted lead (prm_app.leads.lead_deal_prefill): the
    estimated size as plain text with two decimals ("" when unknown), product ids as text, and the distributor
    that passed the lead on named as the one that fulfils it."""
    return DealPrefill(
        lead_id=str(lead.lead_id),
        customer_name=lead.customer_name,
        customer_site=lead.customer_site,
        country=lead.country,
        contact_name=lead.contact_name,
        contact_email=lead.contact_email,
        estimated_value="" if lead.estimated_size is None else f"{lead.estimated_size:.2f}",
        products=tuple(str(p) for p in lead.product_ids),
        distributor_id=str(lead.distributor_id or ""),
    )


def draft_form_key(lead_id: int) -> str:
    """The name a person's draft of this form is kept under: one for a new deal, one per lead it comes from."""
    return f"deal:lead:{lead_id}" if lead_id else "deal:new"


def _is_product(name: str) -> bool:
    return name.startswith(PRODUCT_FIELD) and name.removeprefix(PRODUCT_FIELD).isdigit()


def draft_fields(form: Mapping[str, Any]) -> dict[str, str]:
    """What a draft keeps of the form as it stands: its fields by name, as text (unknown names dropped)."""
    return {name: str(value) for name, value in form.items() if name in TEXT_FIELDS or _is_product(name)}


def prefill_from_draft(fields: Mapping[str, str], start: DealPrefill, key: str) -> DealPrefill:
    """The form's starting values from a kept draft: what the draft holds wins over `start` (a lead's values),
    the products are exactly those ticked in it. `key` names the draft (the form is redrawn with it)."""
    given = {name: str(fields[name]) for name in TEXT_FIELDS if name in fields}
    return dataclasses.replace(
        start,
        **given,
        products=tuple(name.removeprefix(PRODUCT_FIELD) for name in fields if _is_product(name)),
        key=key,
    )


def deal_input_from_form(form: Mapping[str, Any]) -> DealInput:
    """The submitted form as a DealInput: every field as text, the ticked products' ids (other keys ignored)."""

    def text(name: str) -> str:
        return str(form.get(name, ""))

    product_ids = tuple(int(key.removeprefix(PRODUCT_FIELD)) for key in form if _is_product(key))
    return DealInput(
        customer_name=text("customer_name"),
        customer_site=text("customer_site"),
        country=text("country"),
        contact_name=text("contact_name"),
        contact_email=text("contact_email"),
        product_ids=product_ids,
        estimated_value=text("estimated_value"),
        currency=text("currency"),
        expected_close=text("expected_close"),
        stage=text("stage"),
        description=text("description"),
        credit=str(form.get("credit", "sourced")),
        distributor_id=text("distributor_id"),
        hide_from_distributor=text("hide_from_distributor") in {"on", "true"},
        for_organization_id=text("for_organization_id"),
    )
