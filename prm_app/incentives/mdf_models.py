"""MDF tables beside the request and its claim: the proof files of an activity's checklist, the results the partner
reports after the activity, and the partner's own deals it links to it (the ROI's attributed revenue).

Workflow records, not money: the money a request cost is still the sum of its ledger lines."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from prm_app.incentives.models import amount_column
from prm_app.platform.clock import UTCDateTime, utcnow


class ClaimProof(SQLModel, table=True):
    """The file proving one item of the activity's checklist (mdf_rules.PROOF_ITEMS) for a request's claim: one per
    item (a new upload replaces it), stored privately like the invoices, with its content hash."""

    __tablename__ = "claim_proof"
    __table_args__ = (UniqueConstraint("request_id", "item", name="uq_claim_proof_request_item"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="fund_request.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    item: str = Field(sa_column=Column(String(30), nullable=False))
    file_key: str = Field(sa_column=Column(String(32), nullable=False))
    file_type: str = Field(sa_column=Column(String(40), nullable=False))
    file_name: str = Field(sa_column=Column(String(200), nullable=False))
    file_sha256: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    uploaded_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    uploaded_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class FundResult(SQLModel, table=True):
    """What the activity brought, as the partner reports it after the activity (one per request, corrected in
    place): leads, opportunities, pipeline and won revenue in the budget's currency."""

    __tablename__ = "fund_result"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(sa_column=Column(Integer, ForeignKey("fund_request.id"), nullable=False, unique=True))
    organization_id: int = Field(foreign_key="organization.id", index=True)
    leads: int = Field(default=0)
    opportunities: int = Field(default=0)
    pipeline: Decimal = Field(sa_column=amount_column())
    won_revenue: Decimal = Field(sa_column=amount_column())
    reported_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    reported_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class FundRequestDeal(SQLModel, table=True):
    """One of the partner's own deals that came from the activity: its won amount is the ROI's attributed revenue."""

    __tablename__ = "fund_request_deal"
    __table_args__ = (UniqueConstraint("request_id", "deal_id", name="uq_fund_request_deal_request_deal"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="fund_request.id", index=True)
    deal_id: int = Field(foreign_key="deal.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    linked_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    linked_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
