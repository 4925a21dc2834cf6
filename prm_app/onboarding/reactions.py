"""What onboarding does when another area records an engagement event, in that area's unit of work: the task the
event stands for ticks (an agreement signed, a first deal registered, a colleague joined, a profile completed),
and a newly provisioned partner gets its checklist. Imported by prm_app.areas."""

from __future__ import annotations

from sqlmodel import Session

from prm_app.onboarding.rules import TICKED_BY
from prm_app.onboarding.service import begin_checklist, tick_from_event
from prm_app.platform.audit import reacts_to
from prm_app.platform.models import EngagementEvent


@reacts_to(*TICKED_BY)
def tick_task(session: Session, event: EngagementEvent) -> None:
    tick_from_event(session, event)


@reacts_to("partner_provisioned")
def start_checklist(session: Session, event: EngagementEvent) -> None:
    if event.organization_id is not None:
        begin_checklist(session, event.organization_id, event.at)
