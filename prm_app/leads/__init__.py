"""Lead intake, queues, explainable routing, offers with SLAs and recycling.

What other areas may use: the tables the dashboards read, recycling, reminders of offers about to expire and CSV
imports (background jobs), and the deal form's start from an accepted lead and the registration that converts it,
and the count of offers waiting for a partner (the Leads badge).
"""

from prm_app.leads.import_runs import LEAD_IMPORT, run_lead_import
from prm_app.leads.imports import UPLOADS
from prm_app.leads.models import Lead, LeadEvent
from prm_app.leads.my_leads import LeadDealPrefill, lead_deal_prefill, offers_waiting
from prm_app.leads.offer_reminders import ReminderRun, remind_expiring_offers
from prm_app.leads.offers import RecycleRun, recycle_overdue_leads, register_deal_from_lead
from prm_app.leads.queries import LeadHit, find_leads

__all__ = [
    "LEAD_IMPORT",
    "UPLOADS",
    "Lead",
    "LeadDealPrefill",
    "LeadEvent",
    "LeadHit",
    "RecycleRun",
    "ReminderRun",
    "find_leads",
    "lead_deal_prefill",
    "offers_waiting",
    "recycle_overdue_leads",
    "register_deal_from_lead",
    "remind_expiring_offers",
    "run_lead_import",
]
