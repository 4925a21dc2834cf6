"""`Idempotency-Key` on the API's POSTs: a retried request gets the answer the first one got, never a second effect.

    claim (own transaction, committed) -> the use case and `complete` (one transaction) -> or `release` if it failed

The claim row is committed before the use case runs, so a second request with the same key while the first is
still working finds it and is told 409 (the UNIQUE (api_key_id, idempotency_key) constraint decides between two
that arrive together, on SQLite and PostgreSQL alike). The answer is stored in the use case's own transaction:
either the deal and its stored answer both exist, or neither does. Records are kept for RETENTION; a claim whose
request died without releasing it (a killed worker) is taken over after STALE_CLAIM.

A claim is known by its moment (`claimed_at`, the record's created_at): taking one over, completing it and
releasing it are compare-and-sets on that moment, so of two retries taking over one claim only one goes on, and a
request that was only slow, not dead, finds its claim gone when it completes and is undone (409) instead of
adding a second effect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select, update

from prm_app.integrations.models import IdempotencyRecord
from prm_app.platform.clock import utcnow
from prm_app.platform.db import part_of
from prm_app.platform.errors import DomainError, ValidationError

RETENTION = timedelta(hours=24)
STALE_CLAIM = timedelta(minutes=5)
HEADER = "Idempotency-Key"


class StillInFlight(DomainError):
    """The first request with this key has not finished yet (409)."""

    def __init__(self) -> None:
        super().__init__("A request with this Idempotency-Key is still being processed; retry after it finishes.")


class KeyReused(ValidationError):
    """The key was used before with another request (422)."""

    def __init__(self) -> None:
        super().__init__("This Idempotency-Key was already used with a different request.", HEADER)


@dataclass(frozen=True)
class StoredAnswer:
    status_code: int
    body: str


def check_key_text(key: str) -> str:
    """The key as sent: 1-255 visible ASCII characters (ValidationError on the header otherwise)."""
    if not 1 <= len(key) <= 255 or not all(33 <= ord(c) <= 126 for c in key):
        raise ValidationError("An Idempotency-Key is 1 to 255 visible ASCII characters (a UUID is ideal).", HEADER)
    return key


def _record(session: Session, api_key_id: int, key: str) -> IdempotencyRecord | None:
    return session.exec(
        select(IdempotencyRecord).where(
            IdempotencyRecord.api_key_id == api_key_id, IdempotencyRecord.idempotency_key == key
        )
    ).first()


def claim(
    session: Session, api_key_id: int, key: str, fingerprint: str, now: datetime | None = None
) -> StoredAnswer | None:
    """Claim `key` for this request at `now` (None: go ahead, then `complete` or `release` with that same moment), or
    the answer stored for the same request earlier. Raises KeyReused for another request under the same key,
    StillInFlight while the first works."""
    now = now or utcnow()
    existing = _record(session, api_key_id, key)
    if existing is not None and existing.created_at <= now - RETENTION:
        session.delete(existing)  # forgotten: the key may be used afresh
        session.flush()
        existing = None
    if existing is None:
        try:
            with part_of(session):
                session.add(
                    IdempotencyRecord(
                        api_key_id=api_key_id, idempotency_key=key, request_hash=fingerprint, created_at=now
                    )
                )
                session.flush()
            return None
        except IntegrityError:  # another request claimed it a moment ago
            existing = _record(session, api_key_id, key)
            if existing is None:
                raise StillInFlight() from None
    if existing.request_hash != fingerprint:
        raise KeyReused()
    if existing.status_code == 0:
        if existing.created_at > now - STALE_CLAIM:
            raise StillInFlight()
        # Its request died without a word: this one takes over, unless another retry just did.
        if not _move_claim(session, existing, existing.created_at, created_at=now):
            raise StillInFlight()
        return None
    return StoredAnswer(existing.status_code, existing.response_body)


def _move_claim(session: Session, record: IdempotencyRecord, claimed_at: datetime, **values: object) -> bool:
    """Set `values` on the in-flight claim `record` if it is still the one made at `claimed_at`."""
    moved = session.exec(
        update(IdempotencyRecord)
        .where(
            col(IdempotencyRecord.id) == record.id,
            col(IdempotencyRecord.status_code) == 0,
            col(IdempotencyRecord.created_at) == claimed_at,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return moved.rowcount == 1


def complete(session: Session, api_key_id: int, key: str, claimed_at: datetime, status_code: int, body: str) -> None:
    """Store the answer to give every retry (in the same transaction as the request's effect). StillInFlight when the
    claim made at `claimed_at` was taken over meanwhile: the caller's transaction, effect included, must not
    commit."""
    record = _record(session, api_key_id, key)
    if record is None or not _move_claim(session, record, claimed_at, status_code=status_code, response_body=body):
        raise StillInFlight()


def release(session: Session, api_key_id: int, key: str, claimed_at: datetime) -> None:
    """Give the key back after a request that failed unexpectedly (nothing was done: a retry may try again), unless
    the claim made at `claimed_at` is another request's by now."""
    session.exec(
        delete(IdempotencyRecord).where(
            col(IdempotencyRecord.api_key_id) == api_key_id,
            col(IdempotencyRecord.idempotency_key) == key,
            col(IdempotencyRecord.status_code) == 0,
            col(IdempotencyRecord.created_at) == claimed_at,
        )
    )


def forget_idempotency_records(session: Session, now: datetime | None = None) -> int:
    """The hourly clean-up: delete the records older than RETENTION, which no retry gets any more (their stored
    answers hold customers' names and contacts; a claim that old is long dead). Returns how many went."""
    cutoff = (now or utcnow()) - RETENTION
    return int(session.exec(delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) <= cutoff)).rowcount or 0)
