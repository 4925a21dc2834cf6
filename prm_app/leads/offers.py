"""Offering leads to partners and what partners do with them: accept, decline, work, convert; and recycling.

A decline or a missed deadline records the partner as declined for that lead (routing never offers it again)
and offers the lead to the next best partner at once; when nobody is left it returns to its queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, event
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select, update

from prm_app.deals import DealInput, register_deal
from prm_app.leads.models import DECLINE_REASONS, WORKABLE, Lead, LeadDecline, LeadEvent, LeadStatus
from prm_app.leads.partner_access import my_lead
from prm_app.leads.routing import route_lead
from prm_app.leads.routing_inputs import lead_facts, partner_candidates, product_names
from prm_app.notifications import notify, resolve
from prm_app.platform.access import Actor
from prm_app.platform.audit import audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import DomainError, NotFound, ValidationError
from prm_app.platform.i18n import Words
from prm_app.platform.settings import settings

SYSTEM = Actor.system("Routing")
WORK_STATUSES: dict[str, set[LeadStatus]] = {
    LeadStatus.ACCEPTED: {LeadStatus.CONTACTED, LeadStatus.DISQUALIFIED},
    LeadStatus.CONTACTED: {LeadStatus.QUALIFIED, LeadStatus.DISQUALIFIED},
    LeadStatus.QUALIFIED: {LeadStatus.DISQUALIFIED},
}


OFFER_EXPIRED = "This offer has expired: it has moved on to another partner."
_EXPIRED = Words("leads.error.offer_expired")  # OFFER_EXPIRED, said in the reader's language
GIVEN_BACK_NOTICE = "lead_given_back"


def log_lead(
    session: Session, lead: Lead, actor: Actor, action: str, at: datetime, note: str = "", score: float | None = None
) -> None:
    """Add a line to the lead's history, dated `at`: the use case's own `now`, so offers made "now" count toward
    that month's capacity and that period's fairness report (never the wall clock of the machine running it)."""
    session.add(
        LeadEvent(
            lead_id=saved_id(lead),
            actor_user_id=actor.user_id,
            partner_id=lead.partner_id,
            action=action,
            note=note,
            score=score,
            at=at,
        )
    )


def offer(session: Session, actor: Actor, lead: Lead, now: datetime) -> None:
    """Send a proposed lead to its partner: the accept deadline starts now, and the partner is told."""
    if lead.partner_id is None:
        raise DomainError(f"{lead.company} has no proposed partner yet.")
    lead.status = LeadStatus.OFFERED
    lead.offered_at = now
    lead.accept_deadline = now + timedelta(hours=settings.lead_accept_hours)
    session.add(lead)
    log_lead(session, lead, actor, "offered", now, lead.proposal_reasons.replace("\n", "; "), lead.proposal_score)
    # About the partner it is offered to (webhooks: lead.offered reaches that partner's endpoints too).
    record_engagement(session, actor, "lead_offered", "lead", lead.id, organization_id=lead.partner_id)
    notify(
        session,
        lead.partner_id,
        "lead_offered",
        f"New lead: {lead.company}. Accept by {lead.accept_deadline:%Y-%m-%d %H:%M} UTC.",
        f"/leads/{lead.id}",
        at=now,
        about=("lead", saved_id(lead)),
        words=Words("notice.lead_offered", {"company": lead.company, "deadline": lead.accept_deadline}),
    )


def close_offer_notice(session: Session, partner_id: int, lead: Lead, now: datetime) -> None:
    """The partner answered the offer (or let it lapse): its "new lead" notice and its reminder are done, in this
    transaction."""
    resolve(session, partner_id, ("lead", saved_id(lead)), "lead_offered", "lead_offer_expiring", at=now)


def reroute(session: Session, lead: Lead, now: datetime, why: str) -> None:
    """Offer the lead to the next best partner (never one that declined it), or return it to its queue. A lead a
    distributor passed to its reseller goes back to that distributor instead (leads.passing)."""
    if lead.passed_by_id is not None:
        _back_to_distributor(session, lead, lead.passed_by_id, now, why)
        return
    profiles = partner_candidates(session, now)
    proposal = route_lead(lead_facts(session, [lead])[0], profiles, product_names=product_names(session))
    lead.recycle_count += 1
    if proposal.partner_id is None:
        lead.status, lead.partner_id, lead.proposal_score = LeadStatus.NEW, None, None
        lead.proposal_reasons = f"{why}\n{proposal.no_match_reason}"
        lead.offered_at = lead.accept_deadline = None
        session.add(lead)
        log_lead(session, lead, SYSTEM, "returned", now, lead.proposal_reasons)
        return
    lead.partner_id, lead.proposal_score = proposal.partner_id, proposal.score
    lead.proposal_reasons = "\n".join((f"recycled: {why}", *proposal.reasons))
    offer(session, SYSTEM, lead, now)


def _back_to_distributor(session: Session, lead: Lead, distributor_id: int, now: datetime, why: str) -> None:
    """The reseller said no (or let the offer lapse): the distributor has the lead again, accepted as it was."""
    lead.partner_id, lead.passed_by_id, lead.status = distributor_id, None, LeadStatus.ACCEPTED
    lead.offered_at = lead.accept_deadline = None
    session.add(lead)
    log_lead(session, lead, SYSTEM, "given back", now, why)
    notify(
        session,
        distributor_id,
        GIVEN_BACK_NOTICE,
        f"{lead.company} is yours again: {why}.",
        f"/leads/{lead.id}",
        at=now,
        about=("lead", saved_id(lead)),
    )


def _offered_to(lead: Lead) -> int:
    """The partner an offered lead is offered to: offer() sends none without one."""
    if lead.partner_id is None:
        raise RuntimeError(f"lead {lead.id} is offered but to no partner")
    return lead.partner_id


def _still_this_offer(lead: Lead) -> tuple[ColumnElement[bool], ...]:
    """WHERE clauses true only while the lead is the very offer read into `lead`: still offered, to the same
    partner, sent at the same moment (a re-offer, even to the same partner, has a new offered_at)."""
    return (
        col(Lead.id) == lead.id,
        col(Lead.status) == LeadStatus.OFFERED,
        col(Lead.partner_id) == lead.partner_id,
        col(Lead.offered_at) == lead.offered_at,
    )


def _accept_on_flush(session: Session, lead: Lead, now: datetime) -> None:
    """Write the acceptance as a compare-and-set when the unit of work flushes (at the latest, on commit).

    Why at the flush and not at once: the ORM writes the rest of the acceptance then anyway, and an UPDATE now
    would hold the lead's row lock for the rest of the unit of work, making a recycler wait on a partner's page.
    Whoever writes first wins: if a recycler moved the offer on since it was read, nothing is written and the
    flush raises DomainError(OFFER_EXPIRED), so the unit of work rolls back whole; if the acceptance lands
    first, the recycler's own claim (status and deadline unchanged) then matches no row.
    """
    session.flush()  # what this unit of work already changed (e.g. a re-offer) is what the compare must see
    where = _still_this_offer(lead)

    def compare_and_set(flushing: Session, _context: object, _instances: object) -> None:
        written = flushing.connection().execute(
            update(Lead).where(*where).values(status=LeadStatus.ACCEPTED, accepted_at=now)
        )
        if written.rowcount != 1:
            raise DomainError(_EXPIRED)

    event.listen(session, "before_flush", compare_and_set, once=True)
    # The row as this session will have written it, without a second UPDATE from the ORM.
    set_committed_value(lead, "status", LeadStatus.ACCEPTED)
    set_committed_value(lead, "accepted_at", now)


def accept_lead(session: Session, actor: Actor, lead_id: int, now: datetime | None = None) -> None:
    """The offered partner takes the lead before its deadline. Exactly one of an acceptance and a recycler
    (or a decline) racing it wins: a lost race raises DomainError(OFFER_EXPIRED) and nothing is written."""
    now = now or utcnow()
    lead = my_lead(session, actor, lead_id)
    if lead.status != LeadStatus.OFFERED:
        raise DomainError(Words("leads.error.accept_new_only"))
    if lead.accept_deadline and lead.accept_deadline <= now:
        raise DomainError(Words("leads.error.deadline_passed"))
    _accept_on_flush(session, lead, now)
    log_lead(session, lead, actor, "accepted", now)
    audit(session, actor, "lead_accepted", "lead", lead.id)
    record_engagement(session, actor, "lead_accepted", "lead", lead.id)
    close_offer_notice(session, _offered_to(lead), lead, now)  # last: its UPDATE flushes the acceptance


def check_decline_reason(reason: str) -> str:
    """`reason` if it is one of DECLINE_REASONS; ValidationError on the reason field otherwise (the page asks this
    before its confirmation dialog, the use case again when it runs)."""
    if reason not in DECLINE_REASONS:
        raise ValidationError(Words("leads.error.choose_reason"), "reason")
    return reason


def decline_lead(session: Session, actor: Actor, lead_id: int, reason: str, now: datetime | None = None) -> None:
    """Decline an offer with a reason; the lead moves on to the next best partner at once."""
    now = now or utcnow()
    check_decline_reason(reason)
    lead = my_lead(session, actor, lead_id)
    if lead.status != LeadStatus.OFFERED:
        raise DomainError(Words("leads.error.decline_new_only"))
    # Claimed like the recycler claims: only while it is still this offer; the loser of a race writes nothing.
    claimed = session.exec(update(Lead).where(*_still_this_offer(lead)).values(status=LeadStatus.PROPOSED))
    if claimed.rowcount != 1:
        raise DomainError(_EXPIRED)
    session.refresh(lead)
    partner_id = actor.organization_id
    if partner_id is None:  # never: my_lead found the lead offered to the actor's organization
        raise NotFound("lead")
    session.add(LeadDecline(lead_id=saved_id(lead), partner_id=partner_id, reason=reason, at=now))
    close_offer_notice(session, partner_id, lead, now)
    log_lead(session, lead, actor, "declined", now, reason)
    audit(session, actor, "lead_declined", "lead", lead.id, reason=reason)
    record_engagement(session, actor, "lead_declined", "lead", lead.id)
    session.flush()
    reroute(session, lead, now, f"declined by a partner ({reason.lower()})")


def update_lead_status(
    session: Session, actor: Actor, lead_id: int, status: str, note: str = "", now: datetime | None = None
) -> None:
    """Work an accepted lead one step forward (contacted, qualified, or disqualified with a note)."""
    now = now or utcnow()
    lead = my_lead(session, actor, lead_id)
    if status not in WORK_STATUSES.get(lead.status, set()):
        raise DomainError(Words("leads.error.bad_step"))
    note = (note or "").strip()
    if status == LeadStatus.DISQUALIFIED and not note:
        raise ValidationError(Words("leads.error.disqualify_note"), "note")
    lead.status, lead.status_note = status, note
    session.add(lead)
    log_lead(session, lead, actor, status, now, note)
    audit(session, actor, f"lead_{status}", "lead", lead.id)


def register_deal_from_lead(session: Session, actor: Actor, lead_id: int, data: DealInput, *, submit: bool) -> int:
    """Register a deal for a lead the partner accepted and mark the lead converted, in one transaction: either
    both happen or neither (a lead that is not the partner's, or not accepted, stores no deal)."""
    deal_id = register_deal(session, actor, data, submit=submit)
    mark_converted(session, actor, lead_id, deal_id)
    return deal_id


def mark_converted(session: Session, actor: Actor, lead_id: int, deal_id: int, now: datetime | None = None) -> None:
    """The partner's accepted lead became deal `deal_id` (refused unless accepted, contacted or qualified)."""
    now = now or utcnow()
    lead = my_lead(session, actor, lead_id)
    if lead.status not in WORKABLE:
        raise DomainError(Words("leads.error.accept_first"))
    lead.status, lead.deal_id = LeadStatus.CONVERTED, deal_id
    session.add(lead)
    log_lead(session, lead, actor, "converted", now, f"deal #{deal_id}")
    record_engagement(session, actor, "lead_converted", "lead", lead.id)


@dataclass(frozen=True)
class RecycleRun:
    expired: int


def recycle_overdue_leads(session: Session, now: datetime | None = None) -> RecycleRun:
    """Offers past their deadline count as declined ("no answer in time") and move on to the next partner.

    Safe with several workers: a lead is taken only if it is still offered with that deadline.
    """
    now = now or utcnow()
    overdue = session.exec(
        select(Lead).where(Lead.status == LeadStatus.OFFERED, col(Lead.accept_deadline) <= now).order_by(col(Lead.id))
    ).all()
    done = 0
    for lead in overdue:
        claimed = session.exec(
            update(Lead)
            .where(
                col(Lead.id) == lead.id,
                col(Lead.status) == LeadStatus.OFFERED,
                col(Lead.accept_deadline) == lead.accept_deadline,
            )
            .values(status=LeadStatus.PROPOSED)
        )
        if claimed.rowcount != 1:
            continue
        session.refresh(lead)
        session.add(
            LeadDecline(
                lead_id=saved_id(lead), partner_id=_offered_to(lead), reason="No answer in time", expired=True, at=now
            )
        )
        close_offer_notice(session, _offered_to(lead), lead, now)
        log_lead(session, lead, SYSTEM, "expired", now, "no answer before the deadline")
        session.flush()
        reroute(session, lead, now, "the previous partner did not answer in time")
        done += 1
    return RecycleRun(expired=done)
