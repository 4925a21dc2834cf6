"""The catalogue's "required for my tier" and "required for my onboarding" (training/requirements.py): tiering's
reader names the certifications the partner's current and next tier count, onboarding's open course tasks name
courses; completing the course ticks the task (training's reaction) and the course leaves the filter."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

from prm_app.onboarding import my_checklist, start_onboarding
from prm_app.onboarding import templates as tpl
from prm_app.platform.access import Actor, Role
from prm_app.platform.errors import ValidationError
from prm_app.tiering import ProgramTier, TierCriterion
from prm_app.training import authoring as au
from prm_app.training.learning import catalogue, complete_lesson, open_course
from prm_app.training.models import Certification, CertificationCourse
from prm_app.training.queries import course_editor
from tests.factories import actor_for, make_user
from tests.onboarding.factories import make_template
from tests.tiering.factories import make_world, partner


def _course(session: Session, admin: Actor, code: str) -> int:
    course_id = au.create_course(session, admin, code, f"Course {code}")
    module_id = course_editor(session, admin, course_id).modules[0].id
    au.add_lesson(session, admin, module_id, "text", "The only lesson")
    au.publish_course(session, admin, course_id)
    return course_id


def _certification(session: Session, code: str, course_id: int) -> None:
    cert = Certification(code=code, name=f"Certified {code}", valid_months=12)
    session.add(cert)
    session.flush()
    session.add(CertificationCourse(certification_id=cert.id, course_id=course_id))


def _asks(session: Session, world, tier, code: str) -> None:  # type: ignore[no-untyped-def]
    pt = session.exec(select(ProgramTier).where(col(ProgramTier.tier_id) == tier.id)).one()
    session.add(TierCriterion(program_tier_id=pt.id, metric="certified_headcount", param=code, threshold=Decimal(1)))


def test_the_catalogue_filters_what_the_tiers_and_the_onboarding_ask_for(session):
    world = make_world(session)
    admin = actor_for(make_user(session, Role.ADMIN))
    org = partner(session, world, world.silver)
    learner = actor_for(make_user(session, Role.PARTNER_USER, org))
    silver_course, gold_course, platinum_course, intro = (
        _course(session, admin, code) for code in ("SILVER-1", "GOLD-1", "ELSE-1", "INTRO-1")
    )
    _certification(session, "CSA", silver_course)
    _certification(session, "CGA", gold_course)
    _certification(session, "CXA", platinum_course)
    _asks(session, world, world.silver, "CSA")  # the current tier
    _asks(session, world, world.gold, "CGA")  # the next one
    session.flush()
    manager = actor_for(world.manager)
    template_id = make_template(session, manager, {"Learn": []}, name="Learn")
    [stage] = tpl.get_template(session, manager, template_id).stages
    task = {"title": "Take the intro", "requires_approval": False}
    with pytest.raises(ValidationError, match="Choose one of the courses"):
        tpl.add_task(session, manager, template_id, stage.id, kind="complete_course:NOPE-1", **task)
    tpl.add_task(session, manager, template_id, stage.id, kind="complete_course:INTRO-1", **task)
    start_onboarding(session, manager, org.id)

    def titles(required: str) -> set[str]:
        return {r.title for r in catalogue(session, learner, required=required)}

    assert titles("") == {"Course SILVER-1", "Course GOLD-1", "Course ELSE-1", "Course INTRO-1"}
    assert titles("tier") == {"Course SILVER-1", "Course GOLD-1"}
    assert titles("onboarding") == {"Course INTRO-1"}
    rows = {r.code: r.required_for for r in catalogue(session, learner)}
    assert rows == {"SILVER-1": ("tier",), "GOLD-1": ("tier",), "ELSE-1": (), "INTRO-1": ("onboarding",)}
    assert catalogue(session, admin, required="tier") == []  # nothing is required of internal people

    open_course(session, learner, intro)
    lesson = open_course(session, learner, intro).resume_lesson_id
    assert complete_lesson(session, learner, lesson)
    checklist = my_checklist(session, learner)
    assert checklist is not None and [t.status for s in checklist.stages for t in s.tasks] == ["completed"]
    assert titles("onboarding") == set()


def test_a_course_task_shows_in_the_template_editor_as_its_course(session):
    world = make_world(session)
    admin = actor_for(make_user(session, Role.ADMIN))
    _course(session, admin, "INTRO-1")
    manager = actor_for(world.manager)
    kinds = dict(tpl.task_kinds(session, manager))
    assert kinds["complete_course:INTRO-1"] == "Complete the course: Course INTRO-1"
    assert "complete_course" not in kinds  # a course task always names its course
    template_id = make_template(session, manager, {"Learn": [("Intro", "complete_course:INTRO-1", False)]})
    [stage] = tpl.get_template(session, manager, template_id).stages
    assert stage.tasks[0].kind == "complete_course:INTRO-1"
