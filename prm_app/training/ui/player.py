"""The course player at /learn/<course id>: the outline (a navigation list with ticks; the lesson shown is marked
aria-current), the progress bar, the lesson (reading, video that resumes where it stopped, PDF in the browser's
viewer, quiz), and Previous / Next. Everything works by keyboard; moving to a lesson puts the focus on its title."""

from __future__ import annotations

import reflex as rx

from prm_app.scorm.ui import scorm_player
from prm_app.training.ui.player_state import OutlineItem, PlayerState, ScoItem
from prm_app.training.ui.quiz_parts import quiz_panel
from prm_app.training.ui.video import training_video
from prm_app.web.components.language_switch import language_switch
from prm_app.web.language_state import t
from prm_app.web.layout import record_heading, record_page
from prm_app.web.registry import Audience, page

LESSON_BUTTON = {
    "display": "flex",
    "gap": "0.5rem",
    "align_items": "center",
    "width": "100%",
    "text_align": "left",
    "padding": "0.4rem 0.5rem",
    "border": "none",
    "border_radius": "6px",
    "color": "inherit",
    "cursor": "pointer",
    "font": "inherit",
}


def _outline_item(item: rx.Var[OutlineItem]) -> rx.Component:
    s = PlayerState
    current = item.id == s.lesson.id
    return rx.cond(
        item.kind == "module",
        rx.el.li(
            rx.text(item.title, weight="bold", size="2", color_scheme="gray"), list_style="none", margin_top="0.75rem"
        ),
        _step(item.done, item.title, s.open_lesson(item.id), current),
    )


def _step(done: rx.Var, title: rx.Var, on_click: rx.EventSpec, current: rx.Var) -> rx.Component:
    """A step of the outline (a lesson) or of a SCORM lesson (a SCO): its tick, its title, a button opening it."""
    return rx.el.li(
        rx.el.button(
            rx.cond(
                done,
                rx.icon(
                    "circle_check", size=18, color=rx.color("green", 11), aria_label=t("training.done"), role="img"
                ),
                rx.icon("circle", size=18, color=rx.color("gray", 10), aria_label=t("training.not_done"), role="img"),
            ),
            rx.text(title, as_="span"),
            on_click=on_click,
            aria_current=rx.cond(current, "step", "false"),
            type="button",
            style=LESSON_BUTTON,
            font_weight=rx.cond(current, "600", "400"),
            background=rx.cond(current, rx.color("accent", 3), "transparent"),
        ),
        list_style="none",
    )


def _outline() -> rx.Component:
    s = PlayerState
    return rx.el.nav(
        rx.text(s.progress_text, size="2", id="course-progress"),
        rx.progress(value=s.percent, max=100, aria_labelledby="course-progress", width="100%"),
        rx.el.ul(rx.foreach(s.outline, _outline_item), padding="0", margin="0"),
        aria_label=t("training.outline"),
        flex="0 1 18rem",
        min_width="min(100%, 16rem)",
    )


def _lesson_body() -> rx.Component:
    s = PlayerState
    lesson = s.lesson
    return rx.match(
        lesson.kind,
        ("text", rx.html(lesson.html, class_name="lesson-text")),
        (
            "video",
            rx.cond(
                lesson.media_url != "",
                training_video(
                    src=lesson.media_url,
                    start_at=lesson.position,
                    position_url=lesson.position_url,
                    label=lesson.title,
                    on_ended=s.video_ended,
                    key=lesson.id,
                ),
                rx.link(t("training.open_video"), href=lesson.video_url, is_external=True),
            ),
        ),
        (
            "pdf",
            rx.vstack(
                rx.el.iframe(
                    src=lesson.media_url,
                    title=lesson.title,
                    width="100%",
                    height="600px",
                    border="1px solid var(--gray-6)",
                    border_radius="8px",
                ),
                rx.link(t("training.open_pdf"), href=lesson.media_url, is_external=True),
                width="100%",
            ),
        ),
        ("quiz", quiz_panel(PlayerState)),
        ("scorm", _scorm_lesson()),
        rx.text(t("training.no_content")),
    )


