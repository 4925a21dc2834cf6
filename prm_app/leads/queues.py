"""Leads, vendor side: intake, the ordered queues managers share, routing with reasons, confirmation, fairness.

Partner-side reads live here too (list and detail), scoped to the partner's organization.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select, update

from prm_app.deals import Product
from prm_app.leads.intake import LeadDraft
from prm_app.leads.models import (
    LEAD_STATUS_LABELS,
    Lead,
    LeadEvent,
    LeadProduct,
    LeadQueue,
    LeadQueueMember,
    LeadStatus,
    RoutingProfile,
)
from prm_app.leads.offers import _my_lead, log_lead, offer
from prm_app.leads.profiles import lead_facts, month_start, partner_profiles, product_names
from prm_app.leads.routing import route_many
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission, Scope
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import DomainError, NotFound, PermissionDenied

QUEUED = (LeadStatus.NEW, LeadStatus.PROPOSED)


def my_queues(session: Session, actor: Actor) -> list[dict]:
    """The queues the actor works: its memberships (admins and execs see every queue)."""
    actor.require(Permission.VIEW_PARTNERS)
    stmt = select(LeadQueue).order_by(LeadQueue.name)
    if actor.scope == Scope.OWN_BOOK:
        stmt = stmt.join(LeadQueueMember, LeadQueueMember.queue_id == LeadQueue.id).where(
            LeadQueueMember.user_id == actor.user_id
        )
    return [{"id": q.id, "name": q.name} for q in session.exec(stmt).all()]


def _check_queue(session: Session, actor: Actor, queue_id: int, *, write: bool) -> LeadQueue:
    if write:
        actor.require(Permission.MANAGE_LEADS)
    if queue_id not in {q["id"] for q in my_queues(session, actor)}:
        raise NotFound("queue")
    return session.get(LeadQueue, queue_id)


def queue_router(session: Session):
    """A function country -> queue id: the queue listing the country, else the catch-all (no countries)."""
    by_country: dict[str, int] = {}
    fallback = None
    for queue in session.exec(select(LeadQueue).order_by(LeadQueue.id)).all():
        codes = [c.strip() for c in queue.countries.split(",") if c.strip()]
        for code in codes:
            by_country.setdefault(code, queue.id)
        if not codes and fallback is None:
            fallback = queue.id

    def route(country: str) -> int:
        queue_id = by_country.get(country, fallback)
        if queue_id is None:
            raise DomainError(f"No lead queue takes leads from {country}; ask an admin to add one.")
        return queue_id

    return route


def product_catalogue(session: Session) -> dict[str, int]:
    """Lower-cased SKU and name -> product id, for the CSV parser."""
    catalogue: dict[str, int] = {}
    for product in session.exec(select(Product).where(Product.active)).all():
        catalogue[product.sku.lower()] = product.id
        catalogue[product.name.lower()] = product.id
    return catalogue


def store_leads(session: Session, actor: Actor, drafts: Sequence[LeadDraft], now: datetime | None = None) -> list[int]:
    """Insert clean leads at the end of their queues, in the given order. Returns their ids.

    Two batched INSERTs (leads, then their products) whatever the number of drafts.
    """
    actor.require(Permission.MANAGE_LEADS)
    now = now or utcnow()
    queue_of = queue_router(session)
    next_rank = dict(session.exec(select(Lead.queue_id, func.max(Lead.rank)).group_by(Lead.queue_id)).all())
    new_leads = []
    for draft in drafts:
        queue_id = queue_of(draft.country)
        next_rank[queue_id] = next_rank.get(queue_id, 0) + 1
        new_leads.append(
            Lead(
                queue_id=queue_id,
                rank=next_rank[queue_id],
                status=LeadStatus.NEW,
                company=draft.company,
                domain=draft.domain,
                contact_name=draft.contact_name,
                contact_email=draft.contact_email,
                country=draft.country,
                city=draft.city,
                postcode=draft.postcode,
                lat=draft.lat,
                lon=draft.lon,
                vertical=draft.vertical,
                estimated_size=draft.estimated_size,
                source=draft.source,
                created_at=now,
                created_by_id=actor.user_id,
            )
        )
    session.add_all(new_leads)
    session.flush()
    session.add_all(
        [
            LeadProduct(lead_id=lead.id, product_id=p)
            for lead, d in zip(new_leads, drafts, strict=True)
            for p in d.product_ids
        ]
    )
    ids = [lead.id for lead in new_leads]
    if ids:
        session.add(
            LeadEvent(lead_id=ids[0], actor_user_id=actor.user_id, action="imported", note=f"{len(ids)} leads", at=now)
        )
        audit(session, actor, "leads_created", "lead", ids[0], count=len(ids))
    return ids


def _row(lead: Lead, partner: str | None) -> dict:
    return {
        "id": str(lead.id),
        "label": lead.company,
        "sublabel": " · ".join(x for x in (lead.city, lead.country, lead.vertical) if x),
        "status": lead.status,
        "status_label": LEAD_STATUS_LABELS[LeadStatus(lead.status)],
        "partner": partner or "",
        "score": "" if lead.proposal_score is None else f"{lead.proposal_score:.1f}",
        "reasons": [r for r in lead.proposal_reasons.splitlines() if r],
    }


def queue_leads(session: Session, actor: Actor, queue_id: int, limit: int = 500) -> list[dict]:
    """The queue in priority order: leads waiting for routing or for confirmation of a proposal."""
    _check_queue(session, actor, queue_id, write=False)
    rows = session.exec(
        select(Lead, Organization.name)
        .join(Organization, Organization.id == Lead.partner_id, isouter=True)
        .where(Lead.queue_id == queue_id, col(Lead.status).in_([s.value for s in QUEUED]))
        .order_by(Lead.rank, Lead.id)
        .limit(limit)
    ).all()
    return [_row(lead, name) for lead, name in rows]


def reorder_queue(session: Session, actor: Actor, queue_id: int, ordered_ids: Iterable[int]) -> None:
    """Put the given leads in this order, keeping the ranks they already occupy (so leads not shown keep
    their places). Ids must all be waiting in that queue; anything else is refused as not found."""
    _check_queue(session, actor, queue_id, write=True)
    ids = [int(i) for i in ordered_ids]
    if len(set(ids)) != len(ids):
        raise DomainError("The new order lists a lead twice.")
    ranks = dict(
        session.exec(
            select(Lead.id, Lead.rank).where(
                col(Lead.id).in_(ids), Lead.queue_id == queue_id, col(Lead.status).in_([s.value for s in QUEUED])
            )
        ).all()
    )
    if len(ranks) != len(ids):
        raise NotFound("lead")
    slots = sorted(ranks.values())
    changes = [
        {"id": lead_id, "rank": rank} for lead_id, rank in zip(ids, slots, strict=True) if ranks[lead_id] != rank
    ]
    if changes:
        session.execute(update(Lead), changes)  # one executemany by primary key
        audit(session, actor, "lead_queue_reordered", "lead_queue", queue_id, moved=len(changes))


@dataclass(frozen=True)
class RoutingRun:
    proposed: int
    unmatched: int


def route_leads(
    session: Session, actor: Actor, queue_id: int, lead_ids: Sequence[int] | None = None, now: datetime | None = None
) -> RoutingRun:
    """Propose a partner, with reasons, for the queue's waiting leads (or the given ones), in queue order.

    Pending proposals count toward a partner's load, so capacity holds across runs and chunks.
    """
    _check_queue(session, actor, queue_id, write=True)
    now = now or utcnow()
    stmt = select(Lead).where(Lead.queue_id == queue_id, col(Lead.status).in_([s.value for s in QUEUED]))
    if lead_ids is not None:
        stmt = stmt.where(col(Lead.id).in_([int(i) for i in lead_ids]))
    leads = session.exec(stmt.order_by(Lead.rank, Lead.id)).all()
    if lead_ids is not None and len(leads) != len(set(lead_ids)):
        raise NotFound("lead")  # not waiting in this queue (or not this manager's): nothing is routed
    pending = dict(
        session.exec(
            select(Lead.partner_id, func.count())
            .where(Lead.status == LeadStatus.PROPOSED, col(Lead.id).not_in([lead.id for lead in leads]))
            .group_by(Lead.partner_id)
        ).all()
    )
    profiles = [
        p.__class__(**{**p.__dict__, "load": p.load + pending.get(p.partner_id, 0)})
        for p in partner_profiles(session, now)
    ]
    proposals = route_many(lead_facts(session, leads), profiles, product_names=product_names(session))
    matched = 0
    for lead, proposal in zip(leads, proposals, strict=True):
        if proposal.partner_id is None:
            lead.status, lead.partner_id, lead.proposal_score = LeadStatus.NEW, None, None
            lead.proposal_reasons = proposal.no_match_reason
        else:
            lead.status, lead.partner_id, lead.proposal_score = LeadStatus.PROPOSED, proposal.partner_id, proposal.score
            lead.proposal_reasons = "\n".join(proposal.reasons)
            matched += 1
        session.add(lead)
    audit(session, actor, "leads_routed", "lead_queue", queue_id, proposed=matched, unmatched=len(leads) - matched)
    return RoutingRun(proposed=matched, unmatched=len(leads) - matched)


def assign_by_hand(session: Session, actor: Actor, lead_id: int, partner_id: int) -> None:
    """A manager's own choice of partner; the reasons then say who chose."""
    actor.require(Permission.MANAGE_LEADS)
    lead = session.get(Lead, lead_id)
    if lead is None or lead.status not in QUEUED:
        raise NotFound("lead")
    _check_queue(session, actor, lead.queue_id, write=True)
    partner = session.exec(
        select(Organization)
        .join(RoutingProfile, RoutingProfile.organization_id == Organization.id)
        .where(Organization.id == partner_id, RoutingProfile.accepts_leads)
    ).first()
    if partner is None:
        raise NotFound("partner")
    if partner_id in lead_facts(session, [lead])[0].declined_by:
        raise DomainError(f"{partner.name} already declined this lead.")
    lead.status, lead.partner_id, lead.proposal_score = LeadStatus.PROPOSED, partner.id, None
    lead.proposal_reasons = f"assigned by {actor.name}"
    session.add(lead)
    audit(session, actor, "lead_assigned_by_hand", "lead", lead.id, partner_id=partner.id)


