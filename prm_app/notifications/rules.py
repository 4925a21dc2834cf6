"""The rules of notices, on plain values: where a notice stands for one person, where its link may lead, paging.

A notice is *done* once the record it is about was acted on (resolved: the same for every colleague); otherwise
it is *read* or *unread* for each person on their own. Done wins: a resolved notice never counts as unread, read
or not, because nothing is left to do about it.
"""

from __future__ import annotations

from enum import StrEnum

PAGE_SIZE = 20


class NoticeState(StrEnum):
    UNREAD = "unread"
    READ = "read"
    DONE = "done"  # resolved: what it asked for was done (by this person or a colleague)


def notice_state(*, resolved: bool, read: bool) -> NoticeState:
    """Where a notice stands for one person: done once resolved, else read or unread."""
    if resolved:
        return NoticeState.DONE
    return NoticeState.READ if read else NoticeState.UNREAD


def is_read(notification_id: int, read_through_id: int, read_one_by_one: bool) -> bool:
    """Read by this person: at or below their "mark all read" watermark, or read on its own."""
    return notification_id <= read_through_id or read_one_by_one


def safe_link(link: str) -> str:
    """The notice's link if it is a path on this site ("/leads/42"), else "": opening a notice never sends anyone
    to another site, whatever a stored link says (a scheme, or "//host", would)."""
    if not link.startswith("/") or link.startswith("//") or "\\" in link or any(c.isspace() for c in link):
        return ""
    return link


def clamp_page(page: int, total: int, size: int = PAGE_SIZE) -> tuple[int, int]:
    """(page, pages) for `total` rows: at least one page, and `page` moved into 1..pages."""
    pages = max(1, -(-total // size))
    return min(max(1, page), pages), pages
