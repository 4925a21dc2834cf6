"""people and deal imports: deals and people get an external id, invitations carry the imported profile (issue #17)

`deal.external_id` and `app_user.external_id`: the record's id in another system (a CRM), unique within the
record's partner when set (each partner's CRM numbers its own: two may both have a deal 1); the
record imports of prm_app/dataio insert, update or upsert deals and people keyed by it (a person without one is
keyed by their e-mail address). Existing rows have none (NULL).

`invite.external_id`, `invite.title`, `invite.phone`, `invite.language`: what an imported row says about a person
who is invited rather than created (a person sets their own password, so an import invites them); accepting the
invitation copies them onto the new user, and a rerun of the same file finds the pending invitation unchanged.

Revision ID: d0e1f2a3b4c5
Revises: c9d0e1f2a3b4
Create Date: 2026-12-07 22:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d0e1f2a3b4c5"
down_revision: str | None = "c9d0e1f2a3b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXTS = (("title", 120), ("phone", 30), ("language", 8))


def upgrade() -> None:
    # Plain ADD COLUMNs and unique indexes, as for lead.external_id (no batch-mode table rebuild).
    for table in ("deal", "app_user", "invite"):
        op.add_column(table, sa.Column("external_id", sa.String(length=100), nullable=True))
    op.create_index("ix_deal_external_id", "deal", ["external_id", "organization_id"], unique=True)
    op.create_index("ix_app_user_external_id", "app_user", ["external_id", "organization_id"], unique=True)
    op.create_index("ix_invite_external_id", "invite", ["external_id"], unique=False)
    for name, length in _TEXTS:
        op.add_column(
            "invite", sa.Column(name, sa.String(length=length), nullable=False, server_default=sa.text("''"))
        )


def downgrade() -> None:
    for name, _length in _TEXTS:
        op.execute(f"ALTER TABLE invite DROP COLUMN {name}")  # SQLite >= 3.35 and PostgreSQL alike
    op.drop_index("ix_invite_external_id", table_name="invite")
    op.drop_index("ix_app_user_external_id", table_name="app_user")
    op.drop_index("ix_deal_external_id", table_name="deal")
    for table in ("invite", "app_user", "deal"):
        op.execute(f"ALTER TABLE {table} DROP COLUMN external_id")
