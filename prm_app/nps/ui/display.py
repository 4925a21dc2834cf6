"""What the NPS pages show: the area's read models in, small frozen rows of display text out.

All formatting of NPS happens here (with prm_app/web/format.py), so the queries stay raw and the page modules only
lay things out. A survey's opening and closing days are the calendar days the manager chose, in the survey's own
zone (the launching manager's, see nps/rules.py), and they are written with that zone named: a reader in Tokyo
and one in Los Angeles both read "14 Dec 2026 (America / Los Angeles)". When it actually closes, and every other
moment (an answer, how long is left), is shown in the viewer's own zone.
Pure functions: tested in tests/nps/test_nps_display.py without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from prm_app.nps.queries import SurveySummary, SurveyToAnswer
from prm_app.nps.reports import Detractor, NpsGroup, NpsReport
from prm_app.partners import type_label
from prm_app.platform.clock import utcnow
from prm_app.platform.i18n import DEFAULT_LANGUAGE, catalogue
from prm_app.platform.zones import zone_label
from prm_app.web.format import day, deadline, moment, number, raw_number


def survey_day(on: date, zone_name: str, language: str = DEFAULT_LANGUAGE) -> str:
    """One of a survey's days, with the zone it is a day in: "14 Dec 2026 (America / Los Angeles)" (German
    "14.12.2026 (America / Los Angeles)")."""
    return f"{day(on, language=language)} ({zone_label(zone_name)})"


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
    opens: str  # the first day: "1 Dec 2026"
    closes: str  # the last day and the zone of both: "14 Dec 2026 (America / Los Angeles)"
    ends: str  # the moment it stops taking answers, in the viewer's zone: "15 Dec 2026, 16:59 JST"
    nps: str
    responses: str


def survey_line(survey: SurveySummary, zone: tzinfo = UTC) -> SurveyLine:
    """The survey's days as the manager chose them (the same for every reader), its end in the viewer's `zone`."""
    return SurveyLine(
        id=survey.id,
        title=survey.title,
        status=survey.status,
        opens=day(survey.first_day),
        closes=survey_day(survey.last_day, survey.time_zone),
        ends=moment(survey.closes_at, zone),
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
    last_day: str = ""  # the day it closes on, with its zone: "14 Dec 2026 (America / Los Angeles)"
    closes: str = ""  # when it stops taking answers in the viewer's zone, and how long that is from now
    answered: bool = False
    score: str = ""  # "" until answered
    comment: str = ""
    open_sentence: str = ""  # "Open until …; it closes …. Your answer goes to the channel team."
    answered_sentence: str = ""  # "You answered 9 out of 10. Thank you." once answered


def survey_card(
    survey: SurveyToAnswer, zone: tzinfo = UTC, now: datetime | None = None, language: str = DEFAULT_LANGUAGE
) -> SurveyCard:
    """The closing day as the manager chose it, and the moment that is in the viewer's `zone`, with the time left,
    in the viewer's `language` (the title and question are the manager's, as written)."""
    words = catalogue(language)
    last_day = survey_day(survey.last_day, survey.time_zone, language)
    closes = deadline(survey.closes_at, zone, now=now or utcnow(), language=language)
    score = raw_number(survey.score)
    return SurveyCard(
        id=survey.id,
        title=survey.title,
        question=survey.question,
        last_day=last_day,
        closes=closes,
        answered=survey.answered,
        score=score,
        comment=survey.comment,
        open_sentence=words.text("nps.open_until", day=last_day, closes=closes),
        answered_sentence=words.text("nps.answered", score=score) if survey.answered else "",
    )
