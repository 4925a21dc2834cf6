"""The one way money enters the ledger: `post`, which locks the accounts a line touches, checks the invariants
against the sums of lines, and appends. Nothing here ever updates or deletes a line (the database refuses too:
`APPEND_ONLY_TRIGGERS`, installed with the table and by the migration).

Invariants checked by `post` on the sums *after* the account lock is held (so two managers approving the last
10,000 at once take turns, and the second one sees the first one's line):
- the allocations of a budget never exceed the budget, unless the line is an over-allocation with a reason;
- reservations plus spending of an allocation never exceed the allocation;
- what a claim pays never exceeds the request's approved amount times its reimbursement share (checked by the
  claim review, which holds the request's lock, through `check_claim_cap`).
Each line's `idempotency_key` is unique: a retried event posts once, the retry gets the first line back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import DDL, event, func, insert, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, SQLModel, col, select

from prm_app.incentives.models import LedgerAccount, LedgerLine
from prm_app.incentives.rules import Rate, pick_rate, to_minor
from prm_app.platform.access import Actor
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import ValidationError
from prm_app.platform.models import ExchangeRate

# Accounts (LedgerLine.account).
EARNINGS = "earnings"  # what the vendor owes a partner: accruals, reversals, approved claims, payouts (negative)
BUDGET = "mdf_budget"  # a budget's funds
ALLOCATED = "mdf_allocation"  # a partner's share of a budget
RESERVED = "mdf_reserved"  # approved requests (released on claim or expiry: a negative line)
SPENT = "mdf_spent"  # approved claims

APPEND_ONLY_TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER ledger_line_no_update BEFORE UPDATE ON ledger_line "
        "BEGIN SELECT RAISE(ABORT, 'ledger lines are append-only'); END",
        "CREATE TRIGGER ledger_line_no_delete BEFORE DELETE ON ledger_line "
        "BEGIN SELECT RAISE(ABORT, 'ledger lines are append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION ledger_line_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'ledger lines are append-only'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER ledger_line_no_change BEFORE UPDATE OR DELETE ON ledger_line "
        "FOR EACH ROW EXECUTE FUNCTION ledger_line_append_only()",
    ],
}
for _dialect, _statements in APPEND_ONLY_TRIGGERS.items():
    for _sql in _statements:
        event.listen(SQLModel.metadata.tables["ledger_line"], "after_create", DDL(_sql).execute_if(dialect=_dialect))  # type: ignore[no-untyped-call]


class OverBudget(ValidationError):
    pass


@dataclass
class Posting:
    """A line to append (see LedgerLine); `source_*` default to the line's own amount and currency."""

    account: str
    kind: str
    amount: Decimal
    currency: str
    idempotency_key: str
    source_type: str
    source_id: int | None = None
    organization_id: int | None = None
    reason: str = ""
    explanation: str = ""
    source_amount: Decimal | None = None
    source_currency: str = ""
    fx_rate: Decimal = Decimal(1)
    fx_date: date | None = None
    program_id: int | None = None
    rule_id: int | None = None
    budget_id: int | None = None
    allocation_id: int | None = None
    request_id: int | None = None
    payee_id: int | None = None
    payable_from: datetime | None = None
    reverses_id: int | None = None
    over_allocation: bool = False
    locks: list[str] = field(default_factory=list)


def lock(session: Session, *keys: str) -> None:
    """Take the accounts' locks (sorted: no deadlock) for the rest of the transaction: the account row is made if
    missing, then bumped. On PostgreSQL the UPDATE holds the row lock; on SQLite the first write takes the
    database's write lock, and reads after it see every earlier commit."""
    dialect = session.get_bind().dialect.name
    for key in sorted(set(keys)):
        make = (pg_insert if dialect == "postgresql" else sqlite_insert)(LedgerAccount).values(key=key, version=0)
        session.execute(make.on_conflict_do_nothing(index_elements=["key"]))
        session.execute(
            update(LedgerAccount).where(LedgerAccount.key == key).values(version=LedgerAccount.version + 1)  # type: ignore[arg-type]
        )


def total(session: Session, *where: ColumnElement[bool] | bool) -> Decimal:
    value = session.exec(select(func.coalesce(func.sum(LedgerLine.amount), 0)).where(*where)).one()
    return Decimal(value)


def budget_amount(session: Session, budget_id: int) -> Decimal:
    return total(session, LedgerLine.account == BUDGET, LedgerLine.budget_id == budget_id)


def budget_allocated(session: Session, budget_id: int) -> Decimal:
    return total(session, LedgerLine.account == ALLOCATED, LedgerLine.budget_id == budget_id)


def allocation_amount(session: Session, allocation_id: int) -> Decimal:
    return total(session, LedgerLine.account == ALLOCATED, LedgerLine.allocation_id == allocation_id)


def allocation_used(session: Session, allocation_id: int) -> Decimal:
    """Reserved by approved requests plus spent by approved claims."""
    return total(session, LedgerLine.account.in_((RESERVED, SPENT)), LedgerLine.allocation_id == allocation_id)  # type: ignore[attr-defined]


