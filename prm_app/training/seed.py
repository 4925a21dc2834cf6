"""Demo training: three courses (Core Platform essentials with a generated tour video, the Security Suite
deployment course for MSPs and integrators with a PDF guide, Selling Analytics Cloud after the essentials), each
with a quiz; two certifications; partners' people at different stages, and certificates near expiry.
Idempotent: courses by code, modules and lessons by title within their course, questions by prompt, certifications
by code, enrolments by (person, course), certificates by (person, certification).

Lena Fischer (Northwind, a distributor) has started nothing: the e2e learner. Security Suite is for MSPs and system
integrators only."""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from sqlmodel import Session, select

from prm_app.identity import User
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.scorm import ScormPackage
from prm_app.training.content import MEDIA, MP4, PDF
from prm_app.training.demo_media import demo_mp4, demo_pdf
from prm_app.training.models import (
    Certificate,
    Certification,
    CertificationCourse,
    Course,
    CourseModule,
    Enrollment,
    Lesson,
    LessonProgress,
    Question,
    Quiz,
    QuizAttempt,
)
from prm_app.training.published import publish_copies
from prm_app.training.rules import add_months
from prm_app.training.seed_content import (
    ANALYTICS,
    CERTIFICATES,
    CORE,
    CORE_QUIZ,
    COURSES,
    GUIDE,
    LESSONS,
    QUIZZES,
    SECURITY,
    SECURITY_QUIZ,
    STAGES,
    Q,
)


def _store(data: bytes) -> str:
    key = secrets.token_hex(16)
    path = MEDIA.path(key)
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return key


def _quiz(
    session: Session,
    lesson: Lesson | None,
    title: str,
    questions: list[Q],
    *,
    pass_percent: int,
    max_attempts: int,
    time_limit_minutes: int = 0,
) -> Quiz:
    quiz = session.exec(select(Quiz).where(Quiz.title == title)).first()
    if quiz is None:
        quiz = Quiz(
            lesson_id=lesson.id if lesson else None,
            title=title,
            pass_percent=pass_percent,
            max_attempts=max_attempts,
            time_limit_minutes=time_limit_minutes,
        )
        session.add(quiz)
        session.flush()
    for position, (kind, prompt, options, answer, marks, explanation) in enumerate(questions):
        if session.exec(select(Question).where(Question.quiz_id == quiz.id, Question.prompt == prompt)).first():
            continue
        session.add(
            Question(
                quiz_id=saved_id(quiz),
                position=position,
                kind=kind,
                prompt=prompt,
                options=json.dumps(options),
                answer=json.dumps(answer),
                marks=marks,
                explanation=explanation,
            )
        )
    return quiz


def _course(session: Session, code: str, created: dict[str, int], now: datetime) -> Course:
    course = session.exec(select(Course).where(Course.code == code)).first()
    if course is None:
        _, title, product, level, minutes, audience, summary = next(c for c in COURSES if c[0] == code)
        course = Course(
            code=code,
            title=title,
            summary=summary,
            product=product,
            level=level,
            minutes=minutes,
            audience=audience,
            status="published",
            version=1,
            published_at=now - timedelta(days=200),
        )
        session.add(course)
        session.flush()
        created["training courses"] += 1
    cid = saved_id(course)
    position = 0
    for m_pos, (module_title, lessons) in enumerate(LESSONS[code]):
        module = session.exec(
            select(CourseModule).where(CourseModule.course_id == cid, CourseModule.title == module_title)
        ).first()
        if module is None:
            module = CourseModule(course_id=cid, position=m_pos, title=module_title)
            session.add(module)
            session.flush()
        for kind, title, body in lessons:
            position += 1
            if session.exec(select(Lesson).where(Lesson.course_id == cid, Lesson.title == title)).first():
                continue
            lesson = Lesson(
                course_id=cid,
                module_id=saved_id(module),
                position=position,
                title=title,
                kind=kind,
                body=body,
                minutes=10 if kind == "quiz" else 5,
            )
            if kind == "video":
                lesson.media_key, lesson.media_type = _store(demo_mp4()), MP4
            if kind == "scorm":  # `body` names the demo package (prm_app/scorm/seed.py)
                lesson.body = ""
                lesson.scorm_package_id = session.exec(
                    select(ScormPackage.id).where(ScormPackage.title == body)
                ).first()
            if kind == "pdf":
                lesson.media_key, lesson.media_type = _store(demo_pdf(title, GUIDE)), PDF
            session.add(lesson)
            session.flush()
            if kind == "quiz":
                _quiz(session, lesson, title, QUIZZES[code], pass_percent=75, max_attempts=3)
    publish_copies(session, cid)  # the seed's courses are published as they stand: learners see these copies
    return course


