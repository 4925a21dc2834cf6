"""The SCORM pages for managers, the player component other areas embed, and the run-time's HTTP routes.

`scorm_routes()` belongs in app.py's `api_transformer` list beside the other file routes; until it is listed
there, `_mount_routes` adds it to the app being built (app.py imports this package while it builds the app).
"""

from __future__ import annotations

import sys

from prm_app.scorm.ui import package_page, packages_page  # noqa: F401  (pages register themselves)
from prm_app.scorm.ui.player import scorm_player
from prm_app.scorm.ui.runtime_http import scorm_routes

__all__ = ["scorm_player", "scorm_routes"]


def _mount_routes() -> None:
    app = getattr(sys.modules.get("prm_app.app"), "app", None)
    transformers = getattr(app, "api_transformer", None)
    if not isinstance(transformers, list) or any(getattr(t, "scorm_routes", False) for t in transformers):
        return
    routes = scorm_routes()
    routes.scorm_routes = True  # type: ignore[attr-defined]
    transformers.insert(min(2, len(transformers)), routes)


_mount_routes()
