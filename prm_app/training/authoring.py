"""Managers' authoring: courses (details, audience, prerequisites), modules, lessons of every kind, a quiz lesson's
settings and question bank, and the course's life (draft, published, retired). Every use case needs
MANAGE_TRAINING. Versions: every edit changes the draft only (learners see the last published copy, published.py);
editing a lesson's content marks it changed; publishing gives changed lessons a new revision (learners take them
again) and keeps everyone's progress on the unchanged ones."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from prm_app.audience import AudienceRule, audience_names, rule_from_form
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import DomainError, NotFound, ValidationError
from prm_app.scorm import package_choices
from prm_app.training.models import Course, CourseModule, Lesson, Question, Quiz
from prm_app.training.published import media_in_use, publish_copies, same_as_published
from prm_app.training.question_bank import append_question, set_quiz_settings
from prm_app.training.rules import LEVELS, CourseStatus, LessonKind

CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,39}")
URL = re.compile(r"https://[^\s\"'<>]{4,490}")


@dataclass(frozen=True)
class CourseDetails:
    title: str
    summary: str
    product: str
    level: str
    minutes: int
    prerequisites: tuple[int, ...]
    audience: AudienceRule


def _course(session: Session, actor: Actor, course_id: int) -> Course:
    actor.require(Permission.MANAGE_TRAINING)
    course = session.get(Course, course_id) if isinstance(course_id, int) else None
    if course is None:
        raise NotFound("course")
    return course


def _lesson(session: Session, actor: Actor, lesson_id: int) -> Lesson:
    actor.require(Permission.MANAGE_TRAINING)
    lesson = session.get(Lesson, lesson_id) if isinstance(lesson_id, int) else None
    if lesson is None:
        raise NotFound("lesson")
    return lesson


def _touch(course: Course, now: datetime | None = None) -> None:
    course.updated_at = now or utcnow()


def create_course(session: Session, actor: Actor, code: str, title: str) -> int:
    """A draft course with one module to start from. The code is unique (letters, digits, dashes)."""
    actor.require(Permission.MANAGE_TRAINING)
    code, title = code.strip().upper(), title.strip()
    if not CODE.fullmatch(code):
        raise ValidationError("Give a short code of capital letters, digits and dashes (e.g. SEC-301).", "code")
    if not title:
        raise ValidationError("Give the course a title.", "title")
    if session.exec(select(Course.id).where(Course.code == code)).first() is not None:
        raise ValidationError("Another course has this code.", "code")
    course = Course(code=code, title=title[:160])
    session.add(course)
    session.flush()
    session.add(CourseModule(course_id=saved_id(course), position=0, title="Module 1"))
    audit(session, actor, "create_course", "training_course", course.id, code=code)
    return saved_id(course)


def update_course(session: Session, actor: Actor, course_id: int, details: CourseDetails) -> None:
    """Save a course's details and audience. Prerequisites must be other existing courses."""
    course = _course(session, actor, course_id)
    if not details.title.strip():
        raise ValidationError("Give the course a title.", "title")
    if details.level not in LEVELS:
        raise ValidationError("Choose a level.", "level")
    if not 0 <= details.minutes <= 10_000:
        raise ValidationError("Give the minutes as a whole number.", "minutes")
    others = set(session.exec(select(Course.id)).all()) - {course_id}
    if any(p not in others for p in details.prerequisites):
        raise ValidationError("Choose prerequisites among the other courses.", "prerequisites")
    course.title, course.summary = details.title.strip()[:160], details.summary.strip()[:2000]
    course.product, course.level, course.minutes = details.product.strip()[:80], details.level, details.minutes
    course.prerequisites = ",".join(str(p) for p in details.prerequisites)
    course.audience = "" if details.audience.is_everyone else details.audience.to_json()
    _touch(course)
    session.add(course)
    audit(session, actor, "update_course", "training_course", course.id, audience=details.audience.to_json())


def save_course(session: Session, actor: Actor, course_id: int, form: Mapping[str, object]) -> None:
    """`update_course` from the editor's form: its fields, the prerequisites ticked (`prereq:<id>`) and the audience
    editor's fields (FormInvalid names an unknown tier, group, certification, country or language)."""
    actor.require(Permission.MANAGE_TRAINING)
    rule = rule_from_form(form, audience_names(session))
    minutes = str(form.get("minutes", "0") or "0").strip()
    if not minutes.isdigit():
        raise ValidationError("Give the minutes as a whole number.", "minutes")
    ticked = [k.split(":", 1)[1] for k, v in form.items() if k.startswith("prereq:") and v in ("on", True)]
    details = CourseDetails(
        str(form.get("title", ""))[:160],
        str(form.get("summary", ""))[:2000],
        str(form.get("product", ""))[:80],
        str(form.get("level", "")),
        int(minutes[:6]),
        tuple(int(t) for t in ticked if t.isdigit()),
        rule,
    )
    update_course(session, actor, course_id, details)


