"""fx: the rate a business event took, locked (fx_lock, written once: triggers refuse UPDATE and DELETE), and each
exchange rate's source and who entered it. Existing rates keep an empty source and no author.

Revision ID: c4e6a8b0d213
Revises: 9e3a1c5d7f4c
Create Date: 2026-12-07 11:43:59.209574
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = "c4e6a8b0d213"
down_revision: str | None = "9e3a1c5d7f4c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A copy of prm_app.fx.models.APPEND_ONLY_TRIGGERS as it was at this revision (a migration never changes with the
# code).
APPEND_ONLY_TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER fx_lock_no_update BEFORE UPDATE ON fx_lock "
        "BEGIN SELECT RAISE(ABORT, 'fx locks are written once'); END",
        "CREATE TRIGGER fx_lock_no_delete BEFORE DELETE ON fx_lock "
        "BEGIN SELECT RAISE(ABORT, 'fx locks are written once'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION fx_lock_written_once() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'fx locks are written once'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER fx_lock_no_change BEFORE UPDATE OR DELETE ON fx_lock "
        "FOR EACH ROW EXECUTE FUNCTION fx_lock_written_once()",
    ],
}


def upgrade() -> None:
    op.create_table(
        "fx_lock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("rate", sa.Numeric(precision=18, scale=8), nullable=False),
        sa.Column("rate_date", sa.Date(), nullable=False),
        sa.Column("rate_source", sa.String(length=120), nullable=False),
        sa.Column("corporate_currency", sa.String(length=3), nullable=False),
        sa.Column("corporate_amount", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("locked_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_fx_lock_organization_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fx_lock")),
        sa.UniqueConstraint("subject_kind", "subject_id", name=op.f("uq_fx_lock_subject_kind")),
    )
    with op.batch_alter_table("fx_lock", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fx_lock_event_date"), ["event_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_fx_lock_organization_id"), ["organization_id"], unique=False)

    with op.batch_alter_table("exchange_rate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=120), server_default=sa.text("''"), nullable=False))
        batch_op.add_column(sa.Column("entered_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("entered_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_exchange_rate_entered_by_id_app_user"), "app_user", ["entered_by_id"], ["id"]
        )

    for statement in APPEND_ONLY_TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS fx_lock_no_change ON fx_lock")
        op.execute("DROP FUNCTION IF EXISTS fx_lock_written_once()")
    with op.batch_alter_table("exchange_rate", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_exchange_rate_entered_by_id_app_user"), type_="foreignkey")
        batch_op.drop_column("entered_at")
        batch_op.drop_column("entered_by_id")
        batch_op.drop_column("source")

    with op.batch_alter_table("fx_lock", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fx_lock_organization_id"))
        batch_op.drop_index(batch_op.f("ix_fx_lock_event_date"))

    op.drop_table("fx_lock")
