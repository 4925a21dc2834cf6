"""Inbound CRM events: verified by the route (ui/inbound_http.py), stored and applied here.

- Each event is stored once per (source, event id) (a unique constraint, inserted in a savepoint): a second delivery
  of it changes nothing and says "duplicate".
- Events are applied in the order they happened (`occurredAt`), not the order they came in (HubSpot delivers in
  delivery order); and an event older than the last change applied to that field of that record is kept as "stale",
  never applied, so a late delivery cannot overwrite a newer value (CrmLink.field_times).
- A change is applied only to a linked record, through a field map whose update direction is CRM → PRM, into a PRM
  field that takes CRM values (rules.taken_value checks it); anything else is stored with the reason it was ignored.

HubSpot's webhook body: a JSON array of up to 100 events with `eventId`, `subscriptionType` ("deal.propertyChange"),
`objectId`, `propertyName`, `propertyValue`, `occurredAt` (ms). The signed JSON for Salesforce (a Flow or Apex
callout): `{"events": [{"eventId", "sobject", "recordId", "field", "value", "occurredAt" (ISO 8601)}]}`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from prm_app.crm.models import CrmConnection, CrmInboundEvent, CrmLink
from prm_app.crm.records import apply_values
from prm_app.crm.rules import OBJECTS, Direction, Provider, is_newer
from prm_app.crm.service import rules_of, source_of
from prm_app.platform.db import savepoint
from prm_app.platform.errors import DomainError

MAX_EVENTS = 100
HUBSPOT_TYPES = {"company": "companies", "contact": "contacts", "deal": "deals"}


class Malformed(ValueError):
    """The body is not a batch of events of the documented shape."""


@dataclass(frozen=True)
class InboundEvent:
    event_id: str
    occurred_at: datetime
    crm_type: str  # "" when the event is of a kind not handled
    external_id: str
    crm_field: str
    value: str
    kind: str  # e.g. "deal.propertyChange"


def _text(item: dict[str, Any], key: str, limit: int) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int | float | bool) or len(str(value)) > limit:
        raise Malformed(f"{key} is not a short value")
    return str(value)


def parse_hubspot(body: bytes) -> list[InboundEvent]:
    """HubSpot's batch of events; Malformed when it is not one."""
    try:
        items = json.loads(body)
    except ValueError as exc:
        raise Malformed("not JSON") from exc
    if not isinstance(items, list) or not 0 < len(items) <= MAX_EVENTS or not all(isinstance(i, dict) for i in items):
        raise Malformed(f"not a list of 1 to {MAX_EVENTS} events")
    events = []
    for item in items:
        kind = _text(item, "subscriptionType", 60)
        occurred = item.get("occurredAt")
        if not _text(item, "eventId", 100) or not kind or not isinstance(occurred, int) or isinstance(occurred, bool):
            raise Malformed("an event lacks eventId, subscriptionType or occurredAt (ms)")
        prefix, _, change = kind.partition(".")
        handled = change == "propertyChange" and prefix in HUBSPOT_TYPES
        events.append(InboundEvent(
            _text(item, "eventId", 100), datetime.fromtimestamp(occurred / 1000, UTC),
            HUBSPOT_TYPES[prefix] if handled else "", _text(item, "objectId", 64), _text(item, "propertyName", 100),
            _text(item, "propertyValue", 10_000), kind,
        ))  # fmt: skip
    return events


def parse_signed_json(body: bytes) -> list[InboundEvent]:
    """The signed JSON batch (Salesforce); Malformed when it is not one."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise Malformed("not JSON") from exc
    items = data.get("events") if isinstance(data, dict) else None
    if not isinstance(items, list) or not 0 < len(items) <= MAX_EVENTS or not all(isinstance(i, dict) for i in items):
        raise Malformed(f"events is not a list of 1 to {MAX_EVENTS} events")
    events = []
    for item in items:
        try:
            occurred = datetime.fromisoformat(_text(item, "occurredAt", 40))
        except ValueError as exc:
            raise Malformed("occurredAt is not an ISO 8601 time") from exc
        if occurred.tzinfo is None:
            raise Malformed("occurredAt has no time zone")
        event_id, sobject, record = (_text(item, k, 100) for k in ("eventId", "sobject", "recordId"))
        if not event_id or not sobject or not record or not _text(item, "field", 100):
            raise Malformed("an event lacks eventId, sobject, recordId or field")
        events.append(InboundEvent(
            event_id, occurred.astimezone(UTC), sobject, record, _text(item, "field", 100),
            _text(item, "value", 10_000), f"{sobject}.change",
        ))  # fmt: skip
    return events


def receive_events(session: Session, provider: str, events: list[InboundEvent]) -> dict[str, int]:
    """Store and apply a verified batch; returns how many were applied, stale, ignored and duplicates."""
    connection = session.exec(select(CrmConnection).where(CrmConnection.provider == provider)).first()
    if connection is None:
        raise DomainError("No such CRM connection.")
    counts = {"applied": 0, "stale": 0, "ignored": 0, "duplicate": 0}
    for event in sorted(events, key=lambda e: e.occurred_at):
        stored = CrmInboundEvent(
            source=source_of(connection), event_id=event.event_id, occurred_at=event.occurred_at,
            external_id=event.external_id, crm_field=event.crm_field, value=event.value[:2000],
        )  # fmt: skip
        try:
            with savepoint(session):
                session.add(stored)
                session.flush()
        except IntegrityError:
            counts["duplicate"] += 1
            continue
        stored.result = _apply(session, connection, event)
        session.add(stored)
        counts[stored.result.split(":")[0] if stored.result.split(":")[0] in counts else "ignored"] += 1
    return counts


def _apply(session: Session, connection: CrmConnection, event: InboundEvent) -> str:
    objects = [o.name for o in OBJECTS.values() if o.crm_type(connection.provider) == event.crm_type]
    if not objects:
        return f"ignored: {event.kind} events are not handled"
    link = session.exec(
        select(CrmLink).where(
            CrmLink.connection_id == connection.id,
            col(CrmLink.object_name).in_(objects),
            CrmLink.external_id == event.external_id,
        )
    ).first()
    if link is None:
        return "ignored: no PRM record is linked to it"
    rules = rules_of(session, link.connection_id).get(link.object_name, [])
    rule = next((r for r in rules if r.crm_field == event.crm_field and r.prm_field), None)
    if rule is None or rule.on_update != Direction.TO_PRM:
        return f"ignored: {event.crm_field} is not mapped CRM → PRM"
    times: dict[str, str] = json.loads(link.field_times or "{}")
    last = datetime.fromisoformat(times[event.crm_field]) if event.crm_field in times else None
    if not is_newer(event.occurred_at, last):
        return "stale: a later change of this field was applied already"
    try:
        with savepoint(session):
            apply_values(session, None, link.object_name, link.entity_id, {rule.prm_field: event.value})
    except DomainError as exc:
        return f"ignored: {exc.message}"[:200]
    times[event.crm_field] = event.occurred_at.isoformat()
    link.field_times = json.dumps(times, sort_keys=True)
    session.add(link)
    return "applied"


def secret_of(session: Session, provider: str) -> str | None:
    """The connection's inbound secret (None: no such connection), for the route to verify with."""
    if provider not in (Provider.HUBSPOT, Provider.SALESFORCE):
        return None
    found = session.exec(select(CrmConnection.inbound_secret).where(CrmConnection.provider == provider)).first()
    return found or None
