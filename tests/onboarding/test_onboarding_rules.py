"""The pure rules of onboarding: template choice, partner hand-in, stuck partners, medians per quarter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from prm_app.onboarding.rules import (
    ProfileFacts,
    TaskStatus,
    after_partner_done,
    all_done,
    is_stuck,
    medians_per_quarter,
    pick_template,
    profile_complete,
    quarter_of,
)

T = datetime(2026, 5, 10, tzinfo=UTC)


def test_the_most_specific_template_wins():
    templates = [(1, "", ""), (2, "reseller", ""), (3, "reseller", "EMEA"), (4, "", "APAC")]
    assert pick_template(templates, "reseller", "EMEA") == 3
    assert pick_template(templates, "reseller", "APAC") == 2
    assert pick_template(templates, "msp", "APAC") == 4
    assert pick_template(templates, "msp", "EMEA") == 1
    assert pick_template(templates[1:3], "msp", "EMEA") is None


def test_a_profile_is_complete_only_with_address_phone_website_and_logo():
    full = ProfileFacts("1 Main St", "Oslo", "0150", "+47 1234", "https://x.example", "ab" * 16)
    assert profile_complete(full)
    for missing in ("street", "city", "postal_code", "phone", "website", "logo_key"):
        assert not profile_complete(ProfileFacts(**{**full.__dict__, missing: "  "}))


def test_the_partner_hands_in_open_manual_tasks_only():
    assert after_partner_done("custom", TaskStatus.PENDING, True) == TaskStatus.WAITING_APPROVAL
    assert after_partner_done("custom", TaskStatus.ACTION_REQUIRED, False) == TaskStatus.COMPLETED
    with pytest.raises(ValueError):
        after_partner_done("register_first_deal", TaskStatus.PENDING, False)
    for status in (TaskStatus.WAITING_APPROVAL, TaskStatus.COMPLETED, TaskStatus.SKIPPED):
        with pytest.raises(ValueError):
            after_partner_done("custom", status, True)


def test_a_stage_is_done_when_every_task_is_completed_or_skipped():
    assert all_done(["completed", "skipped"])
    assert all_done([])
    assert not all_done(["completed", "waiting_approval"])


def test_stuck_after_fourteen_days_without_progress_unless_onboarded():
    assert not is_stuck(T, False, T + timedelta(days=13, hours=23))
    assert is_stuck(T, False, T + timedelta(days=14))
    assert not is_stuck(T, True, T + timedelta(days=90))


def test_medians_per_quarter_of_joining():
    rows = [
        (datetime(2026, 1, 5, tzinfo=UTC), 10.0, 30.0),
        (datetime(2026, 3, 31, tzinfo=UTC), 20.0, None),
        (datetime(2026, 2, 1, tzinfo=UTC), None, 50.0),
        (datetime(2026, 4, 1, tzinfo=UTC), 40.0, 60.0),
    ]
    q1, q2 = medians_per_quarter(rows)
    assert (q1.quarter, q1.joined, q1.onboarded, q1.median_days_to_onboard) == ("2026 Q1", 3, 2, 15.0)
    assert (q1.with_first_deal, q1.median_days_to_first_deal) == (2, 40.0)
    assert (q2.quarter, q2.median_days_to_onboard, q2.median_days_to_first_deal) == ("2026 Q2", 40.0, 60.0)
    assert quarter_of(datetime(2026, 12, 31, 23, tzinfo=UTC)) == "2026 Q4"
    assert medians_per_quarter([]) == []