def _sco_item(item: rx.Var[ScoItem]) -> rx.Component:
    return _step(item.done, item.title, PlayerState.open_sco(item.index), item.index == PlayerState.sco)


def _scorm_lesson() -> rx.Component:
    """The package's SCOs (when it has several: each runs and completes on its own, the lesson when all have),
    then the one chosen running."""
    s = PlayerState
    context = "lesson:" + s.lesson.id.to_string() + rx.cond(s.sco > 0, "/" + s.sco.to_string(), "")
    return rx.vstack(
        rx.cond(
            s.scos.length() > 1,
            rx.el.nav(
                rx.text(t("training.parts_intro"), size="2", weight="medium"),
                rx.el.ol(rx.foreach(s.scos, _sco_item), padding="0", margin="0"),
                aria_label=t("training.parts"),
                width="100%",
            ),
        ),
        scorm_player(s.lesson.scorm_package_id, context, s.lesson.title),
        width="100%",
    )


def _completes_by_itself(lesson: rx.Var) -> rx.Var:
    """A quiz (passed), a SCORM lesson (its SCO reports) and an uploaded video (played to the end) complete by
    themselves; reading, a PDF and a linked video by the learner's "Done"."""
    return (lesson.kind == "quiz") | (lesson.kind == "scorm") | ((lesson.kind == "video") & (lesson.media_url != ""))


def _lesson() -> rx.Component:
    s = PlayerState
    lesson = s.lesson
    return rx.el.section(
        rx.heading(lesson.title, as_="h2", size="5", id="lesson-title", tab_index=-1, lang=s.shown_language),
        rx.cond(
            lesson.changed,
            rx.callout(
                t("training.lesson_changed"),
                icon="refresh_cw",
                color_scheme="amber",
                id="lesson-changed",
            ),
        ),
        rx.box(_lesson_body(), lang=s.shown_language, width="100%"),
        rx.cond(
            (lesson.kind == "video") & (lesson.media_url != "") & ~lesson.done,
            rx.text(t("training.watch_to_end"), size="2", color_scheme="gray"),
        ),
        rx.hstack(
            rx.cond(
                lesson.previous_id != 0,
                rx.button(
                    t("training.previous"), on_click=s.open_lesson(lesson.previous_id), variant="soft", type="button"
                ),
            ),
            rx.cond(
                ~_completes_by_itself(lesson),
                rx.cond(
                    lesson.done,
                    rx.cond(
                        lesson.next_id != 0,
                        rx.button(t("training.next"), on_click=s.open_lesson(lesson.next_id), type="button"),
                    ),
                    rx.button(
                        rx.cond(lesson.next_id != 0, t("training.done_next"), t("training.done")),
                        on_click=s.finish_lesson,
                        type="button",
                    ),
                ),
                rx.cond(
                    lesson.next_id != 0,
                    rx.button(t("training.next"), on_click=s.open_lesson(lesson.next_id), type="button"),
                ),
            ),
            spacing="3",
            wrap="wrap",
            margin_top="1rem",
        ),
        aria_labelledby="lesson-title",
        flex="1 1 24rem",
        min_width="0",
        max_width="100%",
    )


@page("/learn/[course_id]", title="Course", audience=Audience.ANY, on_load=PlayerState.load)
@record_page
def course_player_page() -> rx.Component:
    s = PlayerState
    return rx.vstack(
        record_heading(s.title, [(t("nav.learning_page"), "/learn")], t("training.course")),  # type: ignore[arg-type]
        language_switch(s.languages, PlayerState.read_in, t("training.read_in")),
        rx.cond(
            ~s.found,
            rx.callout(t("training.not_found"), icon="circle_alert", color_scheme="gray", role="alert"),
            rx.cond(
                s.blocked != "",
                rx.callout(s.blocked, icon="lock", color_scheme="amber", role="alert"),
                rx.flex(
                    _outline(),
                    _lesson(),
                    rx.cond(s.completed, rx.callout(t("training.completed"), icon="award", color_scheme="green")),
                    direction=rx.breakpoints(initial="column", md="row"),
                    spacing="5",
                    width="100%",
                    wrap="wrap",
                ),
            ),
        ),
        width="100%",
        spacing="4",
    )
