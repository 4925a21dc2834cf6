"""Finding conflicts for a registration in the database: blocking keys (of the name, and of the site's brand
label) narrow the search to a handful of rows, then the pure `assess` scores each one. Also keeps the
blocking-key table in step with the records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CompoundSelect, Select, insert, union_all, update
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, delete, select

from prm_app.deals.matching.kana import sound_keys
from prm_app.deals.matching.multinational import brand_key
from prm_app.deals.matching.rules import (
    CONFLICT_THRESHOLD,
    Conflict,
    Existing,
    Subject,
    assess,
    blocking_keys,
    normalize_company_name,
)
from prm_app.deals.models import LIVE_STATUSES, ConflictKey, Deal, DealProduct, DirectAccount
from prm_app.platform.db import saved_id

REGISTRATION = "registration"
DIRECT_ACCOUNT = "direct_account"


def conflict_keys(name_norm: str, domain: str) -> list[str]:
    """Every key a record is filed under (sorted, no duplicates): its name's blocking keys, for a site on a
    country or global suffix its brand key ("b:brand" for brand.de and brand.co.jp alike), and its name's sound
    key in its script ("k:brnd" for ブランド, "s:brnd" for Brand: kana.sound_keys). A conflict check reads the
    records filed under its `search_keys` or its domain."""
    brand, (sound, _) = brand_key(domain), sound_keys(name_norm)
    return sorted({*blocking_keys(name_norm), *([brand] if brand else []), *([sound] if sound else [])})


def search_keys(name_norm: str, domain: str) -> list[str]:
    """The keys a conflict check for this name and site reads: the record's own name and brand keys, and the
    other script's sound key instead of its own (a kana name reads the Latin names that sound alike, never the
    kana ones it already finds by spelling). Two records that may be the same customer meet through these."""
    own, searched = sound_keys(name_norm)
    return sorted({*(k for k in conflict_keys(name_norm, domain) if k != own), *([searched] if searched else [])})


def index_keys(session: Session, kind: str, record_id: int, name_norm: str, domain: str) -> None:
    """Replace the keys of one record."""
    session.exec(delete(ConflictKey).where(col(ConflictKey.kind) == kind, col(ConflictKey.record_id) == record_id))
    for key in conflict_keys(name_norm, domain):
        session.add(ConflictKey(key=key, kind=kind, record_id=record_id))


def reindex_conflict_keys(session: Session) -> int:
    """Compare every registration and direct account by today's rules: its name normalized again (after a change
    to `normalize_company_name`, e.g. Japanese group words set apart) and its keys replaced (after a change to how
    keys are made, e.g. the brand keys' backfill). Returns how many records. Run
    `queued.rebuild_queued_conflicts` after it."""
    session.flush()
    session.exec(delete(ConflictKey).execution_options(synchronize_session=False))
    count = 0
    for kind, table, name in (
        (REGISTRATION, Deal, Deal.customer_name),
        (DIRECT_ACCOUNT, DirectAccount, DirectAccount.name),
    ):
        records = [
            (record_id, normalize_company_name(full), stored, domain)
            for record_id, full, stored, domain in session.exec(
                select(table.id, name, table.name_norm, table.domain).order_by(col(table.id))
            )
        ]
        renamed = [{"id": record_id, "name_norm": norm} for record_id, norm, stored, _d in records if norm != stored]
        if renamed:
            session.exec(update(table), params=renamed)  # by primary key, in executemany batches
            session.expire_all()  # a record already loaded reads its new name_norm
        rows = [
            {"key": key, "kind": kind, "record_id": record_id}
            for record_id, name_norm, _stored, domain in records
            for key in conflict_keys(name_norm, domain)
        ]
        for start in range(0, len(rows), 5_000):
            session.exec(insert(ConflictKey), params=rows[start : start + 5_000])
        count += len(records)
    session.flush()
    return count


def _candidate_ids(
    kind: str, keys: list[str], domain: str, id_column: Mapped[int | None], domain_column: Mapped[str]
) -> CompoundSelect[Any] | Select[Any] | None:
    """Ids sharing a blocking key or the domain, as a UNION of two index lookups. (An OR of the two in one
    WHERE makes SQLite and PostgreSQL walk every live registration: 50 ms instead of 1 ms at 100k rows.)"""
    parts: list[Select[Any]] = (
        [select(ConflictKey.record_id).where(ConflictKey.kind == kind, col(ConflictKey.key).in_(keys))] if keys else []
    )
    if domain:
        parts.append(select(id_column).where(domain_column == domain))
    if not parts:
        return None
    return union_all(*parts) if len(parts) > 1 else parts[0]


def products_by_deal(session: Session, deal_ids: list[int]) -> dict[int, frozenset[int]]:
    """The product ids of each of `deal_ids` (an empty set for one that names none)."""
    found: dict[int, set[int]] = {i: set() for i in deal_ids}
    if deal_ids:
        for deal_id, product_id in session.exec(
            select(DealProduct.deal_id, DealProduct.product_id).where(col(DealProduct.deal_id).in_(deal_ids))
        ):
            found[deal_id].add(product_id)
    return {k: frozenset(v) for k, v in found.items()}


def existing_deal(deal: Deal, product_ids: frozenset[int], organization_id: int | None) -> Existing:
    """A registration as `assess` compares it with a subject of organization `organization_id`."""
    return Existing(
        kind=REGISTRATION,
        id=saved_id(deal),
        name=deal.customer_name,
        name_norm=deal.name_norm,
        domain=deal.domain,
        product_ids=product_ids,
        registered_at=deal.submitted_at,
        protected_until=deal.protection_ends_at if deal.status == "approved" else None,
        same_partner=organization_id is not None and deal.organization_id == organization_id,
    )


def existing_account(account: DirectAccount) -> Existing:
    """A direct-sales account as `assess` compares it with a subject."""
    return Existing(
        kind=DIRECT_ACCOUNT,
        id=saved_id(account),
        name=account.name,
        name_norm=account.name_norm,
        domain=account.domain,
        product_ids=frozenset(),
        registered_at=None,
        protected_until=account.protected_until,
        same_partner=False,
    )


def candidates(
    session: Session,
    subject: Subject,
    *,
    organization_id: int | None,
    exclude_deal_id: int | None = None,
    statuses: tuple[str, ...] = LIVE_STATUSES,
    fresh: bool = False,
) -> list[tuple[Existing, Deal | DirectAccount]]:
    """The registrations in `statuses` (live ones by default) and the direct accounts that share the registrable
    domain or a blocking key with `subject`, as `assess` takes them, each beside its row. Unscored, unordered.

    `fresh` re-reads rows already in the session (for callers that hold a lock taken after they were loaded).
    """
    keys = search_keys(subject.name_norm, subject.domain)
    found: list[tuple[Existing, Deal | DirectAccount]] = []

    deal_ids = _candidate_ids(REGISTRATION, keys, subject.domain, col(Deal.id), col(Deal.domain))
    if deal_ids is not None:
        stmt = select(Deal).where(col(Deal.id).in_(deal_ids), col(Deal.status).in_([str(s) for s in statuses]))
        if exclude_deal_id is not None:
            stmt = stmt.where(col(Deal.id) != exclude_deal_id)
        deals = session.exec(stmt.execution_options(populate_existing=fresh)).all()
        products = products_by_deal(session, [saved_id(d) for d in deals])
        for deal in deals:
            found.append((existing_deal(deal, products[saved_id(deal)], organization_id), deal))

    account_ids = _candidate_ids(DIRECT_ACCOUNT, keys, subject.domain, col(DirectAccount.id), col(DirectAccount.domain))
    if account_ids is not None:
        accounts = session.exec(
            select(DirectAccount)
            .where(col(DirectAccount.id).in_(account_ids))
            .execution_options(populate_existing=fresh)
        ).all()
        for account in accounts:
            found.append((existing_account(account), account))
    return found


def find_conflicts(
    session: Session,
    subject: Subject,
    *,
    organization_id: int | None,
    now: datetime,
    exclude_deal_id: int | None = None,
) -> list[tuple[Conflict, Deal | DirectAccount]]:
    """Every live registration and direct account that may be the same customer, best match first.

    Only rows sharing the registrable domain or a blocking key are read, so the cost does not grow with the
    number of registrations. Deterministic: ties are broken by kind and id.
    """
    matches: list[tuple[Conflict, Deal | DirectAccount]] = []
    for existing, record in candidates(
        session, subject, organization_id=organization_id, exclude_deal_id=exclude_deal_id
    ):
        if (conflict := assess(subject, existing, now)) is not None:
            matches.append((conflict, record))
    matches.sort(key=lambda m: (-m[0].score, m[0].kind, m[0].id))
    return matches


def subject_of(deal: Deal, product_ids: frozenset[int]) -> Subject:
    return Subject(
        name=deal.customer_name,
        name_norm=deal.name_norm,
        domain=deal.domain,
        product_ids=product_ids,
        registered_at=deal.submitted_at,
    )


__all__ = [
    "CONFLICT_THRESHOLD",
    "DIRECT_ACCOUNT",
    "REGISTRATION",
    "candidates",
    "conflict_keys",
    "existing_account",
    "existing_deal",
    "find_conflicts",
    "index_keys",
    "reindex_conflict_keys",
    "search_keys",
    "subject_of",
]
