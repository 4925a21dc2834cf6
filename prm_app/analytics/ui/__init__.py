"""The analytics area's pages; importing this package registers them."""

from prm_app.analytics.ui import dashboard, scorecard  # noqa: F401
