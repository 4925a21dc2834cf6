"""Dashboards and scorecards (domain.metrics): every figure checked exactly on a small program, on SQLite and
PostgreSQL; who may see what; filters narrow every report.

The period is the two ISO weeks from Monday 7 January 2030 to Sunday 20 January ([7 Jan, 21 Jan)).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from prm_app.analytics.common import Rates, median_of_buckets
from prm_app.analytics.dashboards import (
    AgeBucket,
    FunnelStep,
    GroupRevenue,
    MonthValue,
    PartnerRevenue,
    sla_calendar_days,
)
from prm_app.analytics.engagement import EngagementKpis, GroupWeek
from prm_app.analytics.metrics import (
    Filters,
    data_version,
    efficiency,
    engagement,
    pipeline,
    revenue,
    scorecard,
    stale_reports,
)
from prm_app.analytics.scorecard import WeekActivity
from prm_app.deals.models import Deal, DealEvent
from prm_app.identity.models import User
from prm_app.leads.models import Lead, LeadEvent, LeadQueue
from prm_app.platform.access import Role
from prm_app.platform.errors import NotFound, PermissionDenied, ValidationError
from prm_app.platform.models import EngagementEvent, ExchangeRate
from tests.factories import actor_for, make_org, make_tier, make_user

PERIOD = Filters(start=date(2030, 1, 7), end=date(2030, 1, 21))
INTERNAL = [Role.ADMIN, Role.EXEC, Role.CHANNEL_MANAGER]


def at(day: int, hour: float = 10, month: int = 1, year: int = 2030) -> datetime:
    """An instant in January 2030 (or the month/year given), UTC."""
    return datetime(year, month, day, tzinfo=UTC) + timedelta(hours=hour)


def login(session: Session, user, when: datetime, kind: str = "login") -> None:
    session.add(EngagementEvent(user_id=user.id, organization_id=user.organization_id, kind=kind, at=when))


def deal(session: Session, org, status: str, *, value="1000", currency="USD", stage="Proposal", submitted=None,
         decided=None, closed=None, final=None, close_day=date(2030, 3, 15)) -> Deal:  # fmt: skip
    row = Deal(
        organization_id=org.id,
        created_by_id=session.exec(select(User.id).where(User.organization_id == org.id).order_by(User.id)).first(),
        status=status,
        customer_name="Customer",
        name_norm="customer",
        country="DE",
        contact_name="Buyer",
        contact_email="buyer@customer.example",
        estimated_value=Decimal(value),
        currency=currency,
        expected_close=close_day,
        stage=stage,
        submitted_at=submitted,
        decided_at=decided,
        closed_at=closed,
        final_amount=Decimal(final) if final else None,
    )
    session.add(row)
    session.flush()
    return row


def lead(session: Session, partner, events: list[tuple[str, datetime, object]], **fields) -> Lead:
    """A lead with its history: (action, when, partner org or None) per event."""
    queue = session.get(LeadQueue, 1) or LeadQueue(id=1, name="All")
    session.add(queue)
    session.flush()
    row = Lead(queue_id=queue.id, status=fields.pop("status", "accepted"), company="Prospect", country="DE",
               contact_email="cio@prospect.example", partner_id=partner.id if partner else None, **fields)  # fmt: skip
    session.add(row)
    session.flush()
    for action, when, org in events:
        session.add(LeadEvent(lead_id=row.id, action=action, at=when, partner_id=org.id if org else None))
    session.flush()
    return row


def rate(session: Session, currency: str, as_of: date, value: str) -> None:
    if not session.exec(
        select(ExchangeRate).where(ExchangeRate.currency == currency, ExchangeRate.as_of == as_of)
    ).first():
        session.add(ExchangeRate(currency=currency, as_of=as_of, usd_per_unit=Decimal(value)))
        session.flush()


@pytest.fixture
def program(session: Session) -> dict:
    """Five partners (A, B, C, D, E), two channel managers, and one partner user each (two for A)."""
    silver, gold = make_tier(session, name="Silver", rank=1), make_tier(session, name="Gold", rank=2)
    cm1 = make_user(session, Role.CHANNEL_MANAGER, full_name="Maya Okafor")
    cm2 = make_user(session, Role.CHANNEL_MANAGER, full_name="Lars Jensen")
    specs = {  # name: (type, tier, region, manager)
        "A": ("reseller", gold, "EMEA", cm1),
        "B": ("msp", silver, "EMEA", cm1),
        "C": ("reseller", silver, "APAC", cm2),
        "D": ("var", silver, "North America", cm2),
        "E": ("isv", gold, "APAC", cm1),
    }
    world: dict = {"cm1": cm1, "cm2": cm2, "silver": silver, "gold": gold, "users": {}}
    for name, (ptype, tier, region, manager) in specs.items():
        org = make_org(session, name=f"Partner {name}", partner_type=ptype, tier=tier, region=region, manager=manager)
        world["users"][name] = [make_user(session, Role.PARTNER_ADMIN, org)]
        world[name] = org
    world["users"]["A"].append(make_user(session, Role.PARTNER_USER, world["A"]))
    world["exec"] = make_user(session, Role.EXEC)
    world["admin"] = make_user(session, Role.ADMIN)
    return world


def internal(program: dict, role: Role):
    return actor_for(
        {Role.ADMIN: program["admin"], Role.EXEC: program["exec"], Role.CHANNEL_MANAGER: program["cm1"]}[role]
    )


def engagement_world(session: Session, p: dict) -> None:
    a1, a2 = p["users"]["A"]
    b, c, e = (p["users"][x][0] for x in "BCE")
    for user, when in [(a1, at(6, 23.99)), (a1, at(8)), (a1, at(9)), (a1, at(15)), (a2, at(16)), (b, at(10)),
                       (c, at(14, 0)), (c, at(21, 0)), (e, at(1, 10, month=6, year=2029))]:  # fmt: skip
        login(session, user, when)
    login(session, b, at(11), kind="deal_registered")
    deal(session, p["A"], "submitted", submitted=at(8))
    deal(session, p["B"], "approved", submitted=at(15))
    deal(session, p["A"], "approved", submitted=at(1, month=12, year=2029))
    deal(session, p["C"], "draft")
    lead(session, p["C"], [("offered", at(8), p["C"]), ("accepted", at(9), p["C"])])
    lead(session, p["C"], [("offered", at(15), p["C"]), ("accepted", at(16), p["C"])])
    session.flush()


def test_engagement_counts_each_week_by_partner_type(session, program):
    engagement_world(session, program)

    report = engagement(session, actor_for(program["exec"]), PERIOD)

    assert report.kpis == EngagementKpis(active_partners_30d=3, logins=6, registrations=2, lead_acceptances=2)
    assert report.weekly == (  # partner type codes, in the order of their labels (MSP, Reseller)
        GroupWeek(date(2030, 1, 7), "msp", logins=1, registrations=0, acceptances=0),
        GroupWeek(date(2030, 1, 7), "reseller", logins=2, registrations=1, acceptances=1),
        GroupWeek(date(2030, 1, 14), "msp", logins=0, registrations=1, acceptances=0),
        GroupWeek(date(2030, 1, 14), "reseller", logins=3, registrations=0, acceptances=1),
    )


def test_engagement_by_tier_keeps_tier_order_and_by_region(session, program):
    engagement_world(session, program)
    exec_ = actor_for(program["exec"])

    by_tier = engagement(session, exec_, PERIOD, by="tier").weekly
    by_region = engagement(session, exec_, PERIOD, by="region").weekly

    assert [(r.week.isoformat(), r.group, r.logins) for r in by_tier] == [
        ("2030-01-07", "Silver", 1), ("2030-01-07", "Gold", 2), ("2030-01-14", "Silver", 1), ("2030-01-14", "Gold", 2),
    ]  # fmt: skip
    assert [(r.group, r.logins) for r in by_region if r.week == date(2030, 1, 14)] == [("APAC", 1), ("EMEA", 2)]
    with pytest.raises(ValidationError):
        engagement(session, exec_, PERIOD, by="colour")


def test_least_engaged_ranks_by_events_then_oldest_login(session, program):
    engagement_world(session, program)

    rows = engagement(session, actor_for(program["exec"]), PERIOD).least_engaged

    assert [(r.partner, r.events, r.last_login, r.manager) for r in rows] == [
        ("Partner D", 0, None, "Lars Jensen"),  # never logged in
        ("Partner E", 0, date(2029, 6, 1), "Maya Okafor"),
        ("Partner C", 1, date(2030, 1, 14), "Lars Jensen"),
        ("Partner B", 2, date(2030, 1, 10), "Maya Okafor"),  # a login and a deal_registered event
        ("Partner A", 4, date(2030, 1, 16), "Maya Okafor"),
    ]
    assert rows[0].partner_id == program["D"].id


def test_least_engaged_with_many_idle_partners_takes_the_quick_path(session, program):
    engagement_world(session, program)
    idle = [make_org(session, name=f"Idle {i:02d}") for i in range(11)]
    login(session, make_user(session, Role.PARTNER_USER, idle[3]), at(1, month=1, year=2029))

    rows = engagement(session, actor_for(program["exec"]), PERIOD).least_engaged

    assert [r.partner for r in rows] == ["Idle 00", "Idle 01", "Idle 02", "Idle 04", "Idle 05", "Idle 06",
                                            "Idle 07", "Idle 08", "Idle 09", "Idle 10"]  # fmt: skip
    assert {r.events for r in rows} == {0}


def pipeline_world(session: Session, p: dict) -> None:
    rate(session, "EUR", date(2029, 12, 1), "1.10")
    rate(session, "EUR", date(2030, 1, 10), "1.20")
    deal(session, p["A"], "approved", value="1000", currency="EUR", submitted=at(8), close_day=date(2030, 3, 15))
    deal(session, p["A"], "approved", value="2000", submitted=at(12), close_day=date(2030, 2, 10))
    deal(session, p["B"], "submitted", value="500", currency="EUR", stage="Discovery", submitted=at(15))
    deal(session, p["B"], "info_requested", value="300", currency="GBP", stage="Discovery", submitted=at(19))
    deal(session, p["C"], "submitted", value="100", stage="Prospecting", submitted=at(7, 0))
    deal(session, p["C"], "approved", value="999", submitted=at(20, month=12, year=2029))  # before the period
    deal(session, p["A"], "won", value="999", submitted=at(9), closed=at(12))  # not open any more
    converted = deal(session, p["C"], "won", value="800", final="800", submitted=at(12), closed=at(18))
    lead(session, p["C"], [("offered", at(8), p["C"]), ("accepted", at(9), p["C"]), ("converted", at(12), p["C"])],
         status="converted", deal_id=converted.id)  # fmt: skip
    lead(session, p["C"], [("offered", at(9), p["B"]), ("declined", at(10), p["B"]), ("offered", at(10, 12), p["C"]),
                           ("accepted", at(16), p["C"])])  # fmt: skip
    lead(session, p["A"], [("offered", at(1, month=12, year=2029), p["A"])], status="offered")
    session.flush()


def test_pipeline_by_stage_in_usd_with_dated_rates_and_a_missing_rate(session, program):
    pipeline_world(session, program)

    report = pipeline(session, actor_for(program["exec"]), PERIOD, now=at(20, 12))

    cells = {(r.stage, r.status): (r.deals, r.value_usd) for r in report.by_stage if r.deals}
    assert cells == {
        ("Proposal", "approved"): (2, 3100.0),  # 1000 EUR at 1.10 (the rate of 1 Dec; 8 Jan is before 10 Jan) + 2000
        ("Discovery", "registered"): (2, 600.0),  # 500 EUR at 1.20; the 300 GBP has no rate: counted, not summed
        ("Prospecting", "registered"): (1, 100.0),
    }
    assert len(report.by_stage) == 10  # every stage, both statuses, for a stable chart
    assert report.missing_rate_deals == 1
    assert report.forecast == (MonthValue(date(2030, 2, 1), 2000.0), MonthValue(date(2030, 3, 1), 1100.0))
    assert report.funnel == (
        FunnelStep("offered", 2),  # the recycled lead counts once
        FunnelStep("accepted", 2),
        FunnelStep("converted", 1),
        FunnelStep("won", 1),
    )


def test_pipeline_ageing_buckets_at_now(session, program):
    pipeline_world(session, program)
    exec_ = actor_for(program["exec"])

    soon = pipeline(session, exec_, PERIOD, now=at(20, 12)).ageing
    later = pipeline(session, exec_, PERIOD, now=at(20, 12, month=2)).ageing

    assert soon == (AgeBucket(0, 3, deals=1), AgeBucket(3, 8, deals=1),
                    AgeBucket(8, 31, deals=1), AgeBucket(31, None, deals=0))  # 0-2, 3-7, 8-30, 31+ days  # fmt: skip
    assert [b.deals for b in later] == [0, 0, 0, 3]


def revenue_world(session: Session, p: dict) -> None:
    rate(session, "EUR", date(2029, 12, 1), "1.10")
    rate(session, "EUR", date(2030, 1, 10), "1.20")
    deal(session, p["A"], "won", value="4000", final="5000", closed=at(12))
    deal(session, p["A"], "won", value="1000", currency="EUR", closed=at(13))  # no final amount: 1000 EUR at 1.20
    deal(session, p["A"], "lost", closed=at(15))
    deal(session, p["A"], "won", value="3000", closed=at(30, month=12, year=2029))  # the previous period
    from_lead = deal(session, p["C"], "won", value="900", final="800", closed=at(18))
    lead(session, p["C"], [("converted", at(12), p["C"])], status="converted", deal_id=from_lead.id)
    deal(session, p["B"], "won", value="400", currency="GBP", closed=at(14))  # no GBP rate
    deal(session, p["B"], "lost", closed=at(15))
    deal(session, p["D"], "won", value="1000", closed=at(9))
    deal(session, p["E"], "won", value="2000", closed=at(10))
    session.flush()


def test_revenue_splits_sourced_and_influenced_by_group(session, program):
    revenue_world(session, program)

    report = revenue(session, actor_for(program["exec"]), PERIOD, by="tier")

    assert report.by_group == (
        GroupRevenue("Silver", sourced_usd=1000.0, influenced_usd=800.0),  # D sourced, C from a lead, B no rate
        GroupRevenue("Gold", sourced_usd=8200.0, influenced_usd=0.0),  # A 5000 + 1200, E 2000
    )
    p = program
    assert report.top_partners == (
        PartnerRevenue(p["A"].id, "Partner A", sourced_usd=6200.0, influenced_usd=0.0, total_usd=6200.0),
        PartnerRevenue(p["E"].id, "Partner E", sourced_usd=2000.0, influenced_usd=0.0, total_usd=2000.0),
        PartnerRevenue(p["D"].id, "Partner D", sourced_usd=1000.0, influenced_usd=0.0, total_usd=1000.0),
        PartnerRevenue(p["C"].id, "Partner C", sourced_usd=0.0, influenced_usd=800.0, total_usd=800.0),
    )
    assert report.missing_rate_deals == 1


def test_a_channel_managers_dashboard_lists_only_their_books_partners(session, program):
    """#9: program-wide figures stay whole; revenue per partner and the least engaged list only the partners of
    the viewer's book (cm1: A, B, E; cm2: C, D). Execs and admins see every partner."""
    from prm_app.analytics import live

    revenue_world(session, program)
    engagement_world(session, program)
    session.commit()
    live._reports.clear()  # the worker-wide report cache: another test's database may share this version
    version = data_version(session)

    def partners(user) -> tuple[set[str], set[str], float]:
        reports = live.dashboard_reports(session, actor_for(user), PERIOD, version)
        top = {p.partner for p in reports.revenue.top_partners}
        quiet = {q.partner for q in reports.engagement.least_engaged}
        return top, quiet, sum(g.sourced_usd for g in reports.revenue.by_group)

    cm1_top, cm1_quiet, cm1_total = partners(program["cm1"])
    cm2_top, cm2_quiet, cm2_total = partners(program["cm2"])
    exec_top, exec_quiet, exec_total = partners(program["exec"])
    assert cm1_top == {"Partner A", "Partner E"} and cm1_quiet <= {"Partner A", "Partner B", "Partner E"}
    assert cm2_top == {"Partner C", "Partner D"} and cm2_quiet <= {"Partner C", "Partner D"} and cm2_quiet
    assert exec_top == cm1_top | cm2_top and exec_quiet == cm1_quiet | cm2_quiet
    assert cm1_total == cm2_total == exec_total  # the program's totals are everyone's


