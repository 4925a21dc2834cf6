"""What incentives does when the deals area records a deal registered, won, lost or refunded, in that change's unit
of work: a registration earns the SPIFFs running for it; a won deal accrues its commission (once, whatever repeats;
won again after a loss, once more); a deal lost after it accrued gets its reversal with the reason given; a refund
reverses its share (clawbacks.py); a loss or a refund also recomputes the rebate of the period the deal's win falls
in (rebates.py), and a win again does through the accrual. Imported by prm_app.areas."""

from __future__ import annotations

from sqlmodel import Session

from prm_app.analytics import register_dashboard_panel
from prm_app.deals import DealPayment, lost_reason
from prm_app.fx import RATES_ADDED
from prm_app.incentives.clawbacks import reverse_deal_earnings, reverse_refund
from prm_app.incentives.commissions import accrue_deal, post_held_earnings
from prm_app.incentives.mdf_roi_reports import mdf_panel
from prm_app.incentives.rebates import recompute_after_correction
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
        session.flush()  # the deal's history, whose last "lost" says why
        reason = lost_reason(session, event.subject_id) or "Deal lost"
        reverse_deal_earnings(session, Actor.system("Commissions"), event.subject_id, reason)
        recompute_after_correction(session, Actor.system("Rebates"), event.subject_id, reason)


@reacts_to("deal_refunded")
def reverse_refunded_commission(session: Session, event: EngagementEvent) -> None:
    if event.subject_type == "deal_payment" and event.subject_id is not None:
        session.flush()
        reverse_refund(session, Actor.system("Commissions"), event.subject_id)
        refund = session.get(DealPayment, event.subject_id)
        if refund is not None:
            recompute_after_correction(session, Actor.system("Rebates"), refund.deal_id, refund.reason or "Refund")


@reacts_to(RATES_ADDED)
def post_held_commissions(session: Session, event: EngagementEvent) -> None:
    post_held_earnings(session, Actor.system("Commissions"))  # rates added on the FX page (fx)


@reacts_to("deal_registered")
def accrue_spiff(session: Session, event: EngagementEvent) -> None:
    if event.subject_type == "deal" and event.subject_id is not None:
        session.flush()
        accrue_spiffs(session, Actor.system("SPIFFs"), event.subject_id)


# The dashboards' MDF return panel (analytics sits below incentives and cannot read it itself).

register_dashboard_panel("mdf", 40, mdf_panel)
