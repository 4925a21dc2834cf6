"""Rows for the leads area's service tests: products, queues with member managers, partners with routing
profiles, leads waiting in a queue, and one small world most tests share.

Like tests/factories.py, every helper flushes (the returned row has its id) and leaves committing to the caller,
except `make_lead_world`, which commits so its actors can be used from other sessions too.

The world's partners have no coordinates and no history, so a routing score is plain arithmetic (default weights):
distance unknown 0.5 x 30 + vertical 20 (match) or 0 + tier rank / 3 x 15 + no track record 0.5 x 20
+ spare capacity (1 - load / capacity) x 15. For a US lead at load 0: Northwind 55.0 (75.0 for retail or
logistics), Bluepeak 50.0 (70.0 for healthcare), Cobalt 45.0.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlmodel import Session, func, select

from prm_app.deals.models import Product
from prm_app.identity.models import User
from prm_app.leads.models import Lead, LeadProduct, LeadQueue, LeadQueueMember, LeadStatus, RoutingProfile
from prm_app.leads.routing_model import TIER_NAMES
from prm_app.leads.routing_runs import confirm_proposals, route_leads
from prm_app.partners.models import Organization, Tier
from prm_app.platform.access import Actor, Role
from prm_app.platform.errors import DomainError
from tests.factories import T0, actor_for, make_org, make_tier, make_user


@contextmanager
def refused(error: type[DomainError], message: str) -> Iterator[None]:
    """The block raises exactly `error` (not a subclass) with exactly `message`."""
    with pytest.raises(error) as caught:
        yield
    assert (type(caught.value), caught.value.message) == (error, message)


def tier_of_rank(session: Session, rank: int) -> Tier:
    """The tier routing knows as `rank` (0 Registered .. 3 Platinum), created on first use."""
    name = TIER_NAMES[rank]
    return session.exec(select(Tier).where(Tier.name == name)).first() or make_tier(session, name=name, rank=rank)


def make_product(session: Session, sku: str, name: str | None = None, *, requires_certification=False) -> Product:
    product = Product(
        sku=sku,
        name=name or f"Product {sku}",
        list_price=Decimal("1000.00"),
        currency="USD",
        requires_certification=requires_certification,
    )
    session.add(product)
    session.flush()
    return product


def make_queue(session: Session, name: str, countries: str = "", members: Iterable[User | Actor] = ()) -> LeadQueue:
    """A queue taking leads from `countries` ("" = the catch-all), worked by `members` (users or actors)."""
    queue = LeadQueue(name=name, countries=countries)
    session.add(queue)
    session.flush()
    session.add_all([LeadQueueMember(queue_id=queue.id, user_id=getattr(m, "user_id", None) or m.id) for m in members])
    session.flush()
    return queue


def make_partner(
    session: Session,
    name: str,
    *,
    countries: str = "US",
    verticals: str = "",
    certified: Sequence[Product] = (),
    capacity: int = 10,
    tier_rank: int = 1,
    accepts_leads: bool = True,
    lat: float | None = None,
    lon: float | None = None,
) -> Organization:
    """A partner organization with a routing profile (no coordinates unless given)."""
    org = make_org(session, name=name, tier=tier_of_rank(session, tier_rank))
    session.add(
        RoutingProfile(
            organization_id=org.id,
            countries=countries,
            lat=lat,
            lon=lon,
            verticals=verticals,
            certified_products=",".join(str(p.id) for p in certified),
            monthly_capacity=capacity,
            accepts_leads=accepts_leads,
        )
    )
    session.flush()
    return org


def make_lead(
    session: Session,
    queue: LeadQueue,
    company: str,
    *,
    country: str = "US",
    vertical: str = "",
    products: Sequence[Product] = (),
    rank: int | None = None,
    city: str = "",
    postcode: str = "",
    estimated_size: str | None = None,
    created_at: datetime = T0,
) -> Lead:
    """A lead waiting in `queue` (status new), by default at the end of it."""
    if rank is None:
        rank = (session.exec(select(func.max(Lead.rank)).where(Lead.queue_id == queue.id)).one() or 0) + 1
    slug = "".join(ch for ch in company.lower() if ch.isalnum())
    lead = Lead(
        queue_id=queue.id,
        rank=rank,
        status=LeadStatus.NEW,
        company=company,
        domain=f"{slug}.example",
        contact_name="Jo Buyer",
        contact_email=f"jo@{slug}.example",
        country=country,
        city=city,
        postcode=postcode,
        vertical=vertical,
        estimated_size=None if estimated_size is None else Decimal(estimated_size),
        created_at=created_at,
    )
    session.add(lead)
    session.flush()
    session.add_all([LeadProduct(lead_id=lead.id, product_id=p.id) for p in products])
    session.flush()
    return lead


def partner_actor(session: Session, org: Organization, role: Role = Role.PARTNER_ADMIN) -> Actor:
    return actor_for(make_user(session, role, org))


def send(session: Session, manager: Actor, queue: LeadQueue, leads: Sequence[Lead], now: datetime = T0) -> None:
    """Route `leads` (in queue order) and confirm every proposal, as a manager would: they become offers."""
    ids = [lead.id for lead in leads]
    route_leads(session, manager, queue.id, ids, now=now)
    confirm_proposals(session, manager, ids, now=now)


def lead_rows(session: Session) -> list[tuple]:
    """Every lead's (id, status, partner_id, rank, proposal_reasons), straight from the database."""
    return session.exec(
        select(Lead.id, Lead.status, Lead.partner_id, Lead.rank, Lead.proposal_reasons).order_by(Lead.id)
    ).all()


