"""Webhook endpoints and the outbox of events.

Endpoints are managed by the people who manage API keys: an administrator's cover the whole program, a partner
admin's only that partner's events (the fan-out below checks it, not the page). The secret is shown once (on creation
and on rotation); a rotation keeps the previous secret signing for ROTATION_OVERLAP.

The outbox: every engagement event of a kind in EVENT_TYPES (platform.audit.record_engagement, which the areas call
in the transaction of their change) writes a WebhookEvent and one WebhookDelivery per active endpoint that wants it,
in that same transaction (reactions.py registers it). A change rolled back therefore sends nothing, and a committed
one is sent by the job runner (webhook_delivery.py), which is asked to start once the transaction commits.
"""

from __future__ import annotations

import base64
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, event, func, literal, or_, true
from sqlmodel import Session, col, select

from prm_app.integrations.webhook_models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from prm_app.integrations.webhook_rules import (
    EVENT_TYPES,
    ROTATION_OVERLAP,
    SECRET_PREFIX,
    TEST_EVENT,
    EndpointInput,
    check_endpoint,
    event_body,
)
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import DomainError, NotFound, PermissionDenied
from prm_app.platform.settings import settings

log = logging.getLogger("prm_app.webhooks")
_deliverers: list[Callable[[], None]] = []
_QUEUED = "webhooks.queued"


def local_receivers_allowed() -> bool:
    """Plain http to this machine's own addresses: only in the demo (PRM_DEMO, which the browser tests run)."""
    return settings.demo_mode


@dataclass(frozen=True)
class EndpointSecret:
    id: int
    url: str
    secret: str  # shown once, on creation or rotation


@dataclass(frozen=True)
class EndpointRow:
    id: int
    url: str
    events: tuple[str, ...]
    organization: str  # "" for the whole program
    status: str  # "active" or "failing"
    created_at: datetime
    rotating_until: datetime | None  # the previous secret still signs until then
    pending: int  # deliveries not finished yet
    failed: int  # deliveries given up


@dataclass(frozen=True)
class DeliveryRow:
    id: int
    event_id: str
    event_type: str
    status: str  # pending, succeeded, dead
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    last_at: datetime | None
    last_status_code: int | None
    last_duration_ms: int | None
    last_excerpt: str


# -- the outbox -------------------------------------------------------------------------------------------------------
def register_deliverer(deliver_soon: Callable[[], None]) -> None:
    """How committed deliveries reach the job runner at once (the runtime registers its task here)."""
    _deliverers.append(deliver_soon)


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction() or not session.info.pop(_QUEUED, False):
        return  # a savepoint released (the real commit comes later) or nothing queued in this transaction
    for deliver_soon in _deliverers:
        try:
            deliver_soon()
        except Exception:  # the queue is down: the rows are committed and the periodic run delivers them
            log.exception("could not ask the job runner to deliver webhooks now")


def _deliver_once_committed(session: Session) -> None:
    if not event.contains(session, "after_commit", _after_commit):
        event.listen(session, "after_commit", _after_commit)
    session.info[_QUEUED] = True


def _new_event(
    session: Session, event_type: str, organization_id: int | None, data: dict[str, object], at: datetime
) -> WebhookEvent:
    event_id = "msg_" + secrets.token_urlsafe(18)
    row = WebhookEvent(
        event_id=event_id,
        event_type=event_type,
        organization_id=organization_id,
        body=event_body(event_id, event_type, at, data),
        created_at=at,
    )
    session.add(row)
    session.flush()
    return row


