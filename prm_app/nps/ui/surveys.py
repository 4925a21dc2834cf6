"""NPS for the channel team: launch a survey, follow NPS by tier/type/region and over time, act on detractors."""

from __future__ import annotations

from datetime import date, datetime

import reflex as rx

from prm_app.identity import with_zone
from prm_app.nps import launch_survey, surveys_view
from prm_app.nps.ui.display import (
    DetractorLine,
    GroupLine,
    NpsHeadline,
    SurveyLine,
    detractor_line,
    group_line,
    nps_headline,
    survey_line,
)
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import FormInvalid
from prm_app.platform.zones import DEFAULT_ZONE, zone_label
from prm_app.web.components.forms import field
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, Nav, page
from prm_app.web.state import AuthState

GROUPS = [("tier", "Tier"), ("partner_type", "Partner type"), ("region", "Region")]


def _day(text: str) -> date | str:
    """A day from the form (the use case reads it in the manager's zone); the text itself when unreadable."""
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        return text


class SurveysState(AuthState):
    surveys: list[SurveyLine] = []
    headline: NpsHeadline = NpsHeadline()
    groups: list[GroupLine] = []
    detractors: list[DetractorLine] = []
    by: str = "tier"
    can_launch: bool = False
    errors: dict[str, str] = {}
    today: str = ""  # ISO, the earliest closing day the form offers (the rules refuse a survey already closed)
    days_in: str = ""  # the zone the form's days are read in: the manager's own ("America / Los Angeles")

    def _reload(self) -> None:
        view, zone = self._run(with_zone, surveys_view, self.by)
        self.today = utcnow().astimezone(zone).date().isoformat()  # today where the manager is
        self.days_in = zone_label(str(getattr(zone, "key", DEFAULT_ZONE)))
        self.surveys = [survey_line(s, zone) for s in view.surveys]
        self.headline = nps_headline(view.report)
        self.groups = [group_line(g, view.report.by) for g in view.report.groups]
        self.detractors = [detractor_line(d, zone) for d in view.detractors]
        self.can_launch = view.can_launch

    @rx.event
    def load(self):
        self.errors = {}
        self._reload()

    @rx.event
    def group_by(self, value: str):
        self.by = value if value in {k for k, _ in GROUPS} else "tier"
        self._reload()

    @rx.event
    def launch(self, form: dict):
        try:
            self._run(
                launch_survey,
                title=str(form.get("title", "")),
                question=str(form.get("question", "")),
                opens_at=_day(str(form.get("opens_at", ""))),
                closes_at=_day(str(form.get("closes_at", ""))),
            )
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success("Survey launched; partners were notified.")


def _err(name: str) -> rx.Var:
    return SurveysState.errors.get(name, "")


def _launch_form() -> rx.Component:
    return rx.card(
        rx.heading("Launch a survey", size="4", as_="h2", margin_bottom="0.5rem"),
        rx.form(
            rx.vstack(
                field("Title", "title", _err("title"), default_value="Partner satisfaction"),
                field(
                    "Question",
                    "question",
                    _err("question"),
                    default_value="How likely are you to recommend our partner program to a peer?",
                ),
                rx.flex(
                    field("Opens on", "opens_at", _err("opens_at"), type="date"),
                    field("Closes on", "closes_at", _err("closes_at"), type="date", min_value=SurveysState.today),
                    direction={"initial": "column", "sm": "row"},
                    spacing="3",
                    width="100%",
                ),
                rx.text(
                    "Days in your time zone, ",
                    SurveysState.days_in,
                    ": the survey opens at the start of the first day and closes at the end of the last. "
                    "Partners read the same days, with that zone named.",
                    size="1",
                    color_scheme="gray",
                    id="survey-days-hint",
                ),
                rx.button("Launch survey", type="submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=SurveysState.launch,
            no_validate=True,
            reset_on_submit=False,
            aria_label="Launch a survey",
        ),
        width="100%",
    )


def _table(headers: list[str], rows: rx.Var, cells, label: str) -> rx.Component:
    return data_table(headers, rows, lambda r: rx.table.row(*cells(r)), label=label)


@page(
    "/surveys",
    title="Partner NPS",
    audience=Audience.INTERNAL,
    on_load=SurveysState.load,
    nav=Nav("Partner NPS", "smile", 50),
)
def surveys_page() -> rx.Component:
    h = SurveysState.headline
    return rx.vstack(
        rx.hstack(
            rx.card(
                rx.text("NPS, all surveys", size="2"),
                rx.text(h.nps, size="8", weight="bold", as_="p", id="nps-overall"),
                min_width="12rem",
            ),
            rx.card(rx.text("Responses", size="2"), rx.text(h.responses, size="8", weight="bold", as_="p")),
            wrap="wrap",
        ),
        rx.box(
            rx.el.label("Break down by", html_for="nps-by", class_name="field-label"),
            rx.el.select(
                *[rx.el.option(t, value=v) for v, t in GROUPS],
                id="nps-by",
                class_name="native-select",
                value=SurveysState.by,
                on_change=SurveysState.group_by,
            ),
            max_width="14rem",
        ),
        _table(
            ["Group", "NPS", "Responses", "Promoters", "Passives", "Detractors"],
            SurveysState.groups,
            lambda g: [
                rx.table.row_header_cell(g.group),
                rx.table.cell(g.nps),
                rx.table.cell(g.responses),
                rx.table.cell(g.promoters),
                rx.table.cell(g.passives),
                rx.table.cell(g.detractors),
            ],
            "NPS by group",
        ),
        rx.heading("Surveys", size="4", as_="h2"),
        _table(
            ["Survey", "Status", "Opens", "Closes", "NPS", "Responses"],
            SurveysState.surveys,
            lambda s: [
                rx.table.row_header_cell(s.title),
                rx.table.cell(s.status),
                rx.table.cell(s.opens),
                rx.table.cell(s.closes, rx.text("ends ", s.ends, size="1", color_scheme="gray", as_="p")),
                rx.table.cell(s.nps),
                rx.table.cell(s.responses),
            ],
            "Surveys",
        ),
        rx.heading("Detractors to follow up", size="4", as_="h2"),
        _table(
            ["Partner", "Person", "Score", "Comment", "Survey", "Answered"],
            SurveysState.detractors,
            lambda d: [
                rx.table.row_header_cell(d.partner),
                rx.table.cell(d.person, " ", d.email),
                rx.table.cell(d.score),
                rx.table.cell(d.comment),
                rx.table.cell(d.survey),
                rx.table.cell(d.answered),
            ],
            "Detractors to follow up",
        ),
        rx.cond(SurveysState.can_launch, _launch_form()),
        spacing="4",
        width="100%",
    )
