"""The one list of business areas. Adding an area means adding its name here (and its folder)."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

AREAS = ("mail", "identity", "notifications", "partners", "deals", "leads", "nps", "analytics", "search")  # lower first


def load_models() -> None:
    """Import every table so SQLModel.metadata (Alembic, create_all, the app) sees them all."""
    import_module("prm_app.platform.models")
    import_module("prm_app.platform.jobs_progress")
    for area in AREAS:
        if find_spec(f"prm_app.{area}.models") is not None:  # an area may own no table (analytics)
            import_module(f"prm_app.{area}.models")


load_models()
