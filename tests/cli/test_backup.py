"""Backups taken while the app writes hold every row committed before they began, whole transactions only, and
restore into an empty database where every such row is found; restore refuses to overwrite data without --yes,
refuses a backup from a newer schema, migrates an older one and (SQLite) refuses while another process has the file.

Both engines: SQLite files in tmp_path; PostgreSQL in a private schema (tests.conftest.private_pg_schema) whose URL
carries the search_path that backup and restore follow.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, select

from prm_app.cli.backup import BackupError, backup_database, restore_database
from prm_app.identity.models import User
from prm_app.partners.models import Organization, Tier
from prm_app.platform.db import make_engine
from prm_app.platform.models import AuditLog
from tests.conftest import BACKENDS, private_pg_schema

ROOT = Path(__file__).resolve().parents[2]
PREVIOUS_REVISION = "9a8484b0e7d6"  # an older schema: what an older version of the app wrote
HEAD = ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini"))).get_current_head()


def _alembic(url: str, action: str, revision: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        config = Config(str(ROOT / "alembic.ini"))
        config.attributes["connection"] = connection  # alembic/env.py's hook: this URL, not the app's settings
        getattr(command, action)(config, revision)
    engine.dispose()


@dataclass
class Place:
    """One test's database: its URL, engines to it (all disposed at the end), and an empty one to restore into."""

    backend: str
    url: str
    tmp_path: Path
    engines: list[Engine] = field(default_factory=list)

    def engine(self, url: str | None = None) -> Engine:
        self.engines.append(make_engine(url or self.url))
        return self.engines[-1]

    def close(self) -> None:
        """Like stopping the server: a SQLite restore refuses while any connection holds the file."""
        for engine in self.engines:
            engine.dispose()

    def empty_target(self) -> str:
        """A URL with no tables: a new SQLite file, or (PostgreSQL) the same schema, dropped."""
        if self.backend == "sqlite":
            return f"sqlite:///{self.tmp_path / 'restored.db'}"
        schema = make_url(self.url).query["options"].split("=")[-1]
        with self.engine().begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        self.close()
        return self.url


@pytest.fixture(params=BACKENDS)
def place(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Place]:
    """A database migrated to head, with one tier for the writer's partners."""
    if request.param == "sqlite":
        place = Place("sqlite", f"sqlite:///{tmp_path / 'prm.db'}", tmp_path)
        _alembic(place.url, "upgrade", "head")
        yield from _with_tier(place)
        return
    with private_pg_schema("bkp") as engine:
        place = Place("postgresql", engine.url.render_as_string(hide_password=False), tmp_path)
        _alembic(place.url, "upgrade", "head")
        yield from _with_tier(place)


def _with_tier(place: Place) -> Iterator[Place]:
    with Session(place.engine()) as session:
        session.add(Tier(name="Registered", rank=0))
        session.commit()
    try:
        yield place
    finally:
        place.close()


def _write(engine: Engine, number: int) -> None:
    """One transaction of three related rows (a partner, its user, an audit entry), all tagged `number`."""
    with Session(engine) as session:
        tier_id = session.exec(select(Tier.id)).one()
        org = Organization(
            name=f"Writer {number}", name_lower=f"writer {number}", partner_type="reseller", tier_id=tier_id,
            region="EMEA", country="DE",
        )  # fmt: skip
        session.add(org)
        session.flush()
        user = User(
            email=f"writer{number}@example.com", full_name="W", password_hash="-", role="partner_user",
            organization_id=org.id,
        )  # fmt: skip
        session.add(user)
        session.add(AuditLog(action="test.write", record_type="organization", record_id=number, summary="x" * 400))
        session.commit()


def _written(url: str) -> tuple[set[int], set[int], set[int]]:
    """The writer's numbers found in each of the three tables of the database at `url`."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            orgs = {int(n.split()[1]) for n in session.exec(select(Organization.name))}
            users = {int(e.split("@")[0][6:]) for e in session.exec(select(User.email))}
            audit = select(AuditLog.record_id).where(AuditLog.action == "test.write")
            return orgs, users, {int(n) for n in session.exec(audit) if n is not None}
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


class Writer(threading.Thread):
    """Commits one `_write` transaction after another until stopped; `committed` counts those that returned."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(daemon=True)
        self.engine, self.committed, self.stopping, self.failure = engine, 0, threading.Event(), None
        self.progress = threading.Condition()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                _write(self.engine, self.committed)
                with self.progress:
                    self.committed += 1
                    self.progress.notify_all()
        except Exception as error:  # reported by the test, not lost in the thread
            self.failure = error

    def wait_for(self, count: int) -> None:
        with self.progress:
            assert self.progress.wait_for(lambda: self.committed >= count or self.failure, timeout=60)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=60)
        assert self.failure is None, self.failure


