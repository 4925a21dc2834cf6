"""Deal registrations, the product catalogue, direct-sales accounts and what conflict checks search."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, Column, Date, Index, Numeric, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow
from prm_app.platform.money import money_column


class DealStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    INFO_REQUESTED = "info_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    WON = "won"
    LOST = "lost"


# A deal that still blocks others from registering the same opportunity.
LIVE_STATUSES = (DealStatus.SUBMITTED, DealStatus.INFO_REQUESTED, DealStatus.APPROVED)

DEAL_STAGES = ("Prospecting", "Discovery", "Proposal", "Negotiation", "Verbal commit")


class Credit(StrEnum):
    """The partner's part in a deal: it found and registered the opportunity, or it helped on the vendor's."""

    SOURCED = "sourced"
    INFLUENCED = "influenced"


class Product(SQLModel, table=True):
    __tablename__ = "product"

    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(sa_column=Column(String(40), unique=True, nullable=False))
    name: str = Field(sa_column=Column(String(120), nullable=False))
    list_price: Decimal = Field(sa_column=money_column())
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    active: bool = Field(default=True)
    # Leads for such a product go only to partners certified for it.
    requires_certification: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default="0"))


class DirectAccount(SQLModel, table=True):
    """A customer owned by the vendor's own sales reps: partners may not claim it while it is protected."""

    __tablename__ = "direct_account"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(200), nullable=False))
    name_norm: str = Field(sa_column=Column(String(200), nullable=False))
    domain: str = Field(default="", sa_column=Column(String(200), nullable=False, default="", index=True))
    country: str = Field(default="", sa_column=Column(String(2), nullable=False, default=""))
    rep_name: str = Field(sa_column=Column(String(120), nullable=False))
    rep_email: str = Field(sa_column=Column(String(254), nullable=False))
    protected_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class Deal(SQLModel, table=True):
    """A partner's registration of an opportunity. Money is Decimal with its currency beside it."""

    __tablename__ = "deal"
    __table_args__ = (
        Index("ix_deal_status_submitted_at", "status", "submitted_at"),
        # Dashboards (domain.metrics_*) read these indexes only, never the table: open pipeline and registrations
        # by period; closed deals by period; each partner's registrations by period; review times by decision date.
        Index(
            "ix_deal_status_submitted_cover",
            *("status", "submitted_at", "organization_id", "stage", "currency", "estimated_value", "expected_close"),
        ),
        Index("ix_deal_org_submitted", "organization_id", "submitted_at", "status", "currency", "estimated_value"),
        Index(
            "ix_deal_status_closed_cover",
            *("status", "closed_at", "organization_id", "currency", "final_amount", "estimated_value"),
            postgresql_include=["id"],  # SQLite has the rowid in every index anyway
        ),
        Index("ix_deal_decided", "decided_at", "submitted_at", "organization_id"),
        # The deal's id in the partner's CRM: unique within a partner (two partners' CRMs may both have a deal 1).
        Index("ix_deal_external_id", "external_id", "organization_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    created_by_id: int = Field(foreign_key="app_user.id")
    status: str = Field(sa_column=Column(String(20), nullable=False, index=True))
    customer_name: str = Field(sa_column=Column(String(200), nullable=False))
    name_norm: str = Field(sa_column=Column(String(200), nullable=False))
    customer_site: str = Field(default="", sa_column=Column(String(254), nullable=False, default=""))
    domain: str = Field(default="", sa_column=Column(String(200), nullable=False, default="", index=True))
    country: str = Field(sa_column=Column(String(2), nullable=False))
    contact_name: str = Field(sa_column=Column(String(120), nullable=False))
    contact_email: str = Field(sa_column=Column(String(254), nullable=False))
    estimated_value: Decimal = Field(sa_column=money_column())
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    expected_close: date = Field(sa_column=Column(Date, nullable=False))
    stage: str = Field(sa_column=Column(String(30), nullable=False))
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    submitted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    decided_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    protection_ends_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    expiry_notice_sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    decision_note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    final_amount: Decimal | None = Field(default=None, sa_column=money_column(nullable=True))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # The partner tier's discount (tier benefit "discount_pct") on the day the deal was approved; None before.
    discount_pct: Decimal | None = Field(default=None, sa_column=Column(Numeric(5, 2, asdecimal=True), nullable=True))
    credit: str = Field(
        default=Credit.SOURCED,
        sa_column=Column(String(12), nullable=False, default=Credit.SOURCED, server_default=Credit.SOURCED.value),
    )
    # Two-tier distribution (deals.distribution): the distributor that will fulfil it, chosen from the reseller's
    # current distributors; whether the reseller keeps it from that distributor ("do not share": then the
    # distributor's people cannot reach it anywhere, deals.scope); the distributor that registered it on the
    # reseller's behalf (None: the reseller itself); when the distributor's people were told of it (at most once).
    distributor_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    distributor_hidden: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default="0"))
    registered_by_org_id: int | None = Field(default=None, foreign_key="organization.id")
    distributor_notified_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # The deal's id in another system (a CRM), unique within the partner when set: the key of the deal CSV import
    # (deals/table.py).
    external_id: str | None = Field(default=None, sa_column=Column(String(100), nullable=True))


