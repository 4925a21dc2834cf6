"""Starting the server: `serve` for production, `demo` for the one-command demo (`make run`).

Production never seeds demo data and refuses to start while any account still has the demo password; the
demo migrates, seeds, prints the demo logins and says "Demo mode" in every page's header.
"""

from __future__ import annotations

import os
import sys

from prm_app.identity.demo import demo_password_refusal
from prm_app.platform.db import session_scope
from prm_app.platform.settings import PROJECT_DIR, settings


def migrate() -> None:
    """Bring the database to the newest schema (reviewed migrations in alembic/)."""
    from alembic import command
    from alembic.config import Config

    command.upgrade(Config(str(PROJECT_DIR / "alembic.ini")), "head")


def production_refusal() -> str | None:
    """Why a production server must not start on this database, or None."""
    with session_scope() as session:
        return demo_password_refusal(session)


def _exec_server(port: int) -> None:
    """Replace this process with the prod server (prm_app.web.server: the prod build, workers respawned when they
    die, and the job consumer beside it)."""
    os.chdir(PROJECT_DIR)
    args = [sys.executable, "-m", "prm_app.web.server", "--port", str(port)]
    os.execv(args[0], args)  # noqa: S606  (no shell involved)


def serve(port: int) -> int:
    """Production: migrate, check no demo password opens the server, then serve. Returns an exit code on refusal."""
    if settings.demo_mode:
        print("PRM_DEMO is set: that is the demo (`make run`). Unset it to serve production.", file=sys.stderr)
        return 2
    migrate()
    if reason := production_refusal():
        print(reason, file=sys.stderr)
        return 1
    print(f"Serving http://localhost:{port} (production mode; first start builds the frontend: about a minute)")
    _exec_server(port)
    return 0


def demo(port: int) -> int:
    """The one-command demo: migrate, seed the demo program, print its logins, serve in demo mode."""
    from prm_app.cli.seed import main as seed_main

    os.environ["PRM_DEMO"] = "1"
    migrate()
    if seeded := seed_main():
        return seeded
    print(f"\nServing http://localhost:{port} in demo mode (first start builds the frontend: about a minute)")
    _exec_server(port)
    return 0
