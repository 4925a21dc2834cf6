"""Migrations are reviewed code: an empty database upgraded to head must match the models exactly, and the
downgrade must undo it cleanly (so the next upgrade works again)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import prm_app.areas  # noqa: F401  (registers every table)

ROOT = Path(__file__).resolve().parents[2]


def _migrate(engine: Engine, direction: str, revision: str) -> None:
    """Run alembic on `engine` through the connection hook in alembic/env.py (no URL, no app settings)."""
    with engine.begin() as connection:
        config = Config(str(ROOT / "alembic.ini"))
        config.attributes["connection"] = connection
        getattr(command, direction)(config, revision)


def _drift(engine: Engine, metadata: sa.MetaData = SQLModel.metadata) -> list:
    """What autogenerate would write for `metadata` against the database: [] means they agree."""
    with engine.connect() as connection:
        opts = {"compare_type": True, "compare_server_default": True, "include_name": _modelled}
        context = MigrationContext.configure(connection, opts=opts)
        return compare_metadata(context, metadata)


DERIVED = SQLModel.metadata.info.get("derived", set())  # made by migrations, no model's (e.g. a search index)


def _modelled(name: str | None, type_: str, parent_names: object) -> bool:
    return name not in DERIVED


def _tables(engine: Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - DERIVED


def test_empty_database_upgrades_to_the_models_and_back(empty_engine):
    assert _tables(empty_engine) == set()
    model_tables = set(SQLModel.metadata.tables)
    assert {"organization", "app_user", "auth_session", "invite", "audit_log"} <= model_tables

    _migrate(empty_engine, "upgrade", "head")

    assert _tables(empty_engine) == model_tables | {"alembic_version"}
    assert _drift(empty_engine) == []

    _migrate(empty_engine, "downgrade", "base")

    assert _tables(empty_engine) <= {"alembic_version"}

    _migrate(empty_engine, "upgrade", "head")

    assert _drift(empty_engine) == []


def test_drift_check_notices_a_changed_column_type(empty_engine):
    """Guards the test above: with compare_type on, a model that differs from the schema is reported."""
    _migrate(empty_engine, "upgrade", "head")
    changed = sa.MetaData(naming_convention=SQLModel.metadata.naming_convention)
    for table in SQLModel.metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["tier"].c.name.type = sa.String(41)

    diffs = _drift(empty_engine, changed)

    assert [d[0][0] for d in diffs] == ["modify_type"]
    assert diffs[0][0][2:4] == ("tier", "name")
