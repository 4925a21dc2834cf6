"""Reads that compose a page's view of the leads area in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from prm_app.leads.queues import my_queues, queue_leads, routable_partners
from prm_app.platform.access import Actor, Permission


@dataclass(frozen=True)
class QueueView:
    queues: list[dict]  # the queues the actor works, by name
    queue_id: int | None  # the one shown: the asked-for queue if it is the actor's, else the first
    rows: list[dict]  # its waiting and routed leads in queue order
    partners: list[dict]  # partners a lead can be assigned to by hand
    can_route: bool


def queue_view(session: Session, actor: Actor, queue_id: int | None) -> QueueView:
    """A channel manager's queue page: only queues the actor is a member of (admins and execs: all)."""
    queues = my_queues(session, actor)
    if queues and queue_id not in {q["id"] for q in queues}:
        queue_id = queues[0]["id"]
    rows = queue_leads(session, actor, queue_id) if queue_id else []
    return QueueView(queues, queue_id, rows, routable_partners(session, actor), actor.can(Permission.MANAGE_LEADS))
