"""Provisioning partners one at a time (an approval) and many at once (a CSV import) by the same rules: the batch
refuses exactly what the single call would, each with its own reason, and creates and audits the rest."""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select

from prm_app.partners import Organization
from prm_app.partners.provisioning import NewPartner, provision_organization, provision_organizations
from prm_app.platform.access import Role
from prm_app.platform.errors import PermissionDenied, ValidationError
from prm_app.platform.models import AuditLog
from tests.factories import actor_for, make_org, make_tier, make_user


def test_a_batch_refuses_what_one_call_would_and_creates_the_rest(session: Session):
    make_tier(session, name="Registered", rank=0)
    admin = actor_for(make_user(session, Role.ADMIN))
    manager = make_user(session, Role.CHANNEL_MANAGER)
    make_org(session, name="Taken Ltd")
    ok = NewPartner("Fresh One", "reseller", "pt", "EMEA", "fresh.example", manager.id, city="Porto", external_id="F1")
    news = [
        ok,
        NewPartner("taken ltd", "reseller", "PT", "EMEA", "", manager.id),  # taken, in another case
        NewPartner("Fresh  One", "var", "PT", "EMEA", "", manager.id),  # an earlier partner of this batch
        NewPartner("Odd Type", "wizard", "PT", "EMEA", "", manager.id),
        NewPartner("No Manager", "reseller", "PT", "EMEA", "", admin.user_id),
        NewPartner("Fresh Two", "msp", "JP", "APAC", "", manager.id),
    ]
    results = provision_organizations(session, admin, news)
    refusals = [(r.field, r.message) for r in results if isinstance(r, ValidationError)]
    assert refusals == [
        ("company", "A partner named taken ltd already exists."),
        ("company", "A partner named Fresh One already exists."),
        ("partner_type", "Choose a partner type."),
        ("channel_manager_id", "Choose the channel manager of the new partner."),
    ]
    created = [r for r in results if isinstance(r, int)]
    assert len(created) == 2 and isinstance(results[0], int) and isinstance(results[5], int)
    org = session.get(Organization, results[0])
    assert (org.country, org.city, org.external_id, org.website) == ("PT", "Porto", "F1", "https://fresh.example")
    audited = session.exec(select(func.count()).where(AuditLog.action == "provision_organization")).one()
    assert audited == 2
    with pytest.raises(ValidationError, match="already exists"):  # the single call: the same rule, raised
        provision_organization(session, admin, NewPartner("FRESH TWO", "msp", "JP", "APAC", "", manager.id))
    with pytest.raises(PermissionDenied):
        provision_organizations(session, actor_for(make_user(session, Role.PARTNER_ADMIN)), [ok])
