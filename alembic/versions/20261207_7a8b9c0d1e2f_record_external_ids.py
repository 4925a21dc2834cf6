"""record imports: leads get an external id, the key of CSV imports, and every row's outcome is kept (issue #17)

`lead.external_id`: the lead's id in another system (a CRM, a marketing tool), unique when set; the record imports
of prm_app/dataio insert, update or upsert leads keyed by it (a row without one is keyed by its domain and contact
e-mail, prm_app/leads/table.py). Existing leads have none (NULL).

`import_row_result`: each row's line, key, outcome and reason of a record import run, for the results file.

Revision ID: 7a8b9c0d1e2f
Revises: d3c4e5f6a718
Create Date: 2026-12-07 18:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7a8b9c0d1e2f"
down_revision: str | None = "d3c4e5f6a718"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN and a unique index, as for organization.external_id (no batch-mode table rebuild).
    op.add_column("lead", sa.Column("external_id", sa.String(length=100), nullable=True))
    op.create_index("ix_lead_external_id", "lead", ["external_id"], unique=True)
    op.create_table(
        "import_row_result",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("message", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["job_run.id"]),
        sa.PrimaryKeyConstraint("run_id", "line"),
    )


def downgrade() -> None:
    op.drop_table("import_row_result")
    op.drop_index("ix_lead_external_id", table_name="lead")
    op.execute("ALTER TABLE lead DROP COLUMN external_id")  # SQLite >= 3.35 and PostgreSQL alike
