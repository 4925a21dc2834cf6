"""Training's pure rules: month-end-safe validity, certificate status and reminders, drawing papers, grading."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from prm_app.platform.errors import ValidationError
from prm_app.training.rules import (
    CertificateStatus,
    add_months,
    certificate_status,
    draw_paper,
    is_correct,
    percent_of,
    progress_percent,
    reminder_due,
    resume_at,
    validate_question,
)

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (datetime(2024, 2, 29, tzinfo=UTC), 12, datetime(2025, 2, 28, tzinfo=UTC)),
        (datetime(2026, 1, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2027, 12, 31, tzinfo=UTC), 2, datetime(2028, 2, 29, tzinfo=UTC)),
        (datetime(2026, 3, 15, tzinfo=UTC), 24, datetime(2028, 3, 15, tzinfo=UTC)),
        (datetime(2026, 11, 30, tzinfo=UTC), 3, datetime(2027, 2, 28, tzinfo=UTC)),
    ],
)
def test_months_are_added_month_end_safe(start, months, end):
    assert add_months(start, months) == end


def test_status_orders_revoked_superseded_expired_expiring_valid():
    later = NOW + timedelta(days=200)
    assert certificate_status(later, NOW) == CertificateStatus.VALID
    assert certificate_status(NOW + timedelta(days=60), NOW) == CertificateStatus.EXPIRING
    assert certificate_status(NOW, NOW) == CertificateStatus.EXPIRED
    assert certificate_status(NOW - timedelta(days=1), NOW, superseded=True) == CertificateStatus.SUPERSEDED
    assert certificate_status(later, NOW, revoked=True, superseded=True) == CertificateStatus.REVOKED


def test_reminders_come_at_60_and_14_days_once_each():
    assert reminder_due(NOW + timedelta(days=61), NOW, []) is None
    assert reminder_due(NOW + timedelta(days=59), NOW, []) == "60"
    assert reminder_due(NOW + timedelta(days=59), NOW, ["60"]) is None
    assert reminder_due(NOW + timedelta(days=10), NOW, ["60"]) == "14"
    assert reminder_due(NOW + timedelta(days=10), NOW, []) == "14"  # catching up sends the latest only
    assert reminder_due(NOW + timedelta(days=10), NOW, ["60", "14"]) is None
    assert reminder_due(NOW - timedelta(days=1), NOW, []) is None


def test_a_paper_draws_a_subset_shuffles_and_keeps_every_option():
    bank = [(i, 4) for i in range(1, 11)]
    paper = draw_paper(bank, 5, True, random.Random(3))
    assert len(paper) == 5 and len({p.question_id for p in paper}) == 5
    assert all(sorted(p.option_order) == [0, 1, 2, 3] for p in paper)
    assert [p.question_id for p in draw_paper(bank, 0, False, random.Random(3))] == list(range(1, 11))
    orders = {tuple(p.question_id for p in draw_paper(bank, 0, True, random.Random(seed))) for seed in range(5)}
    assert len(orders) > 1


def test_grading_single_multiple_numeric():
    assert is_correct("single", [1], ["1"]) and not is_correct("single", [1], ["1", "2"])
    assert not is_correct("single", [1], ["x"])
    assert is_correct("multiple", [0, 2], ["2", "0"]) and not is_correct("multiple", [0, 2], ["0"])
    assert not is_correct("multiple", [0, 2], ["0", "2", "3"]) and not is_correct("multiple", [0, 2], ["0", "0", "2"])
    assert is_correct("numeric", ["1000", "0"], ["1,000"]) and is_correct("numeric", ["10", "0.5"], ["10.4"])
    assert not is_correct("numeric", ["10", "0.5"], ["11"]) and not is_correct("numeric", ["10", "0"], ["NaN"])
    assert str(percent_of(4, 5)) == "80.0" and str(percent_of(0, 0)) == "0"


def test_authored_questions_are_checked():
    assert validate_question("single", "Q?", ["a", "b", ""], ["2"]) == (["a", "b"], [1])
    assert validate_question("numeric", "Q?", [], ["1000", ""]) == ([], ["1000", "0"])
    for kind, options, answer, field in [
        ("single", ["a"], ["1"], "options"),
        ("single", ["a", "b"], ["1", "2"], "answer"),
        ("multiple", ["a", "b"], ["3"], "answer"),
        ("numeric", [], ["x"], "answer"),
        ("numeric", [], ["1", "-1"], "tolerance"),
        ("essay", ["a", "b"], ["1"], "kind"),
    ]:
        with pytest.raises(ValidationError) as raised:
            validate_question(kind, "Q?", options, answer)
        assert raised.value.field == field


def test_the_player_resumes_at_the_last_lesson_else_the_first_not_done():
    assert resume_at([1, 2, 3], {1, 2}, 3) == 3
    assert resume_at([1, 2, 3], {1}, None) == 2
    assert resume_at([1, 2, 3], {1, 2, 3}, None) == 1
    assert resume_at([1, 2, 3], set(), 99) == 1  # a lesson since removed
    assert resume_at([], set(), None) is None
    assert progress_percent(2, 4) == 50 and progress_percent(0, 0) == 0
