"""Deal registrations as a CSV table (platform/table_io.py's engine): a new row is registered and submitted through
`register_deal`, the registration form's own use case (its field rules, distribution rules, conflict matching,
history, audit, notices), for the partner the row names; an existing one may change only as a registration may in
its status: a draft's details (checked by the same rules), nothing once submitted (the row fails with the reason).

Who: a partner admin imports for its own organization (the partner column may stay blank; any other partner fails
the row); a channel manager or admin for a partner in their reach, who is then the registration's creator and is
audited as registering it on the partner's behalf (deals.scope.registering_party).

Keys: `external_id` (the deal's id in the CRM). A registration typed into the form has none: its export names it
`deal:<id>`, which finds it again (in the importer's reach) so the export imports back unchanged; such a key never
creates a registration.

Canonical cells: the partner as its external_id (else its name), the customer's name with its spaces collapsed,
the ISO country code, the e-mail in lower case, the products as their SKUs sorted and joined by ";", the value with
two decimals, the date as YYYY-MM-DD, the stage and credit as the form spells them. A blank partner cell is left
out of the comparison (the importer's own organization, or the deal's).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from datetime import date

from sqlmodel import Session, col, select

from prm_app.deals.labels import DEAL_STATUS_LABELS
from prm_app.deals.matching.store import REGISTRATION, index_keys
from prm_app.deals.models import DEAL_STAGES, Credit, Deal, DealProduct, DealStatus, Product
from prm_app.deals.rules import CURRENCIES, DealInput, clean_deal_input
from prm_app.deals.service import register_deal
from prm_app.partners import Organization, partner_by_reference, partner_reference
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import apply_and_audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id, savepoint
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, ValidationError
from prm_app.platform.money import parse_money
from prm_app.platform.places import country_code, fold
from prm_app.platform.table_io import KEY, Cells, Column

PARTNER = "partner"
_BY_ID = "deal:"  # the key an export gives a registration without an external_id
_STAGES = {fold(s): s for s in DEAL_STAGES}
_CREDITS = {fold(c.value): c.value for c in Credit}
_EDITED: tuple[str, ...] = ("customer_name", "customer_site", "country", "contact_name", "contact_email")
_EDITED += ("estimated_value", "currency", "expected_close", "stage", "description", "credit")
# Never quoting the partner as resolved: a row naming another organization by name learns nothing of it.
NOT_IN_REACH = "the partner named is not one you may import deals for"
PARTNER_HINT = "the partner's external_id or exact name; partner admins: blank or their own"


def _one_line(text: str) -> str:
    return " ".join(text.split())


class DealTable:
    kind = "deals"
    title = "Deal registrations"
    permission = Permission.IMPORT_DEALS
    columns: tuple[Column, ...] = (
        Column(KEY, True, ("id", "deal_id", "crm_id", "opportunity_id"), "your id for the deal, unique"),
        Column(PARTNER, False, ("organization", "partner_id", "partner_name"), PARTNER_HINT),
        Column("customer_name", True, ("customer", "company", "account"), "the customer's company"),
        Column("customer_site", True, ("website", "domain", "customer_domain"), "its website, like acme.com"),
        Column("country", True, ("country_code",), "a country name or its two-letter code"),
        Column("contact_name", True, ("contact",), ""),
        Column("contact_email", True, ("email",), ""),
        Column("products", True, ("product", "skus"), "SKUs or names from the catalogue, separated by ;"),
        Column("estimated_value", True, ("value", "amount"), "a number, like 25000"),
        Column("currency", True, (), "one of: " + ", ".join(CURRENCIES)),
        Column("expected_close", True, ("close_date",), "a date, YYYY-MM-DD"),
        Column("stage", True, (), "one of: " + ", ".join(DEAL_STAGES)),
        Column("description", False, ("notes",), ""),
        Column("credit", False, (), "sourced (blank) or influenced"),
    )
    unique: tuple[str, ...] = ()

    def derived_key(self, cells: Cells) -> str:
        return ""  # a deal row names its external_id

    def canonical(self, session: Session, cells: Cells) -> dict[str, str]:
        def bad(column: str, what: str) -> ValidationError:
            return ValidationError(f"{column} '{cells.get(column, '')[:40]}' is not {what}", column)

        country = country_code(cells.get("country", ""))
        if not country:
            raise bad("country", "a country")
        skus = _skus(session)
        products = []
        for name in filter(None, (p.strip().lower() for p in cells.get("products", "").split(";"))):
            if name not in skus:
                raise ValidationError(f"products: '{name[:40]}' is not in the catalogue", "products")
            products.append(skus[name])
        try:
            value = f"{parse_money(cells.get('estimated_value', '')):.2f}"
        except ValueError:
            raise bad("estimated_value", "a number") from None
        currency = cells.get("currency", "").strip().upper()
        if currency not in CURRENCIES:
            raise bad("currency", "one of " + ", ".join(CURRENCIES))
        try:
            close = date.fromisoformat(cells.get("expected_close", "").strip()).isoformat()
        except ValueError:
            raise bad("expected_close", "a date like 2027-03-31") from None
        stage = _STAGES.get(fold(cells.get("stage", "")))
        if stage is None:
            raise bad("stage", "one of " + ", ".join(DEAL_STAGES))
        credit = _CREDITS.get(fold(cells.get("credit", "") or Credit.SOURCED.value))
        if credit is None:
            raise bad("credit", "sourced or influenced")
        canon = {
            KEY: cells[KEY].strip(),
            "customer_name": _one_line(cells.get("customer_name", "")),
            "customer_site": cells.get("customer_site", "").strip(),
            "country": country,
            "contact_name": _one_line(cells.get("contact_name", "")),
            "contact_email": cells.get("contact_email", "").strip().lower(),
            "products": ";".join(sorted(set(products))),
            "estimated_value": value,
            "currency": currency,
            "expected_close": close,
            "stage": stage,
            "description": cells.get("description", "").strip(),
            "credit": credit,
        }
        if partner := cells.get(PARTNER, "").strip():
            org = partner_by_reference(session, partner)
            canon[PARTNER] = partner_reference(org) if org is not None else partner
            _named_partners(session)[canon[KEY]] = org.id if org is not None else None
        return canon

    def current(self, session: Session, actor: Actor, keys: Collection[str]) -> dict[str, dict[str, str]]:
        actor.require(self.permission)
        found = _find(session, actor, keys)
        products = _products_of(session, [saved_id(deal) for deal, _org in found.values()])
        return {
            key: _cells(session, key, deal, org, products.get(saved_id(deal), [])) for key, (deal, org) in found.items()
        }

    def insert_many(self, session: Session, actor: Actor, rows: Sequence[Cells]) -> list[str]:
        actor.require(self.permission)
        refusals: list[str] = []
        for cells in rows:
            try:
                with savepoint(session):  # a row the use case refuses halfway leaves nothing behind
                    _register(session, actor, cells)
                refusals.append("")
            except FormInvalid as refused:
                refusals.append("; ".join(f"{field}: {message}" for field, message in refused.errors.items()))
            except DomainError as refused:
                refusals.append(refused.message)
        return refusals

    def update(self, session: Session, actor: Actor, cells: Cells) -> None:
        actor.require(self.permission)
        deal, org = _find(session, actor, [cells[KEY]]).get(cells[KEY]) or (None, None)
        if deal is None or org is None:
            raise NotFound("deal")
        if cells.get(PARTNER, partner_reference(org)) != partner_reference(org):
            raise DomainError("a registration stays with the partner that registered it; the partner cannot change")
        if deal.status != DealStatus.DRAFT:
            label = DEAL_STATUS_LABELS[DealStatus(deal.status)].lower()
            raise DomainError(f"the registration is {label}: only a draft's details can be changed")
        clean = clean_deal_input(_input(session, cells), _active_ids(session), utcnow().date())
        before: dict[str, object] = {name: getattr(deal, name) for name in _EDITED}
        after: dict[str, object] = {name: getattr(clean, name) for name in _EDITED}
        before |= {"name_norm": deal.name_norm, "domain": deal.domain}
        after |= {"name_norm": clean.name_norm, "domain": clean.domain}
        apply_and_audit(session, actor, deal, before, after, "import_deal", "deal")
        if (deal.name_norm, deal.domain) != (before["name_norm"], before["domain"]):  # filed under its new name
            index_keys(session, REGISTRATION, saved_id(deal), deal.name_norm, deal.domain)
        have = {p.product_id: p for p in session.exec(select(DealProduct).where(DealProduct.deal_id == deal.id))}
        for product_id, link in have.items():
            if product_id not in clean.product_ids:
                session.delete(link)
        session.add_all([DealProduct(deal_id=saved_id(deal), product_id=p) for p in clean.product_ids if p not in have])

    def export(self, session: Session, actor: Actor, filters: Mapping[str, str]) -> Iterator[dict[str, str]]:
        """The registrations the actor's deal list shows: a partner's own, a manager's in their reach; `status`
        filters as the list does."""
        stmt = select(Deal, Organization).join(Organization, col(Organization.id) == Deal.organization_id)
        if actor.is_partner:
            actor.require(Permission.REGISTER_DEALS)
            stmt = stmt.where(Deal.organization_id == actor.organization_id)
        else:
            actor.require(Permission.VIEW_PARTNERS)
            if (owner := actor.book_owner()) is not None:
                stmt = stmt.where(Organization.channel_manager_id == owner)
        if filters.get("status", "") in DEAL_STATUS_LABELS:
            stmt = stmt.where(Deal.status == filters["status"])
        rows = session.exec(stmt.order_by(col(Deal.created_at).desc(), col(Deal.id).desc())).all()
        products = _products_of(session, [saved_id(deal) for deal, _org in rows])
        for deal, org in rows:
            key = deal.external_id or f"{_BY_ID}{deal.id}"
            yield _cells(session, key, deal, org, products.get(saved_id(deal), []))


def _register(session: Session, actor: Actor, cells: Cells) -> None:
    key = cells[KEY]
    if key.startswith(_BY_ID):
        raise ValidationError(f"{key[:40]} names a registration that is not there; a new deal needs your own id", KEY)
    on_behalf_of: int | None = None
    if reference := cells.get(PARTNER, ""):
        org = partner_by_reference(session, reference)
        if org is None:
            raise DomainError(NOT_IN_REACH)
        on_behalf_of = saved_id(org)
    elif not actor.is_partner:
        raise ValidationError(f"{PARTNER} is missing: name the partner the deal is registered for", PARTNER)
    try:
        register_deal(session, actor, _input(session, cells), submit=True, on_behalf_of=on_behalf_of, external_id=key)
    except NotFound:
        raise DomainError(NOT_IN_REACH) from None


def _input(session: Session, cells: Cells) -> DealInput:
    """The row (canonical cells) as the form would send it, the products as catalogue ids."""
    ids = _catalogue(session)
    return DealInput(
        customer_name=cells["customer_name"],
        customer_site=cells["customer_site"],
        country=cells["country"],
        contact_name=cells["contact_name"],
        contact_email=cells["contact_email"],
        product_ids=tuple(ids[sku.lower()] for sku in cells.get("products", "").split(";") if sku.lower() in ids),
        estimated_value=cells["estimated_value"],
        currency=cells["currency"],
        expected_close=cells["expected_close"],
        stage=cells["stage"],
        description=cells.get("description", ""),
        credit=cells.get("credit", "") or Credit.SOURCED,
    )


def _products(session: Session) -> list[Product]:
    """Every product (a registration may name one retired since), read once per unit of work."""
    known: dict[str, list[Product]] = session.info.setdefault("deal_table.products", {})
    if "all" not in known:
        known["all"] = list(session.exec(select(Product)).all())
    return known["all"]


def _skus(session: Session) -> dict[str, str]:
    """The active products' lower-cased SKU and name -> SKU: what a row may name."""
    active = [p for p in _products(session) if p.active]
    return {p.name.lower(): p.sku for p in active} | {p.sku.lower(): p.sku for p in active}


