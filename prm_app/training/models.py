"""Training tables: courses of modules of lessons (rich text, video, PDF, SCORM, quiz), each learner's enrolment
and lesson progress, quizzes with their question bank and server-side attempts, certifications and the
certificates issued to people.

Versions: publishing a course again bumps `Course.version`; a lesson whose content changed since it was last
published gets a new `Lesson.revision`. A learner's progress on a lesson counts only for the revision it was made
on, so progress on unchanged lessons survives a new version and changed lessons must be taken again. Learners
see the published copies (LessonCopy), never the draft a manager is editing."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, Column, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from prm_app.platform.clock import UTCDateTime, utcnow


def _fk(target: str, *, nullable: bool = False, cascade: bool = False, index: bool = True) -> Column:  # type: ignore[type-arg]
    return Column(Integer, ForeignKey(target, ondelete="CASCADE" if cascade else None), nullable=nullable, index=index)


class Course(SQLModel, table=True):
    """`status`: draft, published, retired. `audience` is an audience.AudienceRule as JSON ("" = every partner).
    `prerequisites`: ids of courses to complete first, comma-separated."""

    __tablename__ = "training_course"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(40), nullable=False, unique=True))
    title: str = Field(sa_column=Column(String(160), nullable=False))
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    product: str = Field(default="", sa_column=Column(String(80), nullable=False, default=""))
    level: str = Field(default="foundation", sa_column=Column(String(20), nullable=False, default="foundation"))
    status: str = Field(default="draft", sa_column=Column(String(20), nullable=False, default="draft", index=True))
    audience: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    prerequisites: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))
    minutes: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    # The language of the course's own title, summary and lessons (its first variant; CourseVariant holds others).
    language: str = Field(default="en", sa_column=Column(String(8), nullable=False, server_default="en", default="en"))
    version: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    published_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class CourseModule(SQLModel, table=True):
    __tablename__ = "training_module"

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(sa_column=_fk("training_course.id", cascade=True))
    position: int = 0
    title: str = Field(sa_column=Column(String(160), nullable=False))


class Lesson(SQLModel, table=True):
    """`kind`: text, video, pdf, scorm, quiz. Text is markdown (rendered sanitized). A video is an uploaded mp4
    (`media_key` in the media store) or a `video_url`; a PDF is uploaded (`media_key`). `revision` counts content
    changes that were published (see the module docstring); `content_changed` marks an edit not yet published."""

    __tablename__ = "training_lesson"

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(sa_column=_fk("training_course.id", cascade=True))
    module_id: int = Field(sa_column=_fk("training_module.id", cascade=True))
    position: int = 0
    title: str = Field(sa_column=Column(String(160), nullable=False))
    kind: str = Field(sa_column=Column(String(10), nullable=False))
    body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    media_key: str = Field(default="", sa_column=Column(String(32), nullable=False, default=""))
    media_type: str = Field(default="", sa_column=Column(String(40), nullable=False, default=""))
    video_url: str = Field(default="", sa_column=Column(String(500), nullable=False, default=""))
    scorm_package_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("scorm_package.id"), nullable=True)
    )
    minutes: int = Field(default=5, sa_column=Column(Integer, nullable=False, default=5))
    revision: int = Field(default=1, sa_column=Column(Integer, nullable=False, default=1))
    content_changed: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))


class LessonCopy(SQLModel, table=True):
    """The published copy of a lesson: what learners see, made by publishing the course (published.py). A
    manager's edits change the Lesson (the draft) only; a lesson added since the last version has no copy yet.
    `quiz`: a quiz lesson's published settings and question ids as JSON ("" for other kinds)."""

    __tablename__ = "training_lesson_copy"

    id: int | None = Field(default=None, primary_key=True)
    lesson_id: int = Field(
        sa_column=Column(Integer, ForeignKey("training_lesson.id", ondelete="CASCADE"), nullable=False, unique=True)
    )
    course_id: int = Field(sa_column=_fk("training_course.id", cascade=True))
    module_id: int = Field(sa_column=_fk("training_module.id", cascade=True, index=False))
    module_position: int = 0
    module_title: str = Field(sa_column=Column(String(160), nullable=False))
    position: int = 0
    title: str = Field(sa_column=Column(String(160), nullable=False))
    kind: str = Field(sa_column=Column(String(10), nullable=False))
    body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    media_key: str = Field(default="", sa_column=Column(String(32), nullable=False, default=""))
    media_type: str = Field(default="", sa_column=Column(String(40), nullable=False, default=""))
    video_url: str = Field(default="", sa_column=Column(String(500), nullable=False, default=""))
    scorm_package_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("scorm_package.id"), nullable=True)
    )
    minutes: int = Field(default=5, sa_column=Column(Integer, nullable=False, default=5))
    revision: int = Field(default=1, sa_column=Column(Integer, nullable=False, default=1))
    quiz: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class Enrollment(SQLModel, table=True):
    """A person on a course: where they are (`current_lesson_id`, the resume pointer) and when they finished.
    `seconds` is the time spent in the player (summed from lesson progress)."""

    __tablename__ = "training_enrollment"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_fk("app_user.id"))
    course_id: int = Field(sa_column=_fk("training_course.id", cascade=True))
    current_lesson_id: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    started_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    last_seen_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    completed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    seconds: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))


