"""The possible conflicts of every submitted registration, stored (table `queued_conflict`) so the review queue
counts them and shows the best score without scoring anything while it is read.

The guarantee: at any moment `now`, for every submitted registration, the rows of `queued_conflict` whose
effective score (`effective_score(now)`) reaches CONFLICT_THRESHOLD are exactly the conflicts a fresh
`conflicts.evidence(deal, now)` lists, with the same scores. That holds because

- a conflict's score depends on time only through the other claim's protection (`rules.assess`), so each row
  keeps the score with and without it, and the protection's end;
- every change that can change a score goes through `refresh_queued_conflicts` in its own transaction: a status
  change (`service.move`, `review.expire_deals`), a protection that lengthens (`review.decide_extension`), a new
  direct account. It rescores the changed registration, and rewrites the one row about it in every submitted
  registration that may match it (found by the blocking keys and domain the conflict check reads: two records
  are each other's candidates or neither is);
- the transactions of records that may match each other are serialized by locks taken after the change was
  written (`_take_lock`: on PostgreSQL one per blocking key and domain, which any two such records share; on
  SQLite the one writer), so whichever commits last rescored with every earlier change in view (on PostgreSQL's
  READ COMMITTED, each statement after the lock sees what the previous holders committed).

Data written around the use cases (bulk loads, the scale generator) must call `rebuild_queued_conflicts` after.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, insert, text
from sqlalchemy.dialects import sqlite
from sqlmodel import Session, col, delete, select, update

from prm_app.deals.matching.kana import sound_keys
from prm_app.deals.matching.rules import CONFLICT_THRESHOLD, Existing, Subject, assess
from prm_app.deals.matching.store import (
    DIRECT_ACCOUNT,
    REGISTRATION,
    candidates,
    conflict_keys,
    existing_account,
    existing_deal,
    products_by_deal,
    subject_of,
)
from prm_app.deals.models import LIVE_STATUSES, Deal, DealStatus, DirectAccount, QueuedConflict
from prm_app.platform.db import saved_id
from prm_app.platform.models import AppLock

QUEUE_LOCK = "queued_conflicts"
_INSTANT = timedelta(microseconds=1)


def effective_score(now: datetime) -> ColumnElement[int]:
    """A stored conflict's score at `now`: the protected score while the other claim's protection lasts."""
    return case(
        (col(QueuedConflict.protected_until) > now, col(QueuedConflict.protected_score)),
        else_=col(QueuedConflict.score),
    )


def is_conflict(now: datetime) -> ColumnElement[bool]:
    """A filter on `queued_conflict`: the rows that are a possible conflict at `now`."""
    return effective_score(now) >= CONFLICT_THRESHOLD


def _lock_id(key: str) -> int:
    """A stable 64-bit id for a PostgreSQL advisory lock on `key` within the queued-conflicts lock space."""
    return int.from_bytes(hashlib.blake2b(f"{QUEUE_LOCK}:{key}".encode(), digest_size=8).digest(), "big", signed=True)


def lock_keys(name_norm: str, domain: str) -> list[str]:
    """What a record's refresh locks: its blocking and brand keys and its domain. Two records that may match each
    other share one of these (the candidate search reads exactly these), so their refreshes never overlap."""
    _own, searched = sound_keys(name_norm)  # the other script's sound key: a kana name meets a Latin one
    extra = [k for k in (searched, f"d:{domain}" if domain else "") if k]
    return sorted({*conflict_keys(name_norm, domain), *extra})


def _take_lock(session: Session, keys: list[str] | None) -> None:
    """Serialize the refreshes that could see each other, until commit. `keys` None: every refresh (a rebuild).

    PostgreSQL: transaction advisory locks, one per key (sorted, so two refreshes never wait on each other in
    opposite orders), under a shared lock that a rebuild takes exclusively. Unrelated registrations no longer queue
    behind one row: under load that single row made every submission and decision of the whole program wait in
    line, holding a handler thread each. SQLite has one writer at a time anyway: one UPDATE makes this
    transaction the writer now, as before."""
    if session.get_bind().dialect.name == "postgresql":
        connection = session.connection()
        if keys is None:
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _lock_id("")})
            return
        connection.execute(text("SELECT pg_advisory_xact_lock_shared(:id)"), {"id": _lock_id("")})
        for key in keys:
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _lock_id(key)})
        return
    # As review._take_protection_lock: an UPDATE holds the write lock (SQLite) to commit.
    take = update(AppLock).where(col(AppLock.name) == QUEUE_LOCK).values(counter=AppLock.counter + 1)
    if session.exec(take).rowcount == 0:
        # The migration inserts the row; a database built from the models lacks it. Two first refreshes at once
        # must not both insert it: the second waits for the first's row, then does nothing.
        session.exec(sqlite.insert(AppLock).values(name=QUEUE_LOCK, counter=0).on_conflict_do_nothing())
        session.exec(take)


def _stored(deal_id: int, subject: Subject, existing: Existing) -> dict[str, object] | None:
    """The stored form of one candidate: None when it is no conflict, protected or not."""
    until = existing.protected_until
    # assess reads the clock only to decide whether `until` is still ahead (and for the wording of reasons).
    unprotected = assess(subject, existing, until if until is not None else datetime.min)
    protected = assess(subject, existing, until - _INSTANT) if until is not None else unprotected
    if unprotected is None and protected is None:
        return None
    return {
        "deal_id": deal_id,
        "kind": existing.kind,
        "other_id": existing.id,
        "score": unprotected.score if unprotected else 0,
        "protected_score": protected.score if protected else 0,
        "protected_until": until,
    }


def _rescore(session: Session, deal: Deal) -> None:
    """Replace the stored conflicts of one registration: none unless it is submitted."""
    deal_id = saved_id(deal)
    # Core statements, not ORM objects: a registration rescored twice in one transaction would otherwise meet its
    # first rows again in the identity map.
    session.exec(
        delete(QueuedConflict)
        .where(col(QueuedConflict.deal_id) == deal_id)
        .execution_options(synchronize_session=False)
    )
    if deal.status != DealStatus.SUBMITTED:
        return
    subject = subject_of(deal, products_by_deal(session, [deal_id])[deal_id])
    rows = [
        row
        for existing, _ in candidates(
            session, subject, organization_id=deal.organization_id, exclude_deal_id=deal_id, fresh=True
        )
        if (row := _stored(deal_id, subject, existing)) is not None
    ]
    if rows:
        session.exec(insert(QueuedConflict), params=rows)


def refresh_queued_conflicts(session: Session, changed: Deal | DirectAccount) -> None:
    """Bring the stored conflicts of `changed` (a registration whose status or protection just changed, or a
    direct account just added or changed) and of every submitted registration that may match it up to date.

    `changed` is rescored in full; each submitted registration that may match it gets only its row for `changed`
    replaced (the rest of its rows do not depend on `changed`), so the cost is one candidate search, not one per
    registration it matches. Call it after writing the change, in the same transaction; it holds QUEUE_LOCK until
    that commits.
    """
    session.flush()
    _take_lock(session, lock_keys(changed.name_norm, changed.domain))
    session.refresh(changed)  # its row as written, not as loaded before the lock
    if isinstance(changed, Deal):
        _rescore(session, changed)
        kind, changed_id = REGISTRATION, saved_id(changed)
        live = changed.status in LIVE_STATUSES
        products = products_by_deal(session, [changed_id])[changed_id]
        subject = subject_of(changed, products)
    else:
        kind, changed_id, live = DIRECT_ACCOUNT, saved_id(changed), True
        subject = Subject(
            name=changed.name, name_norm=changed.name_norm, domain=changed.domain, product_ids=frozenset(),
            registered_at=None,
        )  # fmt: skip
    waiting = candidates(
        session,
        subject,
        organization_id=None,
        exclude_deal_id=changed_id if kind == REGISTRATION else None,
        statuses=(DealStatus.SUBMITTED,),
        fresh=True,
    )
    waiting_deals = [(other, record) for other, record in waiting if isinstance(record, Deal)]
    if waiting_deals:  # each one's row about `changed` goes, in one statement (a popular name has many)
        session.exec(
            delete(QueuedConflict)
            .where(
                col(QueuedConflict.deal_id).in_([other.id for other, _ in waiting_deals]),
                col(QueuedConflict.kind) == kind,
                col(QueuedConflict.other_id) == changed_id,
            )
            .execution_options(synchronize_session=False)
        )
    rows = []
    for other, record in waiting_deals:
        if not live:  # only live registrations (and every direct account) are possible conflicts
            continue
        existing = (
            existing_deal(changed, products, record.organization_id)
            if isinstance(changed, Deal)
            else existing_account(changed)
        )
        if (row := _stored(other.id, subject_of(record, other.product_ids), existing)) is not None:
            rows.append(row)
    if rows:
        session.exec(insert(QueuedConflict), params=rows)
    session.flush()


def rebuild_queued_conflicts(session: Session) -> int:
    """Rescore every submitted registration from scratch (after a bulk load, or to backfill); returns how many."""
    session.flush()
    _take_lock(session, None)
    session.exec(delete(QueuedConflict).execution_options(synchronize_session=False))
    deals = session.exec(
        select(Deal).where(Deal.status == DealStatus.SUBMITTED).execution_options(populate_existing=True)
    ).all()
    for deal in deals:
        _rescore(session, deal)
    session.flush()
    return len(deals)
