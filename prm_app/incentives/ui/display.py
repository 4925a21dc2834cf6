"""What the incentive pages show, formatted once: amounts in their currency's own decimals (JPY none, KWD three),
days and moments in the viewer's zone, statuses in words, and each earning's plain-words explanation with its
payable date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from decimal import Decimal

from prm_app.incentives.payout_queries import BatchView
from prm_app.incentives.queries import EarningLine, RequestView, Totals
from prm_app.incentives.rebates import RebateProgress
from prm_app.incentives.rules import ACTIVITY_TYPES, LINE_DECISIONS, PROOF_CHECKLIST, minor_units, to_minor
from prm_app.web.format import DASH, day

EARNING_STATUS = {
    "accrued": "Accrued (holding)",
    "payable": "Payable",
    "in_payout": "In a payout",
    "paid": "Paid",
    "payout": "Payout",
}
REQUEST_STATUS = {
    "submitted": "Waiting for review",
    "info_requested": "Question for you",
    "approved": "Approved",
    "rejected": "Returned for changes",
    "declined": "Declined",
    "claimed": "Claimed and paid",
    "expired": "Expired",
}
CLAIM_STATUS = {
    "": "Not started",
    "draft": "Draft",
    "submitted": "Under review",
    "returned": "Returned",
    "approved": "Approved",
}


def amount(value: Decimal | None, currency: str) -> str:
    """12500.5 USD -> "12,500.50 USD"; 1234 JPY -> "1,234 JPY"; 1.5 KWD -> "1.500 KWD"."""
    if value is None:
        return DASH
    return f"{to_minor(value, currency):,.{minor_units(currency)}f} {currency}"


@dataclass(frozen=True)
class TotalsRow:
    currency: str = ""
    accrued: str = ""
    payable: str = ""
    in_payout: str = ""
    paid: str = ""


def totals_row(t: Totals) -> TotalsRow:
    c = t.currency
    return TotalsRow(
        currency=c,
        accrued=amount(t.accrued, c),
        payable=amount(t.payable, c),
        in_payout=amount(t.in_payout, c),
        paid=amount(t.paid, c),
    )


@dataclass(frozen=True)
class EarningRow:
    id: int = 0
    day: str = ""
    what: str = ""
    amount: str = ""
    status: str = ""
    when_payable: str = ""
    fx: str = ""
    reason: str = ""  # a reversal's reason


def earning_row(line: EarningLine, zone: tzinfo, now: datetime) -> EarningRow:
    when = ""
    if line.status == "accrued" and line.payable_from is not None:
        when = f"payable from {day(line.payable_from, zone)}"
    elif line.status == "payable":
        when = "in the next payout"
    fx = ""
    if line.source_currency != line.currency:
        fx = f"{amount(line.source_amount, line.source_currency)} at {line.fx_rate.normalize():f} ({day(line.fx_date)})"
    return EarningRow(
        id=line.id,
        day=day(line.at, zone),
        what=line.explanation or line.kind,
        amount=amount(line.amount, line.currency),
        status=EARNING_STATUS.get(line.status, line.status),
        when_payable=when,
        fx=fx,
        reason=line.reason,
    )


@dataclass(frozen=True)
class LineRow:
    id: int = 0
    description: str = ""
    invoice: str = ""
    claimed: str = ""
    final: str = ""
    status: str = ""
    note: str = ""
    file_name: str = ""
    duplicate: str = ""
    pending: bool = False


@dataclass(frozen=True)
class RequestRow:
    id: int = 0
    partner: str = ""
    title: str = ""
    activity: str = ""
    dates: str = ""
    expected_leads: int = 0
    requested: str = ""
    contribution: str = ""
    status: str = ""
    status_code: str = ""
    approved: str = ""
    deadline: str = ""
    note: str = ""
    claim_status: str = ""
    claim_code: str = ""
    checklist: str = ""
    can_claim: bool = False
    can_resubmit: bool = False
    lines: list[LineRow] = field(default_factory=list)


def request_row(r: RequestView, today: date) -> RequestRow:
    c = r.currency
    deadline = ""
    if r.status == "approved" and r.claim_due_on is not None and r.approved_amount is not None:
        share = to_minor(r.approved_amount * Decimal(r.reimbursement_pct or 100) / 100, c)
        deadline = (
            f"Claim by {day(r.claim_due_on)} or lose {amount(share, c)}"
            if today <= r.claim_due_on
            else f"The claim deadline was {day(r.claim_due_on)}"
        )
    approved = ""
    if r.approved_amount is not None:
        approved = f"{amount(r.approved_amount, c)} at {r.reimbursement_pct} % reimbursement"
    lines = [
        LineRow(
            id=line.id,
            description=line.description,
            invoice=line.invoice_number,
            claimed=amount(line.amount_claimed, c),
            final=amount(line.final_amount, c),
            status=LINE_DECISIONS.get(line.status, "Waiting for review"),
            note=line.reviewer_note,
            file_name=line.file_name,
            pending=line.status == "pending",
            duplicate=("Same invoice (file or number) as claim line " + ", ".join(f"#{i}" for i in line.duplicate_of))
            if line.duplicate_of
            else "",
        )
        for line in r.lines
    ]
    open_claim = r.claim_status in ("", "draft", "returned")
    return RequestRow(
        id=r.id,
        partner=r.organization,
        title=r.title,
        activity=ACTIVITY_TYPES.get(r.activity_type, r.activity_type),
        dates=f"{day(r.starts_on)} – {day(r.ends_on)}",
        expected_leads=r.expected_leads,
        requested=amount(r.requested_amount, c),
        contribution=amount(r.partner_contribution, c),
        status=REQUEST_STATUS.get(r.status, r.status),
        status_code=r.status,
        approved=approved,
        deadline=deadline,
        note=r.decision_note,
        claim_status=CLAIM_STATUS.get(r.claim_status, r.claim_status),
        claim_code=r.claim_status,
        checklist=PROOF_CHECKLIST.get(r.activity_type, ""),
        can_claim=r.status == "approved" and open_claim and (r.claim_due_on is None or today <= r.claim_due_on),
        can_resubmit=r.status in ("rejected", "info_requested"),
        lines=lines,
    )


@dataclass(frozen=True)
class PayoutLine:
    id: int = 0
    partner: str = ""
    amount: str = ""
    status: str = ""
    reason: str = ""


@dataclass(frozen=True)
class BatchRow:
    id: int = 0
    label: str = ""
    status: str = ""
    status_code: str = ""
    reference: str = ""
    total: str = ""
    created: str = ""
    payouts: list[PayoutLine] = field(default_factory=list)


def batch_row(b: BatchView, zone: tzinfo) -> BatchRow:
    return BatchRow(
        id=b.id,
        label=b.label,
        status=b.status.capitalize(),
        status_code=b.status,
        reference=b.reference,
        total=amount(b.total, b.currency),
        created=day(b.created_at, zone),
        payouts=[
            PayoutLine(
                id=p.id,
                partner=p.organization,
                amount=amount(p.amount, p.currency),
                status=p.status.capitalize(),
                reason=p.failure_reason,
            )
            for p in b.payouts
        ],
    )


@dataclass(frozen=True)
class RebateRow:
    name: str = ""
    terms: str = ""
    volume: str = ""
    earned: str = ""
    next_step: str = ""


def rebate_row(r: RebateProgress) -> RebateRow:
    c = r.currency
    mode = (
        "Slab (the band reached pays on all volume)" if r.mode == "slab" else "Marginal (each band pays on its slice)"
    )
    step = (
        f"{amount(r.needed, c)} more this period unlocks {r.next_rate.normalize():f} %: +{amount(r.gain, c)}"
        if r.needed is not None and r.next_rate is not None
        else "You are in the top band."
    )
    return RebateRow(
        name=r.name,
        terms=f"{mode} · {day(r.period_start)} – {day(r.period_end)} · {r.bands}",
        volume=f"Won this period: {amount(r.volume, c)}",
        earned=f"Rebate so far: {amount(r.earned, c)} (paid after the period ends)",
        next_step=step,
    )
