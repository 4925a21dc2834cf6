"""Tier evaluation and the managers' use cases on SQLite and PostgreSQL: exact boundaries in the program currency at
the stored deal-date rate, sources and rule version kept, grace → proposal → recovery, one proposal however many
runs (also at once), a deal won → lost → won counted once, approving Gold raises the tier that routing and audience
rules read, the what-if, overrides and scope."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from sqlmodel import Session, col, select

from prm_app.audience import AudienceRule, partner_facts, verdict
from prm_app.deals import DealStatus
from prm_app.notifications import recent_notices
from prm_app.partners import Organization
from prm_app.platform.access import Role
from prm_app.platform.errors import FormInvalid, NotFound, PermissionDenied, ValidationError
from prm_app.platform.models import AuditLog
from prm_app.tiering import (
    ProgramTier,
    TierChange,
    TierEvaluation,
    TierOverride,
    TierProgram,
    TierProposal,
    add_benefit,
    decide_override,
    decide_proposal,
    evaluate_due,
    evaluate_tiers,
    my_tier,
    override_by_name,
    override_tier,
    overview,
    pending_overrides,
    reevaluate_now,
    save_criterion,
    save_program,
    set_custom_metric,
    what_if,
)
from tests.conftest import SHARED_BACKENDS, race, shared_database
from tests.factories import actor_for, make_user
from tests.tiering.factories import AS_OF, make_world, partner, won_deal

PREVIOUS = date(2026, 10, 31)


def _evaluation(session: Session, org: Organization, period: str = "2026-11") -> TierEvaluation:
    return session.exec(
        select(TierEvaluation).where(TierEvaluation.organization_id == org.id, TierEvaluation.period == period)
    ).one()


def test_boundary_in_program_currency_at_the_deal_date_rate(session: Session) -> None:
    w = make_world(session)
    exact = partner(session, w, w.silver)
    short = partner(session, w, w.silver)
    won_deal(session, exact, "199999.96", date(2026, 5, 3), "EUR")  # 249,999.95 USD at 1.25
    won_deal(session, short, "199999.95", date(2026, 5, 3), "EUR")  # 249,999.9375 → 249,999.94
    for org in (exact, short):
        for _ in range(5):  # + 0.05 USD: 250,000.00 and 249,999.99
            won_deal(session, org, "0.01", date(2026, 6, 1))
    evaluate_tiers(session, AS_OF)
    assert _evaluation(session, exact).eligible_tier_id == w.gold.id
    assert _evaluation(session, short).eligible_tier_id == w.silver.id


def test_evaluation_keeps_values_sources_and_rule_version(session: Session) -> None:
    w = make_world(session)
    org = partner(session, w, w.registered)
    deals = [won_deal(session, org, "30000", date(2026, 3, 1)) for _ in range(2)]
    won_deal(session, org, "99999", date(2025, 6, 1))  # outside the rolling window
    evaluate_tiers(session, AS_OF)
    ev = _evaluation(session, org)
    values = json.loads(ev.values)
    assert values["revenue"]["value"] == "60000.00"
    assert sorted(values["revenue"]["sources"]) == sorted(d.id for d in deals)
    assert ev.rule_version == w.program.rule_version and ev.eligible_tier_id == w.silver.id
    assert ev.state == "upgrade"
    save_criterion(session, actor_for(w.manager), {"criterion_id": str(w.gold_revenue.id), "threshold": "400000"})
    evaluate_tiers(session, AS_OF)  # the same period again: replaced, not duplicated
    session.expire_all()
    assert _evaluation(session, org).rule_version == w.program.rule_version


def test_won_lost_won_counts_once_and_late_data_re_evaluates_the_period(session: Session) -> None:
    w = make_world(session)
    org = partner(session, w, w.registered)
    deal = won_deal(session, org, "60000", date(2026, 11, 28))
    deal.status = DealStatus.LOST
    session.add(deal)
    evaluate_tiers(session, AS_OF)
    assert _evaluation(session, org).eligible_tier_id == w.registered.id
    deal.status = DealStatus.WON  # won again (recorded late, in December)
    session.add(deal)
    session.flush()
    evaluate_tiers(session, AS_OF)  # the November run again
    session.expire_all()
    ev = _evaluation(session, org)
    assert json.loads(ev.values)["won_deals"] == {"value": "1", "sources": [deal.id]}
    assert ev.eligible_tier_id == w.silver.id


def test_grace_then_downgrade_proposal_and_recovery(session: Session) -> None:
    w = make_world(session)
    falling = partner(session, w, w.silver)
    recovering = partner(session, w, w.silver)
    evaluate_tiers(session, PREVIOUS)  # October: both below Silver
    assert {_evaluation(session, o, "2026-10").state for o in (falling, recovering)} == {"grace"}
    assert session.exec(select(TierProposal)).all() == []
    notices = recent_notices(session, actor_for(make_user(session, Role.PARTNER_USER, falling)))
    assert any("at risk" in n.message for n in notices)
    won_deal(session, recovering, "50000", date(2026, 11, 10))
    run = evaluate_tiers(session, AS_OF)  # November: second period below for one
    assert (run.downgrades, run.proposals) == (1, 1)
    assert _evaluation(session, recovering).state == "ok"
    proposal = session.exec(select(TierProposal)).one()
    assert (proposal.organization_id, proposal.to_tier_id) == (falling.id, w.registered.id)
    evaluate_tiers(session, AS_OF)  # idempotent: still one proposal
    assert len(session.exec(select(TierProposal)).all()) == 1


def test_approving_gold_raises_the_tier_routing_and_audience_read(session: Session) -> None:
    w = make_world(session)
    org = partner(session, w, w.silver)
    for _ in range(5):
        won_deal(session, org, "50000", date(2026, 9, 1))
    evaluate_tiers(session, AS_OF)
    proposal = session.exec(select(TierProposal)).one()
    assert proposal.to_tier_id == w.gold.id
    gold_only = AudienceRule(min_tier="Gold")
    assert verdict(gold_only, partner_facts(session, org.id)).locked_from_tier == "Gold"
    manager = actor_for(w.manager)
    assert [p.partner for p in overview(session, manager).proposals] == [org.name]
    decide_proposal(session, manager, proposal.id, True)
    session.expire_all()
    assert session.get(Organization, org.id).tier_id == w.gold.id
    assert verdict(gold_only, partner_facts(session, org.id)).visible
    change = session.exec(select(TierChange)).one()
    assert (change.source, change.by_id) == ("proposal", w.manager.id)
    with pytest.raises(ValidationError):
        decide_proposal(session, manager, proposal.id, False)
    page = my_tier(session, actor_for(make_user(session, Role.PARTNER_USER, org)), AS_OF)
    assert page is not None and page.tier == "Gold" and [b.value for b in page.benefits] == ["20"]


def test_auto_apply_upgrades(session: Session) -> None:
    w = make_world(session, auto_apply=True)
    org = partner(session, w, w.registered)
    won_deal(session, org, "51000", date(2026, 9, 1))
    evaluate_tiers(session, AS_OF)
    session.expire_all()
    assert session.get(Organization, org.id).tier_id == w.silver.id
    assert session.exec(select(TierProposal)).all() == []


def test_partner_sees_progress_to_the_next_tier(session: Session) -> None:
    w = make_world(session)
    org = partner(session, w, w.silver)
    for _ in range(3):
        won_deal(session, org, "43333.33", date(2026, 10, 1))
    evaluate_tiers(session, AS_OF)
    page = my_tier(session, actor_for(make_user(session, Role.PARTNER_USER, org)), AS_OF)
    assert page is not None and page.next_tier == "Gold"
    missing = {g.key: g.missing for g in page.progress}
    assert missing["revenue"] == Decimal("120000.01") and missing["won_deals"] == Decimal(2)
    assert page.at_risk == () and page.state == "ok"


def test_what_if_lists_who_would_move_without_saving(session: Session) -> None:
    w = make_world(session)
    big = partner(session, w, w.gold, "Big Co")
    small = partner(session, w, w.gold, "Small Co")
    for org, amount in ((big, "90000"), (small, "60000")):
        for _ in range(5):
            won_deal(session, org, amount, date(2026, 9, 1))
    evaluate_tiers(session, AS_OF)
    moves = what_if(session, actor_for(w.manager), w.gold_revenue.id, "400000")
    assert [(m.name, m.now_tier, m.would_be, m.up) for m in moves] == [("Small Co", "Gold", "Silver", False)]
    session.expire_all()
    assert w.gold_revenue.threshold == Decimal("250000")
    assert what_if(session, actor_for(w.other_manager), w.gold_revenue.id, "400000") == []  # not their book
    with pytest.raises(FormInvalid):
        what_if(session, actor_for(w.manager), w.gold_revenue.id, "lots")


def test_override_needs_a_reason_and_scope_is_enforced(session: Session) -> None:
    w = make_world(session)
    org = partner(session, w, w.silver)
    manager = actor_for(w.manager)
    with pytest.raises(FormInvalid) as err:
        override_tier(session, manager, org.id, w.gold.id, "because")
    assert "reason" in err.value.errors
    with pytest.raises(FormInvalid) as err:
        override_tier(session, manager, org.id, w.silver.id, "It holds this tier already, nothing to do")
    assert "tier" in err.value.errors
    with pytest.raises(NotFound):
        override_tier(session, actor_for(w.other_manager), org.id, w.gold.id, "Strategic partner for the 2027 launch")
    partner_actor = actor_for(make_user(session, Role.PARTNER_ADMIN, org))
    for call in (
        lambda: reevaluate_now(session, partner_actor, w.program.id),
        lambda: override_tier(session, partner_actor, org.id, w.gold.id, "x" * 30),
        lambda: set_custom_metric(session, partner_actor, org.id, "Score", "5", AS_OF),
        lambda: what_if(session, partner_actor, w.gold_revenue.id, "1"),
        lambda: decide_override(session, partner_actor, 1, True),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_an_override_takes_effect_only_when_a_second_manager_approves(session: Session) -> None:
    w = make_world(session)
    org = partner(session, w, w.silver)
    asker, admin = actor_for(w.manager), actor_for(make_user(session, Role.ADMIN))
    reason = "Strategic partner for the 2027 launch"
    override_id = override_tier(session, asker, org.id, w.gold.id, reason)
    session.expire_all()
    assert session.get(Organization, org.id).tier_id == w.silver.id  # nothing yet
    assert session.exec(select(TierChange)).all() == []
    (waiting,) = pending_overrides(session, asker)
    assert (waiting.partner, waiting.from_tier, waiting.to_tier, waiting.mine) == (org.name, "Silver", "Gold", True)
    assert [o.mine for o in pending_overrides(session, admin)] == [False]
    assert pending_overrides(session, actor_for(w.other_manager)) == []  # not in their book
    with pytest.raises(FormInvalid) as err:  # one waits per partner
        override_tier(session, admin, org.id, w.registered.id, "A second request while the first one waits")
    assert "already waiting" in err.value.errors["partner"]
    with pytest.raises(ValidationError, match="a different manager"):
        decide_override(session, asker, override_id, True)
    with pytest.raises(NotFound):
        decide_override(session, actor_for(w.other_manager), override_id, True)
    decide_override(session, admin, override_id, True)
    session.expire_all()
    assert session.get(Organization, org.id).tier_id == w.gold.id
    change = session.exec(select(TierChange)).one()
    assert (change.source, change.reason, change.by_id) == ("override", reason, admin.user_id)
    row = session.get(TierOverride, override_id)
    assert (row.status, row.asked_by_id, row.decided_by_id, row.open_for) == (
        "approved",
        w.manager.id,
        admin.user_id,
        None,
    )
    actions = session.exec(select(AuditLog.action).where(col(AuditLog.action).like("%tier_override"))).all()
    assert sorted(actions) == ["ask_tier_override", "decide_tier_override"]
    with pytest.raises(ValidationError, match="already decided"):
        decide_override(session, admin, override_id, False)
    assert pending_overrides(session, admin) == []
    # A rejected override changes nothing, and the partner may be asked for again.
    again = override_tier(session, admin, org.id, w.registered.id, "Asked by an admin, decided by its manager")
    decide_override(session, asker, again, False)
    session.expire_all()
    assert session.get(Organization, org.id).tier_id == w.gold.id
    assert session.get(TierOverride, again).status == "rejected"


def test_custom_metric_counts_its_latest_value(session: Session) -> None:
    w = make_world(session)
    org = partner(session, w, w.registered)
    manager = actor_for(w.manager)
    silver_tier = session.exec(select(TierEvaluation)).all()  # none yet
    assert silver_tier == []
    pt = session.exec(select(ProgramTier).where(col(ProgramTier.tier_id) == w.silver.id)).one()
    save_criterion(session, manager, {"program_tier_id": str(pt.id), "metric": "custom", "param": "Joint plan score",
                                      "threshold": "7", "group": "2"})  # fmt: skip
    won_deal(session, org, "50000", date(2026, 9, 1))
    set_custom_metric(session, manager, org.id, "Joint plan score", "6", AS_OF - timedelta(days=30))
    evaluate_tiers(session, AS_OF)
    assert _evaluation(session, org).eligible_tier_id == w.registered.id
    set_custom_metric(session, manager, org.id, "Joint plan score", "7", AS_OF)
    evaluate_tiers(session, AS_OF)
    session.expire_all()
    assert _evaluation(session, org).eligible_tier_id == w.silver.id


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_two_evaluations_at_once_make_one_proposal(backend: str, tmp_path) -> None:
    with shared_database(backend, tmp_path, "tiering_race") as engine:
        with Session(engine) as session:
            w = make_world(session)
            org = partner(session, w, w.registered)
            won_deal(session, org, "60000", date(2026, 9, 1))
            session.commit()
        results = race(engine, *[lambda s: evaluate_tiers(s, AS_OF) for _ in range(2)])
        assert not any(isinstance(r, Exception) for r in results), results
        with Session(engine) as session:
            assert len(session.exec(select(TierProposal)).all()) == 1
            assert len(session.exec(select(TierEvaluation)).all()) == 1


def test_override_by_name_finds_the_partner_in_the_book_only(session: Session) -> None:
    w = make_world(session)
    org = partner(session, w, w.silver, "Fjordline AS")
    reason = "Signed the 2027 joint business plan early"
    with pytest.raises(FormInvalid) as err:
        override_by_name(session, actor_for(w.other_manager), {"partner": "fjordline as", "tier": str(w.gold.id),
                                                              "reason": "short"})  # fmt: skip
    assert set(err.value.errors) == {"partner", "reason"}
    asked = override_by_name(session, actor_for(w.manager), {"partner": " fjordline as ", "tier": str(w.gold.id),
                                                             "reason": reason})  # fmt: skip
    decide_override(session, actor_for(make_user(session, Role.ADMIN)), asked, True)
    session.expire_all()
    assert session.get(Organization, org.id).tier_id == w.gold.id


def test_program_settings_raise_the_rule_version(session: Session) -> None:
    w = make_world(session)
    manager = actor_for(w.manager)
    with pytest.raises(FormInvalid) as err:
        save_program(session, manager, w.program.id, {"window": "weekly", "currency": "XXX"})
    assert set(err.value.errors) == {"partner_types", "window", "currency"}
    version = w.program.rule_version
    save_program(session, manager, w.program.id, {"type_msp": "on", "window": "fiscal_year", "currency": "eur",
                                                  "auto_apply": "on"})  # fmt: skip
    session.expire_all()
    program = session.get(TierProgram, w.program.id)
    assert (program.partner_types, program.window, program.currency) == ("msp", "fiscal_year", "EUR")
    assert program.auto_apply_upgrades and program.rule_version == version + 1
    with pytest.raises(PermissionDenied):
        save_program(session, actor_for(make_user(session, Role.EXEC)), w.program.id, {})


def test_benefits_apply_from_their_day_and_never_retroactively_by_accident(session: Session) -> None:
    w = make_world(session)
    org = partner(session, w, w.gold)
    manager = actor_for(w.manager)
    gold = session.exec(select(ProgramTier).where(col(ProgramTier.tier_id) == w.gold.id)).one()
    form = {"program_tier_id": str(gold.id), "kind": "discount_pct", "value": "25", "effective_from": "2026-11-01"}
    with pytest.raises(FormInvalid) as err:
        add_benefit(session, manager, form, today=AS_OF)
    assert "effective_from" in err.value.errors
    add_benefit(session, manager, {**form, "effective_from": "2026-12-15"}, today=AS_OF)
    reader = actor_for(make_user(session, Role.PARTNER_USER, org))
    page = my_tier(session, reader, AS_OF)
    assert page is not None and [(b.label, b.value) for b in page.benefits] == [("Discount (%)", "20")]
    page = my_tier(session, reader, date(2026, 12, 15))
    assert page is not None and [b.value for b in page.benefits] == ["25"]
    add_benefit(session, manager, {**form, "kind": "lead_weight", "value": "2", "retroactive": "on"}, today=AS_OF)
    assert len(my_tier(session, reader, AS_OF).benefits) == 2


def test_re_evaluating_a_past_day_replaces_that_period_only(session: Session) -> None:
    w = make_world(session)
    org = partner(session, w, w.registered)
    manager = actor_for(w.manager)
    reevaluate_now(session, manager, w.program.id, "2026-10-31", today=AS_OF)
    assert _evaluation(session, org, "2026-10").eligible_tier_id == w.registered.id
    won_deal(session, org, "60000", date(2026, 10, 30))  # recorded late
    run = reevaluate_now(session, manager, w.program.id, "2026-10-31", today=AS_OF)
    session.expire_all()
    assert run.evaluated == 1 and _evaluation(session, org, "2026-10").eligible_tier_id == w.silver.id
    assert len(session.exec(select(TierEvaluation)).all()) == 1
    for bad in ("2026-12-01", "yesterday"):
        with pytest.raises(FormInvalid):
            reevaluate_now(session, manager, w.program.id, bad, today=AS_OF)


def _certify(session: Session, user, code: str, issued: datetime, months: int = 12) -> None:
    from prm_app.training.models import Certificate, Certification

    cert = session.exec(select(Certification).where(Certification.code == code)).first()
    if cert is None:
        cert = Certification(code=code, name=f"Certified {code}", valid_months=months, renewal="all")
        session.add(cert)
        session.flush()
    session.add(Certificate(code=uuid4().hex, user_id=user.id, certification_id=cert.id, holder_name=user.full_name,
                            issued_at=issued, expires_at=issued + timedelta(days=30 * months)))  # fmt: skip
    session.flush()


def test_certified_headcount_a_lapse_puts_the_tier_at_risk_and_a_leaver_costs_it(session: Session) -> None:
    w = make_world(session)
    org = partner(session, w, w.silver)
    won_deal(session, org, "60000", date(2026, 9, 1))
    alice, bob = (make_user(session, Role.PARTNER_USER, org) for _ in range(2))
    silver = session.exec(select(ProgramTier).where(col(ProgramTier.tier_id) == w.silver.id)).one()
    manager = actor_for(w.manager)
    with pytest.raises(FormInvalid):  # no such certification
        save_criterion(session, manager, {"program_tier_id": str(silver.id), "metric": "certified_headcount",
                                          "param": "CPA", "threshold": "2", "group": "2"})  # fmt: skip
    _certify(session, alice, "CPA", datetime(2026, 1, 10, tzinfo=UTC))  # lapses in early January 2027
    _certify(session, bob, "CPA", datetime(2026, 6, 1, tzinfo=UTC))
    save_criterion(session, manager, {"program_tier_id": str(silver.id), "metric": "certified_headcount",
                                      "param": "cpa", "threshold": "2", "group": "2"})  # fmt: skip
    evaluate_tiers(session, AS_OF)
    ev = _evaluation(session, org)
    assert json.loads(ev.values)["certified_headcount:CPA"]["value"] == "2" and ev.state == "ok"
    page = my_tier(session, actor_for(bob), AS_OF)
    assert page is not None and page.at_risk == ()
    (lapse,) = page.lapsing
    assert (lapse.tier, lapse.label, lapse.held, lapse.lapsing) == ("Silver", "Certified people (CPA)", 2, 1)
    assert lapse.by == date(2027, 1, 5)  # issued 10 Jan 2026 for 360 days: gone at the start of 5 Jan 2027

    bob.organization_id = None  # a certified rep leaves the partner
    session.add(bob)
    session.flush()
    evaluate_tiers(session, AS_OF)
    session.expire_all()
    ev = _evaluation(session, org)
    assert ev.state == "grace" and ev.eligible_tier_id == w.registered.id
    page = my_tier(session, actor_for(alice), AS_OF)
    assert [g.label for g in page.at_risk] == ["Certified people (CPA)"]


def test_the_scheduled_run_evaluates_last_month_again_early_in_a_month(session: Session) -> None:
    w = make_world(session)
    org = partner(session, w, w.registered)
    evaluate_due(session, date(2026, 11, 30))
    won_deal(session, org, "60000", date(2026, 11, 30))  # won on the 30th, recorded on 2 December
    evaluate_due(session, date(2026, 12, 2))
    session.expire_all()
    assert _evaluation(session, org, "2026-11").eligible_tier_id == w.silver.id
    assert _evaluation(session, org, "2026-12").eligible_tier_id == w.silver.id
    assert len(session.exec(select(TierProposal)).all()) == 2  # one a period
    evaluate_due(session, date(2026, 12, 20))
    assert len(session.exec(select(TierEvaluation)).all()) == 2


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_two_managers_deciding_one_proposal_at_once_make_one_decision(backend: str, tmp_path) -> None:
    """One approves while the other rejects: one decision lands, the other is refused; never a proposal marked
    rejected whose approval changed the tier anyway."""
    with shared_database(backend, tmp_path, "tiering_decide_race") as engine:
        with Session(engine, expire_on_commit=False) as session:
            w = make_world(session)
            org = partner(session, w, w.registered)
            won_deal(session, org, "60000", date(2026, 9, 1))
            evaluate_tiers(session, AS_OF)
            proposal_id = session.exec(select(TierProposal.id)).one()
            manager = actor_for(w.manager)
            session.commit()
        results = race(
            engine,
            lambda s: decide_proposal(s, manager, proposal_id, True),
            lambda s: decide_proposal(s, manager, proposal_id, False),
        )
        assert sum(not isinstance(r, Exception) for r in results) == 1, results
        with Session(engine) as session:
            proposal = session.get(TierProposal, proposal_id)
            changes = session.exec(select(TierChange)).all()
            assert proposal is not None and proposal.status in {"approved", "rejected"}
            assert len(changes) == (1 if proposal.status == "approved" else 0)
            tier = session.get(Organization, org.id).tier_id
            assert tier == (w.silver.id if proposal.status == "approved" else w.registered.id)


def test_a_proposal_overtaken_by_an_override_is_not_approved(session: Session) -> None:
    w = make_world(session)
    org = partner(session, w, w.registered)
    won_deal(session, org, "60000", date(2026, 9, 1))
    evaluate_tiers(session, AS_OF)
    proposal = session.exec(select(TierProposal)).one()
    manager = actor_for(w.manager)
    asked = override_tier(session, manager, org.id, w.gold.id, "Strategic partner signed a three-year Gold commitment.")
    decide_override(session, actor_for(make_user(session, Role.ADMIN)), asked, True)
    with pytest.raises(ValidationError, match="tier changed"):
        decide_proposal(session, manager, proposal.id, True)  # would take the partner down from Gold to Silver
    decide_proposal(session, manager, proposal.id, False)  # rejecting it is still fine
    assert session.get(Organization, org.id).tier_id == w.gold.id


def test_a_quarterly_program_keeps_a_quarter_of_grace(session: Session) -> None:
    """Evaluated quarterly, a partner below its tier in Q3 is in grace until the end of Q4, and the proposal to
    downgrade it comes with Q4's run, named by the quarter."""
    w = make_world(session)
    w.program.cadence = "quarterly"
    session.add(w.program)
    falling = partner(session, w, w.silver)
    evaluate_tiers(session, date(2026, 9, 30))
    q3 = _evaluation(session, falling, "2026-Q3")
    assert (q3.state, q3.grace_until) == ("grace", date(2026, 12, 31))
    evaluate_tiers(session, date(2026, 10, 31))  # the same quarter's first month: still Q4's first run
    assert (session.exec(select(TierProposal)).one().period, _evaluation(session, falling, "2026-Q4").state) == (
        "2026-Q4", "downgrade",
    )  # fmt: skip
    manager = actor_for(w.manager)
    form = {"program_id": str(w.program.id), "type_reseller": "on", "window": "rolling_12m", "currency": "USD",
            "cadence": "weekly"}  # fmt: skip
    with pytest.raises(FormInvalid) as exc:
        save_program(session, manager, w.program.id, form)
    assert exc.value.errors == {"cadence": "Choose how often partners are evaluated."}
    version = w.program.rule_version
    save_program(session, manager, w.program.id, {**form, "cadence": "monthly"})
    assert (w.program.cadence, w.program.rule_version) == ("monthly", version + 1)
