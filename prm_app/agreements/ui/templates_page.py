"""Agreements for the channel team: every template with its latest version and signatures, and a new template."""

from __future__ import annotations

import reflex as rx

from prm_app.agreements import list_templates, save_template
from prm_app.agreements.ui.display import TemplateRow, template_row
from prm_app.identity import with_zone
from prm_app.platform.access import Permission
from prm_app.platform.errors import FormInvalid
from prm_app.web.components.forms import field
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState

STARTER = """# {name}

This agreement is between Open PRM Vendor Inc. and **{{{{company_name}}}}**, {{{{company_address}}}}.

Signed for the partner by {{{{signer_name}}}} on {{{{date}}}}.
"""


class TemplatesState(AuthState):
    templates: list[TemplateRow] = []
    can_manage: bool = False
    errors: dict[str, str] = {}

    def _reload(self) -> None:
        rows, zone = self._run(with_zone, list_templates)
        self.templates = [template_row(t, zone) for t in rows]
        self.can_manage = self._actor().can(Permission.MANAGE_AGREEMENTS)

    @rx.event
    def load(self):
        self.errors = {}
        self._reload()

    @rx.event
    def create(self, form: dict):
        name = " ".join(str(form.get("name", "")).split())[:200]
        try:
            template_id = self._run(save_template, None, name=name, body=STARTER.format(name=name))
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        self.errors = {}
        return rx.redirect(f"/agreements/{template_id}")


def _row(t: rx.Var[TemplateRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(t.name, href=f"/agreements/{t.id}")),
        rx.table.cell(t.applies),
        rx.table.cell(t.latest, rx.text(t.published, size="1", color_scheme="gray", as_="p")),
        rx.table.cell(t.draft),
        rx.table.cell(t.signatures),
    )


@page(
    "/agreements",
    title="Agreements",
    audience=Audience.INTERNAL,
    on_load=TemplatesState.load,
)  # no header entry of its own (the header keeps to one row): linked from the onboarding board
def agreements_page() -> rx.Component:
    return rx.vstack(
        rx.text(
            "What partners sign. Each published version is kept as it was; partners sign the latest version of every "
            "agreement that applies to their partner type and region.",
            size="2",
        ),
        data_table(
            ["Agreement", "Applies to", "Latest version", "Draft", "Signatures"],
            TemplatesState.templates,
            _row,
            label="Agreements",
        ),
        rx.cond(
            TemplatesState.can_manage,
            rx.card(
                rx.heading("New agreement", size="4", as_="h2", margin_bottom="0.5rem"),
                rx.form(
                    rx.vstack(
                        field("Name", "name", TemplatesState.errors.get("name", "")),
                        rx.button("Create and edit", type="submit"),
                        spacing="3",
                        width="100%",
                    ),
                    on_submit=TemplatesState.create,
                    reset_on_submit=False,
                    no_validate=True,
                    aria_label="New agreement",
                ),
                width="100%",
                max_width="32rem",
            ),
        ),
        spacing="4",
        width="100%",
    )
