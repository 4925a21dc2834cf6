"""Which partners and which period a report covers: the filters every dashboard, scorecard and NPS report takes.

The period is [start, end) in UTC days and applies to each figure's own date; region, type, tier and channel
manager narrow the partner organizations (`org_filters`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from prm_app.partners.models import Organization
from prm_app.platform.errors import ValidationError

MAX_DAYS = 800  # two years and a bit: the dashboards' longest period


@dataclass(frozen=True)
class Filters:
    """What every dashboard figure is narrowed by. The period is [start, end) in UTC days and applies to each
    figure's own date; region, type, tier and channel manager apply to the partner organization."""

    start: date
    end: date
    region: str = ""
    partner_type: str = ""
    tier_id: int | None = None
    manager_id: int | None = None

    @property
    def lo(self) -> datetime:
        return utc(self.start)

    @property
    def hi(self) -> datetime:
        return utc(self.end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def previous(self) -> Filters:
        """The period of the same length right before this one."""
        return replace(self, start=self.start - timedelta(days=self.days), end=self.start)

    def label(self) -> str:
        return f"{self.start:%d %b %Y} – {self.end - timedelta(days=1):%d %b %Y}"

    @classmethod
    def last_days(cls, days: int, now: datetime, **segment: Any) -> Filters:
        """The `days` whole UTC days up to and including today (`now`'s day), narrowed by `segment`."""
        end = now.date() + timedelta(days=1)
        return cls(start=end - timedelta(days=days), end=end, **segment)


def utc(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def check_filters(f: Filters) -> None:
    if f.end <= f.start:
        raise ValidationError("The period must end after it starts.", "end")
    if f.days > MAX_DAYS:
        raise ValidationError(f"Choose a period of at most {MAX_DAYS} days.", "start")


def org_filters(f: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if f.region:
        conditions.append(col(Organization.region) == f.region)
    if f.partner_type:
        conditions.append(col(Organization.partner_type) == f.partner_type)
    if f.tier_id:
        conditions.append(col(Organization.tier_id) == f.tier_id)
    if f.manager_id:
        conditions.append(col(Organization.channel_manager_id) == f.manager_id)
    return conditions
