"""The incentive pages: the partner's Incentives page and its fund requests; the managers' Incentives page, a
request's review, MDF budgets and payouts."""

from prm_app.incentives.ui import console, funds, payouts_page, portal, portal_request, rebates_page, review

__all__ = ["console", "funds", "payouts_page", "portal", "portal_request", "rebates_page", "review"]
