"""What the NPS pages read, as frozen dataclasses with raw values (UTC datetimes, status codes, tallies, None for
what does not exist). No formatting and no URLs: the pages (prm_app/nps/ui/display.py) decide how a value looks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement
from sqlmodel import Session, and_, col, select

from prm_app.nps.models import NpsResponse, NpsSurvey
from prm_app.nps.reports import Detractor, NpsReport, detractors_for, nps_report
from prm_app.nps.rules import NO_ANSWERS, Tally, survey_day, survey_status
from prm_app.nps.tallies import counts_per_survey
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound

# ------------------------------------------------------------------------------------------------ the channel team


@dataclass(frozen=True)
class SurveySummary:
    """A survey as the channel team's list shows it."""

    id: int
    title: str
    question: str
    opens_at: datetime
    closes_at: datetime
    status: str  # "scheduled", "open" or "closed" (rules.survey_status) at the time of the read
    tally: Tally  # its answers so far
    time_zone: str = "UTC"  # the zone its days are read in (the launching manager's)

    @property
    def first_day(self) -> date:
        return survey_day(self.opens_at, self.time_zone)

    @property
    def last_day(self) -> date:
        return survey_day(self.closes_at, self.time_zone)


def list_surveys(session: Session, actor: Actor, now: datetime | None = None, limit: int = 100) -> list[SurveySummary]:
    """Every survey (at most `limit`), newest first, with its status at `now` and its answer counts. Internal users
    only."""
    actor.require(Permission.VIEW_PARTNERS)
    now = now or utcnow()
    surveys = session.exec(
        select(NpsSurvey).order_by(col(NpsSurvey.opens_at).desc(), col(NpsSurvey.id).desc()).limit(limit)
    ).all()
    tallies = counts_per_survey(session, [saved_id(s) for s in surveys])
    return [
        SurveySummary(
            id=saved_id(s),
            title=s.title,
            question=s.question,
            opens_at=s.opens_at,
            closes_at=s.closes_at,
            status=survey_status(s.opens_at, s.closes_at, now),
            tally=tallies.get(saved_id(s), NO_ANSWERS),
            time_zone=s.time_zone,
        )
        for s in surveys
    ]


@dataclass(frozen=True)
class SurveysView:
    surveys: list[SurveySummary]
    report: NpsReport
    detractors: list[Detractor]  # in the actor's book only, for a channel manager
    can_launch: bool


def surveys_view(session: Session, actor: Actor, by: str) -> SurveysView:
    """The channel team's NPS page in one unit of work: surveys, NPS grouped `by` tier / partner type / region,
    detractors, and whether the actor may launch a survey."""
    return SurveysView(
        list_surveys(session, actor),
        nps_report(session, actor, by=by),
        detractors_for(session, actor),
        actor.can(Permission.LAUNCH_SURVEYS),
    )


# ------------------------------------------------------------------------------------------------ the partner's side


@dataclass(frozen=True)
class SurveyToAnswer:
    """An open survey as a partner user sees it, with this user's own answer (a colleague's does not count)."""

    id: int
    title: str
    question: str
    closes_at: datetime
    answered: bool
    score: int | None  # None until answered
    comment: str  # "" until answered, or when answered without one
    time_zone: str = "UTC"  # the zone its days are read in (the launching manager's)

    @property
    def last_day(self) -> date:
        """The day it closes on, in its own zone: the same day for every reader."""
        return survey_day(self.closes_at, self.time_zone)


def _mine(actor: Actor) -> ColumnElement[bool]:
    return and_(col(NpsResponse.survey_id) == NpsSurvey.id, col(NpsResponse.user_id) == actor.user_id)


def _survey_to_answer(survey: NpsSurvey, answer: NpsResponse | None) -> SurveyToAnswer:
    return SurveyToAnswer(
        id=saved_id(survey),
        title=survey.title,
        question=survey.question,
        closes_at=survey.closes_at,
        answered=answer is not None,
        score=answer.score if answer else None,
        comment=answer.comment if answer else "",
        time_zone=survey.time_zone,
    )


def surveys_to_answer(session: Session, actor: Actor, now: datetime | None = None) -> list[SurveyToAnswer]:
    """The surveys a partner user can answer at `now`, soonest closing first, each with this user's answer if any.
    Internal users answer no surveys: they get an empty list."""
    if not actor.is_partner:
        return []
    now = now or utcnow()
    rows = session.exec(
        select(NpsSurvey, NpsResponse)
        .outerjoin(NpsResponse, _mine(actor))
        .where(col(NpsSurvey.opens_at) <= now, col(NpsSurvey.closes_at) > now)
        .order_by(col(NpsSurvey.closes_at), col(NpsSurvey.id))
    ).all()
    return [_survey_to_answer(s, answer) for s, answer in rows]


def get_survey_for_partner(
    session: Session, actor: Actor, survey_id: int, now: datetime | None = None
) -> SurveyToAnswer:
    """One survey with this user's answer if any. NotFound unless the survey is open at `now` and the actor is a
    partner user (whether or not the survey exists)."""
    now = now or utcnow()
    row = (
        session.exec(
            select(NpsSurvey, NpsResponse).outerjoin(NpsResponse, _mine(actor)).where(NpsSurvey.id == survey_id)
        ).first()
        if actor.is_partner
        else None
    )
    if row is None or survey_status(row[0].opens_at, row[0].closes_at, now) != "open":
        raise NotFound("survey")
    return _survey_to_answer(*row)
