"""rollup partner activity, covering rollup cells

rollup_partner.last_login_at and last_event_at: the instant of one of the partner's logins (events of any kind),
as of the last fold (prm_app/analytics/rollups.py). The engagement dashboard's active partners and least engaged
use them only as proof that a partner was active in a period (any stored value is a real event's instant), and
check the others raw: NULL (never filled yet) is always safe. Plain ADD/DROP COLUMN both ways; nothing to backfill
(the next fold fills them).

On PostgreSQL, rollup_cell's primary key also carries the sums (INCLUDE n, amount, lead_n, lead_amount), so a report
reads its cells from the index alone in key order (they were scattered over the table after a rebuild into a table
with free space here and there: 6.5k cells, 35 ms). SQLite has no INCLUDE: nothing changes there.

The cells gain a measure (won_p, per partner: the revenue dashboard's top partners), so the rollups start over: the
next fold (the job runner's, every minute, or `python -m prm_app.cli rebuild-rollups`) folds every day again, and
the reports read raw until then, as they do on a new database.

Revision ID: 45bae2f9618e
Revises: a3d5e7f9b1c2
Create Date: 2026-12-07 00:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = "45bae2f9618e"
down_revision: str | None = "a3d5e7f9b1c2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


PK_COLUMNS = "measure, cube, day, partner_type, tier_id, region, key"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"ALTER TABLE rollup_cell DROP CONSTRAINT pk_rollup_cell, ADD CONSTRAINT pk_rollup_cell PRIMARY KEY "
            f"({PK_COLUMNS}) INCLUDE (n, amount, lead_n, lead_amount)"
        )
    _start_over()
    op.add_column("rollup_partner", sa.Column("last_login_at", prm_app.platform.clock.UTCDateTime(timezone=True)))
    op.add_column("rollup_partner", sa.Column("last_event_at", prm_app.platform.clock.UTCDateTime(timezone=True)))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"ALTER TABLE rollup_cell DROP CONSTRAINT pk_rollup_cell, ADD CONSTRAINT pk_rollup_cell PRIMARY KEY "
            f"({PK_COLUMNS})"
        )
    op.drop_column("rollup_partner", "last_event_at")
    op.drop_column("rollup_partner", "last_login_at")
    _start_over()


def _start_over() -> None:
    """Forget every cell: 'nothing folded', so reports read raw until the next fold folds every day again."""
    for table in ("rollup_cell", "rollup_partner", "rollup_state"):
        op.execute(f"DELETE FROM {table}")  # noqa: S608  (a fixed table name)
