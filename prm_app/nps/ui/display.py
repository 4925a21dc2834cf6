"""What the NPS pages show: the area's read models in, small frozen rows of display text out.

All formatting of NPS happens here (with prm_app/web/format.py), so the queries stay raw and the page modules only
lay things out. A survey's opening and closing days are the days the manager entered (UTC days, as the form
takes them); moments (an answer, the deadline a partner sees) are shown in the viewer's zone.
Pure functions: tested in tests/nps/test_nps_display.py without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from prm_app.nps.queries import SurveySummary, SurveyToAnswer
from prm_app.nps.reports import Detractor, NpsGroup, NpsReport
from prm_app.partners import type_label
from prm_app.platform.clock import utcnow
from prm_app.web.format import day, deadline, number, raw_number


@dataclass(frozen=True)
class NpsHeadline:
    """The overall NPS and how many answers it rests on ("" before anything is loaded or without answers)."""

    nps: str = ""
    responses: str = ""


def nps_headline(report: NpsReport) -> NpsHeadline:
    return NpsHeadline(nps=raw_number(report.tally.nps), responses=number(report.tally.responses))


@dataclass(frozen=True)
class GroupLine:
    """One row of "NPS by group"."""

    group: str
    nps: str
    responses: str
    promoters: str
    passives: str
    detractors: str


def group_name(by: str, key: str) -> str:
    """A group as people call it: partner types by their label; tier names and regions as they are."""
    return type_label(key) if by == "partner_type" else key


def group_line(group: NpsGroup, by: str) -> GroupLine:
    t = group.tally
    return GroupLine(
        group=group_name(by, group.key),
        nps=raw_number(t.nps),
        responses=number(t.responses),
        promoters=number(t.promoters),
        passives=number(t.passives),
        detractors=number(t.detractors),
    )


@dataclass(frozen=True)
class SurveyLine:
    """One row of the channel team's list of surveys."""

    id: int
    title: str
    status: str
    opens: str
    closes: str
    nps: str
    responses: str


def survey_line(survey: SurveySummary) -> SurveyLine:
    return SurveyLine(
        id=survey.id,
        title=survey.title,
        status=survey.status,
        opens=day(survey.opens_at),
        closes=day(survey.closes_at),
        nps=raw_number(survey.tally.nps),
        responses=number(survey.tally.responses),
    )


@dataclass(frozen=True)
class DetractorLine:
    """One detractor to follow up."""

    partner: str
    person: str
    email: str
    score: str
    comment: str
    survey: str
    answered: str


def detractor_line(d: Detractor, zone: tzinfo = UTC) -> DetractorLine:
    return DetractorLine(
        partner=d.partner,
        person=d.person,
        email=d.email,
        score=str(d.score),
        comment=d.comment,
        survey=d.survey,
        answered=day(d.answered_at, zone),
    )


@dataclass(frozen=True)
class SurveyCard:
    """The survey a partner user answers, with its own answer once given."""

    id: int = 0
    title: str = ""
    question: str = ""
    closes: str = ""  # when it stops taking answers, and how long that is from now
    answered: bool = False
    score: str = ""  # "" until answered
    comment: str = ""


def survey_card(survey: SurveyToAnswer, zone: tzinfo = UTC, now: datetime | None = None) -> SurveyCard:
    return SurveyCard(
        id=survey.id,
        title=survey.title,
        question=survey.question,
        closes=deadline(survey.closes_at, zone, now=now or utcnow()),
        answered=survey.answered,
        score=raw_number(survey.score),
        comment=survey.comment,
    )
