"""Reminding a partner of a lead offer about to expire unanswered: one notice (and one email to each person who
wants it) per offer, written by a periodic job. A re-offer, even to the same partner, is a new offer with its own
reminder; an offer answered or recycled closes its reminder with its "new lead" notice (offers.close_offer_notice).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from prm_app.leads.models import Lead, LeadStatus
from prm_app.notifications import notify
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.i18n import Words

REMINDER_KIND = "lead_offer_expiring"
REMIND_AHEAD = timedelta(hours=4)  # at most this long before the deadline


def reminder_due(offered_at: datetime, deadline: datetime, now: datetime) -> bool:
    """Whether an offer still open at `now` should be reminded of: its deadline is still ahead and no further
    than REMIND_AHEAD, or half the offer's time, whichever is shorter (a 2-hour offer is reminded 1 hour before,
    not the moment it is made)."""
    ahead = min(REMIND_AHEAD, (deadline - offered_at) / 2)
    return now < deadline <= now + ahead


def reminder_key(lead_id: int, offered_at: datetime) -> str:
    """One reminder per offer: the lead and the moment it was offered (a re-offer has a new moment)."""
    return f"{REMINDER_KIND}:{lead_id}:{offered_at:%Y%m%dT%H%M%S.%f}"


@dataclass(frozen=True)
class ReminderRun:
    reminded: int = 0


def remind_expiring_offers(session: Session, now: datetime | None = None) -> ReminderRun:
    """Remind each partner of its offers about to expire unanswered, once per offer (notifications.notify's `once`
    key: a second run, or a second consumer running at the same moment, writes nothing again)."""
    now = now or utcnow()
    candidates = session.exec(
        select(Lead)
        .where(
            col(Lead.status) == LeadStatus.OFFERED,
            col(Lead.accept_deadline) > now,
            col(Lead.accept_deadline) <= now + REMIND_AHEAD,
        )
        .order_by(col(Lead.id))
    ).all()
    reminded = 0
    for lead in candidates:
        offered_at, deadline, partner_id = lead.offered_at, lead.accept_deadline, lead.partner_id
        if offered_at is None or deadline is None or partner_id is None or not reminder_due(offered_at, deadline, now):
            continue
        lead_id = saved_id(lead)
        reminded += notify(
            session,
            partner_id,
            REMINDER_KIND,
            f"Lead {lead.company} is still waiting for your answer: the offer expires {deadline:%Y-%m-%d %H:%M} UTC, "
            "then it moves on to another partner.",
            f"/leads/{lead_id}",
            at=now,
            about=("lead", lead_id),
            once=reminder_key(lead_id, offered_at),
            words=Words("notice.lead_offer_expiring", {"company": lead.company, "deadline": deadline}),
        )
    return ReminderRun(reminded=reminded)
