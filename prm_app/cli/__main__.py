"""python -m prm_app.cli <command>"""

from __future__ import annotations

import argparse


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m prm_app.cli", description="Open PRM command line")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("seed", help="insert the demo program (idempotent)")
    args = parser.parse_args(argv)
    if args.command == "seed":
        from prm_app.cli.seed import main as seed_main

        seed_main()


if __name__ == "__main__":
    main()
