"""The funnel's last steps: a partner recruited through an application registers its first deal, then wins it.

Counted from the deals area's engagement events, in the same unit of work as the deal (platform.audit.reacts_to);
once per recruited partner (UNIQUE(visit, stage)), so later deals change nothing."""

from __future__ import annotations

from sqlmodel import Session, select

from prm_app.platform.audit import reacts_to
from prm_app.platform.models import EngagementEvent
from prm_app.recruitment.apply import add_funnel_event
from prm_app.recruitment.models import Application

STAGE_OF = {"deal_registered": "first_deal", "deal_won": "first_win"}


@reacts_to(*STAGE_OF)
def count_first_deals(session: Session, event: EngagementEvent) -> None:
    """The first deal registered / won by an organization that came from an application."""
    if event.organization_id is None:
        return
    found = session.exec(
        select(Application.id, Application.program_id).where(Application.organization_id == event.organization_id)
    ).first()
    if found is None:
        return
    app_id, program_id = found
    add_funnel_event(
        session,
        f"a{app_id}",
        STAGE_OF[event.kind],
        program_id=program_id,
        application_id=app_id,
        organization_id=event.organization_id,
        at=event.at,
    )
