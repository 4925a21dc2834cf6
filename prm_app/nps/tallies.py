"""Counting answers in SQL, shared by the survey list and the reports: no report loads answers row by row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select
from sqlmodel import Session, case, col, func, select

from prm_app.nps.models import NpsResponse
from prm_app.nps.rules import DETRACTOR_MAX, PROMOTER_MIN, Tally, tally
from prm_app.partners import Organization

# any SELECT over responses: joining and filtering it keeps its row type
_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])


def bucket_columns() -> tuple[ColumnElement[int], ColumnElement[int], ColumnElement[int]]:
    """COUNT of answers and SUMs of the promoter and detractor buckets, for any GROUP BY (NULL scores count 0)."""
    score = col(NpsResponse.score)
    return (
        func.count(col(NpsResponse.id)),
        func.coalesce(func.sum(case((score >= PROMOTER_MIN, 1), else_=0)), 0),
        func.coalesce(func.sum(case((score <= DETRACTOR_MAX, 1), else_=0)), 0),
    )


def of_partners(query: _Query, partners: Sequence[ColumnElement[bool]]) -> _Query:
    """Narrow a query over responses to the partners matching `partners` (organization conditions)."""
    if not partners:
        return query
    return query.join(Organization, col(Organization.id) == NpsResponse.organization_id).where(*partners)


def counts_per_survey(
    session: Session, survey_ids: list[int], partners: Sequence[ColumnElement[bool]] = ()
) -> dict[int, Tally]:
    """{survey id: its tally} for the surveys among `survey_ids` that have answers (from the partners matching
    `partners`); a survey nobody answered is absent. One GROUP BY."""
    if not survey_ids:
        return {}
    rows = session.exec(
        of_partners(
            select(NpsResponse.survey_id, *bucket_columns()).where(col(NpsResponse.survey_id).in_(survey_ids)),
            partners,
        ).group_by(col(NpsResponse.survey_id))
    ).all()
    return {survey_id: tally(*buckets) for survey_id, *buckets in rows}
