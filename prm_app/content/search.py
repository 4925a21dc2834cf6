"""Full-text search over assets' titles, descriptions and tags behind one function, `matching(session, words)`:
SQLite's FTS5 on the embedded default, PostgreSQL's full-text search in scale-out.

On SQLite the index is a derived table kept by triggers (an external-content FTS5 table over content_asset);
PostgreSQL matches `to_tsvector('simple', …)` of the same columns, served by a GIN expression index. Both are made
by `ensure_index` the first time the library writes or searches, not by the migration: the schema check compares
the models with the database, and neither FTS5's shadow tables nor an expression index is a model's."""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, column, func, literal_column, text
from sqlmodel import Session, col

from prm_app.content.models import Asset
from prm_app.platform.db import savepoint

_WORD = re.compile(r"\w+", re.UNICODE)
TSV = (
    "to_tsvector('simple', coalesce(content_asset.title, '') || ' ' || coalesce(content_asset.description, '')"
    " || ' ' || coalesce(content_asset.tags, ''))"
)

_FTS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS content_fts USING fts5("
    "title, description, tags, content='content_asset', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS content_fts_ai AFTER INSERT ON content_asset BEGIN "
    "INSERT INTO content_fts(rowid, title, description, tags) "
    "VALUES (new.id, new.title, new.description, new.tags); END",
    "CREATE TRIGGER IF NOT EXISTS content_fts_ad AFTER DELETE ON content_asset BEGIN "
    "INSERT INTO content_fts(content_fts, rowid, title, description, tags) "
    "VALUES ('delete', old.id, old.title, old.description, old.tags); END",
    "CREATE TRIGGER IF NOT EXISTS content_fts_au AFTER UPDATE OF title, description, tags ON content_asset BEGIN "
    "INSERT INTO content_fts(content_fts, rowid, title, description, tags) "
    "VALUES ('delete', old.id, old.title, old.description, old.tags); "
    "INSERT INTO content_fts(rowid, title, description, tags) "
    "VALUES (new.id, new.title, new.description, new.tags); END",
]


def words_of(query: str) -> list[str]:
    """The words of a search box's text (at most 8), lower case: punctuation and operators are not syntax."""
    return [w.lower() for w in _WORD.findall(query)][:8]


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


PG_INDEX = (
    f"CREATE INDEX IF NOT EXISTS ix_content_asset_fts ON content_asset USING gin ({TSV.replace('content_asset.', '')})"
)


def ensure_index(session: Session) -> None:
    """Create (and on SQLite fill) the search index if this database has none yet; idempotent, cheap when done."""
    if not _is_sqlite(session):
        found = text(
            "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_content_asset_fts' AND schemaname = current_schema()"
        )
        if session.execute(found).first() is None:
            with savepoint(session):
                session.execute(text(PG_INDEX))
        return
    exists = session.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'content_fts'")).first()
    if exists:
        return
    for statement in _FTS:
        session.execute(text(statement))
    session.execute(text("INSERT INTO content_fts(content_fts) VALUES ('rebuild')"))


def index_asset(session: Session, asset: Asset) -> None:
    """After an asset is written: the triggers keep the index; this makes sure it exists."""
    ensure_index(session)


def matching(session: Session, query: str) -> ColumnElement[bool] | None:
    """A condition on Asset for assets whose title, description or tags hold every word of `query` (each as a
    prefix: "price" finds "pricing"); None when the query has no words."""
    words = words_of(query)
    if not words:
        return None
    if _is_sqlite(session):
        ensure_index(session)
        expression = " ".join('"' + w.replace('"', "") + '"*' for w in words)
        ids = text("SELECT rowid FROM content_fts WHERE content_fts MATCH :q").bindparams(q=expression)
        return col(Asset.id).in_(ids.columns(column("rowid")))
    tsquery = " & ".join(w.replace("'", "") + ":*" for w in words)
    return literal_column(TSV).op("@@")(func.to_tsquery("simple", tsquery))
