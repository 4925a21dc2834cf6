"""The notifications area's pages; importing this package registers them."""

from prm_app.notifications.ui import notifications_page, preferences_page  # noqa: F401
