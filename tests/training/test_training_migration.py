"""Migration 2d6f4b8c0e75 on SQLite and PostgreSQL: courses published before it keep showing learners exactly what
they showed (each lesson of a published course gets its copy, a quiz lesson with its settings and questions);
drafts get none."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa

from tests.migrations.test_migrations import _migrate

REVISION = "2d6f4b8c0e75"
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _insert(connection: sa.Connection, table: str, **values: object) -> int:
    reflected = sa.Table(table, sa.MetaData(), autoload_with=connection)
    return connection.execute(reflected.insert().values(**values)).inserted_primary_key[0]  # type: ignore[index]


def _course(connection: sa.Connection, code: str, status: str, version: int) -> tuple[int, int]:
    course = _insert(
        connection, "training_course", code=code, title=code, summary="", product="", level="foundation",
        status=status, audience="", prerequisites="", minutes=0, version=version, updated_at=NOW,
    )  # fmt: skip
    module = _insert(connection, "training_module", course_id=course, position=0, title="Module 1")
    return course, module


def _lesson(connection: sa.Connection, course: int, module: int, position: int, kind: str, body: str) -> int:
    return _insert(
        connection, "training_lesson", course_id=course, module_id=module, position=position, title=f"L{position}",
        kind=kind, body=body, media_key="", media_type="", video_url="", minutes=5, revision=2,
        content_changed=False,
    )  # fmt: skip


def test_published_lessons_get_their_copies_on_upgrade(empty_engine):
    _migrate(empty_engine, "upgrade", f"{REVISION}-1")
    with empty_engine.begin() as connection:
        course, module = _course(connection, "LIVE-1", "published", 3)
        text = _lesson(connection, course, module, 1, "text", "What learners read today")
        quiz_lesson = _lesson(connection, course, module, 2, "quiz", "")
        quiz = _insert(
            connection, "training_quiz", lesson_id=quiz_lesson, title="Q", pass_percent=80, max_attempts=2,
            time_limit_minutes=10, draw=1, shuffle=False,
        )  # fmt: skip
        question = {"kind": "single", "options": '["a", "b"]', "answer": "[0]", "marks": 1, "explanation": ""}
        questions = [
            _insert(connection, "training_question", quiz_id=quiz, position=p, prompt=f"Q{p}", **question)
            for p in (0, 1)
        ]
        draft, draft_module = _course(connection, "DRAFT-1", "draft", 0)
        _lesson(connection, draft, draft_module, 1, "text", "Not published")
    _migrate(empty_engine, "upgrade", REVISION)
    with empty_engine.connect() as connection:
        copies = connection.execute(
            sa.text("SELECT lesson_id, course_id, body, revision, quiz FROM training_lesson_copy ORDER BY lesson_id")
        ).all()
    assert [(c[0], c[1], c[2], c[3]) for c in copies] == [
        (text, course, "What learners read today", 2),
        (quiz_lesson, course, "", 2),
    ]
    assert json.loads(copies[1][4]) == {
        "pass_percent": 80, "max_attempts": 2, "time_limit_minutes": 10, "draw": 1, "shuffle": False,
        "questions": questions,
    }  # fmt: skip
    _migrate(empty_engine, "downgrade", f"{REVISION}-1")  # and back: the table and the task columns go
    assert "training_lesson_copy" not in sa.inspect(empty_engine).get_table_names()
