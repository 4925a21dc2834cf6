"""Each partner's onboarding checklist: started from the matching template (once per organization), ticked by the
engagement events other areas record (reactions.py), worked by the partner in the portal and decided by its
channel manager (approve, send back with a note, skip).

A task that moves updates its stage and the checklist in the same unit of work: a stage completes when its last
task does, the checklist (the partner is onboarded) when its last stage does.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from prm_app.agreements import signed_everything
from prm_app.identity import User
from prm_app.notifications import notify, resolve
from prm_app.onboarding.models import (
    Checklist,
    ChecklistStage,
    ChecklistTask,
    OnboardingTemplate,
    TemplateStage,
    TemplateTask,
)
from prm_app.onboarding.rules import (
    NOTE_MAX,
    TICKED_BY,
    ProfileFacts,
    TaskKind,
    TaskStatus,
    after_partner_done,
    all_done,
    may_approve,
    may_send_back,
    may_skip,
    pick_template,
    profile_complete,
)
from prm_app.partners import Organization
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id, savepoint
from prm_app.platform.errors import DomainError, NotFound, PermissionDenied, ValidationError
from prm_app.platform.i18n import Words
from prm_app.platform.models import EngagementEvent

RETURNED_NOTICE = "onboarding_task_returned"

# --- starting -------------------------------------------------------------------------------------------------


def _checklist_of(session: Session, organization_id: int) -> Checklist | None:
    return session.exec(select(Checklist).where(Checklist.organization_id == organization_id)).first()


def _template_for(session: Session, org: Organization) -> OnboardingTemplate | None:
    rows = session.exec(select(OnboardingTemplate.id, OnboardingTemplate.partner_type, OnboardingTemplate.region)).all()
    chosen = pick_template([(i, t, r) for i, t, r in rows if i is not None], org.partner_type, org.region)
    return session.get(OnboardingTemplate, chosen) if chosen is not None else None


def begin_checklist(session: Session, organization_id: int, now: datetime | None = None) -> int | None:
    """The organization's checklist id, started now from its template if it has none: stages and tasks copied, and
    what the organization already did ticked at once. None when no template matches. Idempotent, also when two
    start together: the unique organization_id decides, inside a savepoint. (No actor: callers check who asks;
    the partner_provisioned reaction calls it within the approval that provisioned the organization.)"""
    existing = _checklist_of(session, organization_id)
    if existing is not None:
        return saved_id(existing)
    org = session.get(Organization, organization_id)
    if org is None:
        raise NotFound("partner")
    template = _template_for(session, org)
    if template is None:
        return None
    now = now or utcnow()
    checklist = Checklist(
        organization_id=organization_id, template_name=template.name, started_at=now, last_progress_at=now
    )
    try:
        with savepoint(session):
            session.add(checklist)
            session.flush()
    except IntegrityError:  # another start committed first (the savepoint's rollback dropped our row)
        raced = _checklist_of(session, organization_id)
        if raced is None:
            raise
        return saved_id(raced)
    checklist_id = saved_id(checklist)
    stages = session.exec(
        select(TemplateStage).where(TemplateStage.template_id == template.id).order_by(col(TemplateStage.position))
    ).all()
    for s_pos, stage in enumerate(stages):
        copy = ChecklistStage(checklist_id=checklist_id, position=s_pos, name=stage.name)
        session.add(copy)
        session.flush()
        tasks = session.exec(
            select(TemplateTask).where(TemplateTask.stage_id == stage.id).order_by(col(TemplateTask.position))
        ).all()
        for t_pos, task in enumerate(tasks):
            session.add(
                ChecklistTask(
                    checklist_id=checklist_id, stage_id=saved_id(copy), position=t_pos, title=task.title,
                    kind=task.kind, course_code=task.course_code, requires_approval=task.requires_approval,
                    updated_at=now,
                )
            )  # fmt: skip
    session.flush()
    _tick_what_is_done(session, checklist, org, now)
    audit(session, None, "start_onboarding", "organization", organization_id, template=template.name)
    return checklist_id


def note_application(session: Session, organization_id: int, applied_at: datetime) -> None:
    """The partner came through an application submitted at `applied_at`: its time to onboard counts from then (the
    domain's definition), not from its approval. For recruitment's approval, in its transaction, after the
    partner_provisioned event started the checklist (no actor: the approval checked who asks). No checklist: nothing."""
    checklist = _checklist_of(session, organization_id)
    if checklist is not None:
        checklist.applied_at = applied_at
        session.add(checklist)


def start_onboarding(session: Session, actor: Actor, organization_id: int, now: datetime | None = None) -> int:
    """Start the organization's checklist from the template for its type and region (a region's own template wins
    over the type's general one) and tick what it already did. Twice gives the same checklist. Channel managers
    (their book), admins and jobs. Raises NotFound outside the actor's reach, DomainError when no template fits."""
    actor.require(Permission.MANAGE_ONBOARDING)
    org = session.get(Organization, organization_id)
    if org is None or not actor.reaches_book_of(org.channel_manager_id):
        raise NotFound("partner")
    checklist_id = begin_checklist(session, organization_id, now)
    if checklist_id is None:
        raise DomainError("No checklist template fits this partner's type and region yet.")
    return checklist_id


def _first_event(session: Session, organization_id: int, kind: str) -> datetime | None:
    return session.exec(
        select(func.min(EngagementEvent.at)).where(
            EngagementEvent.organization_id == organization_id, EngagementEvent.kind == kind
        )
    ).one()


def _profile_facts(org: Organization) -> ProfileFacts:
    return ProfileFacts(org.street, org.city, org.postal_code, org.phone, org.website, org.logo_key)


def _has_colleagues(session: Session, organization_id: int) -> bool:
    """Someone besides the first person is on the team (the first, a new partner's admin, joins by invitation too)."""
    people = select(func.count()).select_from(User).where(User.organization_id == organization_id)
    return session.exec(people).one() >= 2


def _tick_what_is_done(session: Session, checklist: Checklist, org: Organization, now: datetime) -> None:
    """At the start: tick every self-ticking task whose event already happened (or whose record says so)."""
    org_id = saved_id(org)
    done: set[str] = set()
    for event_kind, task_kind in TICKED_BY.items():
        if task_kind in (TaskKind.COMPLETE_PROFILE, TaskKind.SIGN_AGREEMENT):
            continue  # judged from the records below, not from one past event
        if _first_event(session, org_id, event_kind) is not None:
            done.add(task_kind)
    if signed_everything(session, org_id):
        done.add(TaskKind.SIGN_AGREEMENT)
    if _has_colleagues(session, org_id):
        done.add(TaskKind.INVITE_COLLEAGUE)
    if profile_complete(_profile_facts(org)):
        done.add(TaskKind.COMPLETE_PROFILE)
    checklist.first_deal_at = _first_event(session, org_id, "deal_registered")
    session.add(checklist)
    for kind in done:
        _tick_kind(session, checklist, kind, now)


# --- ticking from events --------------------------------------------------------------------------------------


def _tick_kind(session: Session, checklist: Checklist, kind: str, now: datetime) -> int:
    """Complete the checklist's open tasks of `kind` (self-ticking kinds need no approval). Returns how many."""
    tasks = session.exec(
        select(ChecklistTask).where(
            ChecklistTask.checklist_id == checklist.id,
            ChecklistTask.kind == kind,
            col(ChecklistTask.status).in_([TaskStatus.PENDING, TaskStatus.ACTION_REQUIRED]),
        )
    ).all()
    return tick_tasks(session, list(tasks), now)


def tick_tasks(session: Session, tasks: list[ChecklistTask], now: datetime) -> int:
    """Complete these open tasks of one checklist (self-ticking: no approval), then settle its stages."""
    checklist = session.get(Checklist, tasks[0].checklist_id) if tasks else None
    if checklist is None:
        return 0
    for task in tasks:
        _set_status(session, checklist, task, TaskStatus.COMPLETED, now)
    _settle(session, checklist, now)
    return len(tasks)


def tick_from_event(session: Session, event: EngagementEvent) -> None:
    """What an engagement event does to its organization's checklist (see reactions.py): the task kind it stands
    for ticks; a profile update ticks only once the profile is complete; a registered deal also dates the first
    deal. Nothing happens for an organization without a checklist."""
    if event.organization_id is None:
        return
    checklist = _checklist_of(session, event.organization_id)
    if checklist is None:
        return
    now = event.at or utcnow()
    if event.kind == "deal_registered" and checklist.first_deal_at is None:
        checklist.first_deal_at = now
        session.add(checklist)
    kind = TICKED_BY.get(event.kind)
    if kind is None:
        return
    if kind == TaskKind.COMPLETE_PROFILE:
        org = session.get(Organization, event.organization_id)
        if org is None or not profile_complete(_profile_facts(org)):
            return
    if kind == TaskKind.INVITE_COLLEAGUE and not _has_colleagues(session, event.organization_id):
        return  # the partner's first person joined: nobody invited a colleague yet
    if kind == TaskKind.SIGN_AGREEMENT and not signed_everything(session, event.organization_id):
        return  # one signature of several owed (the program agreement, not yet the MSP addendum): not done yet
    _tick_kind(session, checklist, kind, now)


# --- status changes -------------------------------------------------------------------------------------------


def _set_status(session: Session, checklist: Checklist, task: ChecklistTask, status: str, now: datetime) -> None:
    task.status, task.updated_at = status, now
    checklist.last_progress_at = now
    session.add(task)
    session.add(checklist)


def _settle(session: Session, checklist: Checklist, now: datetime) -> None:
    """Stages complete when their last task does (and reopen when one is sent back); the checklist likewise."""
    session.flush()
    stages = session.exec(select(ChecklistStage).where(ChecklistStage.checklist_id == checklist.id)).all()
    for stage in stages:
        statuses = session.exec(select(ChecklistTask.status).where(ChecklistTask.stage_id == stage.id)).all()
        done = all_done(statuses)
        if done and stage.completed_at is None:
            stage.completed_at = now
        elif not done:
            stage.completed_at = None
        session.add(stage)
    finished = all(s.completed_at is not None for s in stages)
    if finished and checklist.completed_at is None:
        checklist.completed_at = now
    elif not finished:
        checklist.completed_at = None
    session.add(checklist)


def _task_in_reach(session: Session, actor: Actor, task_id: int) -> tuple[ChecklistTask, Checklist, Organization]:
    """The task if the actor reaches its organization (a partner: its own; a manager: their book), else NotFound."""
    task = session.get(ChecklistTask, task_id) if isinstance(task_id, int) else None
    checklist = session.get(Checklist, task.checklist_id) if task else None
    org = session.get(Organization, checklist.organization_id) if checklist else None
    if task is None or checklist is None or org is None:
        raise NotFound("task")
    if actor.is_partner:
        reached = actor.organization_id == org.id
    else:
        reached = actor.reaches_book_of(org.channel_manager_id)
    if not reached:
        raise NotFound("task")
    return task, checklist, org


def _partner_task(session: Session, actor: Actor, task_id: int) -> tuple[ChecklistTask, Checklist]:
    actor.require(Permission.USE_PORTAL)
    if not actor.is_partner:
        raise PermissionDenied()
    task, checklist, _org = _task_in_reach(session, actor, task_id)
    return task, checklist


def _hand_in(session: Session, actor: Actor, task: ChecklistTask, checklist: Checklist, now: datetime) -> str:
    try:
        status = after_partner_done(task.kind, task.status, task.requires_approval)
    except ValueError as exc:
        raise DomainError(str(exc)) from None
    _set_status(session, checklist, task, status, now)
    _settle(session, checklist, now)
    resolve(session, checklist.organization_id, ("onboarding_task", saved_id(task)), RETURNED_NOTICE, at=now)
    return status


def mark_task_done(session: Session, actor: Actor, task_id: int, now: datetime | None = None) -> str:
    """A partner user says a manual task is done: waiting for approval when it needs one, else completed.
    Returns the new status. Self-ticking and document tasks are refused (they complete by what they stand for)."""
    now = now or utcnow()
    task, checklist = _partner_task(session, actor, task_id)
    if task.kind == TaskKind.UPLOAD_DOCUMENT:
        raise DomainError("Upload the document to finish this task.")
    status = _hand_in(session, actor, task, checklist, now)
    audit(session, actor, "onboarding_task_done", "onboarding_task", task.id, status=status)
    return status


def check_document_task(session: Session, actor: Actor, task_id: int) -> None:
    """Raises unless the actor may upload this task's document now (checked before an upload's body is kept)."""
    task, _checklist = _partner_task(session, actor, task_id)
    if task.kind != TaskKind.UPLOAD_DOCUMENT:
        raise NotFound("task")
    try:
        after_partner_done(task.kind, task.status, task.requires_approval)
    except ValueError as exc:
        raise DomainError(str(exc)) from None


def attach_document(
    session: Session, actor: Actor, task_id: int, key: str, content_type: str, name: str, now: datetime | None = None
) -> str:
    """The partner's document (already stored and its type proven: documents.py) hands in an upload task.
    Returns the key of the document it replaces ("" when none), for the caller to delete once committed."""
    now = now or utcnow()
    check_document_task(session, actor, task_id)
    task, checklist = _partner_task(session, actor, task_id)
    previous = task.document_key
    task.document_key, task.document_type, task.document_name = key, content_type, name[:200]
    status = _hand_in(session, actor, task, checklist, now)
    audit(session, actor, "onboarding_document", "onboarding_task", task.id, status=status, type=content_type)
    return previous


def task_document(session: Session, actor: Actor, task_id: int) -> tuple[str, str, str]:
    """(key, content type, name) of a task's document for its organization's people and managers in reach."""
    if actor.is_partner:
        actor.require(Permission.USE_PORTAL)
    else:
        actor.require(Permission.VIEW_PARTNERS)
    task, _c, _o = _task_in_reach(session, actor, task_id)
    if not task.document_key:
        raise NotFound("document")
    return task.document_key, task.document_type, task.document_name


def _manager_task(session: Session, actor: Actor, task_id: int) -> tuple[ChecklistTask, Checklist, Organization]:
    actor.require(Permission.MANAGE_ONBOARDING)
    if actor.is_partner:
        raise PermissionDenied()
    return _task_in_reach(session, actor, task_id)


def approve_task(session: Session, actor: Actor, task_id: int, now: datetime | None = None) -> None:
    """A manager accepts what the partner handed in: the task completes (and perhaps its stage and checklist)."""
    now = now or utcnow()
    task, checklist, _org = _manager_task(session, actor, task_id)
    if not may_approve(task.status):
        raise DomainError("Only a task waiting for approval can be approved.")
    task.decided_by_id, task.note = actor.user_id, ""
    _set_status(session, checklist, task, TaskStatus.COMPLETED, now)
    _settle(session, checklist, now)
    audit(session, actor, "onboarding_task_approved", "onboarding_task", task.id)


def send_back_task(session: Session, actor: Actor, task_id: int, note: str, now: datetime | None = None) -> None:
    """A manager sends a task back with a note saying why: it needs the partner's action again, its stage reopens,
    and the partner's people get a notice linking to their checklist."""
    now = now or utcnow()
    task, checklist, org = _manager_task(session, actor, task_id)
    note = (note or "").strip()
    if not note:
        raise ValidationError("Say what the partner should change.", "note")
    if len(note) > NOTE_MAX:
        raise ValidationError(f"Keep the note to {NOTE_MAX} characters or fewer.", "note")
    if not may_send_back(task.status):
        raise DomainError("Only a task that was handed in or done can be sent back.")
    task.decided_by_id, task.note = actor.user_id, note
    _set_status(session, checklist, task, TaskStatus.ACTION_REQUIRED, now)
    _settle(session, checklist, now)
    notify(
        session, saved_id(org), RETURNED_NOTICE, f"Onboarding: “{task.title}” needs your action. {note}",
        "/portal/onboarding", at=now, about=("onboarding_task", saved_id(task)),
        words=Words("onboarding.notice.task_returned", {"task": task.title, "note": note}),
    )  # fmt: skip
    audit(session, actor, "onboarding_task_sent_back", "onboarding_task", task.id, note=note)


def skip_task(session: Session, actor: Actor, task_id: int, now: datetime | None = None) -> None:
    """A manager skips a task this partner does not need; it counts as done."""
    now = now or utcnow()
    task, checklist, org = _manager_task(session, actor, task_id)
    if not may_skip(task.status):
        raise DomainError("This task is already done.")
    task.decided_by_id = actor.user_id
    _set_status(session, checklist, task, TaskStatus.SKIPPED, now)
    _settle(session, checklist, now)
    resolve(session, saved_id(org), ("onboarding_task", saved_id(task)), RETURNED_NOTICE, at=now)
    audit(session, actor, "onboarding_task_skipped", "onboarding_task", task.id)
