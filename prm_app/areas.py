"""The one list of business areas. Adding an area means adding its name here (and its folder)."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from pkgutil import iter_modules

AREAS = (  # lower first
    "mail",
    "identity",
    "notifications",
    "partners",
    "audience",
    "agreements",
    "onboarding",
    "deals",
    "fx",  # after deals (which knows nothing of it): locks the rate of deals won and refunded
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
    "network",  # a distributor's view of the partners below it: reads deals, partners and training
    "integrations",
    "crm",  # CRM sync: reads partners, people, deals and leads
    "dataio",  # CSV import/export of the records of the areas above (each plugs in a TableSpec)
)


def load_models() -> None:
    """Import every table so SQLModel.metadata (Alembic, create_all, the app) sees them all: each area's
    `models` module and any `<topic>_models` module beside it (an area may keep a topic's tables apart, e.g.
    incentives' mdf_models, integrations' webhook_models)."""
    import_module("prm_app.platform.models")
    import_module("prm_app.platform.jobs_progress")
    for area in AREAS:
        if find_spec(f"prm_app.{area}.models") is None:  # an area may own no table (analytics)
            continue
        package = import_module(f"prm_app.{area}")
        for module in iter_modules(package.__path__):
            if module.name == "models" or module.name.endswith("_models"):
                import_module(f"prm_app.{area}.{module.name}")


def load_reactions() -> None:
    """Import every area's `reactions` module: what it does when another area records an engagement event
    (platform.audit.reacts_to). Imported after every table, wherever events may be recorded (app, CLI, tests)."""
    for area in AREAS:
        if find_spec(f"prm_app.{area}.reactions") is not None:
            import_module(f"prm_app.{area}.reactions")


load_models()
load_reactions()
