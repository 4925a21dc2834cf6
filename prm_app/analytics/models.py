"""The dashboards' daily rollups (see analytics/rollups.py for how they are kept and read).

A cell is one measure's rows of one UTC day for one partner segment (partner type x tier x region, the attributes
the dashboards filter and group by), split by the measure's own key (e.g. status|stage|month|currency). Cells hold
raw sums in the rows' own currency, so an exchange rate added later changes no cell: reports convert per day.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Column, Date, Index, Integer, Numeric, PrimaryKeyConstraint, SmallInteger, String
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime


class RollupCell(SQLModel, table=True):
    """Keyed measure, cube, day, then the segment: a report reads one cube (rollups.CUBES: the cells summed over
    the attributes it neither filters nor groups by) over a range of days, which is one stretch of the primary key
    whose length is the cube's size times the period, whatever the data's size."""

    __tablename__ = "rollup_cell"
    __table_args__ = (
        # The sums ride in the primary key's index on PostgreSQL (INCLUDE): a report's cells are then read from a few
        # index pages in key order (an index-only scan), however scattered the rows are in the table after refolds.
        PrimaryKeyConstraint(
            "measure", "cube", "day", "partner_type", "tier_id", "region", "key",
            postgresql_include=["n", "amount", "lead_n", "lead_amount"],
        ),
        Index("ix_rollup_cell_day", "day"),  # a fold replaces whole days
    )  # fmt: skip

    measure: str = Field(sa_column=Column(String(12), primary_key=True))
    cube: int = Field(sa_column=Column(SmallInteger, primary_key=True, autoincrement=False))  # bits: type, tier, region
    day: date = Field(sa_column=Column(Date, primary_key=True))
    partner_type: str = Field(sa_column=Column(String(30), primary_key=True))
    tier_id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    region: str = Field(sa_column=Column(String(40), primary_key=True))
    key: str = Field(default="", sa_column=Column(String(80), primary_key=True))
    n: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    amount: Decimal = Field(default=Decimal(0), sa_column=Column(Numeric(20, 2), nullable=False))
    # the part of n and amount that came from a lead (won deals a lead was converted to)
    lead_n: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    lead_amount: Decimal = Field(default=Decimal(0), sa_column=Column(Numeric(20, 2), nullable=False))


class RollupPartner(SQLModel, table=True):
    """The segment each partner's rows were folded under (a partner whose attributes differ now has moved), and the
    instant of one of its logins and of one of its events of any kind (the latest as of the fold that wrote them;
    None: not known). The engagement dashboard takes a stored instant inside a period as proof of activity there and
    checks every other partner raw, so a stale value costs time, never exactness."""

    __tablename__ = "rollup_partner"

    organization_id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    partner_type: str = Field(sa_column=Column(String(30), nullable=False))
    tier_id: int = Field(sa_column=Column(Integer, nullable=False))
    region: str = Field(sa_column=Column(String(40), nullable=False))
    last_login_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    last_event_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class RollupState(SQLModel, table=True):
    """One row (id 1): days before `folded_until` are folded, as of the events up to these ids; rows changed by later
    events make their days 'dirty' until the next fold (reports read those days raw)."""

    __tablename__ = "rollup_state"

    id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    folded_until: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    deal_event_id: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    lead_event_id: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    engagement_event_id: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
