"""MDF rules on plain data (no session, no I/O): the proof checklist of each activity type, the return on a fund
(ROI, cost per lead) and the allocation a tier's MDF share suggests.

Rounding is incentives.rules.to_minor's (half-even to the currency's minor unit); nothing here rounds on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from prm_app.incentives.rules import HUNDRED, to_minor

# The proof each activity type's claim must carry besides the invoice on every cost line: (item, what to upload).
# A claim cannot be submitted while one of these has no file.
PROOF_ITEMS: dict[str, tuple[tuple[str, str], ...]] = {
    "event": (("photos", "Photos of the event"), ("attendees", "Attendee list")),
    "digital_campaign": (("screenshots", "Screenshots of the ads"), ("lead_list", "The campaign's lead list")),
    "content_syndication": (("lead_list", "The syndication partner's lead list"),),
    "training": (("attendance", "Attendance sheet"),),
}


def proof_items(activity_type: str) -> tuple[tuple[str, str], ...]:
    """The checklist of an activity type, in order (none for an unknown type)."""
    return PROOF_ITEMS.get(activity_type, ())


def missing_proofs(activity_type: str, provided: Iterable[str]) -> dict[str, str]:
    """The checklist items with no file yet, each with the message shown next to it: {item: message}."""
    have = set(provided)
    items = proof_items(activity_type)
    return {item: f"Upload a file for “{label}” first." for item, label in items if item not in have}


def roi(won_revenue: Decimal, reimbursed: Decimal) -> Decimal | None:
    """Attributed won revenue per unit of funds reimbursed (3.5 means 3.50 of revenue for each 1 paid), to two
    decimals half-even; None before anything was reimbursed (no return on nothing)."""
    if reimbursed <= 0:
        return None
    return (won_revenue / reimbursed).quantize(Decimal("0.01"))


def cost_per_lead(reimbursed: Decimal, leads: int, currency: str) -> Decimal | None:
    """Funds reimbursed per lead the activity brought, at the currency's minor unit; None with no lead or no money."""
    if leads <= 0 or reimbursed <= 0:
        return None
    return to_minor(reimbursed / Decimal(leads), currency)


def suggested_allocation(budget: Decimal, share_pct: Decimal, currency: str) -> Decimal:
    """A partner's suggested share of a budget: its tier's MDF share (a percentage) of the whole budget."""
    if share_pct <= 0:
        return Decimal(0)
    return to_minor(budget * share_pct / HUNDRED, currency)
