"""The partner's own leads (list and detail) and a deal form's start from an accepted lead, all reached through
`my_lead`: offered to, accepted or worked by the actor's organization only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, col, func, select

from prm_app.deals import Product
from prm_app.leads.models import QUEUED, WORKABLE, Lead, LeadProduct, LeadStatus
from prm_app.leads.partner_access import my_lead
from prm_app.partners import current_parents
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import PermissionDenied


def offers_waiting(session: Session, actor: Actor, now: datetime | None = None) -> int:
    """How many leads wait for the actor's organization to accept or decline: offered to it, deadline not yet
    passed (0 for anyone who does not work leads). The Leads badge in the portal's navigation, on every page:
    one count on the (partner_id, status) index."""
    if not actor.can(Permission.WORK_LEADS) or actor.organization_id is None:
        return 0
    return session.exec(
        select(func.count())
        .select_from(Lead)
        .where(
            col(Lead.partner_id) == actor.organization_id,
            col(Lead.status) == LeadStatus.OFFERED,
            col(Lead.accept_deadline) > (now or utcnow()),
        )
    ).one()


@dataclass(frozen=True)
class MyLead:
    """One line of the partner's list of leads."""

    id: int
    company: str
    status: LeadStatus
    city: str
    country: str
    vertical: str  # "" when unknown
    accept_deadline: datetime | None  # as stored; it runs only while the lead is offered
    overdue: bool  # offered and its deadline reached at the `now` of the read


def list_my_leads(session: Session, actor: Actor, now: datetime | None = None) -> list[MyLead]:
    """The partner organization's leads (offered, accepted, worked), newest offer first, at most 100."""
    actor.require(Permission.WORK_LEADS)
    now = now or utcnow()
    leads = session.exec(
        select(Lead)
        .where(Lead.partner_id == actor.organization_id, col(Lead.status).not_in([s.value for s in QUEUED]))
        .order_by(col(Lead.offered_at).desc(), col(Lead.id).desc())
        .limit(100)
    ).all()
    return [
        MyLead(
            id=saved_id(lead),
            company=lead.company,
            status=LeadStatus(lead.status),
            city=lead.city,
            country=lead.country,
            vertical=lead.vertical,
            accept_deadline=lead.accept_deadline,
            overdue=bool(lead.status == LeadStatus.OFFERED and lead.accept_deadline and lead.accept_deadline <= now),
        )
        for lead in leads
    ]


@dataclass(frozen=True)
class MyLeadDetail:
    """One of the partner's leads, whole."""

    id: int
    company: str
    domain: str
    status: LeadStatus
    contact_name: str | None  # None while the lead is only offered: the person is shown once the partner accepts
    contact_email: str | None
    city: str
    postcode: str
    country: str
    vertical: str  # "" when unknown
    products: tuple[str, ...]  # product names, alphabetical
    estimated_size: Decimal | None
    currency: str
    accept_deadline: datetime | None
    status_note: str
    deal_id: int | None  # the registration it became


def get_my_lead(session: Session, actor: Actor, lead_id: int) -> MyLeadDetail:
    """The lead, if the actor's organization may see it (else NotFound). While it is only offered, the customer's
    contact person stays hidden: company, place, product interest and size are enough to decide, and a partner
    that declines never learns whom to call."""
    lead = my_lead(session, actor, lead_id)
    hidden = lead.status == LeadStatus.OFFERED
    products = session.exec(
        select(Product.name)
        .join(LeadProduct, col(LeadProduct.product_id) == Product.id)
        .where(LeadProduct.lead_id == lead.id)
        .order_by(Product.name)
    ).all()
    return MyLeadDetail(
        id=saved_id(lead),
        company=lead.company,
        domain=lead.domain,
        status=LeadStatus(lead.status),
        contact_name=None if hidden else lead.contact_name,
        contact_email=None if hidden else lead.contact_email,
        city=lead.city,
        postcode=lead.postcode,
        country=lead.country,
        vertical=lead.vertical,
        products=tuple(products),
        estimated_size=lead.estimated_size,
        currency=lead.currency,
        accept_deadline=lead.accept_deadline,
        status_note=lead.status_note,
        deal_id=lead.deal_id,
    )


@dataclass(frozen=True)
class LeadDealPrefill:
    """What a deal registration starts from when it comes from an accepted lead."""

    lead_id: int
    customer_name: str
    customer_site: str
    country: str
    contact_name: str
    contact_email: str
    estimated_size: Decimal | None  # in the lead's currency (USD today)
    product_ids: tuple[int, ...]  # ascending
    distributor_id: int | None = None  # the distributor that passed the lead on, while it still is the partner's


def lead_deal_prefill(session: Session, actor: Actor, lead_id: int) -> LeadDealPrefill:
    """The deal registration form's starting values for a lead the actor's organization accepted (and may be
    working); PermissionDenied before it is accepted, NotFound if it is not the organization's."""
    lead = my_lead(session, actor, lead_id)
    if lead.status not in WORKABLE:
        raise PermissionDenied("Accept the lead before registering a deal from it.")
    product_ids = session.exec(
        select(LeadProduct.product_id).where(LeadProduct.lead_id == lead.id).order_by(col(LeadProduct.product_id))
    ).all()
    return LeadDealPrefill(
        lead_id=saved_id(lead),
        customer_name=lead.company,
        customer_site=lead.domain,
        country=lead.country,
        contact_name=lead.contact_name,
        contact_email=lead.contact_email,
        estimated_size=lead.estimated_size,
        product_ids=tuple(product_ids),
        distributor_id=lead.passed_by_id
        if lead.passed_by_id in dict(current_parents(session, actor.organization_id or 0))
        else None,
    )
