"""Lead intake for channel managers: one lead by form (CSV files import on /data/import, leads/table.py)."""

from __future__ import annotations

import reflex as rx

from prm_app.leads.intake import HEADERS, LEAD_SOURCES, VERTICALS
from prm_app.leads.store import add_lead
from prm_app.leads.ui.labels import source_label, vertical_label
from prm_app.web.components.forms import COUNTRY_OPTIONS, field, select_field
from prm_app.web.registry import Audience, page, url_for
from prm_app.web.state import AuthState


class NewLeadState(AuthState):
    errors: dict[str, str] = {}

    @rx.event
    def submit(self, form: dict):
        problems, draft = self._run(add_lead, {h: str(form.get(h, "")) for h in HEADERS})
        if problems:
            self.errors = {p.field: p.message for p in problems}
            return rx.set_focus(f"field-{problems[0].field}")
        self.errors = {}
        return [rx.toast.success(f"{draft.company} added to the queue."), rx.redirect(url_for("lead_queue_page"))]


def _err(name: str) -> rx.Var:
    return NewLeadState.errors.get(name, "")


@page("/lead-queue/new", title="Add a lead", audience=Audience.INTERNAL)
def new_lead_page() -> rx.Component:
    two = {"initial": "column", "sm": "row"}
    return rx.form(
        rx.vstack(
            field("Company", "company", _err("company")),
            field("Website or email domain", "domain", _err("domain")),
            rx.flex(
                field("Contact name", "contact_name", _err("contact_name"), required=False),
                field("Contact email", "contact_email", _err("contact_email"), type="email"),
                direction=two,
                spacing="3",
                width="100%",
            ),
            rx.flex(
                select_field("Country", "country", COUNTRY_OPTIONS, error=_err("country")),
                field("City", "city", _err("city"), required=False),
                field("Postcode", "postcode", _err("postcode"), required=False),
                direction=two,
                spacing="3",
                width="100%",
            ),
            rx.flex(
                select_field("Vertical", "vertical", [("", "Unknown"), *[(v, vertical_label(v)) for v in VERTICALS]]),
                field("Products (SKUs or names, separated by ;)", "products", _err("products"), required=False),
                direction=two,
                spacing="3",
                width="100%",
            ),
            rx.flex(
                field("Estimated size (USD)", "estimated_size", _err("estimated_size"), required=False),
                select_field("Source", "source", [(s, source_label(s)) for s in LEAD_SOURCES], default="website"),
                direction=two,
                spacing="3",
                width="100%",
            ),
            rx.hstack(
                rx.button("Add to queue", type="submit", size="3"),
                rx.link("Cancel", href=url_for("lead_queue_page")),
                align="center",
                spacing="4",
            ),
            spacing="4",
            width="100%",
            max_width="48rem",
        ),
        on_submit=NewLeadState.submit,
        no_validate=True,  # our messages sit next to the field; the browser bubble does not
        aria_label="Add a lead",
    )
