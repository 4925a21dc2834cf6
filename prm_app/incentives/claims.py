"""Claims on approved fund requests: lines with their invoices (a private checked store; the file's SHA-256 and
the invoice number flag a reuse, even by another partner), submitted before the deadline, reviewed line by line
(accepted as is / with changes, keeping the claimed and final amounts and the note / denied / returned), then
approved into the ledger: the partner's earnings (paid in the next payout), the allocation's spending, and the
request's reservation released. What a claim pays is capped at the approved amount times the reimbursement share.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal

import filetype
from sqlmodel import Session, or_, select

from prm_app.fx import lock_rate
from prm_app.incentives.ledger import EARNINGS, RESERVED, SPENT, Posting, lock, post
from prm_app.incentives.mdf import NOTICE, PORTAL, _partner_org, _reviewable
from prm_app.incentives.mdf_models import ClaimProof
from prm_app.incentives.mdf_rules import missing_proofs
from prm_app.incentives.models import ClaimLine, FundClaim, FundRequest, MdfAllocation, MdfBudget
from prm_app.incentives.payout_currency import to_payout_currency
from prm_app.incentives.rules import LINE_DECISIONS, RequestStatus, claimable, minor_units, parse_amount
from prm_app.notifications import notify
from prm_app.platform.access import Actor
from prm_app.platform.audit import audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, ValidationError
from prm_app.platform.i18n import Amount, Words
from prm_app.platform.settings import PROJECT_DIR
from prm_app.platform.uploads import CheckedStorage, FileRules

PROOF_MAX_BYTES = 10 * 1024 * 1024
PROOF_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


def proof_type(head: bytes) -> str | None:
    """The type the file's first bytes prove (filetype reads the signatures), if it is one a proof may be."""
    kind = filetype.guess_mime(head)
    return kind if kind in PROOF_TYPES else None


PROOF_RULES = FileRules(
    field="invoice",
    max_bytes=PROOF_MAX_BYTES,
    sniff=proof_type,
    head_bytes=262,  # what filetype reads
    one_file="Choose one file.",
    empty="Choose a file first.",
    too_large=lambda max_bytes: f"That file is over {max_bytes // (1024 * 1024)} MB.",
    wrong_type="That file is not a PDF, PNG or JPEG.",
    unnamed="invoice",
)
PROOFS = CheckedStorage(PROJECT_DIR / "uploads" / "mdf", PROOF_RULES)


def file_sha256(key: str) -> str:
    path = PROOFS.path(key)
    digest = hashlib.sha256()
    if path is not None:
        with path.open("rb") as file:
            for block in iter(lambda: file.read(65536), b""):
                digest.update(block)
    return digest.hexdigest()


def _own_request(session: Session, actor: Actor, request_id: int) -> FundRequest:
    org_id = _partner_org(actor)
    request = session.get(FundRequest, request_id)
    if request is None or request.organization_id != org_id:
        raise NotFound("request")
    return request


def _currency(session: Session, request: FundRequest) -> str:
    """The currency of the budget the request draws on (every amount of its claim is in it)."""
    allocation = session.get(MdfAllocation, request.allocation_id)
    budget = session.get(MdfBudget, allocation.budget_id) if allocation else None
    assert budget is not None
    return budget.currency


def check_claimable(session: Session, actor: Actor, request_id: int, *, now: datetime | None = None) -> None:
    """Raises unless the partner may add to this request's claim now: approved, not past its deadline (which the
    message shows), and its claim not under review or decided."""
    request = _own_request(session, actor, request_id)
    today = (now or utcnow()).date()
    if request.status != RequestStatus.APPROVED:
        raise DomainError("Only an approved request can be claimed.")
    if request.claim_due_on is not None and today > request.claim_due_on:
        raise DomainError(
            f"The claim deadline was {request.claim_due_on:%d %b %Y}; this request can no longer be claimed."
        )
    claim = session.exec(select(FundClaim).where(FundClaim.request_id == request_id)).first()
    if claim is not None and claim.status not in ("draft", "returned"):
        raise DomainError("This claim is with the reviewer.")


def add_claim_line(
    session: Session, actor: Actor, request_id: int, form: dict[str, str], file_key: str, file_type: str, file_name: str
) -> int:
    """Add a cost with its uploaded invoice to the request's claim (made on first use). Returns the line's id."""
    check_claimable(session, actor, request_id)
    request = _own_request(session, actor, request_id)
    errors: dict[str, str] = {}
    description = (form.get("description") or "").strip()[:200]
    if not description:
        errors["description"] = "Say what this cost was."
    number = (form.get("invoice_number") or "").strip()[:60]
    if not number:
        errors["invoice_number"] = "Enter the invoice number."
    try:
        amount = parse_amount(form.get("amount", ""), _currency(session, request))
        if amount <= 0 or amount >= Decimal("100000000"):
            errors["amount"] = "Enter an amount above zero."
    except ValueError as exc:
        errors["amount"] = str(exc) or "Enter an amount, like 1200."
    if not file_key or PROOFS.path(file_key) is None:
        errors["invoice"] = "Upload the invoice first."
    if errors:
        raise FormInvalid(errors)
    claim = session.exec(select(FundClaim).where(FundClaim.request_id == request_id)).first()
    if claim is None:
        claim = FundClaim(request_id=request_id, organization_id=request.organization_id, status="draft")
        session.add(claim)
        session.flush()
    line = ClaimLine(
        claim_id=saved_id(claim),
        description=description,
        invoice_number=number,
        amount_claimed=amount,
        status="pending",
        file_key=file_key,
        file_type=file_type,
        file_name=file_name[:200],
        file_sha256=file_sha256(file_key),
    )
    session.add(line)
    session.flush()
    audit(session, actor, "mdf_claim_line_added", "claim_line", line.id, amount=str(amount))
    return saved_id(line)


