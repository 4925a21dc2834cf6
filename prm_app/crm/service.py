"""CRM connection settings and field maps (administrators only), and the reads the CRM page shows: the maps, the
sync log, the drift found and the inbound events received. The token and the inbound secret are written here and
never read back out: the connection's view says only whether each is set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, delete, select

from prm_app.crm.models import CrmConnection, CrmDrift, CrmFieldMap, CrmInboundEvent, CrmLink, CrmSyncLog
from prm_app.crm.rules import (
    OBJECTS,
    PROVIDER_LABELS,
    ConnectionInput,
    Direction,
    FieldRule,
    MapInput,
    check_connection,
    check_map,
    default_maps,
)
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound
from prm_app.platform.settings import settings


@dataclass(frozen=True)
class ConnectionView:
    id: int
    provider: str
    base_url: str
    has_token: bool
    has_secret: bool
    updated_at: datetime
    linked: int  # records linked to a CRM record


@dataclass(frozen=True)
class MapRow:
    id: int
    object_name: str
    crm_field: str
    prm_field: str
    fixed_value: str
    on_create: str
    on_update: str
    first_sync_only: bool


@dataclass(frozen=True)
class LogRow:
    id: int
    run_id: int | None
    at: datetime
    object_name: str
    created: int
    updated: int
    unchanged: int
    failed: int
    message: str


@dataclass(frozen=True)
class DriftGroup:
    object_name: str
    crm_field: str
    prm_field: str
    count: int
    example_prm: str
    example_crm: str


@dataclass(frozen=True)
class InboundRow:
    event_id: str
    occurred_at: datetime
    external_id: str
    crm_field: str
    value: str
    result: str


def _connection(session: Session, provider: str) -> CrmConnection | None:
    return session.exec(select(CrmConnection).where(CrmConnection.provider == provider)).first()


def connection_of(session: Session, actor: Actor, provider: str) -> CrmConnection:
    """The provider's connection (NotFound when not set up); checks the actor may manage CRM sync."""
    actor.require(Permission.MANAGE_CRM)
    found = _connection(session, provider) if provider in PROVIDER_LABELS else None
    if found is None:
        raise NotFound("CRM connection")
    return found


def view_connection(session: Session, actor: Actor, provider: str) -> ConnectionView | None:
    """The connection of `provider` without its secrets, or None when it is not set up yet."""
    actor.require(Permission.MANAGE_CRM)
    found = _connection(session, provider) if provider in PROVIDER_LABELS else None
    if found is None:
        return None
    linked = session.exec(select(func.count()).where(CrmLink.connection_id == found.id)).one()
    return ConnectionView(
        saved_id(found), found.provider, found.base_url, bool(found.token), bool(found.inbound_secret),
        found.updated_at, int(linked),
    )  # fmt: skip


def save_connection(session: Session, actor: Actor, given: ConnectionInput) -> int:
    """Create or change the provider's connection; an empty token or secret keeps the stored one. A new
    connection starts with the provider's default field maps. Returns its id."""
    actor.require(Permission.MANAGE_CRM)
    found = _connection(session, given.provider) if given.provider in PROVIDER_LABELS else None
    url = check_connection(
        given,
        has_token=bool(found and found.token),
        has_secret=bool(found and found.inbound_secret),
        allow_http=settings.demo_mode,  # the demo and the tests talk to a local stand-in over plain http
    )
    assert actor.user_id is not None
    row = found or CrmConnection(provider=given.provider, base_url=url, token="", inbound_secret="", updated_by_id=0)
    row.base_url, row.updated_by_id, row.updated_at = url, actor.user_id, utcnow()
    if given.token.strip():
        row.token = given.token.strip()
    if given.inbound_secret.strip():
        row.inbound_secret = given.inbound_secret.strip()
    session.add(row)
    session.flush()
    if found is None:
        for object_name, rule in default_maps(given.provider):
            session.add(_map_row(saved_id(row), object_name, rule))
    changed = ["base_url", *(["token"] if given.token.strip() else []), *(["secret"] if given.inbound_secret else [])]
    audit(session, actor, "crm.connection_saved", "crm_connection", row.id, provider=given.provider, changed=changed)
    return saved_id(row)


def _map_row(connection_id: int, object_name: str, rule: FieldRule) -> CrmFieldMap:
    return CrmFieldMap(
        connection_id=connection_id, object_name=object_name, crm_field=rule.crm_field, prm_field=rule.prm_field,
        fixed_value=rule.fixed_value, on_create=rule.on_create, on_update=rule.on_update,
        first_sync_only=rule.first_sync_only,
    )  # fmt: skip


