"""What integrations does when another area records an engagement event: write it to the webhooks' outbox, in the
same transaction (platform.audit.reacts_to), so the areas announce their changes without knowing webhooks exist."""

from __future__ import annotations

from sqlmodel import Session

from prm_app.integrations.webhook_rules import EVENT_TYPES
from prm_app.integrations.webhooks import queue_event
from prm_app.platform.audit import reacts_to
from prm_app.platform.models import EngagementEvent


@reacts_to(*EVENT_TYPES)
def _to_the_outbox(session: Session, event: EngagementEvent) -> None:
    queue_event(
        session, event.kind, event.organization_id, event.subject_type, event.subject_id, event.user_id, event.at
    )
