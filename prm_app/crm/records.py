"""The PRM side of a sync: each object's records as text values (rules.OBJECTS' fields), read in id order from a
cursor, and the CRM's values written to the fields that take them (audited, as the CRM connection's doing).

Deals in draft are the partner's own until submitted, so they are not synced; every other record is."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from prm_app.crm.rules import OBJECTS, Kind, as_text, taken_value
from prm_app.deals import Deal
from prm_app.identity import User
from prm_app.leads import Lead
from prm_app.partners import Organization
from prm_app.platform.access import Actor
from prm_app.platform.audit import audit
from prm_app.platform.errors import NotFound
from prm_app.platform.money import to_minor

Values = dict[str, str]


def _org_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(Organization.id, Organization.name).where(col(Organization.id).in_(wanted))).all()
    return {i: name for i, name in rows if i is not None}


def _table(object_name: str) -> Any:
    return {"partner": Organization, "contact": User, "deal": Deal, "lead": Lead}[object_name]


def _scoped(object_name: str, query: Any) -> Any:
    if object_name == "contact":
        return query.where(col(User.organization_id).is_not(None), col(User.is_active))
    if object_name == "deal":
        return query.where(col(Deal.status) != "draft")
    return query


def _values(session: Session, object_name: str, rows: Sequence[Any]) -> list[tuple[int, Values]]:
    names = {f.name for f in OBJECTS[object_name].fields}
    orgs = _org_names(session, (getattr(r, "organization_id", None) for r in rows))
    found = []
    for row in rows:
        values = {n: as_text(getattr(row, n)) for n in names if n != "partner"}
        if "partner" in names:
            values["partner"] = orgs.get(row.organization_id, "")
        found.append((row.id, values))
    return found


def read_after(session: Session, object_name: str, after_id: int, limit: int) -> list[tuple[int, Values]]:
    """Up to `limit` records of the object with an id above `after_id`, in id order: (id, values)."""
    table = _table(object_name)
    query = _scoped(object_name, select(table).where(col(table.id) > after_id)).order_by(col(table.id)).limit(limit)
    return _values(session, object_name, session.exec(query).all())


def read_ids(session: Session, object_name: str, ids: Iterable[int]) -> dict[int, Values]:
    """The values of these records (those that are still there and synced)."""
    table = _table(object_name)
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.exec(_scoped(object_name, select(table).where(col(table.id).in_(wanted)))).all()
    return dict(_values(session, object_name, rows))


def _typed(kind: Kind, text: str, row: Any) -> object:
    if kind == Kind.MONEY:  # half-even to the record's currency's minor unit
        return to_minor(Decimal(text), getattr(row, "currency", "USD"))
    if kind == Kind.DATE:
        return date.fromisoformat(text)
    return text


def apply_values(
    session: Session, actor: Actor | None, object_name: str, entity_id: int, taken: Mapping[str, str]
) -> list[str]:
    """Write the CRM's values to the PRM record's fields (each checked by rules.taken_value; ValidationError when
    one does not fit, NotFound when the record is gone); audits what changed, as `actor` (an administrator who
    resolved drift) or as nobody (an inbound CRM event, verified by its signature). Returns the fields changed.
    The caller checked the permission."""
    obj = OBJECTS[object_name]
    table = _table(object_name)
    row = session.exec(_scoped(object_name, select(table).where(col(table.id) == entity_id))).first()
    if row is None:
        raise NotFound(obj.label)
    after: dict[str, object] = {}
    for name, text in taken.items():
        field = obj.field(name)
        if field is None:
            raise NotFound("field")
        after[name] = _typed(field.kind, taken_value(field, text), row)
    before = {name: getattr(row, name) for name in after}
    changed = sorted(k for k in after if after[k] != before[k])
    if changed:
        for name in changed:
            setattr(row, name, after[name])
        session.add(row)
        audit(
            session, actor, "crm.value_taken", table.__tablename__, row.id,
            before={k: before[k] for k in changed}, after={k: after[k] for k in changed},
        )  # fmt: skip
    return changed
