"""rollup partner activity

rollup_partner.last_login_at and last_event_at: the instant of one of the partner's logins (events of any kind),
as of the last fold (prm_app/analytics/rollups.py). The engagement dashboard's active partners and least engaged
use them only as proof that a partner was active in a period (any stored value is a real event's instant), and
check the others raw: NULL (never filled yet) is always safe. Plain ADD/DROP COLUMN both ways; nothing to backfill
(the next fold fills them).

Revision ID: a3d5e7f9b1c2
Revises: c4f2a9e1b7d3
Create Date: 2026-12-06 23:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = "a3d5e7f9b1c2"
down_revision: str | None = "c4f2a9e1b7d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("rollup_partner", sa.Column("last_login_at", prm_app.platform.clock.UTCDateTime(timezone=True)))
    op.add_column("rollup_partner", sa.Column("last_event_at", prm_app.platform.clock.UTCDateTime(timezone=True)))


def downgrade() -> None:
    op.drop_column("rollup_partner", "last_event_at")
    op.drop_column("rollup_partner", "last_login_at")
