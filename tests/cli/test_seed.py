"""The demo data: a believable program, and safe to run again."""

from __future__ import annotations

from collections import Counter

from sqlmodel import Session, func, select

from prm_app.identity import DEMO_PASSWORD
from prm_app.identity.auth import log_in
from prm_app.identity.models import User
from prm_app.partners.models import Organization, PartnerType, Tier
from prm_app.partners.seed import seed
from prm_app.platform.access import PARTNER_ROLES, Role


def _counts(session: Session) -> tuple[int, int, int]:
    return tuple(session.exec(select(func.count()).select_from(m)).one() for m in (Tier, Organization, User))


def test_seed_builds_a_believable_program(session):
    created = seed(session)
    session.commit()

    orgs = session.exec(select(Organization)).all()
    users = session.exec(select(User)).all()
    assert created == {"tiers": 4, "organizations": len(orgs), "users": len(users)}
    assert len(orgs) >= 12
    assert {o.partner_type for o in orgs} == {t.value for t in PartnerType}
    assert [t.name for t in session.exec(select(Tier).order_by(Tier.rank)).all()] == [
        "Registered",
        "Silver",
        "Gold",
        "Platinum",
    ]

    by_id = {o.id: o for o in orgs}
    subs = [o for o in orgs if o.parent_id is not None]
    assert subs, "at least one distributor with sub-partners"
    assert all(by_id[o.parent_id].partner_type == PartnerType.DISTRIBUTOR for o in subs)

    people = Counter(u.organization_id for u in users if u.organization_id is not None)
    assert set(people) == set(by_id)
    assert all(1 <= n <= 4 for n in people.values())
    assert all(Role(u.role) in PARTNER_ROLES for u in users if u.organization_id is not None)
    assert all(any(u.role == "partner_admin" and u.organization_id == o.id for u in users) for o in orgs)

    staff = Counter(u.role for u in users if u.organization_id is None)
    assert staff == {"admin": 1, "channel_manager": 2, "exec": 1}
    managers = {u.id for u in users if u.role == "channel_manager"}
    assert {o.channel_manager_id for o in orgs} == managers


def test_seeding_twice_creates_nothing_new(session):
    seed(session)
    session.commit()
    before = _counts(session)

    again = seed(session)
    session.commit()

    assert again == {"tiers": 0, "organizations": 0, "users": 0}
    assert _counts(session) == before


def test_demo_users_can_sign_in(session):
    seed(session)
    session.commit()
    admin = session.exec(select(User).where(User.role == "admin")).one()

    assert log_in(session, admin.email, DEMO_PASSWORD).actor.role == Role.ADMIN
