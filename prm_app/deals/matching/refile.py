"""Re-filing every deal and direct account under the app's conflict keys, asked for by a migration.

The keys are Python (the Public Suffix List, word lists, readings of Japanese names), so a migration that changes
them cannot say them in SQL: the re-file goes through today's models (`reindex_conflict_keys`, then
`rebuild_queued_conflicts` rescoring the waiting registrations). Those models read today's columns. In an upgrade
through several revisions, a revision in the middle meets tables without a column a later revision adds
(`deal.external_id`), and reading a deal there failed. So a migration only asks (`request`), and the re-file runs
once, after the last revision of the run, when the schema is the one the models read (alembic/env.py calls `run`).
An upgrade that stops before such a schema is refused with the reason, rather than left with stale keys.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

_asked: list[str] = []  # the revisions of this process's upgrade that asked for a re-file


def request(revision: str) -> None:
    """Ask for the re-file at the end of this upgrade (a migration's `upgrade()` calls it)."""
    _asked.append(revision)


def run(connection: Connection) -> None:
    """Re-file once if a revision of this upgrade asked and there is something to file; then forget the asks."""
    asked = list(_asked)
    _asked.clear()
    if not asked:
        return
    records = connection.execute(
        sa.text("SELECT (SELECT count(*) FROM deal) + (SELECT count(*) FROM direct_account)")
    ).scalar_one()
    if not records:
        return  # a fresh database never imports the models
    from sqlmodel import Session, SQLModel

    import prm_app.areas  # noqa: F401  (every table on the metadata: the models reference each other)
    from prm_app.deals.matching.queued import rebuild_queued_conflicts
    from prm_app.deals.matching.store import reindex_conflict_keys

    missing = _columns_missing(connection, SQLModel.metadata)
    if missing:
        raise RuntimeError(
            f"{', '.join(asked)} re-file the conflict keys with this version's models, which read columns this "
            f"database does not have yet ({', '.join(missing[:5])}): upgrade to head"
        )
    with Session(bind=connection) as session:
        reindex_conflict_keys(session)
        rebuild_queued_conflicts(session)
        session.commit()  # joined to alembic's transaction: this flushes, alembic commits


def _columns_missing(connection: Connection, metadata: sa.MetaData) -> list[str]:
    """The modelled columns the database's tables lack ("deal.external_id"). Every table is checked, not only those
    the re-file reads first: the models load related rows too."""
    inspector = sa.inspect(connection)
    present_tables = set(inspector.get_table_names())
    missing = []
    for name, table in metadata.tables.items():
        if name not in present_tables:
            missing.append(name)
            continue
        present = {column["name"] for column in inspector.get_columns(name)}
        missing += [f"{name}.{column.name}" for column in table.columns if column.name not in present]
    return missing
