"""Writing the scale data fast: a progress bar, and one writer per backend with the same small interface
(SQLite through a plain sqlite3 connection, PostgreSQL through COPY), fed column-wise in chunks by `load`.
Used by tools.scale_seed.main."""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Sequence

import numpy as np
from sqlalchemy.engine import make_url

CHUNK = 100_000


class Progress:
    """One line on stderr: a bar over the rows to write, the table being written and the time so far."""

    def __init__(self, total: int):
        self.total, self.done, self.t0 = max(total, 1), 0, time.perf_counter()

    def step(self, table: str, rows: int) -> None:
        self.done += rows
        frac = min(self.done / self.total, 1.0)
        elapsed = time.perf_counter() - self.t0
        sys.stderr.write(
            f"\r[{'#' * int(frac * 30):<30}] {frac:6.1%} {table:<16} {self.done:>11,} rows {elapsed:6.1f}s"
        )
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")


class SqliteWriter:
    """Plain sqlite3: no journal, no fsync, a table's indexes rebuilt once after it is filled."""

    def __init__(self, path: str):
        self.conn = sqlite3.connect(path, isolation_level=None)
        try:
            self.conn.execute("PRAGMA journal_mode=OFF")
        except sqlite3.OperationalError:  # someone else has it open: keep WAL (slower, same rows)
            pass
        self.conn.execute("PRAGMA synchronous=OFF")
        self.conn.execute("PRAGMA cache_size=-262144")
        self.indexes: list[tuple[str, str]] = []

    def query(self, sql: str, *params) -> list[tuple]:
        return self.conn.execute(sql.replace("%s", "?"), params).fetchall()

    def ts(self, us: np.ndarray) -> list[str | None]:
        return _iso(us, "")  # SQLAlchemy's SQLite DATETIME text, always with microseconds, UTC

    def begin(self, table: str) -> None:
        self.indexes = self.query("SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name=%s "
                                  "AND sql IS NOT NULL", table)  # fmt: skip
        for name, _sql in self.indexes:
            self.conn.execute(f'DROP INDEX "{name}"')
        self.conn.execute("BEGIN")

    def write(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        marks = ", ".join("?" * len(columns))
        self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)  # noqa: S608

    def end(self, table: str) -> None:
        self.conn.execute("COMMIT")
        for _name, sql in self.indexes:
            self.conn.execute(sql)

    def close(self) -> None:
        self.conn.execute("PRAGMA journal_mode=WAL")  # as core.db runs it
        self.conn.close()


class PostgresWriter:
    """psycopg COPY; plain indexes dropped while a table loads; FK triggers off for the load when we may."""

    def __init__(self, url: str):
        import psycopg

        sa_url = make_url(url)
        params = sa_url.translate_connect_args(username="user", database="dbname")
        self.conn = psycopg.connect(**params, options=sa_url.query.get("options", ""), autocommit=True)
        try:
            self.conn.execute("SET session_replication_role = replica")
        except psycopg.Error:  # not a superuser: foreign keys are checked row by row; slower, same result
            pass
        self.indexes: list[tuple[str, str]] = []

    def query(self, sql: str, *params) -> list[tuple]:
        return self.conn.execute(sql, params).fetchall()

    def ts(self, us: np.ndarray) -> list[str | None]:
        return _iso(us, "+00")

    def begin(self, table: str) -> None:
        self.indexes = self.query(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            table,
            table,
        )
        for name, _sql in self.indexes:
            self.conn.execute(f'DROP INDEX "{name}"')

    def write(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        with self.conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def end(self, table: str) -> None:
        for _name, sql in self.indexes:
            self.conn.execute(sql)
        if self.query("SELECT pg_get_serial_sequence(%s, 'id')", table)[0][0]:
            self.conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608

    def close(self) -> None:
        for (table,) in self.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"):
            self.conn.execute(f'VACUUM ANALYZE "{table}"')  # what autovacuum soon does (index-only scans need it)
        self.conn.close()


def _iso(us: np.ndarray, suffix: str) -> list[str | None]:
    text = np.datetime_as_string(np.maximum(us, 0).astype("datetime64[us]"), unit="us").tolist()
    out: list[str | None] = [f"{s[:10]} {s[11:]}{suffix}" for s in text]
    for i in np.flatnonzero(us < 0).tolist():
        out[i] = None
    return out


def dates(us: np.ndarray) -> list[str]:
    return np.datetime_as_string(us.astype("datetime64[us]").astype("datetime64[D]"), unit="D").tolist()


def nullable(values: np.ndarray) -> list:
    return [None if v < 0 else v for v in values.tolist()]


Column = object  # a constant, a numpy array, a list, or a function of a slice returning a list


def load(writer, progress: Progress, table: str, columns: dict[str, Column], n: int) -> None:
    """Write `n` rows given column-wise, in chunks, with the table's indexes rebuilt at the end."""
    writer.begin(table)
    for lo in range(0, n, CHUNK):
        part = slice(lo, min(lo + CHUNK, n))
        cols = []
        for value in columns.values():
            if callable(value):
                cols.append(value(part))
            elif isinstance(value, np.ndarray | list):
                cols.append(value[part].tolist() if isinstance(value, np.ndarray) else value[part])
            else:
                cols.append([value] * (part.stop - part.start))
        writer.write(table, list(columns), list(zip(*cols, strict=True)))
        progress.step(table, part.stop - part.start)
    writer.end(table)
