"""Full-text search over assets' titles, descriptions and tags behind one function, `matching(session, words)`:
SQLite's FTS5 on the embedded default, PostgreSQL's full-text search in scale-out.

The index itself (FTS5 table and triggers, GIN expression index) is schema: prm_app/content/search_index.py."""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, and_, column, false, func, literal_column, or_, text
from sqlmodel import Session, col, select

from prm_app.content.models import Asset, AssetVariant
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


def in_variant_words(query: str, language: str) -> ColumnElement[bool]:
    """A condition on Asset for assets whose variant in `language` holds every word of `query` in its title or
    description (variants are few: a LIKE per word, not an index)."""
    words = words_of(query)
    if not words:
        return false()
    found = [
        or_(
            col(AssetVariant.title).ilike(f"%{w}%", escape="\\"),
            col(AssetVariant.description).ilike(f"%{w}%", escape="\\"),
        )
        for w in (_escaped(w) for w in words)
    ]
    ids = select(AssetVariant.asset_id).where(AssetVariant.language == language, and_(*found))
    return col(Asset.id).in_(ids)


def with_variant_in(language: str) -> ColumnElement[bool]:
    """A condition on Asset for assets with a variant in `language`."""
    return col(Asset.id).in_(select(AssetVariant.asset_id).where(AssetVariant.language == language[:8]))


def _escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
