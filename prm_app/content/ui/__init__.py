"""The library's pages: the partners' library and each asset at its stable link; the channel team's content list,
new asset, asset page (versions, usage, preview as partner, co-brand zones) and deleted assets. Its files are
served by file_http.py."""

import sys

from prm_app.content.ui import asset_admin, asset_page, deleted, kits_page, library, manage_list, new_asset, preview
from prm_app.content.ui.file_http import content_routes


def _mount_file_routes() -> None:
    """Put the file endpoints beside the other areas' (before /metrics and the sign-in routes). app.py imports this
    package after it sets its `api_transformer` list, and Reflex applies that list when it builds the server.
    (Until app.py lists `content_routes()` itself, as the report of this branch asks.)"""
    app_module = sys.modules.get("prm_app.app")
    transformers = getattr(getattr(app_module, "app", None), "api_transformer", None)
    if isinstance(transformers, list) and not getattr(_mount_file_routes, "done", False):
        transformers.insert(1, content_routes())
        _mount_file_routes.done = True  # type: ignore[attr-defined]


_mount_file_routes()

__all__ = ["asset_admin", "asset_page", "deleted", "kits_page", "library", "manage_list", "new_asset", "preview"]
