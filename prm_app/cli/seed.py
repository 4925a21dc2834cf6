"""`python -m prm_app.cli seed`: the demo program for `make run`, every area's demo data in dependency order.
Safe to run again: each area's seed finds its rows by natural keys and never duplicates them."""

from __future__ import annotations

import sys

from sqlmodel import Session

from prm_app.analytics.seed import seed_rates
from prm_app.deals.seed import seed_deals
from prm_app.identity import DEMO_PASSWORD
from prm_app.identity.demo import demo_seeding_refusal
from prm_app.leads.seed import seed_leads
from prm_app.nps.seed import seed_nps
from prm_app.partners.seed import demo_logins, seed
from prm_app.platform.db import session_scope


def seed_demo(session: Session) -> dict[str, int]:
    """Partners and people first, then the deals, leads, rates and surveys that refer to them."""
    created = seed(session)
    session.flush()
    created["deals"] = seed_deals(session)
    created["leads"] = seed_leads(session)
    seed_rates(session)
    created["surveys"] = seed_nps(session)
    return created


def main() -> int:
    with session_scope() as session:
        if refusal := demo_seeding_refusal(session):
            print(refusal, file=sys.stderr)
            return 1
        created = seed_demo(session)
    print(
        f"Demo data: created {created['tiers']} tiers, {created['organizations']} partners, {created['users']} users, "
        f"{created['deals']} deal registrations, {created['leads']} leads (existing rows kept)."
    )
    print(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    for role, email, org in demo_logins():
        print(f"  {role:<16} {email:<40} {org}")
    return 0
