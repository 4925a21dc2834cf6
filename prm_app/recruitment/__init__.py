"""Recruitment: programs with their public application forms, the applications, their qualification score, the
review queue (approve provisions the partner in one transaction; reject with a reason; decline for good) and the
funnel from form visit to first won deal.

The area's public API: other areas import from here only. Public use cases (no sign-in) are in apply.py; the
managers' in service.py and programs.py; reads in queries.py; the funnel's deal steps react to deal events in
reactions.py.
"""

from prm_app.recruitment.apply import (
    HONEYPOT,
    Submitted,
    ToEdit,
    application_to_edit,
    record_step,
    resubmit_application,
    submit_application,
    withdraw_application,
)
from prm_app.recruitment.programs import add_field, remove_field, save_criteria, save_program
from prm_app.recruitment.queries import (
    ApplicationDetail,
    ProgramCard,
    QueuePage,
    QueueQuery,
    QueueRow,
    all_programs,
    application_detail,
    funnel_report,
    open_program,
    open_programs,
    pending_count,
    queue,
)
from prm_app.recruitment.service import (
    Approved,
    BulkResult,
    adjust_criterion,
    approve_application,
    bulk_decide,
    decline_application,
    reject_application,
    save_reviewer_fields,
    start_review,
)

__all__ = [
    "HONEYPOT",
    "ApplicationDetail",
    "Approved",
    "BulkResult",
    "ProgramCard",
    "QueuePage",
    "QueueQuery",
    "QueueRow",
    "Submitted",
    "ToEdit",
    "add_field",
    "adjust_criterion",
    "all_programs",
    "application_detail",
    "application_to_edit",
    "approve_application",
    "bulk_decide",
    "decline_application",
    "funnel_report",
    "open_program",
    "open_programs",
    "pending_count",
    "queue",
    "record_step",
    "reject_application",
    "remove_field",
    "resubmit_application",
    "save_criteria",
    "save_program",
    "save_reviewer_fields",
    "start_review",
    "submit_application",
    "withdraw_application",
]
