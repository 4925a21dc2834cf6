"""A distributor's "Your resellers": the partners below it today with their tier and certified people, and only the
registrations they share with it counted (a kept one neither listed nor counted); an ended relation drops the
reseller; a partner with nobody below sees nothing; the vendor's people have no such page."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from sqlmodel import Session

from prm_app.deals import approve_deal, close_deal
from prm_app.network import my_resellers
from prm_app.partners import PartnerType, Tier, add_relation, end_relation
from prm_app.platform.access import Role
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import PermissionDenied
from prm_app.training.models import Certificate, Certification
from tests.deals.factories import make_product, register
from tests.factories import actor_for, make_org, make_user


def _certify(session: Session, user, cert: Certification, expires_in_days: int = 200) -> None:
    now = utcnow()
    session.add(
        Certificate(
            code=uuid4().hex, user_id=user.id, certification_id=cert.id, holder_name=user.full_name,
            issued_at=now - timedelta(days=10), expires_at=now + timedelta(days=expires_in_days),
        )
    )  # fmt: skip
    session.flush()


def test_a_distributor_reads_its_resellers_tiers_certifications_and_shared_pipeline(session):
    manager = make_user(session, Role.CHANNEL_MANAGER)
    boss = actor_for(manager)
    dist = make_org(session, name="Dee Distribution", partner_type=PartnerType.DISTRIBUTOR, manager=manager)
    r1, r2 = (
        make_org(session, name="Bee Resellers", manager=manager),
        make_org(session, name="Aye Resellers", manager=manager),
    )
    loner = make_org(session, name="Loner Resellers", manager=manager)
    relation = add_relation(session, boss, r2.id, str(dist.id), "distributor", "2026-01-01")
    add_relation(session, boss, r1.id, str(dist.id), "master_agent", "2026-02-01")
    d = actor_for(make_user(session, Role.PARTNER_USER, dist))
    r1_admin = make_user(session, Role.PARTNER_ADMIN, r1)
    r1_actor = actor_for(r1_admin)
    products = [make_product(session, "SKU-N1").id]
    cert = Certification(code="CORE", name="Core Platform Professional", valid_months=12)
    lapsed = Certification(code="OLD", name="Old Thing", valid_months=12)
    session.add_all([cert, lapsed])
    session.flush()
    _certify(session, r1_admin, cert)
    _certify(session, make_user(session, Role.PARTNER_USER, r1), cert)
    _certify(session, r1_admin, lapsed, expires_in_days=-1)  # expired: neither counted nor named
    now = utcnow()
    shared = register(session, r1_actor, products, now=now, customer_name="Shared Co", distributor_id=str(dist.id),
                      estimated_value="40,000")  # fmt: skip
    register(session, r1_actor, products, now=now, customer_name="Kept Co", distributor_id=str(dist.id),
             hide_from_distributor=True, estimated_value="900,000")  # fmt: skip
    won = register(session, r1_actor, products, now=now, customer_name="Won Co", distributor_id=str(dist.id),
                   estimated_value="10,000")  # fmt: skip
    approve_deal(session, boss, won, now=now)
    close_deal(session, r1_actor, won, won=True, final_amount="12500", now=now)
    register(session, r1_actor, products, now=now, customer_name="Draft Co", distributor_id=str(dist.id), submit=False)
    session.flush()

    rows = my_resellers(session, d, now=now)
    assert [(r.name, r.kind) for r in rows] == [("Aye Resellers", "Reseller"), ("Bee Resellers", "Agent")]
    bee = rows[1]
    assert (bee.certified_people, bee.certifications) == (2, ("Core Platform Professional",))
    assert (bee.open_deals, bee.open_pipeline) == (1, (("USD", Decimal("40000.00")),))  # not the kept one
    assert (bee.won_deals, bee.won_this_year) == (1, (("USD", Decimal("12500.00")),))
    assert (rows[0].tier, bee.tier) == (session.get(Tier, r2.tier_id).name, session.get(Tier, r1.tier_id).name)
    assert (rows[0].certified_people, rows[0].open_deals, rows[0].open_pipeline) == (0, 0, ())
    assert shared  # the shared one is what the pipeline counts

    end_relation(session, boss, relation, on=now.date())
    assert [r.name for r in my_resellers(session, d, now=now)] == ["Bee Resellers"]
    assert my_resellers(session, actor_for(make_user(session, Role.PARTNER_USER, loner)), now=now) == []
    with pytest.raises(PermissionDenied):
        my_resellers(session, boss, now=now)
