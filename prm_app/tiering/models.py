"""Tiering: programs (per partner type) over the ranked tiers of partners.Tier, each tier's criteria, benefits and
badge colour; the stored evaluations that explain a partner's tier; proposals a manager decides; every tier change.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Column, Date, Index, Integer, Numeric, String, Text, UniqueConstraint, true
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


class TierProgram(SQLModel, table=True):
    """A tier program: the partner types it covers (comma-separated), its currency, evaluation window and cadence.
    `rule_version` goes up with every change of a criterion, so an evaluation says which rules it applied.
    `override_approver`: a manual override of its partners' tier waits for a second manager's approval (on by
    default); off, the asking manager's override applies at once."""

    __tablename__ = "tier_program"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(120), nullable=False, unique=True))
    partner_types: str = Field(sa_column=Column(String(300), nullable=False))
    currency: str = Field(default="USD", sa_column=Column(String(3), nullable=False, default="USD"))
    window: str = Field(default="rolling_12m", sa_column=Column(String(20), nullable=False, default="rolling_12m"))
    cadence: str = Field(default="monthly", sa_column=Column(String(20), nullable=False, default="monthly"))
    auto_apply_upgrades: bool = False
    override_approver: bool = Field(
        default=True, sa_column=Column(Boolean, nullable=False, default=True, server_default=true())
    )
    rule_version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class ProgramTier(SQLModel, table=True):
    """One tier of a program (a partners.Tier, whose rank orders it) with its badge colour."""

    __tablename__ = "tier_program_tier"
    __table_args__ = (UniqueConstraint("program_id", "tier_id"),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="tier_program.id", index=True)
    tier_id: int = Field(foreign_key="tier.id")
    color: str = Field(default="gray", sa_column=Column(String(20), nullable=False, default="gray"))


class TierCriterion(SQLModel, table=True):
    """What a tier asks: `metric` (rules.METRICS) at least `threshold`. Criteria of one `group` are alternatives
    (any one suffices); every group must hold. `param` is the certification code or the custom metric's name."""

    __tablename__ = "tier_criterion"

    id: int | None = Field(default=None, primary_key=True)
    program_tier_id: int = Field(foreign_key="tier_program_tier.id", index=True)
    metric: str = Field(sa_column=Column(String(30), nullable=False))
    param: str = Field(default="", sa_column=Column(String(60), nullable=False, default=""))
    threshold: Decimal = Field(sa_column=Column(Numeric(16, 2), nullable=False))
    group: int = 1


class TierBenefit(SQLModel, table=True):
    """A benefit of a tier (rules.BENEFITS) from `effective_from` on; nothing before that date."""

    __tablename__ = "tier_benefit"

    id: int | None = Field(default=None, primary_key=True)
    program_tier_id: int = Field(foreign_key="tier_program_tier.id", index=True)
    kind: str = Field(sa_column=Column(String(30), nullable=False))
    value: str = Field(sa_column=Column(String(200), nullable=False))
    effective_from: date = Field(sa_column=Column(Date, nullable=False))


class CustomMetricValue(SQLModel, table=True):
    """A value a manager entered for a partner's custom metric, valid from `as_of` (the latest on a date counts)."""

    __tablename__ = "tier_custom_metric"
    __table_args__ = (UniqueConstraint("organization_id", "name", "as_of"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    name: str = Field(sa_column=Column(String(60), nullable=False))
    value: Decimal = Field(sa_column=Column(Numeric(16, 2), nullable=False))
    as_of: date = Field(sa_column=Column(Date, nullable=False))
    by_id: int | None = Field(default=None, foreign_key="app_user.id")


class TierEvaluation(SQLModel, table=True):
    """One partner's evaluation for one period: each criterion's value with the ids of the records behind it
    (`values`, JSON), the rules' version, the tier it held and the tier it qualifies for, and its state (rules.STATES).
    UNIQUE per program, partner and period: running a period again replaces its evaluation."""

    __tablename__ = "tier_evaluation"
    __table_args__ = (
        UniqueConstraint("program_id", "organization_id", "period"),
        Index("ix_tier_evaluation_org_period", "organization_id", "period"),
    )

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="tier_program.id")
    organization_id: int = Field(foreign_key="organization.id")
    period: str = Field(sa_column=Column(String(7), nullable=False))  # "2026-12"
    as_of: date = Field(sa_column=Column(Date, nullable=False))
    window_start: date = Field(sa_column=Column(Date, nullable=False))
    rule_version: int
    values: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    current_tier_id: int = Field(foreign_key="tier.id")
    eligible_tier_id: int = Field(foreign_key="tier.id")
    state: str = Field(sa_column=Column(String(20), nullable=False, index=True))
    grace_until: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    evaluated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class TierProposal(SQLModel, table=True):
    """A proposed tier change a manager approves or rejects. UNIQUE per program, partner and period: however many
    evaluations run at once, a partner gets at most one proposal a period."""

    __tablename__ = "tier_proposal"
    __table_args__ = (UniqueConstraint("program_id", "organization_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="tier_program.id")
    organization_id: int = Field(foreign_key="organization.id", index=True)
    period: str = Field(sa_column=Column(String(7), nullable=False))
    evaluation_id: int = Field(foreign_key="tier_evaluation.id")
    from_tier_id: int = Field(foreign_key="tier.id")
    to_tier_id: int = Field(foreign_key="tier.id")
    status: str = Field(default="pending", sa_column=Column(String(20), nullable=False, default="pending", index=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    decided_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class TierChange(SQLModel, table=True):
    """A change of a partner's tier, kept for good: from, to, why (evaluation, approved proposal, manual override),
    who made it (`by_id`: the approver) and when; `asked_by_id` is the manager who asked for an override another
    approved (None otherwise)."""

    __tablename__ = "tier_change"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    from_tier_id: int = Field(foreign_key="tier.id")
    to_tier_id: int = Field(foreign_key="tier.id")
    source: str = Field(sa_column=Column(String(20), nullable=False))  # evaluation, proposal, override
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    by_id: int | None = Field(default=None, foreign_key="app_user.id")
    asked_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True))


class TierOverride(SQLModel, table=True):
    """A manual tier change one manager asks for, with its reason; it takes effect only when a different manager (or
    an admin) approves it. `open_for` holds the partner's id while pending and NULL once decided: UNIQUE, so a
    partner has at most one override waiting, however many managers ask at once."""

    __tablename__ = "tier_override"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    from_tier_id: int = Field(foreign_key="tier.id")
    to_tier_id: int = Field(foreign_key="tier.id")
    reason: str = Field(sa_column=Column(Text, nullable=False))
    asked_by_id: int = Field(foreign_key="app_user.id")
    asked_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    status: str = Field(default="pending", sa_column=Column(String(20), nullable=False, default="pending", index=True))
    open_for: int | None = Field(default=None, sa_column=Column(Integer, nullable=True, unique=True))
    decided_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
