"""The library's full-text index is schema (prm_app/content/search_index.py): the migration makes it and indexes the
assets already there, and every write keeps it current (create, edit, new version, purge), on SQLite (FTS5 and
triggers) and PostgreSQL (GIN expression index)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlmodel import Session, select

from prm_app.audience import AudienceRule
from prm_app.content.models import Asset
from prm_app.content.rules import AssetInput
from prm_app.content.search import matching
from prm_app.content.service import add_version, create_asset, purge_deleted, update_asset
from prm_app.platform.access import Role
from prm_app.platform.clock import utcnow
from tests.content.factories import pdf_bytes, put
from tests.factories import actor_for, make_user
from tests.migrations.test_migrations import ROOT, _migrate

REVISION = "3e7a5c9d1f86"


def found(session: Session, words: str) -> list[str]:
    condition = matching(session, words)
    assert condition is not None
    return list(session.exec(select(Asset.slug).where(condition).order_by(Asset.slug)).all())


def test_the_migration_indexes_the_assets_a_database_already_had(empty_engine):
    before = ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini"))).get_revision(REVISION).down_revision
    assert isinstance(before, str)
    _migrate(empty_engine, "upgrade", before)
    with empty_engine.begin() as connection:  # an asset stored before the index existed (raw: the model is newer)
        connection.execute(
            sa.text(
                "INSERT INTO content_asset (slug, title, description, category, tags, product, language, folder, "
                "kind, link_url, audience, publish_at, current_n, is_cobrand, created_at) VALUES ('old-sheet', "
                "'Storage price sheet', 'Quarterly prices for the quasar range', 'sales', 'pricing', '', 'en', '', "
                "'link', 'https://example.com', '{}', :now, 1, :no, :now)"
            ),
            {"now": utcnow(), "no": False},
        )

    _migrate(empty_engine, "upgrade", REVISION)

    with Session(empty_engine) as session:
        assert found(session, "quasar") == ["old-sheet"]
        assert found(session, "pric stor") == ["old-sheet"]  # prefixes, every word
        assert found(session, "nebula") == []
    _migrate(empty_engine, "downgrade", before)
    _migrate(empty_engine, "upgrade", REVISION)  # and back: the index is made again, filled again
    with Session(empty_engine) as session:
        assert found(session, "quasar") == ["old-sheet"]


def test_every_write_keeps_the_index_current(session, stores):
    manager = actor_for(make_user(session, Role.CHANNEL_MANAGER))
    admin = actor_for(make_user(session, Role.ADMIN))
    data = AssetInput(title="Orbit battlecard", description="Against the comet suite", category="competitive")
    made = create_asset(session, manager, data, AudienceRule(), put(pdf_bytes("v1")), sha256="x")
    session.commit()
    assert found(session, "comet") == [made.slug]

    asset = session.exec(select(Asset).where(Asset.slug == made.slug)).one()
    edited = AssetInput(title="Orbit battlecard", description="Against the meteor suite", category="competitive")
    update_asset(session, manager, asset.id or 0, edited, AudienceRule())
    session.commit()
    assert found(session, "comet") == [] and found(session, "meteor") == [made.slug]

    add_version(session, manager, asset.id or 0, put(pdf_bytes("v2")), sha256="y")
    session.commit()
    assert found(session, "meteor orbit") == [made.slug]

    asset.deleted_at = utcnow() - timedelta(days=31)
    session.add(asset)
    session.commit()
    purge_deleted(session, admin)
    session.commit()
    assert found(session, "meteor") == []


def _plan(session: Session, words: str) -> str:
    """The database's plan for the library's search condition (PostgreSQL told not to scan the table when it has
    any other way: a few rows would make a scan cheapest, and what is proven is that the index can serve it)."""
    condition = matching(session, words)
    assert condition is not None
    statement = select(Asset.id).where(condition).compile(session.get_bind())
    if session.get_bind().dialect.name == "sqlite":
        params: object = tuple(statement.params[name] for name in statement.positiontup or ())
        explain = "EXPLAIN QUERY PLAN "
    else:
        session.execute(sa.text("SET LOCAL enable_seqscan = off"))
        params, explain = statement.params, "EXPLAIN "
    rows = session.connection().exec_driver_sql(explain + str(statement), params).all()  # type: ignore[arg-type]
    return "\n".join(" ".join(str(part) for part in row) for row in rows)


def test_a_database_migrated_to_head_searches_through_its_index(empty_engine):
    """The index a real database has is the migration's (not create_all's): at head, with every later migration
    applied, an asset written is found (SQLite: the triggers survived), and the search condition's expression is
    the one indexed (PostgreSQL) or matches the FTS5 table (SQLite)."""
    _migrate(empty_engine, "upgrade", "head")
    with empty_engine.begin() as connection:  # a later migration rebuilding content_asset (SQLite batch) would
        connection.execute(  # have dropped the triggers with the old table: this asset would not be found
            sa.text(
                "INSERT INTO content_asset (slug, title, description, category, tags, product, language, folder, "
                "kind, link_url, audience, publish_at, current_n, is_cobrand, created_at) VALUES ('new-sheet', "
                "'Storage price sheet', 'For the quasar range', 'sales', 'pricing', '', 'en', '', 'link', "
                "'https://example.com', '{}', :now, 1, :no, :now)"
            ),
            {"now": utcnow(), "no": False},
        )
    with Session(empty_engine) as session:
        assert found(session, "quasar pric") == ["new-sheet"]
        plan = _plan(session, "quasar pric")
    if empty_engine.dialect.name == "sqlite":
        assert "VIRTUAL TABLE INDEX" in plan and "content_fts" in plan, plan
    else:
        assert "ix_content_asset_fts" in plan, plan
