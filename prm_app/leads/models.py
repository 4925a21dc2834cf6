"""Leads the vendor hands to partners, the queues managers order them in, and partners' routing profiles."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Column, Float, Index, String, Text
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow
from prm_app.platform.jobs_progress import JobRun  # noqa: F401  (lead imports record their runs there; registers the table)
from prm_app.platform.money import money_column


class LeadStatus(StrEnum):
    NEW = "new"  # in a queue, waiting for routing (also where declined/expired leads return when nobody is left)
    PROPOSED = "proposed"  # routing (or a manager) proposed a partner; not yet sent
    OFFERED = "offered"  # sent to the partner; the accept deadline runs
    ACCEPTED = "accepted"
    CONTACTED = "contacted"
    QUALIFIED = "qualified"
    DISQUALIFIED = "disqualified"
    CONVERTED = "converted"  # became a deal registration


QUEUED = (LeadStatus.NEW, LeadStatus.PROPOSED)  # still waiting in its queue: the partner does not see it yet
# Accepted and not yet done with: the partner may work it or register a deal from it.
WORKABLE = (LeadStatus.ACCEPTED, LeadStatus.CONTACTED, LeadStatus.QUALIFIED)

DECLINE_REASONS = ("Not our territory", "No capacity", "Not a fit", "Spam")


class LeadQueue(SQLModel, table=True):
    """A queue of leads shared by the managers who are its members; `countries` decides which leads land in it."""

    __tablename__ = "lead_queue"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(80), unique=True, nullable=False))
    countries: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # "US,CA,..."; "" = all


class LeadQueueMember(SQLModel, table=True):
    __tablename__ = "lead_queue_member"

    queue_id: int = Field(foreign_key="lead_queue.id", primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", primary_key=True, index=True)


class Lead(SQLModel, table=True):
    __tablename__ = "lead"
    __table_args__ = (
        Index("ix_lead_queue_rank", "queue_id", "status", "rank"),
        Index("ix_lead_partner_status", "partner_id", "status"),
        # Dashboards: was this deal converted from a lead (sourced vs influenced); response times by acceptance.
        Index("ix_lead_deal_id", "deal_id"),
        Index("ix_lead_accepted", "accepted_at", "partner_id", "offered_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    queue_id: int = Field(foreign_key="lead_queue.id")
    rank: int = Field(default=0, description="Position in its queue; lower comes first")
    status: str = Field(sa_column=Column(String(20), nullable=False, index=True))
    company: str = Field(sa_column=Column(String(200), nullable=False))
    domain: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))
    contact_name: str = Field(default="", sa_column=Column(String(120), nullable=False, default=""))
    contact_email: str = Field(sa_column=Column(String(254), nullable=False))
    country: str = Field(sa_column=Column(String(2), nullable=False))
    city: str = Field(default="", sa_column=Column(String(120), nullable=False, default=""))
    postcode: str = Field(default="", sa_column=Column(String(20), nullable=False, default=""))
    lat: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    lon: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    vertical: str = Field(default="", sa_column=Column(String(40), nullable=False, default=""))
    estimated_size: Decimal | None = Field(default=None, sa_column=money_column(nullable=True))
    currency: str = Field(default="USD", sa_column=Column(String(3), nullable=False, default="USD"))
    source: str = Field(default="other", sa_column=Column(String(30), nullable=False, default="other"))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    partner_id: int | None = Field(default=None, foreign_key="organization.id", description="proposed/offered/owner")
    proposal_score: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    proposal_reasons: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # one per line
    offered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    accept_deadline: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True, index=True))
    accepted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    status_note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    recycle_count: int = 0
    deal_id: int | None = Field(default=None, foreign_key="deal.id")
    # The distributor that accepted the lead and passed it to its reseller (leads.passing): a decline or a lapsed
    # offer gives it back to that distributor rather than to routing. None for every other lead.
    passed_by_id: int | None = Field(default=None, foreign_key="organization.id")
    # Its id in another system, the key of CSV imports (leads/table.py); unique when set, None for typed-in leads.
    external_id: str | None = Field(default=None, sa_column=Column(String(100), nullable=True, unique=True, index=True))


class LeadProduct(SQLModel, table=True):
    __tablename__ = "lead_product"

    lead_id: int = Field(foreign_key="lead.id", primary_key=True)
    product_id: int = Field(foreign_key="product.id", primary_key=True)


class LeadDecline(SQLModel, table=True):
    """A partner said no (or let the deadline pass): routing never offers it this lead again."""

    __tablename__ = "lead_decline"

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(foreign_key="lead.id", index=True)
    partner_id: int = Field(foreign_key="organization.id", index=True)
    reason: str = Field(sa_column=Column(String(60), nullable=False))
    expired: bool = False
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class LeadEvent(SQLModel, table=True):
    __tablename__ = "lead_event"
    __table_args__ = (Index("ix_lead_event_action_at", "action", "at", "partner_id", "lead_id"),)  # dashboards

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(foreign_key="lead.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True))
    actor_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    partner_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    action: str = Field(sa_column=Column(String(30), nullable=False, index=True))
    score: float | None = Field(default=None, sa_column=Column(Float, nullable=True))  # the routing score, on offers
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class RoutingProfile(SQLModel, table=True):
    """What routing knows about a partner beyond its tier: where it works, what it knows, how much it can take."""

    __tablename__ = "routing_profile"

    organization_id: int = Field(foreign_key="organization.id", primary_key=True)
    countries: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # "US,CA"
    lat: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    lon: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    verticals: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # "healthcare,retail"
    certified_products: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # "1,3"
    monthly_capacity: int = 10
    accepts_leads: bool = True
