"""Notices for partner organizations."""

from prm_app.notifications.service import list_notifications, notify

__all__ = [
    "list_notifications",
    "notify",
]
