"""Notices for partner organizations: other areas write them with `notify`, the portal reads `recent_notices`."""

from prm_app.notifications.queries import Notice, recent_notices
from prm_app.notifications.service import list_notifications, notify

__all__ = [
    "Notice",
    "list_notifications",
    "notify",
    "recent_notices",
]