class DealPayment(SQLModel, table=True):
    """The customer's money on a won deal, appended: a payment (positive) or a refund (negative, with its reason).
    What the customer has paid is the sum; nothing here is ever updated."""

    __tablename__ = "deal_payment"

    id: int | None = Field(default=None, primary_key=True)
    deal_id: int = Field(foreign_key="deal.id", index=True)
    kind: str = Field(sa_column=Column(String(10), nullable=False))  # payment | refund
    amount: Decimal = Field(sa_column=money_column())  # in the deal's currency; a refund is negative
    on_date: date = Field(sa_column=Column(Date, nullable=False))
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    actor_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class DealProduct(SQLModel, table=True):
    __tablename__ = "deal_product"

    deal_id: int = Field(foreign_key="deal.id", primary_key=True)
    product_id: int = Field(foreign_key="product.id", primary_key=True, index=True)


class DealEvent(SQLModel, table=True):
    """The deal's history as the partner and the manager see it: every status change with who, when, why."""

    __tablename__ = "deal_event"

    id: int | None = Field(default=None, primary_key=True)
    deal_id: int = Field(foreign_key="deal.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    actor_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    action: str = Field(sa_column=Column(String(40), nullable=False))
    from_status: str = Field(default="", sa_column=Column(String(20), nullable=False, default=""))
    to_status: str = Field(default="", sa_column=Column(String(20), nullable=False, default=""))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class DealExtension(SQLModel, table=True):
    __tablename__ = "deal_extension"

    id: int | None = Field(default=None, primary_key=True)
    deal_id: int = Field(foreign_key="deal.id", index=True)
    requested_by_id: int = Field(foreign_key="app_user.id")
    requested_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    days: int
    reason: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", sa_column=Column(String(20), nullable=False, index=True))
    decided_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class ConflictKey(SQLModel, table=True):
    """Blocking keys (from domain.conflicts.blocking_keys) so a conflict check reads a handful of rows, not all."""

    __tablename__ = "conflict_key"
    __table_args__ = (
        UniqueConstraint("key", "kind", "record_id"),
        Index("ix_conflict_key_record", "kind", "record_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(40), nullable=False))
    kind: str = Field(sa_column=Column(String(20), nullable=False))  # "registration" | "direct_account"
    record_id: int


class QueuedConflict(SQLModel, table=True):
    """A possible conflict of a submitted registration, stored so the review queue counts them without scoring.

    Kept by `matching.queued.refresh_queued_conflicts`. A score depends on time only through the other claim's
    protection, so both scores are kept: `protected_score` while `protected_until` is in the future, `score` after
    (or when there is no protection). Either may be below the threshold (a conflict only while protected, or only
    not, which cannot happen today but costs nothing to allow); the count at any moment is then exact.
    """

    __tablename__ = "queued_conflict"

    deal_id: int = Field(foreign_key="deal.id", primary_key=True)  # the submitted registration
    kind: str = Field(sa_column=Column(String(20), primary_key=True))  # "registration" | "direct_account"
    other_id: int = Field(primary_key=True)  # the other registration or direct account
    score: int  # 0..100 while the other claim is not protected
    protected_score: int  # 0..100 while it is
    protected_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class DealProgramSetting(SQLModel, table=True):
    """The deal registration program's settings the channel team changes in the app: one row (id 1), made on the
    first change; until then the defaults below apply."""

    __tablename__ = "deal_program_setting"

    id: int | None = Field(default=None, primary_key=True)
    # A reseller with a current distributor must name the one that will fulfil each registration.
    distributor_required: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default="0"))
    # The share of a registration's value credited to the distributor that fulfils it (deals.rules.role_credits).
    distributor_credit_pct: Decimal = Field(
        default=Decimal(100),
        sa_column=Column(Numeric(5, 2, asdecimal=True), nullable=False, server_default="100"),
    )
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    updated_by_id: int | None = Field(default=None, foreign_key="app_user.id")
