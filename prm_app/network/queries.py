"""What a distributor (or master agent) reads of the partners below it today: each one's tier, its certified people
and certifications, and the registrations it shared with the distributor (open pipeline, won this year).

Only what the resellers share counts: a registration kept from the distributor ("do not share") is neither listed
nor counted, nor is its existence hinted at (deals.scope.shared_with is the one rule). The figures are views over
the resellers' own rows, never copies, so nothing here adds to a tier or to the program's revenue.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from prm_app.deals import LIVE_STATUSES, Deal, DealStatus, shared_with
from prm_app.partners import Organization, PartnerRelation, RelationKind, Tier
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.training import certification_holders, certification_names, certified_people

CHILD_LABELS = {RelationKind.DISTRIBUTOR: "Reseller", RelationKind.MASTER_AGENT: "Agent"}


@dataclass(frozen=True)
class ResellerSummary:
    id: int
    name: str
    kind: str  # "Reseller" or "Agent"
    since: date
    tier: str
    certified_people: int
    certifications: tuple[str, ...]  # the names of the certifications its people hold live, by name
    open_deals: int  # shared registrations in review or approved
    open_pipeline: tuple[tuple[str, Decimal], ...]  # (currency, estimated value) largest first
    won_deals: int  # shared registrations won since 1 January (UTC)
    won_this_year: tuple[tuple[str, Decimal], ...]  # (currency, final amount) largest first


def _by_currency(rows: dict[str, Decimal]) -> tuple[tuple[str, Decimal], ...]:
    return tuple(sorted(((c, v) for c, v in rows.items() if v), key=lambda cv: (-cv[1], cv[0])))


def my_resellers(session: Session, actor: Actor, now: datetime | None = None) -> list[ResellerSummary]:
    """The actor's organization's resellers and agents today, by name; [] for a partner with none."""
    actor.require(Permission.REGISTER_DEALS)
    org = actor.organization_id
    now = now or utcnow()
    rows = session.exec(
        select(Organization.id, Organization.name, PartnerRelation, Tier.name)
        .join(PartnerRelation, col(PartnerRelation.child_id) == Organization.id)
        .join(Tier, col(Tier.id) == Organization.tier_id)
        .where(col(PartnerRelation.parent_id) == org, col(PartnerRelation.valid_from) <= now.date())
        .where(or_(col(PartnerRelation.valid_to).is_(None), col(PartnerRelation.valid_to) > now.date()))
        .order_by(col(Organization.name_lower), col(PartnerRelation.valid_from))
    ).all()
    first: dict[int, tuple[str, str, date, str]] = {}
    for oid, name, relation, tier in rows:
        if oid is not None and oid not in first:
            first[oid] = (name, relation.kind, relation.valid_from, tier)
    ids = list(first)
    if not ids:
        return []
    people = certified_people(session, ids)
    held = certification_holders(session, ids)
    names = certification_names(session)
    shared = (col(Deal.organization_id).in_(ids), shared_with(org))
    open_count: dict[int, int] = defaultdict(int)
    pipeline: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for oid, currency, count, total in session.exec(
        select(Deal.organization_id, Deal.currency, func.count(), func.sum(Deal.estimated_value))
        .where(*shared, col(Deal.status).in_([s.value for s in LIVE_STATUSES]))
        .group_by(col(Deal.organization_id), col(Deal.currency))
    ).all():
        open_count[oid] += count
        pipeline[oid][currency] += Decimal(total or 0)
    year_start = datetime(now.year, 1, 1, tzinfo=UTC)
    won_count: dict[int, int] = defaultdict(int)
    won: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for oid, currency, count, final in session.exec(
        select(Deal.organization_id, Deal.currency, func.count(), func.sum(Deal.final_amount))
        .where(*shared, col(Deal.status) == DealStatus.WON, col(Deal.closed_at) >= year_start)
        .group_by(col(Deal.organization_id), col(Deal.currency))
    ).all():
        won_count[oid] += count
        won[oid][currency] += Decimal(final or 0)
    return [
        ResellerSummary(
            id=oid,
            name=name,
            kind=CHILD_LABELS.get(RelationKind(kind), "Reseller"),
            since=since,
            tier=tier,
            certified_people=people.get(oid, 0),
            certifications=tuple(sorted(names.get(code, code) for code in held.get(oid, ()))),
            open_deals=open_count[oid],
            open_pipeline=_by_currency(pipeline[oid]),
            won_deals=won_count[oid],
            won_this_year=_by_currency(won[oid]),
        )
        for oid, (name, kind, since, tier) in first.items()
    ]
