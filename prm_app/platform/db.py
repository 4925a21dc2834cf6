"""The database engine and the one place sessions are opened."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, create_engine

from prm_app.platform.settings import settings


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and a busy timeout so workers can share it."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            if ":memory:" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    return make_engine(settings.db_url)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A unit of work: commits on success, rolls back on any error, always closes.

    Never hold one across `yield`, `await` or `async with self` in a Reflex handler.
    """
    session = Session(engine or get_engine(), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def savepoint(session: Session) -> SessionTransaction:
    """`session.begin_nested()`, safe on SQLite too.

    pysqlite sends BEGIN only before the first write, so a SAVEPOINT sent first would *be* the transaction
    and its RELEASE would commit behind the caller's back. Open the outer transaction first. (Not done for
    every transaction with an engine-wide BEGIN hook: that would start SQLite's snapshot at the first read,
    and a later write would then fail with "database is locked" whenever another writer committed meanwhile.)
    """
    connection = session.connection()
    dbapi = connection.connection.dbapi_connection
    if connection.dialect.name == "sqlite" and dbapi is not None and not dbapi.in_transaction:
        connection.exec_driver_sql("BEGIN")
    return session.begin_nested()


def write_lock_first(session: Session) -> None:
    """SQLite: take the write lock before the unit of work reads anything (BEGIN IMMEDIATE), so a writer that
    reads first and writes later waits for other writers instead of failing to upgrade a stale read snapshot
    ("database is locked" as soon as another writer committed meanwhile). PostgreSQL needs nothing."""
    connection = session.connection()
    dbapi = connection.connection.dbapi_connection
    if connection.dialect.name == "sqlite" and dbapi is not None and not dbapi.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def part_of(session: Session) -> Iterator[Session]:
    """One part of a unit of work shared by several: if the part raises, its own writes are undone and the
    other parts' kept (the exception goes on).

    A savepoint, except on SQLite before anything was written: pysqlite has not begun a transaction then, so
    there is nothing of the others' to keep, and rolling the session back undoes exactly this part (no BEGIN
    sent early, for the reason `savepoint` gives)."""
    connection = session.connection()
    dbapi = connection.connection.dbapi_connection
    if connection.dialect.name == "sqlite" and dbapi is not None and not dbapi.in_transaction:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        return
    with session.begin_nested():
        yield session


class _Row(Protocol):
    @property
    def id(self) -> int | None: ...


def saved_id(row: _Row) -> int:
    """`row.id` of a row that is in the database (flushed, or read from it); raises if it is not there yet.

    SQLModel types a database-generated primary key `int | None` because it is None until the INSERT is flushed.
    Use this where code relies on the id existing, so a missing `session.flush()` fails here, by name, instead of
    writing NULL into a foreign key further on.
    """
    if row.id is None:
        raise RuntimeError(f"{type(row).__name__} has no id yet: add it and flush the session before using its id")
    return row.id
