"""The run-time rules on plain data: time formats, entry, what a commit means, what a launch hands back."""

from __future__ import annotations

from decimal import Decimal

import pytest

from prm_app.scorm.rules import (
    CommitRefused,
    Limits,
    Resumable,
    Thresholds,
    Version,
    entry_for,
    format_duration,
    initial_cmi,
    learner_name,
    parse_duration,
    read_commit,
    sco_context,
    score_percent,
    split_context,
    valid_context,
)

CAPS = Limits(suspend_data_max=100_000, location_max=1000)
V12, V2004 = Version.V12, Version.V2004


def test_durations_parse_both_formats_and_refuse_anything_else():
    assert parse_duration(V12, "0001:02:03.5") == Decimal("3723.5")
    assert parse_duration(V12, "00:10:00") == Decimal(600)
    assert parse_duration(V2004, "PT10M") == Decimal(600)
    assert parse_duration(V2004, "PT1H0M5.25S") == Decimal("3605.25")
    assert parse_duration(V2004, "P1DT1S") == Decimal(86401)
    assert parse_duration(V2004, "") == 0
    for bad in ("10:00", "1:2:3", "ab:cd:ef"):
        with pytest.raises(ValueError):
            parse_duration(V12, bad)
    for bad in ("P", "PT", "10M", "PT-5S", "P1DT"):
        with pytest.raises(ValueError):
            parse_duration(V2004, bad)


def test_total_time_is_written_in_the_versions_format_and_round_trips():
    assert format_duration(V12, Decimal("3723.5")) == "0001:02:03.50"
    assert format_duration(V2004, Decimal(900)) == "PT0H15M0S"
    assert format_duration(V2004, Decimal("3605.25")) == "PT1H0M5.25S"
    for seconds in (Decimal(0), Decimal("59.99"), Decimal(86_400 * 3 + 7)):
        for version in Version:
            assert parse_duration(version, format_duration(version, seconds)) == seconds


def test_entry_is_resume_only_after_a_suspend_that_left_state():
    assert entry_for("suspend", "p7", "") == "resume"
    assert entry_for("suspend", "", "data") == "resume"
    assert entry_for("suspend", "", "") == "ab-initio"  # nothing to resume from
    for exit_ in ("", "logout", "time-out", "normal"):
        assert entry_for(exit_, "p7", "data") == "ab-initio"


def test_a_12_commit_keeps_location_suspend_data_score_and_session_time():
    facts = read_commit(
        V12,
        {"core": {"lesson_location": "p7", "lesson_status": "incomplete", "exit": "suspend",
                  "session_time": "00:10:00", "score": {"raw": "55", "min": "0", "max": "100"}},
         "suspend_data": "x" * 4096},
        Thresholds(), CAPS,
    )  # fmt: skip
    assert (facts.location, facts.exit, facts.session_seconds) == ("p7", "suspend", Decimal(600))
    assert (facts.completed, facts.passed, facts.score_percent) == (False, False, Decimal("55.00"))
    assert len(facts.suspend_data) == 4096


def test_suspend_data_is_lenient_up_to_the_cap_and_refused_past_it():
    big = "y" * 80_000  # real 1.2 packages write this much; SCORM Cloud accepts it
    assert read_commit(V12, {"core": {}, "suspend_data": big}, Thresholds(), CAPS).suspend_data == big
    with pytest.raises(CommitRefused) as refused:
        read_commit(V12, {"core": {}, "suspend_data": "z" * 100_001}, Thresholds(), CAPS)
    assert refused.value.code == 405
    with pytest.raises(CommitRefused) as refused:
        read_commit(V2004, {"suspend_data": "z" * 100_001}, Thresholds(), CAPS)
    assert refused.value.code == 407


def test_mastery_score_decides_passed_or_failed_in_12():
    mastery = Thresholds(mastery_score=Decimal(80))
    passed = read_commit(V12, {"core": {"lesson_status": "completed", "score": {"raw": "85"}}}, mastery, CAPS)
    failed = read_commit(V12, {"core": {"lesson_status": "completed", "score": {"raw": "79.5"}}}, mastery, CAPS)
    assert (passed.lesson_status, passed.completed, passed.passed) == ("passed", True, True)
    assert (failed.lesson_status, failed.completed, failed.passed) == ("failed", True, False)
    no_score = read_commit(V12, {"core": {"lesson_status": "completed"}}, mastery, CAPS)
    assert (no_score.completed, no_score.passed) == (True, False)


def test_2004_thresholds_decide_completion_and_success():
    t = Thresholds(scaled_passing_score=Decimal("0.8"), completion_threshold=Decimal("0.9"))
    facts = read_commit(
        V2004,
        {"completion_status": "incomplete", "success_status": "unknown", "progress_measure": "0.95",
         "score": {"scaled": "0.85"}, "session_time": "PT5M", "location": "p3"},
        t, CAPS,
    )  # fmt: skip
    assert (facts.completion_status, facts.success_status, facts.lesson_status) == ("completed", "passed", "passed")
    assert (facts.session_seconds, facts.score_percent) == (Decimal(300), Decimal("85.00"))
    low = read_commit(V2004, {"progress_measure": "0.5", "score": {"scaled": "0.7"}}, t, CAPS)
    assert (low.completion_status, low.success_status) == ("incomplete", "failed")
    plain = read_commit(V2004, {"completion_status": "completed", "success_status": "passed"}, Thresholds(), CAPS)
    assert (plain.completed, plain.passed) == (True, True)