def _catalogue(session: Session) -> dict[str, int]:
    """The active products' lower-cased SKU -> id."""
    return {p.sku.lower(): saved_id(p) for p in _products(session) if p.active}


def _active_ids(session: Session) -> set[int]:
    return set(_catalogue(session).values())


def _named_partners(session: Session) -> dict[str, int | None]:
    """The partner each row `canonical` checked in this unit of work names, by key (None: one not found)."""
    named: dict[str, int | None] = session.info.setdefault("deal_table.partners", {})
    return named


def _find(session: Session, actor: Actor, keys: Collection[str]) -> dict[str, tuple[Deal, Organization]]:
    """The registrations with these keys (external ids, or `deal:<id>`) that the actor may import: a partner's own
    organization's, a manager's partners in reach. An external_id is unique within a partner (each partner's CRM
    numbers its own deals): a row that names its partner finds that partner's deal; one that names none finds the
    deal only when a single partner in reach has the key (else the row must name its partner)."""
    wanted = list(keys)
    by_id = {int(k.removeprefix(_BY_ID)): k for k in wanted if k.startswith(_BY_ID) and k[len(_BY_ID) :].isdigit()}
    candidates: dict[str, list[tuple[Deal, Organization]]] = {}
    if actor.is_partner:  # only the actor's reach is read (and checked again below, row by row)
        reach = [Deal.organization_id == actor.organization_id]
    else:
        reach = [] if (owner := actor.book_owner()) is None else [Organization.channel_manager_id == owner]
    for start in range(0, len(wanted), 500):  # bound the IN lists
        part = wanted[start : start + 500]
        ids = [i for i, k in by_id.items() if k in part]
        rows = session.exec(
            select(Deal, Organization)
            .join(Organization, col(Organization.id) == Deal.organization_id)
            .where(col(Deal.external_id).in_(part) | col(Deal.id).in_(ids), *reach)
        ).all()
        for deal, org in rows:
            mine = (
                org.id == actor.organization_id if actor.is_partner else actor.reaches_book_of(org.channel_manager_id)
            )
            key = deal.external_id if deal.external_id in part else by_id.get(saved_id(deal))
            if mine and key is not None:
                candidates.setdefault(key, []).append((deal, org))
    named = _named_partners(session)
    found: dict[str, tuple[Deal, Organization]] = {}
    for key, deals in candidates.items():
        if key in named and not key.startswith(_BY_ID):
            deals = [(deal, org) for deal, org in deals if org.id == named[key]]
        if len(deals) == 1:
            found[key] = deals[0]
    return found


def _products_of(session: Session, deal_ids: list[int]) -> dict[int, list[int]]:
    products: dict[int, list[int]] = {}
    for start in range(0, len(deal_ids), 500):
        links = session.exec(select(DealProduct).where(col(DealProduct.deal_id).in_(deal_ids[start : start + 500])))
        for link in links:
            products.setdefault(link.deal_id, []).append(link.product_id)
    return products


def _cells(session: Session, key: str, deal: Deal, org: Organization, product_ids: Collection[int]) -> dict[str, str]:
    skus = {saved_id(p): p.sku for p in _products(session)}
    return {
        KEY: key,
        PARTNER: partner_reference(org),
        "customer_name": deal.customer_name,
        "customer_site": deal.customer_site,
        "country": deal.country,
        "contact_name": deal.contact_name,
        "contact_email": deal.contact_email,
        "products": ";".join(sorted({skus[p] for p in product_ids if p in skus})),
        "estimated_value": f"{deal.estimated_value:.2f}",
        "currency": deal.currency,
        "expected_close": deal.expected_close.isoformat(),
        "stage": deal.stage,
        "description": deal.description,
        "credit": deal.credit,
    }


DEAL_TABLE = DealTable()
