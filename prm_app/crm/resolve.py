"""Resolving drift, one click per group ("23 deals differ on Amount"): either the PRM's value is sent to the CRM
(a batch upsert of that field alone, by the PRM key) or the CRM's value is written to the PRM (only into the fields
that take CRM values; each value checked as an inbound one is). The group's drift rows go once resolved."""

from __future__ import annotations

from sqlmodel import Session, col, delete, select

from prm_app.crm.connectors import CrmError, connector_for
from prm_app.crm.models import CrmDrift
from prm_app.crm.records import apply_values, read_ids
from prm_app.crm.rules import OBJECTS, Direction, prm_key
from prm_app.crm.service import connection_of, prm_field_label
from prm_app.platform.access import Actor
from prm_app.platform.audit import audit
from prm_app.platform.errors import DomainError, NotFound, ValidationError


def resolve_drift(session: Session, actor: Actor, provider: str, object_name: str, crm_field: str, toward: str) -> int:
    """Make the PRM and the CRM agree on `crm_field` of every `object_name` the last reconciliation found
    differing, `toward` "to_crm" (the PRM's value wins) or "to_prm" (the CRM's). Returns how many records."""
    connection = connection_of(session, actor, provider)
    if object_name not in OBJECTS or toward not in (Direction.TO_CRM, Direction.TO_PRM):
        raise NotFound("drift")
    rows = session.exec(
        select(CrmDrift).where(
            CrmDrift.connection_id == connection.id,
            CrmDrift.object_name == object_name,
            CrmDrift.crm_field == crm_field,
        )
    ).all()
    if not rows:
        raise NotFound("drift")
    obj, label = OBJECTS[object_name], prm_field_label(object_name, rows[0].prm_field)
    field = obj.field(rows[0].prm_field)
    if toward == Direction.TO_PRM:
        if field is None or not field.writable:
            raise DomainError(f"{label} is the PRM's own: resolve it toward the CRM.")
        for row in rows:
            try:
                apply_values(session, actor, object_name, row.entity_id, {row.prm_field: row.crm_value})
            except ValidationError as exc:
                raise DomainError(f"{prm_key(object_name, row.entity_id)}: {exc.message} Nothing was changed.") from exc
    else:
        _send(session, connection.provider, connection.base_url, connection.token, object_name, list(rows))
    ids = [row.entity_id for row in rows]
    session.exec(
        delete(CrmDrift).where(
            col(CrmDrift.connection_id) == connection.id,
            col(CrmDrift.object_name) == object_name,
            col(CrmDrift.crm_field) == crm_field,
        )
    )
    audit(session, actor, "crm.drift_resolved", "crm_connection", connection.id,
          object=object_name, crm_field=crm_field, toward=toward, records=len(ids))  # fmt: skip
    return len(ids)


def _send(session: Session, provider: str, base_url: str, token: str, object_name: str, rows: list[CrmDrift]) -> None:
    """The PRM's current values of the drifted field, to the CRM in batches. The links' outgoing hash stays: the
    next sync sends those records whole again (harmless), rather than skip a field changed since."""
    connector = connector_for(provider, base_url, token)
    values = read_ids(session, object_name, [r.entity_id for r in rows])
    sending = [
        (r.entity_id, {r.crm_field: values[r.entity_id].get(r.prm_field, "")}) for r in rows if r.entity_id in values
    ]
    crm_type = OBJECTS[object_name].crm_type(provider)
    for start in range(0, len(sending), connector.batch_size):
        part = sending[start : start + connector.batch_size]
        try:
            results = connector.upsert(crm_type, [(prm_key(object_name, i), props) for i, props in part])
        except CrmError as exc:
            raise DomainError(f"{exc.message} Nothing was changed in the PRM.") from exc
        refused = [r for r in results if r.error]
        if refused:
            raise DomainError(f"The CRM refused {refused[0].key}: {refused[0].error}")
