"""The audience editor every area's form embeds: who an item is for, with the same fields and the same parse
(prm_app.audience.form.rule_from_form) everywhere.

    audience_editor(State.audience_form, State.audience_options, State.errors)

inside an `rx.form`; the state keeps an `AudienceForm` (form_of(rule)) and `AudienceOptions` (audience_options),
and on submit calls `rule_from_form(form, names)` in its use case. Controls take their starting values from
`current` when they are drawn: bump a `key` on the form after loading another record so they are drawn again.
"""

from __future__ import annotations

import reflex as rx

from prm_app.audience.form import PREFIX, AudienceForm, AudienceOptions, Choice
from prm_app.partners import PARTNER_TYPE_LABELS, REGIONS
from prm_app.web.components.forms import field_error


def _check(label: rx.Var | str, name: rx.Var | str, checked: rx.Var) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, default_checked=checked),
        " ",
        label,
        display="inline-flex",
        gap="0.35rem",
        align_items="center",
        margin_right="1rem",
    )


def _fieldset(legend: str, name: str, errors: rx.Var, *controls: rx.Component) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(legend, class_name="field-label"),
        rx.flex(*controls, wrap="wrap", row_gap="0.25rem"),
        field_error(errors, name),
        id=f"field-{name}",
    )


def _text(label: str, name: str, value: rx.Var, hint: str, errors: rx.Var) -> rx.Component:
    return rx.box(
        rx.el.label(label, html_for=f"field-{name}", class_name="field-label"),
        rx.text(hint, size="1", color_scheme="gray", id=f"{name}-hint"),
        rx.input(
            id=f"field-{name}",
            name=name,
            default_value=value,
            width="100%",
            custom_attrs={"aria-describedby": f"{name}-hint field-{name}-error"},
        ),
        field_error(errors, name),
        width="100%",
    )


def audience_editor(
    current: rx.Var[AudienceForm], options: rx.Var[AudienceOptions], errors: rx.Var, prefix: str = PREFIX
) -> rx.Component:
    """Fieldsets for a rule's conditions (none set: every partner) and whether all or any must hold."""
    p = prefix

    def dynamic(kind: str, choices: rx.Var[list[Choice]], chosen: rx.Var[list[str]]) -> rx.Component:
        return rx.foreach(choices, lambda c: _check(c.label, f"{p}_{kind}:" + c.value, chosen.contains(c.value)))

    return rx.el.fieldset(
        rx.el.legend("Who sees it", class_name="field-label", font_weight="600"),
        rx.text("Leave everything empty for every partner.", size="1", color_scheme="gray"),
        rx.vstack(
            rx.box(
                rx.el.label("Conditions", html_for=f"field-{p}_match", class_name="field-label"),
                rx.el.select(
                    rx.el.option("Every condition set must hold", value="all"),
                    rx.el.option("Any one condition is enough", value="any"),
                    id=f"field-{p}_match",
                    name=f"{p}_match",
                    default_value=current.match,
                    class_name="native-select",
                ),
            ),
            _fieldset(
                "Partner types",
                f"{p}_partner_types",
                errors,
                *[
                    _check(lbl, f"{p}_type:{t.value}", current.partner_types.contains(t.value))
                    for t, lbl in PARTNER_TYPE_LABELS.items()
                ],
            ),
            rx.box(
                rx.el.label("Lowest tier", html_for=f"field-{p}_min_tier", class_name="field-label"),
                rx.el.select(
                    rx.el.option("Any tier", value=""),
                    rx.foreach(options.tiers, lambda t: rx.el.option(t + " and above", value=t)),
                    id=f"field-{p}_min_tier",
                    name=f"{p}_min_tier",
                    default_value=current.min_tier,
                    class_name="native-select",
                    custom_attrs={"aria-describedby": f"field-{p}_min_tier-error"},
                ),
                field_error(errors, f"{p}_min_tier"),
            ),
            _fieldset(
                "Regions",
                f"{p}_regions",
                errors,
                *[_check(r, f"{p}_region:{r}", current.regions.contains(r)) for r in REGIONS],
            ),
            _text("Countries", f"{p}_countries", current.countries, "Two-letter codes, e.g. DE, FR.", errors),
            _text("Languages", f"{p}_languages", current.languages, "Two-letter codes, e.g. de, fr.", errors),
            _fieldset("Partner groups", f"{p}_groups", errors, dynamic("group", options.groups, current.groups)),
            _fieldset(
                "Certified people",
                f"{p}_certifications",
                errors,
                dynamic("cert", options.certifications, current.certifications),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
