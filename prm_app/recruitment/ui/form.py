"""The application form, shared by the public form and the resubmit page: every field labelled, its error beside
it, what was typed kept (uncontrolled inputs, filled from `values` when the form mounts), a program's extra fields
drawn from its definition, and the honeypot hidden from view and from the keyboard."""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx

from prm_app.partners import PARTNER_TYPE_LABELS
from prm_app.recruitment import HONEYPOT, ProgramCard
from prm_app.recruitment.rules import REVENUE_BANDS, VERTICALS
from prm_app.web.components.forms import COUNTRY_OPTIONS, field_message
from prm_app.web.language_state import t


@dataclass
class FieldView:
    """An extra field as the form draws it."""

    key: str = ""
    label: str = ""
    kind: str = "text"
    options: list[str] = field(default_factory=list)
    required: bool = False


def field_views(program: ProgramCard) -> list[FieldView]:
    return [FieldView(f.key, f.label, f.kind, list(f.options), f.required) for f in program.fields if not f.hidden]


# The first option ("Choose…") is in the reader's language: _select adds it.
TYPE_OPTIONS = [(kind.value, label) for kind, label in PARTNER_TYPE_LABELS.items()]
BAND_OPTIONS = list(REVENUE_BANDS.items())


def _described(errors: rx.Var, name: str | rx.Var, control_id: str | rx.Var) -> dict:
    return {
        "aria-invalid": rx.cond(errors.get(name, "") != "", "true", "false"),
        "aria-describedby": f"{control_id}-error",
    }


def _label(text: str | rx.Var, control_id: str | rx.Var, required: bool | rx.Var) -> rx.Component:
    return rx.el.label(
        text, rx.cond(required, "", rx.text.span(" ", t("recruitment.form.optional"), color_scheme="gray")),
        html_for=control_id, class_name="field-label",
    )  # fmt: skip


def _text(errors, values, label: str | rx.Var, name: str, *, required=True, kind="text", auto="off", area=False):
    control_id = f"field-{name}"
    common = {"id": control_id, "name": name, "default_value": values.get(name, ""), "width": "100%"}
    control = (
        rx.text_area(rows="4", custom_attrs=_described(errors, name, control_id), **common)
        if area
        else rx.input(
            type=kind, auto_complete=auto, size="3", custom_attrs=_described(errors, name, control_id), **common
        )
    )
    return rx.box(_label(label, control_id, required), control, field_message(errors.get(name, ""), control_id),
                  width="100%")  # fmt: skip


def _select(errors, values, label: str | rx.Var, name: str, options: list[tuple[str, str]], choose: bool = True):
    control_id = f"field-{name}"
    return rx.box(
        _label(label, control_id, True),
        rx.el.select(
            *([rx.el.option(t("recruitment.form.choose"), value="")] if choose else []),
            *[rx.el.option(text, value=value) for value, text in options],
            id=control_id, name=name, default_value=values.get(name, ""), class_name="native-select",
            custom_attrs=_described(errors, name, control_id),
        ),
        field_message(errors.get(name, ""), control_id),
        width="100%",
    )  # fmt: skip


def _verticals(errors, values) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(t("recruitment.form.verticals"), class_name="field-label"),
        rx.flex(
            *[
                rx.el.label(
                    rx.el.input(type="checkbox", name=f"vertical_{code}", id=f"field-vertical_{code}",
                                default_checked=values.get(f"vertical_{code}", "") == "on"),
                    label, class_name="check-row",
                )
                for code, label in VERTICALS.items()
            ],
            wrap="wrap", column_gap="1rem",
        ),
        field_message(errors.get("verticals", ""), "field-verticals"),
        class_name="fieldset", id="field-verticals", aria_describedby="field-verticals-error",
    )  # fmt: skip


