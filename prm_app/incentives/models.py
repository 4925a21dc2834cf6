"""Incentive programs, the one append-only ledger, payouts, and market development funds (MDF).

Money is NUMERIC(18, 3): three decimals hold every currency's minor unit (KWD has 3, JPY 0); amounts are rounded
half-even to the currency's own minor unit before they are stored (rules.to_minor). A `LedgerLine` is written once
and never updated or deleted: the database refuses it (triggers, see ledger.py and the migration), and balances,
statements and budget remainders are sums of lines. The other tables hold workflow state (a request's status, a
batch's approval); none holds a money total that could drift from the ledger.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


def amount_column(nullable: bool = False) -> Column[Decimal]:
    return Column(Numeric(18, 3, asdecimal=True), nullable=nullable)


def _text(default: str = "") -> Column[str]:
    return Column(Text, nullable=False, default=default, server_default=text("''"))


class IncentiveProgram(SQLModel, table=True):
    """A commission plan (its rules below) or a rebate program (its bands, mode and period here), paid in one
    currency after a holding period, above a minimum; `audience` (an audience rule as JSON, "" for every partner)
    says which partners a rebate program is for."""

    __tablename__ = "incentive_program"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_column=Column(String(20), nullable=False))  # commission
    name: str = Field(sa_column=Column(String(120), nullable=False, unique=True))
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    holding_days: int = Field(default=30)
    min_payout: Decimal = Field(sa_column=amount_column())
    rebate_mode: str = Field(
        default="", sa_column=Column(String(10), nullable=False, default="", server_default=text("''"))
    )
    period_start: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    period_end: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    bands: str = Field(default="", sa_column=_text())  # JSON [[lower, upper or null, rate], ...]
    audience: str = Field(default="", sa_column=_text())
    # A SPIFF: `bonus` per deal registered in the window (period_start..period_end, days in `time_zone`), for
    # `product_id` when set, at most `cap_count` per rep; paid to the rep's payee profile.
    time_zone: str = Field(
        default="", sa_column=Column(String(40), nullable=False, default="", server_default=text("''"))
    )
    product_id: int | None = Field(default=None, foreign_key="product.id")
    bonus: Decimal | None = Field(default=None, sa_column=amount_column(nullable=True))
    cap_count: int | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class PayeeProfile(SQLModel, table=True):
    """Who an individual reward (a SPIFF) is paid to: the rep, kept by name and address so it is still paid after
    the rep leaves the partner (their account deactivated)."""

    __tablename__ = "payee_profile"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("app_user.id"), nullable=False, unique=True))
    organization_id: int = Field(foreign_key="organization.id", index=True)
    name: str = Field(sa_column=Column(String(200), nullable=False))
    email: str = Field(sa_column=Column(String(254), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class PartnerPayoutCurrency(SQLModel, table=True):
    """The currency a partner is paid in (none: each program's own). Its earnings are converted into it when they
    post, at the stored rate of the event's day, the rate and its date kept on the line."""

    __tablename__ = "partner_payout_currency"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(sa_column=Column(Integer, ForeignKey("organization.id"), nullable=False, unique=True))
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    set_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    set_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class CommissionRule(SQLModel, table=True):
    """One rule of a plan, in force from `effective_from` until `effective_to` (None: still in force). Changing a
    rule ends it and starts a new one, so an event is always judged by the rule in force when it happened."""

    __tablename__ = "commission_rule"

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="incentive_program.id", index=True)
    event: str = Field(sa_column=Column(String(30), nullable=False))  # deal_won | referral_converted
    tier_id: int | None = Field(default=None, foreign_key="tier.id")
    partner_type: str = Field(default="", sa_column=Column(String(30), nullable=False, default=""))
    product_id: int | None = Field(default=None, foreign_key="product.id")
    # The partner's credit on the deal the rule pays for: "sourced", "influenced", or "" for either.
    credit: str = Field(default="", sa_column=Column(String(12), nullable=False, default="", server_default=text("''")))
    calc: str = Field(sa_column=Column(String(10), nullable=False))  # percent | flat
    rate: Decimal = Field(sa_column=Column(Numeric(9, 4, asdecimal=True), nullable=False))  # % or flat amount
    step_months: int | None = Field(default=None)  # "first N months at rate ..."
    then_rate: Decimal | None = Field(default=None, sa_column=Column(Numeric(9, 4, asdecimal=True), nullable=True))
    max_months: int | None = Field(default=None)  # nothing after this many months
    cap_amount: Decimal | None = Field(default=None, sa_column=amount_column(nullable=True))
    cap_period: str = Field(default="", sa_column=Column(String(10), nullable=False, default=""))
    effective_from: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    effective_to: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class LedgerAccount(SQLModel, table=True):
    """One row per account a posting checks (a budget, an allocation, a request, a partner's earnings): posting
    bumps its `version` first, which makes concurrent postings to the same account take turns on both databases
    (a row lock on PostgreSQL, the write lock on SQLite) before they read the sums they check."""

    __tablename__ = "ledger_account"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(80), nullable=False, unique=True))
    version: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0, server_default=text("0")))


