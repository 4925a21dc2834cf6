"""Payout batches: create (the payable lines, per partner) → approve → mark paid with the bank's reference; a
failed payout gives its lines back. None of these ever pays twice:
- creating: the form's idempotency key is unique (a double click or a retry returns the batch already made), and a
  line is in at most one live payout (a partial unique index on payout_item);
- approving and paying: compare-and-set on the batch's status (two managers at once: one moves it, the other is
  told it already moved), and each payout's ledger line has its own idempotency key.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

from sqlalchemy import update
from sqlmodel import Session, col, select

from prm_app.incentives.ledger import EARNINGS, Posting, convert, lock, post
from prm_app.incentives.models import IncentiveProgram, LedgerLine, PayeeProfile, Payout, PayoutBatch, PayoutItem
from prm_app.incentives.rules import CURRENCIES, FxMissing, OpenLine, csv_cell, select_payable, to_minor
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import DomainError, NotFound, ValidationError


def open_lines(session: Session, currency: str, organization_id: int | None = None) -> list[OpenLine]:
    """Earnings lines (not payouts) of `currency` that no live payout holds."""
    live = select(PayoutItem.line_id).where(PayoutItem.released == False)  # noqa: E712
    query = select(LedgerLine).where(
        LedgerLine.account == EARNINGS,
        LedgerLine.kind.in_(("accrual", "reversal", "claim_approved", "rebate", "spiff")),  # type: ignore[attr-defined]
        LedgerLine.currency == currency,
        LedgerLine.id.not_in(live),  # type: ignore[union-attr]
    )
    if organization_id is not None:
        query = query.where(LedgerLine.organization_id == organization_id)
    return [
        OpenLine(
            saved_id(line),
            line.organization_id or 0,
            line.program_id,
            line.amount,
            line.payable_from,
            line.payee_id or 0,
        )
        for line in session.exec(query).all()
    ]


def _minimums(session: Session, program_ids: set[int | None], currency: str, now: datetime) -> dict[int, Decimal]:
    """Each program's minimum payout in the batch's `currency`: a partner paid in its own payout currency has that
    program's lines in it, so the minimum is converted at the day's rate. A missing rate refuses the batch."""
    minimums: dict[int, Decimal] = {}
    for program in session.exec(select(IncentiveProgram).where(col(IncentiveProgram.id).in_(program_ids))).all():
        minimum = program.min_payout
        if program.currency != currency and minimum:
            try:
                minimum = convert(session, minimum, program.currency, currency, now.date())[0]
            except FxMissing as missing:
                message = f"{missing.message}: a minimum payout is in {program.currency}."
                raise ValidationError(message, "currency") from None
        minimums[saved_id(program)] = minimum
    return minimums


def create_batch(
    session: Session, actor: Actor, currency: str, label: str, idempotency_key: str, *, now: datetime | None = None
) -> int:
    """A draft batch of every partner's payable lines in `currency` (rules.select_payable: holding periods,
    minimums, netting). The same `idempotency_key` returns the batch it made before. Raises ValidationError when
    nothing is payable."""
    actor.require(Permission.MANAGE_INCENTIVES)
    now = now or utcnow()
    key = (idempotency_key or "").strip()[:80]
    if len(key) < 8:
        raise ValidationError("The form is out of date; reload the page.", "label")
    if currency not in CURRENCIES:
        raise ValidationError("Choose a currency.", "currency")
    label = (label or "").strip()[:80]
    if not label:
        raise ValidationError("Name the batch, e.g. “December 2026”.", "label")
    lock(session, f"payouts:{currency}")  # one batch is made at a time per currency
    made = session.exec(select(PayoutBatch).where(PayoutBatch.idempotency_key == key)).first()
    if made is not None:
        return saved_id(made)
    lines = open_lines(session, currency)
    chosen = select_payable(lines, _minimums(session, {line.program_id for line in lines}, currency, now), now)
    if not chosen:
        raise ValidationError(f"Nothing is payable in {currency} yet (holding periods and minimums apply).", "currency")
    batch = PayoutBatch(
        currency=currency, label=label, status="draft", idempotency_key=key, created_by_id=actor.user_id
    )
    session.add(batch)
    session.flush()
    amounts = {
        saved_id(line): line.amount
        for line in session.exec(
            select(LedgerLine).where(LedgerLine.id.in_([i for ids in chosen.values() for i in ids]))  # type: ignore[union-attr]
        ).all()
    }
    for (org_id, payee_id), line_ids in sorted(chosen.items()):
        payout = Payout(
            batch_id=saved_id(batch),
            organization_id=org_id,
            payee_id=payee_id,
            currency=currency,
            status="pending",
            amount=sum((amounts[i] for i in line_ids), Decimal(0)),
        )
        session.add(payout)
        session.flush()
        for line_id in line_ids:
            session.add(PayoutItem(payout_id=saved_id(payout), line_id=line_id))
    session.flush()  # the partial unique index refuses a line a live payout already holds
    audit(session, actor, "payout_batch_created", "payout_batch", batch.id, partners=len(chosen), currency=currency)
    return saved_id(batch)


def _move(session: Session, batch_id: int, source: str, target: str, **values: object) -> bool:
    """Compare-and-set the batch's status; False when it was not `source` (someone else moved it)."""
    done = session.execute(
        update(PayoutBatch)
        .where(PayoutBatch.id == batch_id, PayoutBatch.status == source)  # type: ignore[arg-type]
        .values(status=target, **values)
    )
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