def add_module(session: Session, actor: Actor, course_id: int, title: str) -> int:
    course = _course(session, actor, course_id)
    if not title.strip():
        raise ValidationError("Give the module a title.", "module_title")
    count = session.exec(
        select(func.count()).select_from(CourseModule).where(CourseModule.course_id == course_id)
    ).one()
    module = CourseModule(course_id=course_id, position=count, title=title.strip()[:160])
    session.add(module)
    _touch(course)
    session.add(course)
    session.flush()
    return saved_id(module)


def add_lesson(session: Session, actor: Actor, module_id: int, kind: str, title: str) -> int:
    """A new lesson at the end of its module (a quiz lesson gets its quiz, 70% to pass, 3 attempts)."""
    actor.require(Permission.MANAGE_TRAINING)
    module = session.get(CourseModule, module_id) if isinstance(module_id, int) else None
    if module is None:
        raise NotFound("module")
    if kind not in set(LessonKind):
        raise ValidationError("Choose what kind of lesson it is.", "kind")
    if not title.strip():
        raise ValidationError("Give the lesson a title.", "lesson_title")
    last = session.exec(select(func.max(Lesson.position)).where(Lesson.course_id == module.course_id)).one() or 0
    # lessons are ordered by position course-wide; a lesson added to an earlier module goes after its module's last
    in_module = session.exec(select(func.max(Lesson.position)).where(Lesson.module_id == module_id)).one()
    position = (in_module + 1) if in_module is not None else last + 1
    for later in session.exec(
        select(Lesson).where(Lesson.course_id == module.course_id, Lesson.position >= position)
    ).all():
        later.position += 1
        session.add(later)
    lesson = Lesson(
        course_id=module.course_id,
        module_id=module_id,
        position=position,
        title=title.strip()[:160],
        kind=kind,
        content_changed=True,
    )
    session.add(lesson)
    session.flush()
    if kind == LessonKind.QUIZ:
        session.add(Quiz(lesson_id=lesson.id, title=lesson.title))
    audit(session, actor, "add_lesson", "training_lesson", lesson.id, kind=kind)
    return saved_id(lesson)


def update_lesson(
    session: Session, actor: Actor, lesson_id: int, title: str, body: str, video_url: str, minutes: int
) -> None:
    """Save a lesson's title and content. Changed content marks the lesson changed until the course is published
    again (then learners who finished it take it again)."""
    lesson = _lesson(session, actor, lesson_id)
    if not title.strip():
        raise ValidationError("Give the lesson a title.", "title")
    video_url = video_url.strip()
    if video_url and not URL.fullmatch(video_url):
        raise ValidationError("Give a video address starting with https://.", "video_url")
    if not 0 <= minutes <= 600:
        raise ValidationError("Give the minutes as a whole number.", "minutes")
    if body != lesson.body or video_url != lesson.video_url:
        lesson.content_changed = True
    lesson.title, lesson.body, lesson.video_url, lesson.minutes = (
        title.strip()[:160],
        body[:100_000],
        video_url,
        minutes,
    )
    session.add(lesson)


def attach_media(session: Session, actor: Actor, lesson_id: int, key: str, content_type: str) -> str:
    """The uploaded file (checked by content) becomes the draft lesson's video or PDF; returns the replaced file's
    key when nothing shows it any more ("" while the published copy still does: publishing releases it)."""
    lesson = _lesson(session, actor, lesson_id)
    wanted = {LessonKind.VIDEO: "video/mp4", LessonKind.PDF: "application/pdf"}.get(LessonKind(lesson.kind))
    if content_type != wanted:
        raise ValidationError("A video lesson takes an MP4 file, a PDF lesson a PDF.", "media")
    previous = lesson.media_key
    lesson.media_key, lesson.media_type, lesson.content_changed = key, content_type, True
    session.add(lesson)
    audit(session, actor, "attach_lesson_file", "training_lesson", lesson.id)
    session.flush()
    return "" if not previous or media_in_use(session, previous) else previous  # learners may still watch it


