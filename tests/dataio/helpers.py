"""A record import as the page and a job consumer run it, in one call: the file stored, the run started and
worked (small chunks, so a file spans several), its progress read back."""

from __future__ import annotations

from sqlalchemy import Engine

from prm_app.dataio.runs import import_progress, run_import, start_import
from prm_app.platform.access import Actor
from prm_app.platform.db import session_scope
from prm_app.platform.import_files import FolderStorage
from prm_app.platform.jobs_progress import RunProgress


def run_file(engine: Engine, storage: FolderStorage, actor: Actor, data: bytes | str, mode: str = "upsert", *,
             dry: bool, kind: str = "partners", key: str | None = None) -> tuple[RunProgress, str]:  # fmt: skip
    """Run `data` (or, with `key`, the upload stored under it); returns the run's progress and the upload's key."""
    if key is None:
        key, file = storage.create()
        with file:
            file.write(data.encode() if isinstance(data, str) else data)
    with session_scope(engine) as session:
        run_id = start_import(session, actor, kind, mode, key, [], storage, dry=dry)
    run_import(run_id, storage, lambda: session_scope(engine), chunk=7)
    with session_scope(engine) as session:
        return import_progress(session, actor, run_id), key


def counts(run: RunProgress) -> tuple[int, ...]:
    """(added, updated, skipped, failed) of a run."""
    return tuple(int(run.summary[k]) for k in ("added", "updated", "skipped", "failed"))
