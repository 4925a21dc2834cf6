"""job runs

Runs of long jobs started from a page (lead CSV imports first; prm_app/platform/jobs_progress.py): who started one,
its status, done/total counts, the position a resumed run continues from, the claim's attempt number (a fencing
token), a JSON summary and an error message. Indexes: a person's latest run of a kind (the page), and runs by
status and heartbeat (the periodic resend of stalled runs). A new table with no rows: nothing to backfill.

Revision ID: e71559b746cd
Revises: d9808f129d4d
Create Date: 2026-12-06 14:58:29.684259
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = "e71559b746cd"
down_revision: str | None = "d9808f129d4d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_job_run_organization_id_organization")
        ),
        sa.ForeignKeyConstraint(["started_by_id"], ["app_user.id"], name=op.f("fk_job_run_started_by_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_run")),
    )
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.create_index("ix_job_run_starter_kind", ["started_by_id", "kind", "id"], unique=False)
        batch_op.create_index("ix_job_run_status_heartbeat", ["status", "heartbeat_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.drop_index("ix_job_run_status_heartbeat")
        batch_op.drop_index("ix_job_run_starter_kind")

    op.drop_table("job_run")
