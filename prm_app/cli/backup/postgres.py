"""PostgreSQL: `pg_dump --format=custom` in a snapshot we export, `pg_restore --single-transaction` back.

Both tools are found on PATH and get the connection as libpq environment variables (never the password on the
command line), without a shell. When the URL sets a search_path (`?options=-csearch_path=prm`), its first schema
is where the app's tables are, and only that schema is dumped and restored.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from prm_app.cli.backup.contents import BackupError, Contents, RestoreResult, replace_refusal, schema_status, summarize

INSTALL_HINT = (
    "Install the PostgreSQL client tools, of the server's major version or newer "
    "(Debian/Ubuntu: apt-get install postgresql-client; macOS: brew install libpq), and run this again."
)
# libpq reads these from the environment; a URL's query may carry the same settings under their conninfo names.
_QUERY_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "options": "PGOPTIONS",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
}


def _query(url: str, key: str) -> str | None:
    value = make_url(url).query.get(key)
    return value if value is None or isinstance(value, str) else value[-1]


def environment(url: str) -> dict[str, str]:
    """This process's environment with libpq's PG* variables set from `url` alone (the password among them)."""
    parsed = make_url(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}  # only the URL decides the target
    for key, name in _QUERY_ENV.items():
        if (value := _query(url, key)) is not None:
            env[name] = value
    for name, part in (
        ("PGHOST", parsed.host),
        ("PGPORT", parsed.port),
        ("PGUSER", parsed.username),
        ("PGPASSWORD", parsed.password),
        ("PGDATABASE", parsed.database),
    ):
        if part is not None:
            env[name] = str(part)
    return env


def app_schema(url: str) -> str:
    """The schema the app's tables are created in: the first of the URL's search_path, else public."""
    found = re.search(r"search_path\s*=\s*\"?([^\s,\"]+)", _query(url, "options") or "")
    return found.group(1) if found else "public"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH; it is needed to back up and restore PostgreSQL. {INSTALL_HINT}"
        )
    return path


def _run(args: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603 (no shell)
    if done.returncode != 0:
        raise BackupError(f"{what} failed (exit {done.returncode}): {done.stderr.strip()}")
    return done.stdout


def _contents(conn: sa.Connection) -> Contents:
    return summarize(sa.inspect(conn).get_table_names(), lambda q: conn.execute(sa.text(q)).scalar())


def _unreachable(error: sa.exc.OperationalError) -> BackupError:
    return BackupError(f"Cannot reach the database: {error.orig}")


def back_up(url: str, dump_path: Path) -> Contents:
    """Dump the app's schema to `dump_path` in one snapshot: every transaction committed before it, none later.

    The snapshot is exported by our own read-only transaction, so the contents returned (row counts, revision)
    are exactly the dump's; the dump is then listed back to check every table and its data are in it.
    """
    pg_dump, schema = _tool("pg_dump"), app_schema(url)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        read_only = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        with engine.connect().execution_options(**read_only) as conn:
            snapshot = conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
            contents = _contents(conn)
            args = [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--schema={schema}"]
            _run([*args, f"--file={dump_path}"], environment(url), "pg_dump")
            conn.rollback()
    except sa.exc.OperationalError as error:
        raise _unreachable(error) from error
    finally:
        engine.dispose()
    entries = _listing(dump_path)
    tables = {name for kind, _schema, name in entries if kind == "TABLE"}
    data = {name for kind, _schema, name in entries if kind == "TABLE DATA"}
    if "alembic_version" not in tables or tables != data or {s for _kind, s, _name in entries} != {schema}:
        raise BackupError(f"The dump written to {dump_path} does not list every table of schema {schema} with data.")
    return contents


def _listing(path: Path) -> list[tuple[str, str, str]]:
    """(kind, schema, name) of each TABLE and TABLE DATA entry in a custom-format dump's table of contents."""
    listing = _run([_tool("pg_restore"), "--list", str(path)], dict(os.environ), f"Reading {path}")
    found = (re.match(r"^\d+; \d+ \d+ (TABLE DATA|TABLE) (\S+) (\S+) ", line) for line in listing.splitlines())
    return [(m.group(1), m.group(2), m.group(3)) for m in found if m]


def _dump_revision(path: Path) -> str | None:
    """The alembic_version row of a dump, read from the dump itself (nothing is restored)."""
    args = [_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-", str(path)]
    script = _run(args, dict(os.environ), f"Reading {path}")
    if " FROM stdin;\n" not in script:
        return None
    rows = script.split(" FROM stdin;\n", 1)[1].split("\\.", 1)[0].split()
    return rows[0] if len(rows) == 1 else None


def restore(url: str, source: Path, *, replace: bool) -> RestoreResult:
    """Replace the app's schema at `url` with the dump `source`, in one transaction: all of it or nothing.

    Refused, with nothing changed: a file that is not a custom-format dump, a dump of another schema, a backup
    at a schema revision this code does not know, a database with data unless `replace`. Objects are owned by the
    role that restores (--no-owner, --no-acl), which is the role the app connects as.
    """
    pg_restore = _tool("pg_restore")
    try:
        entries = _listing(source)
    except BackupError as error:
        raise BackupError(f"{source} is not a pg_dump custom-format backup: {error}") from error
    schema, schemas = app_schema(url), sorted({s for _kind, s, _name in entries})
    if schemas != [schema]:
        raise BackupError(
            f"{source} holds the tables of schema {', '.join(schemas) or '(none)'}, but the database URL puts the "
            f"app's tables in {schema} (a search_path in the URL's options chooses it). Nothing was changed."
        )
    revision = _dump_revision(source)
    schema_status(revision)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            held = _contents(conn)
        if held.has_data and not replace:
            incoming = f"schema revision {revision}, {sum(kind == 'TABLE' for kind, *_ in entries)} tables"
            raise replace_refusal(f"The database {make_url(url).render_as_string()}", held, source, incoming)
        env = environment(url)
        args = [pg_restore, "--clean", "--if-exists", "--single-transaction", "--no-owner", "--no-acl"]
        _run([*args, "--no-password", f"--dbname={env['PGDATABASE']}", str(source)], env, "pg_restore")
        with engine.connect() as conn:
            return RestoreResult(held, _contents(conn))
    except sa.exc.OperationalError as error:
        raise _unreachable(error) from error
    finally:
        engine.dispose()