def test_efficiency_medians_sla_and_recycling(session, program):
    a = program["A"]
    deal(session, a, "approved", submitted=at(7, 9), decided=at(8, 9))  # Mon -> Tue: 24 h, 1 business day
    deal(session, a, "rejected", submitted=at(10), decided=at(14))  # Thu -> Mon: 96 h, 2 business days
    deal(session, a, "won", submitted=at(11), decided=at(16), closed=at(18))  # Fri -> Wed: 120 h, 3: late
    deal(session, a, "approved", submitted=at(14, 8), decided=at(14, 10.5))  # 2.5 h
    deal(session, a, "approved", submitted=at(1, month=12, year=2029), decided=at(5))  # decided before the period
    lead(session, a, [("accepted", at(9), a)], offered_at=at(8), accepted_at=at(9))  # 24 h
    lead(session, a, [("declined", at(10), program["B"]), ("accepted", at(10, 18), a)], offered_at=at(10, 12),
         accepted_at=at(10, 18))  # 6 h  # fmt: skip
    lead(session, None, [("expired", at(12), program["C"])], status="new")
    lead(session, None, [("declined", at(2), program["C"])], status="new")  # before the period
    session.flush()

    report = efficiency(session, actor_for(program["exec"]), PERIOD)

    assert report.decisions == 4
    assert report.approval_hours_median == 60.0  # (24 + 96) / 2
    assert report.approvals_within_sla_pct == 75.0
    assert report.sla_business_days == 2
    assert report.lead_response_hours_median == 15.0  # (24 + 6) / 2
    assert report.leads_recycled == 2


