"""Incentives and market development funds on one append-only ledger: commission plans with effective-dated rules,
rebate bands, MDF budgets → allocations → requests → claims, and payout batches that never pay twice.

The area's public API: other areas import from here only. `rules.py` is the pure part (rounding, FX, commission,
rebate and payout arithmetic); `ledger.post` is the one way money is written.
"""

from prm_app.incentives.claims import (
    PROOF_MAX_BYTES,
    PROOFS,
    add_claim_line,
    check_claimable,
    claim_file,
    claim_invoice,
    decide_claim_line,
    finish_claim_review,
    submit_claim,
)
from prm_app.incentives.clawbacks import reverse_deal_earnings, reverse_refund
from prm_app.incentives.commissions import accrue_deal, create_program, post_held_earnings, set_commission_rule
from prm_app.incentives.mdf import (
    allocate,
    create_budget,
    decide_fund_request,
    expire_fund_requests,
    expire_unclaimed_requests,
    submit_fund_request,
)
from prm_app.incentives.payout_queries import payout_batches
from prm_app.incentives.payouts import approve_batch, batch_csv, create_batch, fail_payout, mark_batch_paid
from prm_app.incentives.queries import (
    budgets,
    my_funds,
    my_statement,
    request_for_review,
    review_queue,
    statement_for,
)
from prm_app.incentives.rebates import create_rebate_program, my_rebates, rebate_programs
from prm_app.incentives.revaluation import RevaluationRun, RevaluationView, revaluations, revalue_due, revalue_period
from prm_app.incentives.spiffs import create_spiff, running_spiffs
from prm_app.incentives.statements import my_statement_csv, my_statement_pdf

__all__ = [
    "PROOFS",
    "PROOF_MAX_BYTES",
    "RevaluationRun",
    "RevaluationView",
    "accrue_deal",
    "add_claim_line",
    "allocate",
    "approve_batch",
    "batch_csv",
    "budgets",
    "check_claimable",
    "claim_file",
    "claim_invoice",
    "create_batch",
    "create_budget",
    "create_program",
    "create_rebate_program",
    "create_spiff",
    "decide_claim_line",
    "decide_fund_request",
    "expire_fund_requests",
    "expire_unclaimed_requests",
    "fail_payout",
    "finish_claim_review",
    "mark_batch_paid",
    "my_funds",
    "my_rebates",
    "my_statement",
    "my_statement_csv",
    "my_statement_pdf",
    "payout_batches",
    "post_held_earnings",
    "rebate_programs",
    "request_for_review",
    "revaluations",
    "revalue_due",
    "revalue_period",
    "reverse_deal_earnings",
    "reverse_refund",
    "review_queue",
    "running_spiffs",
    "set_commission_rule",
    "statement_for",
    "submit_claim",
    "submit_fund_request",
]
