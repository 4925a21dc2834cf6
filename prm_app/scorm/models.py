"""SCORM packages (a checked, unpacked zip and what its manifest says) and each person's attempt at one package in
one context (a training lesson, a manager's preview): the whole CMI data the package committed, with the facts the
rest of the app reads (status, score, time) in their own columns."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


class ScormPackage(SQLModel, table=True):
    """An imported package. Its files live in the package store under `folder` (a random token, never a name from
    the zip); `launch_href` is the first SCO's file relative to that folder, with the item's parameters."""

    __tablename__ = "scorm_package"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(sa_column=Column(String(200), nullable=False, index=True))
    version: str = Field(sa_column=Column(String(8), nullable=False))  # "1.2" or "2004"
    identifier: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))
    folder: str = Field(sa_column=Column(String(32), nullable=False, unique=True))
    launch_href: str = Field(sa_column=Column(String(1000), nullable=False))
    # [{"identifier", "title", "href"}] in the organization's order: what the manager sees.
    scos: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    mastery_score: Decimal | None = Field(default=None, sa_column=Column(Numeric(7, 4), nullable=True))  # 1.2: 0-100
    scaled_passing_score: Decimal | None = Field(default=None, sa_column=Column(Numeric(7, 4), nullable=True))
    completion_threshold: Decimal | None = Field(default=None, sa_column=Column(Numeric(7, 4), nullable=True))
    file_count: int = 0
    total_bytes: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    original_name: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))
    uploaded_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("app_user.id"), nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class ScormAttempt(SQLModel, table=True):
    """One person's attempt at one package in one `context` ("preview", "lesson:42"): one row, resumed launch after
    launch. Each launch gets a new `launch_token` (it names the launch in the file and commit URLs) and starts its
    commit sequence at 0; a commit whose sequence is not above `commit_seq` was applied already (a beacon sent
    twice) and changes nothing. Time: `total_seconds` = `prior_seconds` (every earlier launch) + the latest
    session_time of this launch, so a repeated commit can never count a session twice."""

    __tablename__ = "scorm_attempt"
    __table_args__ = (UniqueConstraint("user_id", "package_id", "context"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("app_user.id"), nullable=False))  # the unique key's lead
    package_id: int = Field(
        sa_column=Column(Integer, ForeignKey("scorm_package.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    context: str = Field(sa_column=Column(String(60), nullable=False))
    launch_token: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    launches: int = 0
    commit_seq: int = 0  # the highest commit sequence applied in the current launch
    entry: str = Field(default="ab-initio", sa_column=Column(String(16), nullable=False, default="ab-initio"))
    exit: str = Field(default="", sa_column=Column(String(16), nullable=False, default=""))
    # 1.2's lesson_status, or 2004's completion/success pair mapped onto it (see rules.Status).
    completion_status: str = Field(default="not attempted", sa_column=Column(String(16), nullable=False))
    success_status: str = Field(default="unknown", sa_column=Column(String(16), nullable=False))
    lesson_status: str = Field(default="not attempted", sa_column=Column(String(16), nullable=False))
    location: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    suspend_data: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    score_raw: Decimal | None = Field(default=None, sa_column=Column(Numeric(12, 4), nullable=True))
    score_min: Decimal | None = Field(default=None, sa_column=Column(Numeric(12, 4), nullable=True))
    score_max: Decimal | None = Field(default=None, sa_column=Column(Numeric(12, 4), nullable=True))
    score_scaled: Decimal | None = Field(default=None, sa_column=Column(Numeric(7, 4), nullable=True))
    progress_measure: Decimal | None = Field(default=None, sa_column=Column(Numeric(7, 4), nullable=True))
    prior_seconds: Decimal = Field(default=Decimal(0), sa_column=Column(Numeric(14, 2), nullable=False, default=0))
    total_seconds: Decimal = Field(default=Decimal(0), sa_column=Column(Numeric(14, 2), nullable=False, default=0))
    cmi: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # the last commit
    completed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    passed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    started_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
