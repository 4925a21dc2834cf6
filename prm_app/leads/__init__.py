"""Lead intake, queues, explainable routing, offers with SLAs and recycling.

What other areas may use: the tables the dashboards read, recycling and reminders of offers about to expire
(background jobs), the leads' CSV table (prm_app/dataio imports and exports it), and the deal form's start from an
accepted lead and the registration that converts it,
and the count of offers waiting for a partner (the Leads badge); and the use cases the REST API runs as a key's actor
(add, route, offer, accept, decline, a partner's own leads, the queues a manager works).
"""

from prm_app.leads.assignment import assign_by_hand
from prm_app.leads.models import DECLINE_REASONS, QUEUED, Lead, LeadEvent, LeadProduct, LeadStatus
from prm_app.leads.my_leads import LeadDealPrefill, MyLeadDetail, get_my_lead, lead_deal_prefill, offers_waiting
from prm_app.leads.offer_reminders import ReminderRun, remind_expiring_offers
from prm_app.leads.offers import (
    RecycleRun,
    accept_lead,
    decline_lead,
    recycle_overdue_leads,
    register_deal_from_lead,
)
from prm_app.leads.passing import pass_choices, pass_lead
from prm_app.leads.queries import LeadHit, find_leads
from prm_app.leads.queue_access import my_queues
from prm_app.leads.routing_runs import RoutingRun, confirm_proposals, route_leads
from prm_app.leads.store import add_lead
from prm_app.leads.table import LEAD_TABLE
from prm_app.leads.vocabulary import HEADERS as LEAD_FIELDS

__all__ = [
    "DECLINE_REASONS",
    "LEAD_FIELDS",
    "LEAD_TABLE",
    "QUEUED",
    "Lead",
    "LeadDealPrefill",
    "LeadEvent",
    "LeadHit",
    "LeadProduct",
    "LeadStatus",
    "MyLeadDetail",
    "RecycleRun",
    "ReminderRun",
    "RoutingRun",
    "accept_lead",
    "add_lead",
    "assign_by_hand",
    "confirm_proposals",
    "decline_lead",
    "find_leads",
    "get_my_lead",
    "lead_deal_prefill",
    "my_queues",
    "offers_waiting",
    "pass_choices",
    "pass_lead",
    "recycle_overdue_leads",
    "register_deal_from_lead",
    "remind_expiring_offers",
    "route_leads",
]