def allocation_remaining(session: Session, allocation_id: int) -> Decimal:
    return allocation_amount(session, allocation_id) - allocation_used(session, allocation_id)


def _check(session: Session, p: Posting) -> None:
    if p.account == ALLOCATED and p.amount > 0 and p.budget_id is not None and not p.over_allocation:
        left = budget_amount(session, p.budget_id) - budget_allocated(session, p.budget_id)
        if p.amount > left:
            raise OverBudget(
                f"Only {left:,.2f} {p.currency} of the budget is unallocated. "
                "Over-allocate with a reason to go past it.",
                "amount",
            )
    if p.over_allocation and not p.reason.strip():
        raise ValidationError("Say why this allocation goes past the budget.", "reason")
    if p.account in (RESERVED, SPENT) and p.amount > 0 and p.allocation_id is not None:
        left = allocation_remaining(session, p.allocation_id)
        if p.amount > left:
            raise OverBudget(f"Only {left:,.2f} {p.currency} of the allocation is left.", "approved_amount")


def post(session: Session, actor: Actor | None, postings: list[Posting]) -> list[LedgerLine]:
    """Append `postings` as one unit: lock their accounts, check the invariants, round each amount half-even to its
    currency's minor unit, and insert. A posting whose idempotency key was already posted is not posted again: the
    line already there is returned in its place. Raises OverBudget / ValidationError and appends nothing then."""
    keys = [k for p in postings for k in _lock_keys(p)]
    lock(session, *keys)
    lines: list[LedgerLine] = []
    for p in postings:
        existing = session.exec(select(LedgerLine).where(LedgerLine.idempotency_key == p.idempotency_key)).first()
        if existing is not None:
            lines.append(existing)
            continue
        if p.amount == 0 and p.account != EARNINGS:
            continue
        _check(session, p)
        amount = to_minor(p.amount, p.currency)
        source_currency = p.source_currency or p.currency
        row = {
            "account": p.account,
            "kind": p.kind,
            "organization_id": p.organization_id,
            "currency": p.currency,
            "amount": amount,
            "source_currency": source_currency,
            "source_amount": to_minor(p.source_amount if p.source_amount is not None else p.amount, source_currency),
            "fx_rate": p.fx_rate,
            "fx_date": p.fx_date or utcnow().date(),
            "source_type": p.source_type,
            "source_id": p.source_id,
            "program_id": p.program_id,
            "rule_id": p.rule_id,
            "budget_id": p.budget_id,
            "allocation_id": p.allocation_id,
            "request_id": p.request_id,
            "payee_id": p.payee_id,
            "payable_from": p.payable_from,
            "reverses_id": p.reverses_id,
            "actor_user_id": actor.user_id if actor else None,
            "reason": p.reason,
            "explanation": p.explanation,
            "idempotency_key": p.idempotency_key,
            "created_at": utcnow(),
        }
        new_id = session.execute(insert(LedgerLine).values(**row).returning(col(LedgerLine.id))).scalar_one()
        line = session.get(LedgerLine, new_id)
        assert line is not None
        lines.append(line)
    return lines


def _lock_keys(p: Posting) -> list[str]:
    keys = list(p.locks)
    if p.budget_id is not None and p.account == ALLOCATED:
        keys.append(f"budget:{p.budget_id}")
    if p.allocation_id is not None and p.account in (RESERVED, SPENT):
        keys.append(f"allocation:{p.allocation_id}")
    if p.account == EARNINGS and p.organization_id is not None:
        keys.append(f"earnings:{p.organization_id}:{p.currency}")
    return keys


def usd_rate(session: Session, currency: str, day: date) -> Rate:
    """USD per unit of `currency` for `day`, from the shared dated rates (platform ExchangeRate), by
    rules.pick_rate: the latest dated on or up to a week before `day`. Raises FxMissing otherwise."""
    rows = session.exec(
        select(col(ExchangeRate.as_of), col(ExchangeRate.usd_per_unit))
        .where(ExchangeRate.currency == currency, col(ExchangeRate.as_of) <= day)
        .order_by(col(ExchangeRate.as_of).desc())
        .limit(1)
    ).all()
    return pick_rate(currency, "USD", day, [Rate(d, r) for d, r in rows])


def convert(session: Session, amount: Decimal, source: str, target: str, day: date) -> tuple[Decimal, Rate]:
    """`amount` in `source` converted to `target` at the rates of `day` (through USD when neither is USD),
    unrounded, with the rate used and the date of the oldest rate it took. Raises FxMissing when one is missing."""
    if source == target:
        return amount, Rate(day, Decimal(1))
    src = usd_rate(session, source, day)  # FxMissing names the currency without a rate
    tgt = usd_rate(session, target, day)
    rate = (src.rate / tgt.rate).quantize(Decimal("0.00000001"))
    return amount * rate, Rate(min(src.on_date, tgt.on_date), rate)


def earnings_balance(session: Session, organization_id: int, currency: str) -> Decimal:
    return total(
        session,
        LedgerLine.account == EARNINGS,
        LedgerLine.organization_id == organization_id,
        LedgerLine.currency == currency,
    )
