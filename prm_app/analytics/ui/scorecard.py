"""A partner's scorecard: this period against the previous one and the program median (never a named peer).

Partners reach their own at /scorecard; the channel team (and the partner itself) at /partners/<id>/scorecard.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from prm_app.analytics import metrics
from prm_app.analytics.charts import trend_figure
from prm_app.analytics.ui.display import ScorecardLine, scorecard_line, trend_summary
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import NotFound
from prm_app.web.components.charts import EMPTY_FIGURE, chart
from prm_app.web.components.tables import data_table
from prm_app.web.language_state import t
from prm_app.web.registry import Audience, Nav, page
from prm_app.web.state import AuthState

PERIODS = ("30", "90", "365")  # days; their labels are analytics.score.period_<days>
_COLUMNS = ("measure", "current", "previous", "change", "median")


def _scorecard(session, actor, partner_id: int | None, f: metrics.Filters) -> metrics.Scorecard:
    """The scorecard of the partner in the URL, or of the actor's own organization on /scorecard."""
    partner_id = partner_id if partner_id is not None else actor.organization_id
    if partner_id is None:
        raise NotFound("partner")
    return metrics.scorecard(session, actor, partner_id, f)


class ScorecardState(AuthState):
    found: bool = True
    days: str = "90"
    partner: str = ""
    rows: list[ScorecardLine] = []
    fig_trend: dict[str, Any] = EMPTY_FIGURE
    trend_words: str = ""

    def _partner_in_url(self) -> int | None:
        raw = self.router.url.path.rstrip("/").split("/")
        if raw[-1] == "scorecard" and len(raw) >= 3 and raw[-2].isdigit():
            return int(raw[-2])
        return None  # /scorecard: the partner's own

    def _reload(self) -> None:
        f = metrics.Filters.last_days(int(self.days), utcnow())
        try:
            card = self._run(_scorecard, self._partner_in_url(), f)
        except NotFound:
            self.found, self.rows, self.partner = False, [], ""
            return
        words = self._words()
        series = (words.text("analytics.score.logins_series"), words.text("analytics.score.registrations_series"))
        self.found, self.partner = True, card.partner
        titles = (
            words.text("analytics.score.last_weeks"),
            words.text("analytics.score.week_starting"),
            words.text("analytics.score.per_week"),
        )
        self.fig_trend = trend_figure(card, series, titles)
        self.trend_words = trend_summary(card, self.language)
        self.rows = [scorecard_line(m, self.language) for m in card.metrics]

    @rx.event
    def load(self):
        self._reload()

    @rx.event
    def set_days(self, value: str):
        self.days = value if value in PERIODS else "90"
        self._reload()


def scorecard_body() -> rx.Component:
    return rx.cond(
        ScorecardState.found,
        rx.vstack(
            rx.heading(ScorecardState.partner, size="5", as_="h2"),
            rx.box(
                rx.el.label(t("analytics.score.period"), html_for="score-period", class_name="field-label"),
                rx.el.select(
                    *[rx.el.option(t(f"analytics.score.period_{v}"), value=v) for v in PERIODS],
                    id="score-period",
                    class_name="native-select",
                    value=ScorecardState.days,
                    on_change=ScorecardState.set_days,
                ),
                max_width="14rem",
            ),
            data_table(
                [rx.table.column_header_cell(t(f"analytics.score.col_{c}")) for c in _COLUMNS],
                ScorecardState.rows,
                lambda r: rx.table.row(
                    rx.table.row_header_cell(r.label),
                    rx.table.cell(r.current),
                    rx.table.cell(r.previous),
                    rx.table.cell(r.change),
                    rx.table.cell(r.median),
                ),
                label=t("analytics.score.table"),
            ),
            rx.card(
                chart(ScorecardState.fig_trend, ScorecardState.trend_words, height="220px", width="100%"), width="100%"
            ),
            rx.text(t("analytics.score.median_note"), size="1", color_scheme="gray"),
            spacing="4",
            width="100%",
        ),
        rx.callout(t("analytics.score.not_found"), icon="circle_alert", color_scheme="gray", role="alert"),
    )


@page(
    "/scorecard",
    title="Scorecard",
    audience=Audience.PARTNER,
    on_load=ScorecardState.load,
    nav=Nav("Scorecard", "chart-line", 40),
)
def my_scorecard_page() -> rx.Component:
    return scorecard_body()


@page("/partners/[partner_id]/scorecard", title="Partner scorecard", audience=Audience.ANY, on_load=ScorecardState.load)
def partner_scorecard_page() -> rx.Component:
    return scorecard_body()
