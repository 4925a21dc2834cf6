"""Two-tier distribution on leads: a distributor passes an accepted lead to one of its current resellers (an offer
with the usual deadline and notice); a decline or a lapsed offer gives it back to the distributor, accepted, never to
routing; only its own current resellers, only a lead it works; the reseller's deal from it names the distributor.

The world is tests/leads/factories.py's; Acme Retail is offered to Northwind at T0 and accepted; Bluepeak is below
Northwind from 2026-01-01."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import Session, select

from prm_app.leads import pass_choices, pass_lead
from prm_app.leads.models import Lead, LeadEvent, LeadStatus
from prm_app.leads.my_leads import get_my_lead, lead_deal_prefill
from prm_app.leads.offers import accept_lead, decline_lead, recycle_overdue_leads
from prm_app.notifications.models import Notification
from prm_app.partners import PartnerType, add_relation, end_relation
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import DomainError, NotFound, ValidationError
from prm_app.platform.settings import settings
from tests.factories import T0
from tests.leads.factories import make_lead, make_lead_world, send


@pytest.fixture
def w(session: Session) -> SimpleNamespace:
    w = make_lead_world(session)
    w.northwind.partner_type = PartnerType.DISTRIBUTOR
    w.relation = add_relation(session, w.admin, w.bluepeak.id, str(w.northwind.id), "distributor", "2020-01-01")
    w.acme = make_lead(session, w.americas, "Acme Retail", vertical="retail", products=[w.core])
    send(session, w.maya, w.americas, [w.acme], now=T0)
    assert w.acme.partner_id == w.northwind.id
    accept_lead(session, w.nw, w.acme.id, now=T0 + timedelta(hours=1))
    session.commit()
    return w


def _notices(session: Session, org_id: int) -> list[str]:
    return list(session.exec(select(Notification.kind).where(Notification.organization_id == org_id)).all())


def test_a_passed_lead_is_offered_to_the_reseller_and_names_the_distributor_on_its_deal(session, w):
    now = T0 + timedelta(hours=2)
    assert pass_choices(session, w.nw, w.acme.id) == [(w.bluepeak.id, "Bluepeak Resellers")]
    pass_lead(session, w.nw, w.acme.id, str(w.bluepeak.id), now=now)
    lead = session.get(Lead, w.acme.id)
    assert (lead.status, lead.partner_id, lead.passed_by_id) == (LeadStatus.OFFERED, w.bluepeak.id, w.northwind.id)
    assert lead.accept_deadline == now + timedelta(hours=settings.lead_accept_hours)
    assert "lead_offered" in _notices(session, w.bluepeak.id)
    with pytest.raises(NotFound):
        get_my_lead(session, w.nw, w.acme.id)  # it left the distributor's leads
    actions = session.exec(select(LeadEvent.action).where(LeadEvent.lead_id == w.acme.id)).all()
    assert actions[-2:] == ["passed", "offered"]
    accept_lead(session, w.bp, w.acme.id, now=now + timedelta(hours=1))
    assert lead_deal_prefill(session, w.bp, w.acme.id).distributor_id == w.northwind.id
    end_relation(session, w.admin, w.relation, on=utcnow().date())  # no longer its distributor: not named
    assert lead_deal_prefill(session, w.bp, w.acme.id).distributor_id is None


@pytest.mark.parametrize("how", ["declined", "lapsed"])
def test_a_decline_or_a_lapsed_offer_gives_the_lead_back_to_the_distributor(session, w, how):
    now = T0 + timedelta(hours=2)
    pass_lead(session, w.nw, w.acme.id, str(w.bluepeak.id), now=now)
    if how == "declined":
        decline_lead(session, w.bp, w.acme.id, "No capacity", now=now + timedelta(hours=1))
    else:
        assert recycle_overdue_leads(session, now=now + timedelta(hours=settings.lead_accept_hours + 1)).expired == 1
    lead = session.get(Lead, w.acme.id)
    assert (lead.status, lead.partner_id, lead.passed_by_id) == (LeadStatus.ACCEPTED, w.northwind.id, None)
    assert get_my_lead(session, w.nw, w.acme.id).status == LeadStatus.ACCEPTED
    assert "lead_given_back" in _notices(session, w.northwind.id)
    with pytest.raises(NotFound):
        get_my_lead(session, w.bp, w.acme.id)
    assert pass_choices(session, w.nw, w.acme.id) == [(w.bluepeak.id, "Bluepeak Resellers")]  # it may try again


def test_only_a_worked_lead_to_a_current_reseller_of_ones_own(session, w):
    for bad in ("", "x", str(w.cobalt.id), str(w.northwind.id)):
        with pytest.raises(ValidationError, match=r"Choose one of your resellers\."):
            pass_lead(session, w.nw, w.acme.id, bad)
    with pytest.raises(NotFound):
        pass_lead(session, w.bp, w.acme.id, str(w.bluepeak.id))  # not Bluepeak's lead
    other = make_lead(session, w.americas, "Offered Only Co", vertical="retail", products=[w.core])
    send(session, w.maya, w.americas, [other], now=T0)
    assert (other.status, other.partner_id) == (LeadStatus.OFFERED, w.northwind.id)  # offered, not yet accepted
    assert pass_choices(session, w.nw, other.id) == []
    with pytest.raises(DomainError, match="Only a lead you accepted"):
        pass_lead(session, w.nw, other.id, str(w.bluepeak.id))
    end_relation(session, w.admin, w.relation, on=utcnow().date())  # Bluepeak is no longer below Northwind
    assert pass_choices(session, w.nw, w.acme.id) == []
    with pytest.raises(ValidationError):
        pass_lead(session, w.nw, w.acme.id, str(w.bluepeak.id))
