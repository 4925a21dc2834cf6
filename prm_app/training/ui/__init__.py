"""Training's pages: the partners' Learning catalogue and certificates, the course player, the public verify page,
their team's view for partner admins, and the managers' Training pages (courses and insight, course and lesson
editors). Its files are served by media_http.py (listed in app.py)."""

from prm_app.training.ui import (
    catalogue,
    certifications,
    course_editor,
    course_languages,
    exam,
    exam_editor,
    lesson_editor,
    manage,
    player,
    team,
    verify,
)

__all__ = [
    "catalogue",
    "certifications",
    "course_editor",
    "course_languages",
    "exam",
    "exam_editor",
    "lesson_editor",
    "manage",
    "player",
    "team",
    "verify",
]