class LessonProgress(SQLModel, table=True):
    """One person's progress on one lesson: done on which revision, and for video the last second watched."""

    __tablename__ = "training_lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_fk("app_user.id"))
    lesson_id: int = Field(sa_column=_fk("training_lesson.id", cascade=True))
    done_revision: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))  # 0 = not done
    position: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))  # video: seconds
    completed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class Quiz(SQLModel, table=True):
    """A quiz lesson's settings (or a certification's final exam, with no lesson). `draw`: how many questions an
    attempt gets (0 = all); `max_attempts` 0 = unlimited; `time_limit_minutes` 0 = none."""

    __tablename__ = "training_quiz"

    id: int | None = Field(default=None, primary_key=True)
    lesson_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("training_lesson.id", ondelete="CASCADE"), nullable=True, unique=True),
    )
    title: str = Field(sa_column=Column(String(160), nullable=False))
    pass_percent: int = Field(default=70, sa_column=Column(Integer, nullable=False, default=70))
    max_attempts: int = Field(default=3, sa_column=Column(Integer, nullable=False, default=3))
    time_limit_minutes: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    draw: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    shuffle: bool = Field(default=True, sa_column=Column(Boolean, nullable=False, default=True))


class Question(SQLModel, table=True):
    """`kind`: single, multiple, numeric. `options`: JSON list of strings; `answer`: JSON — the correct option
    indexes (single, multiple) or [value, tolerance] (numeric). Never sent to a browser before submission."""

    __tablename__ = "training_question"

    id: int | None = Field(default=None, primary_key=True)
    quiz_id: int = Field(sa_column=_fk("training_quiz.id", cascade=True))
    position: int = 0
    kind: str = Field(sa_column=Column(String(10), nullable=False))
    prompt: str = Field(sa_column=Column(Text, nullable=False))
    options: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    answer: str = Field(sa_column=Column(Text, nullable=False))
    marks: int = Field(default=1, sa_column=Column(Integer, nullable=False, default=1))
    explanation: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class QuizAttempt(SQLModel, table=True):
    """One try at a quiz, created when it starts with its frozen question set (`paper`: JSON list of
    [question id, [option order]]) and `deadline`. `open_slot` is "<user>:<quiz>" while the attempt is open and
    NULL once submitted: its unique index allows one open attempt per person per quiz, whatever tabs they open."""

    __tablename__ = "training_quiz_attempt"

    id: int | None = Field(default=None, primary_key=True)
    quiz_id: int = Field(sa_column=_fk("training_quiz.id", cascade=True))
    user_id: int = Field(sa_column=_fk("app_user.id"))
    number: int = Field(default=1, sa_column=Column(Integer, nullable=False, default=1))
    paper: str = Field(sa_column=Column(Text, nullable=False))
    started_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    deadline: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    submitted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    open_slot: str | None = Field(default=None, sa_column=Column(String(40), nullable=True, unique=True))
    score: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    max_score: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    percent: Decimal = Field(default=Decimal(0), sa_column=Column(Numeric(5, 1), nullable=False, default=0))
    passed: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))


