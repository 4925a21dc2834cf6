"""The managers' tier page (/tiers): proposals to decide, the distribution per tier and recent movements, the
what-if (change one threshold, see which partners would move, nothing saved), and each program's tiers with their
criteria (edit a threshold, add or remove a criterion) and "Re-evaluate now"."""

from __future__ import annotations

import reflex as rx

from prm_app.tiering.rules import METRICS
from prm_app.tiering.ui.tiers_state import CriterionLine, MoveLine, ProgramLine, ProposalLine, TierLine, TiersState
from prm_app.web.components.confirm import confirm_button
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, Nav, page


def _error(key: rx.Var | str, control_id: rx.Var | str) -> rx.Component:
    return rx.box(
        rx.cond(
            TiersState.errors.get(key, "") != "",
            rx.text(TiersState.errors.get(key, ""), color=rx.color("red", 11), size="2", weight="medium"),
        ),
        id=rx.Var.create(control_id).to(str) + "-error",
        role="alert",
    )


def _labelled_input(label: rx.Var | str, control_id: rx.Var | str, name: str, error_key, value="", width="9rem"):
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
        _error(error_key, control_id),
    )


def _proposal(p: ProposalLine) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(p.partner),
        rx.table.cell(p.kind, ": ", p.change),
        rx.table.cell(p.period),
        rx.table.cell(
            rx.flex(
                rx.button(
                    "Approve", size="1", on_click=TiersState.decide(p.id, True), aria_label="Approve " + p.partner
                ),
                confirm_button(
                    "Reject",
                    title="Reject this proposal?",
                    size="1",
                    variant="soft",
                    consequence=p.partner + " keeps its tier; the proposal closes.",
                    on_confirm=TiersState.decide(p.id, False),
                    aria_label="Reject " + p.partner,
                ),
                gap="2",
            )
        ),
    )


def _move(m: MoveLine) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(m.partner), rx.table.cell(m.now), rx.table.cell(m.would_be), rx.table.cell(m.direction)
    )


def _criterion(c: CriterionLine) -> rx.Component:
    cid = "crit-" + c.id.to(str)
    return rx.form(
        rx.el.input(type="hidden", name="criterion_id", value=c.id.to(str)),
        rx.flex(
            rx.text(c.label, " ", c.shown, " (group ", c.group.to(str), ")", size="2", min_width="14rem"),
            _labelled_input(
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
            gap="2",
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
                _error(key + ".metric", uid + "-metric"),
            ),
            _labelled_input("Custom metric's name", uid + "-param", "param", key + ".param", width="11rem"),
            _labelled_input("Threshold", uid + "-threshold", "threshold", key + ".threshold"),
            _labelled_input("Group (1 = all must hold)", uid + "-group", "group", key + ".group", "1", "6rem"),
            rx.button("Add", size="2", type="submit", variant="soft", aria_label="Add criterion to " + t.name),
            align="end",
            gap="2",
            wrap="wrap",
        ),
        on_submit=TiersState.add_criterion,
        reset_on_submit=True,
    )


def _tier(t: TierLine) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.badge(t.name, color_scheme=t.color, variant="solid"),
            rx.text(t.partners, " partners", size="2"),
            gap="2",
            align="center",
        ),
        rx.vstack(rx.foreach(t.criteria, _criterion), spacing="2", width="100%", margin_y="0.5rem"),
        _add_criterion(t),
        border_top="1px solid var(--gray-5)",
        padding_top="0.75rem",
        width="100%",
    )


def _program(p: ProgramLine) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.heading(p.name, size="4", as_="h2"),
            rx.button(
                "Re-evaluate now", size="2", on_click=TiersState.reevaluate(p.id), aria_label="Re-evaluate " + p.name
            ),
            justify="between",
            wrap="wrap",
            gap="2",
        ),
        rx.text(p.about, size="2", color_scheme="gray"),
        rx.text("Criteria with the same group number are alternatives; every group must hold.", size="2"),
        rx.vstack(rx.foreach(p.tiers, _tier), spacing="3", width="100%", margin_top="0.5rem"),
        width="100%",
    )


def _what_if() -> rx.Component:
    return rx.card(
        rx.heading("What if", size="4", as_="h2"),
        rx.text("Change one threshold and see which partners would move. Nothing is saved.", size="2"),
        rx.form(
            rx.flex(
                rx.box(
                    rx.el.label("Criterion to change", html_for="whatif-criterion", class_name="field-label"),
                    rx.el.select(
                        rx.foreach(TiersState.criteria_options, lambda o: rx.el.option(o.label, value=o.value)),
                        id="whatif-criterion",
                        name="criterion_id",
                        class_name="native-select",
                    ),
                    _error("whatif.criterion_id", "whatif-criterion"),
                ),
                _labelled_input("New threshold", "whatif-threshold", "threshold", "whatif.threshold"),
                rx.button("Show who would move", type="submit"),
                align="end",
                gap="2",
                wrap="wrap",
            ),
            on_submit=TiersState.run_what_if,
            reset_on_submit=False,
        ),
        rx.cond(TiersState.whatif_summary != "", rx.text(TiersState.whatif_summary, role="status", weight="medium")),
        rx.cond(
            TiersState.whatif_moves.length() > 0,
            data_table(
                ["Partner", "Qualifies now", "Would qualify", "Direction"],
                TiersState.whatif_moves,
                _move,
                label="Partners who would move",
            ),
        ),
        width="100%",
    )


@page("/tiers", title="Tiers", audience=Audience.INTERNAL, nav=Nav("Tiers", "award", 47), on_load=TiersState.load)
def tiers_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Partner tiers", size="6", as_="h1"),
        rx.text(TiersState.graces, size="2"),
        rx.card(
            rx.heading("Proposals to decide", size="4", as_="h2"),
            rx.cond(
                TiersState.proposals.length() > 0,
                data_table(
                    ["Partner", "Change", "Period", "Decision"], TiersState.proposals, _proposal, label="Tier proposals"
                ),
                rx.text("No proposal is waiting.", size="2"),
            ),
            width="100%",
        ),
        _what_if(),
        rx.foreach(TiersState.programs, _program),
        rx.card(
            rx.heading("Recent movements", size="4", as_="h2"),
            rx.cond(
                TiersState.movements.length() > 0,
                data_table(["Partner", "From", "To", "Why"], TiersState.movements, _move, label="Tier movements"),
                rx.text("No tier changes yet.", size="2"),
            ),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )
