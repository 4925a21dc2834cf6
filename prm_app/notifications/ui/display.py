"""How a notice looks on the notifications page: its message and link, when (relative, with the exact moment
beside it for assistive technology and hover), and where it stands for the reader."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from prm_app.notifications import Notice, NoticeState
from prm_app.web.format import day, moment

STATE_LABELS = {NoticeState.UNREAD: "Unread", NoticeState.READ: "Read", NoticeState.DONE: "Done"}


@dataclass(frozen=True)
class NoticeLine:
    id: int = 0
    message: str = ""
    link: str = ""  # a path on this site, "" when the notice links nowhere
    when: str = ""  # "5 min ago"
    at: str = ""  # "6 Dec 2026, 14:05 CET": in the reader's zone
    at_iso: str = ""  # for <time datetime=...>
    state: str = NoticeState.UNREAD.value
    state_label: str = "Unread"


def ago(value: datetime, now: datetime, zone: tzinfo = UTC) -> str:
    """How long ago, as people say it: "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", then the
    day as seen in `zone` ("30 Nov 2026"). A moment in the future (clocks apart) reads "just now"."""
    seconds = int((now - value).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    days = seconds // 86400
    if days == 1:
        return "yesterday"
    return f"{days} days ago" if days < 7 else day(value, zone)


def notice_line(notice: Notice, now: datetime, zone: tzinfo = UTC) -> NoticeLine:
    """The notice as its reader sees it: how long ago, and the exact moment in the reader's `zone`."""
    return NoticeLine(
        id=notice.id,
        message=notice.message,
        link=notice.link,
        when=ago(notice.created_at, now, zone),
        at=moment(notice.created_at, zone),
        at_iso=notice.created_at.isoformat(),
        state=notice.state.value,
        state_label=STATE_LABELS[notice.state],
    )
