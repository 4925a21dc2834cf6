"""a person's language

app_user.language: the language a person reads the app in ("de"; one of prm_app.platform.i18n.LANGUAGES), ""
until known. Existing people get "": their browser's language is taken at their next sign-in, and until then they
read English, as before. Like app_user.phone, the column keeps its '' server default: dropping it would make
SQLite rebuild app_user, which most tables reference. Plain ADD/DROP COLUMN both ways.

Revision ID: d9f1b3c5e724
Revises: b7d1e3f5a902
Create Date: 2026-12-07 11:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d9f1b3c5e724"
down_revision: str | None = "b7d1e3f5a902"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("app_user", sa.Column("language", sa.String(length=8), server_default="", nullable=False))


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): batch mode would rebuild app_user (see above).
    op.drop_column("app_user", "language")
