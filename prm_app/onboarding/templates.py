"""Checklist templates as managers edit them in the browser: a template per partner type (and optionally region),
its ordered stages, each stage's ordered tasks. Changes apply to checklists started afterwards (a partner's
checklist is a copy), so editing is plain row changes, each audited.

Positions are kept dense (0, 1, 2, …) within their parent: moving swaps with the neighbour, removing closes the gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from prm_app.onboarding.courses import kind_options, kind_value, task_kind
from prm_app.onboarding.models import OnboardingTemplate, TemplateStage, TemplateTask
from prm_app.onboarding.rules import STAGE_NAME_MAX, TEMPLATE_NAME_MAX, TITLE_MAX, clean_text
from prm_app.partners import REGIONS, PartnerType
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id, savepoint
from prm_app.platform.errors import FormInvalid, NotFound, ValidationError

T = TypeVar("T")


@dataclass(frozen=True)
class TaskLine:
    id: int
    title: str
    kind: str  # a course task: "complete_course:<code>" (courses.py)
    requires_approval: bool


@dataclass(frozen=True)
class StageLine:
    id: int
    name: str
    tasks: list[TaskLine]


@dataclass(frozen=True)
class TemplateSummary:
    id: int
    name: str
    partner_type: str  # "" = any type
    region: str  # "" = any region
    stages: int
    tasks: int


@dataclass(frozen=True)
class TemplateView:
    id: int
    name: str
    partner_type: str
    region: str
    stages: list[StageLine]


def _viewer(actor: Actor) -> None:
    actor.require(Permission.VIEW_PARTNERS)


def _editor(actor: Actor) -> None:
    actor.require(Permission.MANAGE_ONBOARDING)


def task_kinds(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """(value, label) of the task kinds a template's task may have (a course task once per course)."""
    _viewer(actor)
    return kind_options(session)


def list_templates(session: Session, actor: Actor) -> list[TemplateSummary]:
    """Every template with its size, by partner type then region ("any" first). Internal users."""
    _viewer(actor)
    out = []
    for t in session.exec(
        select(OnboardingTemplate).order_by(col(OnboardingTemplate.partner_type), col(OnboardingTemplate.region))
    ).all():
        stage_ids = session.exec(select(TemplateStage.id).where(TemplateStage.template_id == t.id)).all()
        tasks = session.exec(select(TemplateTask.id).where(col(TemplateTask.stage_id).in_(stage_ids))).all()
        out.append(TemplateSummary(saved_id(t), t.name, t.partner_type, t.region, len(stage_ids), len(tasks)))
    return out


def get_template(session: Session, actor: Actor, template_id: int) -> TemplateView:
    _viewer(actor)
    t = session.get(OnboardingTemplate, template_id) if isinstance(template_id, int) else None
    if t is None:
        raise NotFound("template")
    stages = []
    for s in session.exec(
        select(TemplateStage).where(TemplateStage.template_id == t.id).order_by(col(TemplateStage.position))
    ).all():
        tasks = session.exec(
            select(TemplateTask).where(TemplateTask.stage_id == s.id).order_by(col(TemplateTask.position))
        ).all()
        lines = [TaskLine(saved_id(k), k.title, kind_value(k.kind, k.course_code), k.requires_approval) for k in tasks]
        stages.append(StageLine(saved_id(s), s.name, lines))
    return TemplateView(saved_id(t), t.name, t.partner_type, t.region, stages)


def _text(value: object, max_len: int, what: str, field: str) -> str:
    try:
        return clean_text(value, max_len, what)
    except ValueError as exc:
        raise ValidationError(str(exc), field) from None


def create_template(session: Session, actor: Actor, *, name: str, partner_type: str, region: str) -> int:
    """A new, empty template for a partner type ("" any) and region ("" any); one per pair. Returns its id."""
    _editor(actor)
    errors: dict[str, str] = {}
    try:
        name = clean_text(name, TEMPLATE_NAME_MAX, "a name")
    except ValueError as exc:
        errors["name"] = str(exc)
    if partner_type not in {"", *(t.value for t in PartnerType)}:
        errors["partner_type"] = "Choose a partner type."
    if region not in {"", *REGIONS}:
        errors["region"] = "Choose a region."
    if errors:
        raise FormInvalid(errors)
    template = OnboardingTemplate(name=name, partner_type=partner_type, region=region)
    try:
        with savepoint(session):
            session.add(template)
            session.flush()
    except IntegrityError:
        raise ValidationError("There is a template for this partner type and region already.", "partner_type") from None
    audit(session, actor, "onboarding_template_created", "onboarding_template", template.id, name=name)
    return saved_id(template)


def _template(session: Session, template_id: int) -> OnboardingTemplate:
    t = session.get(OnboardingTemplate, template_id) if isinstance(template_id, int) else None
    if t is None:
        raise NotFound("template")
    return t


def _stage(session: Session, template_id: int, stage_id: int) -> TemplateStage:
    s = session.get(TemplateStage, stage_id) if isinstance(stage_id, int) else None
    if s is None or s.template_id != template_id:
        raise NotFound("stage")
    return s


def _task(session: Session, template_id: int, task_id: int) -> tuple[TemplateTask, TemplateStage]:
    k = session.get(TemplateTask, task_id) if isinstance(task_id, int) else None
    s = session.get(TemplateStage, k.stage_id) if k else None
    if k is None or s is None or s.template_id != template_id:
        raise NotFound("task")
    return k, s


def _touched(session: Session, actor: Actor, template: OnboardingTemplate, change: str, **facts: object) -> None:
    template.updated_at = utcnow()
    session.add(template)
    audit(session, actor, "onboarding_template_changed", "onboarding_template", template.id, change=change, **facts)


def add_stage(session: Session, actor: Actor, template_id: int, name: str) -> int:
    _editor(actor)
    t = _template(session, template_id)
    name = _text(name, STAGE_NAME_MAX, "the stage's name", "stage_name")
    count = len(session.exec(select(TemplateStage.id).where(TemplateStage.template_id == t.id)).all())
    stage = TemplateStage(template_id=saved_id(t), position=count, name=name)
    session.add(stage)
    session.flush()
    _touched(session, actor, t, "add_stage", name=name)
    return saved_id(stage)


def rename_stage(session: Session, actor: Actor, template_id: int, stage_id: int, name: str) -> None:
    _editor(actor)
    t = _template(session, template_id)
    stage = _stage(session, saved_id(t), stage_id)
    stage.name = _text(name, STAGE_NAME_MAX, "the stage's name", f"stage-{stage_id}")
    session.add(stage)
    _touched(session, actor, t, "rename_stage", stage_id=stage_id, name=stage.name)


def _renumber(session: Session, rows: Sequence[TemplateStage | TemplateTask]) -> None:
    for i, row in enumerate(rows):
        if row.position != i:
            row.position = i
            session.add(row)


def _stages_of(session: Session, template_id: int) -> list[TemplateStage]:
    return list(
        session.exec(
            select(TemplateStage)
            .where(TemplateStage.template_id == template_id)
            .order_by(col(TemplateStage.position), col(TemplateStage.id))
        ).all()
    )


def _tasks_of(session: Session, stage_id: int) -> list[TemplateTask]:
    return list(
        session.exec(
            select(TemplateTask)
            .where(TemplateTask.stage_id == stage_id)
            .order_by(col(TemplateTask.position), col(TemplateTask.id))
        ).all()
    )


def _move(rows: list[T], index: int, delta: int) -> list[T]:
    target = index + delta
    if 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]
    return rows


def remove_stage(session: Session, actor: Actor, template_id: int, stage_id: int) -> None:
    _editor(actor)
    t = _template(session, template_id)
    stage = _stage(session, saved_id(t), stage_id)
    for task in _tasks_of(session, stage_id):
        session.delete(task)
    session.delete(stage)
    session.flush()
    _renumber(session, _stages_of(session, saved_id(t)))
    _touched(session, actor, t, "remove_stage", stage_id=stage_id, name=stage.name)


def move_stage(session: Session, actor: Actor, template_id: int, stage_id: int, delta: int) -> None:
    """Move a stage one place earlier (delta -1) or later (+1); at either end nothing moves."""
    _editor(actor)
    t = _template(session, template_id)
    _stage(session, saved_id(t), stage_id)
    rows = _stages_of(session, saved_id(t))
    index = next(i for i, s in enumerate(rows) if s.id == stage_id)
    moved = _move(rows, index, 1 if delta > 0 else -1)
    _renumber(session, moved)
    _touched(session, actor, t, "move_stage", stage_id=stage_id, delta=delta)


def add_task(
    session: Session, actor: Actor, template_id: int, stage_id: int, *, title: str, kind: str, requires_approval: bool
) -> int:
    _editor(actor)
    t = _template(session, template_id)
    stage = _stage(session, saved_id(t), stage_id)
    title = _text(title, TITLE_MAX, "the task's title", f"title-{stage_id}")
    kind_, course = task_kind(session, kind, f"kind-{stage_id}")
    task = TemplateTask(
        stage_id=saved_id(stage), position=len(_tasks_of(session, stage_id)), title=title,
        kind=kind_, requires_approval=bool(requires_approval), course_code=course,
    )  # fmt: skip
    session.add(task)
    session.flush()
    _touched(session, actor, t, "add_task", stage_id=stage_id, title=title, kind=kind)
    return saved_id(task)


def update_task(
    session: Session, actor: Actor, template_id: int, task_id: int, *, title: str, kind: str, requires_approval: bool
) -> None:
    _editor(actor)
    t = _template(session, template_id)
    task, _s = _task(session, saved_id(t), task_id)
    task.title = _text(title, TITLE_MAX, "the task's title", f"task-{task_id}")
    task.kind, task.course_code = task_kind(session, kind, f"task-{task_id}")
    task.requires_approval = bool(requires_approval)
    session.add(task)
    _touched(session, actor, t, "update_task", task_id=task_id, title=task.title, kind=kind)


def remove_task(session: Session, actor: Actor, template_id: int, task_id: int) -> None:
    _editor(actor)
    t = _template(session, template_id)
    task, stage = _task(session, saved_id(t), task_id)
    session.delete(task)
    session.flush()
    _renumber(session, _tasks_of(session, saved_id(stage)))
    _touched(session, actor, t, "remove_task", task_id=task_id, title=task.title)


def move_task(session: Session, actor: Actor, template_id: int, task_id: int, delta: int) -> None:
    """Move a task one place up or down within its stage."""
    _editor(actor)
    t = _template(session, template_id)
    _task_row, stage = _task(session, saved_id(t), task_id)
    rows = _tasks_of(session, saved_id(stage))
    index = next(i for i, k in enumerate(rows) if k.id == task_id)
    moved = _move(rows, index, 1 if delta > 0 else -1)
    _renumber(session, moved)
    _touched(session, actor, t, "move_task", task_id=task_id, delta=delta)
