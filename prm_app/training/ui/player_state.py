"""The course player's state: the outline with ticks, the lesson shown, the progress, and the quiz of a quiz
lesson. It holds what is shown only: a quiz's paper has its questions and options, never which are right (the
server grades, quizzes.py), and the attempt being answered is a backend var the browser cannot set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

import reflex as rx

from prm_app.identity import with_zone
from prm_app.platform.errors import DomainError, NotFound
from prm_app.platform.i18n import LANGUAGES
from prm_app.training.learning import Player, complete_lesson, open_course, show_lesson
from prm_app.training.quizzes import Paper, lesson_quiz_id, quiz_summary, start_attempt, submit_attempt
from prm_app.training.rules import KIND_LABELS
from prm_app.training.ui.media_http import FILES, lesson_file_url
from prm_app.training.ui.quiz_state import (
    FeedbackLine,
    PaperQuestion,
    answers_from_form,
    paper_lines,
    result_texts,
    summary_texts,
)
from prm_app.web.components.language_switch import LanguageChoice, language_choices
from prm_app.web.state import AuthState


@dataclass(frozen=True)
class OutlineItem:
    id: int  # 0 for a module heading
    title: str
    kind: str  # "module" or the lesson kind's label
    done: bool = False


@dataclass(frozen=True)
class LessonCard:
    id: int = 0
    title: str = ""
    kind: str = ""
    html: str = ""
    media_url: str = ""
    position_url: str = ""
    video_url: str = ""
    position: int = 0
    scorm_package_id: int = 0
    done: bool = False
    previous_id: int = 0
    next_id: int = 0
    changed: bool = False  # completed on an earlier version: to take again


@dataclass(frozen=True)
class ScoItem:
    index: int
    title: str
    done: bool


def _outline(player: Player) -> list[OutlineItem]:
    items: list[OutlineItem] = []
    for module in player.modules:
        items.append(OutlineItem(0, module.title, "module"))
        items += [OutlineItem(x.id, x.title, KIND_LABELS.get(x.kind, x.kind), x.done) for x in module.lessons]  # type: ignore[call-overload]
    return items


class PlayerState(AuthState):
    found: bool = True
    blocked: str = ""  # why the course cannot be opened yet (a prerequisite)
    course_id: int = 0
    title: str = ""
    outline: list[OutlineItem] = []
    progress_text: str = ""  # "2 of 4 lessons done", in the person's language
    percent: int = 0
    completed: bool = False
    lesson: LessonCard = LessonCard()
    # A SCORM lesson whose package has several SCOs: each, in the manifest's order, and the one running.
    scos: list[ScoItem] = []
    sco: int = 0
    # The quiz of a quiz lesson: its summary, then the paper of the attempt under way, then its result.
    quiz_intro: str = ""
    quiz_rules: str = ""
    quiz_can_start: bool = False
    quiz_start_label: str = "Start the quiz"
    quiz_note: str = ""
    paper: list[PaperQuestion] = []
    deadline: str = ""
    result_title: str = ""
    result_passed: bool = False
    feedback: list[FeedbackLine] = []
    errors: dict[str, str] = {}
    languages: list[LanguageChoice] = []  # the course's languages, to read it in another
    shown_language: str = "en"  # the <lang> of the course's own words shown
    _attempt_id: int = 0
    _wanted: str = "en"  # the language asked for: the person's, or the one they switched to

    def _course_param(self) -> int:
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        return int(raw) if raw.isdigit() else 0

    def _refresh(self, lesson_id: int | None = None) -> None:
        player = self._run(open_course, self.course_id, language=self._wanted)
        self.title, self.outline = player.title, _outline(player)
        self.languages, self.shown_language = language_choices(player.language, player.languages), player.language
        self.percent, self.completed = player.percent, player.completed
        self.progress_text = self._words().plural("training.lessons_done", player.total, done=player.done)
        target = lesson_id or player.resume_lesson_id
        if target:
            self._show(target)

    def _show(self, lesson_id: int) -> None:
        c = self._run(show_lesson, self.course_id, lesson_id, language=self._wanted)
        media = lesson_file_url(c.id) if c.has_media else ""
        position_url = f"{FILES}/lesson/{c.id}/position" if c.kind == "video" else ""
        same_lesson = self.lesson.id == c.id and bool(self.scos)
        self.lesson = LessonCard(
            c.id,
            c.title,
            c.kind,
            c.html,
            media,
            position_url,
            c.video_url,
            c.position,
            c.scorm_package_id,
            c.done,
            c.previous_id or 0,
            c.next_id or 0,
            c.changed_since_done,
        )
        self.scos = [ScoItem(i, title, done) for i, (title, done) in enumerate(c.scos)] if len(c.scos) > 1 else []
        if not same_lesson:  # a lesson opens at its first SCO not completed (the manifest's order)
            self.sco = next((x.index for x in self.scos if not x.done), 0)
        self.paper, self.feedback, self.result_title, self.errors, self._attempt_id = [], [], "", {}, 0
        if c.kind == "quiz":
            self._quiz_summary()

    def _quiz_summary(self) -> None:
        for name, value in summary_texts(
            self._run(quiz_summary, self._run(lesson_quiz_id, self.lesson.id)), self._words()
        ).items():
            setattr(self, name, value)

    @rx.event
    def load(self):
        self.found, self.blocked, self.course_id, self.title = True, "", self._course_param(), ""
        asked = str(self.router.url.query_parameters.get("lang", ""))
        self._wanted = asked if asked in LANGUAGES else self.language
        self.lesson, self.outline, self.paper, self.feedback = LessonCard(), [], [], []
        try:
            self._refresh()
        except NotFound:
            self.found = False
        except DomainError as exc:
            if type(exc) is not DomainError:
                raise
            self.blocked = exc.message

    @rx.event
    def read_in(self, code: str):
        """Read the course in another of its languages (progress is the course's: it stays)."""
        if code in LANGUAGES and self.course_id and self.found and not self.blocked:
            self._wanted = code
            self._refresh(self.lesson.id or None)

    @rx.event
    def open_lesson(self, lesson_id: int):
        if not isinstance(lesson_id, int) or isinstance(lesson_id, bool) or not self.course_id:
            return
        self._show(lesson_id)
        return rx.call_script("document.getElementById('lesson-title')?.focus()")

    @rx.event
    def open_sco(self, index: int):
        """Run another SCO of the lesson's package (and refresh which are completed)."""
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(self.scos):
            return
        self.sco = index
        self._refresh(self.lesson.id)

    @rx.event
    def finish_lesson(self):
        """Mark the lesson shown done and move to the next one."""
        if not self.lesson.id:
            return None
        self._run(complete_lesson, self.lesson.id)
        self._refresh(self.lesson.next_id or self.lesson.id)
        return rx.call_script("document.getElementById('lesson-title')?.focus()")

    @rx.event
    def video_ended(self):
        if self.lesson.id and self.lesson.kind == "video" and not self.lesson.done:
            self._run(complete_lesson, self.lesson.id)
            self._refresh(self.lesson.id)

    @rx.event
    def start_quiz(self):
        if self.lesson.kind != "quiz":
            return None
        try:
            paper, zone = self._run(with_zone, start_attempt, self._run(lesson_quiz_id, self.lesson.id))
        except DomainError as exc:
            if type(exc) is not DomainError:
                raise
            self.errors = {"quiz": exc.message}
            self._quiz_summary()
            return None
        self._take(paper, zone)
        return None

    def _take(self, paper: Paper, zone: tzinfo) -> None:
        self._attempt_id, self.errors, self.feedback, self.result_title = paper.attempt_id, {}, [], ""
        self.paper, self.deadline = paper_lines(paper, zone, self._words())

    @rx.event
    def submit_quiz(self, form: dict):
        if not self._attempt_id or not isinstance(form, dict):
            return None
        answers = answers_from_form(form)
        try:
            result = self._run(submit_attempt, self._attempt_id, answers)
        except DomainError as exc:
            if type(exc) is not DomainError:
                raise
            self.errors, self.paper, self._attempt_id = {"quiz": exc.message}, [], 0
            self._quiz_summary()
            return None
        self._refresh(self.lesson.id)  # the ticks and progress (a pass completes the lesson); clears the paper
        self.result_title, self.result_passed, self.feedback = result_texts(result, self._words())
        return rx.call_script("document.getElementById('quiz-result')?.focus()")
