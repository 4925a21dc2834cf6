"""A double submit, as two workers would run it at the same moment: one signature, never two (the UNIQUE
(version, organization) constraint decides inside a savepoint), and the engagement event recorded once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from prm_app.agreements import my_agreements, publish_version, save_template, sign_agreement
from prm_app.agreements.models import AgreementSignature
from prm_app.platform.access import Role
from prm_app.platform.models import EngagementEvent
from tests.conftest import SHARED_BACKENDS, race, shared_database
from tests.factories import actor_for, make_user


@pytest.fixture(params=SHARED_BACKENDS, ids=["sqlite", "pg"])
def shared_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    with shared_database(request.param, tmp_path, "sign_race") as engine:
        yield engine


def test_two_simultaneous_submits_sign_once(shared_engine: Engine):
    with Session(shared_engine, expire_on_commit=False) as session:
        manager = make_user(session, Role.CHANNEL_MANAGER)
        admin = make_user(session, Role.PARTNER_ADMIN, full_name="Ingrid Berg")
        tid = save_template(session, actor_for(manager), None, name="Partner Program Agreement", body="Hi {{date}}")
        version_id = publish_version(session, actor_for(manager), tid, requires_acceptance=True)
        shown = my_agreements(session, actor_for(admin)).to_sign[0].text_sha256
        session.commit()

    def submit(session: Session) -> int:
        return sign_agreement(
            session, actor_for(admin), version_id, typed_name="Ingrid Berg", agreed=True, shown_sha256=shown
        )

    results = race(shared_engine, submit, submit)
    with Session(shared_engine) as session:
        signatures = session.exec(select(AgreementSignature.id)).all()
        events = session.exec(select(EngagementEvent).where(EngagementEvent.kind == "agreement_signed")).all()
    assert len(signatures) == 1 and len(events) == 1
    signed = [r for r in results if isinstance(r, int)]
    assert signed and set(signed) == {signatures[0]}, results
    # The loser either returns the same signature or (SQLite, whose writers queue on one lock and whose stale
    # snapshot cannot write) fails as a whole and signs nothing: never a second signature.
    assert all(isinstance(r, int) or isinstance(r, Exception) for r in results)
