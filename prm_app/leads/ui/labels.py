"""Display labels for the leads area's codes, in one place so every page says the same."""

from __future__ import annotations

from prm_app.leads.models import LeadStatus

LEAD_STATUS_LABELS: dict[LeadStatus, str] = {
    LeadStatus.NEW: "In queue",
    LeadStatus.PROPOSED: "Proposed",
    LeadStatus.OFFERED: "Offered",
    LeadStatus.ACCEPTED: "Accepted",
    LeadStatus.CONTACTED: "Contacted",
    LeadStatus.QUALIFIED: "Qualified",
    LeadStatus.DISQUALIFIED: "Disqualified",
    LeadStatus.CONVERTED: "Converted to deal",
}

# In the partner's own list an offer is news: it says so rather than "Offered".
NEW_OFFER = "New offer"


def lead_status_label(status: LeadStatus) -> str:
    return LEAD_STATUS_LABELS[status]


def vertical_label(vertical: str) -> str:
    """A canonical vertical ("financial services") as a choice in a list: "Financial Services"."""
    return vertical.title()


def source_label(source: str) -> str:
    """A canonical lead source ("inbound call") as a choice in a list: "Inbound Call"."""
    return source.title()