class QuestionResult(SQLModel, table=True):
    """How one question of a submitted attempt went: the per-question statistics that find bad questions."""

    __tablename__ = "training_question_result"

    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(sa_column=_fk("training_quiz_attempt.id", cascade=True))
    question_id: int = Field(sa_column=_fk("training_question.id", cascade=True))
    correct: bool = Field(sa_column=Column(Boolean, nullable=False))
    given: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class Certification(SQLModel, table=True):
    """A named certification: pass its courses (CertificationCourse) and, when set, its final exam. Valid
    `valid_months` from issue (month-end safe). `renewal`: "exam" (re-pass the final exam) or "all" (every
    course and the exam again)."""

    __tablename__ = "training_certification"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(40), nullable=False, unique=True))
    name: str = Field(sa_column=Column(String(160), nullable=False))
    valid_months: int = Field(default=24, sa_column=Column(Integer, nullable=False, default=24))
    renewal: str = Field(default="exam", sa_column=Column(String(10), nullable=False, default="exam"))
    final_quiz_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("training_quiz.id"), nullable=True)
    )


class CertificationCourse(SQLModel, table=True):
    __tablename__ = "training_certification_course"
    __table_args__ = (UniqueConstraint("certification_id", "course_id"),)

    id: int | None = Field(default=None, primary_key=True)
    certification_id: int = Field(sa_column=_fk("training_certification.id", cascade=True))
    course_id: int = Field(sa_column=_fk("training_course.id", cascade=True))


class Certificate(SQLModel, table=True):
    """Issued to a person (kept when they move to another partner; counted for the partner they belong to now).
    `code` is unguessable (the public verify link). A renewal issues a new certificate and sets the old one's
    `superseded_by_id`. `reminded`: the reminders sent, "60", "14" (comma-separated)."""

    __tablename__ = "training_certificate"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(32), nullable=False, unique=True))
    user_id: int = Field(sa_column=_fk("app_user.id"))
    certification_id: int = Field(sa_column=_fk("training_certification.id"))
    holder_name: str = Field(sa_column=Column(String(120), nullable=False))
    issued_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    superseded_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("training_certificate.id"), nullable=True)
    )
    reminded: str = Field(default="", sa_column=Column(String(20), nullable=False, default=""))
    expiry_recorded: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))


class CourseVariant(SQLModel, table=True):
    """The course in another language: its title and summary (its lessons' words are LessonVariant rows). A course
    has one structure, one enrolment and one progress per learner whatever the language read: a German and an
    English learner complete the same course."""

    __tablename__ = "training_course_variant"
    __table_args__ = (UniqueConstraint("course_id", "language"),)

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(sa_column=_fk("training_course.id", cascade=True))
    language: str = Field(sa_column=Column(String(8), nullable=False))
    title: str = Field(sa_column=Column(String(160), nullable=False))
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class LessonVariant(SQLModel, table=True):
    """One lesson's words in a course variant's language: its title and, for a reading lesson, its text (markdown).
    Saved with the course variant, read by learners at once (a translation, not a new version of the lesson)."""

    __tablename__ = "training_lesson_variant"
    __table_args__ = (UniqueConstraint("lesson_id", "language"),)

    id: int | None = Field(default=None, primary_key=True)
    lesson_id: int = Field(sa_column=_fk("training_lesson.id", cascade=True))
    course_id: int = Field(sa_column=_fk("training_course.id", cascade=True))
    language: str = Field(sa_column=Column(String(8), nullable=False))
    title: str = Field(sa_column=Column(String(160), nullable=False))
    body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
