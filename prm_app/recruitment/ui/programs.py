"""Managers edit recruitment: each program (name, address, partner type, markdown intro, open or closed), its form's
extra fields (add, remove), a new program, and the qualification criteria's weights and lists."""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx
from sqlmodel import Session

from prm_app.platform.access import Actor
from prm_app.recruitment import add_field, all_programs, remove_field, save_criteria, save_program
from prm_app.recruitment.rules import CRITERIA, FIELD_KINDS
from prm_app.recruitment.scoring import settings
from prm_app.recruitment.ui.form import TYPE_OPTIONS
from prm_app.web.components.forms import field_error
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState


@dataclass
class FieldLine:
    key: str = ""
    label: str = ""
    kind: str = ""
    who: str = ""  # "Required", "Optional", "Reviewers only"


@dataclass
class ProgramLine:
    id: int = 0
    slug: str = ""
    name: str = ""
    partner_type: str = ""
    intro: str = ""
    is_open: bool = True
    fields: list[FieldLine] = field(default_factory=list)


@dataclass
class CriterionLine:
    key: str = ""
    label: str = ""
    weight: int = 0
    listed: str = ""
    has_list: bool = False


def _view(session: Session, actor: Actor) -> tuple:
    return all_programs(session, actor), settings(session)


class ProgramsAdminState(AuthState):
    programs: list[ProgramLine] = []
    criteria: list[CriterionLine] = []
    errors: dict[str, str] = {}  # "<program id or new>.<field>", "criteria.<field>"

    def _reload(self) -> None:
        programs, criteria = self._run(_view)
        self.programs = [
            ProgramLine(p.id, p.slug, p.name, p.partner_type, p.intro, p.is_open, [
                FieldLine(f.key, f.label, FIELD_KINDS[f.kind],
                          "Reviewers only" if f.hidden else "Required" if f.required else "Optional")
                for f in p.fields])
            for p in programs
        ]  # fmt: skip
        self.criteria = [CriterionLine(c.key, CRITERIA[c.key], c.weight, "\n".join(c.items),
                                       c.key in {"vertical_fit", "competitors"}) for c in criteria]  # fmt: skip

    def _try(self, prefix: str, fn, *args, success: str):
        from prm_app.platform.errors import FormInvalid

        try:
            self._run(fn, *args)
        except FormInvalid as exc:
            self.errors = {f"{prefix}.{k}": v for k, v in exc.errors.items()}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success(success)

    @rx.event
    def load(self):
        self.errors = {}
        self._reload()

    @rx.event
    def save(self, form: dict):
        raw = str(form.get("program_id", ""))
        program_id = int(raw) if raw.isdigit() else None
        return self._try(f"p{raw}" if program_id else "new", save_program, program_id, form, success="Program saved.")

    @rx.event
    def add(self, form: dict):
        raw = str(form.get("program_id", ""))
        return self._try(f"f{raw}", add_field, int(raw) if raw.isdigit() else 0, form, success="Field added.")

    @rx.event
    def remove(self, program_id: int, key: str):
        return self._try("x", remove_field, int(program_id), str(key), success="Field removed.")

    @rx.event
    def save_weights(self, form: dict):
        return self._try("criteria", save_criteria, form, success="Criteria saved; open applications scored again.")


def _err(prefix: rx.Var | str, name: str) -> rx.Component:
    return field_error(ProgramsAdminState.errors, f"{prefix}.{name}") if isinstance(prefix, str) else rx.cond(
        ProgramsAdminState.errors.get(prefix.to(str) + "." + name, "") != "",
        rx.text(ProgramsAdminState.errors.get(prefix.to(str) + "." + name, ""), color=rx.color("red", 11),
                role="alert", size="2"),
    )  # fmt: skip


def _input(uid, label: str, name: str, value="", *, area=False, kind="text") -> rx.Component:
    control_id = f"{uid}-{name}"
    control = (rx.text_area(id=control_id, name=name, default_value=value, rows="5") if area
               else rx.input(id=control_id, name=name, default_value=value, type=kind, size="3"))  # fmt: skip
    return rx.box(rx.el.label(label, html_for=control_id, class_name="field-label"), control, _err(uid, name),
                  width="100%")  # fmt: skip


