"""tier overrides wait for a second approver

tier_override: a manual tier change one manager asks for with its reason, pending until a different manager (or an
admin) approves or rejects it. `open_for` (UNIQUE, the partner's id while pending, NULL once decided) keeps one
override waiting per partner on SQLite and PostgreSQL alike. A new table only: the downgrade drops it.

Revision ID: 6b0d8f2a4c19
Revises: 2d6f4b8c0e75
Create Date: 2026-12-07 08:30:29.552877
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = '6b0d8f2a4c19'
down_revision: str | None = '2d6f4b8c0e75'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('tier_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('from_tier_id', sa.Integer(), nullable=False),
    sa.Column('to_tier_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('asked_by_id', sa.Integer(), nullable=False),
    sa.Column('asked_at', prm_app.platform.clock.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('open_for', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['asked_by_id'], ['app_user.id'], name=op.f('fk_tier_override_asked_by_id_app_user')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['app_user.id'], name=op.f('fk_tier_override_decided_by_id_app_user')),
    sa.ForeignKeyConstraint(['from_tier_id'], ['tier.id'], name=op.f('fk_tier_override_from_tier_id_tier')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_tier_override_organization_id_organization')),
    sa.ForeignKeyConstraint(['to_tier_id'], ['tier.id'], name=op.f('fk_tier_override_to_tier_id_tier')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tier_override')),
    sa.UniqueConstraint('open_for', name=op.f('uq_tier_override_open_for'))
    )
    with op.batch_alter_table('tier_override', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tier_override_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tier_override_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('tier_override', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tier_override_status'))
        batch_op.drop_index(batch_op.f('ix_tier_override_organization_id'))

    op.drop_table('tier_override')
