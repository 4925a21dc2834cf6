"""Training's pages: the partners' Learning catalogue and certificates, the course player, the public verify page,
their team's view for partner admins, and the managers' Training pages (courses and insight, course and lesson
editors)."""

from prm_app.training.ui import (
    catalogue,
    certifications,
    course_editor,
    exam,
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
    "exam",
    "lesson_editor",
    "manage",
    "player",
    "team",
    "verify",
]


def _mount_routes() -> None:
    """Mount training's HTTP endpoints (lesson files, the video position beacon, certificate PDFs).

    The app (prm_app/app.py, not this area's file) lists every area's routes in `app.api_transformer`; until the
    line `training_routes(),` is added there, the routes are mounted here, while app.py imports the areas' pages
    (before Reflex builds the ASGI app from that list). Does nothing where no app is being built (tests)."""
    import sys

    from prm_app.training.ui.media_http import training_routes

    app_module = sys.modules.get("prm_app.app")
    transformers = getattr(getattr(app_module, "app", None), "api_transformer", None)
    if isinstance(transformers, list) and not any(getattr(t, "_training", False) for t in transformers):
        routes = training_routes()
        routes._training = True  # type: ignore[attr-defined]
        transformers.insert(2, routes)  # beside the other areas' file routes, inside metrics and the cookie gate


_mount_routes()
