"""Small helpers that put valid rows in the database with sensible defaults; override only what a test cares about.

Every helper flushes, so the returned row has its id, and leaves committing to the test.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from functools import cache

from sqlmodel import Session

from prm_app.identity.models import User
from prm_app.partners.models import Organization, PartnerType, Tier
from prm_app.platform.access import Actor, Role
from prm_app.platform.security import hash_password

PASSWORD = "correct-horse-battery"
# A fixed instant keeps time-based tests readable; the domain's `now=` parameters move it.
T0 = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)

_seq = itertools.count(1)


@cache
def password_hash(password: str) -> str:
    """argon2 costs ~0.1 s a hash; one per distinct password is enough for tests (real users get their own salt)."""
    return hash_password(password)


def make_tier(session: Session, *, name: str | None = None, rank: int | None = None, benefits: str = "") -> Tier:
    n = next(_seq)
    tier = Tier(name=name or f"Tier {n}", rank=n if rank is None else rank, benefits=benefits)
    session.add(tier)
    session.flush()
    return tier


def make_org(
    session: Session,
    *,
    name: str | None = None,
    tier: Tier | None = None,
    partner_type: str = PartnerType.RESELLER,
    region: str = "EMEA",
    country: str = "DE",
    city: str = "Berlin",
    manager: User | None = None,
    parent: Organization | None = None,
    joined_at: datetime | None = None,
) -> Organization:
    name = name or f"Partner {next(_seq)} GmbH"
    org = Organization(
        name=name,
        name_lower=name.lower(),
        partner_type=str(partner_type),
        tier_id=(tier or make_tier(session)).id,
        region=region,
        country=country,
        city=city,
        website=f"https://{name.split()[0].lower()}.example",
        channel_manager_id=manager.id if manager else None,
        parent_id=parent.id if parent else None,
    )
    if joined_at is not None:
        org.joined_at = joined_at
    session.add(org)
    session.flush()
    return org


def make_user(
    session: Session,
    role: Role | str = Role.PARTNER_USER,
    org: Organization | None = None,
    password: str = PASSWORD,
    *,
    email: str | None = None,
    full_name: str | None = None,
    is_active: bool = True,
) -> User:
    """A user; partner roles get a new organization unless `org` is given, internal roles get none."""
    role = Role(role)
    if org is None and role in (Role.PARTNER_ADMIN, Role.PARTNER_USER):
        org = make_org(session)
    n = next(_seq)
    user = User(
        email=email or f"user{n}@example.com",
        full_name=full_name or f"{role.value.replace('_', ' ').title()} {n}",
        password_hash=password_hash(password),
        role=role.value,
        organization_id=org.id if org else None,
        is_active=is_active,
    )
    session.add(user)
    session.flush()
    return user


def actor_for(user: User, ip: str = "") -> Actor:
    """The Actor the server would resolve for `user` (tests that are not about sign-in skip the login)."""
    return Actor(
        user_id=user.id,
        role=Role(user.role),
        organization_id=user.organization_id,
        name=user.full_name,
        email=user.email,
        ip=ip,
    )
