"""The engagement events the dashboards depend on, written where they happen."""

from __future__ import annotations

from sqlmodel import select

from prm_app.identity.auth import log_in
from prm_app.platform.models import EngagementEvent
from tests.factories import PASSWORD, T0, make_user


def test_login_records_an_engagement_event(session):
    user = make_user(session)
    session.commit()

    log_in(session, user.email, PASSWORD, now=T0)

    events = session.exec(select(EngagementEvent)).all()
    assert [(e.kind, e.user_id, e.organization_id, e.subject_type, e.subject_id) for e in events] == [
        ("login", user.id, user.organization_id, "user", user.id)
    ]