def test_sla_days_follow_the_review_queue_business_day_count():
    assert sla_calendar_days(2) == [2, 2, 4, 4, 4, 3, 2]  # submitted Monday .. Sunday


def scorecard_world(session: Session, p: dict) -> None:
    engagement_world(session, p)
    revenue_world(session, p)


def test_scorecard_current_vs_previous_and_program_median(session, program):
    scorecard_world(session, program)

    card = scorecard(session, actor_for(program["users"]["A"][0]), program["A"].id, PERIOD)

    figures = {m.key: (m.current, m.previous, m.change_pct, m.program_median) for m in card.metrics}
    assert figures["sourced_usd"] == (6200.0, 3000.0, 106.7, 1000.0)  # A 6200, B 0, C 0, D 1000, E 2000
    assert figures["influenced_usd"] == (0.0, 0.0, None, 0.0)
    assert figures["avg_deal_usd"] == (3100.0, 3000.0, 3.3, None)  # only 4 partners have a priced win: no median
    assert figures["win_rate"] == (66.7, 100.0, -33.3, 100.0)  # A 2/3, B 1/2, C, D, E 1/1
    assert figures["logins"] == (4, 1, 300.0, 1.0)  # A 4, B 1, C 1, D 0, E 0
    assert figures["active_users"] == (2, 1, 100.0, 1.0)
    assert figures["registrations"] == (1, 0, None, 0.0)  # A's 8 Jan registration; B's is B's
    assert figures["lead_acceptance_rate"] == (None, None, None, None)
    assert [m.key for m in card.metrics] == [
        "sourced_usd", "influenced_usd", "pipeline_usd", "avg_deal_usd", "win_rate", "lead_acceptance_rate",
        "lead_response_hours", "registrations", "logins", "active_users",
    ]  # fmt: skip
    assert card.partner == "Partner A"
    assert (card.period_start, card.period_end) == (date(2030, 1, 7), date(2030, 1, 21))  # 07 Jan – 20 Jan 2030
    assert card.previous_start == date(2029, 12, 24)  # 24 Dec 2029 – 06 Jan 2030
    assert len(card.trend) == 12
    assert card.trend[-3:] == (
        WeekActivity(date(2029, 12, 31), registrations=0, logins=1),
        WeekActivity(date(2030, 1, 7), registrations=1, logins=2),
        WeekActivity(date(2030, 1, 14), registrations=0, logins=2),
    )


def test_scorecard_lead_figures_and_pipeline(session, program):
    pipeline_world(session, program)
    c = program["C"]

    card = scorecard(session, actor_for(program["exec"]), c.id, PERIOD)

    figures = {m.key: m.current for m in card.metrics}
    assert figures["lead_acceptance_rate"] == 100.0  # C accepted both offers it answered (B declined, not C)
    assert figures["pipeline_usd"] == 100.0  # C's open registration in the period; its December one is older
    assert figures["registrations"] == 2


def test_scorecard_never_names_another_partner(session, program):
    scorecard_world(session, program)

    card = scorecard(session, actor_for(program["exec"]), program["B"].id, PERIOD)

    text = repr(card)
    assert "Partner B" in text
    assert not any(f"Partner {x}" in text for x in "ACDE")
    assert card.missing_rate_deals == 1


@pytest.mark.parametrize("role", INTERNAL)
def test_dashboards_are_for_internal_users(session, program, role):
    engagement_world(session, program)
    actor = internal(program, role)
    for report in (engagement, pipeline, revenue, efficiency):
        assert report(session, actor, PERIOD) is not None


@pytest.mark.parametrize("role", [Role.PARTNER_ADMIN, Role.PARTNER_USER])
def test_partners_get_no_dashboards(session, program, role):
    actor = actor_for(make_user(session, role, program["A"]))
    for report in (engagement, pipeline, revenue, efficiency):
        with pytest.raises(PermissionDenied):
            report(session, actor, PERIOD)


def test_scorecard_access(session, program):
    a, c = program["A"], program["C"]
    assert scorecard(session, actor_for(program["users"]["A"][1]), a.id, PERIOD).organization_id == a.id
    with pytest.raises(NotFound):
        scorecard(session, actor_for(program["users"]["A"][0]), c.id, PERIOD)  # another partner's
    assert scorecard(session, actor_for(program["cm1"]), a.id, PERIOD).organization_id == a.id
    with pytest.raises(NotFound):
        scorecard(session, actor_for(program["cm1"]), c.id, PERIOD)  # another manager's book
    for who in ("exec", "admin"):
        assert scorecard(session, actor_for(program[who]), c.id, PERIOD).organization_id == c.id
    with pytest.raises(NotFound):
        scorecard(session, actor_for(program["exec"]), 999_999, PERIOD)


@pytest.mark.parametrize(
    "narrow, partners",
    [
        ({"region": "APAC"}, {"C", "E"}),
        ({"partner_type": "reseller"}, {"A", "C"}),
        ("tier:gold", {"A", "E"}),
        ("manager:cm2", {"C", "D"}),
    ],
)
def test_filters_narrow_every_report(session, program, narrow, partners):
    """Each partner gets one of everything (and distinct amounts), so every figure shows who was counted."""
    p = program
    values = {"A": 1, "B": 2, "C": 4, "D": 8, "E": 16}
    for name, v in values.items():
        org, user = p[name], p["users"][name][0]
        login(session, user, at(8))
        deal(session, org, "approved", value=str(v), submitted=at(8), decided=at(9))
        deal(session, org, "submitted", value=str(v), submitted=at(19))
        deal(session, org, "won", value=str(100 * v), closed=at(10))
        lead(session, org, [("offered", at(8), org), ("accepted", at(9), org), ("declined", at(9), org)],
             offered_at=at(8), accepted_at=at(9))  # fmt: skip
    session.flush()
    if isinstance(narrow, str):
        what, who = narrow.split(":")
        narrow = {"tier_id": p[who].id} if what == "tier" else {"manager_id": p[who].id}
    f = Filters(start=PERIOD.start, end=PERIOD.end, **narrow)
    exec_ = actor_for(p["exec"])
    expect = sum(values[x] for x in partners)

    n = len(partners)
    kpis = EngagementKpis(active_partners_30d=n, logins=n, registrations=2 * n, lead_acceptances=n)
    assert engagement(session, exec_, f).kpis == kpis
    assert {r.partner for r in engagement(session, exec_, f).least_engaged} == {f"Partner {x}" for x in partners}
    pipe = pipeline(session, exec_, f, now=at(20))
    assert sum(r.value_usd for r in pipe.by_stage) == 2 * expect
    assert sum(r.deals for r in pipe.ageing) == len(partners)
    assert [s.count for s in pipe.funnel] == [len(partners), len(partners), 0, 0]
    assert sum(r.value_usd for r in pipe.forecast) == expect
    rev = revenue(session, exec_, f)
    assert sum(g.sourced_usd for g in rev.by_group) == 100 * expect
    assert {r.partner for r in rev.top_partners} == {f"Partner {x}" for x in partners}
    eff = efficiency(session, exec_, f)
    assert (eff.decisions, eff.leads_recycled, eff.lead_response_hours_median) == (len(partners), len(partners), 24.0)


