"""The custom-metric entry form on SQLite and PostgreSQL: a partner of the manager's book by name, a metric the
criteria use, a number, a day not after today; every error at once under its field; audited; the partner's
evaluation re-runs and reads the value; the history shows the book's entries only."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

from prm_app.platform.access import Role
from prm_app.platform.errors import FormInvalid, PermissionDenied
from prm_app.platform.models import AuditLog
from prm_app.tiering import ProgramTier, TierEvaluation, custom_metrics_page, enter_custom_metric, save_criterion
from tests.factories import actor_for, make_user
from tests.tiering.factories import AS_OF, make_world, partner

SCORE = "Joint plan score"


def test_a_manager_enters_a_value_the_evaluation_reads(session: Session) -> None:
    w = make_world(session)
    manager = actor_for(w.manager)
    silver = session.exec(select(ProgramTier).where(col(ProgramTier.tier_id) == w.silver.id)).one()
    save_criterion(session, manager, {"program_tier_id": str(silver.id), "metric": "custom", "param": SCORE,
                                      "threshold": "7", "group": "1"})  # fmt: skip
    org = partner(session, w, w.registered, "Nordlys AS")
    with pytest.raises(FormInvalid) as err:
        enter_custom_metric(session, manager, {"partner": "Nobody", "metric": "Other", "value": "lots",
                                               "as_of": str(AS_OF + timedelta(days=1))}, today=AS_OF)  # fmt: skip
    assert set(err.value.errors) == {"partner", "metric", "value", "as_of"}
    with pytest.raises(FormInvalid) as err:
        enter_custom_metric(session, manager, {"partner": "Nordlys AS", "metric": SCORE, "value": "7",
                                               "as_of": "someday"}, today=AS_OF)  # fmt: skip
    assert set(err.value.errors) == {"as_of"}
    form = {"partner": " nordlys as ", "metric": SCORE, "value": "7.5", "as_of": str(AS_OF)}
    assert enter_custom_metric(session, manager, form, today=AS_OF) == org.id
    evaluation = session.exec(select(TierEvaluation).where(col(TierEvaluation.organization_id) == org.id)).one()
    assert json.loads(evaluation.values)[f"custom:{SCORE}"]["value"] == "7.50"
    assert evaluation.eligible_tier_id == w.silver.id
    assert session.exec(select(AuditLog.action).where(col(AuditLog.action) == "set_custom_metric")).one()
    view = custom_metrics_page(session, manager)
    assert view.metrics == (SCORE,) and "Nordlys AS" in view.partners
    (entry,) = view.history
    assert (entry.partner, entry.name, entry.value, entry.as_of) == ("Nordlys AS", SCORE, Decimal("7.5"), AS_OF)
    assert entry.entered_by == w.manager.full_name
    other = actor_for(w.other_manager)
    assert (
        custom_metrics_page(session, other).history == ()
        and "Nordlys AS" not in custom_metrics_page(session, other).partners
    )
    with pytest.raises(FormInvalid) as err:  # not in their book
        enter_custom_metric(session, other, form, today=AS_OF)
    assert set(err.value.errors) == {"partner"}
    partner_actor = actor_for(make_user(session, Role.PARTNER_ADMIN, org))
    for call in (
        lambda: enter_custom_metric(session, partner_actor, form, today=AS_OF),
        lambda: custom_metrics_page(session, partner_actor),
    ):
        with pytest.raises(PermissionDenied):
            call()
