"""content: the library's full-text index made here, and an asset's publish window in the manager's zone

The search index was made by the app the first time the library searched or wrote; now the schema has it from
the start: on SQLite an external-content FTS5 table over content_asset with triggers on insert, update and delete,
filled from the assets already there ('rebuild'); on PostgreSQL a GIN index on to_tsvector('simple', title ||
description || tags), which PostgreSQL keeps itself. Both are named in prm_app/content/search_index.py (the statements
are imported from there: changing them needs a migration of its own). IF NOT EXISTS: a database whose app had
already made them keeps them.

content_asset.time_zone: the IANA zone the publish and expiry moments were entered in. Existing assets had whole UTC
days, so they get "UTC", also the kept server default: a plain ADD/DROP COLUMN, no table rebuild on SQLite (a
rebuild would drop the triggers with the old table).

Revision ID: 3e7a5c9d1f86
Revises: 8d2f0b4c6e3b
Create Date: 2026-12-07 08:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from prm_app.content.search_index import PG_DROP, PG_INDEX, SQLITE_DROP, SQLITE_FILL, SQLITE_INDEX

revision: str = "3e7a5c9d1f86"
down_revision: str | None = "8d2f0b4c6e3b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("content_asset", sa.Column("time_zone", sa.String(length=64), server_default="UTC", nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_INDEX)
        return
    for statement in SQLITE_INDEX:
        op.execute(statement)
    op.execute(SQLITE_FILL)


def downgrade() -> None:
    for statement in [PG_DROP] if op.get_bind().dialect.name == "postgresql" else SQLITE_DROP:
        op.execute(statement)
    op.drop_column("content_asset", "time_zone")