def test_data_version_moves_with_every_counted_change(session, program):
    before = data_version(session)
    login(session, program["users"]["A"][0], at(8))
    session.flush()
    after_login = data_version(session)
    d = deal(session, program["A"], "submitted", submitted=at(8))
    session.add(DealEvent(deal_id=d.id, action="submitted", to_status="submitted"))
    session.flush()
    after_deal = data_version(session)
    lead(session, program["A"], [("offered", at(8), program["A"])])
    after_lead = data_version(session)

    assert before == (0, 0, 0)
    assert after_login[0] > before[0] and after_deal[1] > after_login[1] and after_lead[2] > after_deal[2]
    assert all(isinstance(v, int) for v in after_lead)


def test_stale_reports_follow_what_moved():
    assert stale_reports((5, 7, 9), (5, 7, 9)) == set()
    assert stale_reports((5, 7, 9), (6, 7, 9)) == {"engagement", "scorecard"}  # a login
    assert stale_reports((5, 7, 9), (6, 8, 9)) == {"engagement", "pipeline", "revenue", "efficiency", "scorecard"}
    assert stale_reports((5, 7, 9), (5, 7, 10)) == {"engagement", "pipeline", "revenue", "efficiency", "scorecard"}


def test_period_must_be_sensible(session, program):
    exec_ = actor_for(program["exec"])
    with pytest.raises(ValidationError):
        engagement(session, exec_, Filters(start=date(2030, 1, 7), end=date(2030, 1, 7)))
    with pytest.raises(ValidationError):
        scorecard(session, exec_, program["A"].id, Filters(start=date(2020, 1, 1), end=date(2030, 1, 1)))
    assert PERIOD.previous() == Filters(start=date(2029, 12, 24), end=date(2030, 1, 7))


