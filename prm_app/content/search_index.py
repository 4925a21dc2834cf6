"""The library's full-text index as schema: the statements that make and drop it, for the migration that made it
and for databases made from the models (tests, benches), which get it through `attach_index`.

On SQLite the index is a derived table kept by triggers (an external-content FTS5 table over content_asset, so
every insert, edit and purge of an asset updates it in the same transaction); PostgreSQL matches
`to_tsvector('simple', …)` of the same columns, served by a GIN expression index, which PostgreSQL keeps itself.
The migration makes both (and fills the SQLite index from the assets already there); a database made from the
models (tests, benches) gets them from the DDL hooks below. Neither is a model's: they are listed in
`SQLModel.metadata.info["derived"]`, which the schema comparisons (alembic/env.py, the migration test) skip.

Pitfall: a later migration that rebuilds content_asset on SQLite (batch mode: copy, drop, rename) drops the
triggers with the old table; it must run SQLITE_INDEX again and rebuild. Changing these statements needs a
migration too: the one that made the index imports them."""

from __future__ import annotations

from sqlalchemy import DDL, Table, event

TSV = (
    "to_tsvector('simple', coalesce(content_asset.title, '') || ' ' || coalesce(content_asset.description, '')"
    " || ' ' || coalesce(content_asset.tags, ''))"
)

SQLITE_INDEX = [
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


PG_INDEX = (
    f"CREATE INDEX IF NOT EXISTS ix_content_asset_fts ON content_asset USING gin ({TSV.replace('content_asset.', '')})"
)
SQLITE_FILL = "INSERT INTO content_fts(content_fts) VALUES ('rebuild')"
SQLITE_DROP = ["DROP TRIGGER IF EXISTS content_fts_ai", "DROP TRIGGER IF EXISTS content_fts_ad",
               "DROP TRIGGER IF EXISTS content_fts_au", "DROP TABLE IF EXISTS content_fts"]  # fmt: skip
PG_DROP = "DROP INDEX IF EXISTS ix_content_asset_fts"
# What the schema comparisons skip: FTS5's table and its shadow tables, the GIN expression index.
DERIVED = ("content_fts", "content_fts_data", "content_fts_idx", "content_fts_docsize", "content_fts_config",
           "ix_content_asset_fts")  # fmt: skip


def attach_index(table: Table) -> None:
    """Make the index with `table` (content_asset) whenever the models create it, and tell the schema comparisons
    to skip it (models.py calls this once)."""
    if table.metadata.info.setdefault("derived", set()).issuperset(DERIVED):
        return
    table.metadata.info["derived"].update(DERIVED)
    for statement in SQLITE_INDEX:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))  # type: ignore[no-untyped-call]
    event.listen(table, "after_create", DDL(PG_INDEX).execute_if(dialect="postgresql"))  # type: ignore[no-untyped-call]
    event.listen(table, "after_drop", DDL(SQLITE_DROP[-1]).execute_if(dialect="sqlite"))  # type: ignore[no-untyped-call]
