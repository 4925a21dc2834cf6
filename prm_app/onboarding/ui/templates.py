"""Checklist templates for managers: the list with a form for a new one, and one template's editor (add, rename,
remove and reorder stages and tasks; a task's kind and whether it needs approval). Changes apply to checklists
started afterwards; partners already onboarding keep theirs."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from prm_app.onboarding import templates as tpl
from prm_app.onboarding.templates import TemplateSummary
from prm_app.partners import PARTNER_TYPE_LABELS, REGIONS, type_label
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, PermissionDenied
from prm_app.web.components.forms import field as text_field
from prm_app.web.components.forms import select_field
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, page, url_for
from prm_app.web.state import AuthState

TYPE_OPTIONS = [("", "Any partner type"), *((t.value, label) for t, label in PARTNER_TYPE_LABELS.items())]
REGION_OPTIONS = [("", "Any region"), *((r, r) for r in REGIONS)]


@dataclass(frozen=True)
class TemplateRow:
    id: int = 0
    name: str = ""
    partner_type: str = ""
    region: str = ""
    size: str = ""


def template_row(t: TemplateSummary) -> TemplateRow:
    return TemplateRow(
        t.id,
        t.name,
        type_label(t.partner_type) if t.partner_type else "Any",
        t.region or "Any",
        f"{t.stages} stages, {t.tasks} tasks",
    )


class TemplatesState(AuthState):
    rows: list[TemplateRow] = []
    errors: dict[str, str] = {}

    @rx.event
    def load(self):
        self.errors = {}
        self.rows = [template_row(t) for t in self._run(tpl.list_templates)]

    @rx.event
    def create(self, form: dict):
        try:
            new_id = self._run(
                tpl.create_template,
                name=str(form.get("name", ""))[:500],
                partner_type=str(form.get("partner_type", "")),
                region=str(form.get("region", "")),
            )
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            self.errors = {exc.field or "name": exc.message}
            return None
        return rx.redirect(f"/onboarding/templates/{new_id}")


def _row(r: rx.Var[TemplateRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(r.name, href=url_for("onboarding_template_page", template_id=r.id))),
        rx.table.cell(r.partner_type),
        rx.table.cell(r.region),
        rx.table.cell(r.size),
    )


@page("/onboarding/templates", title="Checklist templates", audience=Audience.INTERNAL, on_load=TemplatesState.load)
def onboarding_templates_page() -> rx.Component:
    s = TemplatesState
    return rx.vstack(
        rx.text("The most specific template fits a partner: its type and region, then its type, then any type."),
        data_table(["Template", "Partner type", "Region", "Size"], s.rows, _row, label="Checklist templates"),
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading("New template", size="4", as_="h2"),
                    text_field("Name", "name", s.errors.get("name", "")),
                    select_field("Partner type", "partner_type", TYPE_OPTIONS, error=s.errors.get("partner_type", "")),
                    select_field("Region", "region", REGION_OPTIONS, error=s.errors.get("region", "")),
                    rx.button("Create template", type="submit"),
                    spacing="3",
                    width="100%",
                    max_width="30rem",
                ),
                on_submit=s.create,
                reset_on_submit=False,
                no_validate=True,
            ),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )
