"""Checklist tasks that name a training course (kind "complete_course", the course by its code). Training sits
above onboarding: it registers where course choices come from (`register_course_choices`), ticks a partner's task
when someone of the partner completes the course (`complete_course_tasks`, from training's reactions) and asks
which courses the partner's onboarding still waits for (`open_course_codes`, its "required for my onboarding").

In the template editor a course task is one choice of the task-kind list: "complete_course:<code>"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session, col, select

from prm_app.onboarding.models import Checklist, ChecklistTask
from prm_app.onboarding.rules import KIND_LABELS, OPEN, TaskKind
from prm_app.onboarding.service import tick_tasks
from prm_app.platform.errors import ValidationError

CourseChoices = Callable[[Session], list[tuple[str, str]]]  # (course code, title) of the courses to choose from
_CHOICES: list[CourseChoices] = []
PREFIX = f"{TaskKind.COMPLETE_COURSE.value}:"


def register_course_choices(fn: CourseChoices) -> CourseChoices:
    if fn not in _CHOICES:
        _CHOICES.append(fn)
    return fn


def course_choices(session: Session) -> list[tuple[str, str]]:
    return sorted({pair for fn in _CHOICES for pair in fn(session)}, key=lambda p: p[1].lower())


def kind_options(session: Session) -> list[tuple[str, str]]:
    """The task-kind list of the template editor: every kind, a course task once per course."""
    plain = [(k.value, label) for k, label in KIND_LABELS.items() if k != TaskKind.COMPLETE_COURSE]
    return plain + [(PREFIX + code, f"Complete the course: {title}") for code, title in course_choices(session)]


def task_kind(session: Session, value: str, field: str) -> tuple[str, str]:
    """(kind, course code) from the editor's choice; ValidationError on `field` for an unknown kind or course."""
    if value.startswith(PREFIX):
        code = value[len(PREFIX) :]
        if code not in {c for c, _ in course_choices(session)}:
            raise ValidationError("Choose one of the courses.", field)
        return TaskKind.COMPLETE_COURSE.value, code
    if value not in {k.value for k in TaskKind} or value == TaskKind.COMPLETE_COURSE:
        raise ValidationError("Choose what kind of task this is.", field)
    return value, ""


def kind_value(kind: str, course_code: str) -> str:
    return PREFIX + course_code if kind == TaskKind.COMPLETE_COURSE else kind


def _open_course_tasks(session: Session, organization_id: int) -> list[ChecklistTask]:
    return list(
        session.exec(
            select(ChecklistTask)
            .join(Checklist, col(Checklist.id) == ChecklistTask.checklist_id)
            .where(
                Checklist.organization_id == organization_id,
                ChecklistTask.kind == TaskKind.COMPLETE_COURSE,
                col(ChecklistTask.status).in_(list(OPEN)),
            )
        ).all()
    )


def open_course_codes(session: Session, organization_id: int) -> frozenset[str]:
    """The courses the partner's onboarding checklist still waits for (none without a checklist)."""
    return frozenset(t.course_code for t in _open_course_tasks(session, organization_id))


def complete_course_tasks(session: Session, organization_id: int, course_code: str, now: datetime) -> int:
    """Someone of the partner completed the course: its open tasks naming it complete. Returns how many."""
    tasks = [t for t in _open_course_tasks(session, organization_id) if t.course_code == course_code]
    return tick_tasks(session, tasks, now)