@pytest.mark.parametrize(
    ("version", "cmi", "code"),
    [
        (V12, {"core": {"lesson_status": "finished"}}, 405),
        (V12, {"core": {"score": {"raw": "lots"}}}, 405),
        (V12, {"core": {"session_time": "forever"}}, 405),
        (V12, {"core": {"exit": "vanish"}}, 405),
        (V12, {"core": {"lesson_location": {"nested": "object"}}}, 405),
        (V12, "not a tree", 101),
        (V2004, {"score": {"scaled": "1.5"}}, 407),
        (V2004, {"score": {"scaled": "NaN"}}, 406),
        (V2004, {"completion_status": "done"}, 406),
        (V2004, {"progress_measure": "-0.1"}, 407),
        (V2004, ["a", "list"], 391),
    ],
)
def test_malformed_commits_are_refused_with_the_specs_error_code(version, cmi, code):
    with pytest.raises(CommitRefused) as refused:
        read_commit(version, cmi, Thresholds(), CAPS)
    assert refused.value.code == code


def _state(**overrides) -> Resumable:
    base = dict(
        entry="resume", location="p7", suspend_data="abc", lesson_status="incomplete", completion_status="incomplete",
        success_status="unknown", score_raw=None, score_min=None, score_max=None, score_scaled=None,
        progress_measure=None, total_seconds=Decimal(900),
    )  # fmt: skip
    return Resumable(**{**base, **overrides})


# As scorm-again commits them (CMIArray renders {"0": ..., "1": ...}); node-checked: loadFromJSON of this shape
# before Initialize gives the SCO back objectives._count, their statuses and its interactions' responses.
OBJECTIVES = {"1": {"id": "obj-b", "success_status": "failed"}, "0": {"id": "obj-a", "success_status": "passed"}}
INTERACTIONS = {"0": {"id": "q1", "type": "true-false", "learner_response": "true", "result": "correct"}}


def test_a_resumed_launch_hands_back_the_collections_the_sco_committed():
    kept = {"objectives": OBJECTIVES, "interactions": INTERACTIONS, "location": "ignored", "score": {"raw": "1"}}
    resumed = initial_cmi(V2004, _state(), "42", "Chen, Maya", Thresholds(), kept)
    assert [o["id"] for o in resumed["objectives"]] == ["obj-a", "obj-b"]  # in their numbered order
    assert resumed["interactions"] == [INTERACTIONS["0"]] and resumed["location"] == "p7"
    assert "objectives" not in initial_cmi(V2004, _state(entry="ab-initio"), "42", "C, M", Thresholds(), kept)
    cmi12 = initial_cmi(V12, _state(), "42", "C, M", Thresholds(), {"objectives": OBJECTIVES, "interactions": {}})
    assert len(cmi12["objectives"]) == 2 and "interactions" not in cmi12  # 1.2's interactions are write-only
    for junk in ({"objectives": "x"}, {"objectives": {"a": {}}}, {"objectives": [1]}, {"objectives": {}}, "x", None):
        assert "objectives" not in initial_cmi(V2004, _state(), "42", "C, M", Thresholds(), junk)  # type: ignore[arg-type]


def test_a_launch_hands_back_entry_location_suspend_data_and_total_time():
    cmi12 = initial_cmi(V12, _state(), "42", "Chen, Maya", Thresholds(mastery_score=Decimal(80)))
    assert cmi12["core"]["entry"] == "resume"
    assert cmi12["core"]["lesson_location"] == "p7"
    assert cmi12["core"]["total_time"] == "0000:15:00.00"
    assert cmi12["suspend_data"] == "abc"
    assert cmi12["student_data"] == {"mastery_score": "80"}
    assert "score" not in cmi12["core"]  # empty values are left out: the runtime skips them anyway
    cmi2004 = initial_cmi(
        V2004, _state(score_scaled=Decimal("0.85")), "42", "Chen, Maya", Thresholds(scaled_passing_score=Decimal("0.8"))
    )
    assert (cmi2004["entry"], cmi2004["location"], cmi2004["total_time"]) == ("resume", "p7", "PT0H15M0S")
    assert cmi2004["scaled_passing_score"] == "0.8"
    assert cmi2004["score"] == {"scaled": "0.85"}


def test_small_rules():
    assert score_percent(Decimal(15), Decimal(0), Decimal(20), None) == Decimal("75.00")
    assert score_percent(None, None, None, None) is None
    assert learner_name("Maya van der Berg") == "Berg, Maya van der"
    assert learner_name("Cher") == "Cher"
    assert valid_context("preview") and valid_context("lesson:42") and valid_context("course_step:a-1")
    for bad in ("", "lesson", "lesson:", "Lesson:1", "lesson:1/../2", "x" * 70, 42, None):
        assert not valid_context(bad)


def test_a_sco_has_one_context():
    """SCO n runs in "<base>/<n>" and the first in the base itself (sco_context): "lesson:42/0" or "lesson:42/01"
    would be a second attempt at the same SCO, whose completion the lesson never reads."""
    assert valid_context("lesson:42/1") and valid_context("lesson:42/999")
    for bad in ("lesson:42/0", "lesson:42/01", "lesson:42/1000", "preview/0", "lesson:42/"):
        assert not valid_context(bad)
    for context in ("lesson:42", "lesson:42/1", "lesson:42/12"):
        assert sco_context(*split_context(context)) == context
