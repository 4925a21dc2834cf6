"""Pure rules of the distribution hierarchy: periods, and the one invariant, no cycles. No database here.

A relation holds on the days of its period [valid_from, valid_to) (valid_to None: open-ended). The hierarchy may
change over time, so a cycle is judged on the days it would exist: adding parent P above child C makes a cycle when,
on some day of the new period, C is already above P (through any chain of relations that all hold on that day).
So A→B in 2026 and B→A in 2028 is allowed; A→B open-ended and B→A from any day is not; a longer loop
A→B→C→A is refused like A→B→A.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from prm_app.platform.errors import ValidationError


@dataclass(frozen=True)
class Period:
    start: date
    end: date | None = None  # exclusive; None: open-ended

    def holds_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def overlap(self, other: Period) -> Period | None:
        """The days both periods hold, or None when they share none."""
        start = max(self.start, other.start)
        ends = [e for e in (self.end, other.end) if e is not None]
        end = min(ends) if ends else None
        return None if end is not None and end <= start else Period(start, end)


@dataclass(frozen=True)
class Edge:
    """An existing relation: `parent` above `child` during `period`."""

    parent: int
    child: int
    period: Period


def cycle_path(edges: list[Edge], parent: int, child: int, period: Period) -> tuple[int, ...] | None:
    """The chain child → … → parent that adding `parent` above `child` for `period` would close into a loop (as
    organization ids, from the child down to the parent), or None when it closes none. A relation of a partner
    with itself is a loop of one."""
    if parent == child:
        return (child,)
    below: dict[int, list[Edge]] = {}
    for e in edges:
        below.setdefault(e.parent, []).append(e)
    # Depth-first from the child downwards, carrying the days every relation on the path so far holds.
    stack: list[tuple[int, Period, tuple[int, ...]]] = [(child, period, (child,))]
    seen: set[tuple[int, Period]] = set()
    while stack:
        node, days, path = stack.pop()
        for e in below.get(node, []):
            shared = days.overlap(e.period)
            if shared is None or (e.child, shared) in seen:
                continue
            if e.child == parent:
                return (*path, parent)
            seen.add((e.child, shared))
            stack.append((e.child, shared, (*path, e.child)))
    return None


def check_new_relation(edges: list[Edge], parent: int, child: int, period: Period) -> None:
    """Raise ValidationError (on the "parent_id" field) when the relation cannot be added: a partner above itself,
    a cycle, or the same pair already related on some of those days."""
    if period.end is not None and period.end <= period.start:
        raise ValidationError("The end date must be after the start date.", "valid_from")
    if cycle_path(edges, parent, child, period) is not None:
        message = (
            "A partner cannot be above itself."
            if parent == child
            else "That would make a loop: this partner is already above the chosen parent on some of those days."
        )
        raise ValidationError(message, "parent_id")
    for e in edges:
        if e.parent == parent and e.child == child and e.period.overlap(period) is not None:
            raise ValidationError("These two partners are already related on some of those days.", "parent_id")
