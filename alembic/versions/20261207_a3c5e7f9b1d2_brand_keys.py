"""deals: brand keys for multinational customers (issue #18)

Conflict checks now also read the records filed under the brand key of their site ("b:brand" for brand.de and
brand.co.jp alike: prm_app/deals/matching/multinational.py), and score one group's country sites and its group and
local entities as one customer. No schema change: this files every registration and direct account already
written under its keys, as a new one is filed, and rescores the registrations waiting for review, so the queue's
stored conflicts agree with the new rules from the first request on.

Revision ID: a3c5e7f9b1d2
Revises: d9f1b3c5e724
Create Date: 2026-12-07 12:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a3c5e7f9b1d2"
down_revision: str | None = "d9f1b3c5e724"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Re-file every record with the app's own key function (the keys are Python: the Public Suffix List, word
    lists), then rescore the waiting registrations. That goes through the app's models, which read the schema of
    the app's own version, so it is asked for here and runs after the upgrade's last revision
    (prm_app/deals/matching/refile.py; a fresh database, with nothing to file, never imports the models)."""
    from prm_app.deals.matching import refile

    refile.request(revision)


def downgrade() -> None:
    """The brand keys go; the name keys stay as they were. The waiting registrations' stored conflicts keep the
    scores of the new rules until the older code's next `rebuild_queued_conflicts` (run it after downgrading)."""
    op.execute(sa.text("DELETE FROM conflict_key WHERE key LIKE 'b:%'"))
