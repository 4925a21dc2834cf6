"""Words for the partners area's codes, so a partner type or a country reads the same on every page and report.

The reads (queries.py, team_queries.py) return the codes; pages and reports turn them into words here.
"""

from __future__ import annotations

import pycountry

from prm_app.partners.models import PartnerType

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


def country_name(code: str) -> str:
    """The English name of an ISO 3166 alpha-2 code ("DE" -> "Germany"); an unknown code is shown as it is."""
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code
