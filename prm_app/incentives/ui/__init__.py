"""The incentive pages: the partner's Incentives page, its fund requests and SPIFF claims; the managers' Incentives
page, a request's review, MDF budgets, SPIFF claims, payouts and FX revaluation."""

from prm_app.incentives.ui import (
    console,
    funds,
    payouts_page,
    portal,
    portal_request,
    rebates_page,
    revaluation_page,
    review,
    spiff_claim_page,
    spiff_review_page,
)

__all__ = [
    "console",
    "funds",
    "payouts_page",
    "portal",
    "portal_request",
    "rebates_page",
    "revaluation_page",
    "review",
    "spiff_claim_page",
    "spiff_review_page",
]
