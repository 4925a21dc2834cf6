"""The qualification score's thin database adapter: the facts of an application (the partners already in its
country), the managers' criterion settings and the reviewers' adjustments, handed to rules.score."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from prm_app.identity import User
from prm_app.partners import Organization, country_name
from prm_app.recruitment.models import Application, Criterion, ScoreAdjustment
from prm_app.recruitment.rules import (
    CRITERIA,
    DEFAULT_WEIGHTS,
    Adjustment,
    CriterionScore,
    CriterionSetting,
    Facts,
    score,
    total,
)


def settings(session: Session) -> list[CriterionSetting]:
    """Every criterion's weight and list as the managers set them (the default weight where none is stored)."""
    stored = {c.key: c for c in session.exec(select(Criterion)).all()}
    out = []
    for key in CRITERIA:
        row = stored.get(key)
        items = tuple(i.strip() for i in (row.settings if row else "").splitlines() if i.strip())
        out.append(CriterionSetting(key, row.weight if row else DEFAULT_WEIGHTS[key], items))
    return out


def facts_of(session: Session, app: Application) -> Facts:
    partners = session.exec(select(func.count()).select_from(Organization).where(Organization.country == app.country))
    return Facts(
        revenue_band=app.revenue_band,
        verticals=tuple(v for v in app.verticals.split(",") if v),
        country_name=country_name(app.country),
        partners_in_country=int(partners.one()),
        certified_staff=app.certified_staff,
        vendors=tuple(v for v in app.vendors.splitlines() if v.strip()),
    )


def adjustments_of(session: Session, application_id: int) -> list[Adjustment]:
    """Every adjustment of the application, oldest first, with the reviewer's name."""
    rows = session.exec(
        select(ScoreAdjustment, User.full_name)
        .join(User, col(User.id) == ScoreAdjustment.by_id)
        .where(ScoreAdjustment.application_id == application_id)
        .order_by(col(ScoreAdjustment.at), col(ScoreAdjustment.id))
    ).all()
    return [Adjustment(a.criterion, a.points, a.note, name, a.at) for a, name in rows]


def scores_of(session: Session, app: Application) -> list[CriterionScore]:
    assert app.id is not None
    return score(facts_of(session, app), settings(session), adjustments_of(session, app.id))


def rescore(session: Session, app: Application) -> list[CriterionScore]:
    """Compute the application's score now and keep the total on the row (the queue sorts and filters by it)."""
    scores = scores_of(session, app)
    app.score = total(scores)
    session.add(app)
    return scores