def test_reports_hold_plain_values_only(session, program):
    scorecard_world(session, program)
    pipeline_world(session, program)
    exec_ = actor_for(program["exec"])
    reports = [engagement(session, exec_, PERIOD), pipeline(session, exec_, PERIOD), revenue(session, exec_, PERIOD),
               efficiency(session, exec_, PERIOD), scorecard(session, exec_, program["A"].id, PERIOD)]  # fmt: skip

    def plain(value) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list | tuple):
            return all(plain(v) for v in value)
        return value is None or type(value) in (int, float, str, bool, date)

    assert all(dataclasses.is_dataclass(r) and r.__dataclass_params__.frozen for r in reports)
    assert all(plain(dataclasses.asdict(r)) for r in reports)


def test_median_of_buckets_and_rates():
    assert median_of_buckets([(10, 1), (30, 1)]) == 2.0  # buckets are tenths of an hour
    assert median_of_buckets([(5, 3), (100, 1)]) == 0.5
    assert median_of_buckets([]) is None
    rates = Rates({"EUR": ([date(2030, 1, 1), date(2030, 2, 1)], [Decimal("1.1"), Decimal("1.2")])})
    assert rates.at("EUR", date(2029, 12, 31)) is None
    assert rates.at("EUR", date(2030, 1, 31)) == Decimal("1.1")
    assert rates.at("EUR", date(2030, 2, 1)) == Decimal("1.2")
    assert rates.at("USD", date(2000, 1, 1)) == 1
    assert rates.changes(date(2030, 1, 1), date(2030, 3, 1)) == [date(2030, 2, 1)]
