"""NPS partner surveys: a manager launches a survey, partner users answer it once in the portal, the vendor reads
NPS by tier, partner type and region with its trend, and channel managers see the detractors in their book.

NPS = % promoters (9–10) − % detractors (0–6) of the answers, from −100 to 100. Reports group answers by the
organization's *current* tier, type and region, and count in SQL; no report loads the answers row by row.

The use cases that write live here; what the pages read is in queries.py and reports.py.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from prm_app.identity import User, my_time_zone
from prm_app.notifications import notify
from prm_app.nps.models import NpsResponse, NpsSurvey
from prm_app.nps.rules import (
    COMMENT_MAX,
    QUESTION_MAX,
    TITLE_MAX,
    day_label,
    survey_day,
    survey_status,
    survey_window,
)
from prm_app.platform.access import PARTNER_ROLES, Actor, Permission
from prm_app.platform.audit import audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id, savepoint
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, PermissionDenied, ValidationError
from prm_app.platform.i18n import Words
from prm_app.platform.zones import DEFAULT_ZONE, is_zone, zone_label, zone_named

# --- vendor side: launching ------------------------------------------------------------------------------------


def _moment(value: object, zone: tzinfo, *, last: bool) -> datetime | None:
    """A survey's opening or closing as a moment: an aware datetime as it is; a day (the form's) at its start, or at
    its end when `last`, in `zone`. None for anything else (a naive time is ambiguous: which zone?)."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else None
    if isinstance(value, date):
        opens, closes = survey_window(value, value, zone)
        return closes if last else opens
    return None


def _check_survey_input(
    title: str, question: str, opens_at: datetime | None, closes_at: datetime | None, now: datetime
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
    if opens_at is None:
        errors["opens_at"] = "Choose when the survey opens."
    if closes_at is None:
        errors["closes_at"] = "Choose when the survey closes."
    elif opens_at is not None and closes_at <= opens_at:
        errors["closes_at"] = "The survey must close after it opens."
    elif closes_at <= now:
        errors["closes_at"] = "The closing date must be in the future."
    return errors


def _survey_zone(session: Session, actor: Actor) -> str:
    """The launching person's zone, the one their days are read in; UTC when they have none (or one the tz database
    no longer knows)."""
    name = my_time_zone(session, actor)
    return name if is_zone(name) else DEFAULT_ZONE


def launch_survey(
    session: Session,
    actor: Actor,
    *,
    title: str,
    question: str,
    opens_at: date | datetime,
    closes_at: date | datetime,
    now: datetime | None = None,
) -> int:
    """Create a survey and notify every partner organization that has an active user. Returns the survey id.

    `opens_at` and `closes_at` are days (what the form offers: it opens at the start of the first and closes at the
    end of the last, in the launching person's zone) or aware moments. Either way the survey keeps that person's
    zone, the one everybody reads its days in. Channel managers and admins only. Raises FormInvalid with a message
    per bad field; nothing is written then.
    """
    actor.require(Permission.LAUNCH_SURVEYS)
    if actor.user_id is None:  # a survey is launched by a person (created_by_id is NOT NULL): not the system actor
        raise PermissionDenied()
    now = now or utcnow()
    title, question = (title or "").strip(), (question or "").strip()
    zone_name = _survey_zone(session, actor)
    zone = zone_named(zone_name)
    first, last = _moment(opens_at, zone, last=False), _moment(closes_at, zone, last=True)
    errors = _check_survey_input(title, question, first, last, now)
    if errors or first is None or last is None:  # either both are moments, or errors names the missing one
        raise FormInvalid(errors)
    survey = NpsSurvey(
        title=title,
        question=question,
        opens_at=first,
        closes_at=last,
        time_zone=zone_name,
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
    # The days in the survey's zone, named: a partner anywhere reads the day the manager chose.
    days_in = f"({zone_label(zone_name)})"
    when = (
        f"Open until {day_label(survey_day(last, zone_name))} {days_in}"
        if first <= now
        else f"Opens {day_label(survey_day(first, zone_name))} {days_in}"
    )
    # The email says it in each reader's language: the day in their format, the survey's zone named as above.
    opens_now = first <= now
    words = Words(
        "notice.nps_survey_open" if opens_now else "notice.nps_survey_opens",
        {"title": title, "day": survey_day(last if opens_now else first, zone_name), "zone": zone_label(zone_name)},
    )
    for org_id in sorted(o for o in org_ids if o is not None):  # none is: the query keeps organization ids only
        notify(
            session,
            org_id,
            "nps_survey",
            f"New survey: {title}. {when}; it takes a minute.",
            f"/portal/survey/{survey_id}",
            at=now,
            about=("nps_survey", survey_id),
            words=words,
        )
    audit(
        session,
        actor,
        "launch_survey",
        "nps_survey",
        survey_id,
        title=title,
        opens_at=first.isoformat(),
        closes_at=last.isoformat(),
        time_zone=zone_name,
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
        raise ValidationError(Words("nps.choose_score"), "score")
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
        raise DomainError(Words("nps.error.not_open_yet" if status == "scheduled" else "nps.error.closed"))
    survey_id = saved_id(survey)
    if _answer_of(session, survey_id, actor.user_id) is not None:
        raise DomainError(Words("nps.error.already_answered"))
    score = _valid_score(score)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError(Words("nps.error.comment_length", {"max": COMMENT_MAX}), "comment")
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
        raise DomainError(Words("nps.error.already_answered")) from None
    record_engagement(session, actor, "nps_answered", "nps_survey", survey_id)
    audit(session, actor, "answer_survey", "nps_survey", survey_id, score=score, commented=bool(comment))


__all__ = ["answer_survey", "launch_survey"]