def _batch(session: Session, actor: Actor, batch_id: int) -> PayoutBatch:
    actor.require(Permission.MANAGE_INCENTIVES)
    batch = session.get(PayoutBatch, batch_id)
    if batch is None:
        raise NotFound("payout batch")
    return batch


def approve_batch(session: Session, actor: Actor, batch_id: int, *, now: datetime | None = None) -> bool:
    """Draft → approved. Returns False when it was already approved (a repeat changes nothing)."""
    batch = _batch(session, actor, batch_id)
    if _move(session, batch_id, "draft", "approved", approved_by_id=actor.user_id, approved_at=now or utcnow()):
        audit(session, actor, "payout_batch_approved", "payout_batch", batch_id)
        return True
    session.refresh(batch)
    if batch.status in ("approved", "paid"):
        return False
    raise DomainError("This batch cannot be approved now.")


def mark_batch_paid(
    session: Session, actor: Actor, batch_id: int, reference: str, *, now: datetime | None = None
) -> bool:
    """Approved → paid with the bank's reference: each pending payout posts its payout line (negative, once).
    Returns False when the batch was already paid (a double click or a second manager pays nothing more)."""
    batch = _batch(session, actor, batch_id)
    reference = (reference or "").strip()[:80]
    if not reference:
        raise ValidationError("Enter the payment reference from the bank.", "reference")
    # Held until commit: a payout failed meanwhile (fail_payout takes the same lock) waits and then sees it paid.
    lock(session, f"payout_batch:{batch_id}")
    if not _move(
        session, batch_id, "approved", "paid", reference=reference, paid_by_id=actor.user_id, paid_at=now or utcnow()
    ):
        session.refresh(batch)
        if batch.status == "paid":
            return False
        raise DomainError("Approve the batch before marking it paid.")
    for payout in session.exec(select(Payout).where(Payout.batch_id == batch_id, Payout.status == "pending")).all():
        post(
            session,
            actor,
            [
                Posting(
                    account=EARNINGS,
                    kind="payout",
                    amount=-payout.amount,
                    currency=payout.currency,
                    idempotency_key=f"payout:{payout.id}",
                    source_type="payout",
                    source_id=payout.id,
                    organization_id=payout.organization_id,
                    payee_id=payout.payee_id or None,
                    reason=f"Paid in {batch.label} ({reference})",
                    explanation=f"Payout {batch.label}",
                    payable_from=None,
                )
            ],
        )
        payout.status = "paid"
        session.add(payout)
    audit(session, actor, "payout_batch_paid", "payout_batch", batch_id, reference=reference)
    return True


def fail_payout(session: Session, actor: Actor, payout_id: int, reason: str) -> None:
    """The bank returned a payment: the payout is failed, a line gives its amount back, and its lines are free to
    join the next batch."""
    actor.require(Permission.MANAGE_INCENTIVES)
    payout = session.get(Payout, payout_id)
    if payout is None:
        raise NotFound("payout")
    if not reason.strip():
        raise ValidationError("Say why the payment failed.", "reason")
    # The batch's lock, as mark_batch_paid takes it: otherwise a payout failed while its batch is being paid reads
    # "pending", frees its lines and overwrites "paid" while the payout line stands (its lines paid twice).
    lock(session, f"payout_batch:{payout.batch_id}")
    session.refresh(payout)
    if payout.status == "failed":
        return
    if payout.status == "paid":
        post(
            session,
            actor,
            [
                Posting(
                    account=EARNINGS,
                    kind="payout_returned",
                    amount=payout.amount,
                    currency=payout.currency,
                    idempotency_key=f"payout_returned:{payout.id}",
                    source_type="payout",
                    source_id=payout.id,
                    organization_id=payout.organization_id,
                    payee_id=payout.payee_id or None,
                    reason=reason[:500],
                    explanation="Payment returned by the bank",
                )
            ],
        )
    payout.status, payout.failure_reason = "failed", reason[:500]
    session.add(payout)
    session.execute(update(PayoutItem).where(PayoutItem.payout_id == payout_id).values(released=True))  # type: ignore[arg-type]
    audit(session, actor, "payout_failed", "payout", payout_id, reason=reason[:200])


def batch_csv(session: Session, actor: Actor, batch_id: int) -> str:
    """The batch for finance: one row per partner payout, formula-safe cells."""
    batch = _batch(session, actor, batch_id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["batch", "partner", "payee", "amount", "currency", "status", "reference"])
    payees = {p.id: p.name for p in session.exec(select(PayeeProfile)).all()}
    rows = session.exec(
        select(Payout, Organization.name)
        .join(Organization, Organization.id == Payout.organization_id)  # type: ignore[arg-type]
        .where(Payout.batch_id == batch_id)
        .order_by(Organization.name)
    ).all()
    for payout, name in rows:
        writer.writerow(
            [
                csv_cell(v)
                for v in (
                    batch.label,
                    name,
                    payees.get(payout.payee_id, ""),
                    f"{to_minor(payout.amount, payout.currency):f}",
                    payout.currency,
                    payout.status,
                    batch.reference,
                )
            ]
        )
    return out.getvalue()