def queue_event(
    session: Session,
    kind: str,
    organization_id: int | None,
    subject_type: str,
    subject_id: int | None,
    actor_user_id: int | None,
    at: datetime | None = None,
) -> int:
    """Write engagement event `kind` to the outbox for every active endpoint that wants it and may see it (the
    program's endpoints: every event; a partner's: its own organization's), in the caller's transaction. Returns how
    many deliveries it queued (none: no event row either)."""
    event_type = EVENT_TYPES[kind]
    # No flush for the lookup: the change being recorded is written when its use case flushes, as without webhooks
    # (some use cases order their writes on purpose); only an event that has endpoints writes anything here.
    with session.no_autoflush:
        endpoints = session.exec(
            select(WebhookEndpoint.id).where(
                col(WebhookEndpoint.deleted_at).is_(None),
                WebhookEndpoint.status == "active",
                or_(
                    col(WebhookEndpoint.organization_id).is_(None),
                    col(WebhookEndpoint.organization_id) == organization_id,
                )
                if organization_id is not None
                else col(WebhookEndpoint.organization_id).is_(None),
                # the whole word: "deal.won" is not "deal.won_big"
                (literal(" ") + col(WebhookEndpoint.events) + literal(" ")).contains(
                    f" {event_type} ", autoescape=True
                ),
            )
        ).all()
    if not endpoints:
        return 0
    at = at or utcnow()
    data: dict[str, object] = {
        "organization_id": organization_id,
        "object": subject_type,
        "object_id": subject_id,
        "actor_user_id": actor_user_id,
    }
    row = _new_event(session, event_type, organization_id, data, at)
    for endpoint_id in (i for i in endpoints if i is not None):  # a primary key is never NULL: tells mypy so
        session.add(WebhookDelivery(event_id=saved_id(row), endpoint_id=endpoint_id, next_attempt_at=at, created_at=at))
    _deliver_once_committed(session)
    return len(endpoints)


# -- endpoints ------------------------------------------------------------------------------------------------------
def _reachable(actor: Actor) -> ColumnElement[bool]:
    """The endpoints `actor` may see and change: an administrator every one, a partner admin their organization's."""
    actor.require(Permission.MANAGE_API_KEYS)  # the people who connect other systems: the same as API keys
    return col(WebhookEndpoint.organization_id) == actor.organization_id if actor.is_partner else true()


def _endpoint(session: Session, actor: Actor, endpoint_id: int) -> WebhookEndpoint:
    row = session.exec(
        select(WebhookEndpoint).where(
            _reachable(actor), WebhookEndpoint.id == endpoint_id, col(WebhookEndpoint.deleted_at).is_(None)
        )
    ).first()
    if row is None:
        raise NotFound("webhook endpoint")
    return row


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def create_endpoint(session: Session, actor: Actor, data: EndpointInput, now: datetime | None = None) -> EndpointSecret:
    """A new endpoint owned by `actor` (for their organization if a partner admin, else the program). The secret is
    in the answer only; FormInvalid (nothing written) for a bad URL or no event."""
    actor.require(Permission.MANAGE_API_KEYS)
    if actor.user_id is None:
        raise PermissionDenied()
    clean = check_endpoint(data, allow_local=local_receivers_allowed())
    row = WebhookEndpoint(
        url=clean.url,
        events=" ".join(clean.events),
        secret=new_secret(),
        user_id=actor.user_id,
        organization_id=actor.organization_id if actor.is_partner else None,
        created_at=now or utcnow(),
    )
    session.add(row)
    session.flush()
    audit(session, actor, "webhook_endpoint_created", "webhook_endpoint", row.id, url=clean.url, events=row.events)
    return EndpointSecret(id=saved_id(row), url=row.url, secret=row.secret)


def rotate_secret(session: Session, actor: Actor, endpoint_id: int, now: datetime | None = None) -> EndpointSecret:
    """A new secret for the endpoint (shown once); the one it replaces keeps signing for ROTATION_OVERLAP."""
    row = _endpoint(session, actor, endpoint_id)
    now = now or utcnow()
    row.previous_secret, row.previous_valid_until, row.secret = row.secret, now + ROTATION_OVERLAP, new_secret()
    session.add(row)
    audit(session, actor, "webhook_secret_rotated", "webhook_endpoint", row.id, url=row.url)
    return EndpointSecret(id=saved_id(row), url=row.url, secret=row.secret)


def delete_endpoint(session: Session, actor: Actor, endpoint_id: int, now: datetime | None = None) -> None:
    """Stop sending to the endpoint (its log stays for the audit trail)."""
    row = _endpoint(session, actor, endpoint_id)
    row.deleted_at = now or utcnow()
    session.add(row)
    audit(session, actor, "webhook_endpoint_deleted", "webhook_endpoint", row.id, url=row.url)


