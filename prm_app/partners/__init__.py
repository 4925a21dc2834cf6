"""Partner organizations, tiers, the directory and profiles, and each partner's team and invitations."""

from prm_app.partners.directory import directory_options, type_label
from prm_app.partners.models import PARTNER_TYPE_LABELS, REGIONS, Organization, PartnerType, Tier
from prm_app.partners.report_filters import Filters, check_filters, org_filters, utc

__all__ = [
    "PARTNER_TYPE_LABELS",
    "REGIONS",
    "Filters",
    "Organization",
    "PartnerType",
    "Tier",
    "check_filters",
    "directory_options",
    "org_filters",
    "team",
    "type_label",
    "utc",
]
