"""Notices for partner organizations: other areas write them with `notify` and close them with `resolve` when the
record they are about was acted on; each of the organization's people reads and marks them on their own, and
chooses which events they also get by email (emails.py sends them, preferences.py keeps the choices). One of the
vendor's people, who belong to no organization, gets a notice of their own with `notify_person` (in the app only)."""

from prm_app.notifications.emails import still_members
from prm_app.notifications.preferences import EmailChoice, my_email_choices, set_email_choices
from prm_app.notifications.queries import Notice, NoticePage, list_notices, recent_notices, unread_count
from prm_app.notifications.rules import NoticeState
from prm_app.notifications.service import (
    Subject,
    mark_all_read,
    mark_read,
    notify,
    notify_person,
    open_notice,
    resolve,
    withdraw,
)

__all__ = [
    "EmailChoice",
    "Notice",
    "NoticePage",
    "NoticeState",
    "Subject",
    "list_notices",
    "mark_all_read",
    "mark_read",
    "my_email_choices",
    "notify",
    "notify_person",
    "open_notice",
    "recent_notices",
    "resolve",
    "set_email_choices",
    "still_members",
    "unread_count",
    "withdraw",
]
