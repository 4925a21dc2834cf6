"""What routing needs from the database, read in a few aggregate queries: every partner that takes leads as a
candidate (its routing profile with its current load and track record), each lead's facts, and product names.
Returns the pure dataclasses of prm_app/leads/routing_model.py. A partner's tier weight is its tier's
lead-routing weight benefit in effect today (partners.benefit_number), so a new tier or benefit routes by itself."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from statistics import median

from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import Select

from prm_app.deals import Deal, Product
from prm_app.leads.models import Lead, LeadDecline, LeadEvent, LeadProduct, RoutingProfile
from prm_app.leads.routing_model import LeadFacts, PartnerCandidate
from prm_app.partners import Organization, Tier, benefit_number
from prm_app.platform.db import saved_id


def _csv(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def month_start(now: datetime) -> datetime:
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def partner_candidates(session: Session, now: datetime) -> list[PartnerCandidate]:
    """Every partner that takes leads, with this month's load and its history, ordered by id."""
    # Select(...) is what select() builds for several columns; select() itself is typed for at most 4
    columns: Select[int, str, int, str, RoutingProfile, str, int] = Select(
        col(Organization.id),
        col(Organization.name),
        col(Tier.rank),
        col(Tier.name),
        RoutingProfile,
        col(Organization.partner_type),
        col(Organization.tier_id),
    )
    rows = session.exec(
        columns.join(RoutingProfile, col(RoutingProfile.organization_id) == Organization.id)
        .join(Tier, col(Tier.id) == Organization.tier_id)
        .where(RoutingProfile.accepts_leads)
        .order_by(col(Organization.id))
    ).all()
    # keyed by the events' partner_id, which is None on events no partner took part in (none of these actions)
    counts: dict[tuple[int | None, str], int] = {}
    for partner_id, action, n in session.exec(
        select(LeadEvent.partner_id, LeadEvent.action, func.count())
        .where(col(LeadEvent.action).in_(["offered", "accepted", "declined", "expired"]))
        .group_by(col(LeadEvent.partner_id), col(LeadEvent.action))
    ):
        counts[(partner_id, action)] = n
    load: dict[int | None, int] = dict(
        session.exec(
            select(LeadEvent.partner_id, func.count())
            .where(LeadEvent.action == "offered", LeadEvent.at >= month_start(now))
            .group_by(col(LeadEvent.partner_id))
        ).all()
    )
    wins: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for org_id, status, n in session.exec(
        select(Deal.organization_id, Deal.status, func.count())
        .where(col(Deal.status).in_(["won", "lost"]))
        .group_by(col(Deal.organization_id), col(Deal.status))
    ):
        wins[org_id][0 if status == "won" else 1] += n
    response: dict[int | None, list[float]] = defaultdict(list)
    for partner_id, offered_at, accepted_at in session.exec(
        select(Lead.partner_id, Lead.offered_at, Lead.accepted_at).where(
            col(Lead.accepted_at).is_not(None), col(Lead.offered_at).is_not(None)
        )
    ):
        if accepted_at is not None and offered_at is not None:  # always: the query asks for both
            response[partner_id].append((accepted_at - offered_at).total_seconds() / 3600)
    # A weight is a benefit of the partner's tier (in its partner type's program): read once per type and tier
    weights: dict[tuple[str, int], float | None] = {}
    profiles = []
    for org_id, name, tier_rank, tier_name, rp, partner_type, tier_id in rows:
        if (partner_type, tier_id) not in weights:
            weight = benefit_number(session, org_id, "lead_weight", now.date())
            weights[(partner_type, tier_id)] = None if weight is None or weight < 0 else float(weight)
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
                tier_weight=weights[(partner_type, tier_id)],
            )
        )
    return profiles


def lead_facts(session: Session, leads: Sequence[Lead]) -> list[LeadFacts]:
    """The routing view of `leads`, in the same order."""
    ids = [saved_id(lead) for lead in leads]
    products: dict[int, set[int]] = defaultdict(set)
    certified_needed: dict[int, bool] = defaultdict(bool)
    declined: dict[int, set[int]] = defaultdict(set)
    if ids:
        for lead_id, product_id, needs in session.exec(
            select(LeadProduct.lead_id, LeadProduct.product_id, Product.requires_certification)
            .join(Product, col(Product.id) == LeadProduct.product_id)
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
            lead_id=lead_id,
            country=lead.country,
            lat=lead.lat,
            lon=lead.lon,
            vertical=lead.vertical,
            product_ids=frozenset(products[lead_id]),
            certification_required=certified_needed[lead_id],
            declined_by=frozenset(declined[lead_id]),
        )
        for lead, lead_id in zip(leads, ids, strict=True)
    ]


def product_names(session: Session) -> dict[int, str]:
    # a primary key read back is never None: the filter only tells the type checker so
    return {i: name for i, name in session.exec(select(Product.id, Product.name)).all() if i is not None}
