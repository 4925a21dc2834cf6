"""What the onboarding pages show: the area's read models in, small frozen rows of display text out (pure, tested
without a browser). Statuses keep their code beside the label, for the badge colour and for tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from prm_app.onboarding.queries import BoardRow, ChecklistView, StageView, TaskView
from prm_app.onboarding.rules import (
    KIND_LABELS,
    STATUS_LABELS,
    TICKED_BY,
    QuarterMedians,
    TaskKind,
    TaskStatus,
    is_done,
)
from prm_app.partners import type_label
from prm_app.platform.i18n import Catalogue, catalogue
from prm_app.web.format import day, relative

STATUS_COLORS = {
    TaskStatus.PENDING: "gray",
    TaskStatus.WAITING_APPROVAL: "amber",
    TaskStatus.COMPLETED: "green",
    TaskStatus.ACTION_REQUIRED: "red",
    TaskStatus.SKIPPED: "gray",
}


def days_text(days: float | None) -> str:
    """ "12 days" (whole days, rounded), "under a day", or "—" when it has not happened."""
    if days is None:
        return "—"
    whole = round(days)
    return "under a day" if whole < 1 else f"{whole} day" if whole == 1 else f"{whole} days"


@dataclass(frozen=True)
class TaskLine:
    id: int = 0
    title: str = ""
    kind: str = ""
    kind_label: str = ""
    status: str = ""
    status_label: str = ""
    color: str = "gray"
    note: str = ""  # the manager's reason, shown while action is required
    document_name: str = ""
    meta: str = ""  # "Manual task · updated 6 Dec 2026", in the reader's language
    hint: str = ""  # how a self-ticking task gets done
    can_mark_done: bool = False  # the partner's "Mark as done" (manual tasks, open)
    needs_upload: bool = False  # the partner's upload (document tasks, open)
    can_approve: bool = False
    can_send_back: bool = False
    can_skip: bool = False


# The kinds that tick themselves, each with a hint of how (onboarding.hint.<kind> in the reader's language).
HINTED = frozenset(TICKED_BY.values())


def _label(words: Catalogue, key: str, fallback: str) -> str:
    """The message `key`, or `fallback` (the English label) for a code the catalogue does not know."""
    try:
        return words.text(key)
    except KeyError:
        return fallback


def task_line(t: TaskView, zone: tzinfo = UTC, words: Catalogue | None = None) -> TaskLine:
    """The task in `words`' language (English by default): its kind, status, day and hint; its title is the
    template's, as written. (Labels are looked up by the code: a StrEnum member equals and hashes as its value.)"""
    words = words or catalogue("en")
    open_ = t.status in (TaskStatus.PENDING, TaskStatus.ACTION_REQUIRED)
    kind_label = _label(words, f"onboarding.kind.{t.kind}", KIND_LABELS.get(t.kind, t.kind))  # type: ignore[call-overload]
    updated = day(t.updated_at, zone, language=words.language)
    return TaskLine(
        id=t.id,
        title=t.title,
        kind=t.kind,
        kind_label=kind_label,
        status=t.status,
        status_label=_label(words, f"onboarding.status.{t.status}", STATUS_LABELS.get(t.status, t.status)),  # type: ignore[call-overload]
        color=STATUS_COLORS.get(t.status, "gray"),  # type: ignore[call-overload]
        note=t.note if t.status == TaskStatus.ACTION_REQUIRED else "",
        document_name=t.document_name,
        meta=words.text("onboarding.task_meta", kind=kind_label, day=updated),
        hint=words.text(f"onboarding.hint.{t.kind}") if t.kind in HINTED else "",
        can_mark_done=open_ and t.kind == TaskKind.CUSTOM,
        needs_upload=open_ and t.kind == TaskKind.UPLOAD_DOCUMENT,
        can_approve=t.status == TaskStatus.WAITING_APPROVAL,
        can_send_back=t.status in (TaskStatus.WAITING_APPROVAL, TaskStatus.COMPLETED),
        can_skip=not is_done(t.status),
    )


@dataclass(frozen=True)
class StageLine:
    id: int = 0
    name: str = ""
    progress: str = ""  # "2 of 3 done"
    progress_label: str = ""  # the progress bar's name: "Sell progress"
    percent: int = 0
    done: bool = False
    current: bool = False
    tasks: list[TaskLine] = field(default_factory=list)


