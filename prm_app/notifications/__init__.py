"""Notices for partner organizations: other areas write them with `notify` and close them with `resolve` when the
record they are about was acted on; each of the organization's people reads and marks them on their own."""

from prm_app.notifications.queries import Notice, NoticePage, list_notices, recent_notices, unread_count
from prm_app.notifications.rules import NoticeState
from prm_app.notifications.service import Subject, mark_all_read, mark_read, notify, open_notice, resolve

__all__ = [
    "Notice",
    "NoticePage",
    "NoticeState",
    "Subject",
    "list_notices",
    "mark_all_read",
    "mark_read",
    "notify",
    "open_notice",
    "recent_notices",
    "resolve",
    "unread_count",
]
