"""Demo catalogue, direct-sales accounts and a few registrations in every state, created through the same
use cases the app runs (so blocking keys, history and audit are all there). Idempotent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlmodel import Session, select

from prm_app.deals.matching.queued import refresh_queued_conflicts
from prm_app.deals.matching.rules import normalize_company_name, registrable_domain
from prm_app.deals.matching.store import DIRECT_ACCOUNT, index_keys
from prm_app.deals.models import Deal, DirectAccount, Product
from prm_app.deals.review import approve_deal, reject_deal
from prm_app.deals.rules import DealInput
from prm_app.deals.service import close_deal, register_deal
from prm_app.identity import User
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Role
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id

PRODUCTS = [
    ("PRM-CORE", "Core Platform (annual)", "24000.00"),
    ("PRM-ANL", "Analytics Add-on", "6000.00"),
    ("PRM-SEC", "Security Suite", "9500.00"),
    ("PRM-EDGE", "Edge Gateway appliance", "3200.00"),
    ("PRM-SUP", "Premium Support", "4800.00"),
    ("PRM-PS", "Professional Services (10 days)", "15000.00"),
]

DIRECT_ACCOUNTS = [
    ("Globex Corporation", "globex.com", "US", "Hank Scorpio", 180),
    ("Initech LLC", "initech.com", "US", "Bill Lumbergh", 120),
    ("Umbrella Pharmaceuticals GmbH", "umbrella-pharma.de", "DE", "Albert Wesker", 365),
    ("Stark Industries", "starkindustries.com", "US", "Pepper Potts", 200),
    ("Wayne Enterprises", "wayne-enterprises.com", "US", "Lucius Fox", None),
    ("Tyrell Corp.", "tyrell.co.jp", "JP", "Rachael Tyrell", 90),
]

# (partner admin email, customer, site, country, products, value, outcome)
DEMO_DEALS = [
    (
        "priya.shah@cobaltsys.example",
        "Hooli Inc.",
        "https://www.hooli.com",
        "US",
        ("PRM-CORE", "PRM-SEC"),
        "48000",
        "approved",
    ),
    (
        "jonas.weber@meridian-ig.example",
        "Bavaria Motoren AG",
        "bavaria-motoren.de",
        "DE",
        ("PRM-CORE", "PRM-PS"),
        "120000",
        "approved",
    ),
    ("ingrid.berg@fjordit.example", "Nordlys Energi AS", "nordlys-energi.no", "NO", ("PRM-ANL",), "18000", "submitted"),
    (
        "haruto.sato@sakura-sol.example",
        "Kaiju Robotics KK",
        "kaiju-robotics.co.jp",
        "JP",
        ("PRM-EDGE", "PRM-SUP"),
        "27500",
        "submitted",
    ),
    ("oliver.hughes@atlasvalue.example", "Globex UK Ltd", "globex.com", "GB", ("PRM-CORE",), "30000", "rejected"),
    ("grace.kim@lumenlabs.example", "Initrode Labs", "initrode.com", "US", ("PRM-ANL",), "22000", "won"),
    (
        "oliver.hughes@atlasvalue.example",
        "Thames Water Analytics",
        "thameswateranalytics.co.uk",
        "GB",
        ("PRM-CORE", "PRM-SUP"),
        "41000",
        "won",
    ),
    ("camila.rojas@andescloud.example", "Minera Pacífico", "minerapacifico.cl", "CL", ("PRM-CORE",), "56000", "lost"),
]


CERTIFICATION_REQUIRED = {"PRM-SEC", "PRM-EDGE"}  # leads for these go only to certified partners


def _products(session: Session) -> dict[str, Product]:
    found = {p.sku: p for p in session.exec(select(Product)).all()}
    for sku, name, price in PRODUCTS:
        if sku not in found:
            found[sku] = Product(
                sku=sku,
                name=name,
                list_price=Decimal(price),
                currency="USD",
                requires_certification=sku in CERTIFICATION_REQUIRED,
            )
            session.add(found[sku])
    session.flush()
    return found


def _accounts(session: Session) -> None:
    now = utcnow()
    existing = set(session.exec(select(DirectAccount.name)).all())
    for name, domain, country, rep, days in DIRECT_ACCOUNTS:
        if name in existing:
            continue
        account = DirectAccount(
            name=name,
            name_norm=normalize_company_name(name),
            domain=registrable_domain(domain),
            country=country,
            rep_name=rep,
            rep_email=rep.lower().replace(" ", ".") + "@vendor.example",
            protected_until=now + timedelta(days=days) if days else None,
        )
        session.add(account)
        session.flush()
        index_keys(session, DIRECT_ACCOUNT, saved_id(account), account.name_norm, account.domain)
        refresh_queued_conflicts(session, account)  # registrations already waiting may match it


def _actor(session: Session, email: str) -> Actor:
    user = session.exec(select(User).where(User.email == email)).one()
    return Actor(user_id=user.id, role=Role(user.role), organization_id=user.organization_id, name=user.full_name)


def _manager_of(session: Session, org: Organization) -> Actor:
    user = session.get_one(User, org.channel_manager_id) if org.channel_manager_id else None
    if user is None:
        return _actor(session, "admin@vendor.example")
    return Actor(user_id=user.id, role=Role(user.role), organization_id=None, name=user.full_name)


def seed(session: Session) -> dict[str, int]:
    """What it created: {"deals": registrations}."""
    products = _products(session)
    _accounts(session)
    today = utcnow().date()
    created = 0
    for email, customer, site, country, skus, value, outcome in DEMO_DEALS:
        partner = _actor(session, email)
        exists = session.exec(
            select(Deal.id).where(Deal.organization_id == partner.organization_id, Deal.customer_name == customer)
        ).first()
        if exists is not None:
            continue
        org = session.get_one(Organization, partner.organization_id)
        manager = _manager_of(session, org)  # decisions come from the partner's own channel manager
        deal_id = register_deal(
            session,
            partner,
            DealInput(
                customer_name=customer,
                customer_site=site,
                country=country,
                contact_name="Jordan Lee",
                contact_email=f"jordan.lee@{registrable_domain(site)}",
                product_ids=tuple(saved_id(products[s]) for s in skus),
                estimated_value=value,
                currency="USD",
                expected_close=(today + timedelta(days=60)).isoformat(),
                stage="Proposal",
                description=f"Demo opportunity registered by {org.name}.",
            ),
            submit=True,
        )
        if outcome in ("approved", "won", "lost"):
            approve_deal(session, manager, deal_id)
        if outcome in ("won", "lost"):
            close_deal(session, partner, deal_id, won=outcome == "won", final_amount=value)
        elif outcome == "rejected":
            reject_deal(session, manager, deal_id, "Globex is a direct-sales account owned by our enterprise team.")
        created += 1
    return {"deals": created}