def _user(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email)).first()


def _progress(session: Session, user: User, course: Course, lessons_done: int, now: datetime, days_ago: int) -> None:
    """`user` enrolled on `course` `days_ago` days ago with its first `lessons_done` lessons done (all: completed)."""
    lessons = session.exec(select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position)).all()  # type: ignore[arg-type]
    if session.exec(select(Enrollment).where(Enrollment.user_id == user.id, Enrollment.course_id == course.id)).first():
        return
    started = now - timedelta(days=days_ago)
    complete = lessons_done >= len(lessons)
    current = lessons[min(lessons_done, len(lessons) - 1)]
    session.add(
        Enrollment(
            user_id=saved_id(user),
            course_id=saved_id(course),
            current_lesson_id=current.id,
            started_at=started,
            last_seen_at=started + timedelta(days=1),
            completed_at=started + timedelta(days=2) if complete else None,
            seconds=3600 + 600 * lessons_done,
        )
    )
    for lesson in lessons[:lessons_done]:
        session.add(
            LessonProgress(
                user_id=saved_id(user),
                lesson_id=saved_id(lesson),
                done_revision=lesson.revision,
                completed_at=started + timedelta(days=1),
            )
        )
    quiz = session.exec(select(Quiz).where(Quiz.lesson_id == lessons[-1].id)).first() if complete else None
    if quiz is not None:
        paper = [
            [q.id, list(range(len(json.loads(q.options))))]
            for q in session.exec(select(Question).where(Question.quiz_id == quiz.id)).all()
        ]
        session.add(
            QuizAttempt(
                quiz_id=saved_id(quiz),
                user_id=saved_id(user),
                number=1,
                paper=json.dumps(paper),
                started_at=started + timedelta(days=2),
                submitted_at=started + timedelta(days=2),
                score=4,
                max_score=5,
                percent=Decimal(80),
                passed=True,
            )
        )


def _certificate(session: Session, user: User, cert: Certification, issued: datetime) -> None:
    if session.exec(
        select(Certificate).where(Certificate.user_id == user.id, Certificate.certification_id == cert.id)
    ).first():
        return
    session.add(
        Certificate(
            code=secrets.token_hex(16),
            user_id=saved_id(user),
            certification_id=saved_id(cert),
            holder_name=user.full_name,
            issued_at=issued,
            expires_at=add_months(issued, cert.valid_months),
        )
    )


def seed(session: Session) -> dict[str, int]:
    created = {"training courses": 0, "certifications": 0}
    now = utcnow()
    courses = {code: _course(session, code, created, now) for code, *_ in COURSES}
    analytics = courses[ANALYTICS]
    analytics.prerequisites = str(courses[CORE].id)
    session.add(analytics)
    exam = _quiz(
        session,
        None,
        "Security Specialist final exam",
        SECURITY_QUIZ[:2] + CORE_QUIZ[:1],
        pass_percent=80,
        max_attempts=2,
        time_limit_minutes=20,
    )
    certifications = {
        "CPA": ("Certified Core Platform Associate", 12, "all", None, [CORE]),
        "CSS": ("Certified Security Specialist", 24, "exam", exam.id, [SECURITY]),
    }
    found: dict[str, Certification] = {}
    for code, (name, months, renewal, quiz_id, course_codes) in certifications.items():
        cert = session.exec(select(Certification).where(Certification.code == code)).first()
        if cert is None:
            cert = Certification(code=code, name=name, valid_months=months, renewal=renewal, final_quiz_id=quiz_id)
            session.add(cert)
            session.flush()
            created["certifications"] += 1
            for c in course_codes:
                session.add(CertificationCourse(certification_id=saved_id(cert), course_id=saved_id(courses[c])))
        found[code] = cert
    session.flush()
    for email, code, done, days in STAGES:
        if (user := _user(session, email)) is not None:
            _progress(session, user, courses[code], done, now, days)
    for email, code, days in CERTIFICATES:
        if (user := _user(session, email)) is not None:
            _certificate(session, user, found[code], now - timedelta(days=days))
    session.flush()
    return created
