"""partners: an external id, the key of CSV imports (issue #17)

`organization.external_id`: the partner's id in another system (a CRM, a spreadsheet), unique when set; the record
imports of prm_app/dataio insert, update or upsert partners keyed by it. Existing partners have none (NULL).

Revision ID: d3c4e5f6a718
Revises: f1a2b3c4d516
Create Date: 2026-12-07 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d3c4e5f6a718"
down_revision: str | None = "f1a2b3c4d516"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN and a unique index: SQLite's batch mode would recreate the table, which the tables
    # referencing organization (foreign keys on) forbid.
    op.add_column("organization", sa.Column("external_id", sa.String(length=100), nullable=True))
    op.create_index("ix_organization_external_id", "organization", ["external_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_organization_external_id", table_name="organization")
    op.execute("ALTER TABLE organization DROP COLUMN external_id")  # SQLite >= 3.35 and PostgreSQL alike
