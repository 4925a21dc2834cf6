"""Keeping dashboards live without recomputing per viewer.

`current_version()` reads the data version (three max(id) lookups on primary keys) at most once a second per
worker, whoever asks; `dashboard_reports()` computes each report once per (filters, the version parts it reads)
per worker and hands the same small result to every viewer. A viewer's loop only recomputes when the version
moved, and `reports_to_show` says which reports a move (or a filter change) touches.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from sqlmodel import Session, select

from prm_app.analytics import metrics
from prm_app.analytics.panels import Panel, dashboard_panels, within_book
from prm_app.nps import NpsReport, nps_report
from prm_app.partners import Filters, Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.db import session_scope

T = TypeVar("T")
VERSION_TTL_SECONDS = 1.0
MAX_CACHED_REPORTS = 256

_lock = threading.Lock()
Version = tuple[int, ...]  # metrics.data_version(), or () before the first read
_version: tuple[float, Version] = (0.0, ())
_reports: OrderedDict[Hashable, object] = OrderedDict()


def current_version() -> Version:
    """The data version, at most VERSION_TTL_SECONDS old."""
    global _version
    checked, value = _version
    if time.monotonic() - checked < VERSION_TTL_SECONDS:
        return value
    with _lock:
        checked, value = _version
        if time.monotonic() - checked >= VERSION_TTL_SECONDS:
            with session_scope() as session:
                value = metrics.data_version(session)
            _version = (time.monotonic(), value)
    return value


def _shared_report(key: Hashable, version: Version, compute: Callable[[], T]) -> T:
    """`compute()` once per (key, version) in this worker; the access check belongs in `compute`'s caller."""
    cache_key = (key, version)
    with _lock:
        if cache_key in _reports:
            _reports.move_to_end(cache_key)
            # ignored: the cache's values are typed object, but this key's is what compute() returned, a T
            return _reports[cache_key]  # type: ignore[return-value]
    result = compute()
    with _lock:
        _reports[cache_key] = result
        while len(_reports) > MAX_CACHED_REPORTS:
            _reports.popitem(last=False)
    return result


REPORTS: dict[str, Callable[[Session, Actor, Filters], object]] = {
    "engagement": metrics.engagement,
    "pipeline": metrics.pipeline,
    "revenue": metrics.revenue,
    "efficiency": metrics.efficiency,
    "nps": lambda session, actor, f: nps_report(session, actor, filters=f),
}


# Which parts of data_version each report reads (an NPS answer writes an engagement event).
DEPENDS_ON = {**metrics.DEPENDS_ON, "nps": (0,)}


def _parts(name: str, version: Version) -> Version:
    return tuple(version[i] for i in DEPENDS_ON[name])


@dataclass(frozen=True)
class DashboardReports:
    """Every report the dashboard shows, for one set of filters (one field per name in REPORTS)."""

    engagement: metrics.EngagementReport
    pipeline: metrics.PipelineReport
    revenue: metrics.RevenueReport
    efficiency: metrics.EfficiencyReport
    nps: NpsReport


def dashboard_reports(session: Session, actor: Actor, f: Filters, version: Version) -> DashboardReports:
    """Every dashboard report for these filters, each computed once per (filters, the version parts it reads) in
    this worker and shared across viewers, so a login recomputes engagement but not the pipeline. The actor's
    access is checked here, before anything cached is handed out."""
    actor.require(Permission.VIEW_PARTNERS)
    key = (f.start, f.end, f.region, f.partner_type, f.tier_id, f.manager_id)
    # Any: each value is its field's report; REPORTS holds builders of different types
    reports: dict[str, Any] = {
        name: _shared_report((name, key), _parts(name, version), partial(build, session, actor, f))
        for name, build in REPORTS.items()
    }
    return _within_book(session, actor, DashboardReports(**reports))


def shared_panels(session: Session, actor: Actor, f: Filters, version: Version, now: datetime) -> tuple[Panel, ...]:
    """The registered panels (analytics.panels) for these filters, computed once per (filters, data version, day)
    in this worker and shared across viewers like the reports. A panel may read any area's rows, so every part of
    the version counts; the day is in the key because some figures are "as of today" (certified headcount). The
    access check runs before anything cached is handed out (and again inside, when computing)."""
    actor.require(Permission.VIEW_PARTNERS)
    key = ("panels", f.start, f.end, f.region, f.partner_type, f.tier_id, f.manager_id, now.date())
    panels = _shared_report(key, version, partial(dashboard_panels, session, actor, f, now))
    if (owner := actor.book_owner()) is None:
        return panels
    # A channel manager's copy lists only the partners of their book; kept per manager, so every tab of theirs
    # is handed the same tuple (the state draws it once).
    return _shared_report((*key, owner), version, lambda: within_book(panels, _book(session, owner)))


def _within_book(session: Session, actor: Actor, reports: DashboardReports) -> DashboardReports:
    """Program-wide figures stay whole; the per-partner tables (revenue per partner, the least engaged) list only
    the partners in the actor's reach (a channel manager's book: the one rule of platform.access)."""
    owner = actor.book_owner()
    if owner is None:
        return reports
    mine = _book(session, owner)
    revenue = replace(
        reports.revenue, top_partners=tuple(p for p in reports.revenue.top_partners if p.partner_id in mine)
    )
    engagement = replace(
        reports.engagement, least_engaged=tuple(p for p in reports.engagement.least_engaged if p.partner_id in mine)
    )
    return replace(reports, revenue=revenue, engagement=engagement)


def _book(session: Session, owner: int) -> frozenset[int]:
    """The partners in channel manager `owner`'s book."""
    return frozenset(
        i for i in session.exec(select(Organization.id).where(Organization.channel_manager_id == owner)).all() if i
    )


def reports_to_show(shown: Filters | None, f: Filters, before: Version, after: Version) -> set[str]:
    """The reports a viewer must redraw: all after a filter change, else those whose data moved."""
    if shown != f or len(before) != len(after):
        return set(REPORTS)
    return metrics.stale_reports(before, after, DEPENDS_ON) & set(REPORTS)
