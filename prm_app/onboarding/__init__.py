"""Onboarding checklists: templates per partner type and region in stages, tasks that tick themselves from
engagement events, each partner's journey, and the managers' board with time to onboard and to first deal.

The area's public API: other areas import from here only. `start_onboarding` starts a partner's checklist
(idempotent); recording the engagement event `partner_provisioned` for a new organization does the same, and
`agreement_signed`, `deal_registered`, `colleague_joined`, `org_profile_updated` tick the tasks they stand for.
Colleagues ask to join their company's team through `request_to_join`; its partner admin decides on the Team page.
A task may name a training course (courses.py): training registers the course choices
(`register_course_choices`), ticks it (`complete_course_tasks`) and reads what is open (`open_course_codes`).
"""

from prm_app.onboarding.completion import onboarding_completions
from prm_app.onboarding.courses import complete_course_tasks, open_course_codes, register_course_choices
from prm_app.onboarding.join_requests import (
    JoinRequestView,
    approve_join_request,
    decline_join_request,
    pending_join_requests,
    request_to_join,
)
from prm_app.onboarding.queries import (
    Board,
    BoardRow,
    ChecklistView,
    StageView,
    TaskView,
    my_checklist,
    onboarding_board,
    onboarding_medians,
    partner_checklist,
)
from prm_app.onboarding.rules import KIND_LABELS, STATUS_LABELS, QuarterMedians, TaskKind, TaskStatus
from prm_app.onboarding.service import (
    approve_task,
    mark_task_done,
    note_application,
    send_back_task,
    skip_task,
    start_onboarding,
)

__all__ = [
    "KIND_LABELS",
    "STATUS_LABELS",
    "Board",
    "BoardRow",
    "ChecklistView",
    "JoinRequestView",
    "QuarterMedians",
    "StageView",
    "TaskKind",
    "TaskStatus",
    "TaskView",
    "approve_join_request",
    "approve_task",
    "complete_course_tasks",
    "decline_join_request",
    "mark_task_done",
    "my_checklist",
    "note_application",
    "onboarding_board",
    "onboarding_completions",
    "onboarding_medians",
    "open_course_codes",
    "partner_checklist",
    "pending_join_requests",
    "register_course_choices",
    "request_to_join",
    "send_back_task",
    "skip_task",
    "start_onboarding",
]
