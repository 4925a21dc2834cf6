"""The rules of notices on plain values: state per person, safe links, paging; and the relative time shown."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from prm_app.notifications import Notice
from prm_app.notifications.rules import NoticeState, clamp_page, is_read, notice_state, safe_link
from prm_app.notifications.ui.display import ago, notice_line
from tests.factories import T0


@pytest.mark.parametrize(
    ("resolved", "read", "state"),
    [
        (False, False, NoticeState.UNREAD),
        (False, True, NoticeState.READ),
        (True, False, NoticeState.DONE),  # done wins: nothing is left to do, so it never counts as unread
        (True, True, NoticeState.DONE),
    ],
)
def test_a_notice_is_done_once_resolved_else_read_or_unread(resolved, read, state):
    assert notice_state(resolved=resolved, read=read) == state


def test_read_means_under_the_watermark_or_read_on_its_own():
    assert is_read(5, read_through_id=5, read_one_by_one=False)
    assert not is_read(6, read_through_id=5, read_one_by_one=False)
    assert is_read(6, read_through_id=5, read_one_by_one=True)


@pytest.mark.parametrize("link", ["/leads/42", "/deals/7", "/portal/survey/3"])
def test_links_to_this_site_are_kept(link):
    assert safe_link(link) == link


@pytest.mark.parametrize(
    "link", ["", "https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/\\evil.example", "/a b"]
)
def test_links_elsewhere_lead_nowhere(link):
    assert safe_link(link) == ""


@pytest.mark.parametrize(
    ("page", "total", "expected"),
    [(1, 0, (1, 1)), (0, 5, (1, 1)), (3, 41, (3, 3)), (9, 41, (3, 3)), (-2, 41, (1, 3)), (2, 40, (2, 2))],
)
def test_pages_hold_at_least_one_page_and_clamp(page, total, expected):
    assert clamp_page(page, total, size=20) == expected


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=-30), "just now"),
        (timedelta(seconds=59), "just now"),
        (timedelta(minutes=5), "5 min ago"),
        (timedelta(hours=3, minutes=59), "3 h ago"),
        (timedelta(days=1, hours=2), "yesterday"),
        (timedelta(days=6), "6 days ago"),
        (timedelta(days=7), "8 Jan 2030"),  # web/format.py's one day style
    ],
)
def test_ago_says_how_long_ago_as_people_do(delta, text):
    assert ago(T0 - delta, T0) == text


def test_a_notice_reads_in_the_readers_zone():
    """T0 is 09:00 UTC: 01:00 the same day in Los Angeles; a week back it is 8 Jan there too, but a notice written
    at 03:00 UTC on 8 Jan was written on 7 Jan in Los Angeles."""
    la = ZoneInfo("America/Los_Angeles")
    notice = Notice(id=3, kind="deal_approved", message="Deal approved", link="/deals/4", created_at=T0)
    line = notice_line(notice, T0 + timedelta(minutes=5), la)
    assert (line.when, line.at, line.at_iso) == ("5 min ago", "15 Jan 2030, 01:00 PST", "2030-01-15T09:00:00+00:00")
    assert notice_line(notice, T0).at == "15 Jan 2030, 09:00 UTC"
    assert ago(T0 - timedelta(days=7, hours=6), T0, la) == "7 Jan 2030"
