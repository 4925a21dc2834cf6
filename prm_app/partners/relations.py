"""The distribution hierarchy as the channel team keeps it on a partner's page, and what other areas ask of it
(a reseller's current distributors, a distributor's current resellers).

Relations are effective-dated and never deleted: ending one sets its end date. `Organization.parent_id` stays as
the one distributor shown on a profile (the first current parent by name), kept in step here after every change, so
the older readers (profile, API, seed checks) read the same hierarchy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, exists, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from prm_app.partners.models import Organization, PartnerType
from prm_app.partners.relation_models import PartnerRelation, RelationKind
from prm_app.partners.relation_rules import Edge, Period, check_new_relation
from prm_app.partners.scope import profile_org
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id
from prm_app.platform.errors import FormInvalid, NotFound, ValidationError

RELATION_KIND_LABELS = {RelationKind.DISTRIBUTOR: "Distributor", RelationKind.MASTER_AGENT: "Master agent"}


@dataclass(frozen=True)
class RelationLine:
    """One relation as a partner's page lists it: the other organization and the period."""

    id: int
    other_id: int
    other_name: str
    kind: str  # a RelationKind value
    valid_from: date
    valid_to: date | None  # exclusive; None: open-ended
    current: bool  # holds today


@dataclass(frozen=True)
class Relations:
    above: tuple[RelationLine, ...]  # its distributors and master agents, current first
    below: tuple[RelationLine, ...]  # its resellers and agents, current first


def _holds_on(day: date) -> ColumnElement[bool]:
    return (col(PartnerRelation.valid_from) <= day) & or_(
        col(PartnerRelation.valid_to).is_(None), col(PartnerRelation.valid_to) > day
    )


def holds_now(parent_id: Any, child_id: Any, day: date | None = None) -> ColumnElement[bool]:
    """A filter: a relation from the organization in `parent_id` (a column or a value) down to the one in
    `child_id` holds on `day` (today). An ended relation shows the former distributor nothing more."""
    return exists().where(
        col(PartnerRelation.parent_id) == parent_id,
        col(PartnerRelation.child_id) == child_id,
        _holds_on(day or utcnow().date()),
    )


def partner_relations(session: Session, actor: Actor, organization_id: int, today: date | None = None) -> Relations:
    """The relations above and below a partner, for whoever may read its profile (partners.scope.profile_org)."""
    org = profile_org(session, actor, organization_id)
    today = today or utcnow().date()
    other = aliased(Organization)

    def lines(mine: Any, theirs: Any) -> tuple[RelationLine, ...]:
        rows = session.exec(
            select(PartnerRelation, other.name)
            .join(other, col(other.id) == theirs)
            .where(mine == org.id)
            .order_by(col(PartnerRelation.valid_from).desc(), col(PartnerRelation.id).desc())
        ).all()
        out = [
            RelationLine(
                id=saved_id(r),
                other_id=r.parent_id if theirs is PartnerRelation.parent_id else r.child_id,
                other_name=name,
                kind=r.kind,
                valid_from=r.valid_from,
                valid_to=r.valid_to,
                current=Period(r.valid_from, r.valid_to).holds_on(today),
            )
            for r, name in rows
        ]
        return tuple(sorted(out, key=lambda line: not line.current))

    return Relations(
        above=lines(PartnerRelation.child_id, PartnerRelation.parent_id),
        below=lines(PartnerRelation.parent_id, PartnerRelation.child_id),
    )


def parent_choices(session: Session, actor: Actor, organization_id: int) -> list[tuple[int, str]]:
    """The partners that may be set above this one: distributors other than itself, by name."""
    _managed_org(session, actor, organization_id)
    rows = session.exec(
        select(Organization.id, Organization.name)
        .where(Organization.partner_type == PartnerType.DISTRIBUTOR, col(Organization.id) != organization_id)
        .order_by(col(Organization.name_lower))
    ).all()
    return [(i, name) for i, name in rows if i is not None]


def _managed_org(session: Session, actor: Actor, organization_id: int) -> Organization:
    """A partner whose hierarchy the actor may change: the channel team's, for partners in its reach."""
    if actor.is_partner:
        raise NotFound("partner")
    actor.require(Permission.MANAGE_TEAM)
    org = session.get(Organization, organization_id)
    if org is None or not actor.reaches_book_of(org.channel_manager_id):
        raise NotFound("partner")
    return org


def _parse_day(text: str, field: str, required: bool) -> date | None:
    text = (text or "").strip()
    if not text:
        if required:
            raise ValidationError("Choose a date.", field)
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError("Enter a date as YYYY-MM-DD.", field) from None


def _edges(session: Session) -> list[Edge]:
    rows = session.exec(select(PartnerRelation)).all()
    return [Edge(r.parent_id, r.child_id, Period(r.valid_from, r.valid_to)) for r in rows]


