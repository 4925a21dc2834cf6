"""The registration form's values at the web edge: what a lead fills in at the start, and what a submitted
form says, read into a DealInput as typed (the domain validates it, field by field). Pure functions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from prm_app.deals.rules import DealInput
from prm_app.leads import LeadDealPrefill

PRODUCT_FIELD = "product_"  # one checkbox per product, named product_<id>


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


def deal_prefill_from_lead(lead: LeadDealPrefill) -> DealPrefill:
    """The form's starting values for a deal from an accepted lead (prm_app.leads.lead_deal_prefill): the
    estimated size as plain text with two decimals ("" when unknown), product ids as text."""
    return DealPrefill(
        lead_id=str(lead.lead_id),
        customer_name=lead.customer_name,
        customer_site=lead.customer_site,
        country=lead.country,
        contact_name=lead.contact_name,
        contact_email=lead.contact_email,
        estimated_value="" if lead.estimated_size is None else f"{lead.estimated_size:.2f}",
        products=tuple(str(p) for p in lead.product_ids),
    )


def deal_input_from_form(form: Mapping[str, Any]) -> DealInput:
    """The submitted form as a DealInput: every field as text, the ticked products' ids (other keys ignored)."""

    def text(name: str) -> str:
        return str(form.get(name, ""))

    product_ids = tuple(
        int(key.removeprefix(PRODUCT_FIELD))
        for key in form
        if key.startswith(PRODUCT_FIELD) and key.removeprefix(PRODUCT_FIELD).isdigit()
    )
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
    )
