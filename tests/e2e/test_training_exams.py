"""A standalone final exam authored in the browser: Maya creates "Core Platform professional exam" (an empty title
is refused next to the field), sets its pass mark, attempts, time limit and two questions drawn per attempt (an
out-of-range pass mark is refused next to its field), writes three questions with marks (a question with one
option is refused and keeps what she typed), and makes it the final exam of a new certification on the Core
Platform course. Priya, who completed that course, finds the exam on her Learning page; her attempt has two
questions and a deadline, and the browser receives no right answer before she submits."""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, at, log_in, wait_live

MANAGER = "maya.cm@vendor.example"
LEARNER = "priya.shah@cobaltsys.example"  # completed Core Platform essentials in the seed
EXAM = "Core Platform professional exam"
QUESTIONS = (
    ("Who may see a registered deal?", "Its partner and the channel manager\nEvery partner", "1", "2"),
    ("Which report shows sourced revenue?", "The scorecard\nThe audit log", "1", "1"),
    ("Which tier comes after Silver?", "Gold\nRegistered", "1", "1"),
)


def _add_question(page: Page, prompt: str, options: str, answer: str, marks: str) -> None:
    page.get_by_label("Question type").select_option("single")
    page.get_by_label("Question", exact=True).fill(prompt)
    page.get_by_label("Options, one per line (not for numbers)").fill(options)
    page.get_by_label("Correct answer: option numbers (1, 3) or the number").fill(answer)
    page.get_by_label("Marks").fill(marks)
    page.get_by_role("button", name="Add question").click()


def test_a_manager_writes_a_final_exam_and_a_learner_draws_its_subset(page: Page, browser, app_server):
    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/training/certifications")
    page.get_by_role("link", name="Final exams: write their questions").click()
    page.wait_for_url(at("/training/exams"))
    wait_live(page)
    page.get_by_role("button", name="Create exam").click()
    expect(page.locator("#field-title-error")).to_have_text("Give the exam a title.")
    page.get_by_label("New exam title").fill(EXAM)
    page.get_by_role("button", name="Create exam").click()
    page.wait_for_url(at(r"/training/exams/\d+", regex=True))
    expect(page.get_by_role("heading", name=EXAM, level=1)).to_be_visible()
    wait_live(page)

    page.get_by_label("Pass mark (%)").fill("150")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#field-pass_percent-error")).to_have_text("Give a whole number from 1 to 100.")
    page.get_by_label("Pass mark (%)").fill("75")
    page.get_by_label("Attempts (0 = unlimited)").fill("2")
    page.get_by_label("Time limit in minutes (0 = none)").fill("15")
    page.get_by_label("Questions per attempt (0 = all)").fill("2")
    page.get_by_label("Shuffle the questions and their options in each attempt").uncheck()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Exam saved")).to_be_visible()
    expect(page.get_by_label("Questions per attempt (0 = all)")).to_have_value("2")
    expect(page.get_by_label("Shuffle the questions and their options in each attempt")).not_to_be_checked()

    _add_question(page, "A question with one option?", "Only this", "1", "1")
    expect(page.locator("#field-options-error")).to_have_text("Give at least two options, one per line.")
    expect(page.get_by_label("Question", exact=True)).to_have_value("A question with one option?")  # kept
    for prompt, options, answer, marks in QUESTIONS:
        _add_question(page, prompt, options, answer, marks)
        expect(page.get_by_text(prompt)).to_be_visible()
    expect(page.get_by_text("Correct: 1 · 2 marks")).to_be_visible()
    expect(page.get_by_label("Question", exact=True)).to_have_value("")  # an added question empties the form
    assert_accessible(page, dark=True, phone=True)

    page.get_by_role("link", name="Final exams", exact=True).click()
    page.wait_for_url(at("/training/exams"))
    row = page.get_by_role("row").filter(has_text=EXAM)
    expect(row).to_contain_text("3 (2 per attempt)")
    expect(row).to_contain_text("75% to pass · 2 attempts · 15 min")
    assert_accessible(page)

    page.goto("/training/certifications")
    wait_live(page)
    page.get_by_label("Code", exact=True).fill("CPP")
    page.get_by_label("Name", exact=True).fill("Certified Core Platform Professional")
    page.get_by_label("Core Platform essentials", exact=True).check()
    page.get_by_label("Final exam").select_option(label=EXAM)
    page.get_by_role("button", name="Save certification").click()
    expect(page.get_by_text("Certification saved.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Certified Core Platform Professional")).to_contain_text(EXAM)

    learner = browser.new_context(base_url=app_server).new_page()
    log_in(learner, LEARNER, expect_path="/portal")
    learner.goto("/learn")
    learner.get_by_role("link", name="Take the final exam: Certified Core Platform Professional").click()
    learner.wait_for_url(at(r"/learn/exam/\d+", regex=True))
    expect(learner.get_by_role("heading", name=EXAM, level=1)).to_be_visible()
    wait_live(learner)
    sent: list[str] = []
    learner.on("websocket", lambda ws: ws.on("framereceived", lambda frame: sent.append(str(frame))))
    learner.reload()
    wait_live(learner)
    learner.get_by_role("button", name="Start the quiz").click()
    expect(learner.get_by_role("group")).to_have_count(2)  # two of the three questions
    expect(learner.get_by_text("Submit by")).to_be_visible()
    everything = json.dumps(sent)
    assert '"answer"' not in everything and "Correct:" not in everything
    assert_accessible(learner)
    learner.context.close()
