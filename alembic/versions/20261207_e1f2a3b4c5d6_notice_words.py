"""notices: the sentence a notice says, kept as a catalogue key and its values, so each reader reads it in their
language

notification.words: JSON of the notice's Words (key, values, count), NULL for a notice written before (or by an
area that gives none): those keep showing their English `message`. No ORM models are read.

Revision ID: e1f2a3b4c5d6
Revises: b8c9d0e1f2a3
Create Date: 2026-12-07 22:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1f2a3b4c5d6"
down_revision: str | None = "b8c9d0e1f2a3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("words", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_column("words")
