"""Delivering the outbox: what the job runner does with due webhook deliveries.

- `deliver_due_webhooks` claims due deliveries, posts each, and records each try in its own short transaction:
  * the claim is one short transaction: `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (concurrent consumers pass
    over each other's rows; SQLite takes its one write lock first), then an UPDATE that adds one to `attempts` and
    moves `next_attempt_at` to the end of a lease, guarded by the row's status and due time. Only one consumer's
    UPDATE matches, so a delivery is in flight once at a time, however many consumers run.
  * the outcome is written guarded by the try number the claim set: a consumer whose lease ran out (it died, or the
    receiver took longer than the lease, which the 10 s timeout rules out) cannot overwrite a newer try.
  * the HTTP call happens outside any transaction (holding one open across it would hold SQLite's write lock).
- A 2xx answer succeeds. No answer, 408, 429 or 5xx is tried again after the backoff (RETRY_DELAYS with jitter,
  ~28 h); any other answer, or the end of the retries, gives the delivery up ("dead"): the endpoint is then marked
  failing (it gets no new events) and its owner told, once, until a test event or a redelivery gets through.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, update
from sqlmodel import Session, col, select

from prm_app.identity import User
from prm_app.integrations.webhook_models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from prm_app.integrations.webhook_rules import (
    TIMEOUT_SECONDS,
    excerpt,
    retry_delay,
    retryable,
    secrets_in_use,
    signature_headers,
    succeeded,
)
from prm_app.mail import queue_message
from prm_app.notifications import notify
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.settings import settings

log = logging.getLogger("prm_app.webhooks")

CLAIM_BATCH = 20
# How long a claimed batch belongs to its consumer: longer than posting the whole batch with every try timing out
# (20 x 10 s), so only a consumer that died loses its deliveries to another.
LEASE = timedelta(seconds=CLAIM_BATCH * TIMEOUT_SECONDS) + timedelta(minutes=5)
FAILING_NOTICE = "webhook_failing"


@dataclass(frozen=True)
class Claimed:
    """A delivery a consumer holds for one try (`attempt`)."""

    id: int
    attempt: int
    round_tries: int
    endpoint_id: int
    url: str
    event_id: str
    body: str
    secrets: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    """What a try got: the HTTP status (0: no answer) and the start of the answer or of the error."""

    status_code: int
    text: str
    final: bool = False  # not worth trying again (the address is refused): given up at once


Post = Callable[[str, dict[str, str], bytes], Answer]  # url, headers, body -> the answer (never raises)


@dataclass(frozen=True)
class DeliveryRun:
    succeeded: int = 0
    retrying: int = 0
    given_up: int = 0


def _changed(result: Any) -> bool:
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


def _sqlite_write_lock(session: Session) -> None:
    connection = session.connection()
    raw = connection.connection.dbapi_connection
    if connection.dialect.name == "sqlite" and raw is not None and not raw.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # a concurrent claim waits rather than reading a stale snapshot


def claim_due(session: Session, now: datetime, limit: int = CLAIM_BATCH) -> list[Claimed]:
    """Take up to `limit` deliveries due now, oldest first; each is taken by one caller only, for LEASE."""
    _sqlite_write_lock(session)
    due = session.exec(
        select(WebhookDelivery.id)
        .where(WebhookDelivery.status == "pending", col(WebhookDelivery.next_attempt_at) <= now)
        .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    claimed: list[Claimed] = []
    for delivery_id in due:
        took = session.exec(
            update(WebhookDelivery)
            .where(
                col(WebhookDelivery.id) == delivery_id,
                col(WebhookDelivery.status) == "pending",
                col(WebhookDelivery.next_attempt_at) <= now,
            )
            .values(
                attempts=col(WebhookDelivery.attempts) + 1,
                round_tries=col(WebhookDelivery.round_tries) + 1,
                next_attempt_at=now + LEASE,
            )
            .execution_options(synchronize_session=False)
        )
        if not _changed(took):
            continue
        row = session.exec(
            select(WebhookDelivery, WebhookEndpoint, WebhookEvent)
            .join(WebhookEndpoint, col(WebhookEndpoint.id) == WebhookDelivery.endpoint_id)
            .join(WebhookEvent, col(WebhookEvent.id) == WebhookDelivery.event_id)
            .where(WebhookDelivery.id == delivery_id)
            .execution_options(populate_existing=True)
        ).one()
        delivery, endpoint, event = row
        if endpoint.deleted_at is not None:  # deleted since: never sent
            delivery.status = "dead"
            session.add(delivery)
            continue
        claimed.append(
            Claimed(
                id=saved_id(delivery),
                attempt=delivery.attempts,
                round_tries=delivery.round_tries,
                endpoint_id=saved_id(endpoint),
                url=endpoint.url,
                event_id=event.event_id,
                body=event.body,
                secrets=secrets_in_use(endpoint.secret, endpoint.previous_secret, endpoint.previous_valid_until, now),
            )
        )
    return claimed


def _this_try(claimed: Claimed) -> Any:
    return (
        col(WebhookDelivery.id) == claimed.id,
        col(WebhookDelivery.attempts) == claimed.attempt,
        col(WebhookDelivery.status) == "pending",
    )


def record_try(
    session: Session, claimed: Claimed, answer: Answer, duration_ms: int, now: datetime, unit_random: float
) -> str:
    """Log the try and move the delivery on: "succeeded", "pending" (tried again after the backoff) or "dead".
    Returns the new status, or "" when the lease was lost (a newer try owns the delivery: nothing written)."""
    ok = succeeded(answer.status_code)
    delay = (
        retry_delay(claimed.round_tries, unit_random) if retryable(answer.status_code) and not answer.final else None
    )
    status = "succeeded" if ok else "pending" if delay is not None else "dead"
    values: dict[str, Any] = {"status": status}
    if status == "pending":
        assert delay is not None
        values["next_attempt_at"] = now + delay
    moved = session.exec(
        update(WebhookDelivery).where(*_this_try(claimed)).values(**values).execution_options(synchronize_session=False)
    )
    if not _changed(moved):
        return ""
    session.add(
        WebhookAttempt(
            delivery_id=claimed.id,
            attempt=claimed.attempt,
            at=now,
            status_code=answer.status_code,
            duration_ms=duration_ms,
            response_excerpt=excerpt(answer.text),
        )
    )
    endpoint = session.get(WebhookEndpoint, claimed.endpoint_id)
    assert endpoint is not None  # a delivery's endpoint is never removed (deleting one only marks it)
    if ok and endpoint.status != "active":
        endpoint.status = "active"
        session.add(endpoint)
    elif status == "dead" and endpoint.status == "active":
        endpoint.status = "failing"
        session.add(endpoint)
        _tell_owner(session, endpoint, answer)
    return status


def _tell_owner(session: Session, endpoint: WebhookEndpoint, answer: Answer) -> None:
    what = f"HTTP {answer.status_code}" if answer.status_code else excerpt(answer.text)[:120] or "no answer"
    message = (
        f"The webhook endpoint {endpoint.url[:200]} stopped getting events: a delivery failed ({what}) and was given "
        "up. Fix the receiver, then send a test event or redeliver from the webhooks page."
    )
    if endpoint.organization_id is not None:
        notify(session, endpoint.organization_id, FAILING_NOTICE, message, "/portal/webhooks")
        return
    owner = session.get(User, endpoint.user_id)
    if owner is not None and owner.is_active:
        link = settings.app_origin.rstrip("/") + "/webhooks"
        queue_message(
            session,
            to=owner.email,
            kind="notice",
            values={"subject": "A webhook endpoint is failing", "name": owner.full_name, "message": message,
                    "link": link, "preferences": link},
        )  # fmt: skip


def deliver_due_webhooks(
    unit_of_work: Callable[[], AbstractContextManager[Session]],
    post: Post,
    clock: Callable[[], datetime] = utcnow,
    unit_random: Callable[[], float] = random.random,
) -> DeliveryRun:
    """Deliver everything due now: claim a batch, post each (signed at the moment of the try), record each outcome
    in its own short transaction. Repeats until nothing is due. See the module docstring."""
    done = {"succeeded": 0, "pending": 0, "dead": 0, "": 0}
    while True:
        with unit_of_work() as session:
            batch = claim_due(session, clock())
        if not batch:
            return DeliveryRun(done["succeeded"], done["pending"], done["dead"])
        for claimed in batch:
            started, at = time.monotonic(), clock()
            headers = signature_headers(claimed.event_id, claimed.body, at, claimed.secrets)
            answer = post(claimed.url, headers, claimed.body.encode())
            took = int((time.monotonic() - started) * 1000)
            with unit_of_work() as session:
                status = record_try(session, claimed, answer, took, clock(), unit_random())
            done[status] += 1
            if status != "succeeded":
                log.warning("webhook delivery %d (try %d) to %s: %s", claimed.id, claimed.attempt, claimed.url,
                            answer.status_code or answer.text[:200])  # fmt: skip
