"""Each tier program as managers edit it on /tiers: its partner types, window, currency and whether upgrades apply at
once; each tier's criteria (edit a threshold, add or remove one) and "Re-evaluate now". Also the labelled inputs
with their errors that the page's forms share."""

from __future__ import annotations

import reflex as rx

from prm_app.partners import PartnerType
from prm_app.tiering.rules import BENEFITS, CADENCES, METRICS, WINDOWS
from prm_app.tiering.ui.tiers_state import CriterionLine, ProgramLine, TierLine, TiersState


def field_error_at(key: rx.Var | str, control_id: rx.Var | str) -> rx.Component:
    return rx.box(
        rx.cond(
            TiersState.errors.get(key, "") != "",
            rx.text(TiersState.errors.get(key, ""), color=rx.color("red", 11), size="2", weight="medium"),
        ),
        id=rx.Var.create(control_id).to(str) + "-error",
        role="alert",
    )


def labelled_input(label: rx.Var | str, control_id: rx.Var | str, name: str, error_key, value="", width="9rem"):
    return rx.box(
        rx.el.label(label, html_for=control_id, class_name="field-label"),
        rx.input(
            id=control_id,
            name=name,
            default_value=value,
            size="2",
            width=width,
            custom_attrs={
                "aria-invalid": rx.cond(TiersState.errors.get(error_key, "") != "", "true", "false"),
                "aria-describedby": rx.Var.create(control_id).to(str) + "-error",
            },
        ),
        field_error_at(error_key, control_id),
    )


def _settings(p: ProgramLine) -> rx.Component:
    uid = "prog-" + p.id.to(str)
    key = "p" + p.id.to(str)
    return rx.form(
        rx.el.input(type="hidden", name="program_id", value=p.id.to(str)),
        rx.el.fieldset(
            rx.el.legend("Partner types of " + p.name, class_name="field-label"),
            rx.flex(
                *[
                    rx.el.label(
                        rx.el.input(type="checkbox", name=f"type_{t.value}",
                                    default_checked=p.partner_types.contains(t.value)),
                        t.value.replace("_", " ").capitalize(),
                        class_name="check-row",
                    )
                    for t in PartnerType
                ],
                spacing="3",
                wrap="wrap",
            ),
            field_error_at(key + ".partner_types", uid + "-types"),
            id=uid + "-types",
        ),
        rx.flex(
            rx.box(
                rx.el.label("Evaluation window", html_for=uid + "-window", class_name="field-label"),
                rx.el.select(*[rx.el.option(label, value=v) for v, label in WINDOWS.items()], id=uid + "-window",
                             name="window", default_value=p.window, class_name="native-select"),
                field_error_at(key + ".window", uid + "-window"),
            ),
            rx.box(
                rx.el.label("Evaluated", html_for=uid + "-cadence", class_name="field-label"),
                rx.el.select(*[rx.el.option(label, value=v) for v, label in CADENCES.items()], id=uid + "-cadence",
                             name="cadence", default_value=p.cadence, class_name="native-select"),
                field_error_at(key + ".cadence", uid + "-cadence"),
            ),
            labelled_input("Program currency", uid + "-currency", "currency", key + ".currency", p.currency, "6rem"),
            rx.el.label(rx.el.input(type="checkbox", name="auto_apply", default_checked=p.auto_apply),
                        "Apply upgrades at once (no proposal)", class_name="check-row"),
            rx.el.label(rx.el.input(type="checkbox", name="override_approver", default_checked=p.override_approver),
                        "Overrides need a second approver", class_name="check-row"),
            rx.button("Save program", type="submit", variant="soft", size="2"),
            align="end", spacing="3", wrap="wrap",
        ),
        on_submit=TiersState.save_program,
        reset_on_submit=False,
        aria_label="Settings of " + p.name,
    )  # fmt: skip


def _criterion(c: CriterionLine) -> rx.Component:
    cid = "crit-" + c.id.to(str)
    return rx.form(
        rx.el.input(type="hidden", name="criterion_id", value=c.id.to(str)),
        rx.flex(
            rx.text(c.label, " ", c.shown, " (group ", c.group.to(str), ")", size="2", min_width="14rem"),
            labelled_input(
                "Threshold for " + c.label,
                cid + "-threshold",
                "threshold",
                "c" + c.id.to(str) + ".threshold",
                c.threshold,
            ),
            rx.button("Save", size="1", type="submit", variant="soft", aria_label="Save threshold of " + c.label),
            rx.button(
                "Remove",
                size="1",
                type="button",
                variant="ghost",
                color_scheme="red",
                on_click=TiersState.remove(c.id),
                aria_label="Remove " + c.label,
            ),
            align="end",
            spacing="2",
            wrap="wrap",
        ),
        on_submit=TiersState.save_threshold,
        reset_on_submit=False,
    )


