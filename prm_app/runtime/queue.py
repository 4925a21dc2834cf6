"""The job queue: huey, with the storage that matches how the app runs.

- Embedded default (no REFLEX_REDIS_URL): a SQLite file beside the app's SQLite database (or `prm-jobs.db` in the
  project when the database is PostgreSQL), so `make run` needs nothing else. PRM_JOBS_DB names another file.
- Scale-out (REFLEX_REDIS_URL set): Redis, shared by every consumer process (`python -m prm_app.cli worker`).

Why huey: one small, well-kept library with both storages, periodic tasks, retries and locks; the work itself
stays in the areas' domain functions, each of which takes its records at most once (a conditional UPDATE), so a
job that runs twice, or on two consumers at once, does nothing twice.
"""

from __future__ import annotations

from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey
from sqlalchemy.engine import make_url

from prm_app.platform.settings import PROJECT_DIR, Settings, settings


def jobs_file(db_url: str, named: Path | None = None) -> Path:
    """Where the embedded queue lives: `named` (PRM_JOBS_DB) if given, else beside a SQLite database
    (`prm.db` → `prm-jobs.db`), else in the project."""
    if named:
        return named
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        database = Path(url.database or "")
        return database.with_name(f"{database.stem}-jobs.db")
    return PROJECT_DIR / "prm-jobs.db"


def make_queue(config: Settings) -> Huey:
    """The queue for this deployment: Redis when scaled out, else a SQLite file (see the module docstring)."""
    if config.redis_url:
        return RedisHuey(config.jobs_queue, url=config.redis_url, utc=True)
    return SqliteHuey(config.jobs_queue, filename=str(jobs_file(config.db_url, config.jobs_db)), utc=True)


queue = make_queue(settings)
