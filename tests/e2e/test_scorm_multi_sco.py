"""Multi-SCO packages in the course player: the admin imports a two-SCO SCORM 1.2 package and a two-SCO 2004 one
(tests/scorm/packages: real pages calling the run-time); a course has a lesson of each. Felix opens the course: the
lesson lists its two parts, each launches its own page, finishing one part ticks it but not the lesson, finishing
the second completes the lesson; the 2004 lesson the same, and the course completes."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import select

from prm_app.scorm.seed import zip_folder
from tests.e2e.conftest import actor_of, assert_accessible, at, log_in, wait_live

ADMIN = "admin@vendor.example"
LEARNER = "felix.braun@meridian-ig.example"
PACKAGES = Path(__file__).resolve().parent.parent / "scorm" / "packages"
PACKAGE_TITLES = ("Partner program in two parts (SCORM 1.2)", "Onboarding in two parts (SCORM 2004)")
LESSONS = ("The program, in two parts", "Onboarding, in two parts")


def _import(page: Page, folder: str, tmp_path: Path, title: str) -> None:
    page.goto("/training/scorm")
    wait_live(page)
    page.locator('input[type="file"]').set_input_files(str(zip_folder(PACKAGES / folder, tmp_path / f"{folder}.zip")))
    page.get_by_role("button", name="Import package").click()
    page.wait_for_url(at(r"/training/scorm/\d+", regex=True))
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def _course_of_both(app_db) -> int:
    from prm_app.scorm import ScormPackage
    from prm_app.training import authoring as au
    from prm_app.training.queries import course_editor

    with app_db() as session:
        admin = actor_of(session, ADMIN)
        course_id = au.create_course(session, admin, "SCORM-PARTS", "Two packages of two parts")
        module_id = course_editor(session, admin, course_id).modules[0].id
        for title, package in zip(LESSONS, PACKAGE_TITLES, strict=True):
            lesson = au.add_lesson(session, admin, module_id, "scorm", title)
            package_id = session.exec(select(ScormPackage.id).where(ScormPackage.title == package)).first()
            au.choose_package(session, admin, lesson, package_id)
        au.publish_course(session, admin, course_id)
        session.commit()
    return course_id


def _finish_part(page: Page, lesson: str, part: int, heading: str) -> None:
    content = page.frame_locator(f'iframe[title="{lesson}"]')
    expect(content.get_by_role("heading", name=heading)).to_be_visible()
    expect(content.locator("#entry")).to_contain_text(f"Running part{part}")
    content.get_by_role("button", name=f"Finish part {part}").click()
    expect(content.locator("#status")).to_have_text("This part is complete.")


def test_every_sco_of_a_package_runs_and_the_lesson_completes_with_the_last(
    page: Page, browser, app_server, app_db, tmp_path
):
    log_in(page, ADMIN)
    _import(page, "two_sco_12", tmp_path, PACKAGE_TITLES[0])
    _import(page, "two_sco_2004", tmp_path, PACKAGE_TITLES[1])
    course_id = _course_of_both(app_db)

    learner = browser.new_context(base_url=app_server).new_page()
    log_in(learner, LEARNER, expect_path="/portal")
    learner.goto(f"/learn/{course_id}")
    wait_live(learner)
    expect(learner.locator("#lesson-title")).to_have_text(LESSONS[0])
    parts = learner.get_by_role("navigation", name="Parts of this lesson")
    expect(parts.get_by_role("button")).to_have_count(2)
    expect(parts.get_by_role("button", name="Part one: the program")).to_have_attribute("aria-current", "step")
    _finish_part(learner, LESSONS[0], 1, "Part one: the program")
    assert_accessible(learner, dark=True, phone=True)

    parts.get_by_role("button", name="Part two: registering deals").click()
    expect(parts.get_by_role("button", name="Part one").get_by_role("img", name="Done", exact=True)).to_be_visible()
    expect(learner.get_by_text("0 of 2 lessons done")).to_be_visible()  # one part is not the lesson
    _finish_part(learner, LESSONS[0], 2, "Part two: registering deals")
    learner.reload()
    wait_live(learner)
    expect(learner.get_by_text("1 of 2 lessons done")).to_be_visible()

    learner.get_by_role("button", name=LESSONS[1]).click()
    expect(learner.locator("#lesson-title")).to_have_text(LESSONS[1])
    _finish_part(learner, LESSONS[1], 1, "Welcome")
    parts.get_by_role("button", name="First steps").click()
    _finish_part(learner, LESSONS[1], 2, "First steps")
    learner.reload()
    wait_live(learner)
    expect(learner.get_by_text("2 of 2 lessons done")).to_be_visible()
    expect(learner.get_by_text("You completed this course.")).to_be_visible()
    learner.context.close()
