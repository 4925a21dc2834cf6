"""Rate limits: every rate of a scope counts, keys are counted apart, and a reset forgets."""

from __future__ import annotations

from prm_app.platform import ratelimit


def test_a_key_is_refused_once_any_rate_is_used_up_and_others_are_counted_apart():
    ratelimit.reset()

    assert [ratelimit.allow("test-scope", "2/minute;10/day", "7") for _ in range(3)] == [True, True, False]
    assert ratelimit.allow("test-scope", "2/minute;10/day", "8")  # another person
    assert ratelimit.allow("other-scope", "2/minute;10/day", "7")  # another scope
    ratelimit.reset()
    assert ratelimit.allow("test-scope", "2/minute;10/day", "7")
