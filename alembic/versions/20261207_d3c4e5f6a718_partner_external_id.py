"""partners: an external id, the key of CSV imports (issue #17)

`organization.external_id`: the partner's id in another system (a CRM, a spreadsheet), unique when set; the record
imports of prm_app/dataio insert, update or upsert partners keyed by it. Existing partners have none (NULL).

Revision ID: d3c4e5f6a718
Revises: a3c5e7f9b1d2
Create Date: 2026-12-07 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d3c4e5f6a718"
down_revision: str | None = "a3c5e7f9b1d2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.add_column(sa.Column("external_id", sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint("uq_organization_external_id", ["external_id"])


def downgrade() -> None:
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_constraint("uq_organization_external_id", type_="unique")
        batch_op.drop_column("external_id")