def _bulk(engine: Engine, rows: int) -> None:
    """Old audit entries, so that the database has some size and the backup takes a while."""
    with engine.begin() as conn:
        conn.execute(
            sa.insert(AuditLog.__table__),  # type: ignore[arg-type]
            [{"at": datetime.now(UTC), "action": "old", "record_type": "x", "summary": "y" * 900} for _ in range(rows)],
        )


def test_a_backup_taken_during_writes_restores_every_row_committed_before_it(place):
    _bulk(place.engine(), 20_000)
    writer = Writer(place.engine())
    writer.start()
    writer.wait_for(10)
    committed_before = writer.committed  # every one of these returned from COMMIT before the backup began

    backup = backup_database(place.url, place.tmp_path / "during-writes.backup")

    committed_during = writer.committed - committed_before
    writer.wait_for(writer.committed + 3)
    writer.stop()
    assert committed_during > 0, "the writer should commit while the backup runs, or this proves nothing"
    target = place.empty_target()
    assert "organization" not in _tables(target)

    restored = restore_database(target, backup.path, replace=False)

    orgs, users, audits = _written(target)
    assert set(range(committed_before)) <= orgs  # every row committed before the backup began
    assert orgs == set(range(len(orgs))) and len(orgs) <= writer.committed  # one snapshot: a prefix of the commits
    assert users == orgs and audits == orgs  # whole transactions only
    assert dict(restored.contents.counts)["partners"] == dict(backup.contents.counts)["partners"] == len(orgs)
    assert dict(backup.contents.counts)["audit entries"] == 20_000 + len(orgs)


def test_a_plain_file_copy_during_writes_loses_committed_rows_and_the_check_sees_it(tmp_path):
    """Guards the test above: the committed rows a WAL database still holds in its -wal file are missing from a
    copy of the main file, and the check finds them missing; the online backup of the same moment has them."""
    db = tmp_path / "prm.db"
    _alembic(f"sqlite:///{db}", "upgrade", "head")
    engine = make_engine(f"sqlite:///{db}")
    sa.event.listen(engine, "connect", lambda conn, _record: conn.execute("PRAGMA wal_autocheckpoint=0"))
    with Session(engine) as session:
        session.add(Tier(name="Registered", rank=0))
        session.commit()
    for number in range(3):
        _write(engine, number)

    shutil.copyfile(db, tmp_path / "plain-copy.db")
    backup = backup_database(f"sqlite:///{db}", tmp_path / "online.backup")

    engine.dispose()
    assert _written(f"sqlite:///{tmp_path / 'plain-copy.db'}") == (set(), set(), set())
    assert _written(f"sqlite:///{backup.path}") == ({0, 1, 2}, {0, 1, 2}, {0, 1, 2})


def test_restore_replaces_data_only_when_told_and_says_what_it_replaces(place):
    for number in range(3):
        _write(place.engine(), number)
    backup = backup_database(place.url, place.tmp_path / "three.backup")
    for number in range(3, 5):
        _write(place.engine(), number)  # after the backup
    place.close()

    with pytest.raises(BackupError, match="run again with --yes") as refused:
        restore_database(place.url, backup.path, replace=False)

    assert "holds data (schema revision" in str(refused.value) and "5 partners, 5 people" in str(refused.value)
    assert _written(place.url)[0] == set(range(5))  # untouched
    restored = restore_database(place.url, backup.path, replace=True)
    assert dict(restored.replaced.counts)["partners"] == 5
    assert _written(place.url) == ({0, 1, 2}, {0, 1, 2}, {0, 1, 2})


def test_restore_refuses_a_backup_from_a_newer_schema_and_changes_nothing(place):
    _write(place.engine(), 0)
    with place.engine().begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'f0f0f0f0f0f0'"))  # a migration we lack
    backup = backup_database(place.url, place.tmp_path / "newer.backup")
    assert backup.contents.revision == "f0f0f0f0f0f0"
    target = place.empty_target()

    with pytest.raises(BackupError, match="f0f0f0f0f0f0, which this version of the app does not know"):
        restore_database(target, backup.path, replace=True)

    assert "organization" not in _tables(target)


