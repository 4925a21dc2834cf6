"""`python -m prm_app.cli seed`: the demo program for `make run`, every area's demo data in dependency order.

Each area with demo data has a `seed.py` whose `seed(session) -> {what: how many created}` finds its rows by
natural keys and never duplicates them, so seeding again only fills gaps. The areas run in the order of
`prm_app.areas.AREAS` (lowest first: partners and people before the deals, leads and surveys that refer to them),
so a new area's demo data needs no change here.
"""

from __future__ import annotations

import sys
from importlib import import_module
from importlib.util import find_spec

from sqlmodel import Session

from prm_app.areas import AREAS
from prm_app.identity import DEMO_PASSWORD
from prm_app.identity.demo import demo_seeding_refusal
from prm_app.partners.seed import demo_logins
from prm_app.platform.db import session_scope


def seed_demo(session: Session) -> dict[str, int]:
    """Every area's demo data, lowest area first; returns how many of each kind were created."""
    created: dict[str, int] = {}
    for area in AREAS:
        if find_spec(f"prm_app.{area}.seed") is not None:
            created |= import_module(f"prm_app.{area}.seed").seed(session)
            session.flush()  # the next area looks these rows up
    return created


def main() -> int:
    with session_scope() as session:
        if refusal := demo_seeding_refusal(session):
            print(refusal, file=sys.stderr)
            return 1
        created = seed_demo(session)
    print("Demo data created (existing rows kept): " + ", ".join(f"{n} {what}" for what, n in created.items()) + ".")
    print(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    for role, email, org in demo_logins():
        print(f"  {role:<16} {email:<40} {org}")
    return 0