def choose_package(session: Session, actor: Actor, lesson_id: int, package_id: int) -> None:
    """The SCORM package a SCORM lesson runs, among the packages the SCORM area offers this manager."""
    lesson = _lesson(session, actor, lesson_id)
    if lesson.kind != LessonKind.SCORM:
        raise ValidationError("Only a SCORM lesson runs a package.", "package")
    if package_id not in {pid for pid, _ in package_choices(session, actor)}:
        raise ValidationError("Choose one of the imported packages.", "package")
    if lesson.scorm_package_id != package_id:
        lesson.scorm_package_id, lesson.content_changed = package_id, True
        session.add(lesson)
        audit(session, actor, "choose_scorm_package", "training_lesson", lesson.id, package=package_id)


def check_media_lesson(session: Session, actor: Actor, lesson_id: int) -> None:
    """Before an upload streams in: the lesson exists and takes a file."""
    if _lesson(session, actor, lesson_id).kind not in (LessonKind.VIDEO, LessonKind.PDF):
        raise DomainError("Only video and PDF lessons take a file.")


def update_quiz(
    session: Session,
    actor: Actor,
    lesson_id: int,
    pass_percent: int,
    max_attempts: int,
    time_limit_minutes: int,
    draw: int,
    shuffle: bool | None = None,
) -> None:
    lesson = _lesson(session, actor, lesson_id)
    quiz = session.exec(select(Quiz).where(Quiz.lesson_id == lesson.id)).first()
    if quiz is None:
        raise NotFound("quiz")
    set_quiz_settings(quiz, pass_percent, max_attempts, time_limit_minutes, draw, shuffle)
    session.add(quiz)


def add_question(
    session: Session,
    actor: Actor,
    lesson_id: int,
    kind: str,
    prompt: str,
    options: list[str],
    answer: list[str],
    marks: int,
    explanation: str,
) -> int:
    lesson = _lesson(session, actor, lesson_id)
    quiz = session.exec(select(Quiz).where(Quiz.lesson_id == lesson.id)).first()
    if quiz is None:
        raise NotFound("quiz")
    question_id = append_question(session, quiz, kind, prompt, options, answer, marks, explanation)
    lesson.content_changed = True
    session.add(lesson)
    return question_id


@dataclass(frozen=True)
class Published:
    version: int
    released_media: tuple[str, ...]  # files no lesson or published copy shows any more: delete after commit


def publish_course(session: Session, actor: Actor, course_id: int, now: datetime | None = None) -> Published:
    """Publish the draft as a new version: every lesson is copied to what learners see (published.py); lessons
    changed since the last version get a new revision (learners take them again), the others keep everyone's
    progress. A course needs a lesson, and a quiz lesson a question."""
    course = _course(session, actor, course_id)
    lessons = session.exec(select(Lesson).where(Lesson.course_id == course_id)).all()
    if not lessons:
        raise DomainError("Add a lesson before publishing.")
    for lesson in lessons:
        if lesson.kind == LessonKind.QUIZ:
            quiz = session.exec(select(Quiz).where(Quiz.lesson_id == lesson.id)).first()
            asked = session.exec(
                select(func.count()).select_from(Question).where(Question.quiz_id == (quiz.id if quiz else 0))
            ).one()
            if not asked:
                raise DomainError(f"The quiz “{lesson.title}” has no questions yet.")
        if lesson.kind == LessonKind.SCORM and lesson.scorm_package_id is None:
            raise DomainError(f"The lesson “{lesson.title}” has no SCORM package yet.")
        if lesson.kind in (LessonKind.VIDEO, LessonKind.PDF) and not (lesson.media_key or lesson.video_url):
            raise DomainError(f"The lesson “{lesson.title}” has no file yet.")
        if lesson.content_changed:
            if course.version > 0 and not same_as_published(session, lesson):
                lesson.revision += 1  # learners take it again (a SCORM SCO or quiz they passed: see quizzes.py)
            lesson.content_changed = False
            session.add(lesson)
    released = publish_copies(session, course_id)
    course.version += 1
    course.status, course.published_at = CourseStatus.PUBLISHED, now or utcnow()
    _touch(course, now)
    session.add(course)
    audit(session, actor, "publish_course", "training_course", course.id, version=course.version)
    return Published(course.version, tuple(released))


def retire_course(session: Session, actor: Actor, course_id: int) -> None:
    """Take the course out of the catalogue; certificates already earned stay."""
    course = _course(session, actor, course_id)
    course.status = CourseStatus.RETIRED
    _touch(course)
    session.add(course)
    audit(session, actor, "retire_course", "training_course", course.id)


def course_choices(session: Session, actor: Actor) -> list[tuple[int, str]]:
    actor.require(Permission.MANAGE_TRAINING)
    return [(saved_id(c), c.title) for c in session.exec(select(Course).order_by(col(Course.title))).all()]