def rules_of(session: Session, connection_id: int) -> dict[str, list[FieldRule]]:
    """Each object's field maps as rules (objects without a map are left out)."""
    found: dict[str, list[FieldRule]] = {}
    rows = session.exec(
        select(CrmFieldMap).where(CrmFieldMap.connection_id == connection_id).order_by(col(CrmFieldMap.id))
    ).all()
    for r in rows:
        found.setdefault(r.object_name, []).append(
            FieldRule(r.crm_field, r.prm_field, r.fixed_value, Direction(r.on_create), Direction(r.on_update),
                      r.first_sync_only)
        )  # fmt: skip
    return found


def list_maps(session: Session, actor: Actor, provider: str) -> list[MapRow]:
    connection = connection_of(session, actor, provider)
    rows = session.exec(
        select(CrmFieldMap)
        .where(CrmFieldMap.connection_id == connection.id)
        .order_by(col(CrmFieldMap.object_name), col(CrmFieldMap.id))
    ).all()
    return [
        MapRow(saved_id(r), r.object_name, r.crm_field, r.prm_field, r.fixed_value, r.on_create, r.on_update,
               r.first_sync_only)
        for r in rows
    ]  # fmt: skip


def save_map(session: Session, actor: Actor, provider: str, given: MapInput) -> int:
    """Add a field map, or change the one of the same object and CRM field. Returns its id."""
    connection = connection_of(session, actor, provider)
    rule = check_map(given)
    row = session.exec(
        select(CrmFieldMap).where(
            CrmFieldMap.connection_id == connection.id,
            CrmFieldMap.object_name == given.object_name,
            CrmFieldMap.crm_field == rule.crm_field,
        )
    ).first()
    fresh = _map_row(saved_id(connection), given.object_name, rule)
    if row is None:
        row = fresh
    else:
        for name in ("prm_field", "fixed_value", "on_create", "on_update", "first_sync_only"):
            setattr(row, name, getattr(fresh, name))
    session.add(row)
    session.flush()
    audit(session, actor, "crm.map_saved", "crm_field_map", row.id, object=given.object_name, crm_field=rule.crm_field)
    return saved_id(row)


def delete_map(session: Session, actor: Actor, provider: str, map_id: int) -> None:
    connection = connection_of(session, actor, provider)
    row = session.get(CrmFieldMap, map_id)
    if row is None or row.connection_id != connection.id:
        raise NotFound("field map")
    session.delete(row)
    audit(session, actor, "crm.map_deleted", "crm_field_map", map_id, object=row.object_name, crm_field=row.crm_field)


def sync_log(session: Session, actor: Actor, provider: str, limit: int = 50) -> list[LogRow]:
    """The newest lines of the sync log first."""
    connection = connection_of(session, actor, provider)
    rows = session.exec(
        select(CrmSyncLog)
        .where(CrmSyncLog.connection_id == connection.id)
        .order_by(col(CrmSyncLog.id).desc())
        .limit(limit)
    ).all()
    return [
        LogRow(saved_id(r), r.run_id, r.at, r.object_name, r.created, r.updated, r.unchanged, r.failed, r.message)
        for r in rows
    ]


def drift_groups(session: Session, actor: Actor, provider: str) -> list[DriftGroup]:
    """The last reconciliation's drift, one group per object and field ("23 deals differ on Amount")."""
    connection = connection_of(session, actor, provider)
    rows = session.execute(  # five columns: past sqlmodel's typed select
        sa_select(  # type: ignore[call-overload]
            CrmDrift.object_name, CrmDrift.crm_field, CrmDrift.prm_field, func.count(), func.min(CrmDrift.id)
        )
        .where(CrmDrift.connection_id == connection.id)
        .group_by(col(CrmDrift.object_name), col(CrmDrift.crm_field), col(CrmDrift.prm_field))
        .order_by(col(CrmDrift.object_name), col(CrmDrift.crm_field))
    ).all()
    groups = []
    for object_name, crm_field, prm_field, count, first in rows:
        example = session.get(CrmDrift, first)
        assert example is not None
        groups.append(DriftGroup(object_name, crm_field, prm_field, int(count), example.prm_value, example.crm_value))
    return groups


def inbound_events(session: Session, actor: Actor, provider: str, limit: int = 20) -> list[InboundRow]:
    connection = connection_of(session, actor, provider)
    rows = session.exec(
        select(CrmInboundEvent)
        .where(CrmInboundEvent.source == source_of(connection))
        .order_by(col(CrmInboundEvent.id).desc())
        .limit(limit)
    ).all()
    return [InboundRow(r.event_id, r.occurred_at, r.external_id, r.crm_field, r.value, r.result) for r in rows]


def source_of(connection: CrmConnection) -> str:
    return connection.provider


def prm_field_label(object_name: str, prm_field: str) -> str:
    obj = OBJECTS.get(object_name)
    found = obj.field(prm_field) if obj else None
    return found.label if found else prm_field


def clear_drift(session: Session, connection_id: int, object_name: str | None = None) -> None:
    query = delete(CrmDrift).where(col(CrmDrift.connection_id) == connection_id)
    if object_name is not None:
        query = query.where(col(CrmDrift.object_name) == object_name)
    session.exec(query)
