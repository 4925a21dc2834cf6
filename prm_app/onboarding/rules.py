"""The rules of onboarding, on plain values (no session, no I/O): what each task kind is, which engagement event
ticks it, when a profile counts as complete, how a template is chosen, when a task, a stage and a checklist are
done, what a partner and a manager may do to a task in each status, who is stuck, and the medians per quarter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from statistics import median
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList


class TaskKind(StrEnum):
    COMPLETE_PROFILE = "complete_profile"
    SIGN_AGREEMENT = "sign_agreement"
    INVITE_COLLEAGUE = "invite_colleague"
    UPLOAD_DOCUMENT = "upload_document"
    REGISTER_FIRST_DEAL = "register_first_deal"
    COMPLETE_COURSE = "complete_course"  # names a training course (`course_code`); training ticks it
    CUSTOM = "custom"  # done by hand in the portal


class TaskStatus(StrEnum):
    PENDING = "pending"
    WAITING_APPROVAL = "waiting_approval"
    COMPLETED = "completed"
    ACTION_REQUIRED = "action_required"  # a manager sent it back with a note
    SKIPPED = "skipped"  # managers only


KIND_LABELS = {
    TaskKind.COMPLETE_PROFILE: "Complete the company profile",
    TaskKind.SIGN_AGREEMENT: "Sign the partner agreement",
    TaskKind.INVITE_COLLEAGUE: "A colleague joins the team",
    TaskKind.UPLOAD_DOCUMENT: "Upload a document",
    TaskKind.REGISTER_FIRST_DEAL: "Register a first deal",
    TaskKind.COMPLETE_COURSE: "Complete a training course",
    TaskKind.CUSTOM: "Manual task",
}
STATUS_LABELS = {
    TaskStatus.PENDING: "To do",
    TaskStatus.WAITING_APPROVAL: "Waiting for approval",
    TaskStatus.COMPLETED: "Done",
    TaskStatus.ACTION_REQUIRED: "Action required",
    TaskStatus.SKIPPED: "Skipped",
}

# The engagement event that ticks each self-completing kind (platform.audit.record_engagement's `kind`).
TICKED_BY = {
    "agreement_signed": TaskKind.SIGN_AGREEMENT,
    "deal_registered": TaskKind.REGISTER_FIRST_DEAL,
    "colleague_joined": TaskKind.INVITE_COLLEAGUE,
    "org_profile_updated": TaskKind.COMPLETE_PROFILE,
}
SELF_TICKING = frozenset({*TICKED_BY.values(), TaskKind.COMPLETE_COURSE})  # a course: when training says so
DONE = frozenset({TaskStatus.COMPLETED, TaskStatus.SKIPPED})
OPEN = frozenset({TaskStatus.PENDING, TaskStatus.ACTION_REQUIRED})
STUCK_AFTER = timedelta(days=14)

TITLE_MAX = 160
STAGE_NAME_MAX = 80
TEMPLATE_NAME_MAX = 120
NOTE_MAX = 1000


@dataclass(frozen=True)
class ProfileFacts:
    street: str
    city: str
    postal_code: str
    phone: str
    website: str
    logo_key: str


def profile_complete(p: ProfileFacts) -> bool:
    """Complete when the postal address (street, city, postal code), a phone, a website and a logo are all there."""
    return all(v.strip() for v in (p.street, p.city, p.postal_code, p.phone, p.website, p.logo_key))


def is_done(status: str) -> bool:
    return status in DONE


def all_done(statuses: Iterable[str]) -> bool:
    """A stage is done when every task is completed or skipped (a stage without tasks is done at once)."""
    return all(is_done(s) for s in statuses)


def pick_template(templates: Sequence[tuple[int, str, str]], partner_type: str, region: str) -> int | None:
    """The template (id, partner_type, region) for a partner: its type and region first, then its type in any
    region, then any type in its region, then the catch-all ("", ""). None when nothing matches."""
    by_key = {(t, r): i for i, t, r in templates}
    for key in ((partner_type, region), (partner_type, ""), ("", region), ("", "")):
        if key in by_key:
            return by_key[key]
    return None


def after_partner_done(kind: str, status: str, requires_approval: bool) -> str:
    """The status a task takes when the partner says it is done (marks it, or uploads its document). Raises
    ValueError when the partner may not: a self-ticking task, or one not open (to do or action required)."""
    if kind in SELF_TICKING:
        raise ValueError("This task ticks itself when you do it.")
    if status not in OPEN:
        raise ValueError("This task is not waiting for you.")
    return TaskStatus.WAITING_APPROVAL if requires_approval else TaskStatus.COMPLETED


def may_approve(status: str) -> bool:
    return status == TaskStatus.WAITING_APPROVAL


def may_send_back(status: str) -> bool:
    """A manager sends back what the partner handed in, or what was ticked (a profile that is not right after all)."""
    return status in {TaskStatus.WAITING_APPROVAL, TaskStatus.COMPLETED}


def may_skip(status: str) -> bool:
    return status not in DONE


def is_stuck(last_progress_at: datetime, completed: bool, now: datetime) -> bool:
    """Stuck: not onboarded yet and no task has moved for 14 days or more."""
    return not completed and now - last_progress_at >= STUCK_AFTER


def days_between(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else max(0.0, (end - start).total_seconds() / 86400)


def quarter_of(at: datetime) -> str:
    """ "2026 Q3": the calendar quarter (UTC) a partner joined in."""
    return f"{at.year} Q{(at.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class QuarterMedians:
    quarter: str  # "2026 Q3"
    joined: int  # partners who joined that quarter (with a checklist)
    onboarded: int
    median_days_to_onboard: float | None  # None until one of them is onboarded
    with_first_deal: int
    median_days_to_first_deal: float | None


def medians_per_quarter(rows: Iterable[tuple[datetime, float | None, float | None]]) -> list[QuarterMedians]:
    """(joined_at, days to onboard or None, days to first deal or None) per partner → medians per quarter of joining,
    oldest quarter first. Partners not there yet count as joined but not in the medians."""
    groups: dict[str, list[tuple[float | None, float | None]]] = {}
    for joined_at, to_onboard, to_deal in rows:
        groups.setdefault(quarter_of(joined_at), []).append((to_onboard, to_deal))
    out = []
    for quarter in sorted(groups):
        onboard = [o for o, _ in groups[quarter] if o is not None]
        deal = [d for _, d in groups[quarter] if d is not None]
        out.append(
            QuarterMedians(
                quarter,
                len(groups[quarter]),
                len(onboard),
                median(onboard) if onboard else None,
                len(deal),
                median(deal) if deal else None,
            )
        )
    return out


def clean_text(value: object, max_len: int, what: str) -> str:
    """Trimmed text, required, at most `max_len` characters; raises ValueError with the person's message."""
    text = str(value or "").strip()
    if not text:
        raise ValueError(f"Enter {what}.")
    if len(text) > max_len:
        raise ValueError(f"Keep {what} to {max_len} characters or fewer.")
    return text


# --- colleagues asking to join ---------------------------------------------------------------------------------
JOIN_ANSWER = (
    "Thank you. If your email address belongs to one of our partners, its administrator has your request and "
    "you will get an email with a link to set your password once they approve it."
)


def registrable_domain(value: str) -> str:
    """The registrable domain ("acme.co.uk") of a website or an email address, by the Public Suffix List bundled with
    publicsuffixlist (no network); "" for anything without one (an IP address, a bare suffix, nothing)."""
    text = (value or "").strip().lower()
    host = (
        text.rsplit("@", 1)[-1]
        if "@" in text and "://" not in text
        else urlsplit(text if "://" in text else f"//{text}").hostname or ""
    )
    host = host.rstrip(".")
    if not host or host.replace(".", "").isdigit() or ":" in host:
        return ""
    return _psl().privatesuffix(host) or ""


@cache
def _psl() -> PublicSuffixList:
    return PublicSuffixList()
