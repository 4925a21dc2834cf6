"""What the app tells about possible conflicts, to each side: a partner learns only *that* another claim may cover
its customer (never whose, never what); the vendor sees the evidence with names, scores and reasons.

Both read through `matching.store.find_conflicts`; the scoring itself is the pure `matching.rules.assess`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from prm_app.deals.matching.rules import Subject, normalize_company_name, registrable_domain
from prm_app.deals.matching.store import find_conflicts, subject_of
from prm_app.deals.models import Deal, DealProduct, DealStatus
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.ratelimit import allow

# What a partner may learn while typing: only that the customer may already be registered. Never by whom, and
# never whether the other claim is a partner's or the vendor's own account. Each check is audited and limited
# per person, so the hint cannot be used to sweep through a list of customers.
CONFLICT_HINT = "This customer may already be registered. You can still submit; your channel manager will review it."
HINT_PAUSED = (
    "The live check pauses after many look-ups in a short time. "
    "You can still submit; your channel manager checks every registration."
)
HINT_RATE = "20/minute;200/day"  # per person: far above typing a few registrations, far below sweeping a list


def possible_conflict(
    session: Session, actor: Actor, customer_name: str, customer_site: str, now: datetime | None = None
) -> bool:
    """Whether a live registration of another organization, or a direct account, may cover this customer.

    The partner's own organization's registrations do not count. Says nothing about who holds the other claim.
    """
    actor.require(Permission.REGISTER_DEALS)
    name_norm = normalize_company_name(customer_name or "")
    domain = registrable_domain(customer_site or "") if customer_site else ""
    if not name_norm and not domain:
        return False
    subject = Subject(
        name=customer_name, name_norm=name_norm, domain=domain, product_ids=frozenset(), registered_at=None
    )
    matches = find_conflicts(session, subject, organization_id=actor.organization_id, now=now or utcnow())
    return any(not (isinstance(d, Deal) and d.organization_id == actor.organization_id) for _, d in matches)


def conflict_hint(
    session: Session, actor: Actor, customer_name: str, customer_site: str, now: datetime | None = None
) -> str:
    """For the live check while a partner types: CONFLICT_HINT when another claim may cover the customer, else "".

    The sentence is part of the guarantee (it names nobody), so it is decided here, not on the page. Every check
    is written to the audit log; past HINT_RATE per person the check answers HINT_PAUSED and looks nothing up.
    """
    actor.require(Permission.REGISTER_DEALS)
    customer_name, customer_site = (customer_name or "")[:200], (customer_site or "")[:254]
    if not normalize_company_name(customer_name) and not customer_site.strip():
        return ""  # nothing to look up (the fields were cleared): not counted
    if not allow("conflict-hint", HINT_RATE, str(actor.user_id)):
        audit(session, actor, "conflict_hint_paused", "deal", None, customer=customer_name, site=customer_site)
        return HINT_PAUSED
    found = possible_conflict(session, actor, customer_name, customer_site, now)
    audit(session, actor, "conflict_hint", "deal", None, customer=customer_name, site=customer_site, found=found)
    return CONFLICT_HINT if found else ""


@dataclass(frozen=True)
class Evidence:
    """One possible conflict of a registration, for the vendor's eyes only."""

    kind: str  # matching.store.REGISTRATION or DIRECT_ACCOUNT
    id: int  # the other registration's or direct account's id
    customer: str  # the customer's name on that record
    holder: str | None  # who holds that claim: the partner organization, or the direct account's sales rep
    status: DealStatus | None  # the other registration's status; None for a direct account
    score: int  # 0..100
    reasons: tuple[str, ...]  # word for word from the scoring, strongest evidence first
    protected: bool  # that claim is protected right now


def deal_products(session: Session, deal_id: int) -> frozenset[int]:
    """The ids of the products a registration names."""
    return frozenset(session.exec(select(DealProduct.product_id).where(DealProduct.deal_id == deal_id)).all())


def evidence(session: Session, deal: Deal, now: datetime) -> list[Evidence]:
    """Every live registration (but `deal` itself) and direct account that may be the same customer as `deal`,
    best match first. Callers have already checked that the actor may see it."""
    matches = find_conflicts(
        session,
        subject_of(deal, deal_products(session, saved_id(deal))),
        organization_id=deal.organization_id,
        now=now,
        exclude_deal_id=deal.id,
    )
    # find_conflicts pairs a REGISTRATION with a Deal and a DIRECT_ACCOUNT with a DirectAccount.
    org_ids = {record.organization_id for _, record in matches if isinstance(record, Deal)}
    org_names = (
        dict(session.exec(select(Organization.id, Organization.name).where(col(Organization.id).in_(org_ids))).all())
        if org_ids
        else {}
    )
    result = []
    for conflict, record in matches:
        customer, holder, status = (
            (record.customer_name, org_names.get(record.organization_id), DealStatus(record.status))
            if isinstance(record, Deal)
            else (record.name, record.rep_name, None)
        )
        result.append(
            Evidence(
                kind=conflict.kind,
                id=conflict.id,
                customer=customer,
                holder=holder,
                status=status,
                score=conflict.score,
                reasons=conflict.reasons,
                protected=conflict.protected,
            )
        )
    return result