def _add_criterion(t: TierLine) -> rx.Component:
    uid = "add-" + t.program_tier_id.to(str)
    key = "t" + t.program_tier_id.to(str)
    return rx.form(
        rx.el.input(type="hidden", name="program_tier_id", value=t.program_tier_id.to(str)),
        rx.flex(
            rx.box(
                rx.el.label("New criterion for " + t.name, html_for=uid + "-metric", class_name="field-label"),
                rx.el.select(
                    *[rx.el.option(label, value=v) for v, label in METRICS.items()],
                    id=uid + "-metric",
                    name="metric",
                    class_name="native-select",
                ),
                field_error_at(key + ".metric", uid + "-metric"),
            ),
            labelled_input(
                "Certification code or custom metric's name", uid + "-param", "param", key + ".param", width="11rem"
            ),
            labelled_input("Threshold", uid + "-threshold", "threshold", key + ".threshold"),
            labelled_input("Group (1 = all must hold)", uid + "-group", "group", key + ".group", "1", "6rem"),
            rx.button("Add", size="2", type="submit", variant="soft", aria_label="Add criterion to " + t.name),
            align="end",
            spacing="2",
            wrap="wrap",
        ),
        on_submit=TiersState.add_criterion,
        reset_on_submit=True,
    )


def _benefits(t: TierLine) -> rx.Component:
    uid = "ben-" + t.program_tier_id.to(str)
    key = "b" + t.program_tier_id.to(str)
    return rx.box(
        rx.el.ul(
            rx.foreach(
                t.benefits,
                lambda b: rx.el.li(
                    rx.flex(
                        rx.text(b.label, ": ", b.value, " · from ", b.starts, size="2"),
                        rx.button("Remove", size="1", type="button", variant="ghost", color_scheme="red",
                                  on_click=TiersState.remove_benefit(b.id), aria_label="Remove benefit " + b.label),
                        spacing="2", align="center", wrap="wrap",
                    )
                ),
            ),
            aria_label="Benefits of " + t.name,
        ),
        rx.form(
            rx.el.input(type="hidden", name="program_tier_id", value=t.program_tier_id.to(str)),
            rx.flex(
                rx.box(
                    rx.el.label("New benefit for " + t.name, html_for=uid + "-kind", class_name="field-label"),
                    rx.el.select(*[rx.el.option(label, value=v) for v, label in BENEFITS.items()], id=uid + "-kind",
                                 name="kind", class_name="native-select"),
                    field_error_at(key + ".kind", uid + "-kind"),
                ),
                labelled_input("Value", uid + "-value", "value", key + ".value", width="11rem"),
                rx.box(
                    rx.el.label("From", html_for=uid + "-from", class_name="field-label"),
                    rx.input(id=uid + "-from", name="effective_from", type="date", size="2",
                             custom_attrs={"aria-describedby": uid + "-from-error"}),
                    field_error_at(key + ".effective_from", uid + "-from"),
                ),
                rx.el.label(rx.el.input(type="checkbox", name="retroactive"), "Applies retroactively",
                            class_name="check-row"),
                rx.button("Add benefit", size="2", type="submit", variant="soft",
                          aria_label="Add benefit to " + t.name),
                align="end", spacing="2", wrap="wrap",
            ),
            on_submit=TiersState.add_benefit,
            reset_on_submit=False,
        ),
        margin_top="0.5rem",
    )  # fmt: skip


def _tier(t: TierLine) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.badge(t.name, color_scheme=t.color, variant="solid"),
            rx.text(t.partners, " partners", size="2"),
            spacing="2",
            align="center",
        ),
        rx.vstack(rx.foreach(t.criteria, _criterion), spacing="2", width="100%", margin_y="0.5rem"),
        _add_criterion(t),
        _benefits(t),
        border_top="1px solid var(--gray-5)",
        padding_top="0.75rem",
        width="100%",
    )


def _reevaluate(p: ProgramLine) -> rx.Component:
    uid = "eval-" + p.id.to(str)
    return rx.form(
        rx.el.input(type="hidden", name="program_id", value=p.id.to(str)),
        rx.flex(
            rx.box(
                rx.el.label("Evaluate as of (empty: today)", html_for=uid, class_name="field-label"),
                rx.input(
                    id=uid, name="as_of", type="date", size="2", custom_attrs={"aria-describedby": uid + "-error"}
                ),
                field_error_at("e" + p.id.to(str) + ".as_of", uid),
            ),
            rx.button("Re-evaluate now", size="2", type="submit", aria_label="Re-evaluate " + p.name),
            align="end",
            spacing="2",
            wrap="wrap",
        ),
        on_submit=TiersState.reevaluate,
        reset_on_submit=False,
    )


def program_card(p: ProgramLine) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.heading(p.name, size="4", as_="h2"),
            _reevaluate(p),
            justify="between",
            wrap="wrap",
            spacing="2",
        ),
        rx.text(p.about, size="2", color_scheme="gray"),
        _settings(p),
        rx.text("Criteria with the same group number are alternatives; every group must hold.", size="2"),
        rx.vstack(rx.foreach(p.tiers, _tier), spacing="3", width="100%", margin_top="0.5rem"),
        width="100%",
    )
