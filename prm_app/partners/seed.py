"""Demo data for `make run`: a believable partner program. Safe to run again: rows are found by their
natural keys (tier name, organization name, user email) and never duplicated.

Run: python -m prm_app.partners.seed
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from prm_app.identity import DEMO_PASSWORD, User
from prm_app.partners.models import Organization, Tier
from prm_app.partners.relation_models import PartnerRelation, RelationKind
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.security import hash_password

TIERS = [
    ("Registered", 0, "Partner portal and deal registration\nSelf-paced training"),
    ("Silver", 1, "10% resale discount\nMarket development funds on request\nSales certification track"),
    ("Gold", 2, "20% resale discount\nQuarterly MDF allocation\nDedicated channel manager\nLead sharing"),
    ("Platinum", 3, "30% resale discount\nHighest MDF allocation\nPriority lead routing\nJoint business planning"),
]

INTERNAL = [
    ("admin@vendor.example", "Avery Admin", "admin", "Program administrator"),
    ("maya.cm@vendor.example", "Maya Okafor", "channel_manager", "Channel manager, Americas"),
    ("lars.cm@vendor.example", "Lars Jensen", "channel_manager", "Channel manager, EMEA & APAC"),
    ("erin.exec@vendor.example", "Erin Walsh", "exec", "VP Partnerships"),
]


@dataclass(frozen=True)
class DemoOrg:
    name: str
    partner_type: str
    tier: str
    region: str
    country: str
    city: str
    domain: str
    manager: str
    people: tuple[tuple[str, str, str], ...]  # (first.last, full name, role)
    parent: str = ""


ORGS = [
    DemoOrg(
        "Northwind Distribution",
        "distributor",
        "Platinum",
        "North America",
        "US",
        "Chicago",
        "northwind-dist.example",
        "maya.cm@vendor.example",
        (
            ("dana.price", "Dana Price", "partner_admin"),
            ("omar.haddad", "Omar Haddad", "partner_user"),
            ("lena.fischer", "Lena Fischer", "partner_user"),
        ),
    ),
    DemoOrg(
        "Bluepeak Resellers",
        "reseller",
        "Silver",
        "North America",
        "US",
        "Denver",
        "bluepeak.example",
        "maya.cm@vendor.example",
        (("sam.carter", "Sam Carter", "partner_admin"), ("ivy.nguyen", "Ivy Nguyen", "partner_user")),
        parent="Northwind Distribution",
    ),
    DemoOrg(
        "Harbor Tech Supply",
        "reseller",
        "Registered",
        "North America",
        "CA",
        "Halifax",
        "harbortech.example",
        "maya.cm@vendor.example",
        (("noah.tremblay", "Noah Tremblay", "partner_admin"),),
        parent="Northwind Distribution",
    ),
    DemoOrg(
        "Cobalt Systems VAR",
        "var",
        "Gold",
        "North America",
        "US",
        "Austin",
        "cobaltsys.example",
        "maya.cm@vendor.example",
        (
            ("priya.shah", "Priya Shah", "partner_admin"),
            ("jake.morris", "Jake Morris", "partner_user"),
            ("rosa.diaz", "Rosa Díaz", "partner_user"),
            ("ken.ito", "Ken Ito", "partner_user"),
        ),
    ),
    DemoOrg(
        "Andes Cloud Services",
        "msp",
        "Silver",
        "Latin America",
        "CL",
        "Santiago",
        "andescloud.example",
        "maya.cm@vendor.example",
        (("camila.rojas", "Camila Rojas", "partner_admin"), ("diego.soto", "Diego Soto", "partner_user")),
    ),
    DemoOrg(
        "Lumen Software Labs",
        "isv",
        "Gold",
        "North America",
        "US",
        "Seattle",
        "lumenlabs.example",
        "maya.cm@vendor.example",
        (("grace.kim", "Grace Kim", "partner_admin"),),
    ),
    DemoOrg(
        "Meridian Integration Group",
        "system_integrator",
        "Platinum",
        "EMEA",
        "DE",
        "Munich",
        "meridian-ig.example",
        "lars.cm@vendor.example",
        (
            ("jonas.weber", "Jonas Weber", "partner_admin"),
            ("anna.schmidt", "Anna Schmidt", "partner_user"),
            ("felix.braun", "Felix Braun", "partner_user"),
        ),
    ),
    DemoOrg(
        "Fjord Managed IT",
        "msp",
        "Gold",
        "EMEA",
        "NO",
        "Bergen",
        "fjordit.example",
        "lars.cm@vendor.example",
        (("ingrid.berg", "Ingrid Berg", "partner_admin"), ("ola.hansen", "Ola Hansen", "partner_user")),
    ),
    DemoOrg(
        "Atlas Value Partners",
        "var",
        "Silver",
        "EMEA",
        "GB",
        "Manchester",
        "atlasvalue.example",
        "lars.cm@vendor.example",
        (("oliver.hughes", "Oliver Hughes", "partner_admin"), ("amelia.clark", "Amelia Clark", "partner_user")),
    ),
    DemoOrg(
        "Sahara Digital Referrals",
        "referral",
        "Registered",
        "EMEA",
        "MA",
        "Casablanca",
        "saharadigital.example",
        "lars.cm@vendor.example",
        (("youssef.amrani", "Youssef Amrani", "partner_admin"),),
    ),
    DemoOrg(
        "Sakura Solutions KK",
        "system_integrator",
        "Gold",
        "APAC",
        "JP",
        "Osaka",
        "sakura-sol.example",
        "lars.cm@vendor.example",
        (("haruto.sato", "Haruto Sato", "partner_admin"), ("yui.tanaka", "Yui Tanaka", "partner_user")),
    ),
    DemoOrg(
        "Koala Affiliates",
        "affiliate",
        "Registered",
        "APAC",
        "AU",
        "Brisbane",
        "koala-aff.example",
        "lars.cm@vendor.example",
        (("mia.wilson", "Mia Wilson", "partner_admin"),),
    ),
    DemoOrg(
        "Ganges Tech Distributors",
        "distributor",
        "Gold",
        "APAC",
        "IN",
        "Bengaluru",
        "gangestech.example",
        "lars.cm@vendor.example",
        (("arjun.mehta", "Arjun Mehta", "partner_admin"), ("neha.rao", "Neha Rao", "partner_user")),
    ),
    DemoOrg(
        "Deccan Resellers",
        "reseller",
        "Registered",
        "APAC",
        "IN",
        "Pune",
        "deccanres.example",
        "lars.cm@vendor.example",
        (("kavya.iyer", "Kavya Iyer", "partner_admin"),),
        parent="Ganges Tech Distributors",
    ),
]


def _user(
    session: Session, email: str, full_name: str, role: str, title: str, org_id: int | None, pw_hash: str
) -> User:
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None:
        user = User(
            email=email, full_name=full_name, role=role, title=title, organization_id=org_id, password_hash=pw_hash
        )
        session.add(user)
        session.flush()
    return user


def seed(session: Session) -> dict[str, int]:
    """Insert whatever demo rows are missing; returns how many of each kind were created."""
    created = {"tiers": 0, "organizations": 0, "users": 0}
    users_before = len(session.exec(select(User.id)).all())
    # One hash for all demo users keeps seeding fast; real users each get their own salt.
    pw_hash = hash_password(DEMO_PASSWORD)
    tiers: dict[str, Tier] = {}
    for name, rank, benefits in TIERS:
        tier = session.exec(select(Tier).where(Tier.name == name)).first()
        if tier is None:
            tier = Tier(name=name, rank=rank, benefits=benefits)
            session.add(tier)
            session.flush()
            created["tiers"] += 1
        tiers[name] = tier
    staff = {email: _user(session, email, name, role, title, None, pw_hash) for email, name, role, title in INTERNAL}
    orgs: dict[str, Organization] = {}
    joined = utcnow() - timedelta(days=400)
    for i, demo in enumerate(ORGS):
        org = session.exec(select(Organization).where(Organization.name == demo.name)).first()
        if org is None:
            org = Organization(
                name=demo.name,
                name_lower=demo.name.lower(),
                partner_type=demo.partner_type,
                tier_id=saved_id(tiers[demo.tier]),
                region=demo.region,
                country=demo.country,
                city=demo.city,
                website=f"https://www.{demo.domain}",
                channel_manager_id=staff[demo.manager].id,
                parent_id=orgs[demo.parent].id if demo.parent else None,
                joined_at=joined + timedelta(days=23 * i),
            )
            session.add(org)
            session.flush()
            created["organizations"] += 1
        orgs[demo.name] = org
        if (
            demo.parent
            and session.exec(select(PartnerRelation.id).where(PartnerRelation.child_id == org.id)).first() is None
        ):
            kind = RelationKind.DISTRIBUTOR  # the distributor above it since it joined (partners.relations)
            session.add(PartnerRelation(parent_id=saved_id(orgs[demo.parent]), child_id=saved_id(org), kind=kind,
                                        valid_from=org.joined_at.date()))  # fmt: skip
        for handle, full_name, role in demo.people:
            title = "Partner admin" if role == "partner_admin" else "Account executive"
            _user(session, f"{handle}@{demo.domain}", full_name, role, title, org.id, pw_hash)
    created["users"] = len(session.exec(select(User.id)).all()) - users_before
    return created


def demo_logins() -> list[tuple[str, str, str]]:
    """(role, email, organization) for the README and `make run`."""
    rows = [(role, email, "Vendor (internal)") for email, _n, role, _t in INTERNAL]
    for demo in ORGS[:3] + ORGS[6:7]:
        for handle, _n, role in demo.people[:2]:
            rows.append((role, f"{handle}@{demo.domain}", demo.name))
    return rows
