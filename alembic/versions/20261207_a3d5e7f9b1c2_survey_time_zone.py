"""a survey's days have a zone

nps_survey.time_zone: the IANA zone of the days the launching manager chose ("America/Los_Angeles"). Existing
surveys were entered as UTC days (the form turned a day into 00:00 and 23:59:59 UTC), so they get "UTC", which is
also the column's kept server default (the model declares it as text("'UTC'")): plain ADD/DROP COLUMN both ways,
no table rebuild on SQLite.

Revision ID: a3d5e7f9b1c2
Revises: c4f2a9e1b7d3
Create Date: 2026-12-07 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a3d5e7f9b1c2"
down_revision: str | None = "c4f2a9e1b7d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("nps_survey", sa.Column("time_zone", sa.String(length=64), server_default="UTC", nullable=False))


def downgrade() -> None:
    op.drop_column("nps_survey", "time_zone")