class LedgerLine(SQLModel, table=True):
    """An appended money event. `amount` is in `currency` (the payee's or budget's); the original amount, the FX
    rate and its date are kept beside it. `idempotency_key` makes a retried event post once."""

    __tablename__ = "ledger_line"
    __table_args__ = (
        Index("ix_ledger_line_account_org", "account", "organization_id"),
        Index("ix_ledger_line_source", "source_type", "source_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account: str = Field(sa_column=Column(String(20), nullable=False))
    kind: str = Field(sa_column=Column(String(24), nullable=False))
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    amount: Decimal = Field(sa_column=amount_column())
    source_currency: str = Field(sa_column=Column(String(3), nullable=False))
    source_amount: Decimal = Field(sa_column=amount_column())
    fx_rate: Decimal = Field(sa_column=Column(Numeric(18, 8, asdecimal=True), nullable=False))
    fx_date: date = Field(sa_column=Column(Date, nullable=False))
    source_type: str = Field(sa_column=Column(String(30), nullable=False))
    source_id: int | None = Field(default=None)
    program_id: int | None = Field(default=None, foreign_key="incentive_program.id")
    rule_id: int | None = Field(default=None, foreign_key="commission_rule.id")
    budget_id: int | None = Field(default=None, foreign_key="mdf_budget.id", index=True)
    allocation_id: int | None = Field(default=None, foreign_key="mdf_allocation.id", index=True)
    request_id: int | None = Field(default=None, foreign_key="fund_request.id", index=True)
    payee_id: int | None = Field(default=None, foreign_key="payee_profile.id")
    payable_from: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    reverses_id: int | None = Field(default=None, foreign_key="ledger_line.id")
    actor_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    reason: str = Field(default="", sa_column=_text())
    explanation: str = Field(default="", sa_column=_text())  # the rule in plain words, for the partner
    idempotency_key: str = Field(sa_column=Column(String(120), nullable=False, unique=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class HeldEarning(SQLModel, table=True):
    """An earning event that could not post yet (no FX rate for its date): kept, shown to admins, posted again
    once the rate exists. One per source event."""

    __tablename__ = "held_earning"
    __table_args__ = (UniqueConstraint("source_type", "source_id", name="uq_held_earning_source"),)

    id: int | None = Field(default=None, primary_key=True)
    source_type: str = Field(sa_column=Column(String(30), nullable=False))
    source_id: int
    organization_id: int = Field(foreign_key="organization.id", index=True)
    problem: str = Field(sa_column=_text())
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    resolved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class PayoutBatch(SQLModel, table=True):
    """Payouts of one currency made together: draft → approved → paid (with the bank's reference)."""

    __tablename__ = "payout_batch"

    id: int | None = Field(default=None, primary_key=True)
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    label: str = Field(sa_column=Column(String(80), nullable=False))
    status: str = Field(sa_column=Column(String(12), nullable=False, index=True))
    idempotency_key: str = Field(sa_column=Column(String(80), nullable=False, unique=True))
    reference: str = Field(default="", sa_column=Column(String(80), nullable=False, default=""))
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    approved_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    approved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    paid_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    paid_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class Payout(SQLModel, table=True):
    """One partner's payment in a batch; `failed` returns its lines to payable (a ledger line says so)."""

    __tablename__ = "payout"
    __table_args__ = (UniqueConstraint("batch_id", "organization_id", "payee_id", name="uq_payout_batch_org_payee"),)

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="payout_batch.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    payee_id: int = Field(default=0)  # a payee profile's id for a rep's own rewards; 0: the partner itself
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    amount: Decimal = Field(sa_column=amount_column())
    status: str = Field(sa_column=Column(String(12), nullable=False))  # pending | paid | failed
    failure_reason: str = Field(default="", sa_column=_text())


class PayoutItem(SQLModel, table=True):
    """A ledger line taken into a payout. While not `released`, the line is in no other payout: a partial unique
    index on line_id says so in the database (a second batch, or a second manager, cannot take it again)."""

    __tablename__ = "payout_item"
    __table_args__ = (
        Index(
            "uq_payout_item_live_line",
            "line_id",
            unique=True,
            sqlite_where=text("released = 0"),
            postgresql_where=text("released = false"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    payout_id: int = Field(foreign_key="payout.id", index=True)
    line_id: int = Field(foreign_key="ledger_line.id")
    released: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))


class MdfBudget(SQLModel, table=True):
    """Market development funds for a period; its amount is the sum of its budget lines in the ledger."""

    __tablename__ = "mdf_budget"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(120), nullable=False, unique=True))
    period_start: date = Field(sa_column=Column(Date, nullable=False))
    period_end: date = Field(sa_column=Column(Date, nullable=False))
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class MdfAllocation(SQLModel, table=True):
    """A partner's share of a budget; its amount is the sum of its allocation lines."""

    __tablename__ = "mdf_allocation"
    __table_args__ = (UniqueConstraint("budget_id", "organization_id", name="uq_mdf_allocation_budget_org"),)

    id: int | None = Field(default=None, primary_key=True)
    budget_id: int = Field(foreign_key="mdf_budget.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)


class FundRequest(SQLModel, table=True):
    """A partner's planned activity asking for funds from its allocation (statuses: rules.REQUEST_MOVES)."""

    __tablename__ = "fund_request"

    id: int | None = Field(default=None, primary_key=True)
    allocation_id: int = Field(foreign_key="mdf_allocation.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    activity_type: str = Field(sa_column=Column(String(30), nullable=False))
    title: str = Field(sa_column=Column(String(160), nullable=False))
    starts_on: date = Field(sa_column=Column(Date, nullable=False))
    ends_on: date = Field(sa_column=Column(Date, nullable=False))
    expected_leads: int = Field(default=0)
    requested_amount: Decimal = Field(sa_column=amount_column())
    partner_contribution: Decimal = Field(sa_column=amount_column())
    status: str = Field(sa_column=Column(String(16), nullable=False, index=True))
    approved_amount: Decimal | None = Field(default=None, sa_column=amount_column(nullable=True))
    reimbursement_pct: int | None = Field(default=None)
    claim_due_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    decision_note: str = Field(default="", sa_column=_text())
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    decided_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class FundClaim(SQLModel, table=True):
    """The claim for an approved request: its lines with proof, reviewed line by line (one claim per request; a
    returned claim is fixed and submitted again)."""

    __tablename__ = "fund_claim"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(sa_column=Column(Integer, ForeignKey("fund_request.id"), nullable=False, unique=True))
    organization_id: int = Field(foreign_key="organization.id", index=True)
    status: str = Field(sa_column=Column(String(16), nullable=False, index=True))  # draft|submitted|returned|approved
    leads_generated: int = Field(default=0)
    submitted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    decided_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class ClaimLine(SQLModel, table=True):
    """One cost of a claim with its invoice (stored privately, by content hash for duplicate checks). The
    reviewer's final amount and note are kept beside what was claimed."""

    __tablename__ = "claim_line"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="fund_claim.id", index=True)
    description: str = Field(sa_column=Column(String(200), nullable=False))
    invoice_number: str = Field(sa_column=Column(String(60), nullable=False, index=True))
    amount_claimed: Decimal = Field(sa_column=amount_column())
    final_amount: Decimal | None = Field(default=None, sa_column=amount_column(nullable=True))
    status: str = Field(sa_column=Column(String(24), nullable=False))  # rules.LINE_DECISIONS or pending
    reviewer_note: str = Field(default="", sa_column=_text())
    file_key: str = Field(sa_column=Column(String(32), nullable=False))
    file_type: str = Field(sa_column=Column(String(40), nullable=False))
    file_name: str = Field(sa_column=Column(String(200), nullable=False))
    file_sha256: str = Field(sa_column=Column(String(64), nullable=False, index=True))
