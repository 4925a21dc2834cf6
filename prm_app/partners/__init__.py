"""Partner organizations, tiers, the directory and profiles, and each partner's team and invitations.

The area's public API: other areas import from here only. Reads return frozen dataclasses with raw values
(queries.py, team_queries.py); labels for codes are in labels.py.
"""

from prm_app.partners.benefits import benefit_number, benefits_of, register_benefit_reader
from prm_app.partners.labels import (
    PARTNER_TYPE_LABELS,
    Choice,
    address_line,
    country_name,
    filter_choices,
    type_label,
)
from prm_app.partners.logos import logo_file
from prm_app.partners.models import REGIONS, Organization, PartnerType, Tier
from prm_app.partners.people_table import PEOPLE_TABLE
from prm_app.partners.provisioning import NewPartner, check_channel_manager, provision_organization
from prm_app.partners.queries import (
    DirectoryEntry,
    DirectoryFilterOptions,
    DirectoryQuery,
    ManagerOption,
    TierOption,
    directory_filter_options,
    search_partners,
)
from prm_app.partners.relation_models import PartnerRelation, RelationKind
from prm_app.partners.relations import (
    RELATION_KIND_LABELS,
    RelationLine,
    Relations,
    add_relation,
    current_children,
    current_parents,
    end_relation,
    holds_now,
    parent_choices,
    partner_relations,
)
from prm_app.partners.report_filters import Filters, check_filters, org_filters, utc
from prm_app.partners.table import PARTNER_TABLE, partner_by_reference, partner_reference
from prm_app.partners.team import ImportedProfile, InviteCreated, invite_user
from prm_app.partners.team_queries import PersonHit, find_people

__all__ = [
    "PARTNER_TABLE",
    "PARTNER_TYPE_LABELS",
    "PEOPLE_TABLE",
    "REGIONS",
    "RELATION_KIND_LABELS",
    "Choice",
    "DirectoryEntry",
    "DirectoryFilterOptions",
    "DirectoryQuery",
    "Filters",
    "ImportedProfile",
    "InviteCreated",
    "ManagerOption",
    "NewPartner",
    "Organization",
    "PartnerRelation",
    "PartnerType",
    "PersonHit",
    "RelationKind",
    "RelationLine",
    "Relations",
    "Tier",
    "TierOption",
    "add_relation",
    "address_line",
    "benefit_number",
    "benefits_of",
    "check_channel_manager",
    "check_filters",
    "country_name",
    "current_children",
    "current_parents",
    "directory_filter_options",
    "end_relation",
    "filter_choices",
    "find_people",
    "holds_now",
    "invite_user",
    "logo_file",
    "org_filters",
    "parent_choices",
    "partner_by_reference",
    "partner_reference",
    "partner_relations",
    "provision_organization",
    "register_benefit_reader",
    "search_partners",
    "team",
    "type_label",
    "utc",
]
