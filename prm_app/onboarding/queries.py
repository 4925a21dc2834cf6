"""What the onboarding pages read, as frozen dataclasses with raw values (statuses as codes, UTC datetimes, days as
floats, None for what has not happened). Scope is decided here: a partner reads its own checklist, a channel
manager the partners of their book, admins and execs every partner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from prm_app.onboarding.models import Checklist, ChecklistStage, ChecklistTask
from prm_app.onboarding.rules import (
    SELF_TICKING,
    QuarterMedians,
    TaskStatus,
    days_between,
    is_done,
    is_stuck,
    medians_per_quarter,
)
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound


@dataclass(frozen=True)
class TaskView:
    id: int
    title: str
    kind: str
    status: str
    requires_approval: bool
    note: str  # the manager's reason when sent back
    document_name: str  # "" when none
    updated_at: datetime
    self_ticking: bool  # completes by itself from what it stands for


@dataclass(frozen=True)
class StageView:
    id: int
    name: str
    done: int
    total: int
    completed_at: datetime | None
    tasks: list[TaskView]


@dataclass(frozen=True)
class ChecklistView:
    organization_id: int
    organization: str
    template_name: str
    joined_at: datetime
    started_at: datetime
    completed_at: datetime | None
    first_deal_at: datetime | None
    stages: list[StageView]

    @property
    def current_stage(self) -> StageView | None:
        """The first stage not completed; None once onboarded."""
        return next((s for s in self.stages if s.completed_at is None), None)

    @property
    def next_task(self) -> TaskView | None:
        """The first task of the current stage still to be done, action required first."""
        stage = self.current_stage
        if stage is None:
            return None
        waiting = [t for t in stage.tasks if not is_done(t.status)]
        needs_action = [t for t in waiting if t.status == TaskStatus.ACTION_REQUIRED]
        return (needs_action or waiting)[0] if waiting else None


def _view(session: Session, checklist: Checklist, org: Organization) -> ChecklistView:
    stages = session.exec(
        select(ChecklistStage)
        .where(ChecklistStage.checklist_id == checklist.id)
        .order_by(col(ChecklistStage.position), col(ChecklistStage.id))
    ).all()
    tasks = session.exec(
        select(ChecklistTask)
        .where(ChecklistTask.checklist_id == checklist.id)
        .order_by(col(ChecklistTask.position), col(ChecklistTask.id))
    ).all()
    by_stage: dict[int, list[TaskView]] = {}
    for t in tasks:
        by_stage.setdefault(t.stage_id, []).append(
            TaskView(
                saved_id(t), t.title, t.kind, t.status, t.requires_approval, t.note, t.document_name, t.updated_at,
                t.kind in SELF_TICKING,
            )
        )  # fmt: skip
    views = []
    for s in stages:
        ts = by_stage.get(saved_id(s), [])
        views.append(StageView(saved_id(s), s.name, sum(is_done(t.status) for t in ts), len(ts), s.completed_at, ts))
    return ChecklistView(
        saved_id(org), org.name, checklist.template_name, org.joined_at, checklist.started_at,
        checklist.completed_at, checklist.first_deal_at, views,
    )  # fmt: skip


def my_checklist(session: Session, actor: Actor) -> ChecklistView | None:
    """The partner's own checklist, or None when its onboarding has not started."""
    actor.require(Permission.USE_PORTAL)
    if actor.organization_id is None:
        return None
    checklist = session.exec(select(Checklist).where(Checklist.organization_id == actor.organization_id)).first()
    org = session.get(Organization, actor.organization_id)
    return _view(session, checklist, org) if checklist and org else None


def partner_checklist(session: Session, actor: Actor, organization_id: int) -> ChecklistView | None:
    """A partner's checklist for the vendor (None when not started). NotFound outside the actor's book."""
    actor.require(Permission.VIEW_PARTNERS)
    org = session.get(Organization, organization_id) if isinstance(organization_id, int) else None
    if org is None or not actor.reaches_book_of(org.channel_manager_id):
        raise NotFound("partner")
    checklist = session.exec(select(Checklist).where(Checklist.organization_id == org.id)).first()
    return _view(session, checklist, org) if checklist else None


