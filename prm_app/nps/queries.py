"""Reads that compose the NPS pages' views in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from prm_app.nps.reports import detractors_for, nps_report
from prm_app.nps.service import list_surveys
from prm_app.platform.access import Actor, Permission


@dataclass(frozen=True)
class SurveysView:
    surveys: list[dict]
    report: dict
    detractors: list[dict]  # in the actor's book only, for a channel manager
    can_launch: bool


def surveys_view(session: Session, actor: Actor, by: str) -> SurveysView:
    """The channel team's NPS page: surveys, NPS grouped `by` tier / partner type / region, detractors."""
    return SurveysView(
        list_surveys(session, actor),
        nps_report(session, actor, by=by),
        detractors_for(session, actor),
        actor.can(Permission.LAUNCH_SURVEYS),
    )
