"""What training plugs into other areas: the audience engine's "certifications" fact (which certifications a
partner's people hold live), the SCORM area's launch check and completion listener for SCORM lessons
(scorm_lessons.py), and onboarding's course tasks: the courses a task may name, and a completed course ticking the
partner's tasks that name it. Imported by prm_app.areas."""

from __future__ import annotations

from sqlmodel import Session, col, select

from prm_app.audience import register_fact_source
from prm_app.onboarding import complete_course_tasks, register_course_choices
from prm_app.platform.audit import reacts_to
from prm_app.platform.clock import utcnow
from prm_app.platform.models import EngagementEvent
from prm_app.scorm import register_completion_listener, register_launch_check
from prm_app.training import dashboard_panel  # noqa: F401  (registers the dashboards' training panel)
from prm_app.training.certificates import certification_holders, certification_names
from prm_app.training.models import Course
from prm_app.training.rules import CourseStatus
from prm_app.training.scorm_lessons import may_launch_lesson, scorm_lesson_reported

register_fact_source("certifications", holders=certification_holders, names=certification_names)
register_launch_check(may_launch_lesson)
register_completion_listener(scorm_lesson_reported)


@register_course_choices
def course_codes(session: Session) -> list[tuple[str, str]]:
    """The courses an onboarding task may name: every course not retired, by code."""
    rows = session.exec(select(Course.code, Course.title).where(col(Course.status) != CourseStatus.RETIRED)).all()
    return [(code, title) for code, title in rows]


@reacts_to("course_completed")
def tick_onboarding(session: Session, event: EngagementEvent) -> None:
    course = session.get(Course, event.subject_id) if event.subject_id is not None else None
    if course is not None and event.organization_id is not None:
        complete_course_tasks(session, event.organization_id, course.code, event.at or utcnow())
