"""The SCORM pages for managers, the player component other areas embed, and the run-time's HTTP routes.

`scorm_routes()` is in app.py's `api_transformer` list beside the other file routes.
"""

from __future__ import annotations

from prm_app.scorm.ui import package_page, packages_page  # noqa: F401  (pages register themselves)
from prm_app.scorm.ui.player import scorm_player
from prm_app.scorm.ui.runtime_http import scorm_routes

__all__ = ["scorm_player", "scorm_routes"]
