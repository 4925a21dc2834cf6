"""Tiering: programs per partner type over the ranked tiers, criteria in AND/OR groups, benefits with effective
dates, explainable evaluations (`evaluate_tiers`), grace before demotion, proposals managers decide, manual
overrides a second manager approves, a partner's progress page and the managers' what-if.

The area's public API: other areas import from here only. The evaluation is in evaluate.py (the scheduled job calls
`evaluate_tiers`), managers' use cases in service.py, reads in queries.py, pure rules in rules.py.
"""

from prm_app.tiering.custom_metrics import CustomMetricsPage, custom_metrics_page, enter_custom_metric
from prm_app.tiering.evaluate import EvaluationRun, change_tier, evaluate_due, evaluate_tiers
from prm_app.tiering.metrics import EXTRA_SOURCES
from prm_app.tiering.models import (
    CustomMetricValue,
    ProgramTier,
    TierBenefit,
    TierChange,
    TierCriterion,
    TierEvaluation,
    TierOverride,
    TierProgram,
    TierProposal,
)
from prm_app.tiering.overrides import (
    PendingOverride,
    ask_override,
    decide_override,
    override_by_name,
    override_tier,
    pending_overrides,
)
from prm_app.tiering.queries import MyTier, Overview, my_tier, overview
from prm_app.tiering.service import (
    WhatIfMove,
    add_benefit,
    decide_proposal,
    reevaluate_now,
    remove_benefit,
    remove_criterion,
    save_criterion,
    save_program,
    set_custom_metric,
    what_if,
)

__all__ = [
    "EXTRA_SOURCES",
    "CustomMetricValue",
    "CustomMetricsPage",
    "EvaluationRun",
    "MyTier",
    "Overview",
    "PendingOverride",
    "ProgramTier",
    "TierBenefit",
    "TierChange",
    "TierCriterion",
    "TierEvaluation",
    "TierOverride",
    "TierProgram",
    "TierProposal",
    "WhatIfMove",
    "add_benefit",
    "ask_override",
    "change_tier",
    "custom_metrics_page",
    "decide_override",
    "decide_proposal",
    "enter_custom_metric",
    "evaluate_due",
    "evaluate_tiers",
    "my_tier",
    "override_by_name",
    "override_tier",
    "overview",
    "pending_overrides",
    "reevaluate_now",
    "remove_benefit",
    "remove_criterion",
    "save_criterion",
    "save_program",
    "set_custom_metric",
    "what_if",
]
