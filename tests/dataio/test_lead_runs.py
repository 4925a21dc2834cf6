"""Lead imports as job runs of the one record import (prm_app/dataio/runs.py, leads/table.py): started from the page
(the upload taken once), applied by a consumer in chunks with progress the page can read mid-run; a consumer that
dies mid-way is followed by one that resumes after the last committed row, without a duplicate; a starter
deactivated meanwhile is refused; two consumers sent the same run store every lead once. SQLite file (WAL) and
PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select, update

from prm_app.dataio.runs import (
    SHOWN_AFTER_END,
    TABLE_IMPORT,
    import_progress,
    latest_import,
    run_import,
    start_import,
)
from prm_app.identity import User
from prm_app.leads.models import Lead
from prm_app.leads.vocabulary import HEADERS
from prm_app.platform import jobs_progress
from prm_app.platform.access import Actor, Role
from prm_app.platform.clock import utcnow
from prm_app.platform.db import session_scope
from prm_app.platform.errors import DomainError
from prm_app.platform.import_files import FolderStorage
from prm_app.platform.jobs_progress import STALE_AFTER, JobRun, RunProgress, register_sender
from tests.dataio.helpers import counts
from tests.factories import actor_for, make_user
from tests.job_runs import ConsumerKilled, transactions
from tests.leads.factories import make_queue

ROWS = 25


@pytest.fixture
def sent(monkeypatch) -> list[int]:
    ids: list[int] = []
    monkeypatch.setattr(jobs_progress, "_senders", {})
    register_sender(TABLE_IMPORT, ids.append)
    return ids


def csv_bytes(rows: int = ROWS) -> bytes:
    lines = [",".join(HEADERS)]
    row = "Company {n},company{n}.com,Ana {n},ana@company{n}.com,PT,Lisbon,,retail,,1000,event"
    lines += [row.format(n=n) for n in range(rows)]
    return ("\r\n".join(lines) + "\r\n").encode()


def stored_upload(storage: FolderStorage, data: bytes) -> str:
    key, file = storage.create()
    with file:
        file.write(data)
    return key


def started(engine: Engine, storage: FolderStorage, rows: int = ROWS) -> tuple[Actor, int, str]:
    """A manager with a catch-all queue who started an import of `rows` clean leads; (manager, run id, key)."""
    with session_scope(engine) as session:
        manager = actor_for(make_user(session, Role.CHANNEL_MANAGER))
        make_queue(session, "Everywhere", "", [manager])
    key = stored_upload(storage, csv_bytes(rows))
    with session_scope(engine) as session:
        run_id = start_import(session, manager, "leads", "upsert", key, [], storage, dry=False)
    return manager, run_id, key


def companies(engine: Engine) -> list[str]:
    """Stored leads' companies in the order they were stored."""
    with Session(engine) as session:
        return list(session.exec(select(Lead.company).order_by(Lead.id)).all())


def progress(engine: Engine, actor: Actor, run_id: int) -> RunProgress:
    with session_scope(engine) as session:
        return import_progress(session, actor, run_id)


def run_row(engine: Engine, run_id: int) -> JobRun:
    """The run as stored (the starter may be deactivated: the page's read would refuse them)."""
    with Session(engine) as session:
        run = session.get(JobRun, run_id)
        assert run is not None
        return run


ALL = [f"Company {n}" for n in range(ROWS)]  # file order