def submit_claim(session: Session, actor: Actor, request_id: int, leads_generated: str) -> None:
    """Hand the claim in for review (before the deadline, with at least one line and a file for every item of the
    activity's proof checklist; returned lines are reviewed again). FormInvalid names every field that is missing.
    Checked under the request's lock, which the expiry job takes too: a claim never slips in as its request expires."""
    request = _own_request(session, actor, request_id)
    lock(session, f"request:{request_id}")
    session.refresh(request)  # as it is under the lock: the expiry job may have changed it meanwhile
    check_claimable(session, actor, request_id)
    claim = session.exec(select(FundClaim).where(FundClaim.request_id == request_id)).first()
    lines = session.exec(select(ClaimLine).where(ClaimLine.claim_id == claim.id)).all() if claim else []
    errors = {} if claim is not None and lines else {"description": "Add at least one cost with its invoice."}
    provided = session.exec(select(ClaimProof.item).where(ClaimProof.request_id == request_id)).all()
    errors |= {f"proof_{item}": msg for item, msg in missing_proofs(request.activity_type, provided).items()}
    text = (leads_generated or "0").strip()
    if not text.isdigit() or int(text) > 1_000_000:
        errors["leads_generated"] = "Enter the number of leads the activity brought."
    if errors or claim is None:
        raise FormInvalid(errors)
    for line in lines:
        if line.status == "returned":
            line.status = "pending"
            session.add(line)
    claim.status, claim.submitted_at, claim.leads_generated = "submitted", utcnow(), int(text)
    session.add(claim)
    audit(session, actor, "mdf_claim_submitted", "fund_claim", claim.id)
    record_engagement(session, actor, "mdf_claimed", "fund_claim", claim.id)


def duplicates(session: Session, line: ClaimLine, *, organization_id: int | None = None) -> list[int]:
    """Other claim lines with the same invoice file or the same invoice number: any partner's for a reviewer, only
    `organization_id`'s own for a partner's view (another partner's invoices are none of its business)."""
    query = select(ClaimLine.id).where(
        ClaimLine.id != line.id,
        or_(ClaimLine.file_sha256 == line.file_sha256, ClaimLine.invoice_number == line.invoice_number),
    )
    if organization_id is not None:
        query = query.join(FundClaim, FundClaim.id == ClaimLine.claim_id).where(  # type: ignore[arg-type]
            FundClaim.organization_id == organization_id
        )
    return [r for r in session.exec(query).all() if r is not None]


def _review_claim(session: Session, actor: Actor, claim_id: int) -> tuple[FundClaim, FundRequest]:
    claim = session.get(FundClaim, claim_id)
    if claim is None:
        raise NotFound("claim")
    request, _org = _reviewable(session, actor, claim.request_id)
    return claim, request


def decide_claim_line(
    session: Session, actor: Actor, line_id: int, decision: str, final_amount: str = "", note: str = ""
) -> None:
    """One line's decision. Accepted with changes keeps the claimed amount and the final one, with a note the
    partner sees; denied and returned need a note too."""
    line = session.get(ClaimLine, line_id)
    if line is None:
        raise NotFound("claim line")
    claim, request = _review_claim(session, actor, line.claim_id)
    # The request's lock, as finish_claim_review takes it: a line is never changed under a claim being approved.
    lock(session, f"request:{request.id}")
    session.refresh(claim)
    session.refresh(line)
    if claim.status != "submitted":
        raise DomainError("This claim is not waiting for review.")
    if decision not in LINE_DECISIONS:
        raise ValidationError("Choose a decision.", "decision")
    note = (note or "").strip()[:1000]
    final: Decimal | None = line.amount_claimed if decision == "accepted" else None
    if decision == "accepted_with_changes":
        try:
            final = parse_amount(final_amount, _currency(session, request))
        except ValueError as exc:
            raise ValidationError(str(exc) or "Enter the amount you accept.", "final_amount") from None
        if not 0 <= final < line.amount_claimed:
            raise ValidationError("Accept less than was claimed (or accept the line as is).", "final_amount")
    if decision != "accepted" and not note:
        raise ValidationError("Tell the partner why.", "note")
    line.status, line.final_amount, line.reviewer_note = decision, final, note
    session.add(line)
    audit(session, actor, "mdf_claim_line_decided", "claim_line", line.id, decision=decision, final=str(final))