def confirm_proposals(session: Session, actor: Actor, lead_ids: Sequence[int], now: datetime | None = None) -> int:
    """Send the proposed leads to their partners (the accept deadline starts). Returns how many were sent."""
    actor.require(Permission.MANAGE_LEADS)
    now = now or utcnow()
    sent = 0
    for lead in session.exec(select(Lead).where(col(Lead.id).in_([int(i) for i in lead_ids])).order_by(Lead.rank)):
        _check_queue(session, actor, lead.queue_id, write=True)
        if lead.status == LeadStatus.PROPOSED and lead.partner_id is not None:
            offer(session, actor, lead, now)
            sent += 1
    return sent


def routable_partners(session: Session, actor: Actor) -> list[dict]:
    actor.require(Permission.VIEW_PARTNERS)
    rows = session.exec(
        select(Organization.id, Organization.name)
        .join(RoutingProfile, RoutingProfile.organization_id == Organization.id)
        .where(RoutingProfile.accepts_leads)
        .order_by(Organization.name)
    ).all()
    return [{"value": str(i), "label": n} for i, n in rows]


def fairness_report(session: Session, actor: Actor, since: datetime, until: datetime | None = None) -> list[dict]:
    """Per partner over the period: leads offered vs monthly capacity, how it answered, average routing score."""
    actor.require(Permission.VIEW_PARTNERS)
    until = until or utcnow()
    stats: dict[int, dict] = {}
    for partner_id, action, n, avg_score in session.exec(
        select(LeadEvent.partner_id, LeadEvent.action, func.count(), func.avg(LeadEvent.score))
        .where(
            LeadEvent.at >= since,
            LeadEvent.at < until,
            col(LeadEvent.partner_id).is_not(None),
            col(LeadEvent.action).in_(["offered", "accepted", "declined", "expired"]),
        )
        .group_by(LeadEvent.partner_id, LeadEvent.action)
    ):
        row = stats.setdefault(partner_id, {"offered": 0, "accepted": 0, "declined": 0, "expired": 0, "score": None})
        row[action] = n
        if action == "offered" and avg_score is not None:
            row["score"] = round(float(avg_score), 1)
    months = max(1.0, (until - since).days / 30.4)
    report = []
    for org_id, name, capacity in session.exec(
        select(Organization.id, Organization.name, RoutingProfile.monthly_capacity)
        .join(RoutingProfile, RoutingProfile.organization_id == Organization.id)
        .order_by(Organization.name)
    ):
        row = stats.get(org_id, {"offered": 0, "accepted": 0, "declined": 0, "expired": 0, "score": None})
        allowance = round(capacity * months)
        report.append(
            {
                "partner": name,
                "offered": row["offered"],
                "capacity": allowance,
                "share": f"{row['offered'] / allowance:.0%}" if allowance else "—",
                "accepted": row["accepted"],
                "declined": row["declined"],
                "expired": row["expired"],
                "score": "—" if row["score"] is None else f"{row['score']:.1f}",
            }
        )
    return report


