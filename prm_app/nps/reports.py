"""NPS for the channel team: overall and by tier / partner type / region, the trend per survey, and the detractors
a channel manager should call. Counted in SQL (score buckets), never by loading every answer.

Reads return frozen dataclasses with raw values (tier names, partner type codes, regions, UTC datetimes); how they
look on screen is decided in prm_app/nps/ui/display.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from prm_app.identity import User
from prm_app.nps.models import NpsResponse, NpsSurvey
from prm_app.nps.rules import DETRACTOR_MAX, GROUPINGS, NO_ANSWERS, Tally, survey_day, tally
from prm_app.nps.tallies import bucket_columns, counts_per_survey, of_partners
from prm_app.partners import Filters, Organization, Tier, org_filters
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound, ValidationError


@dataclass(frozen=True)
class NpsGroup:
    """The answers of one group of partners: `key` is a tier name, a partner type code or a region."""

    key: str
    tally: Tally


@dataclass(frozen=True)
class NpsTrendPoint:
    """One survey that has opened, with its answers."""

    survey_id: int
    survey: str  # its title
    opens_at: datetime
    tally: Tally
    time_zone: str = "UTC"  # the zone its days are read in (the launching manager's)

    @property
    def first_day(self) -> date:
        """The day it opened, as the manager chose it (in the survey's own zone)."""
        return survey_day(self.opens_at, self.time_zone)


@dataclass(frozen=True)
class NpsReport:
    survey_id: int | None  # None: every survey
    survey: str | None  # the survey's title; None for every survey
    by: str  # tier | partner_type | region
    tally: Tally  # overall
    groups: tuple[NpsGroup, ...]  # tiers by rank (highest first), types and regions by code
    trend: tuple[NpsTrendPoint, ...]  # oldest survey first


@dataclass(frozen=True)
class Detractor:
    """A detractor's answer (0–6), for follow-up."""

    survey: str
    partner: str
    person: str
    email: str
    score: int
    comment: str
    answered_at: datetime


def _groups(
    session: Session, by: str, survey_id: int | None, partners: Sequence[ColumnElement[bool]]
) -> tuple[NpsGroup, ...]:
    keys: tuple[Any, ...]
    order: tuple[Any, ...]
    if by == "tier":
        keys, order = (col(Tier.name), col(Tier.rank)), (col(Tier.rank).desc(), col(Tier.name))
    elif by == "partner_type":
        keys = order = (col(Organization.partner_type),)
    else:
        keys = order = (col(Organization.region),)
    # Select(...) is what select() builds for several columns; select() itself is typed for at most 4
    query: Select[*tuple[Any, ...]] = (
        Select(*keys, *bucket_columns())
        .join(Organization, col(Organization.id) == NpsResponse.organization_id)
        .join(Tier, col(Tier.id) == Organization.tier_id)
        .where(*partners)
        .group_by(*keys)
        .order_by(*order)
    )
    if survey_id is not None:
        query = query.where(NpsResponse.survey_id == survey_id)
    return tuple(
        # str(): a partner type may come back as its StrEnum; the key is its code
        NpsGroup(key=str(row[0]), tally=tally(*row[len(keys) :]))
        for row in session.exec(query).all()
    )


def nps_report(
    session: Session,
    actor: Actor,
    *,
    survey_id: int | None = None,
    by: str = "tier",
    now: datetime | None = None,
    filters: Filters | None = None,
) -> NpsReport:
    """NPS overall and by `by` (tier | partner_type | region) for one survey or all of them, plus the trend: one
    point per survey that has opened, oldest first (a survey nobody answered has an empty tally). Internal users
    only. Counted in SQL. `filters` narrows the answers to partners of a region, type, tier or channel manager, as
    on the dashboards (its period is not used: the trend is per survey)."""
    partners = org_filters(filters) if filters else []
    actor.require(Permission.VIEW_PARTNERS)
    if by not in GROUPINGS:
        raise ValidationError("Group by tier, partner type or region.", "by")
    now = now or utcnow()
    title = None
    overall = of_partners(select(*bucket_columns()), partners)
    if survey_id is not None:
        survey = session.get(NpsSurvey, survey_id)
        if survey is None:
            raise NotFound("survey")
        title = survey.title
        overall = overall.where(NpsResponse.survey_id == survey_id)
    surveys = session.exec(
        select(NpsSurvey).where(col(NpsSurvey.opens_at) <= now).order_by(col(NpsSurvey.opens_at), col(NpsSurvey.id))
    ).all()
    per_survey = counts_per_survey(session, [saved_id(s) for s in surveys], partners)
    return NpsReport(
        survey_id=survey_id,
        survey=title,
        by=by,
        tally=tally(*session.exec(overall).one()),
        groups=_groups(session, by, survey_id, partners),
        trend=tuple(
            NpsTrendPoint(
                survey_id=saved_id(s),
                survey=s.title,
                opens_at=s.opens_at,
                tally=per_survey.get(saved_id(s), NO_ANSWERS),
                time_zone=s.time_zone,
            )
            for s in surveys
        ),
    )


def detractors_for(session: Session, actor: Actor, limit: int = 50) -> list[Detractor]:
    """Detractor answers (0–6), newest first, with the comment, for follow-up: a channel manager sees the partners
    in their own book; admins and execs see all. At most `limit` (≤100) rows."""
    actor.require(Permission.VIEW_PARTNERS)
    limit = max(1, min(int(limit), 100))
    # Select(...) is what select() builds for several columns; select() itself is typed for at most 4
    columns: Select[NpsResponse, str, str, str, str] = Select(
        NpsResponse, col(NpsSurvey.title), col(Organization.name), col(User.full_name), col(User.email)
    )
    query = (
        columns.join(NpsSurvey, col(NpsSurvey.id) == NpsResponse.survey_id)
        .join(Organization, col(Organization.id) == NpsResponse.organization_id)
        .join(User, col(User.id) == NpsResponse.user_id)
        .where(col(NpsResponse.score) <= DETRACTOR_MAX)
        .order_by(col(NpsResponse.answered_at).desc(), col(NpsResponse.id).desc())
        .limit(limit)
    )
    if (owner := actor.book_owner()) is not None:  # the one book rule of platform.access
        query = query.where(Organization.channel_manager_id == owner)
    return [
        Detractor(
            survey=survey,
            partner=partner,
            person=person,
            email=email,
            score=r.score,
            comment=r.comment,
            answered_at=r.answered_at,
        )
        for r, survey, partner, person, email in session.exec(query).all()
    ]