def finish_claim_review(session: Session, actor: Actor, claim_id: int, *, now: datetime | None = None) -> str:
    """Close the review once every line is decided: with a returned line the claim goes back to the partner;
    otherwise the accepted amounts (capped at approved × reimbursement share, checked under the request's lock)
    enter the ledger. Returns the claim's new status."""
    now = now or utcnow()
    claim, request = _review_claim(session, actor, claim_id)
    lock(session, f"request:{request.id}", f"allocation:{request.allocation_id}")
    session.refresh(claim)
    session.refresh(request)
    if claim.status != "submitted":
        raise DomainError("This claim was decided already.")
    if request.status != RequestStatus.APPROVED:  # expired (its reservation released): nothing more is paid on it
        raise DomainError(f"This request is {request.status.replace('_', ' ')}; its claim cannot be approved.")
    lines = session.exec(select(ClaimLine).where(ClaimLine.claim_id == claim_id)).all()
    if any(line.status == "pending" for line in lines):
        raise DomainError("Decide every line first.")
    claim.decided_by_id, claim.decided_at = actor.user_id, now
    if any(line.status == "returned" for line in lines):
        claim.status = "returned"
        session.add(claim)
        audit(session, actor, "mdf_claim_returned", "fund_claim", claim.id)
        notify(
            session,
            request.organization_id,
            NOTICE,
            f"MDF claim for “{request.title}” was returned: see the notes.",
            PORTAL,
            at=now,
            about=("fund_claim", claim_id),
            words=Words("incentives.notice.claim_returned", {"title": request.title}),
        )
        return "returned"
    allocation = session.get(MdfAllocation, request.allocation_id)
    budget = session.get(MdfBudget, allocation.budget_id) if allocation else None
    assert budget is not None and request.approved_amount is not None and request.reimbursement_pct is not None
    accepted = sum(
        (line.final_amount or Decimal(0) for line in lines if line.status.startswith("accepted")), Decimal(0)
    )
    cap = claimable(request.approved_amount, request.reimbursement_pct, budget.currency)
    pay = min(accepted, cap)
    common = dict(
        currency=budget.currency,
        source_type="fund_claim",
        source_id=claim.id,
        organization_id=request.organization_id,
        budget_id=budget.id,
        allocation_id=request.allocation_id,
        request_id=request.id,
    )
    capped = f" (capped at {request.reimbursement_pct} % of {request.approved_amount:,.2f})" if pay < accepted else ""
    # The claim approved locks its value in the corporate currency (fx), and pays the partner in its payout
    # currency at the day's rate; a missing rate refuses the approval, nothing is posted.
    lock_rate(session, "mdf_claim_approved", saved_id(claim), budget.currency, pay, now.date(), request.organization_id)
    earning = to_payout_currency(
        session,
        Posting(
            account=EARNINGS,
            kind="claim_approved",
            amount=pay,
            idempotency_key=f"claim:{claim.id}",
            explanation=f"MDF claim for {request.title}{capped}",
            reason="Claim approved",
            payable_from=now,
            **common,  # type: ignore[arg-type]
        ),
        now.date(),
    )
    paid = post(
        session,
        actor,
        [
            Posting(
                account=RESERVED,
                kind="release",
                amount=-request.approved_amount,
                idempotency_key=f"release:{request.id}",
                reason="Claim approved",
                **common,  # type: ignore[arg-type]
            ),
            Posting(
                account=SPENT,
                kind="claim_spent",
                amount=pay,
                idempotency_key=f"spent:{claim.id}",
                reason="Claim approved",
                **common,  # type: ignore[arg-type]
            ),
            earning,
        ],
    )[-1]
    claim.status, request.status = "approved", RequestStatus.CLAIMED
    session.add(claim)
    session.add(request)
    audit(session, actor, "mdf_claim_approved", "fund_claim", claim.id, paid=str(pay))
    notify(
        session,
        request.organization_id,
        NOTICE,
        f"MDF claim for “{request.title}” approved: {paid.amount:,.{minor_units(paid.currency)}f} {paid.currency} "
        "joins your next payout.",
        PORTAL,
        at=now,
        about=("fund_claim", claim_id),
        words=Words(
            "incentives.notice.claim_approved", {"title": request.title, "amount": Amount(paid.amount, paid.currency)}
        ),
    )
    return "approved"


def claim_file(session: Session, actor: Actor, line_id: int) -> tuple[str, str, str]:
    """(key, type, name) of a claim line's invoice, for its partner's people and the managers reaching it."""
    line = session.get(ClaimLine, line_id)
    claim = session.get(FundClaim, line.claim_id) if line else None
    if line is None or claim is None:
        raise NotFound("invoice")
    if actor.is_partner:
        _own_request(session, actor, claim.request_id)
    else:
        _reviewable(session, actor, claim.request_id)
    return line.file_key, line.file_type, line.file_name


def claim_invoice(session: Session, actor: Actor, line_id: int) -> tuple[bytes, str]:
    """(content, file name) of a claim line's invoice for whoever may read it (`claim_file` decides)."""
    key, _kind, name = claim_file(session, actor, line_id)
    path = PROOFS.path(key)
    if path is None or not path.is_file():
        raise NotFound("invoice")
    return path.read_bytes(), name