def list_endpoints(session: Session, actor: Actor) -> list[EndpointRow]:
    """The endpoints the actor may manage, newest first (at most 100: endpoints are few)."""
    rows = session.exec(
        select(WebhookEndpoint, Organization.name)
        .where(_reachable(actor), col(WebhookEndpoint.deleted_at).is_(None))
        .outerjoin(Organization, col(Organization.id) == WebhookEndpoint.organization_id)
        .order_by(col(WebhookEndpoint.id).desc())
        .limit(100)
    ).all()
    counts = _delivery_counts(session, [saved_id(r) for r, _ in rows])
    now = utcnow()
    return [
        EndpointRow(
            id=saved_id(r),
            url=r.url,
            events=tuple(r.events.split()),
            organization=org or "",
            status=r.status,
            created_at=r.created_at,
            rotating_until=r.previous_valid_until if r.previous_valid_until and r.previous_valid_until > now else None,
            pending=counts.get((saved_id(r), "pending"), 0),
            failed=counts.get((saved_id(r), "dead"), 0),
        )
        for r, org in rows
    ]


def _delivery_counts(session: Session, endpoint_ids: list[int]) -> dict[tuple[int, str], int]:
    rows = session.exec(
        select(WebhookDelivery.endpoint_id, WebhookDelivery.status, func.count())
        .where(col(WebhookDelivery.endpoint_id).in_(endpoint_ids))
        .group_by(col(WebhookDelivery.endpoint_id), col(WebhookDelivery.status))
    ).all()
    return {(e, s): n for e, s, n in rows}


def send_test_event(session: Session, actor: Actor, endpoint_id: int, now: datetime | None = None) -> int:
    """Queue a `webhook.test` event to this endpoint alone (whatever its status: a test that gets through puts a
    failing endpoint back to work). Returns the delivery's id."""
    row = _endpoint(session, actor, endpoint_id)
    now = now or utcnow()
    data: dict[str, object] = {"endpoint_id": row.id, "organization_id": row.organization_id, "message": "Test"}
    made = _new_event(session, TEST_EVENT, row.organization_id, data, now)
    delivery = WebhookDelivery(event_id=saved_id(made), endpoint_id=saved_id(row), next_attempt_at=now, created_at=now)
    session.add(delivery)
    session.flush()
    _deliver_once_committed(session)
    return saved_id(delivery)


def redeliver(session: Session, actor: Actor, delivery_id: int, now: datetime | None = None) -> None:
    """Send a delivery that succeeded or was given up again from now, with a fresh round of retries (same webhook-id:
    receivers may deduplicate). One still being tried is left to its schedule (DomainError): never twice in flight."""
    found = session.exec(
        select(WebhookDelivery)
        .join(WebhookEndpoint, col(WebhookEndpoint.id) == WebhookDelivery.endpoint_id)
        .where(_reachable(actor), WebhookDelivery.id == delivery_id, col(WebhookEndpoint.deleted_at).is_(None))
    ).first()
    if found is None:
        raise NotFound("delivery")
    if found.status == "pending":  # on its way (perhaps in flight right now): a second try at once is not sent
        raise DomainError("This delivery is still being tried: redeliver it once it has succeeded or been given up.")
    found.status, found.round_tries, found.next_attempt_at = "pending", 0, now or utcnow()
    session.add(found)
    audit(session, actor, "webhook_redelivered", "webhook_delivery", found.id)
    _deliver_once_committed(session)


def list_deliveries(session: Session, actor: Actor, endpoint_id: int, limit: int = 50) -> list[DeliveryRow]:
    """The endpoint's latest deliveries, newest first, each with its last attempt."""
    _endpoint(session, actor, endpoint_id)
    rows = session.exec(
        select(WebhookDelivery, WebhookEvent)
        .join(WebhookEvent, col(WebhookEvent.id) == WebhookDelivery.event_id)
        .where(WebhookDelivery.endpoint_id == endpoint_id)
        .order_by(col(WebhookDelivery.id).desc())
        .limit(limit)
    ).all()
    last: dict[int, WebhookAttempt] = {}
    for attempt in session.exec(
        select(WebhookAttempt)
        .where(col(WebhookAttempt.delivery_id).in_([saved_id(d) for d, _ in rows]))
        .order_by(col(WebhookAttempt.id))
    ).all():
        last[attempt.delivery_id] = attempt
    return [
        DeliveryRow(
            id=saved_id(d),
            event_id=e.event_id,
            event_type=e.event_type,
            status=d.status,
            attempts=d.attempts,
            created_at=d.created_at,
            next_attempt_at=d.next_attempt_at,
            last_at=last[d.id].at if d.id in last else None,
            last_status_code=last[d.id].status_code if d.id in last else None,
            last_duration_ms=last[d.id].duration_ms if d.id in last else None,
            last_excerpt=last[d.id].response_excerpt if d.id in last else "",
        )
        for d, e in rows
    ]
