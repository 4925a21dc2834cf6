"""Leads as a CSV table (platform/table_io.py's engine), the one lead import: a row is checked by exactly the rules
of the lead form (intake.check_lead), new leads are stored at the end of their country's queue (store.store_leads),
and a lead still waiting in a queue the actor works is changed with `apply_and_audit` (only the cells that differ,
each audited; a new country moves it to the end of that country's queue). A lead already offered to a partner is
not changed by an import.

Keys: `external_id`, or for a row without one its domain and contact e-mail ("acme.com/ana@acme.com"), which is
what made two rows the same lead before leads had a key; a lead stored without an external_id (typed into the form,
or imported before) is found by that pair too, so its export imports back unchanged.

Canonical cells: what the form stores (the registrable domain, the e-mail in lower case, the ISO country code, the
vertical and source as spelled in vocabulary.py), the products as their SKUs sorted and joined by ";", the
estimated size with two decimals.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

from sqlmodel import Session, col, func, select

from prm_app.deals import Product, registrable_domain
from prm_app.leads.intake import LeadDraft, check_lead
from prm_app.leads.models import QUEUED, Lead, LeadProduct
from prm_app.leads.queue_access import my_queues
from prm_app.leads.store import product_catalogue, queue_router, store_leads
from prm_app.leads.vocabulary import _HEADER_ALIASES, HEADERS, LEAD_SOURCES, REQUIRED_HEADERS, VERTICALS
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import apply_and_audit
from prm_app.platform.db import saved_id
from prm_app.platform.errors import DomainError, NotFound, ValidationError
from prm_app.platform.table_io import KEY, Cells, Column

_HINTS = {
    "company": "the customer's company",
    "domain": "its website or e-mail domain, like acme.com",
    "contact_email": "with the domain, the lead's key when external_id is blank",
    "country": "a country name or its two-letter code; picks the queue",
    "vertical": "one of: " + ", ".join(VERTICALS),
    "products": "SKUs or names from the catalogue, separated by ;",
    "estimated_size": "a number, like 25000",
    "source": "one of: " + ", ".join(LEAD_SOURCES),
}
_EDITED = ("company", "domain", "contact_name", "contact_email", "country", "city", "postcode", "vertical", "source")


def _aliases(name: str) -> tuple[str, ...]:
    return tuple(alias for alias, column in _HEADER_ALIASES.items() if column == name)


def _pair(key: str) -> tuple[str, str] | None:
    """(domain, e-mail) of a key `derived_key` made; None for any other key."""
    domain, _, email = key.partition("/")
    return (domain, email) if domain and "@" in email and "/" not in email else None


class LeadTable:
    kind = "leads"
    title = "Leads"
    permission = Permission.MANAGE_LEADS
    columns: tuple[Column, ...] = (
        Column(KEY, False, ("id", "lead_id", "crm_id"), "your id for the lead; blank: its domain and contact e-mail"),
        *(Column(h, h in REQUIRED_HEADERS, _aliases(h), _HINTS.get(h, "")) for h in HEADERS),
    )
    unique: tuple[str, ...] = ()

    def derived_key(self, cells: Cells) -> str:
        domain, email = cells.get("domain", "").strip(), cells.get("contact_email", "").strip().lower()
        if not (domain and email):
            return ""  # the missing cell is the row's reason
        return f"{registrable_domain(domain) or domain.lower()}/{email}"

    def canonical(self, session: Session, cells: Cells) -> dict[str, str]:
        problems, draft = check_lead(cells, _catalogue(session))
        if draft is None:
            raise ValidationError("; ".join(p.message for p in problems), problems[0].field)
        _checked(session)[cells[KEY]] = draft  # `insert_many` stores it without checking the row again
        return _cells(session, cells[KEY], draft, draft.product_ids)

    def current(self, session: Session, actor: Actor, keys: Collection[str]) -> dict[str, dict[str, str]]:
        # Program-wide, as storing is (a new lead goes to its country's queue whoever imports it): a key another
        # queue's lead has is that lead's, and `update` refuses it unless the actor works that queue.
        actor.require(self.permission)
        found = _find(session, keys)
        products = _products_of(session, [saved_id(lead) for lead in found.values()])
        return {key: _cells(session, key, lead, products.get(saved_id(lead), [])) for key, lead in found.items()}

    def insert_many(self, session: Session, actor: Actor, rows: Sequence[Cells]) -> list[str]:
        actor.require(self.permission)
        route = queue_router(session)
        catalogue = _catalogue(session)
        refusals: list[str] = []
        drafts: list[LeadDraft] = []
        checked = _checked(session)
        for cells in rows:
            draft = checked.pop(cells[KEY], None) or check_lead(cells, catalogue)[1]
            try:
                if draft is None:  # never: the engine passes checked cells
                    raise ValidationError("the lead's cells are not valid", KEY)
                route(draft.country)
            except DomainError as refused:
                refusals.append(refused.message)
                continue
            refusals.append("")
            drafts.append(replace(draft, external_id=cells[KEY]))
        store_leads(session, actor, drafts)
        return refusals

    def update(self, session: Session, actor: Actor, cells: Cells) -> None:
        actor.require(self.permission)
        lead = _find(session, [cells[KEY]]).get(cells[KEY])
        if lead is None or lead.queue_id not in {q.id for q in my_queues(session, actor)}:
            raise NotFound("lead")
        if lead.status not in QUEUED:
            raise DomainError(f"the lead is {lead.status} already; an import changes only leads waiting in a queue")
        draft = check_lead(cells, _catalogue(session))[1]
        if draft is None:  # never: the engine passes checked cells
            raise ValidationError("the lead's cells are not valid", KEY)
        before: dict[str, object] = {n: getattr(lead, n) for n in (*_EDITED, "estimated_size", "queue_id", "rank")}
        after: dict[str, object] = {n: getattr(draft, n) for n in (*_EDITED, "estimated_size")}
        after |= {"queue_id": lead.queue_id, "rank": lead.rank, "lat": draft.lat, "lon": draft.lon}
        before |= {"lat": lead.lat, "lon": lead.lon, "external_id": lead.external_id}
        after["external_id"] = cells[KEY]
        queue_id = queue_router(session)(draft.country)
        if queue_id != lead.queue_id:  # to the end of its new country's queue
            last = session.exec(select(func.max(Lead.rank)).where(Lead.queue_id == queue_id)).one()
            after |= {"queue_id": queue_id, "rank": (last or 0) + 1}
        apply_and_audit(session, actor, lead, before, after, "import_lead", "lead")
        wanted = set(draft.product_ids)
        have = {p.product_id: p for p in session.exec(select(LeadProduct).where(LeadProduct.lead_id == lead.id))}
        for product_id, link in have.items():
            if product_id not in wanted:
                session.delete(link)
        session.add_all([LeadProduct(lead_id=saved_id(lead), product_id=p) for p in wanted - have.keys()])

    def export(self, session: Session, actor: Actor, filters: Mapping[str, str]) -> Iterator[dict[str, str]]:
        actor.require(Permission.VIEW_PARTNERS)
        queues = [q.id for q in my_queues(session, actor)]
        wanted = filters.get("queue_id", "")
        if wanted:
            queues = [q for q in queues if str(q) == wanted]
        leads = session.exec(
            select(Lead)
            .where(col(Lead.queue_id).in_(queues))
            .order_by(col(Lead.queue_id), col(Lead.rank), col(Lead.id))
        ).all()
        products = _products_of(session, [saved_id(lead) for lead in leads])
        for lead in leads:
            yield _cells(session, lead.external_id or "", lead, products.get(saved_id(lead), []))


def _catalogue(session: Session) -> dict[str, int]:
    """The active products by lower-cased SKU and name, read once per unit of work."""
    known: dict[str, dict[str, int]] = session.info.setdefault("lead_table.catalogue", {})
    if "active" not in known:
        known["active"] = product_catalogue(session)
    return known["active"]


def _checked(session: Session) -> dict[str, LeadDraft]:
    """Drafts of the rows `canonical` checked in this unit of work, by key (validation is the import's main cost)."""
    checked: dict[str, LeadDraft] = session.info.setdefault("lead_table.checked", {})
    return checked


def _skus(session: Session) -> dict[int, str]:
    """Every product's SKU by id (a lead may name a product retired since), read once per unit of work."""
    known: dict[str, dict[int, str]] = session.info.setdefault("lead_table.skus", {})
    if "all" not in known:
        known["all"] = {saved_id(p): p.sku for p in session.exec(select(Product)).all()}
    return known["all"]


def _find(session: Session, keys: Collection[str]) -> dict[str, Lead]:
    """The leads with these keys: by external_id, else (a derived key) the first lead without one that has the
    key's domain and contact e-mail."""
    found = {
        lead.external_id: lead
        for lead in session.exec(select(Lead).where(col(Lead.external_id).in_(list(keys)))).all()
        if lead.external_id is not None
    }
    pairs = {pair: key for key in keys if key not in found and (pair := _pair(key)) is not None}
    if pairs:
        domains = sorted({domain for domain, _email in pairs})
        keyless = session.exec(
            select(Lead)
            .where(col(Lead.external_id).is_(None), col(Lead.domain).in_(domains))
            .order_by(col(Lead.id).desc())  # the first lead wins: it is set last
        ).all()
        for lead in keyless:
            if (key := pairs.get((lead.domain, lead.contact_email))) is not None:
                found[key] = lead
    return found


def _products_of(session: Session, lead_ids: list[int]) -> dict[int, list[int]]:
    products: dict[int, list[int]] = {}
    for link in session.exec(select(LeadProduct).where(col(LeadProduct.lead_id).in_(lead_ids))).all():
        products.setdefault(link.lead_id, []).append(link.product_id)
    return products


def _size(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _cells(session: Session, key: str, lead: Lead | LeadDraft, product_ids: Collection[int]) -> dict[str, str]:
    """Canonical cells of a stored lead or of a checked row (its draft): the two compare equal when nothing would
    change."""
    skus = _skus(session)
    return {
        KEY: key,
        **{name: str(getattr(lead, name)) for name in _EDITED},
        "products": ";".join(sorted(skus[p] for p in product_ids if p in skus)),
        "estimated_size": _size(lead.estimated_size),
    }


LEAD_TABLE = LeadTable()
