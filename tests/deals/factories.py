"""The deals area's test factories: products, direct accounts, a valid registration form, and a small world of
two partners and the vendor's people (shared by every deal test module)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from sqlmodel import Session

from prm_app.deals.matching.queued import refresh_queued_conflicts
from prm_app.deals.matching.rules import normalize_company_name, registrable_domain
from prm_app.deals.matching.store import DIRECT_ACCOUNT, index_keys
from prm_app.deals.models import DirectAccount, Product
from prm_app.deals.rules import DealInput
from prm_app.deals.service import register_deal
from prm_app.platform.access import Actor, Role
from tests.factories import T0, actor_for, make_org, make_user

DAY = timedelta(days=1)


def make_product(session: Session, sku: str, *, price: str = "1000.00", active: bool = True) -> Product:
    product = Product(sku=sku, name=f"Product {sku}", list_price=Decimal(price), currency="USD", active=active)
    session.add(product)
    session.flush()
    return product


def make_direct_account(
    session: Session, name: str, site: str, *, rep: str = "Hank Scorpio", protected_until: datetime | None = None
) -> DirectAccount:
    """A direct-sales account indexed the way the app indexes them (blocking keys, the queue's stored conflicts)."""
    account = DirectAccount(
        name=name,
        name_norm=normalize_company_name(name),
        domain=registrable_domain(site),
        country="US",
        rep_name=rep,
        rep_email="rep@vendor.example",
        protected_until=protected_until,
    )
    session.add(account)
    session.flush()
    index_keys(session, DIRECT_ACCOUNT, account.id, account.name_norm, account.domain)
    refresh_queued_conflicts(session, account)
    session.flush()
    return account


def deal_input(products, now: datetime = T0, **overrides) -> DealInput:
    """A registration form that passes validation on `now`'s date; override only what the test is about."""
    values = {
        "customer_name": "Acme Corporation",
        "customer_site": "https://www.acme.com",
        "country": "US",
        "contact_name": "Jo Buyer",
        "contact_email": "jo.buyer@acme.com",
        "product_ids": tuple(products),
        "estimated_value": "25,000.5",
        "currency": "USD",
        "expected_close": (now.date() + 60 * DAY).isoformat(),
        "stage": "Proposal",
        "description": "Replacing their legacy portal.",
    }
    values.update(overrides)
    return DealInput(**values)


def register(session: Session, actor: Actor, product_ids, *, submit: bool = True, now: datetime = T0, **fields) -> int:
    return register_deal(session, actor, deal_input(product_ids, now, **fields), submit=submit, now=now)


def make_world(session: Session) -> SimpleNamespace:
    """Two partners (Alpha: an admin and a user; Beta: a user) in one channel manager's book, the vendor's people
    (another channel manager with an empty book among them), and three products."""
    alpha, beta = make_org(session, name="Alpha Resellers"), make_org(session, name="Beta Systems")
    w = SimpleNamespace(alpha=alpha, beta=beta)
    w.a = actor_for(make_user(session, Role.PARTNER_ADMIN, alpha))
    w.a2 = actor_for(make_user(session, Role.PARTNER_USER, alpha))
    w.b = actor_for(make_user(session, Role.PARTNER_USER, beta))
    manager = make_user(session, Role.CHANNEL_MANAGER)
    w.manager = actor_for(manager)
    alpha.channel_manager_id = beta.channel_manager_id = manager.id  # both partners are in this manager's book
    w.other_manager = actor_for(make_user(session, Role.CHANNEL_MANAGER))  # a colleague with another book
    w.admin = actor_for(make_user(session, Role.ADMIN))
    w.exec = actor_for(make_user(session, Role.EXEC))
    w.p1, w.p2, w.p3 = (make_product(session, sku) for sku in ("CORE", "ANL", "SEC"))
    w.products = (w.p1.id, w.p2.id)
    session.commit()
    return w
