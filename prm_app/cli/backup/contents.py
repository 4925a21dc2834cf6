"""What a database or a backup holds, and whether this code's schema can take it: shared by both engines."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prm_app.platform.settings import PROJECT_DIR

# What the summary names; "holds data" looks at every table.
KEY_TABLES = (
    ("organization", "partners"),
    ("app_user", "people"),
    ("deal", "deal registrations"),
    ("lead", "leads"),
    ("audit_log", "audit entries"),
)


class BackupError(Exception):
    """A refusal or a failure, worded for the person at the terminal; nothing was changed unless it says so."""


@dataclass(frozen=True)
class Contents:
    """A database's schema revision, its key tables' row counts and how many tables hold any row."""

    revision: str | None
    counts: tuple[tuple[str, int], ...]
    tables_with_rows: int

    @property
    def has_data(self) -> bool:
        return self.tables_with_rows > 0

    def describe(self) -> str:
        counts = ", ".join(f"{count} {label}" for label, count in self.counts)
        return f"schema revision {self.revision or 'none'}; {counts or 'no tables'}"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    contents: Contents


@dataclass(frozen=True)
class RestoreResult:
    """`replaced` is what the target held before; `contents` what it holds now (before any migration)."""

    replaced: Contents
    contents: Contents


def schema_status(revision: str | None) -> str:
    """'current' or 'older' for a revision this code's migrations know; BackupError for any other.

    A revision missing from alembic/versions was written by a newer version of the app (or is not ours):
    restoring it would leave a schema this code does not match and no migration can bring back.
    """
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(Config(str(PROJECT_DIR / "alembic.ini")))
    head = script.get_current_head()
    if revision is None:
        raise BackupError("The backup has no schema revision (no alembic_version row): it is not a PRM database.")
    if revision == head:
        return "current"
    if revision in {r.revision for r in script.walk_revisions()}:
        return "older"
    raise BackupError(
        f"The backup is at schema revision {revision}, which this version of the app does not know (its newest "
        f"is {head}): it comes from a newer version. Nothing was changed. Restore it with that version, "
        "or upgrade this one first."
    )


def _quoted(table: str) -> str:
    """A table name from the database's own catalog, as a quoted SQL identifier."""
    return '"' + table.replace('"', '""') + '"'


def summarize(tables: Iterable[str], scalar: Callable[[str], Any]) -> Contents:
    """Contents of a database whose tables are `tables`, read through `scalar(sql) -> first value`."""
    names = set(tables)
    revision = scalar("SELECT max(version_num) FROM alembic_version") if "alembic_version" in names else None
    # Table names come from the database's own catalog and are quoted: no outside input reaches these strings.
    count = "SELECT count(*) FROM {}"
    exists = "SELECT EXISTS (SELECT 1 FROM {})"
    counts = tuple((label, int(scalar(count.format(_quoted(t))))) for t, label in KEY_TABLES if t in names)
    with_rows = sum(1 for t in names - {"alembic_version"} if scalar(exists.format(_quoted(t))))
    return Contents(revision, counts, with_rows)


def replace_refusal(where: str, held: Contents, source: Path, incoming: str) -> BackupError:
    """The refusal to overwrite data without --yes, saying what would be replaced by what."""
    return BackupError(
        f"{where} holds data ({held.describe()}; {held.tables_with_rows} tables with rows). Restoring replaces all "
        f"of it with {source} ({incoming}). Nothing was changed: run again with --yes to replace it."
    )