def _sync_parent(session: Session, child: Organization, today: date) -> None:
    """Keep Organization.parent_id the first current distributor by name (None when it has none)."""
    first = session.exec(
        select(Organization.id)
        .join(PartnerRelation, col(PartnerRelation.parent_id) == Organization.id)
        .where(PartnerRelation.child_id == child.id, PartnerRelation.kind == RelationKind.DISTRIBUTOR)
        .where(_holds_on(today))
        .order_by(col(Organization.name_lower))
    ).first()
    if child.parent_id != first:
        child.parent_id = first
        session.add(child)


def add_relation(
    session: Session, actor: Actor, child_id: int, parent_id: str, kind: str, valid_from: str, valid_to: str = ""
) -> int:
    """Put a partner under a distributor or master agent from `valid_from` (until `valid_to`, exclusive, if given).
    Refuses loops (relation_rules.check_new_relation) and overlapping duplicates, with the message on its field;
    nothing is written then. Returns the relation's id."""
    child = _managed_org(session, actor, child_id)
    errors: dict[str, str] = {}
    parent: Organization | None = None
    if not str(parent_id).isdigit() or (parent := session.get(Organization, int(parent_id))) is None:
        errors["parent_id"] = "Choose the distributor or master agent above this partner."
    if kind not in {k.value for k in RelationKind}:
        errors["kind"] = "Choose the kind of relation."
    start = end = None
    try:
        start = _parse_day(valid_from, "valid_from", required=True)
        end = _parse_day(valid_to, "valid_to", required=False)
    except ValidationError as exc:
        errors[exc.field or "valid_from"] = exc.message
    if errors:
        raise FormInvalid(errors)
    if parent is None or start is None:  # both set when no error was found: this tells the type checker so
        raise FormInvalid({"parent_id": "Choose the distributor or master agent above this partner."})
    if kind == RelationKind.DISTRIBUTOR and parent.partner_type != PartnerType.DISTRIBUTOR:
        raise FormInvalid({"parent_id": f"{parent.name} is not a distributor."})
    try:
        check_new_relation(_edges(session), saved_id(parent), saved_id(child), Period(start, end))
    except ValidationError as exc:
        raise FormInvalid({exc.field or "parent_id": exc.message}) from None
    relation = PartnerRelation(
        parent_id=saved_id(parent), child_id=saved_id(child), kind=kind, valid_from=start, valid_to=end
    )
    session.add(relation)
    session.flush()
    _sync_parent(session, child, utcnow().date())
    audit(session, actor, "partner_relation_added", "organization", child.id, parent=parent.name, kind=kind,
          valid_from=start.isoformat(), valid_to=end.isoformat() if end else "")  # fmt: skip
    return saved_id(relation)


def end_relation(session: Session, actor: Actor, relation_id: int, on: date | None = None) -> None:
    """End a relation on `on` (default today): it no longer holds from that day. An already ended one, or one that
    starts later than `on`, is refused (a relation that never held is ended on its start day instead)."""
    relation = session.get(PartnerRelation, relation_id)
    if relation is None:
        raise NotFound("relation")
    child = _managed_org(session, actor, relation.child_id)
    on = on or utcnow().date()
    if relation.valid_to is not None and relation.valid_to <= on:
        raise ValidationError("This relation has already ended.", "relation")
    relation.valid_to = max(on, relation.valid_from)
    session.add(relation)
    session.flush()
    _sync_parent(session, child, on)
    audit(session, actor, "partner_relation_ended", "organization", child.id, relation=relation_id, valid_to=str(on))


def current_parents(session: Session, organization_id: int, on: date | None = None) -> list[tuple[int, str]]:
    """(id, name) of the distributors and master agents above a partner on `on` (default today), by name. Callers
    have already checked that the actor may act for `organization_id`."""
    rows = session.exec(
        select(Organization.id, Organization.name, Organization.name_lower)
        .join(PartnerRelation, col(PartnerRelation.parent_id) == Organization.id)
        .where(PartnerRelation.child_id == organization_id, _holds_on(on or utcnow().date()))
        .order_by(col(Organization.name_lower))
        .distinct()
    ).all()
    return [(i, name) for i, name, _ in rows if i is not None]


def current_children(session: Session, organization_id: int, on: date | None = None) -> list[tuple[int, str]]:
    """(id, name) of the resellers and agents below a partner on `on` (default today), by name."""
    rows = session.exec(
        select(Organization.id, Organization.name, Organization.name_lower)
        .join(PartnerRelation, col(PartnerRelation.child_id) == Organization.id)
        .where(PartnerRelation.parent_id == organization_id, _holds_on(on or utcnow().date()))
        .order_by(col(Organization.name_lower))
        .distinct()
    ).all()
    return [(i, name) for i, name, _ in rows if i is not None]