def test_an_import_is_sent_once_stored_in_chunks_with_progress_seen_mid_run(engine, storage, sent):
    manager, run_id, _key = started(engine, storage)
    assert sent == [run_id]
    assert progress(engine, manager, run_id).status == "queued"
    seen: list[tuple[str, int, int]] = []

    def look(_n: int) -> None:  # the page's poll, from its own session, between the consumer's transactions
        run = progress(engine, manager, run_id)
        seen.append((run.status, run.done, run.total))

    run_import(run_id, storage, transactions(engine, look), chunk=10)

    # claim, read, three chunks, finish
    assert seen == [
        ("running", 0, 0), ("running", 0, 0), ("running", 10, 25), ("running", 20, 25), ("running", 25, 25),
        ("done", 25, 25),
    ]  # fmt: skip
    run = progress(engine, manager, run_id)
    assert (run.finished, counts(run), run.error) == (True, (25, 0, 0, 0), "")
    assert companies(engine) == ALL
    assert list(storage.folder.iterdir()) == []  # the taken file goes once the run is done
    with session_scope(engine) as session:  # coming back to the page: the outcome shows for a while, then not
        latest = latest_import(session, manager)
        assert latest is not None and latest.id == run_id
        assert latest.finished_at is not None
        assert latest_import(session, manager, now=latest.finished_at + SHOWN_AFTER_END) == latest
        assert latest_import(session, manager, now=latest.finished_at + SHOWN_AFTER_END * 2) is None


def test_an_import_started_twice_is_started_once(engine, storage, sent):
    manager, run_id, key = started(engine, storage)
    with session_scope(engine) as session, pytest.raises(DomainError, match="already imported or being imported"):
        start_import(session, manager, "leads", "upsert", key, [], storage, dry=False)
    assert sent == [run_id]


def test_a_consumer_killed_mid_way_is_followed_by_one_that_resumes_without_duplicates(engine, storage, sent):
    manager, run_id, _key = started(engine, storage)

    def die_after_two_chunks(n: int) -> None:
        if n == 4:  # claim, parse, chunk, chunk: then the process dies
            raise ConsumerKilled()

    with pytest.raises(ConsumerKilled):
        run_import(run_id, storage, transactions(engine, die_after_two_chunks), chunk=10)
    assert companies(engine) == ALL[:20]
    run = progress(engine, manager, run_id)
    assert (run.status, run.done, run.total) == ("running", 20, 25)

    run_import(run_id, storage, transactions(engine), chunk=10)  # sent again too early: the run is alive
    assert progress(engine, manager, run_id).done == 20

    with session_scope(engine) as session:  # the dead consumer's heartbeat ages past STALE_AFTER
        session.execute(update(JobRun).values(heartbeat_at=utcnow() - STALE_AFTER - timedelta(seconds=1)))
    run_import(run_id, storage, transactions(engine), chunk=10)

    assert companies(engine) == ALL  # each once
    run = progress(engine, manager, run_id)
    assert (run.status, run.done, run.total, counts(run)) == ("done", 25, 25, (25, 0, 0, 0))


def test_a_starter_deactivated_mid_run_is_refused_and_what_was_stored_stays(engine, storage, sent):
    manager, run_id, _key = started(engine, storage)

    def deactivate_after_first_chunk(n: int) -> None:
        if n == 3:
            with session_scope(engine) as session:
                session.execute(update(User).where(User.id == manager.user_id).values(is_active=False))

    run_import(run_id, storage, transactions(engine, deactivate_after_first_chunk), chunk=10)

    run = run_row(engine, run_id)
    assert run.status == "failed"
    assert run.error == "The person who started this import can no longer import these records."
    assert run.done == 10
    assert companies(engine) == ALL[:10]
    assert list(storage.folder.iterdir()) == []


def test_a_starter_deactivated_before_the_consumer_starts_imports_nothing(engine, storage, sent):
    manager, run_id, _key = started(engine, storage)
    with session_scope(engine) as session:
        session.execute(update(User).where(User.id == manager.user_id).values(is_active=False))

    run_import(run_id, storage, transactions(engine))

    run = run_row(engine, run_id)
    assert (run.status, run.done) == ("failed", 0)
    assert run.error == "The person who started this import can no longer import these records."
    assert companies(engine) == []


def test_two_consumers_sent_the_same_run_store_every_lead_once(engine, storage, sent):
    manager, run_id, _key = started(engine, storage, rows=ROWS)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def consume() -> None:
        try:
            barrier.wait(timeout=30)
            run_import(run_id, storage, transactions(engine), chunk=5)
        except BaseException as exc:  # reported below rather than lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=consume, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(companies(engine)) == sorted(ALL)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Lead)).one() == ROWS
    assert progress(engine, manager, run_id).status == "done"
