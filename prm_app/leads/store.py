"""Where leads sit: a lead typed into the form and new leads stored at the end of their country's queue, and a
queue put in a new order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime

from sqlmodel import Session, col, func, select, update

from prm_app.deals import Product
from prm_app.leads.intake import LeadDraft, RowError, check_lead
from prm_app.leads.models import QUEUED, Lead, LeadEvent, LeadProduct, LeadQueue, LeadStatus
from prm_app.leads.queue_access import check_queue
from prm_app.leads.vocabulary import HEADERS
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import DomainError, NotFound


def queue_router(session: Session) -> Callable[[str], int]:
    """A function country -> queue id: the queue listing the country, else the catch-all (no countries)."""
    by_country: dict[str, int] = {}
    fallback = None
    for queue in session.exec(select(LeadQueue).order_by(col(LeadQueue.id))).all():
        codes = [c.strip() for c in queue.countries.split(",") if c.strip()]
        for code in codes:
            by_country.setdefault(code, saved_id(queue))
        if not codes and fallback is None:
            fallback = saved_id(queue)

    def route(country: str) -> int:
        queue_id = by_country.get(country, fallback)
        if queue_id is None:
            raise DomainError(f"No lead queue takes leads from {country}; ask an admin to add one.")
        return queue_id

    return route


def product_catalogue(session: Session) -> dict[str, int]:
    """Lower-cased SKU and name -> product id, for the CSV parser."""
    catalogue: dict[str, int] = {}
    for product in session.exec(select(Product).where(Product.active)).all():
        catalogue[product.sku.lower()] = saved_id(product)
        catalogue[product.name.lower()] = saved_id(product)
    return catalogue


def store_leads(session: Session, actor: Actor, drafts: Sequence[LeadDraft], now: datetime | None = None) -> list[int]:
    """Insert clean leads at the end of their queues, in the given order. Returns their ids.

    Two batched INSERTs (leads, then their products) whatever the number of drafts.
    """
    actor.require(Permission.MANAGE_LEADS)
    now = now or utcnow()
    queue_of = queue_router(session)
    next_rank = dict(session.exec(select(Lead.queue_id, func.max(Lead.rank)).group_by(col(Lead.queue_id))).all())
    new_leads = []
    for draft in drafts:
        queue_id = queue_of(draft.country)
        next_rank[queue_id] = next_rank.get(queue_id, 0) + 1
        new_leads.append(
            Lead(
                queue_id=queue_id,
                rank=next_rank[queue_id],
                status=LeadStatus.NEW,
                company=draft.company,
                domain=draft.domain,
                contact_name=draft.contact_name,
                contact_email=draft.contact_email,
                country=draft.country,
                city=draft.city,
                postcode=draft.postcode,
                lat=draft.lat,
                lon=draft.lon,
                vertical=draft.vertical,
                estimated_size=draft.estimated_size,
                source=draft.source,
                external_id=draft.external_id or None,
                created_at=now,
                created_by_id=actor.user_id,
            )
        )
    session.add_all(new_leads)
    session.flush()
    session.add_all(
        [
            LeadProduct(lead_id=saved_id(lead), product_id=p)
            for lead, d in zip(new_leads, drafts, strict=True)
            for p in d.product_ids
        ]
    )
    ids = [saved_id(lead) for lead in new_leads]
    if ids:
        session.add(
            LeadEvent(lead_id=ids[0], actor_user_id=actor.user_id, action="imported", note=f"{len(ids)} leads", at=now)
        )
        audit(session, actor, "leads_created", "lead", ids[0], count=len(ids))
    return ids


def add_lead(session: Session, actor: Actor, cells: Mapping[str, str]) -> tuple[list[RowError], LeadDraft | None]:
    """Check one lead typed into the form by exactly the rules of a CSV row and, if clean, queue it.
    Returns the problems (none when stored) and the draft."""
    actor.require(Permission.MANAGE_LEADS)
    problems, draft = check_lead({h: str(cells.get(h, "")) for h in HEADERS}, product_catalogue(session))
    if draft is not None:
        store_leads(session, actor, [draft])
    return problems, draft


def reorder_queue(session: Session, actor: Actor, queue_id: int, ordered_ids: Iterable[int]) -> None:
    """Put the given leads in this order, keeping the ranks they already occupy (so leads not shown keep
    their places). Ids must all be waiting in that queue; anything else is refused as not found."""
    check_queue(session, actor, queue_id, write=True)
    ids = [int(i) for i in ordered_ids]
    if len(set(ids)) != len(ids):
        raise DomainError("The new order lists a lead twice.")
    ranks = dict(
        session.exec(
            select(Lead.id, Lead.rank).where(
                col(Lead.id).in_(ids), Lead.queue_id == queue_id, col(Lead.status).in_([s.value for s in QUEUED])
            )
        ).all()
    )
    if len(ranks) != len(ids):
        raise NotFound("lead")
    slots = sorted(ranks.values())
    changes = [
        {"id": lead_id, "rank": rank} for lead_id, rank in zip(ids, slots, strict=True) if ranks[lead_id] != rank
    ]
    if changes:
        session.execute(update(Lead), changes)  # one executemany by primary key
        audit(session, actor, "lead_queue_reordered", "lead_queue", queue_id, moved=len(changes))