# -- partner side ---------------------------------------------------------------------------------------------
def list_my_leads(session: Session, actor: Actor, now: datetime | None = None) -> list[dict]:
    actor.require(Permission.WORK_LEADS)
    now = now or utcnow()
    leads = session.exec(
        select(Lead)
        .where(Lead.partner_id == actor.organization_id, col(Lead.status).not_in([s.value for s in QUEUED]))
        .order_by(col(Lead.offered_at).desc(), col(Lead.id).desc())
        .limit(100)
    ).all()
    return [
        {
            "id": str(lead.id),
            "company": lead.company,
            "status": lead.status,
            "status_label": "New offer"
            if lead.status == LeadStatus.OFFERED
            else LEAD_STATUS_LABELS[LeadStatus(lead.status)],
            "where": ", ".join(x for x in (lead.city, lead.country) if x),
            "vertical": lead.vertical or "—",
            "deadline": lead.accept_deadline.strftime("%Y-%m-%d %H:%M UTC")
            if lead.status == LeadStatus.OFFERED and lead.accept_deadline
            else "",
            "overdue": bool(lead.status == LeadStatus.OFFERED and lead.accept_deadline and lead.accept_deadline <= now),
        }
        for lead in leads
    ]


def get_my_lead(session: Session, actor: Actor, lead_id: int) -> dict:
    lead = _my_lead(session, actor, lead_id)
    products = session.exec(
        select(Product.name)
        .join(LeadProduct, LeadProduct.product_id == Product.id)
        .where(LeadProduct.lead_id == lead.id)
        .order_by(Product.name)
    ).all()
    return {
        "id": str(lead.id),
        "company": lead.company,
        "domain": lead.domain,
        "status": lead.status,
        "status_label": LEAD_STATUS_LABELS[LeadStatus(lead.status)],
        "contact": lead.contact_name,
        "email": lead.contact_email,
        "where": ", ".join(x for x in (lead.city, lead.postcode, lead.country) if x),
        "vertical": lead.vertical or "—",
        "products": ", ".join(products) or "—",
        "size": f"{lead.estimated_size:,.2f} {lead.currency}" if lead.estimated_size is not None else "—",
        "deadline": lead.accept_deadline.strftime("%Y-%m-%d %H:%M UTC") if lead.accept_deadline else "",
        "note": lead.status_note,
        "deal_id": str(lead.deal_id or ""),
    }


def lead_deal_prefill(session: Session, actor: Actor, lead_id: int) -> dict[str, str]:
    """The deal registration form's starting values for an accepted lead."""
    lead = _my_lead(session, actor, lead_id)
    if lead.status not in (LeadStatus.ACCEPTED, LeadStatus.CONTACTED, LeadStatus.QUALIFIED):
        raise PermissionDenied("Accept the lead before registering a deal from it.")
    product_ids = session.exec(select(LeadProduct.product_id).where(LeadProduct.lead_id == lead.id)).all()
    return {
        "customer_name": lead.company,
        "customer_site": lead.domain,
        "country": lead.country,
        "contact_name": lead.contact_name,
        "contact_email": lead.contact_email,
        "estimated_value": f"{lead.estimated_size:.2f}" if lead.estimated_size is not None else "",
        "products": ",".join(str(p) for p in product_ids),
        "lead_id": str(lead.id),
    }


__all__ = ["RoutingRun", "log_lead", "month_start"]
