"""python -m prm_app.cli <command>: seed | demo | serve | worker | create-admin | backup | restore
| rebuild-rollups"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TextIO


def _password(stream: TextIO = sys.stdin) -> str:
    """Asked twice at a terminal; otherwise the first line of stdin (for scripts: `echo … | … create-admin`)."""
    if stream.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password again: "):
            raise SystemExit("The two passwords differ; nothing was created.")
        return first
    return stream.readline().rstrip("\r\n")


def create_admin_command(email: str, name: str) -> int:
    from prm_app.cli.serve import migrate
    from prm_app.identity.demo import create_admin
    from prm_app.platform.db import session_scope
    from prm_app.platform.errors import ValidationError

    password = _password()
    migrate()  # the first administrator usually comes before the first start
    try:
        with session_scope() as session:
            create_admin(session, email, name, password)
    except ValidationError as error:
        print(f"Not created: {error}", file=sys.stderr)
        return 1
    print(f"Administrator {email.strip().lower()} created; sign in at the app's /login page.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m prm_app.cli", description="Open PRM command line")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("seed", help="insert the demo program (idempotent; refuses a database that is not a demo)")
    for name, help_text in (
        ("demo", "migrate, seed the demo program, print its logins and serve it (what `make run` does)"),
        ("serve", "production: migrate and serve; never seeds, refuses while an account has the demo password"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--port", type=int, default=3000)
    admin = commands.add_parser("create-admin", help="create an administrator (password asked, or read from stdin)")
    admin.add_argument("email")
    admin.add_argument("--name", default="", help="full name (default: the email's local part)")
    worker = commands.add_parser("worker", help="run a job-queue consumer (scale-out runs these beside the web server)")
    worker.add_argument("--threads", type=int, default=2, help="jobs run at once in this process")
    worker.add_argument("--parent", type=int, default=None, help="stop when this process id is gone")
    backup = commands.add_parser("backup", help="copy the database into one verified file (safe while serving)")
    backup.add_argument("--to", type=Path, help="a new file, or a folder (default: backups/prm-<UTC time>.<kind>)")
    restore = commands.add_parser("restore", help="replace the database with a backup (stop the server first)")
    restore.add_argument("path", type=Path, help="a file written by `backup`")
    restore.add_argument("--yes", action="store_true", help="replace a database that holds data")
    commands.add_parser("rebuild-rollups", help="fold the dashboards' daily rollups again from the raw data")
    commands.add_parser("backfill-fx-locks", help="lock the rate of deals won before rates were locked (idempotent)")
    args = parser.parse_args(argv)
    if args.command == "backfill-fx-locks":
        from prm_app.cli.fx_locks import backfill_command

        return backfill_command()
    if args.command == "rebuild-rollups":
        from prm_app.cli.rollups import rebuild_command

        return rebuild_command()
    if args.command == "worker":
        from prm_app.cli.worker import main as worker_main

        return worker_main(args.threads, args.parent)
    if args.command == "backup":
        from prm_app.cli.backup import backup_command

        return backup_command(args.to)
    if args.command == "restore":
        from prm_app.cli.backup import restore_command

        return restore_command(args.path, args.yes)
    if args.command == "seed":
        from prm_app.cli.seed import main as seed_main

        return seed_main()
    if args.command in ("demo", "serve"):
        from prm_app.cli import serve

        return serve.demo(args.port) if args.command == "demo" else serve.serve(args.port)
    return create_admin_command(args.email, args.name)


if __name__ == "__main__":
    sys.exit(main())
