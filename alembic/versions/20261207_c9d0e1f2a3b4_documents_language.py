"""documents in the reader's language: agreement language versions, the language signed, the applicant's language;
Japanese-script names re-filed for conflict checks (issue #18)

`agreement_version_text`: a published agreement version's text in another language (one per version and language).
`agreement_signature.language`: which language version an organization signed ("en" for every earlier signature:
they signed the version's own, English, text). `recruitment_application.language`: the language the applicant's
browser asked for, in which every email to them is written ("en" for earlier applications).

Conflict keys: names are now also filed under a sound key ("s:brnd" for Brand, "k:brnd" for ブランド) and Japanese
names with glued group/country words are keyed by their core (prm_app/deals/matching/kana.py), so existing records
are re-filed as in a3c5e7f9b1d2.

Revision ID: c9d0e1f2a3b4
Revises: 7a8b9c0d1e2f
Create Date: 2026-12-07 22:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c9d0e1f2a3b4"
down_revision: str | None = "7a8b9c0d1e2f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agreement_version_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["agreement_version.id"]),
        sa.ForeignKeyConstraint(["updated_by_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version_id", "language"),
    )
    op.add_column(
        "agreement_signature", sa.Column("language", sa.String(length=8), nullable=False, server_default="en")
    )
    op.add_column(
        "recruitment_application", sa.Column("language", sa.String(length=8), nullable=False, server_default="en")
    )
    _refile_conflict_keys()


def _refile_conflict_keys() -> None:
    """As a3c5e7f9b1d2: re-file every record with the app's own key function (now with the sound keys of katakana
    names) and rescore the waiting registrations, after the upgrade's last revision
    (prm_app/deals/matching/refile.py)."""
    from prm_app.deals.matching import refile

    refile.request(revision)


def downgrade() -> None:
    """The sound keys go (the older code never reads them); the language columns and texts go."""
    op.execute(sa.text("DELETE FROM conflict_key WHERE key LIKE 's:%' OR key LIKE 'k:%'"))
    op.drop_column("recruitment_application", "language")
    op.drop_column("agreement_signature", "language")
    op.drop_table("agreement_version_text")
