"""What a partner reads of its notices: frozen dataclasses with raw values, newest first, its own organization's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from prm_app.notifications import Notice, notify, recent_notices
from prm_app.platform.access import Role
from tests.factories import T0, actor_for, make_org, make_user


@pytest.fixture
def orgs(session: Session) -> dict:
    alpha, beta = make_org(session, name="Alpha Resellers"), make_org(session, name="Beta Systems")
    notify(session, alpha.id, "deal_approved", "Deal Hooli approved", "/deals/1", at=T0)
    notify(session, alpha.id, "lead_offered", "A lead is offered", "/leads/7", at=T0 + timedelta(hours=1))
    notify(session, alpha.id, "note", "Same moment, later id", at=T0 + timedelta(hours=1))
    notify(session, beta.id, "deal_approved", "Deal Initech approved", "/deals/2", at=T0)
    session.commit()
    return {"alpha": alpha, "beta": beta}


def test_notices_are_the_organizations_own_newest_first_with_raw_values(session, orgs):
    actor = actor_for(make_user(session, Role.PARTNER_USER, orgs["alpha"]))

    notices = recent_notices(session, actor)

    assert [n.message for n in notices] == ["Same moment, later id", "A lead is offered", "Deal Hooli approved"]
    assert notices[1] == Notice(
        id=notices[1].id,
        kind="lead_offered",
        message="A lead is offered",
        link="/leads/7",
        created_at=T0 + timedelta(hours=1),
    )
    assert notices[0].link == ""
    assert len(recent_notices(session, actor, limit=2)) == 2


def test_the_vendors_people_have_no_notices(session, orgs):
    assert recent_notices(session, actor_for(make_user(session, Role.ADMIN))) == ()
