"""Published lesson copies end to end: Maya edits a lesson of a published course that Diego already completed;
Diego keeps reading the published text while the course editor says the lesson has unpublished changes; Maya
publishes a new version and Diego now reads the new text, told that the lesson changed since he completed it,
with his progress on it restarted and his progress on the unchanged lesson kept."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import BASE_URL, actor_of, assert_accessible, at, live_goto, log_in, wait_live

LEARNER = "diego.soto@andescloud.example"
MANAGER = "maya.cm@vendor.example"


def _published_course(app_db) -> tuple[int, int, int]:
    from prm_app.training import authoring as au
    from prm_app.training.queries import course_editor

    with app_db() as session:
        admin = actor_of(session, "admin@vendor.example")
        course_id = au.create_course(session, admin, "VERSIONS-101", "Pricing the partner way")
        module_id = course_editor(session, admin, course_id).modules[0].id
        one = au.add_lesson(session, admin, module_id, "text", "List prices")
        au.update_lesson(session, admin, one, "List prices", "Quote the **2026** price list.", "", 5)
        two = au.add_lesson(session, admin, module_id, "text", "Discount bands")
        au.update_lesson(session, admin, two, "Discount bands", "Bands run from 5% to 20%.", "", 5)
        au.publish_course(session, admin, course_id)
        session.commit()
    return course_id, one, two


def test_learners_read_the_published_version_until_a_new_one_is_published(page: Page, browser, app_db):
    course_id, one, _two = _published_course(app_db)
    log_in(page, LEARNER, expect_path="/portal")
    page.goto(f"/learn/{course_id}")
    wait_live(page)
    expect(page.locator("#lesson-title")).to_have_text("List prices")
    page.get_by_role("button", name="Done, next lesson").click()
    expect(page.locator("#lesson-title")).to_have_text("Discount bands")
    page.get_by_role("button", name="Done", exact=True).click()
    expect(page.get_by_text("2 of 2 lessons done")).to_be_visible()

    manager = live_goto(browser.new_context(base_url=BASE_URL).new_page())
    log_in(manager, MANAGER, expect_path="/partners")
    manager.goto(f"/training/lessons/{one}")
    wait_live(manager)
    manager.get_by_label("Text (Markdown)").fill("Quote the **2027** price list, in the partner's currency.")
    manager.get_by_role("button", name="Save lesson").click()
    expect(manager.get_by_text("Lesson saved.")).to_be_visible()
    manager.get_by_role("link", name="Pricing the partner way").click()
    manager.wait_for_url(at(r"/training/courses/\d+", regex=True))
    expect(manager.get_by_role("listitem").filter(has_text="List prices")).to_contain_text("unpublished changes")
    expect(manager.get_by_role("listitem").filter(has_text="Discount bands")).not_to_contain_text("unpublished")

    page.goto(f"/learn/{course_id}")  # the draft has not reached the learner
    wait_live(page)
    page.get_by_role("button", name="List prices").click()
    expect(page.locator("#lesson-title")).to_have_text("List prices")
    expect(page.get_by_text("Quote the 2026 price list.")).to_be_visible()
    expect(page.get_by_text("2027")).to_have_count(0)
    expect(page.get_by_text("2 of 2 lessons done")).to_be_visible()

    manager.get_by_role("button", name="Publish a new version").click()
    expect(manager.get_by_text("Version 2 published.")).to_be_visible()
    expect(manager.get_by_text("unpublished changes")).to_have_count(0)
    manager.context.close()

    page.goto(f"/learn/{course_id}")
    wait_live(page)
    expect(page.get_by_text("1 of 2 lessons done")).to_be_visible()  # the unchanged lesson keeps its tick
    page.get_by_role("button", name="List prices").click()
    expect(page.get_by_text("Quote the 2027 price list, in the partner's currency.")).to_be_visible()
    expect(page.locator("#lesson-changed")).to_contain_text("This lesson changed since you completed it")
    assert_accessible(page, dark=True, phone=True)
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Done, next lesson").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("2 of 2 lessons done")).to_be_visible()


def test_a_quiz_passed_before_a_new_version_changed_it_is_taken_again(page: Page, app_db):
    """Diego passed the quiz; Maya adds a question and publishes: the player tells him to take it again, and he
    can (before, the quiz refused him as "passed already" and the course could never complete)."""
    from prm_app.training import authoring as au
    from prm_app.training.learning import open_course
    from prm_app.training.queries import course_editor
    from prm_app.training.quizzes import lesson_quiz_id, start_attempt, submit_attempt

    with app_db() as session:
        admin = actor_of(session, "admin@vendor.example")
        course_id = au.create_course(session, admin, "RETAKE-101", "Quoting checks")
        module_id = course_editor(session, admin, course_id).modules[0].id
        quiz = au.add_lesson(session, admin, module_id, "quiz", "Quoting quiz")
        au.add_question(session, admin, quiz, "single", "Which list do you quote?", ["Old", "Current"], ["2"], 1, "")
        au.publish_course(session, admin, course_id)
        learner = actor_of(session, LEARNER)
        open_course(session, learner, course_id)
        paper = start_attempt(session, learner, lesson_quiz_id(session, learner, quiz))
        right = {str(i.question_id): [o.value for o in i.options if o.text == "Current"] for i in paper.items}
        assert submit_attempt(session, learner, paper.attempt_id, right).passed
        au.add_question(session, admin, quiz, "numeric", "How many discount bands?", [], ["4", "0"], 1, "")
        au.publish_course(session, admin, course_id)
        session.commit()

    log_in(page, LEARNER, expect_path="/portal")
    page.goto(f"/learn/{course_id}")
    wait_live(page)
    expect(page.locator("#lesson-title")).to_have_text("Quoting quiz")
    expect(page.locator("#lesson-changed")).to_contain_text("This lesson changed since you completed it")
    expect(page.get_by_text("0 of 1 lesson done")).to_be_visible()  # one lesson: the singular
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_label("Current", exact=True).check()
    page.get_by_label("Your answer (a number)").fill("4")
    page.get_by_role("button", name="Submit answers").click()
    expect(page.locator("#quiz-result")).to_contain_text("Passed: 100.0%")
    expect(page.get_by_text("1 of 1 lesson done")).to_be_visible()
