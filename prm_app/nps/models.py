"""What dashboards need beyond the activity tables: exchange rates for money in other currencies, and NPS surveys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


class NpsSurvey(SQLModel, table=True):
    """A survey open from `opens_at` (included) to `closes_at` (excluded). The days the manager chose are calendar
    days in `time_zone`, the launching manager's zone (kept here, so changing their setting later never moves a
    survey's days): everyone reads the same opening and closing day, named with that zone."""

    __tablename__ = "nps_survey"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(sa_column=Column(String(120), nullable=False))
    question: str = Field(sa_column=Column(Text, nullable=False))
    opens_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    closes_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # An IANA name ("America/Los_Angeles"); "UTC" for the surveys launched before days had a zone (UTC days).
    time_zone: str = Field(
        default="UTC", sa_column=Column(String(64), nullable=False, server_default=text("'UTC'"), default="UTC")
    )
    created_by_id: int = Field(foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class NpsResponse(SQLModel, table=True):
    """One answer per person per survey, enforced by the database."""

    __tablename__ = "nps_response"
    __table_args__ = (UniqueConstraint("survey_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="nps_survey.id", index=True)
    user_id: int = Field(foreign_key="app_user.id")
    organization_id: int = Field(foreign_key="organization.id", index=True)
    score: int
    comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    answered_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
