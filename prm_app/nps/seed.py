"""Demo NPS surveys: a closed Q3 survey answered by about 60% of the demo partner users, and an open Q4 survey
with a few answers. Idempotent (surveys are found by title); deterministic (random.Random(7)).

Q4 goes through the same use cases the app runs (launch notifies partners; answers are audited and counted).
Q3 lies in the past, which launch_survey rightly refuses and which engagement events (always stamped "now")
would misdate, so its rows are written directly with their real dates. Both run from the start of a day to the
end of one, as surveys launched on the page do (the launching manager's zone; the demo manager has none: UTC).

The demo logins (seed.demo_logins) never answer Q4, so the e2e tests and a live demo can answer it.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from prm_app.identity import User
from prm_app.nps.models import NpsResponse, NpsSurvey
from prm_app.nps.rules import DETRACTOR_MAX, PROMOTER_MIN, survey_window
from prm_app.nps.service import answer_survey, launch_survey
from prm_app.partners.seed import ORGS, demo_logins
from prm_app.platform.access import Actor, Role
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id

Q3_TITLE = "Q3 partner satisfaction"
Q4_TITLE = "Q4 partner satisfaction"
QUESTION = "How likely are you to recommend our partner program to another company like yours?"
LAUNCHED_BY = "maya.cm@vendor.example"
Q3_SHARE = 0.6
Q4_ANSWERS = 5
MIN_DETRACTORS = 3
# Mostly happy, a solid middle, a tail of unhappy partners.
SCORES = (10, 9, 8, 7, 6, 5, 4, 3, 2)
WEIGHTS = (18, 22, 20, 14, 8, 6, 5, 4, 3)

PRAISE = (
    "Deal registration approvals come back within a day now.",
    "Our channel manager is responsive and knows our business.",
    "The certification track helped two of our engineers close bigger deals.",
    "MDF requests are simple and paid on time.",
)
LUKEWARM = (
    "Good program overall, but the portal search could be faster.",
    "Lead quality varies a lot from month to month.",
    "We'd like more co-marketing material in our local language.",
)
COMPLAINTS = (
    "Two of our registrations were rejected as direct accounts we had never heard of.",
    "Commission statements are hard to reconcile with our own books.",
    "Leads arrive with expired SLAs before anyone on our side sees them.",
    "We waited six weeks for an MDF claim to be paid.",
    "Tier requirements changed mid-year without notice.",
    "Training content is out of date for the current release.",
)


def _comment(rng: random.Random, score: int, complaints: list[str]) -> str:
    if score <= DETRACTOR_MAX:  # every detractor says why: that is what their manager follows up on
        return complaints.pop() if complaints else rng.choice(COMPLAINTS)
    if rng.random() < 0.5:
        return ""
    return rng.choice(PRAISE if score >= PROMOTER_MIN else LUKEWARM)


def _answers(rng: random.Random, people: list[User], count: int, min_detractors: int) -> list[tuple[User, int, str]]:
    """`count` of `people`, each with a score and a comment; at least `min_detractors` score 6 or less."""
    chosen = rng.sample(people, min(count, len(people)))
    scores = rng.choices(SCORES, weights=WEIGHTS, k=len(chosen))
    passives = [i for i, s in enumerate(scores) if DETRACTOR_MAX < s < PROMOTER_MIN]
    while sum(s <= DETRACTOR_MAX for s in scores) < min(min_detractors, len(scores)) and passives:
        scores[passives.pop(rng.randrange(len(passives)))] = rng.choice((3, 4, 5, 6))
    complaints = rng.sample(COMPLAINTS, len(COMPLAINTS))
    return [(user, score, _comment(rng, score, complaints)) for user, score in zip(chosen, scores, strict=True)]


def _demo_partner_users(session: Session) -> list[User]:
    """The active partner users of seed.ORGS, in the order seed.py lists them (so choices are reproducible)."""
    emails = [f"{handle}@{demo.domain}" for demo in ORGS for handle, _name, _role in demo.people]
    found = {
        u.email: u for u in session.exec(select(User).where(col(User.email).in_(emails), col(User.is_active))).all()
    }
    return [found[e] for e in emails if e in found]


def _actor(user: User) -> Actor:
    return Actor(user_id=user.id, role=Role(user.role), organization_id=user.organization_id, name=user.full_name)


def _organization_of(user: User) -> int:
    """A demo partner user's organization: every person of seed.ORGS has one."""
    if user.organization_id is None:
        raise RuntimeError(f"{user.email} belongs to no organization")
    return user.organization_id


def _seed_closed_q3(session: Session, manager: User, answers: list[tuple[User, int, str]], now: datetime) -> None:
    first_day = (now - timedelta(days=100)).date()
    opens, closes = survey_window(first_day, first_day + timedelta(days=29), UTC)  # 30 days, in UTC days
    survey = NpsSurvey(
        title=Q3_TITLE,
        question=QUESTION,
        opens_at=opens,
        closes_at=closes,
        created_by_id=saved_id(manager),
        created_at=opens - timedelta(days=2),
    )
    session.add(survey)
    session.flush()
    for i, (user, score, comment) in enumerate(answers):
        session.add(
            NpsResponse(
                survey_id=saved_id(survey),
                user_id=saved_id(user),
                organization_id=_organization_of(user),
                score=score,
                comment=comment,
                answered_at=opens + timedelta(hours=6 + i * 600 // max(1, len(answers))),  # spread over 25 days
            )
        )
    session.flush()


def _seed_open_q4(session: Session, manager: User, answers: list[tuple[User, int, str]], now: datetime) -> None:
    survey_id = launch_survey(
        session,
        _actor(manager),
        title=Q4_TITLE,
        question=QUESTION,
        opens_at=(now - timedelta(days=3)).date(),  # days, as the page sends them
        closes_at=(now + timedelta(days=25)).date(),
        now=now - timedelta(days=3),
    )
    for i, (user, score, comment) in enumerate(answers):
        answered = now - timedelta(days=3) + timedelta(hours=5 + 12 * i)
        answer_survey(session, _actor(user), survey_id, score, comment, now=answered)


def seed(session: Session) -> dict[str, int]:
    """Create whichever of the two demo surveys is missing, with their answers; returns {"surveys": how many were
    created}. Needs the partners' seed to have run (it looks up the demo users)."""
    now = utcnow()
    manager = session.exec(select(User).where(User.email == LAUNCHED_BY)).one()
    people = _demo_partner_users(session)
    keep_free = {email for _role, email, _org in demo_logins()}
    rng = random.Random(7)
    # Both plans are drawn every time, so each survey's answers are the same whichever one is created first.
    q3 = _answers(rng, people, round(Q3_SHARE * len(people)), MIN_DETRACTORS)
    q4 = _answers(rng, [u for u in people if u.email not in keep_free], Q4_ANSWERS, 1)
    existing = set(session.exec(select(NpsSurvey.title).where(col(NpsSurvey.title).in_([Q3_TITLE, Q4_TITLE]))).all())
    created = 0
    if Q3_TITLE not in existing:
        _seed_closed_q3(session, manager, q3, now)
        created += 1
    if Q4_TITLE not in existing:
        _seed_open_q4(session, manager, q4, now)
        created += 1
    return {"surveys": created}
