"""Lead intake, queues, explainable routing, offers with SLAs and recycling."""

from prm_app.leads.models import Lead, LeadEvent
from prm_app.leads.offers import recycle_overdue_leads, register_deal_from_lead
from prm_app.leads.queues import lead_deal_prefill

__all__ = [
    "Lead",
    "LeadEvent",
    "lead_deal_prefill",
    "offers",
    "queues",
    "recycle_overdue_leads",
    "register_deal_from_lead",
]
