"""The search area's page; importing this package registers it."""

from prm_app.search.ui import search_page  # noqa: F401
