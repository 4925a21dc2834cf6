"""What routing needs from the database, read in a few aggregate queries: every partner that takes leads as a
candidate (its routing profile with its current load and track record), each lead's facts, and product names.
Returns the pure dataclasses of prm_app/leads/routing_model.py."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from statistics import median

from sqlmodel import Session, col, func, select

from prm_app.deals import Deal, Product
from prm_app.leads.models import Lead, LeadDecline, LeadEvent, LeadProduct, RoutingProfile
from prm_app.leads.routing import LeadFacts, PartnerCandidate
from prm_app.partners import Organization, Tier


def _csv(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def month_start(now: datetime) -> datetime:
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def partner_candidates(session: Session, now: datetime) -> list[PartnerCandidate]:
    """Every partner that takes leads, with this month's load and its history, ordered by id."""
    rows = session.exec(
        select(Organization.id, Organization.name, Tier.rank, Tier.name, RoutingProfile)
        .join(RoutingProfile, RoutingProfile.organization_id == Organization.id)
        .join(Tier, Tier.id == Organization.tier_id)
        .where(RoutingProfile.accepts_leads)
        .order_by(Organization.id)
    ).all()
    counts: dict[tuple[int, str], int] = {}
    for partner_id, action, n in session.exec(
        select(LeadEvent.partner_id, LeadEvent.action, func.count())
        .where(col(LeadEvent.action).in_(["offered", "accepted", "declined", "expired"]))
        .group_by(LeadEvent.partner_id, LeadEvent.action)
    ):
        counts[(partner_id, action)] = n
    load = dict(
        session.exec(
            select(LeadEvent.partner_id, func.count())
            .where(LeadEvent.action == "offered", LeadEvent.at >= month_start(now))
            .group_by(LeadEvent.partner_id)
        ).all()
    )
    wins: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for org_id, status, n in session.exec(
        select(Deal.organization_id, Deal.status, func.count())
        .where(col(Deal.status).in_(["won", "lost"]))
        .group_by(Deal.organization_id, Deal.status)
    ):
        wins[org_id][0 if status == "won" else 1] += n
    response: dict[int, list[float]] = defaultdict(list)
    for partner_id, offered_at, accepted_at in session.exec(
        select(Lead.partner_id, Lead.offered_at, Lead.accepted_at).where(
            col(Lead.accepted_at).is_not(None), col(Lead.offered_at).is_not(None)
        )
    ):
        response[partner_id].append((accepted_at - offered_at).total_seconds() / 3600)
    profiles = []
    for org_id, name, tier_rank, tier_name, rp in rows:
        answered = sum(counts.get((org_id, a), 0) for a in ("accepted", "declined", "expired"))
        won, lost = wins[org_id]
        profiles.append(
            PartnerCandidate(
                partner_id=org_id,
                name=name,
                countries=frozenset(_csv(rp.countries)),
                lat=rp.lat,
                lon=rp.lon,
                verticals=frozenset(_csv(rp.verticals)),
                certified_products=frozenset(int(p) for p in _csv(rp.certified_products) if p.isdigit()),
                capacity=rp.monthly_capacity,
                load=load.get(org_id, 0),
                tier_rank=tier_rank,
                tier_name=tier_name,
                acceptance_rate=counts.get((org_id, "accepted"), 0) / answered if answered else None,
                win_rate=won / (won + lost) if won + lost else None,
                median_response_hours=median(response[org_id]) if response[org_id] else None,
            )
        )
    return profiles


def lead_facts(session: Session, leads: list[Lead]) -> list[LeadFacts]:
    """The routing view of `leads`, in the same order."""
    ids = [lead.id for lead in leads]
    products: dict[int, set[int]] = defaultdict(set)
    certified_needed: dict[int, bool] = defaultdict(bool)
    declined: dict[int, set[int]] = defaultdict(set)
    if ids:
        for lead_id, product_id, needs in session.exec(
            select(LeadProduct.lead_id, LeadProduct.product_id, Product.requires_certification)
            .join(Product, Product.id == LeadProduct.product_id)
            .where(col(LeadProduct.lead_id).in_(ids))
        ):
            products[lead_id].add(product_id)
            certified_needed[lead_id] |= bool(needs)
        for lead_id, partner_id in session.exec(
            select(LeadDecline.lead_id, LeadDecline.partner_id).where(col(LeadDecline.lead_id).in_(ids))
        ):
            declined[lead_id].add(partner_id)
    return [
        LeadFacts(
            lead_id=lead.id,
            country=lead.country,
            lat=lead.lat,
            lon=lead.lon,
            vertical=lead.vertical,
            product_ids=frozenset(products[lead.id]),
            certification_required=certified_needed[lead.id],
            declined_by=frozenset(declined[lead.id]),
        )
        for lead in leads
    ]


def product_names(session: Session) -> dict[int, str]:
    return dict(session.exec(select(Product.id, Product.name)).all())
