"""The partner's tier page (/portal/tier): current tier and the benefits in effect, each criterion of the next tier
with a progress bar and what is missing, what is at risk and by when, the projected tier, and "Why am I …?" (the
stored evaluation: each value with its source records, the window and the rule version) with the history."""

from __future__ import annotations

import reflex as rx

from prm_app.identity import with_zone
from prm_app.tiering import my_tier
from prm_app.tiering.ui.display import (
    GapLine,
    TextPair,
    ValueLine,
    gap_lines,
    lapse_sentence,
    risk_sentence,
    state_label,
    value_line,
)
from prm_app.web.components.tables import data_table
from prm_app.web.format import day, moment
from prm_app.web.registry import Audience, Nav, page
from prm_app.web.state import AuthState


class MyTierState(AuthState):
    has_program: bool = False
    program: str = ""
    tier: str = ""
    color: str = "gray"
    state: str = ""
    benefits: list[TextPair] = []
    next_tier: str = ""
    progress: list[GapLine] = []
    risk: str = ""
    lapsing: list[str] = []
    projected: str = ""
    evaluated: str = ""
    values: list[ValueLine] = []
    history: list[TextPair] = []
    show_why: bool = False

    @rx.event
    def load(self):
        t, zone = self._run(with_zone, my_tier)
        self.has_program, self.show_why = t is not None, False
        if t is None:
            return
        self.program, self.tier, self.color, self.state = t.program, t.tier, t.color, state_label(t.state)
        self.benefits = [TextPair(b.label, b.value) for b in t.benefits]
        self.next_tier = t.next_tier
        self.progress = gap_lines(t.progress, t.currency)
        self.risk = risk_sentence(t)
        self.lapsing = [lapse_sentence(x) for x in t.lapsing]
        self.projected = t.projected_tier
        self.evaluated = (
            f"Evaluated on {day(t.as_of)} over {day(t.window_start)} – {day(t.as_of)}, rules version {t.rule_version}."
            if t.as_of
            else "Not evaluated yet."
        )
        self.values = [value_line(v, t.currency) for v in t.values]
        self.history = [TextPair(moment(h.at, zone), f"{h.from_tier} → {h.to_tier}: {h.reason}") for h in t.history]

    @rx.event
    def toggle_why(self):
        self.show_why = not self.show_why


def _gap(g: GapLine) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.text(g.label, weight="medium"),
            rx.text(g.shown, size="2"),
            justify="between",
            wrap="wrap",
            spacing="2",
        ),
        rx.progress(value=g.percent, max=100, aria_label=g.label + " towards " + MyTierState.next_tier),
        rx.flex(
            rx.text(g.missing, size="2", weight=rx.cond(g.met, "medium", "regular")),
            rx.text(g.alternatives, size="2"),
            justify="between",
            wrap="wrap",
            spacing="2",
        ),
        width="100%",
    )


def _why() -> rx.Component:
    return rx.card(
        rx.heading("Why am I " + MyTierState.tier + "?", size="4", as_="h2"),
        rx.text(MyTierState.evaluated, size="2"),
        data_table(
            ["Criterion", "Value", "Counted records"],
            MyTierState.values,
            lambda v: rx.table.row(rx.table.row_header_cell(v.label), rx.table.cell(v.value), rx.table.cell(v.records)),
            label="Evaluation",
        ),
        rx.heading("History", size="3", as_="h3", margin_top="1rem"),
        rx.cond(
            MyTierState.history.length() > 0,
            rx.el.ul(rx.foreach(MyTierState.history, lambda h: rx.el.li(rx.text(h.first, ": ", h.second, size="2")))),
            rx.text("No tier changes yet.", size="2"),
        ),
        id="why",
        width="100%",
    )


# 36: after Learning and Incentives (35) whichever area registers its pages first (the portal home imports the tier
# card, and with it this package, before training's pages)
@page("/portal/tier", title="Tier", audience=Audience.PARTNER, nav=Nav("Tier", "award", 36), on_load=MyTierState.load)
def my_tier_page() -> rx.Component:
    return rx.cond(
        MyTierState.has_program,
        rx.vstack(
            rx.flex(
                rx.heading("Your tier", size="6", as_="h1"),
                rx.badge(MyTierState.tier, color_scheme=MyTierState.color, size="3", variant="solid"),
                rx.text(MyTierState.program, " · ", MyTierState.state, size="2"),
                align="center",
                spacing="3",
                wrap="wrap",
            ),
            rx.cond(
                MyTierState.risk != "",
                rx.callout(MyTierState.risk, icon="triangle_alert", color_scheme="amber", role="status", width="100%"),
            ),
            rx.foreach(
                MyTierState.lapsing,
                lambda text: rx.callout(text, icon="triangle_alert", color_scheme="amber", role="status", width="100%"),
            ),
            rx.card(
                rx.heading("Your benefits", size="4", as_="h2"),
                rx.cond(
                    MyTierState.benefits.length() > 0,
                    rx.el.ul(rx.foreach(MyTierState.benefits, lambda b: rx.el.li(b.first, ": ", b.second))),
                    rx.text("The program's standard benefits.", size="2"),
                ),
                width="100%",
            ),
            rx.cond(
                MyTierState.next_tier != "",
                rx.card(
                    rx.heading("Progress to " + MyTierState.next_tier, size="4", as_="h2"),
                    rx.vstack(rx.foreach(MyTierState.progress, _gap), spacing="3", width="100%"),
                    rx.text(
                        "Projected at the end of the window: ",
                        rx.text.strong(MyTierState.projected),
                        size="2",
                        margin_top="0.75rem",
                    ),
                    width="100%",
                ),
                rx.text("You hold the program's highest tier."),
            ),
            rx.button(
                rx.cond(MyTierState.show_why, "Hide the evaluation", "Why am I " + MyTierState.tier + "?"),
                on_click=MyTierState.toggle_why,
                variant="soft",
                aria_expanded=rx.cond(MyTierState.show_why, "true", "false"),
                aria_controls="why",
            ),
            rx.cond(MyTierState.show_why, _why()),
            spacing="4",
            width="100%",
        ),
        rx.text("No tier program covers your partner type yet."),
    )
