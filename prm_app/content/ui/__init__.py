"""The library's pages: the partners' library and each asset at its stable link; the channel team's content list,
new asset, asset page (versions, usage, preview as partner, co-brand zones) and deleted assets. Its files are
served by file_http.py (listed in app.py)."""

from prm_app.content.ui import (
    asset_admin,
    asset_languages,
    asset_page,
    deleted,
    kits_page,
    library,
    manage_list,
    new_asset,
    preview,
)

__all__ = [
    "asset_admin",
    "asset_languages",
    "asset_page",
    "deleted",
    "kits_page",
    "library",
    "manage_list",
    "new_asset",
    "preview",
]
