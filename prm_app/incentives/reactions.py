"""What incentives does when the deals area records a deal registered, won or lost, in that change's unit of work: a
registration earns the SPIFFs running for it; a won deal
accrues its commission (once, whatever repeats); a deal lost after it accrued gets its reversal. Imported by
prm_app.areas."""

from __future__ import annotations

from sqlmodel import Session

from prm_app.incentives.commissions import accrue_deal, reverse_deal_earnings
from prm_app.incentives.spiffs import accrue_spiffs
from prm_app.platform.access import Actor
from prm_app.platform.audit import reacts_to
from prm_app.platform.models import EngagementEvent


@reacts_to("deal_won")
def accrue_commission(session: Session, event: EngagementEvent) -> None:
    if event.subject_type == "deal" and event.subject_id is not None:
        session.flush()  # the deal's new status and amount, for the calculation's query
        accrue_deal(session, Actor.system("Commissions"), event.subject_id)


@reacts_to("deal_lost")
def reverse_commission(session: Session, event: EngagementEvent) -> None:
    if event.subject_type == "deal" and event.subject_id is not None:
        reverse_deal_earnings(session, Actor.system("Commissions"), event.subject_id, "Deal lost")


@reacts_to("deal_registered")
def accrue_spiff(session: Session, event: EngagementEvent) -> None:
    if event.subject_type == "deal" and event.subject_id is not None:
        session.flush()
        accrue_spiffs(session, Actor.system("SPIFFs"), event.subject_id)


# The dashboards' MDF return panel (analytics sits below incentives and cannot read it itself).
from prm_app.analytics import register_dashboard_panel  # noqa: E402
from prm_app.incentives.mdf_roi_reports import mdf_panel  # noqa: E402

register_dashboard_panel("mdf", 40, mdf_panel)
