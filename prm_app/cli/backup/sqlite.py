"""SQLite: the online backup API, out to one self-contained file and back into the database file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from prm_app.cli.backup.contents import BackupError, Contents, RestoreResult, replace_refusal, schema_status, summarize


def database_file(url: str) -> Path:
    """The file behind a sqlite:/// URL; BackupError for in-memory or URI-style databases."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(f"{url} is not a SQLite database file; only file databases can be backed up.")
    return Path(database).resolve()


def _contents(conn: sqlite3.Connection) -> Contents:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return summarize([t for t in tables if not t.startswith("sqlite_")], lambda q: conn.execute(q).fetchone()[0])


def _verify(conn: sqlite3.Connection, what: str) -> None:
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise BackupError(f"{what} fails SQLite's integrity check: {'; '.join(problems[:5])}")


def back_up(db: Path, copy_path: Path) -> Contents:
    """Copy `db` to the new file `copy_path`: every transaction committed before the copy began, and none later.

    Safe while the app serves and writes. The copy is checked with `PRAGMA integrity_check` and left in rollback
    journal mode, so the one file is the whole backup.
    """
    if not db.is_file():
        raise BackupError(f"No database at {db}: nothing to back up.")
    source = sqlite3.connect(db.as_uri() + "?mode=rw", uri=True, timeout=30)  # never creates a missing file
    copy = sqlite3.connect(copy_path)
    try:
        # One step (pages=-1): the copy reads a single snapshot while WAL lets writers carry on. Stepwise copying
        # restarts whenever another connection writes, so under steady writes it might never finish.
        source.backup(copy, pages=-1)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        _verify(copy, "The copy")
        return _contents(copy)
    finally:
        copy.close()
        source.close()


def _claim(db: Path) -> sqlite3.Connection:
    """A connection to `db` (created if missing) that no other process shares, or BackupError.

    Leaving WAL mode needs every other connection closed (an open WAL connection that has read holds a shared
    lock), so `journal_mode=DELETE` failing at once is how a running server, worker or other reader shows.
    """
    if not db.parent.is_dir():
        raise BackupError(f"The folder {db.parent} does not exist.")
    conn = sqlite3.connect(db, timeout=0)
    try:
        conn.execute("PRAGMA journal_mode=DELETE").fetchone()
    except sqlite3.OperationalError as error:
        conn.close()
        raise BackupError(
            f"{db} is in use by another process ({error}). Stop the server and its workers first: the app would "
            "keep writing into, or reading half of, the restored database. Nothing was changed."
        ) from error
    return conn


def restore(source: Path, db: Path, *, replace: bool) -> RestoreResult:
    """Replace the database file `db` with the backup `source`, written page by page into the same file.

    Refused, with nothing changed: a file that is not an intact SQLite database, a backup at a schema this
    code does not know, a database another process has open, a database with data unless `replace`.
    """
    backup = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        try:
            _verify(backup, f"The backup {source}")
            incoming = _contents(backup)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} is not a SQLite backup: {error}") from error
        schema_status(incoming.revision)
        target = _claim(db)
        try:
            held = _contents(target)
            if held.has_data and not replace:
                raise replace_refusal(f"The database {db}", held, source, incoming.describe())
            backup.backup(target, pages=-1)
            target.execute("PRAGMA journal_mode=WAL")  # what the app runs in (it also sets it on connect)
            _verify(target, f"The restored database {db}")
            return RestoreResult(held, _contents(target))
        finally:
            target.close()
    finally:
        backup.close()
