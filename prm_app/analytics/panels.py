"""Dashboard panels the higher areas add (certified headcount from training, asset usage from content, tier
distribution and movements from tiering, MDF return from incentives): analytics sits below those areas and cannot
read them, so each registers a reader from its reactions module, and the dashboard shows what the readers give.

A reader gets the dashboard's filters (the period and the partner segment) after `require_dashboard` passed, and
answers plain values: a few facts, small tables, one bar series each; nothing Reflex. It must narrow everything to
the filters' partners (partners.org_filters) and period, as every other report does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session

from prm_app.analytics.common import require_dashboard
from prm_app.partners import Filters
from prm_app.platform.access import Actor
from prm_app.platform.db import part_of

log = logging.getLogger("prm_app.analytics")


@dataclass(frozen=True)
class PanelFact:
    label: str
    value: str  # already formatted ("1,204", "38 %", "12,500.00 USD")
    hint: str = ""  # what it counts, e.g. "people with a valid certificate today"


@dataclass(frozen=True)
class PanelTable:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # formatted cells, as many as headers
    partners: tuple[int, ...] = ()  # a table of partners: each row's organization id (a book keeps only its own)


@dataclass(frozen=True)
class PanelBars:
    """One bar chart: a value per label, in order (drawn with a data table and a sentence, like every chart)."""

    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    unit: str = ""  # "people", "downloads", "USD"
    item: str = ""  # what a label names ("Certification", "Tier"): the axis title and the data table's first header
    partners: tuple[int, ...] = ()  # bars of partners: each bar's organization id (a book keeps only its own)


@dataclass(frozen=True)
class Panel:
    key: str  # the reader's key: a stable id for the page ("training", "content", "tiering", "mdf")
    title: str  # the section's heading ("Training and certification")
    facts: tuple[PanelFact, ...] = ()
    tables: tuple[PanelTable, ...] = ()
    bars: tuple[PanelBars, ...] = ()
    note: str = ""  # what the panel does not follow, e.g. "Certified headcount is as of today, not the period."


PanelReader = Callable[[Session, Filters, datetime], Panel | None]

_readers: dict[str, tuple[int, PanelReader]] = {}


def register_dashboard_panel(key: str, order: int, reader: PanelReader) -> None:
    """Add a panel to the dashboards, shown in `order` (lower first) after the built-in sections. Registered once
    at import (the area's reactions module); registering the same key again replaces it."""
    _readers[key] = (order, reader)


def dashboard_panels(session: Session, actor: Actor, f: Filters, now: datetime) -> tuple[Panel, ...]:
    """Every registered panel for these filters, in order; a reader with nothing to show (None) is left out, and
    so is one that fails (logged): one area's error must not hold the whole dashboard busy. Each reader runs in its
    own part of the unit of work, so a failed query (which aborts a PostgreSQL transaction) spoils no other."""
    require_dashboard(session, actor, f)
    panels = []
    for key, (_order, reader) in sorted(_readers.items(), key=lambda r: r[1][0]):
        try:
            with part_of(session):
                panel = reader(session, f, now)
        except Exception:
            log.exception("dashboard panel %s failed", key)
            continue
        if panel is not None:
            panels.append(panel)
    return tuple(panels)


def within_book(panels: tuple[Panel, ...], book: frozenset[int]) -> tuple[Panel, ...]:
    """The panels as a channel manager sees them: program-wide figures stay whole, but a table or bar series that
    lists partners (its `partners` set) keeps only the rows of the partners in `book`, like the dashboard's own
    per-partner tables (analytics.live)."""

    def table(t: PanelTable) -> PanelTable:
        if not t.partners:
            return t
        kept = [(row, p) for row, p in zip(t.rows, t.partners, strict=True) if p in book]
        return replace(t, rows=tuple(r for r, _p in kept), partners=tuple(p for _r, p in kept))

    def bars(b: PanelBars) -> PanelBars:
        if not b.partners:
            return b
        kept = [bar for bar in zip(b.labels, b.values, b.partners, strict=True) if bar[2] in book]
        return replace(
            b,
            labels=tuple(label for label, _v, _p in kept),
            values=tuple(v for _l, v, _p in kept),
            partners=tuple(p for _l, _v, p in kept),
        )

    return tuple(
        replace(p, tables=tuple(table(t) for t in p.tables), bars=tuple(bars(b) for b in p.bars)) for p in panels
    )
