"""Full-text search over assets' titles, descriptions and tags behind one function, `matching(session, words)`:
SQLite's FTS5 on the embedded default, PostgreSQL's full-text search in scale-out.

The index itself (FTS5 table and triggers, GIN expression index) is schema: prm_app/content/search_index.py."""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, column, func, literal_column, text
from sqlmodel import Session, col

from prm_app.content.models import Asset
from prm_app.content.search_index import TSV

_WORD = re.compile(r"\w+", re.UNICODE)


def words_of(query: str) -> list[str]:
    """The words of a search box's text (at most 8), lower case: punctuation and operators are not syntax."""
    return [w.lower() for w in _WORD.findall(query)][:8]


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def matching(session: Session, query: str) -> ColumnElement[bool] | None:
    """A condition on Asset for assets whose title, description or tags hold every word of `query` (each as a
    prefix: "price" finds "pricing"); None when the query has no words."""
    words = words_of(query)
    if not words:
        return None
    if _is_sqlite(session):
        expression = " ".join('"' + w.replace('"', "") + '"*' for w in words)
        ids = text("SELECT rowid FROM content_fts WHERE content_fts MATCH :q").bindparams(q=expression)
        return col(Asset.id).in_(ids.columns(column("rowid")))
    tsquery = " & ".join(w.replace("'", "") + ":*" for w in words)
    return literal_column(TSV).op("@@")(func.to_tsquery("simple", tsquery))
