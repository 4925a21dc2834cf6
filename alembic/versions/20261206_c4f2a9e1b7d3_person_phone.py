"""a person's phone

app_user.phone: the phone a person gives on their account page, "" when not given (existing people get "").
The column keeps its '' server default (the model declares it as text("''"), which both dialects report back
equal): dropping it would make SQLite rebuild app_user, which sessions, drafts, deals and the audit log
reference, and with foreign keys on that fails on any database holding data. Plain ADD/DROP COLUMN both ways.

Revision ID: c4f2a9e1b7d3
Revises: ebbe4dc34920
Create Date: 2026-12-06 21:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4f2a9e1b7d3"
down_revision: str | None = "ebbe4dc34920"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("app_user", sa.Column("phone", sa.String(length=30), server_default="", nullable=False))


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): batch mode would rebuild app_user (see above).
    op.drop_column("app_user", "phone")
