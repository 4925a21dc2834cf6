"""The one list of business areas. Adding an area means adding its name here (and its folder)."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

AREAS = (  # lower first
    "mail",
    "identity",
    "notifications",
    "partners",
    "audience",
    "agreements",
    "onboarding",
    "deals",
    "leads",
    "nps",
    "recruitment",
    "analytics",
    "search",
    "scorm",  # before "training", which launches its packages
    "training",
    "content",
    "incentives",
    "tiering",
    "integrations",
)


def load_models() -> None:
    """Import every table so SQLModel.metadata (Alembic, create_all, the app) sees them all."""
    import_module("prm_app.platform.models")
    import_module("prm_app.platform.jobs_progress")
    for area in AREAS:
        if find_spec(f"prm_app.{area}.models") is not None:  # an area may own no table (analytics)
            import_module(f"prm_app.{area}.models")


def load_reactions() -> None:
    """Import every area's `reactions` module: what it does when another area records an engagement event
    (platform.audit.reacts_to). Imported after every table, wherever events may be recorded (app, CLI, tests)."""
    for area in AREAS:
        if find_spec(f"prm_app.{area}.reactions") is not None:
            import_module(f"prm_app.{area}.reactions")


load_models()
load_reactions()
