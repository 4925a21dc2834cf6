"""The rules of notices, on plain values: where a notice stands for one person, where its link may lead, paging.

A notice is *done* once the record it is about was acted on (resolved: the same for every colleague); otherwise
it is *read* or *unread* for each person on their own. Done wins: a resolved notice never counts as unread, read
or not, because nothing is left to do about it.
"""

from __future__ import annotations

from dataclasses import dataclass
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


# -- which events may be emailed, and to whom by default --------------------------------------------------------
@dataclass(frozen=True)
class NoticeEvent:
    """An event a person may also get by email. `label` finishes "Email me when…" on the preferences page."""

    kind: str  # the notice kind the writing area uses
    label: str
    email_by_default: bool


# Every notice shows in the app (the bell, the notifications page): these kinds may *also* be emailed. A kind not
# listed here is in-app only. Defaults on for what asks the partner to act, or decides their work; off for news
# they can do nothing about.
EMAIL_EVENTS: tuple[NoticeEvent, ...] = (
    NoticeEvent("lead_offered", "a lead is offered to my organization", True),
    NoticeEvent("lead_offer_expiring", "a lead offer is about to expire unanswered", True),
    NoticeEvent("deal_approved", "a registration is approved", True),
    NoticeEvent("deal_rejected", "a registration is rejected", True),
    NoticeEvent("deal_info_requested", "a manager asks for more information on a registration", True),
    NoticeEvent("protection_ending", "a registration's protection is ending soon", True),
    NoticeEvent("deal_expired", "a registration's protection has ended", False),
    NoticeEvent("nps_survey", "a survey is launched", True),
)
EMAIL_KINDS = frozenset(e.kind for e in EMAIL_EVENTS)
SUBJECT_LENGTH = 120


def wants_email(kind: str, chosen: bool | None) -> bool:
    """Whether a person gets notice `kind` by email: their own choice if they made one (`chosen`), else the
    event's default; never for a kind that is in-app only."""
    event = next((e for e in EMAIL_EVENTS if e.kind == kind), None)
    if event is None:
        return False
    return event.email_by_default if chosen is None else chosen


def email_choices(chosen: dict[str, bool]) -> dict[str, bool]:
    """Every emailable event with whether the person gets it by email (their choice, else the default)."""
    return {e.kind: wants_email(e.kind, chosen.get(e.kind)) for e in EMAIL_EVENTS}


def email_subject(message: str) -> str:
    """A notice's message as an email subject: its first line, cut on a word boundary with "…" past
    SUBJECT_LENGTH characters."""
    line = " ".join(message.split())
    if len(line) <= SUBJECT_LENGTH:
        return line
    cut = line[: SUBJECT_LENGTH - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


def absolute_link(origin: str, path: str, fallback: str) -> str:
    """The notice's link as an absolute URL on this site (emails are read outside the app): `path` when it is a
    safe path on this site, else `fallback` (a path too)."""
    return origin.rstrip("/") + (safe_link(path) or fallback)
