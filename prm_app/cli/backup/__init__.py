"""`python -m prm_app.cli backup` / `restore`: the whole database in one file, and back.

SQLite (the embedded default) is copied with SQLite's online backup API in a single step: the copy reads one
snapshot of the database, so it holds exactly the transactions committed before it began, while the app keeps
serving and writing. PostgreSQL is dumped with `pg_dump --format=custom` inside a snapshot this code exports, so the
row counts it prints are the dump's, and restored with `pg_restore --clean --if-exists --single-transaction` (a
failed restore changes nothing).

Restore refuses a target that holds data unless told `--yes` (saying what it would replace) and a backup from a
newer schema than this code knows; a backup from an older schema is restored and then migrated. Restoring SQLite
needs the server stopped: the target is claimed first, which fails while another process has it open.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from prm_app.cli.backup import postgres, sqlite
from prm_app.cli.backup.contents import BackupError, BackupResult, Contents, RestoreResult, schema_status
from prm_app.platform.settings import PROJECT_DIR

__all__ = ["BackupError", "BackupResult", "Contents", "RestoreResult", "backup_database", "restore_database"]

BACKUP_DIR = PROJECT_DIR / "backups"


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def default_target(url: str, now: datetime | None = None) -> Path:
    """backups/prm-<UTC time>.sqlite3 (or .pgdump) in the project directory."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return BACKUP_DIR / f"prm-{stamp}.{'sqlite3' if _is_sqlite(url) else 'pgdump'}"


def backup_database(url: str, to: Path | None = None) -> BackupResult:
    """Write one consistent, verified backup file of the database at `url` and say what it holds.

    `to` is a new file, or an existing directory for the default name. The file is readable by its owner only and
    appears only once complete and checked (it is written beside as `.partial` first); on BackupError none is left.
    """
    target = to or default_target(url)
    if target.is_dir():
        target = target / default_target(url).name
    if target.exists():
        raise BackupError(f"{target} already exists; choose another name.")
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    # Readable by the owner only, from the start: a backup holds password hashes and people's details.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        contents = (
            sqlite.back_up(sqlite.database_file(url), partial) if _is_sqlite(url) else postgres.back_up(url, partial)
        )
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    return BackupResult(target, target.stat().st_size, contents)


def restore_database(url: str, source: Path, *, replace: bool) -> RestoreResult:
    """Replace the database at `url` with the backup `source`.

    Checked before anything changes: the file is a readable backup at a schema revision this code knows (not a
    newer one), and the target holds no data unless `replace`. Migrating an older backup is the caller's next step
    (`schema_status` of the result's revision says 'older').
    """
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    if _is_sqlite(url):
        return sqlite.restore(source, sqlite.database_file(url), replace=replace)
    return postgres.restore(url, source, replace=replace)


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} kB"


def backup_command(to: Path | None) -> int:
    """`backup [--to PATH]` of the configured database: prints what was written (exit 0), or why not (exit 1)."""
    from prm_app.platform.settings import settings

    try:
        result = backup_database(settings.db_url, to)
    except BackupError as error:
        print(f"No backup written. {error}", file=sys.stderr)
        return 1
    print(f"Backup written: {result.path} ({_size(result.size_bytes)}), verified")
    print(f"  {result.contents.describe()}")
    return 0


def restore_command(source: Path, yes: bool) -> int:
    """`restore PATH [--yes]` onto the configured database, then migrate an older schema to this code's."""
    from prm_app.cli.serve import migrate
    from prm_app.platform.settings import settings

    try:
        result = restore_database(settings.db_url, source, replace=yes)
        status = schema_status(result.contents.revision)
    except BackupError as error:
        print(f"Not restored. {error}", file=sys.stderr)
        return 1
    if result.replaced.has_data:
        print(f"Replaced: {result.replaced.describe()}")
    print(f"Restored {source}: {result.contents.describe()}")
    if status == "older":
        migrate()
        print(f"Migrated from schema revision {result.contents.revision} to this version's.")
    return 0