def _cli(args: list[str], url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PRM_DEMO", "REFLEX_REDIS_URL")}
    env["REFLEX_DB_URL"] = url
    command_line = [sys.executable, "-m", "prm_app.cli", *args]
    return subprocess.run(command_line, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


def test_the_commands_restore_an_older_backup_and_migrate_it_to_this_schema(place):
    _write(place.engine(), 0)
    place.close()
    _alembic(place.url, "downgrade", PREVIOUS_REVISION)
    path = place.tmp_path / "older.backup"

    backed_up = _cli(["backup", "--to", str(path)], place.url)
    assert backed_up.returncode == 0, backed_up.stderr
    assert f"Backup written: {path}" in backed_up.stdout and f"schema revision {PREVIOUS_REVISION}" in backed_up.stdout
    refused = _cli(["restore", str(path)], place.url)
    assert refused.returncode == 1 and "run again with --yes" in refused.stderr
    target = place.empty_target()
    restored = _cli(["restore", str(path)], target)

    assert restored.returncode == 0, restored.stderr
    assert f"Migrated from schema revision {PREVIOUS_REVISION}" in restored.stdout
    engine = place.engine(target)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == HEAD
    assert _written(target)[0] == {0}


def test_sqlite_restore_refuses_while_another_process_has_the_file_open(tmp_path):
    url = f"sqlite:///{tmp_path / 'prm.db'}"
    _alembic(url, "upgrade", "head")
    backup = backup_database(url, tmp_path / "a.backup")
    # What a serving app does: a WAL connection that has read, kept open in its pool.
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(tmp_path / "prm.db")], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"holding\n"
        with pytest.raises(BackupError, match=r"in use by another process.*Stop the server"):
            restore_database(url, backup.path, replace=True)
    finally:
        holder.communicate(b"", timeout=30)

    assert restore_database(url, backup.path, replace=True).contents.revision == HEAD


HOLD_OPEN = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("SELECT count(*) FROM organization").fetchone()
print("holding", flush=True)
sys.stdin.read()
"""


def test_a_backup_is_private_never_overwrites_and_a_folder_gets_a_dated_name(tmp_path):
    url = f"sqlite:///{tmp_path / 'prm.db'}"
    _alembic(url, "upgrade", "head")
    folder = tmp_path / "backups"
    folder.mkdir()

    first = backup_database(url, folder)

    assert first.path.parent == folder and first.path.name.startswith("prm-") and first.path.suffix == ".sqlite3"
    assert first.path.stat().st_mode & 0o077 == 0  # password hashes and personal data: the owner's eyes only
    with pytest.raises(BackupError, match="already exists"):
        backup_database(url, first.path)
    assert sorted(p.name for p in folder.iterdir()) == [first.path.name]  # no .partial left behind


def test_postgresql_backup_says_how_to_install_pg_dump_when_it_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(BackupError, match=r"pg_dump was not found on PATH.*apt-get install postgresql-client"):
        backup_database("postgresql+psycopg://prm:secret@db.invalid/prm", tmp_path / "x.pgdump")

    assert list(tmp_path.iterdir()) == []


@pytest.mark.integration
def test_pg_dump_gets_the_connection_from_the_environment_never_the_password_on_its_command_line(tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "pg_dump"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$0.args"\nenv | grep ^PG > "$0.env"\nexit 3\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    with private_pg_schema("bkp") as engine:
        url = engine.url.set(password=engine.url.password or "not-on-argv-s3cret")
        with pytest.raises(BackupError, match=r"pg_dump failed \(exit 3\)"):
            backup_database(url.render_as_string(hide_password=False), tmp_path / "x.pgdump")

    args, env = (tmp_path / "bin/pg_dump.args").read_text(), (tmp_path / "bin/pg_dump.env").read_text()
    assert url.password not in args and f"PGPASSWORD={url.password}\n" in env
    assert f"PGDATABASE={url.database}\n" in env and f"PGOPTIONS={url.query['options']}\n" in env
    assert "--format=custom" in args and f"--schema={url.query['options'].split('=')[-1]}" in args
    assert not (tmp_path / "x.pgdump").exists() and not (tmp_path / "x.pgdump.partial").exists()
