"""The distribution section of a partner's page: the distributors and master agents above it and the resellers and
agents below it, with their periods; the channel team (of a partner in its reach) adds and ends relations here.
The use cases re-check every change (partners.relations); this page only decides what is shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import reflex as rx
from sqlmodel import Session

from prm_app.partners.relations import (
    RELATION_KIND_LABELS,
    RelationLine,
    Relations,
    add_relation,
    end_relation,
    parent_choices,
    partner_relations,
)
from prm_app.platform.access import Actor
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, PermissionDenied
from prm_app.web.components.confirm import confirm_button
from prm_app.web.components.forms import field, form_error, labelled, select_field
from prm_app.web.components.tables import data_table
from prm_app.web.format import day
from prm_app.web.record import RecordActions
from prm_app.web.state import AuthState


@dataclass
class RelationRow:
    id: int = 0
    name: str = ""
    kind: str = ""  # its label
    period: str = ""  # "since 4 Mar 2026", "4 Mar 2026 – 1 Dec 2026"
    current: bool = False


def relation_row(r: RelationLine) -> RelationRow:
    """A relation as text; the shown end is the last day it held (valid_to is exclusive)."""
    if r.valid_to is None:
        period = f"since {day(r.valid_from)}"
    else:
        period = f"{day(r.valid_from)} – {day(max(r.valid_from, r.valid_to - timedelta(days=1)))}"
    return RelationRow(
        id=r.id, name=r.other_name, kind=RELATION_KIND_LABELS.get(r.kind, r.kind), period=period, current=r.current
    )


def _view(session: Session, actor: Actor, partner_id: int) -> tuple[Relations, list[tuple[int, str]] | None]:
    """The partner's relations, and the parents the actor may add (None when it may not change them)."""
    relations = partner_relations(session, actor, partner_id)
    try:
        return relations, parent_choices(session, actor, partner_id)
    except (NotFound, PermissionDenied):
        return relations, None


class PartnerRelationsState(RecordActions, AuthState):
    found: bool = True
    above: list[RelationRow] = []
    below: list[RelationRow] = []
    can_manage: bool = False
    parents: list[list[str]] = []  # [value, label] for the select
    errors: dict[str, str] = {}
    form_key: int = 0  # a new key redraws the form empty after a relation is added
    today: str = ""
    _record_id: int = 0

    def _reload(self) -> None:
        try:
            relations, choices = self._run(_view, self._record_id)
        except NotFound:
            self.found, self.above, self.below, self.can_manage = False, [], [], False
            return
        self.found = True
        self.above = [relation_row(r) for r in relations.above]
        self.below = [relation_row(r) for r in relations.below]
        self.can_manage = choices is not None
        self.parents = [["", "Choose a distributor…"]] + [[str(i), name] for i, name in choices or []]
        self.today = utcnow().date().isoformat()

    @rx.event
    def load(self) -> None:
        self._open_record()

    @rx.event
    def add(self, form: dict[str, Any]) -> rx.event.EventSpec | None:
        try:
            self._run(
                add_relation,
                self._record_id,
                str(form.get("parent_id", "")),
                str(form.get("kind", "")),
                str(form.get("valid_from", "")),
                str(form.get("valid_to", "")),
            )
        except FormInvalid as exc:
            self.errors = exc.errors
            return rx.set_focus(f"field-{next(iter(exc.errors))}")
        self.errors, self.form_key = {}, self.form_key + 1
        self._reload()
        return rx.toast.success("Relation added.")

    @rx.event
    def end(self, relation_id: int) -> rx.event.EventSpec | None:
        try:
            self._run(end_relation, int(relation_id))
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            self.errors = {"relation": exc.message}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success("Relation ended.")


def _row(r: rx.Var[RelationRow], manage: bool) -> rx.Component:
    cells = [
        rx.table.row_header_cell(r.name),
        rx.table.cell(r.kind),
        rx.table.cell(r.period),
        rx.table.cell(rx.cond(r.current, "Current", "Ended or not started")),
    ]
    if manage:
        cells.append(
            rx.table.cell(
                rx.cond(
                    PartnerRelationsState.can_manage & r.current,
                    confirm_button(
                        "End",
                        title="End this relation today?",
                        consequence="From today the two partners are no longer related: the reseller's new "
                        "registrations cannot name this distributor. The history is kept.",
                        on_confirm=PartnerRelationsState.end(r.id),
                        confirm_label="End relation",
                        variant="soft",
                        size="1",
                        aria_label="End relation with " + r.name,
                    ),
                )
            )
        )
    return rx.table.row(*cells)


def _add_form() -> rx.Component:
    s = PartnerRelationsState
    return rx.form(
        rx.heading("Add a distributor or master agent", size="3", as_="h3"),
        form_error(s.errors.get("relation", "")),
        rx.flex(
            labelled(
                s.errors,
                "Above this partner",
                "parent_id",
                rx.el.select(
                    rx.foreach(s.parents, lambda p: rx.el.option(p[1], value=p[0])),
                    id="field-parent_id",
                    name="parent_id",
                    class_name="native-select",
                ),
            ),
            select_field(
                "Kind",
                "kind",
                [(k.value, label) for k, label in RELATION_KIND_LABELS.items()],
                error=s.errors.get("kind", ""),
            ),
            field("From", "valid_from", s.errors.get("valid_from", ""), type="date", default_value=s.today),
            field("Until (optional)", "valid_to", s.errors.get("valid_to", ""), type="date", required=False),
            direction={"initial": "column", "sm": "row"},
            spacing="3",
            width="100%",
        ),
        rx.button("Add relation", type="submit", margin_top="0.5rem"),
        on_submit=PartnerRelationsState.add,
        no_validate=True,
        aria_label="Add a distributor or master agent",
        key=s.form_key,
        width="100%",
    )


def relations_section() -> rx.Component:
    """The partner's distribution relations; for the channel team, the form to add one and a button to end one."""
    s = PartnerRelationsState
    headers = ["Partner", "Kind", "Period", "Now"]
    return rx.cond(
        s.found,
        rx.vstack(
            rx.heading("Distribution", size="4", as_="h2"),
            rx.cond(
                (s.above.length() == 0) & (s.below.length() == 0),
                rx.text("No distributor, master agent, reseller or agent is related to this partner.", size="2"),
            ),
            rx.cond(
                s.above.length() > 0,
                rx.vstack(
                    rx.heading("Above it", size="3", as_="h3"),
                    data_table([*headers, ""], s.above, lambda r: _row(r, True), label="Distributors above"),
                    width="100%",
                ),
            ),
            rx.cond(
                s.below.length() > 0,
                rx.vstack(
                    rx.heading("Below it", size="3", as_="h3"),
                    data_table(headers, s.below, lambda r: _row(r, False), label="Resellers and agents below"),
                    width="100%",
                ),
            ),
            rx.cond(s.can_manage, _add_form()),
            spacing="3",
            width="100%",
        ),
    )
