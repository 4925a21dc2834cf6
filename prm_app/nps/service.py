"""NPS partner surveys: a manager launches a survey, partner users answer it once in the portal, the vendor reads
NPS by tier, partner type and region with its trend, and channel managers see the detractors in their book.

NPS = % promoters (9–10) − % detractors (0–6) of the answers, from −100 to 100. Reports group answers by the
organization's *current* tier, type and region, and count in SQL; no report loads the answers row by row.

The use cases that write live here; what the pages read is in queries.py and reports.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from prm_app.identity import User
from prm_app.notifications import notify
from prm_app.nps.models import NpsResponse, NpsSurvey
from prm_app.nps.rules import (
    ALREADY_ANSWERED,
    CLOSED,
    COMMENT_MAX,
    NOT_OPEN_YET,
    QUESTION_MAX,
    TITLE_MAX,
    day_label,
    survey_status,
)
from prm_app.platform.access import PARTNER_ROLES, Actor, Permission
from prm_app.platform.audit import audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id, savepoint
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, PermissionDenied, ValidationError

# --- vendor side: launching ------------------------------------------------------------------------------------


def _check_survey_input(
    title: str, question: str, opens_at: object, closes_at: object, now: datetime
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "Give the survey a title."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Keep the title to {TITLE_MAX} characters or fewer."
    if not question:
        errors["question"] = "Write the question partners will answer."
    elif len(question) > QUESTION_MAX:
        errors["question"] = f"Keep the question to {QUESTION_MAX} characters or fewer."
    dates_ok = True
    for field, value, what in (("opens_at", opens_at, "opens"), ("closes_at", closes_at, "closes")):
        if not isinstance(value, datetime) or value.tzinfo is None:  # naive times are ambiguous: refuse them
            errors[field] = f"Choose when the survey {what}."
            dates_ok = False
    if dates_ok and isinstance(opens_at, datetime) and isinstance(closes_at, datetime):  # dates_ok: both are
        if closes_at <= opens_at:
            errors["closes_at"] = "The survey must close after it opens."
        elif closes_at <= now:
            errors["closes_at"] = "The closing date must be in the future."
    return errors


def launch_survey(
    session: Session,
    actor: Actor,
    *,
    title: str,
    question: str,
    opens_at: datetime,
    closes_at: datetime,
    now: datetime | None = None,
) -> int:
    """Create a survey and notify every partner organization that has an active user. Returns the survey id.

    Channel managers and admins only. Raises FormInvalid with a message per bad field; nothing is written then.
    """
    actor.require(Permission.LAUNCH_SURVEYS)
    if actor.user_id is None:  # a survey is launched by a person (created_by_id is NOT NULL): not the system actor
        raise PermissionDenied()
    now = now or utcnow()
    title, question = (title or "").strip(), (question or "").strip()
    errors = _check_survey_input(title, question, opens_at, closes_at, now)
    if errors:
        raise FormInvalid(errors)
    survey = NpsSurvey(
        title=title,
        question=question,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by_id=actor.user_id,
        created_at=now,
    )
    session.add(survey)
    session.flush()
    survey_id = saved_id(survey)
    org_ids = session.exec(
        select(User.organization_id)
        .where(
            col(User.is_active),
            col(User.organization_id).is_not(None),
            col(User.role).in_([r.value for r in PARTNER_ROLES]),
        )
        .distinct()
    ).all()
    when = f"Open until {day_label(closes_at)}" if opens_at <= now else f"Opens {day_label(opens_at)}"
    for org_id in sorted(o for o in org_ids if o is not None):  # none is: the query keeps organization ids only
        notify(
            session,
            org_id,
            "nps_survey",
            f"New survey: {title}. {when}; it takes a minute.",
            f"/portal/survey/{survey_id}",
            at=now,
            about=("nps_survey", survey_id),
        )
    audit(
        session,
        actor,
        "launch_survey",
        "nps_survey",
        survey_id,
        title=title,
        opens_at=opens_at.isoformat(),
        closes_at=closes_at.isoformat(),
        notified=len(org_ids),
    )
    return survey_id


# --- partner side: answering -----------------------------------------------------------------------------------


def _answer_of(session: Session, survey_id: int, user_id: int) -> NpsResponse | None:
    return session.exec(
        select(NpsResponse).where(NpsResponse.survey_id == survey_id, NpsResponse.user_id == user_id)
    ).first()


def _valid_score(score: object) -> int:
    if isinstance(score, str) and score.strip().isdigit():
        score = int(score.strip())
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
        raise ValidationError("Choose a score from 0 to 10.", "score")
    return score


def answer_survey(
    session: Session, actor: Actor, survey_id: int, score: int, comment: str, now: datetime | None = None
) -> None:
    """Record a partner user's answer (0–10 plus an optional comment) to an open survey, once per person.

    A second answer is refused with DomainError, also when two arrive at once: the UNIQUE(survey_id, user_id)
    constraint decides, inside a savepoint, so the caller's transaction stays usable.
    """
    # a partner's people always have both ids; the check only tells the type checker so
    if not actor.is_partner or actor.user_id is None or actor.organization_id is None:
        raise PermissionDenied("Only partner users answer surveys.")
    now = now or utcnow()
    survey = session.get(NpsSurvey, survey_id)
    if survey is None:
        raise NotFound("survey")
    status = survey_status(survey.opens_at, survey.closes_at, now)
    if status != "open":
        raise DomainError(NOT_OPEN_YET if status == "scheduled" else CLOSED)
    survey_id = saved_id(survey)
    if _answer_of(session, survey_id, actor.user_id) is not None:
        raise DomainError(ALREADY_ANSWERED)
    score = _valid_score(score)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError(f"Keep the comment to {COMMENT_MAX} characters or fewer.", "comment")
    response = NpsResponse(
        survey_id=survey_id,
        user_id=actor.user_id,
        organization_id=actor.organization_id,
        score=score,
        comment=comment,
        answered_at=now,
    )
    try:
        with savepoint(session):
            session.add(response)
            session.flush()
    except IntegrityError:
        # Another answer by this person committed between our check and our insert. The only other constraints
        # are foreign keys to the survey, the actor and its organization, all of which we just resolved.
        raise DomainError(ALREADY_ANSWERED) from None
    record_engagement(session, actor, "nps_answered", "nps_survey", survey_id)
    audit(session, actor, "answer_survey", "nps_survey", survey_id, score=score, commented=bool(comment))


__all__ = ["answer_survey", "launch_survey"]
