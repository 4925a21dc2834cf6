"""Audience rules: who a course, asset, checklist or program is for, and why a partner can or cannot see it;
named partner groups that rules address. Every area that shows partners something to some of them uses this.

    rule = AudienceRule.from_json(asset.audience)
    v = verdict(rule, partner_facts(session, actor.organization_id))
    v.visible, v.reasons, v.locked_from_tier

Forms embed `prm_app.audience.ui.audience_editor` and parse what it sends with `rule_from_form`.
"""

from prm_app.audience.facts import (
    all_partner_facts,
    audience_names,
    audience_options,
    languages_of,
    partner_facts,
    register_fact_source,
)
from prm_app.audience.form import AudienceForm, AudienceOptions, form_of, options_of, rule_from_form, rule_with_errors
from prm_app.audience.groups import (
    GroupDetail,
    GroupSummary,
    add_partner,
    create_group,
    group_detail,
    list_groups,
    remove_partner,
    rename_group,
)
from prm_app.audience.models import PartnerGroup, PartnerGroupMember
from prm_app.audience.rules import (
    AudienceRule,
    Names,
    PartnerFacts,
    Verdict,
    check_rule,
    describe,
    language_name,
    verdict,
)

__all__ = [
    "AudienceForm",
    "AudienceOptions",
    "AudienceRule",
    "GroupDetail",
    "GroupSummary",
    "Names",
    "PartnerFacts",
    "PartnerGroup",
    "PartnerGroupMember",
    "Verdict",
    "add_partner",
    "all_partner_facts",
    "audience_names",
    "audience_options",
    "check_rule",
    "create_group",
    "describe",
    "form_of",
    "group_detail",
    "language_name",
    "languages_of",
    "list_groups",
    "options_of",
    "partner_facts",
    "register_fact_source",
    "remove_partner",
    "rename_group",
    "rule_from_form",
    "rule_with_errors",
    "verdict",
]
