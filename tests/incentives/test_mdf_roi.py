"""MDF ROI: the partner reports an activity's results and links its own deals to it (only its own, once even from
two tabs at once, on both databases); ROI = attributed won revenue / reimbursed, cost per lead = reimbursed / leads,
per request, per partner and fund, and in the dashboards' panel narrowed by its filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from prm_app.analytics import dashboard_panels
from prm_app.deals import Deal, DealStatus
from prm_app.incentives import (
    PROOFS,
    add_claim_line,
    allocate,
    create_budget,
    decide_claim_line,
    decide_fund_request,
    finish_claim_review,
    request_for_review,
    submit_claim,
    submit_fund_request,
)
from prm_app.incentives.mdf_models import FundRequestDeal
from prm_app.incentives.mdf_proofs import add_proof
from prm_app.incentives.mdf_roi import (
    link_deal,
    linkable_deals,
    my_request_roi,
    report_results,
    request_roi,
    review_roi,
)
from prm_app.incentives.mdf_roi_reports import budget_roi, mdf_panel
from prm_app.incentives.mdf_rules import cost_per_lead, roi
from prm_app.incentives.models import FundRequest
from prm_app.partners import Filters
from prm_app.platform.errors import DomainError, FormInvalid, NotFound
from prm_app.platform.models import ExchangeRate
from tests.conftest import SHARED_BACKENDS, race, shared_database
from tests.incentives.world import approved_deal, make_world

TODAY = date.today()
NOW = datetime.now(UTC)


@pytest.mark.pure
def test_roi_and_cost_per_lead():
    assert roi(D("40000"), D("5000")) == D("8.00")
    assert roi(D("1"), D("3")) == D("0.33")
    assert roi(D("100"), D("0")) is None
    assert cost_per_lead(D("5000"), 20, "USD") == D("250.00")
    assert cost_per_lead(D("1000"), 3, "JPY") == D("333")
    assert cost_per_lead(D("5000"), 0, "USD") is None


def _claimed(session: Session, w, tmp_path, *, starts=TODAY, budget_name="ROI fund") -> tuple[int, int]:
    """A request approved at 50 % of 10,000 whose claim (12,000 accepted) was approved: 5,000 reimbursed."""
    budget = create_budget(session, w.admin, budget_name, str(TODAY), str(TODAY + timedelta(days=90)), "USD", "50000")
    allocation = allocate(session, w.admin, budget, w.org.id, "20000")
    form = {
        "activity_type": "training", "title": "Partner bootcamp", "starts_on": str(starts),
        "ends_on": str(starts + timedelta(days=1)), "expected_leads": "10", "requested_amount": "10000",
        "partner_contribution": "0",
    }  # fmt: skip
    request_id = submit_fund_request(session, w.partner, allocation, form)
    decide_fund_request(session, w.manager, request_id, "approve", reimbursement_pct="50")
    PROOFS.folder = tmp_path
    for key in ("a" * 32, "b" * 32):
        (tmp_path / key).write_bytes(b"%PDF-1.4\n")
    line = {"description": "Trainer", "invoice_number": f"T-{request_id}", "amount": "12000"}
    line_id = add_claim_line(session, w.partner, request_id, line, "a" * 32, "application/pdf", "i.pdf")
    add_proof(session, w.partner, request_id, "attendance", "b" * 32, "application/pdf", "sheet.pdf")
    submit_claim(session, w.partner, request_id, "8")
    decide_claim_line(session, w.manager, line_id, "accepted")
    finish_claim_review(session, w.manager, request_for_review(session, w.manager, request_id).claim_id)
    return budget, request_id


def _close(session: Session, deal_id: int, status: str, amount: str | None = None) -> None:
    deal = session.get(Deal, deal_id)
    deal.status, deal.closed_at = status, NOW
    deal.final_amount = D(amount) if amount else None
    session.add(deal)
    session.flush()


def test_the_roi_counts_linked_won_deals_per_unit_reimbursed(session: Session, tmp_path):
    w = make_world(session)
    budget, request_id = _claimed(session, w, tmp_path)
    won, lost, open_, eur = (approved_deal(session, w, c) for c in ("Won Co", "Lost Co", "Open Co", "Euro GmbH"))
    _close(session, won, DealStatus.WON, "40000")
    _close(session, lost, DealStatus.LOST)
    session.get(Deal, eur).currency = "EUR"
    _close(session, eur, DealStatus.WON, "8000")
    session.add(ExchangeRate(currency="EUR", as_of=TODAY - timedelta(days=1), usd_per_unit=D("1.25")))
    for deal_id in (won, lost, open_, eur, won):  # the second link of `won` changes nothing
        link_deal(session, w.partner, request_id, deal_id)
    report_results(session, w.partner, request_id, {"leads": "20", "opportunities": "4", "pipeline": "90000",
                                                     "won_revenue": "55000"})  # fmt: skip
    r = my_request_roi(session, w.partner, request_id)
    assert (r.reimbursed, r.attributed_won, r.attributed_pipeline) == (D("5000.00"), D("50000.00"), D("40000.00"))
    assert (r.roi, r.cost_per_lead, r.leads) == (D("10.00"), D("250.00"), 20)
    assert (r.opportunities, r.reported_pipeline, r.reported_won) == (4, D("90000.00"), D("55000.00"))
    assert sorted(d.customer for d in r.deals) == ["Euro GmbH", "Lost Co", "Open Co", "Won Co"]
    assert review_roi(session, w.manager, request_id) == r
    by_partner = budget_roi(session, w.admin, budget)
    assert [(x.organization, x.roi, x.cost_per_lead) for x in by_partner] == [
        ("Acme Partners GmbH", D("10.00"), D("250.00")),
        ("All partners", D("10.00"), D("250.00")),
    ]


def test_before_a_report_the_claims_leads_count_and_a_missing_rate_is_said(session: Session, tmp_path):
    w = make_world(session)
    _, request_id = _claimed(session, w, tmp_path)
    deal = approved_deal(session, w, "Yen KK", currency="JPY")
    _close(session, deal, DealStatus.WON, "1000000")
    link_deal(session, w.partner, request_id, deal)
    r = my_request_roi(session, w.partner, request_id)
    assert (r.leads, r.cost_per_lead, r.reported) == (8, D("625.00"), False)
    assert (r.attributed_won, r.roi, r.unconverted) == (D("0.00"), D("0.00"), 1)


def test_only_the_partners_own_deals_and_requests_and_only_once_begun(session: Session, tmp_path):
    w = make_world(session)
    _, request_id = _claimed(session, w, tmp_path)
    mine = approved_deal(session, w, "Mine Ltd")
    theirs = approved_deal(session, w, "Theirs Ltd")
    session.get(Deal, theirs).organization_id = w.other_partner.organization_id
    session.flush()
    with pytest.raises(NotFound):
        link_deal(session, w.partner, request_id, theirs)
    with pytest.raises(NotFound):
        link_deal(session, w.other_partner, request_id, mine)
    with pytest.raises(NotFound):
        report_results(session, w.other_partner, request_id, {"leads": "1"})
    assert [name for _id, name in linkable_deals(session, w.partner, request_id)] == ["Mine Ltd (approved)"]
    with pytest.raises(FormInvalid) as wrong:
        report_results(session, w.partner, request_id, {"leads": "many", "pipeline": "-5", "won_revenue": "1.001"})
    assert set(wrong.value.errors) == {"leads", "pipeline", "won_revenue"}
    _, later = _claimed(session, w, tmp_path, starts=TODAY + timedelta(days=5), budget_name="Later fund")
    with pytest.raises(DomainError, match="once the activity has begun"):
        report_results(session, w.partner, later, {"leads": "1"})


def test_the_dashboard_panel_follows_the_filters_partners_and_period(session: Session, tmp_path):
    w = make_world(session)
    _, request_id = _claimed(session, w, tmp_path)
    won = approved_deal(session, w, "Won Co")
    _close(session, won, DealStatus.WON, "15000")
    link_deal(session, w.partner, request_id, won)
    period = Filters.last_days(30, NOW)
    panel = mdf_panel(session, period, NOW)
    assert panel is not None and panel.key == "mdf"
    facts = {f.label: f.value for f in panel.facts}
    assert facts["MDF reimbursed (USD)"] == "5,000.00 USD"
    assert facts["MDF ROI (USD)"] == "3.00×"
    assert panel.tables[0].rows == (("Acme Partners GmbH", "5,000.00 USD", "15,000.00 USD", "3.00×", "625.00 USD"),)
    assert panel.tables[0].partners == panel.bars[0].partners == (w.org.id,)  # a channel manager's copy keeps its own
    assert mdf_panel(session, Filters.last_days(30, NOW, tier_id=w.org.tier_id + 100), NOW) is None
    assert mdf_panel(session, period.previous(), NOW) is None
    shown = dashboard_panels(session, w.admin, period, NOW)  # registered from incentives' reactions
    assert [p.title for p in shown if p.key == "mdf"] == ["Market development funds"]


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
@pytest.mark.parametrize("second_activity", [False, True], ids=["same-request", "two-requests"])
def test_a_deal_linked_from_two_tabs_at_once_is_linked_once(backend, second_activity, tmp_path):
    # Two tabs link it to the same request (one link, no error), or to two of the partner's activities (it is
    # attributed to one: its revenue is never counted twice).
    with shared_database(backend, tmp_path, "roi_race") as engine:
        with Session(engine, expire_on_commit=False) as session:
            w = make_world(session)
            _, first = _claimed(session, w, tmp_path)
            second = _claimed(session, w, tmp_path, budget_name="Second fund")[1] if second_activity else first
            deal = approved_deal(session, w, "Race Co")
            session.commit()
        results = race(engine, *(lambda s, r=r: link_deal(s, w.partner, r, deal) for r in (first, second)))
        refused = ["This deal is attributed to “Partner bootcamp” already."] if second_activity else ["None"]
        assert sorted(map(str, results)) == ["None", *refused], results
        with Session(engine) as session:
            assert len(session.exec(select(FundRequestDeal)).all()) == 1


def test_a_linked_deal_that_is_no_longer_live_is_not_pipeline(session: Session, tmp_path):
    # Pipeline is what may still be won: a registration rejected, withdrawn or expired after it was linked is not.
    w = make_world(session)
    _, request_id = _claimed(session, w, tmp_path)
    live, rejected, expired = (approved_deal(session, w, c) for c in ("Live Co", "Rejected Co", "Expired Co"))
    for deal_id in (live, rejected, expired):
        link_deal(session, w.partner, request_id, deal_id)
    estimate = session.get(Deal, live).estimated_value
    for deal_id, status in ((rejected, DealStatus.REJECTED), (expired, DealStatus.EXPIRED)):
        session.get(Deal, deal_id).status = status
    session.flush()
    r = my_request_roi(session, w.partner, request_id)
    assert (r.attributed_pipeline, r.attributed_won) == (estimate, D("0.00"))
    assert sorted(d.customer for d in r.deals) == ["Expired Co", "Live Co", "Rejected Co"]  # still listed


def test_a_deal_is_attributed_to_one_activity_so_the_fund_counts_its_revenue_once(session: Session, tmp_path):
    w = make_world(session)
    budget, first = _claimed(session, w, tmp_path)
    _, second = _claimed(session, w, tmp_path, budget_name="Second fund")
    won = approved_deal(session, w, "Won Co")
    _close(session, won, DealStatus.WON, "40000")
    link_deal(session, w.partner, first, won)
    link_deal(session, w.partner, first, won)  # the same link again changes nothing
    assert won not in [deal_id for deal_id, _name in linkable_deals(session, w.partner, second)]
    with pytest.raises(DomainError, match="attributed to “Partner bootcamp” already"):
        link_deal(session, w.partner, second, won)
    assert my_request_roi(session, w.partner, second).attributed_won == D("0.00")
    assert [(x.attributed_won, x.roi) for x in budget_roi(session, w.admin, budget)] == [(D("40000.00"), D("8.00"))] * 2


def test_the_dashboard_panel_counts_every_claim_of_the_period_in_a_few_queries(session: Session, tmp_path):
    """The panel adds up the period's claims as request_roi counts each (won deals converted at the rate of their
    day, leads reported or else claimed), in as many queries for three claims as for one: a year's claims at a few
    thousand partners are thousands, read again at every data change (it read ~5 queries a claim, and only the
    first 500 claims, so its totals fell short past that)."""
    w = make_world(session)
    _, first = _claimed(session, w, tmp_path)
    won, eur = approved_deal(session, w, "Won Co"), approved_deal(session, w, "Euro GmbH")
    _close(session, won, DealStatus.WON, "15000")
    session.get(Deal, eur).currency = "EUR"
    _close(session, eur, DealStatus.WON, "8000")
    session.add(ExchangeRate(currency="EUR", as_of=TODAY - timedelta(days=1), usd_per_unit=D("1.25")))
    for deal_id in (won, eur):
        link_deal(session, w.partner, first, deal_id)
    period = Filters.last_days(30, NOW)
    engine = session.get_bind()

    def panel_and_queries():
        statements: list[str] = []

        def record(*args) -> None:
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", record)
        try:
            return mdf_panel(session, period, NOW), len(statements)
        finally:
            event.remove(engine, "before_cursor_execute", record)

    _panel, one_claim = panel_and_queries()
    later = [_claimed(session, w, tmp_path, budget_name=name)[1] for name in ("Fund B", "Fund C")]
    report_results(session, w.partner, later[0], {"leads": "20"})
    panel, three_claims = panel_and_queries()
    assert three_claims == one_claim
    rois = [request_roi(session, session.get(FundRequest, rid), now=NOW) for rid in (first, *later)]
    paid, won_usd = sum(r.reimbursed for r in rois), sum(r.attributed_won for r in rois)
    leads = sum(r.leads for r in rois)
    assert (paid, won_usd, leads) == (D("15000.00"), D("25000.00"), 36)
    assert panel is not None and panel.tables[0].rows == (
        ("Acme Partners GmbH", "15,000.00 USD", "25,000.00 USD", "1.67×", "416.67 USD"),
    )
    facts = {f.label: f.value for f in panel.facts}
    assert facts["MDF reimbursed (USD)"] == "15,000.00 USD" and facts["Attributed won revenue (USD)"] == "25,000.00 USD"