@dataclass(frozen=True)
class BoardRow:
    organization_id: int
    organization: str
    partner_type: str
    joined_at: datetime
    stage: str  # the current stage's name; "" once onboarded
    stage_position: int  # for grouping in order; the number of stages once onboarded
    done: int
    total: int
    last_progress_at: datetime
    stuck: bool
    onboarded_at: datetime | None
    days_to_onboard: float | None
    days_to_first_deal: float | None


@dataclass(frozen=True)
class Board:
    rows: list[BoardRow]  # by stage position, stuck first, then by name
    quarters: list[QuarterMedians]


def _rows(session: Session, actor: Actor, now: datetime) -> list[BoardRow]:
    query = select(Checklist, Organization).join(Organization, col(Organization.id) == Checklist.organization_id)
    owner = actor.book_owner()
    if owner is not None:
        query = query.where(Organization.channel_manager_id == owner)
    pairs = session.exec(query).all()
    ids = [saved_id(c) for c, _o in pairs]
    stages = session.exec(
        select(ChecklistStage)
        .where(col(ChecklistStage.checklist_id).in_(ids))
        .order_by(col(ChecklistStage.position), col(ChecklistStage.id))
    ).all()
    statuses = session.exec(select(ChecklistTask.checklist_id, ChecklistTask.status).where(
        col(ChecklistTask.checklist_id).in_(ids))).all()  # fmt: skip
    stages_of: dict[int, list[ChecklistStage]] = {}
    for s in stages:
        stages_of.setdefault(s.checklist_id, []).append(s)
    counts: dict[int, list[int]] = {}
    for checklist_id, status in statuses:
        c = counts.setdefault(checklist_id, [0, 0])
        c[0] += is_done(status)
        c[1] += 1
    rows = []
    for checklist, org in pairs:
        cid = saved_id(checklist)
        mine = stages_of.get(cid, [])
        current = next(((i, s) for i, s in enumerate(mine) if s.completed_at is None), None)
        done, total = counts.get(cid, [0, 0])
        rows.append(
            BoardRow(
                saved_id(org), org.name, org.partner_type, org.joined_at,
                current[1].name if current else "", current[0] if current else len(mine), done, total,
                checklist.last_progress_at,
                is_stuck(checklist.last_progress_at, checklist.completed_at is not None, now),
                checklist.completed_at, days_between(checklist.applied_at or org.joined_at, checklist.completed_at),
                days_between(org.joined_at, checklist.first_deal_at),
            )
        )  # fmt: skip
    return rows


def onboarding_board(session: Session, actor: Actor, now: datetime | None = None) -> Board:
    """Every partner with a checklist in the actor's reach, with its current stage, progress, whether it is stuck,
    its time to onboard and to first deal; and both as medians per quarter of joining."""
    actor.require(Permission.VIEW_PARTNERS)
    rows = _rows(session, actor, now or utcnow())
    rows.sort(key=lambda r: (r.onboarded_at is not None, r.stage_position, not r.stuck, r.organization.lower()))
    quarters = medians_per_quarter((r.joined_at, r.days_to_onboard, r.days_to_first_deal) for r in rows)
    return Board(rows, quarters)


def onboarding_medians(session: Session, actor: Actor, quarters: int = 4) -> list[QuarterMedians]:
    """Time to onboard and to first deal as medians per quarter of joining, the last `quarters` quarters that had
    partners joining, over the actor's reach (the exec dashboard)."""
    actor.require(Permission.VIEW_PARTNERS)
    rows = _rows(session, actor, utcnow())
    return medians_per_quarter((r.joined_at, r.days_to_onboard, r.days_to_first_deal) for r in rows)[-quarters:]
