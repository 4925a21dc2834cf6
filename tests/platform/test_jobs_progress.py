"""Job runs (prm_app/platform/jobs_progress.py): a run reaches the queue only once its start commits; of two
consumers claiming it at the same moment exactly one gets it (a SQLite file in WAL mode and PostgreSQL); a run whose
consumer went silent may be claimed again, and then the old claim can write nothing; progress committed by the
consumer is visible at once to another session (the page); only the starter sees a run."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, update

from prm_app.platform import jobs_progress
from prm_app.platform.access import Actor, Role
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import NotFound
from prm_app.platform.jobs_progress import (
    STALE_AFTER,
    JobRun,
    JobStatus,
    RunLost,
    advance_run,
    claim_run,
    fail_run,
    finish_run,
    latest_run,
    register_sender,
    run_progress,
    stalled_runs,
    start_run,
)
from tests.conftest import SHARED_BACKENDS, race, shared_database
from tests.factories import actor_for, make_user

KIND = "test_kind"


@pytest.fixture(params=SHARED_BACKENDS, ids=["sqlite", "pg"])
def shared_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """One engine that several threads open sessions on, like the app's consumers."""
    with shared_database(request.param, tmp_path, "runs") as engine:
        yield engine


@pytest.fixture
def sent(monkeypatch) -> list[int]:
    """The run ids handed to the queue (a list standing in for it)."""
    ids: list[int] = []
    monkeypatch.setattr(jobs_progress, "_senders", {})
    register_sender(KIND, ids.append)
    return ids


def _started(engine: Engine) -> tuple[Actor, int]:
    with Session(engine, expire_on_commit=False) as session:
        starter = actor_for(make_user(session, Role.CHANNEL_MANAGER))
        run_id = start_run(session, starter, KIND, subject="abc")
        session.commit()
    return starter, run_id


def test_a_run_is_sent_when_its_start_commits_and_never_when_it_rolls_back(session, sent):
    starter = actor_for(make_user(session, Role.CHANNEL_MANAGER))
    session.commit()

    run_id = start_run(session, starter, KIND)
    assert sent == []  # not yet committed: a consumer would find no row
    session.commit()
    assert sent == [run_id]

    start_run(session, starter, KIND)
    session.rollback()
    session.commit()
    assert sent == [run_id]


@pytest.mark.parametrize("rounds", [5])
def test_two_consumers_claiming_at_once_one_gets_the_run(shared_engine, sent, rounds):
    for _ in range(rounds):
        _, run_id = _started(shared_engine)
        claims = race(shared_engine, *[lambda s, run_id=run_id: claim_run(s, run_id)] * 2)
        assert not any(isinstance(c, Exception) for c in claims), claims
        assert sorted(c is None for c in claims) == [False, True]
        with Session(shared_engine) as session:
            run = session.get(JobRun, run_id)
            assert run is not None and (run.status, run.attempt) == (JobStatus.RUNNING, 1)


def test_a_silent_run_is_claimed_again_and_its_old_claim_writes_nothing(shared_engine, sent):
    _, run_id = _started(shared_engine)
    t0 = utcnow()
    with Session(shared_engine, expire_on_commit=False) as session:
        first = claim_run(session, run_id, now=t0)
        assert first is not None
        advance_run(session, first, done=10, position=11, total=30, now=t0)
        session.commit()
        assert claim_run(session, run_id, now=t0 + STALE_AFTER - timedelta(seconds=1)) is None  # still alive
        assert stalled_runs(session, [KIND], now=t0 + STALE_AFTER + timedelta(seconds=1)) == [(KIND, run_id)]
        heir = claim_run(session, run_id, now=t0 + STALE_AFTER + timedelta(seconds=1))
        session.commit()
    assert heir is not None and (heir.attempt, heir.done, heir.position, heir.total) == (2, 10, 11, 30)

    with Session(shared_engine) as session:
        with pytest.raises(RunLost):
            advance_run(session, first, done=20, position=21)
        with pytest.raises(RunLost):
            finish_run(session, first, {"imported": 20})
        assert fail_run(session, first, "old consumer") is False
        finish_run(session, heir, {"imported": 30})
        session.commit()
        assert claim_run(session, run_id, now=t0 + 10 * STALE_AFTER) is None  # finished: never again
        assert stalled_runs(session, [KIND], now=t0 + 10 * STALE_AFTER) == []


def test_progress_is_visible_to_another_session_while_the_run_goes_on(shared_engine, sent):
    starter, run_id = _started(shared_engine)
    with Session(shared_engine, expire_on_commit=False) as consumer, Session(shared_engine) as page:
        claim = claim_run(consumer, run_id)
        assert claim is not None
        consumer.commit()
        advance_run(consumer, claim, done=0, position=0, total=500)
        consumer.commit()
        for done in (120, 240):
            advance_run(consumer, claim, done=done, position=done + 1)
            consumer.commit()
            seen = run_progress(page, starter, run_id)
            page.rollback()  # the page's next poll is a new transaction
            assert (seen.status, seen.done, seen.total, seen.finished) == ("running", done, 500, False)
        finish_run(consumer, claim, {"imported": 500})
        consumer.commit()
        seen = run_progress(page, starter, run_id)
        assert (seen.status, seen.done, dict(seen.summary), seen.finished) == ("done", 240, {"imported": 500}, True)


def test_only_the_starter_sees_a_run_and_their_latest_comes_first(session, sent):
    starter = actor_for(make_user(session, Role.CHANNEL_MANAGER))
    colleague = actor_for(make_user(session, Role.CHANNEL_MANAGER))
    assert latest_run(session, starter, KIND) is None
    older, newer = start_run(session, starter, KIND), start_run(session, starter, KIND)
    session.commit()

    with pytest.raises(NotFound):
        run_progress(session, colleague, newer)
    assert latest_run(session, colleague, KIND) is None
    latest = latest_run(session, starter, KIND)
    assert latest is not None and latest.id == newer != older and latest.status == "queued"


def test_a_queued_run_the_queue_lost_is_found_to_send_again(session, sent):
    starter = actor_for(make_user(session, Role.CHANNEL_MANAGER))
    run_id = start_run(session, starter, KIND)
    session.commit()
    assert stalled_runs(session, [KIND]) == []
    session.execute(update(JobRun).values(created_at=utcnow() - STALE_AFTER - timedelta(seconds=1)))
    assert stalled_runs(session, [KIND]) == [(KIND, run_id)]
    assert stalled_runs(session, ["other_kind"]) == []
