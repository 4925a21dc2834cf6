"""Alembic runs against the same URL as the app (REFLEX_DB_URL or the SQLite default), or a URL given
by the caller as `config.attributes["connection"]` (tests)."""

from alembic import context
from sqlmodel import SQLModel

import prm_app.areas  # noqa: F401  (registers every table)
from prm_app.deals.matching import refile
from prm_app.platform.db import make_engine
from prm_app.platform.settings import settings

config = context.config
target_metadata = SQLModel.metadata


def is_modelled(name: str | None, type_: str, parent_names: object) -> bool:
    """Derived schema objects no model declares (a search index, its shadow tables) are left to migrations."""
    return name not in target_metadata.info.get("derived", ())


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        compare_server_default=True,
        include_name=is_modelled,
        render_as_batch=connection.dialect.name == "sqlite",
    )


def _migrate(connection) -> None:
    """The revisions, then what they asked to run once the schema is the app's (a conflict-key re-file), in the
    same transaction."""
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()
        refile.run(connection)


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or settings.db_url)
    with engine.connect() as conn:
        _migrate(conn)
    engine.dispose()


run_migrations_online()
