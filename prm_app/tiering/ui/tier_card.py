"""The tier card on the partner's portal home: its tier in the badge's colour, what it still needs for the next tier
in words ("228,000.00 USD more revenue to reach Platinum"), what is at risk and by when, and a link to its tier page.
Shown only when a tier program covers the partner. The home page loads it with its own state."""

from __future__ import annotations

import reflex as rx

from prm_app.tiering import my_tier
from prm_app.tiering.ui.display import lapse_sentence, progress_sentence, risk_sentence, state_label
from prm_app.web.language_state import t
from prm_app.web.registry import url_for
from prm_app.web.state import AuthState


class TierCardState(AuthState):
    shown: bool = False
    tier: str = ""
    color: str = "gray"
    program: str = ""
    state: str = ""
    progress: str = ""
    risks: list[str] = []

    @rx.event
    def load(self):
        mine = self._run(my_tier)
        self.shown = mine is not None
        if mine is None:
            return
        language = self.language  # the card's sentences, amounts and days in the person's language
        self.tier, self.color, self.program = mine.tier, mine.color, mine.program
        self.state = state_label(mine.state, language)
        self.progress = progress_sentence(mine, language) if mine.next_tier else self._words().text("tier.top")
        self.risks = [
            r for r in (risk_sentence(mine, language), *(lapse_sentence(x, language) for x in mine.lapsing)) if r
        ]


def tier_card() -> rx.Component:
    return rx.cond(
        TierCardState.shown,
        rx.card(
            rx.flex(
                rx.heading(t("tier.heading"), size="4", as_="h2"),
                rx.badge(TierCardState.tier, color_scheme=TierCardState.color, size="2", variant="solid"),
                rx.text(TierCardState.program, " · ", TierCardState.state, size="2"),
                align="center",
                spacing="2",
                wrap="wrap",
            ),
            rx.text(TierCardState.progress, margin_top="0.5rem"),
            rx.foreach(
                TierCardState.risks,
                lambda text: rx.callout(
                    text, icon="triangle_alert", color_scheme="amber", role="status", width="100%", margin_top="0.5rem"
                ),
            ),
            rx.link(t("tier.see"), href=url_for("my_tier_page"), margin_top="0.5rem"),
            id="tier-card",
            role="region",
            aria_label=t("tier.heading"),
            width="100%",
        ),
    )
