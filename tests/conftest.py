"""Shared fixtures: one `session` that runs every domain test on SQLite and, when it is reachable, on PostgreSQL.

PostgreSQL runs use a private schema (created once per test session, emptied with TRUNCATE between tests,
dropped at the end), so they never touch other people's tables in the shared `test` database.
Set PRM_TEST_PG_URL to point elsewhere, or to an empty string to skip the PostgreSQL runs.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

import prm_app.areas  # noqa: F401  (registers every table on SQLModel.metadata)
from prm_app.platform import SQLModel, ratelimit
from prm_app.platform.db import make_engine

PG_URL = os.environ.get("PRM_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="pg", marks=pytest.mark.integration),
]


def pytest_configure(config: pytest.Config) -> None:
    # pyproject.toml registers the mark too; keep this so the suite also runs without it (and never twice).
    if not any(line.split(":", 1)[0].strip() == "integration" for line in config.getini("markers")):
        config.addinivalue_line("markers", "integration: needs PostgreSQL (PRM_TEST_PG_URL); skipped when unreachable")
    # passlib 1.7.4 is unmaintained and warns on import; nothing we can act on.
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:passlib.*")


DB_FIXTURES = {"engine", "session", "empty_engine", "pg_engine"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark as `pure` every test that reaches no database: no database fixture (directly or through another
    fixture) and no engine built in its module. `make test-fast` runs just those."""
    touches_db: dict[str, bool] = {}
    for item in items:
        path = str(item.path)
        if path not in touches_db:
            source = item.path.read_text(encoding="utf-8") if item.path.suffix == ".py" else ""
            touches_db[path] = "make_engine(" in source or "private_pg_schema(" in source or "/e2e/" in path
        if not touches_db[path] and not DB_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.pure)


# The two databases that several threads (the app's workers, the job consumers) share in the concurrency tests.
SHARED_BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)]


@contextmanager
def shared_database(backend: str, tmp_path, name: str) -> Iterator[Engine]:
    """One engine that several threads open sessions on, like the app's workers, with every table: a SQLite file
    in WAL mode (the app's own engine), or PostgreSQL in a private schema."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / f'{name}.db'}")
        with engine.connect() as conn:
            assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        SQLModel.metadata.create_all(engine)
        try:
            yield engine
        finally:
            engine.dispose()
        return
    with private_pg_schema(name) as engine:
        SQLModel.metadata.create_all(engine)
        yield engine


def race(engine: Engine, *jobs: Callable[[Session], object]) -> list[object]:
    """Run each job in its own thread and session, all released together at one start line; each commits on
    success. Returns their results, or the exception a job raised (reported in the assertion, not lost)."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [RuntimeError("did not finish")] * len(jobs)

    def run(index: int, job: Callable[[Session], object]) -> None:
        with Session(engine, expire_on_commit=False) as session:
            try:
                session.connection()  # check the connection out before the start line, not after it
                barrier.wait(timeout=30)
                results[index] = job(session)
                session.commit()
            except Exception as exc:
                session.rollback()
                results[index] = exc

    threads = [threading.Thread(target=run, args=(i, job), daemon=True) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a racing thread hung"
    return results


def pg_admin_engine() -> Engine:
    """An engine on PG_URL's default schema, for creating/dropping private schemas; skips when unreachable."""
    if not PG_URL:
        pytest.skip("PRM_TEST_PG_URL is empty: PostgreSQL runs disabled")
    engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3}, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        engine.dispose()
        pytest.skip(f"PostgreSQL not reachable at {make_url(PG_URL).render_as_string()}: {exc.orig}")
    return engine


@contextmanager
def private_pg_schema(prefix: str) -> Iterator[Engine]:
    """An app engine (core.db.make_engine) whose connections see only a new, empty schema; dropped afterwards."""
    admin = pg_admin_engine()
    schema = f"{prefix}_{secrets.token_hex(4)}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    # search_path in the connect options: unqualified names (the models', alembic_version) land in the schema.
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_engine() -> Iterator[Engine]:
    """All tables in a private schema, created once; each test empties it after itself."""
    with private_pg_schema("prm_test") as engine:
        SQLModel.metadata.create_all(engine)
        yield engine


def _truncate_all(engine: Engine) -> None:
    """Empty the tables a test wrote and restart the sequences it drew from, as a fresh database would be.
    Only those: a TRUNCATE naming all of the schema's 120-odd tables took about as long as the test itself."""
    probe = " UNION ALL ".join(f"(SELECT '{name}' FROM \"{name}\" LIMIT 1)" for name in SQLModel.metadata.tables)
    with engine.begin() as conn:
        written = [f'"{name}"' for name in conn.execute(sa.text(probe)).scalars()]
        if written:  # CASCADE makes the order irrelevant
            conn.execute(sa.text(f"TRUNCATE {', '.join(written)} CASCADE"))
        # A sequence shows a last value once drawn from (also by an insert rolled back); RESTART clears it again.
        drawn = sa.text(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL"
        )
        for name in list(conn.execute(drawn).scalars()):
            conn.execute(sa.text(f'ALTER SEQUENCE "{name}" RESTART'))


@lru_cache(maxsize=1)
def _sqlite_tables() -> sqlite3.Connection:
    """An in-memory SQLite database with every table and no rows, made once per test process."""
    template = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool, connect_args={"check_same_thread": False})
    SQLModel.metadata.create_all(template)
    return template.raw_connection().dbapi_connection  # StaticPool keeps this one connection open


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A database with every table and no rows: a fresh in-memory SQLite, or the emptied PostgreSQL schema."""
    if request.param == "sqlite":
        # make_engine gives the app's own pragmas (foreign keys on); each test gets its own in-memory database,
        # a copy of the tables made once (creating 120-odd tables for each test cost more than most tests).
        engine = make_engine("sqlite:///:memory:")
        sa.event.listen(engine, "connect", lambda dbapi_conn, _record: _sqlite_tables().backup(dbapi_conn))
        yield engine
        engine.dispose()
    else:
        engine = request.getfixturevalue("pg_engine")
        try:
            yield engine
        finally:
            _truncate_all(engine)


@pytest.fixture(params=BACKENDS)
def empty_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """A database with no tables at all (for migrations): a SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'migrations.db'}")
        yield engine
        engine.dispose()
        return
    with private_pg_schema("mig") as engine:
        yield engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session configured like core.db.session_scope (no expiry on commit); tests commit where the app would.
    Rate-limit counts start afresh too: user ids repeat from one test's database to the next."""
    ratelimit.reset()
    with Session(engine, expire_on_commit=False) as session:
        yield session
