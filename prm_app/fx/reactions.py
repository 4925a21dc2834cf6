"""What FX does when the deals area records a deal won or refunded, in that change's unit of work: the rate of the
event's day is locked with the amount (fx_lock). A currency with no rate for that day refuses the change itself
("missing FX rate for KWD on 2028-03-31", shown beside the action), so nothing is counted in a guessed currency.
Imported by prm_app.areas; listed before incentives, so this runs before the commission is accrued."""

from __future__ import annotations

from sqlmodel import Session

from prm_app.deals import Deal, DealPayment
from prm_app.fx.service import lock_rate
from prm_app.platform.audit import reacts_to
from prm_app.platform.models import EngagementEvent


@reacts_to("deal_won")
def lock_won_deal(session: Session, event: EngagementEvent) -> None:
    if event.subject_type != "deal" or event.subject_id is None:
        return
    session.flush()  # the deal's new status, amount and close time
    deal = session.get(Deal, event.subject_id)
    if deal is None:
        return
    amount = deal.final_amount if deal.final_amount is not None else deal.estimated_value
    day = (deal.closed_at or event.at).date()
    lock_rate(session, "deal_won", event.subject_id, deal.currency, amount, day, deal.organization_id)


@reacts_to("deal_refunded")
def lock_refund(session: Session, event: EngagementEvent) -> None:
    if event.subject_type != "deal_payment" or event.subject_id is None:
        return
    session.flush()
    refund = session.get(DealPayment, event.subject_id)
    deal = session.get(Deal, refund.deal_id) if refund is not None else None
    if refund is None or deal is None:
        return
    lock_rate(
        session, "deal_refunded", event.subject_id, deal.currency, refund.amount, refund.on_date, deal.organization_id
    )
