"""Words for the partners area's codes, so a partner type or a country reads the same on every page and report.

The reads (queries.py, team_queries.py) return the codes; pages and reports turn them into words here.
"""

from __future__ import annotations

from dataclasses import dataclass

from prm_app.partners.models import Organization, PartnerType
from prm_app.partners.queries import DirectoryFilterOptions
from prm_app.platform.i18n import country_shown
from prm_app.platform.places import country_name  # one name per country on every page (re-exported here)

__all__ = ["PARTNER_TYPE_LABELS", "Choice", "address_line", "country_name", "filter_choices", "type_label"]

PARTNER_TYPE_LABELS: dict[PartnerType, str] = {
    PartnerType.RESELLER: "Reseller",
    PartnerType.VAR: "VAR",
    PartnerType.MSP: "MSP",
    PartnerType.ISV: "ISV",
    PartnerType.SYSTEM_INTEGRATOR: "System integrator",
    PartnerType.DISTRIBUTOR: "Distributor",
    PartnerType.REFERRAL: "Referral",
    PartnerType.AFFILIATE: "Affiliate",
}


def type_label(partner_type: str) -> str:
    """The label of a stored partner type ("var" -> "VAR"); an unknown code is shown as it is."""
    try:
        return PARTNER_TYPE_LABELS[PartnerType(partner_type)]
    except ValueError:
        return partner_type


@dataclass(frozen=True)
class Choice:
    """One option of a filter's select (values as text: that is what a select sends back)."""

    value: str
    label: str


def filter_choices(options: DirectoryFilterOptions) -> dict[str, list[Choice]]:
    """The directory's filter options labelled for a select (the directory and the dashboards), keyed by filter:
    "types", "tiers", "regions", "managers"."""
    return {
        "types": [Choice(value=t.value, label=PARTNER_TYPE_LABELS[t]) for t in options.types],
        "tiers": [Choice(value=str(t.id), label=t.name) for t in options.tiers],
        "regions": [Choice(value=r, label=r) for r in options.regions],
        "managers": [Choice(value=str(m.id), label=m.name) for m in options.managers],
    }


def address_line(org: Organization, language: str) -> str:
    """The organization's address on one line, its country named in `language` ("…, 01067 Dresden, Deutschland")."""
    town = " ".join(p for p in (org.postal_code, org.city) if p)
    return ", ".join(p for p in (org.street, town, country_shown(org.country, language)) if p)
