"""The names people read for the dashboards' codes: measures, funnel steps, waiting times and groups (the
scorecard's figures are named in the catalogue, analytics/locales). The reports carry codes and numbers only; the
charts (charts.py) and the pages (ui/display.py) use these.

Not in ui/: charts.py, outside ui/, needs them too, and importing prm_app.analytics.ui would register the pages.
"""

from __future__ import annotations

from prm_app.partners import type_label

MEASURE_LABELS = {"logins": "Logins", "registrations": "Deal registrations", "acceptances": "Lead acceptances"}
GROUPING_LABELS = {"partner_type": "partner type", "tier": "tier", "region": "region"}  # "... by partner type"
FUNNEL_LABELS = {"offered": "Leads offered", "accepted": "Accepted", "converted": "Converted to deal", "won": "Won"}
STAGE_STATUS_LABELS = {"registered": "Awaiting review", "approved": "Approved"}
NO_REGION = "—"


def group_name(by: str, key: str | None) -> str:
    """A group of partners as people call it: a partner type by its label, a tier by its name, a region as it is
    ("—" for partners without one)."""
    if by == "partner_type":
        return type_label(key or "")
    if by == "region":
        return key or NO_REGION
    return str(key)


def grouping_name(by: str) -> str:
    """'partner_type' -> 'partner type' (for titles: "Won revenue by partner type")."""
    return GROUPING_LABELS.get(by, by)


def age_label(from_days: int, until_days: int | None) -> str:
    """A waiting time of [from_days, until_days) whole days: (0, 3) -> "0-2 days", (31, None) -> "31+ days"."""
    return f"{from_days}+ days" if until_days is None else f"{from_days}-{until_days - 1} days"