def count_rows(session: Session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def make_lead_world(session: Session) -> SimpleNamespace:
    """Two products, managers, an Americas and an EMEA queue, and six partners with routing profiles.

    Queues: Americas (US, CA; Maya is a member), EMEA (PT, ES; Lars is a member). The admin belongs to neither.
    Partners (tier, countries, verticals, certified, monthly capacity):
      Northwind Distribution  Platinum  US  retail, logistics  Security Suite  2
      Bluepeak Resellers      Gold      US  healthcare         -               5
      Cobalt Systems          Silver    US  -                  -               5
      Harbor Tech             Silver    CA  -                  -               3
      Dormant Partners        Platinum  US  retail             -               10, does not accept leads
      Lisboa Digital          Gold      PT  retail             -               4
    Each routable US/CA partner has a partner admin (w.nw, w.bp, w.cb, w.hb).
    """
    w = SimpleNamespace()
    w.core = make_product(session, "CORE", "Core Platform")
    w.sec = make_product(session, "SEC", "Security Suite", requires_certification=True)
    w.maya = actor_for(make_user(session, Role.CHANNEL_MANAGER, full_name="Maya Manager"))
    w.lars = actor_for(make_user(session, Role.CHANNEL_MANAGER, full_name="Lars Manager"))
    w.admin = actor_for(make_user(session, Role.ADMIN, full_name="Ada Admin"))
    w.exec = actor_for(make_user(session, Role.EXEC))
    w.americas = make_queue(session, "Americas", "US,CA", [w.maya])
    w.emea = make_queue(session, "EMEA", "PT,ES", [w.lars])
    w.northwind = make_partner(
        session, "Northwind Distribution", verticals="retail,logistics", certified=[w.sec], capacity=2, tier_rank=3
    )
    w.bluepeak = make_partner(session, "Bluepeak Resellers", verticals="healthcare", capacity=5, tier_rank=2)
    w.cobalt = make_partner(session, "Cobalt Systems", capacity=5, tier_rank=1)
    w.harbor = make_partner(session, "Harbor Tech", countries="CA", capacity=3, tier_rank=1)
    w.dormant = make_partner(session, "Dormant Partners", verticals="retail", tier_rank=3, accepts_leads=False)
    w.lisboa = make_partner(session, "Lisboa Digital", countries="PT", verticals="retail", capacity=4, tier_rank=2)
    w.nw, w.bp, w.cb, w.hb = (partner_actor(session, org) for org in (w.northwind, w.bluepeak, w.cobalt, w.harbor))
    session.commit()
    return w
