"""Which lead queues a vendor-side actor works: its memberships (admins and executives: every queue). Every
queue read and write goes through `check_queue`, so a queue outside the actor's reach is simply not found."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from prm_app.leads.models import LeadQueue, LeadQueueMember
from prm_app.platform.access import Actor, Permission, Scope
from prm_app.platform.db import saved_id
from prm_app.platform.errors import NotFound


@dataclass(frozen=True)
class QueueOption:
    """A queue the actor works."""

    id: int
    name: str


def my_queues(session: Session, actor: Actor) -> list[QueueOption]:
    """The queues the actor works, by name: its memberships (admins and execs see every queue)."""
    actor.require(Permission.VIEW_PARTNERS)
    stmt = select(LeadQueue).order_by(col(LeadQueue.name))
    if actor.scope == Scope.OWN_BOOK:
        stmt = stmt.join(LeadQueueMember, col(LeadQueueMember.queue_id) == LeadQueue.id).where(
            LeadQueueMember.user_id == actor.user_id
        )
    return [QueueOption(id=saved_id(q), name=q.name) for q in session.exec(stmt).all()]


def check_queue(session: Session, actor: Actor, queue_id: int, *, write: bool) -> LeadQueue:
    """The queue, if the actor works it (and, for `write`, may manage leads); else NotFound."""
    if write:
        actor.require(Permission.MANAGE_LEADS)
    if queue_id not in {q.id for q in my_queues(session, actor)}:
        raise NotFound("queue")
    queue = session.get(LeadQueue, queue_id)
    if queue is None:  # never: my_queues has just listed it
        raise NotFound("queue")
    return queue
