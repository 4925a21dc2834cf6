"""Words the deals domain itself puts into messages (an error, a refusal), so they read the same on every page.

Everything else about how a registration looks lives with the pages (prm_app/deals/ui/display.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from prm_app.deals.conflicts import Evidence
from prm_app.deals.matching.store import REGISTRATION
from prm_app.deals.models import DealStatus

DEAL_STATUS_LABELS: dict[DealStatus, str] = {
    DealStatus.DRAFT: "Draft",
    DealStatus.SUBMITTED: "Submitted",
    DealStatus.INFO_REQUESTED: "More info requested",
    DealStatus.APPROVED: "Approved",
    DealStatus.REJECTED: "Rejected",
    DealStatus.WITHDRAWN: "Withdrawn",
    DealStatus.EXPIRED: "Expired",
    DealStatus.WON: "Won",
    DealStatus.LOST: "Lost",
}


def evidence_title(item: Evidence) -> str:
    """The other claim in one line: "Acme Corp — Registration #12 by Alpha Resellers (approved)" or
    "Globex — Direct account owned by Hank Scorpio" (what the reviewer reads and what a refusal names)."""
    if item.kind == REGISTRATION:
        status = item.status.value if item.status is not None else ""
        return f"{item.customer} — Registration #{item.id} by {item.holder or '?'} ({status})"
    return f"{item.customer} — Direct account owned by {item.holder or '?'}"


def approval_blocker(found: Iterable[Evidence]) -> str | None:
    """Why a registration with this conflict evidence cannot be approved now (it overlaps a claim that is protected
    right now), in the words the refusal uses; None when nothing blocks it. The review page shows it beside a
    disabled Approve, and `review.approve_deal` refuses with it."""
    first = next((e for e in found if e.protected), None)
    if first is None:
        return None
    return (
        f"Cannot approve: it overlaps {evidence_title(first)}, which is protected "
        f"({'; '.join(first.reasons)}). Reject it or wait until that protection ends."
    )
