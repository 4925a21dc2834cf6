"""The partner's own leads (list and detail) and a deal form's start from an accepted lead, all reached through
`my_lead`: offered to, accepted or worked by the actor's organization only."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from prm_app.deals import Product
from prm_app.leads.models import LEAD_STATUS_LABELS, QUEUED, Lead, LeadProduct, LeadStatus
from prm_app.leads.partner_access import my_lead
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import PermissionDenied


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
    lead = my_lead(session, actor, lead_id)
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
    lead = my_lead(session, actor, lead_id)
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