def stage_line(s: StageView, current_id: int | None, zone: tzinfo = UTC, words: Catalogue | None = None) -> StageLine:
    words = words or catalogue("en")
    return StageLine(
        id=s.id,
        name=s.name,
        progress=words.text("home.stage_progress", done=s.done, total=s.total),
        progress_label=words.text("onboarding.stage_progress_label", stage=s.name),
        percent=round(100 * s.done / s.total) if s.total else 100,
        done=s.completed_at is not None,
        current=s.id == current_id,
        tasks=[task_line(t, zone, words) for t in s.tasks],
    )


@dataclass(frozen=True)
class JourneyCard:
    """The partner's journey at a glance (portal home and the top of the checklist)."""

    started: bool = False
    onboarded: bool = False
    onboarded_text: str = ""  # "Onboarding complete since 6 Dec 2026.", in the reader's language
    current_stage: str = ""
    stage_sentence: str = ""  # "You are in the Sell stage."
    next_step: str = ""  # the next task's title, "" when none is open
    next_status: str = ""  # its status label ("Action required" stands out)
    next_color: str = "gray"
    stages: list[StageLine] = field(default_factory=list)


def journey_card(view: ChecklistView | None, zone: tzinfo = UTC, words: Catalogue | None = None) -> JourneyCard:
    """The journey in `words`' language (English by default); stage names and task titles as the template has
    them."""
    if view is None:
        return JourneyCard()
    words = words or catalogue("en")
    current, nxt = view.current_stage, view.next_task
    onboarded_on = day(view.completed_at, zone, language=words.language) if view.completed_at else ""
    next_line = task_line(nxt, zone, words) if nxt else None
    return JourneyCard(
        started=True,
        onboarded=view.completed_at is not None,
        onboarded_text=words.text("onboarding.complete_since", day=onboarded_on) if onboarded_on else "",
        current_stage=current.name if current else "",
        stage_sentence=words.text("home.in_stage", stage=current.name) if current else "",
        next_step=nxt.title if nxt else "",
        next_status=next_line.status_label if next_line else "",
        next_color=next_line.color if next_line else "gray",
        stages=[stage_line(s, current.id if current else None, zone, words) for s in view.stages],
    )


@dataclass(frozen=True)
class BoardLine:
    organization_id: int = 0
    organization: str = ""
    type_label: str = ""
    stage: str = ""  # "Onboarded" once complete
    progress: str = ""
    stuck: bool = False
    last_progress: str = ""
    joined: str = ""
    to_onboard: str = ""
    to_first_deal: str = ""


def board_line(r: BoardRow, now: datetime, zone: tzinfo = UTC) -> BoardLine:
    return BoardLine(
        organization_id=r.organization_id,
        organization=r.organization,
        type_label=type_label(r.partner_type),
        stage=r.stage or "Onboarded",
        progress=f"{r.done} of {r.total} tasks",
        stuck=r.stuck,
        last_progress=relative(r.last_progress_at, now),
        joined=day(r.joined_at, zone),
        to_onboard=days_text(r.days_to_onboard),
        to_first_deal=days_text(r.days_to_first_deal),
    )


@dataclass(frozen=True)
class StageGroup:
    stage: str = ""
    count: int = 0
    stuck: int = 0
    partners: list[BoardLine] = field(default_factory=list)


def stage_groups(lines: list[BoardLine]) -> list[StageGroup]:
    """Board lines (already in stage order) grouped by their stage, in order of first appearance."""
    groups: dict[str, list[BoardLine]] = {}
    for line in lines:
        groups.setdefault(line.stage, []).append(line)
    return [StageGroup(name, len(ls), sum(x.stuck for x in ls), ls) for name, ls in groups.items()]


@dataclass(frozen=True)
class QuarterLine:
    quarter: str = ""
    joined: str = ""
    onboarded: str = ""  # "3 of 4"
    to_onboard: str = ""  # median
    first_deal: str = ""  # "2 of 4"
    to_first_deal: str = ""  # median


def quarter_line(q: QuarterMedians) -> QuarterLine:
    return QuarterLine(
        quarter=q.quarter,
        joined=str(q.joined),
        onboarded=f"{q.onboarded} of {q.joined}",
        to_onboard=days_text(q.median_days_to_onboard),
        first_deal=f"{q.with_first_deal} of {q.joined}",
        to_first_deal=days_text(q.median_days_to_first_deal),
    )
