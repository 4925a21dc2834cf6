"""Demo onboarding: checklist templates for resellers, MSPs and VARs (and one for every other type), and a checklist
for every demo partner at a believable point: some onboarded (with their times to onboard and to first deal), some
mid-way, some stuck for weeks. Idempotent: templates are found by (type, region), checklists by organization.

Harbor Tech Supply (noah.tremblay@harbortech.example, Maya's book) is mid-way through "Enable" with its business
plan to hand in; Andes Cloud Services and Atlas Value Partners are stuck.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from prm_app.onboarding.models import (
    Checklist,
    ChecklistStage,
    ChecklistTask,
    OnboardingTemplate,
    TemplateStage,
    TemplateTask,
)
from prm_app.onboarding.rules import TaskStatus
from prm_app.onboarding.service import begin_checklist
from prm_app.partners import Organization
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id

Task = tuple[str, str, bool]  # title, kind, requires approval
WELCOME: list[Task] = [
    ("Sign the partner agreement", "sign_agreement", False),
    ("Complete your company profile (address, phone, website, logo)", "complete_profile", False),
]
TEMPLATES: dict[tuple[str, str], tuple[str, dict[str, list[Task]]]] = {
    ("reseller", ""): ("Reseller onboarding", {
        "Welcome": WELCOME,
        "Enable": [
            ("Invite a colleague to the portal", "invite_colleague", False),
            ("Send us your first-year business plan", "custom", True),
            ("Upload your reseller certificate", "upload_document", True),
        ],
        "Sell": [
            ("Register your first deal", "register_first_deal", False),
            ("Hold a joint pipeline review with your channel manager", "custom", False),
        ],
    }),
    ("msp", ""): ("MSP onboarding", {
        "Welcome": WELCOME,
        "Enable": [
            ("Upload your security certification (ISO 27001 or SOC 2)", "upload_document", True),
            ("Describe your managed service offer", "custom", True),
        ],
        "Sell": [("Register your first deal", "register_first_deal", False)],
    }),
    ("var", ""): ("VAR onboarding", {
        "Welcome": WELCOME,
        "Sell": [
            ("Invite your sales lead to the portal", "invite_colleague", False),
            ("Register your first deal", "register_first_deal", False),
        ],
    }),
    ("", ""): ("Partner onboarding", {
        "Welcome": WELCOME,
        "Sell": [("Register your first deal", "register_first_deal", False)],
    }),
}  # fmt: skip


@dataclass(frozen=True)
class Journey:
    """Where a demo partner stands: stages done, tasks done in the current one (by kind; "custom" is the first
    custom task), days from joining to onboarded / first deal, days since its last progress."""

    stages_done: int
    current_done: tuple[str, ...] = ()
    current_skipped: tuple[str, ...] = ()
    onboarded_after: int | None = None
    first_deal_after: int | None = None
    idle_days: int = 0


# Partners with demo deals (prm_app/deals/seed.py runs after this) have their first deal dated here, so the deals'
# events find nothing left to tick and a stuck partner stays stuck.
JOURNEYS = {
    "Northwind Distribution": Journey(2, onboarded_after=35, first_deal_after=35),
    "Bluepeak Resellers": Journey(3, onboarded_after=52, first_deal_after=30),
    "Harbor Tech Supply": Journey(1, ("upload_document",), ("invite_colleague",), idle_days=3),
    "Cobalt Systems VAR": Journey(2, onboarded_after=41, first_deal_after=41),
    "Andes Cloud Services": Journey(1, ("upload_document",), first_deal_after=24, idle_days=30),
    "Lumen Software Labs": Journey(2, onboarded_after=60, first_deal_after=60),
    "Meridian Integration Group": Journey(2, onboarded_after=28, first_deal_after=28),
    "Fjord Managed IT": Journey(1, ("upload_document",), idle_days=5),
    "Atlas Value Partners": Journey(0, ("sign_agreement",), first_deal_after=25, idle_days=40),
    "Sahara Digital Referrals": Journey(0, ("sign_agreement",), idle_days=6),
    "Sakura Solutions KK": Journey(2, onboarded_after=50, first_deal_after=50),
    "Koala Affiliates": Journey(0, idle_days=21),
    "Ganges Tech Distributors": Journey(2, onboarded_after=45, first_deal_after=45),
    "Deccan Resellers": Journey(0, ("sign_agreement",), idle_days=2),
}


def _templates(session: Session) -> int:
    made = 0
    for (ptype, region), (name, stages) in TEMPLATES.items():
        found = session.exec(
            select(OnboardingTemplate).where(
                OnboardingTemplate.partner_type == ptype, OnboardingTemplate.region == region
            )
        ).first()
        if found is not None:
            continue
        template = OnboardingTemplate(name=name, partner_type=ptype, region=region)
        session.add(template)
        session.flush()
        for s_pos, (stage_name, tasks) in enumerate(stages.items()):
            stage = TemplateStage(template_id=saved_id(template), position=s_pos, name=stage_name)
            session.add(stage)
            session.flush()
            for t_pos, (title, kind, approval) in enumerate(tasks):
                session.add(TemplateTask(stage_id=saved_id(stage), position=t_pos, title=title, kind=kind,
                                         requires_approval=approval))  # fmt: skip
        made += 1
    session.flush()
    return made


def _place(session: Session, checklist: Checklist, joined: datetime, journey: Journey, now: datetime) -> None:
    """Move a fresh checklist to where `journey` says, with times between joining and now."""
    stages = session.exec(
        select(ChecklistStage).where(ChecklistStage.checklist_id == checklist.id).order_by(col(ChecklistStage.position))
    ).all()
    end = joined + timedelta(days=journey.onboarded_after) if journey.onboarded_after is not None else None
    last = end or now - timedelta(days=journey.idle_days)
    for i, stage in enumerate(stages):
        tasks = session.exec(select(ChecklistTask).where(ChecklistTask.stage_id == stage.id)).all()
        when = joined + (last - joined) * (i + 1) / max(1, journey.stages_done if end is None else len(stages))
        for task in tasks:
            if i < journey.stages_done:
                task.status, task.updated_at = TaskStatus.COMPLETED, min(when, last)
            elif task.kind == "register_first_deal" and journey.first_deal_after is not None:
                task.status, task.updated_at = TaskStatus.COMPLETED, joined + timedelta(days=journey.first_deal_after)
            elif i == journey.stages_done and task.kind in journey.current_done:
                task.status, task.updated_at = TaskStatus.COMPLETED, last
            elif i == journey.stages_done and task.kind in journey.current_skipped:
                task.status, task.updated_at = TaskStatus.SKIPPED, last
            else:
                task.status, task.updated_at = TaskStatus.PENDING, checklist.started_at
            session.add(task)
        stage.completed_at = min(when, last) if i < journey.stages_done else None
        session.add(stage)
    checklist.completed_at = end
    checklist.last_progress_at = last
    checklist.first_deal_at = (
        joined + timedelta(days=journey.first_deal_after) if journey.first_deal_after is not None else None
    )
    session.add(checklist)


def seed(session: Session) -> dict[str, int]:
    """The demo's templates and a checklist for each demo partner that has none; returns how many were made."""
    templates = _templates(session)
    now, made = utcnow(), 0
    for name, journey in JOURNEYS.items():
        org = session.exec(select(Organization).where(Organization.name == name)).first()
        if org is None or session.exec(select(Checklist.id).where(Checklist.organization_id == org.id)).first():
            continue
        checklist_id = begin_checklist(session, saved_id(org), now=org.joined_at)
        checklist = session.get(Checklist, checklist_id) if checklist_id is not None else None
        if checklist is not None:
            _place(session, checklist, org.joined_at, journey, now)
            made += 1
    session.flush()
    return {"onboarding templates": templates, "onboarding checklists": made}
