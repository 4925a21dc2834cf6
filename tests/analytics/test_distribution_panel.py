"""The two-tier distribution panel on SQLite and PostgreSQL: per distributor its current resellers, the open pipeline
and the period's won revenue of the registrations naming it (one line per currency), how many it registered for a
reseller; each deal is one row, owned by the reseller, so nothing is counted twice."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import func, select

from prm_app.analytics.distribution_panel import distribution_panel
from prm_app.deals import Deal, approve_deal, close_deal
from prm_app.deals.distribution import set_distributor_credit
from prm_app.partners import Filters, PartnerType, add_relation
from prm_app.platform.access import Role
from tests.deals.factories import make_product, register
from tests.factories import T0, actor_for, make_org, make_user


def test_distributor_figures_are_views_over_the_deals_that_name_it(session):
    manager = make_user(session, Role.CHANNEL_MANAGER)
    boss = actor_for(manager)
    d = make_org(session, name="Dist Panel", partner_type=PartnerType.DISTRIBUTOR, manager=manager, region="APAC")
    idle = make_org(session, name="Dist Idle", partner_type=PartnerType.DISTRIBUTOR, manager=manager, region="APAC")
    r = make_org(session, name="Res Panel", manager=manager)
    r2 = make_org(session, name="Res Panel Two", manager=manager)
    for org in (r, r2):
        add_relation(session, boss, org.id, str(d.id), "distributor", "2026-01-01")
    ra, da = actor_for(make_user(session, Role.PARTNER_ADMIN, r)), actor_for(make_user(session, Role.PARTNER_USER, d))
    ra2 = actor_for(make_user(session, Role.PARTNER_ADMIN, r2))
    products = [make_product(session, "SKU-PANEL").id]
    named = register(session, ra, products, customer_name="Named Co", distributor_id=str(d.id))
    register(session, ra, products, customer_name="Hidden Co", distributor_id=str(d.id),
             hide_from_distributor=True, estimated_value="700")  # fmt: skip
    behalf = register(session, da, products, customer_name="Behalf Co", for_organization_id=str(r2.id))
    register(session, ra, products, customer_name="Open Co", distributor_id=str(d.id), estimated_value="300",
             currency="EUR")  # fmt: skip
    register(session, ra, products, customer_name="Alone Co")  # names no distributor
    for deal_id, owner, amount in ((named, ra, "1000"), (behalf, ra2, "500")):
        approve_deal(session, boss, deal_id, now=T0)
        close_deal(session, owner, deal_id, won=True, final_amount=amount, now=T0 + timedelta(days=1))

    f = Filters(start=(T0 - timedelta(days=10)).date(), end=(T0 + timedelta(days=10)).date(), region="APAC")
    panel = distribution_panel(session, f, T0)
    assert panel is not None
    facts = {x.label: x.value for x in panel.facts}
    assert facts == {"Distributors": "2", "Resellers below them": "2", "Deals won through them": "2"}
    rows = {row[0]: row[1:] for row in panel.tables[0].rows}
    # The hidden deal is kept from the distributor's people, not from the vendor: it is in the open pipeline.
    assert rows["Dist Panel"] == ("2", "700.00 USD; 300.00 EUR", "2", "1,500.00 USD", "1", "1,500.00 USD")
    assert rows["Dist Idle"] == ("0", "—", "0", "—", "0", "—")
    assert panel.tables[0].partners == (idle.id, d.id)  # by name, like the rows: a book keeps only its own
    # One row per deal, owned by the reseller: the program's revenue reads each once.
    won = session.exec(select(Deal.organization_id, func.sum(Deal.final_amount)).where(Deal.status == "won")
                       .group_by(Deal.organization_id)).all()  # fmt: skip
    assert sorted((o, str(v)) for o, v in won) == sorted([(r.id, "1000.00"), (r2.id, "500.00")])

    f_later = Filters(start=(T0 + timedelta(days=30)).date(), end=(T0 + timedelta(days=40)).date(), region="APAC")
    assert {row[0]: row[4] for row in distribution_panel(session, f_later, T0).tables[0].rows}["Dist Panel"] == "—"
    assert distribution_panel(session, Filters(start=f.start, end=f.end, region="EMEA"), T0) is None


def test_the_distributor_is_credited_the_programs_share_of_its_won_revenue(session):
    """The program's split rule: the reseller keeps all of a deal, the distributor that fulfils it is credited
    the set share in its own figures (half-even to the currency's minor unit), never added to the program's total."""
    manager = make_user(session, Role.CHANNEL_MANAGER)
    boss = actor_for(manager)
    d = make_org(session, name="Share Dist", partner_type=PartnerType.DISTRIBUTOR, manager=manager, region="LATAM")
    r = make_org(session, name="Share Res", manager=manager, region="LATAM")
    add_relation(session, boss, r.id, str(d.id), "distributor", "2026-01-01")
    ra = actor_for(make_user(session, Role.PARTNER_ADMIN, r))
    products = [make_product(session, "SKU-SHARE").id]
    deal = register(session, ra, products, customer_name="Share Co", distributor_id=str(d.id))
    approve_deal(session, boss, deal, now=T0)
    close_deal(session, ra, deal, won=True, final_amount="1000.25", now=T0 + timedelta(days=1))
    set_distributor_credit(session, boss, "12.5")
    f = Filters(start=(T0 - timedelta(days=10)).date(), end=(T0 + timedelta(days=10)).date(), region="LATAM")
    table = distribution_panel(session, f, T0).tables[0]
    assert table.headers[-1] == "Credited to it (12.5 %)"
    assert dict((row[0], row[-1]) for row in table.rows)["Share Dist"] == "125.03 USD"  # 125.03125, half-even