def _extra(errors: rx.Var, values: rx.Var, f: rx.Var) -> rx.Component:
    control_id = "field-" + f.key.to(str)
    attrs = {"id": control_id, "name": f.key, "custom_attrs": _described(errors, f.key, control_id)}
    message = _message(errors.get(f.key, ""), control_id)
    choose = rx.el.option(t("recruitment.form.choose"), value="")
    control = rx.match(
        f.kind,
        ("textarea", rx.text_area(rows="3", width="100%", default_value=values.get(f.key, ""), **attrs)),
        ("select", rx.el.select(choose, rx.foreach(f.options, lambda o: rx.el.option(o, value=o)),
                                default_value=values.get(f.key, ""), class_name="native-select", **attrs)),
        ("country", rx.el.select(*[rx.el.option(t, value=v) for v, t in COUNTRY_OPTIONS],
                                 default_value=values.get(f.key, ""), class_name="native-select", **attrs)),
        ("checkbox", rx.el.label(rx.el.input(type="checkbox", default_checked=values.get(f.key, "") == "yes",
                                             **attrs), f.label, class_name="check-row")),
        rx.input(size="3", width="100%", default_value=values.get(f.key, ""), **attrs),
    )  # fmt: skip
    return rx.box(rx.cond(f.kind == "checkbox", rx.fragment(), _label(f.label, control_id, f.required)), control,
                  message, width="100%")  # fmt: skip


def _message(message: rx.Var, control_id: rx.Var) -> rx.Component:
    """field_message's look, for a control whose id is a Var (an extra field's)."""
    return rx.box(
        rx.cond(
            message != "",
            rx.flex(rx.icon("circle_alert", size=16, aria_hidden="true", flex_shrink="0", margin_top="0.15rem"),
                    rx.text(message, size="2", weight="medium"), spacing="1", align="start", color=rx.color("red", 11)),
        ),
        id=control_id + "-error", role="alert", width="100%",
    )  # fmt: skip


def honeypot() -> rx.Component:
    """Robots fill every field; people never see this one, and the keyboard skips it."""
    return rx.box(
        rx.el.label(t("recruitment.form.leave_empty"), html_for=f"field-{HONEYPOT}"),
        rx.el.input(id=f"field-{HONEYPOT}", name=HONEYPOT, type="text", tab_index=-1, auto_complete="off"),
        class_name="sr-only",
    )


def application_fields(errors: rx.Var, values: rx.Var, extra: rx.Var) -> rx.Component:
    row = {"direction": {"initial": "column", "sm": "row"}, "spacing": "3", "width": "100%"}
    return rx.vstack(
        rx.heading(t("recruitment.form.your_company"), size="4", as_="h2"),
        _text(errors, values, t("recruitment.form.company"), "company", auto="organization"),
        rx.flex(_text(errors, values, t("recruitment.form.website"), "website", auto="url"),
                _select(errors, values, t("recruitment.form.country"), "country", COUNTRY_OPTIONS[1:]),
                **row),
        rx.flex(_select(errors, values, t("recruitment.form.partner_type"), "partner_type", TYPE_OPTIONS),
                _select(errors, values, t("recruitment.form.annual_revenue"), "revenue_band", BAND_OPTIONS), **row),
        _verticals(errors, values),
        rx.flex(_text(errors, values, t("recruitment.form.team_size"), "team_size", kind="number"),
                _text(errors, values, t("recruitment.form.customers"), "customer_count", kind="number"),
                _text(errors, values, t("recruitment.form.certified_staff"), "certified_staff", kind="number",
                      required=False), **row),
        _text(errors, values, t("recruitment.form.vendors"), "vendors", required=False, area=True),
        rx.heading(t("recruitment.form.contact_person"), size="4", as_="h2"),
        rx.flex(_text(errors, values, t("recruitment.form.your_name"), "contact_name", auto="name"),
                _text(errors, values, t("recruitment.form.job_title"), "contact_title", required=False,
                      auto="organization-title"), **row),
        rx.flex(_text(errors, values, t("recruitment.form.work_email"), "contact_email", kind="email", auto="email"),
                _text(errors, values, t("recruitment.form.phone"), "contact_phone", kind="tel", required=False,
                      auto="tel"), **row),
        _text(errors, values, t("recruitment.form.motivation"), "motivation", area=True),
        rx.foreach(extra, lambda f: _extra(errors, values, f)),
        honeypot(),
        spacing="4",
        width="100%",
    )  # fmt: skip
