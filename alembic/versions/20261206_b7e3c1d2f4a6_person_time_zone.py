"""a person's time zone

app_user.time_zone: the IANA zone a person reads times in ("Europe/Lisbon"), "" until set. Existing people get ""
(a server default for the existing rows only, dropped again: the model has none): their browser's zone is taken at their next sign-in, and until then they see UTC, as before.

Revision ID: b7e3c1d2f4a6
Revises: 6a6c00a4cda1
Create Date: 2026-12-06 20:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7e3c1d2f4a6"
down_revision: str | None = "6a6c00a4cda1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("time_zone", sa.String(length=64), nullable=False, server_default=""))
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.alter_column("time_zone", existing_type=sa.String(length=64), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("time_zone")
