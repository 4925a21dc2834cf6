"""organization address, phone and logo; form drafts

A partner admin keeps the organization's postal address (street and postal code beside the existing city and
country), phone and logo (a random file name in the logo storage and its checked image type). Existing
organizations get '' for each: no address known yet, no logo. The columns keep their '' server default (the
model declares it as text("''"), which both dialects report back equal): dropping it would make SQLite rebuild
the organization table, which every person, deal and lead references, and with foreign keys on that fails on
any database holding data (the restore-an-older-backup test caught it; downgrade drops the columns with plain
ALTER TABLE for the same reason). Form drafts (prm_app/identity/drafts.py): one row per person and form with
the fields typed so far, unique per (user, form); a new table with no rows.

Revision ID: 6a6c00a4cda1
Revises: 3d7006a815fa
Create Date: 2026-12-06 19:56:06.852667
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = "6a6c00a4cda1"
down_revision: str | None = "3d7006a815fa"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "form_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("form", sa.String(length=60), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("saved_at", prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_form_draft_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_draft")),
        sa.UniqueConstraint("user_id", "form", name="uq_form_draft_user_id_form"),
    )
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.add_column(sa.Column("street", sa.String(length=200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("postal_code", sa.String(length=20), server_default="", nullable=False))
        batch_op.add_column(sa.Column("phone", sa.String(length=40), server_default="", nullable=False))
        batch_op.add_column(sa.Column("logo_key", sa.String(length=32), server_default="", nullable=False))
        batch_op.add_column(sa.Column("logo_type", sa.String(length=20), server_default="", nullable=False))


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+ has it): batch mode would rebuild the organization table,
    # which fails with foreign keys on once people, deals and leads reference it.
    for name in ("logo_type", "logo_key", "phone", "postal_code", "street"):
        op.drop_column("organization", name)
    op.drop_table("form_draft")
