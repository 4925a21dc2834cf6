"""What a partner is asked to learn, end to end. Maya adds a "complete a course" task naming a course to an
onboarding template (the kind list offers each course). Ola (Fjord Managed IT, an MSP at Gold) filters the Learning
catalogue: "Required for my tier" shows Deploying Security Suite (Platinum, the next tier, counts Certified Security
Specialists), "Required for my onboarding" shows the course her checklist's open course task names; completing it
ticks the task on her onboarding page and the course leaves the filter."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlmodel import select

from tests.e2e.conftest import actor_of, assert_accessible, at, log_in, wait_live

MANAGER = "maya.cm@vendor.example"
LEARNER = "ola.hansen@fjordit.example"
TASK = "Take the partner onboarding course"


def _course_task_for_fjord(app_db) -> None:
    """A small published course, and an open task naming it in Fjord's checklist (its checklist began before the
    template had such a task: a template's change reaches new checklists only)."""
    from prm_app.onboarding.models import Checklist, ChecklistStage, ChecklistTask
    from prm_app.partners import Organization
    from prm_app.training import authoring as au
    from prm_app.training.queries import course_editor

    with app_db() as session:
        admin = actor_of(session, "admin@vendor.example")
        course_id = au.create_course(session, admin, "ONBOARD-101", "Partner onboarding essentials")
        module_id = course_editor(session, admin, course_id).modules[0].id
        lesson = au.add_lesson(session, admin, module_id, "text", "How we work together")
        au.update_lesson(session, admin, lesson, "How we work together", "Your channel manager is your guide.", "", 5)
        au.publish_course(session, admin, course_id)
        org_id = session.exec(select(Organization.id).where(Organization.name == "Fjord Managed IT")).one()
        checklist = session.exec(select(Checklist).where(Checklist.organization_id == org_id)).one()
        stage = session.exec(select(ChecklistStage).where(ChecklistStage.checklist_id == checklist.id)).first()
        session.add(
            ChecklistTask(
                checklist_id=checklist.id, stage_id=stage.id, position=99, title=TASK, kind="complete_course",
                course_code="ONBOARD-101",
            )
        )  # fmt: skip
        session.commit()


def _show(page: Page, required: str) -> None:
    page.get_by_label("Required").select_option(label=required)
    page.get_by_role("button", name="Show courses").click()


def test_a_template_task_names_a_course(page: Page):
    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/onboarding/templates")
    wait_live(page)
    page.get_by_label("Name").fill("Affiliate onboarding, APAC")
    page.get_by_label("Partner type").select_option("affiliate")
    page.get_by_label("Region").select_option("APAC")
    page.get_by_role("button", name="Create template").click()
    page.wait_for_url(at(r"/onboarding/templates/\d+", regex=True))
    page.get_by_label("New stage").fill("Learn")
    page.get_by_role("button", name="Add stage").click()
    learn = page.get_by_role("region", name="Learn")
    learn.get_by_label("New task").fill("Complete Core Platform essentials")
    learn.get_by_label("Kind").select_option(label="Complete the course: Core Platform essentials")
    learn.get_by_role("button", name="Add task to Learn").click()
    expect(learn.get_by_label("Task", exact=True)).to_have_value("Complete Core Platform essentials")
    expect(learn.locator("select[name=kind]").first).to_have_value("complete_course:CORE-101")
    assert_accessible(page)


def test_the_catalogue_shows_what_the_tier_and_the_onboarding_ask_for(page: Page, app_db):
    _course_task_for_fjord(app_db)
    log_in(page, LEARNER, expect_path="/portal")
    page.goto("/learn")
    wait_live(page)
    _show(page, "Required for my tier")
    security = page.locator(".course-card").filter(has_text="Deploying Security Suite")
    expect(security).to_be_visible()
    expect(security.get_by_text("Required for your tier")).to_be_visible()
    expect(page.locator(".course-card").filter(has_text="Core Platform essentials")).to_have_count(0)
    assert_accessible(page, dark=True, phone=True)

    _show(page, "Required for my onboarding")
    card = page.locator(".course-card").filter(has_text="Partner onboarding essentials")
    expect(card.get_by_text("Required for your onboarding")).to_be_visible()
    expect(page.locator(".course-card")).to_have_count(1)
    page.goto("/portal/onboarding")
    expect(page.locator("li.task-item").filter(has_text=TASK).locator(".task-status")).to_have_text("To do")

    page.goto("/learn")
    wait_live(page)
    page.get_by_role("link", name="Start: Partner onboarding essentials").click()
    page.wait_for_url(at(r"/learn/\d+", regex=True))
    wait_live(page)
    page.get_by_role("button", name="Done", exact=True).click()
    expect(page.get_by_text("You completed this course.")).to_be_visible()

    page.goto("/portal/onboarding")
    expect(page.locator("li.task-item").filter(has_text=TASK).locator(".task-status")).to_have_text("Done")
    page.goto("/learn")
    wait_live(page)
    _show(page, "Required for my onboarding")
    expect(page.get_by_text("No course matches these filters.")).to_be_visible()
