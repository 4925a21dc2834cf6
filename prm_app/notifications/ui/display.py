"""How a notice looks on the notifications page: its message and link, when (relative, with the exact moment
beside it for assistive technology and hover), and where it stands for the reader."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from prm_app.notifications import Notice, NoticeState
from prm_app.platform.i18n import DEFAULT_LANGUAGE, catalogue
from prm_app.web.format import day, moment


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


def ago(value: datetime, now: datetime, zone: tzinfo = UTC, language: str = DEFAULT_LANGUAGE) -> str:
    """How long ago, as people say it in `language`: "just now", "5 min ago", "3 h ago", "yesterday", "4 days
    ago" (German "vor 4 Tagen"), then the day as seen in `zone` ("30 Nov 2026", "30.11.2026"). A moment in the
    future (clocks apart) reads "just now"."""
    words = catalogue(language)
    seconds = int((now - value).total_seconds())
    if seconds < 60:
        return words.text("notifications.just_now")
    if seconds < 3600:
        return words.plural("when.ago_minutes", seconds // 60)
    if seconds < 86400:
        return words.plural("when.ago_hours", seconds // 3600)
    days = seconds // 86400
    if days == 1:
        return words.text("notifications.yesterday")
    return words.plural("when.ago_days", days) if days < 7 else day(value, zone, language=language)


def notice_line(notice: Notice, now: datetime, zone: tzinfo = UTC, language: str = DEFAULT_LANGUAGE) -> NoticeLine:
    """The notice as its reader sees it, in their `language`: its message, how long ago, and the exact moment in
    the reader's `zone`."""
    return NoticeLine(
        id=notice.id,
        message=notice.text(language, zone),
        link=notice.link,
        when=ago(notice.created_at, now, zone, language),
        at=moment(notice.created_at, zone, language=language),
        at_iso=notice.created_at.isoformat(),
        state=notice.state.value,
        state_label=catalogue(language).text(f"notifications.state.{notice.state.value}"),
    )
