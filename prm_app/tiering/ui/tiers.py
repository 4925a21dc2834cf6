"""The managers' tier page (/tiers): proposals to decide, the distribution per tier and recent movements, the
what-if (change one threshold, see which partners would move, nothing saved), and each program's tiers with their
criteria (edit a threshold, add or remove a criterion) and "Re-evaluate now"."""

from __future__ import annotations

import reflex as rx

from prm_app.tiering.ui.program_editor import field_error_at, labelled_input, program_card
from prm_app.tiering.ui.tiers_state import ChangeLine, MoveLine, OverrideLine, ProposalLine, TiersState
from prm_app.web.components.charts import chart
from prm_app.web.components.confirm import confirm_button
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, Nav, page, url_for


def _decision(partner, decide, row_id, what: str, whose: str) -> rx.Component:
    """Approve (at once) or reject (after a confirmation) a proposal or an override; `whose` names it for
    assistive technology ("Approve Atlas Value Partners", "Approve the override of …")."""
    return rx.flex(
        rx.button("Approve", size="1", on_click=decide(row_id, True), aria_label="Approve " + whose),
        confirm_button(
            "Reject",
            title=f"Reject this {what}?",
            size="1",
            variant="soft",
            consequence=partner + f" keeps its tier; the {what} closes.",
            on_confirm=decide(row_id, False),
            aria_label="Reject " + whose,
        ),
        spacing="2",
    )


def _proposal(p: ProposalLine) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(p.partner),
        rx.table.cell(p.kind, ": ", p.change),
        rx.table.cell(p.period),
        rx.table.cell(_decision(p.partner, TiersState.decide, p.id, "proposal", p.partner)),
    )


def _waiting(o: OverrideLine) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(o.partner),
        rx.table.cell(o.change),
        rx.table.cell(o.reason),
        rx.table.cell(o.asked),
        rx.table.cell(
            rx.cond(
                o.mine,
                rx.text("Asked by you: another manager decides", size="2"),
                _decision(o.partner, TiersState.decide_override, o.id, "override", "the override of " + o.partner),
            )
        ),
    )


def _move(m: MoveLine) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(m.partner), rx.table.cell(m.now), rx.table.cell(m.would_be), rx.table.cell(m.direction)
    )


def _change(c: ChangeLine) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(c.partner),
        rx.table.cell(c.from_tier),
        rx.table.cell(c.to_tier),
        rx.table.cell(c.why),
        rx.table.cell(c.when),
        rx.table.cell(c.who),
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
                    field_error_at("whatif.criterion_id", "whatif-criterion"),
                ),
                labelled_input("New threshold", "whatif-threshold", "threshold", "whatif.threshold"),
                rx.button("Show who would move", type="submit"),
                align="end",
                spacing="2",
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


def _override() -> rx.Component:
    return rx.card(
        rx.heading("Override a partner's tier", size="4", as_="h2"),
        rx.text(
            "Where the partner's program asks a second approver, the partner takes the tier once a different manager "
            "or an admin approves; the reason and both people stay in its history.",
            size="2",
        ),
        rx.form(
            rx.flex(
                labelled_input("Partner", "override-partner", "partner", "override.partner", width="16rem"),
                rx.box(
                    rx.el.label("New tier", html_for="override-tier", class_name="field-label"),
                    rx.el.select(
                        rx.foreach(TiersState.tier_options, lambda o: rx.el.option(o.label, value=o.value)),
                        id="override-tier",
                        name="tier",
                        class_name="native-select",
                    ),
                    field_error_at("override.tier", "override-tier"),
                ),
                spacing="3",
                wrap="wrap",
            ),
            rx.box(
                rx.el.label("Reason (at least 20 characters)", html_for="override-reason", class_name="field-label"),
                rx.text_area(
                    id="override-reason",
                    name="reason",
                    rows="3",
                    custom_attrs={
                        "aria-invalid": rx.cond(TiersState.errors.get("override.reason", "") != "", "true", "false"),
                        "aria-describedby": "override-reason-error",
                    },
                ),
                field_error_at("override.reason", "override-reason"),
                width="100%",
            ),
            rx.button("Change the tier", type="submit", margin_top="0.5rem"),
            on_submit=TiersState.override,
            reset_on_submit=False,
            aria_label="Override a partner's tier",
        ),
        width="100%",
    )


# 48: after Content and Training (47) whichever area registers its pages first (see my_tier.py)
@page("/tiers", title="Tiers", audience=Audience.INTERNAL, nav=Nav("Tiers", "award", 48), on_load=TiersState.load)
def tiers_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Partner tiers", size="6", as_="h1"),
        rx.text(TiersState.graces, size="2"),
        rx.link("Enter custom metric values", href=url_for("custom_metrics_page_view")),
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
        rx.card(
            rx.heading("Overrides waiting for a second approver", size="4", as_="h2"),
            rx.cond(
                TiersState.overrides.length() > 0,
                data_table(
                    ["Partner", "Change", "Reason", "Asked by", "Decision"],
                    TiersState.overrides,
                    _waiting,
                    label="Pending overrides",
                ),
                rx.text("No override is waiting.", size="2"),
            ),
            width="100%",
        ),
        _what_if(),
        rx.foreach(TiersState.programs, program_card),
        _override(),
        rx.card(
            rx.heading("Distribution and movements", size="4", as_="h2"),
            chart(TiersState.distribution, TiersState.distribution_text),
            rx.cond(
                TiersState.movements.length() > 0,
                data_table(
                    ["Partner", "From", "To", "Why", "When", "Who"],
                    TiersState.movements,
                    _change,
                    label="Tier movements",
                ),
                rx.text("No tier changes yet.", size="2"),
            ),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )
