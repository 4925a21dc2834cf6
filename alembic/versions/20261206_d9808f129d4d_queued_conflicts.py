"""queued conflicts

The review queue's conflict figures, stored (prm_app/deals/matching/queued.py): one row per possible conflict of a
submitted registration, with its score while the other claim is protected and after. The queue then counts rows
instead of scoring every registration it shows (issue #10: 61 % of worker CPU under load). Also the lock row that
serializes their refreshes, and the backfill of every registration already waiting.

Revision ID: d9808f129d4d
Revises: 67fff7cc2b2f
Create Date: 2026-12-06 14:22:37.106083
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import prm_app.platform.clock

revision: str = 'd9808f129d4d'
down_revision: str | None = '67fff7cc2b2f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_LOCK = sa.table('app_lock', sa.column('name', sa.String), sa.column('counter', sa.Integer))


def upgrade() -> None:
    op.create_table('queued_conflict',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('other_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('protected_score', sa.Integer(), nullable=False),
    sa.Column('protected_until', prm_app.platform.clock.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['deal_id'], ['deal.id'], name=op.f('fk_queued_conflict_deal_id_deal')),
    sa.PrimaryKeyConstraint('deal_id', 'kind', 'other_id', name=op.f('pk_queued_conflict'))
    )
    # The row exists before the first refresh, so two first refreshes cannot both try to insert it.
    op.bulk_insert(APP_LOCK, [{'name': 'queued_conflicts', 'counter': 0}])
    _backfill()


def _backfill() -> None:
    """Score the registrations already waiting, with the app's own function (the scoring is Python: rapidfuzz).

    It reads the deal, direct_account, deal_product and conflict_key tables through today's models, so it only
    runs when there is something to score: a fresh database never imports it. If a later revision changes a column
    those models read, copy the function here as it was at this revision.
    """
    bind = op.get_bind()
    waiting = bind.execute(sa.text("SELECT count(*) FROM deal WHERE status = 'submitted'")).scalar_one()
    if not waiting:
        return
    from sqlmodel import Session

    import prm_app.areas  # noqa: F401  (every table on the metadata: the models reference each other)
    from prm_app.deals.matching.queued import rebuild_queued_conflicts

    with Session(bind=bind) as session:
        rebuild_queued_conflicts(session)
        session.commit()  # joined to alembic's transaction: this flushes, alembic commits


def downgrade() -> None:
    op.execute(APP_LOCK.delete().where(APP_LOCK.c.name == 'queued_conflicts'))
    op.drop_table('queued_conflict')