def _program_form(p, uid) -> rx.Component:
    """The program's own fields; `p` is a ProgramLine var (or a blank one for a new program)."""
    type_id = f"{uid}-partner_type"
    return rx.form(
        rx.el.input(type="hidden", name="program_id", value=p.id.to(str) if p is not None else ""),
        _input(uid, "Name", "name", p.name if p is not None else ""),
        _input(uid, "Address (/apply/…)", "slug", p.slug if p is not None else ""),
        rx.box(
            rx.el.label("Partner type it recruits into", html_for=type_id, class_name="field-label"),
            rx.el.select(
                *[rx.el.option(t, value=v) for v, t in [("", "Choose…"), *TYPE_OPTIONS]],
                id=type_id,
                name="partner_type",
                default_value=p.partner_type if p is not None else "",
                class_name="native-select",
            ),
            _err(uid, "partner_type"),
        ),
        _input(uid, "Intro (markdown)", "intro", p.intro if p is not None else "", area=True),
        rx.el.label(
            rx.el.input(type="checkbox", name="is_open", default_checked=p.is_open if p is not None else True),
            "Open for applications",
            class_name="check-row",
        ),
        rx.button("Save program" if p is not None else "Create program", type="submit"),
        on_submit=ProgramsAdminState.save,
        reset_on_submit=False,
        aria_label=("Edit " + p.name) if p is not None else "New program",
        width="100%",
    )


def _fields(p) -> rx.Component:
    uid = "f" + p.id.to(str)
    return rx.vstack(
        rx.heading("Form fields", size="3", as_="h3"),
        rx.el.ul(
            rx.foreach(
                p.fields,
                lambda f: rx.el.li(
                    rx.hstack(
                        rx.text(f.label, " · ", f.kind, " · ", f.who),
                        rx.button(
                            "Remove",
                            size="1",
                            variant="soft",
                            color_scheme="red",
                            aria_label="Remove field " + f.label,
                            on_click=ProgramsAdminState.remove(p.id, f.key),
                        ),
                        align="center",
                        wrap="wrap",
                    )
                ),
            )
        ),
        rx.form(
            rx.el.input(type="hidden", name="program_id", value=p.id.to(str)),
            rx.flex(
                _input(uid, "New field's label", "label"),
                rx.box(
                    rx.el.label("Kind", html_for=uid + "-kind", class_name="field-label"),
                    rx.el.select(
                        *[rx.el.option(t, value=v) for v, t in FIELD_KINDS.items()],
                        id=uid + "-kind",
                        name="kind",
                        class_name="native-select",
                    ),
                    min_width="10rem",
                ),
                rx.box(
                    rx.el.label("Who fills it", html_for=uid + "-visibility", class_name="field-label"),
                    rx.el.select(
                        rx.el.option("Applicant, optional", value="optional"),
                        rx.el.option("Applicant, required", value="required"),
                        rx.el.option("Reviewers only (hidden)", value="hidden"),
                        id=uid + "-visibility",
                        name="visibility",
                        class_name="native-select",
                    ),
                    min_width="14rem",
                ),
                direction={"initial": "column", "sm": "row"},
                spacing="3",
                width="100%",
            ),
            _input(uid, "Options of a choice (one per line)", "options", area=True),
            rx.button("Add field", type="submit", variant="soft"),
            on_submit=ProgramsAdminState.add,
            reset_on_submit=True,
            aria_label="Add a field to " + p.name,
            width="100%",
        ),
        width="100%",
    )


def _criteria() -> rx.Component:
    return rx.card(
        rx.heading("Qualification criteria", size="4", as_="h2"),
        rx.text("Each criterion is worth at most its weight. Lists: one item per line.", size="2"),
        rx.form(
            rx.foreach(
                ProgramsAdminState.criteria,
                lambda c: rx.flex(
                    _input("criteria", c.label + " weight", c.key + "_weight", c.weight.to(str), kind="number"),
                    rx.cond(
                        c.has_list,
                        _input(
                            "criteria",
                            rx.cond(c.key == "vertical_fit", "Target verticals", "Competing vendors"),
                            c.key + "_items",
                            c.listed,
                            area=True,
                        ),
                    ),
                    direction={"initial": "column", "sm": "row"},
                    spacing="3",
                    width="100%",
                ),
            ),
            rx.button("Save criteria", type="submit"),
            on_submit=ProgramsAdminState.save_weights,
            reset_on_submit=False,
            aria_label="Criteria",
        ),
        width="100%",
    )


@page("/recruitment/programs", title="Programs and scoring", audience=Audience.INTERNAL,
      on_load=ProgramsAdminState.load)  # fmt: skip
def programs_admin_page() -> rx.Component:
    return rx.vstack(
        rx.link("Back to applications", href="/recruitment"),
        rx.foreach(ProgramsAdminState.programs, lambda p: rx.card(
            rx.heading(p.name, size="4", as_="h2"), rx.link("Open its form", href="/apply/" + p.slug),
            _program_form(p, "p" + p.id.to(str)), rx.divider(margin_y="0.75rem"), _fields(p), width="100%")),
        rx.card(rx.heading("New program", size="4", as_="h2"), _program_form(None, "new"), width="100%"),
        _criteria(),
        spacing="4",
        width="100%",
    )  # fmt: skip
