"""A quiz's settings form, its question bank and the form adding a question: the same for a quiz lesson's editor
and a standalone final exam's (the state passed in has the same handlers, quiz_form.py reads their forms)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from prm_app.training.ui.quiz_form import QUESTION_KINDS, QuestionLine
from prm_app.web.components.forms import field, field_error, select_field


def _question(q: rx.Var[QuestionLine]) -> rx.Component:
    return rx.el.li(
        rx.text(q.prompt, weight="medium"),
        rx.el.ol(rx.foreach(q.options, lambda o: rx.el.li(o))),
        rx.text("Correct: " + q.answer + " · " + q.marks.to_string() + " marks", size="2", color_scheme="gray"),
        margin_bottom="0.75rem",
    )


def quiz_section(s: Any, x: Any, leading: rx.Component | None = None) -> rx.Component:
    """The settings form (`leading` fields first, e.g. an exam's title), the bank, and the new-question form, for
    state `s` (errors, revision, questions, save_quiz, new_question) and settings var `x` (pass_percent,
    max_attempts, time_limit_minutes, draw, shuffle)."""
    e = s.errors
    return rx.vstack(
        rx.heading("Settings", as_="h2", size="5"),
        rx.form(
            rx.flex(
                *([leading] if leading is not None else []),
                rx.box(
                    field(
                        "Pass mark (%)",
                        "pass_percent",
                        e.get("pass_percent", ""),
                        type="number",
                        default_value=x.pass_percent.to_string(),
                    ),
                    flex="1 1 9rem",
                ),
                rx.box(
                    field(
                        "Attempts (0 = unlimited)",
                        "max_attempts",
                        e.get("max_attempts", ""),
                        type="number",
                        default_value=x.max_attempts.to_string(),
                    ),
                    flex="1 1 9rem",
                ),
                rx.box(
                    field(
                        "Time limit in minutes (0 = none)",
                        "time_limit_minutes",
                        e.get("time_limit_minutes", ""),
                        type="number",
                        default_value=x.time_limit_minutes.to_string(),
                    ),
                    flex="1 1 9rem",
                ),
                rx.box(
                    field(
                        "Questions per attempt (0 = all)",
                        "draw",
                        e.get("draw", ""),
                        type="number",
                        default_value=x.draw.to_string(),
                    ),
                    flex="1 1 9rem",
                ),
                rx.el.label(
                    rx.el.input(type="checkbox", name="shuffle", id="field-shuffle", default_checked=x.shuffle),
                    " Shuffle the questions and their options in each attempt",
                    style={"display": "flex", "gap": "0.4rem", "alignItems": "center"},
                    flex="1 1 100%",
                ),
                rx.button("Save settings", type="submit", align_self="center"),
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            on_submit=s.save_quiz,
            reset_on_submit=False,
            no_validate=True,
            key=s.revision,
            width="100%",
        ),
        rx.heading("Questions", as_="h2", size="5"),
        rx.el.ol(rx.foreach(s.questions, _question)),
        rx.form(
            rx.vstack(
                select_field("Question type", "kind", QUESTION_KINDS, error=e.get("kind", "")),
                rx.box(
                    rx.el.label("Question", html_for="field-prompt", class_name="field-label"),
                    rx.text_area(id="field-prompt", name="prompt", rows="2", width="100%"),
                    field_error(e, "prompt"),
                    width="100%",
                ),
                rx.box(
                    rx.el.label(
                        "Options, one per line (not for numbers)", html_for="field-options", class_name="field-label"
                    ),
                    rx.text_area(id="field-options", name="options", rows="4", width="100%"),
                    field_error(e, "options"),
                    width="100%",
                ),
                field(
                    "Correct answer: option numbers (1, 3) or the number", "answer", e.get("answer", ""), required=False
                ),
                field("Tolerance for a number", "tolerance", e.get("tolerance", ""), required=False, default_value="0"),
                field("Marks", "marks", e.get("marks", ""), type="number", default_value="1"),
                rx.box(
                    rx.el.label(
                        "Explanation (shown after passing or the last attempt)",
                        html_for="field-explanation",
                        class_name="field-label",
                    ),
                    rx.text_area(id="field-explanation", name="explanation", rows="2", width="100%"),
                    width="100%",
                ),
                rx.button("Add question", type="submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=s.new_question,
            reset_on_submit=False,  # a refused question keeps what was typed; an added one empties the form (key)
            no_validate=True,
            key="question-" + s.revision.to_string(),
            width="100%",
        ),
        width="100%",
        spacing="3",
    )
