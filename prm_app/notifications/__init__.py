"""Notices for partner organizations: other areas write them with `notify`, the portal reads `recent_notices`."""

from prm_app.notifications.queries import Notice, recent_notices
from prm_app.notifications.service import notify

__all__ = [
    "Notice",
    "notify",
    "recent_notices",
]
