"""The quiz lesson in the player: its rules and Start/Try again, the attempt's paper as one form (radio groups,
checkboxes and a number field, each a fieldset with a legend), and the result with explanations when shown."""

from __future__ import annotations

from typing import Any

import reflex as rx

from prm_app.training.ui.quiz_state import FeedbackLine, PaperQuestion
from prm_app.web.components.forms import field_error
from prm_app.web.language_state import t


def _choice(q: rx.Var[PaperQuestion], choice: rx.Var, multiple: bool) -> rx.Component:
    input_id = "q" + q.id.to_string() + "-" + choice.value
    return rx.el.div(
        rx.el.input(
            type="checkbox" if multiple else "radio",
            id=input_id,
            name=("q" + q.id.to_string() + "_" + choice.value) if multiple else "q" + q.id.to_string(),
            value=choice.value,
        ),
        rx.el.label(choice.text, html_for=input_id),
        class_name="quiz-choice",
    )


def _question(q: rx.Var[PaperQuestion]) -> rx.Component:
    numeric_id = "q" + q.id.to_string() + "-number"
    return rx.el.fieldset(
        rx.el.legend(q.number.to_string() + ". " + q.prompt + " (" + q.marks_text + ")"),
        rx.match(
            q.kind,
            (
                "multiple",
                rx.fragment(
                    rx.text(t("training.choose_every"), size="2", color_scheme="gray"),
                    rx.foreach(q.choices, lambda c: _choice(q, c, True)),
                ),
            ),
            (
                "numeric",
                rx.box(
                    rx.el.label(t("training.your_number"), html_for=numeric_id, class_name="field-label"),
                    rx.input(id=numeric_id, name="q" + q.id.to_string(), input_mode="decimal", max_length=30),
                ),
            ),
            rx.foreach(q.choices, lambda c: _choice(q, c, False)),
        ),
        class_name="quiz-question",
    )


def _feedback(f: rx.Var[FeedbackLine]) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.cond(
                f.correct,
                rx.icon("circle_check", color=rx.color("green", 11), aria_hidden="true"),
                rx.icon("circle_x", color=rx.color("red", 11), aria_hidden="true"),
            ),
            rx.text(
                f.number.to_string()
                + ". "
                + f.prompt
                + " — "
                + rx.cond(f.correct, t("training.correct"), t("training.not_correct"))
            ),
            align="start",
        ),
        rx.cond(f.explanation != "", rx.text(f.explanation, size="2", color_scheme="gray", padding_left="1.8rem")),
    )


def quiz_panel(s: Any) -> rx.Component:
    """The quiz of state `s` (a state holding ui/quiz_state.py's vars, with `start_quiz` and `submit_quiz`)."""
    return rx.vstack(
        rx.cond(
            s.result_title != "",
            rx.box(
                rx.heading(
                    s.result_title,
                    as_="h3",
                    size="4",
                    id="quiz-result",
                    tab_index=-1,
                    color=rx.cond(s.result_passed, rx.color("green", 11), rx.color("red", 11)),
                ),
                rx.el.ul(rx.foreach(s.feedback, _feedback), class_name="quiz-feedback"),
                width="100%",
            ),
        ),
        rx.cond(
            s.paper.length() > 0,
            rx.form(
                rx.vstack(
                    rx.cond(s.deadline != "", rx.text(s.deadline, weight="medium")),
                    rx.foreach(s.paper, _question),
                    rx.button(t("training.submit_answers"), type="submit", size="3"),
                    spacing="4",
                    width="100%",
                ),
                on_submit=s.submit_quiz,
                reset_on_submit=False,
                width="100%",
            ),
            rx.vstack(
                rx.text(s.quiz_intro + " " + s.quiz_rules),
                rx.cond(s.quiz_note != "", rx.text(s.quiz_note, weight="medium")),
                rx.cond(s.quiz_can_start, rx.button(s.quiz_start_label, on_click=s.start_quiz, size="3")),
                width="100%",
            ),
        ),
        field_error(s.errors, "quiz"),
        width="100%",
        spacing="3",
    )
