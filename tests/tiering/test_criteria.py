"""The NPS and onboarding-complete criteria on SQLite and PostgreSQL: NPS from the partner's people's answers in its
evaluation window, exact at the boundary (cut, never rounded up), failing without answers, stored with its answers
as sources and how many; onboarding complete once the checklist was completed by the evaluated day."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

from prm_app.deals import Credit, DealPayment
from prm_app.nps.models import NpsResponse, NpsSurvey
from prm_app.onboarding.models import Checklist
from prm_app.platform.access import Role
from prm_app.tiering import ProgramTier, TierCriterion, TierEvaluation, evaluate_tiers, my_tier, save_criterion
from prm_app.tiering.rules import CriterionRule, TierRule, gaps, meets, nps_of
from prm_app.tiering.ui.display import gap_lines, value_line
from tests.factories import actor_for, make_user
from tests.tiering.factories import AS_OF, make_world, partner, won_deal


@pytest.mark.pure
def test_nps_is_cut_to_the_cent_and_needs_answers() -> None:
    assert nps_of(3, 0, 10) == Decimal(30)  # exactly 30: meets a 30 threshold
    assert nps_of(1, 0, 3) == Decimal("33.33")
    assert nps_of(2, 1, 3) == Decimal("33.33")
    assert nps_of(0, 1, 3) == Decimal("-33.34")  # cut downwards: never a point the answers do not give
    assert nps_of(0, 0, 0) == Decimal(0)
    rule = TierRule(1, "Gold", 2, (CriterionRule(1, "nps", "", Decimal(0), 1),))
    assert not meets(rule, {}) and meets(rule, {"nps": Decimal(0)})
    (gap,) = gaps(rule, {})
    assert not gap.met and not gap.measured
    assert gap_lines([gap], "USD")[0].missing.startswith("An NPS from your people's answers")


def _gold_asks(session: Session, w, metric: str, threshold: str) -> None:
    gold = session.exec(select(ProgramTier).where(col(ProgramTier.tier_id) == w.gold.id)).one()
    for c in session.exec(select(TierCriterion).where(col(TierCriterion.program_tier_id) == gold.id)).all():
        session.delete(c)
    session.add(TierCriterion(program_tier_id=gold.id, metric=metric, threshold=Decimal(threshold)))
    session.flush()


def _answers(session: Session, org, scores: list[int], at: datetime) -> list[int]:
    manager = make_user(session, Role.CHANNEL_MANAGER)
    survey = NpsSurvey(title="Q4", question="Recommend us?", opens_at=at, closes_at=at.replace(year=at.year + 1),
                       created_by_id=manager.id)  # fmt: skip
    session.add(survey)
    session.flush()
    ids = []
    for score in scores:
        person = make_user(session, Role.PARTNER_USER, org)
        answer = NpsResponse(
            survey_id=survey.id, user_id=person.id, organization_id=org.id, score=score, answered_at=at
        )
        session.add(answer)
        session.flush()
        ids.append(answer.id)
    return ids


def _evaluation(session: Session, org) -> TierEvaluation:
    return session.exec(select(TierEvaluation).where(col(TierEvaluation.organization_id) == org.id)).one()


def test_nps_criterion_exact_boundary_window_and_sources(session: Session) -> None:
    w = make_world(session)
    _gold_asks(session, w, "nps", "30")
    exact, third, silent = (partner(session, w, w.silver, n) for n in ("Exact", "Third", "Silent"))
    # Exact: 4 promoters, 1 detractor, 5 passives = 30.00; Third: 1 promoter of 3 = 33.333… cut to 33.33
    ids = _answers(session, exact, [10, 9, 9, 10, 3, 7, 8, 7, 8, 7], datetime(2026, 6, 1, tzinfo=UTC))
    _answers(session, exact, [0, 0, 0], datetime(2025, 6, 1, tzinfo=UTC))  # before its rolling window: not counted
    _answers(session, third, [10, 8, 8], datetime(2026, 6, 1, tzinfo=UTC))
    evaluate_tiers(session, AS_OF)
    stored = json.loads(_evaluation(session, exact).values)["nps"]
    assert stored == {"value": "30.00", "sources": ids, "answers": 10}
    assert _evaluation(session, exact).eligible_tier_id == w.gold.id
    assert "nps" not in json.loads(_evaluation(session, silent).values)
    assert _evaluation(session, silent).eligible_tier_id != w.gold.id
    assert json.loads(_evaluation(session, third).values)["nps"]["value"] == "33.33"
    _gold_asks(session, w, "nps", "33.34")  # a cent above what the answers give
    evaluate_tiers(session, AS_OF)
    assert _evaluation(session, third).eligible_tier_id != w.gold.id
    _gold_asks(session, w, "nps", "33.33")
    evaluate_tiers(session, AS_OF)
    assert _evaluation(session, third).eligible_tier_id == w.gold.id
    # The partner's page explains it: the value, and how many answers it rests on.
    page = my_tier(session, actor_for(make_user(session, Role.PARTNER_USER, exact)), AS_OF)
    assert page is not None
    (nps,) = [v for v in page.values if v.key == "nps"]
    line = value_line(nps, page.currency)
    assert (line.label, line.value) == ("NPS", "30") and line.records.startswith("10 answers: #")


def test_onboarding_complete_counts_from_the_day_it_was_completed(session: Session) -> None:
    w = make_world(session)
    manager = actor_for(w.manager)
    gold = session.exec(select(ProgramTier).where(col(ProgramTier.tier_id) == w.gold.id)).one()
    for c in session.exec(select(TierCriterion).where(col(TierCriterion.program_tier_id) == gold.id)).all():
        session.delete(c)
    save_criterion(session, manager, {"program_tier_id": str(gold.id), "metric": "onboarding", "threshold": "7"})
    assert session.exec(select(TierCriterion.threshold).where(col(TierCriterion.metric) == "onboarding")).one() == 1
    done, late, never = (partner(session, w, w.silver, n) for n in ("Done", "Late", "Never"))
    checklists = {}
    for org, completed in (
        (done, datetime(2026, 11, 30, 23, 59, tzinfo=UTC)),
        (late, datetime(2026, 12, 1, tzinfo=UTC)),
    ):
        checklists[org.id] = Checklist(organization_id=org.id, template_name="Resellers", completed_at=completed)
        session.add(checklists[org.id])
    session.add(Checklist(organization_id=never.id, template_name="Resellers"))
    session.flush()
    evaluate_tiers(session, AS_OF)
    assert json.loads(_evaluation(session, done).values)["onboarding"] == {
        "value": "1",
        "sources": [checklists[done.id].id],
    }
    assert _evaluation(session, done).eligible_tier_id == w.gold.id
    for org in (late, never):
        assert json.loads(_evaluation(session, org).values)["onboarding"] == {"value": "0", "sources": []}
        assert _evaluation(session, org).eligible_tier_id != w.gold.id
    page = my_tier(session, actor_for(make_user(session, Role.PARTNER_USER, late)), AS_OF)
    assert page is not None
    (line,) = [g for g in gap_lines(page.progress, page.currency) if g.label == "Onboarding complete"]
    assert (line.shown, line.missing, line.met) == ("Not complete", "Complete your onboarding checklist", False)


def _paid(session: Session, deal, amount: str, day: date) -> None:
    session.add(DealPayment(deal_id=deal.id, kind="payment" if Decimal(amount) > 0 else "refund",
                            amount=Decimal(amount), on_date=day))  # fmt: skip
    session.flush()


def test_revenue_paid_counts_payments_less_refunds_in_the_window_on_sourced_deals(session: Session) -> None:
    """What customers paid on the partner's sourced deals, dated in its window, at each payment day's rate: exact at
    the boundary; a refund takes away; a payment before the window, or on a deal the partner only influenced, does
    not count (nor does that deal's booked revenue)."""
    w = make_world(session)
    _gold_asks(session, w, "revenue_paid", "250000")
    exact, short = partner(session, w, w.silver), partner(session, w, w.silver)
    for org in (exact, short):
        deal = won_deal(session, org, "300000", date(2026, 3, 1))
        _paid(session, deal, "150000", date(2026, 4, 1))
        _paid(session, deal, "99989.99", date(2026, 5, 1))
        _paid(session, deal, "99999", date(2025, 6, 1))  # before the rolling window
        euro = won_deal(session, org, "1000", date(2026, 3, 1), "EUR")
        _paid(session, euro, "8.01", date(2026, 6, 1))  # 10.01 USD at 1.25
        influenced = won_deal(session, org, "500000", date(2026, 3, 1))
        influenced.credit = Credit.INFLUENCED
        _paid(session, influenced, "500000", date(2026, 6, 1))
    _paid(session, euro, "-0.01", date(2026, 6, 2))  # `short`'s refund: 249,999.99 USD
    evaluate_tiers(session, AS_OF)
    values = {
        org.id: json.loads(
            session.exec(select(TierEvaluation).where(col(TierEvaluation.organization_id) == org.id)).one().values
        )
        for org in (exact, short)
    }
    assert values[exact.id]["revenue_paid"]["value"] == "250000.00"
    assert values[short.id]["revenue_paid"]["value"] == "249999.99"
    assert values[exact.id]["revenue"]["value"] == "301250.00"  # the influenced deal's 500,000 is not sourced
    assert len(values[exact.id]["revenue_paid"]["sources"]) == 2  # the two deals paid on, each once
    tiers = {org.id: session.get(TierEvaluation, _eval_id(session, org)).eligible_tier_id for org in (exact, short)}
    assert tiers == {exact.id: w.gold.id, short.id: w.silver.id}
    reader = actor_for(make_user(session, Role.PARTNER_USER, short))
    page = my_tier(session, reader, AS_OF)
    assert page is not None
    assert [g.missing for g in gap_lines(page.progress, page.currency)] == ["0.01 USD more revenue paid"]


def _eval_id(session: Session, org) -> int:
    return session.exec(select(TierEvaluation.id).where(col(TierEvaluation.organization_id) == org.id)).one()
