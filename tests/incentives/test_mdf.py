"""MDF on the ledger: budget → allocation (over only with a reason) → request (within what is left, the message
says how much) → decision → claim with invoices, reviewed line by line → ledger → payout; deadlines, expiry,
duplicate invoices; and the invariants under concurrent approvals on both databases."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlmodel import Session, select

from prm_app.fx import add_rate
from prm_app.incentives import (
    PROOFS,
    add_claim_line,
    allocate,
    create_batch,
    create_budget,
    decide_claim_line,
    decide_fund_request,
    expire_fund_requests,
    finish_claim_review,
    my_funds,
    my_statement,
    request_for_review,
    submit_claim,
    submit_fund_request,
)
from prm_app.incentives.ledger import OverBudget, allocation_remaining, budget_allocated
from prm_app.incentives.mdf_rules import proof_items
from prm_app.incentives.models import ClaimLine, FundRequest, LedgerLine
from prm_app.platform.access import Actor
from prm_app.platform.errors import DomainError, FormInvalid, NotFound
from tests.conftest import SHARED_BACKENDS, race, shared_database
from tests.incentives.world import make_world

TODAY = date.today()


def _request_form(amount="10000", **more):
    return {
        "activity_type": "event",
        "title": "Spring roadshow",
        "starts_on": str(TODAY),
        "ends_on": str(TODAY + timedelta(days=10)),
        "expected_leads": "40",
        "requested_amount": amount,
        "partner_contribution": "2000",
        **more,
    }


def _funded(session, w, budget="100000", share="60000"):
    budget_id = create_budget(
        session, w.admin, "FY27 Q1 MDF", str(TODAY), str(TODAY + timedelta(days=90)), "USD", budget
    )
    allocation_id = allocate(session, w.admin, budget_id, w.org.id, share)
    return budget_id, allocation_id


def _invoice(tmp_path: Path, body: bytes = b"%PDF-1.4\n% invoice 1\n") -> tuple[str, str, str]:
    PROOFS.folder = tmp_path
    key = "ab" * 16
    (tmp_path / key).write_bytes(body)
    return key, "application/pdf", "invoice.pdf"


def _proved(session, actor, request_id, tmp_path: Path) -> None:
    """A file for every item of the request's proof checklist (an event: photos and the attendee list)."""
    from prm_app.incentives.mdf_proofs import add_proof

    PROOFS.folder = tmp_path
    for n, (item, _label) in enumerate(proof_items("event")):
        key = f"{n:02d}" * 16
        (tmp_path / key).write_bytes(b"%PDF-1.4\n% proof\n")
        add_proof(session, actor, request_id, item, key, "application/pdf", f"{item}.pdf")


def test_allocations_never_exceed_the_budget_without_an_audited_reason(session):
    w = make_world(session)
    budget_id, _ = _funded(session, w)
    other_org = w.other_partner.organization_id
    allocate(session, w.admin, budget_id, other_org, "40000")
    with pytest.raises(OverBudget, match=r"Only 0\.00 USD of the budget is unallocated"):
        allocate(session, w.admin, budget_id, other_org, "1")
    allocate(session, w.admin, budget_id, other_org, "1", over_reason="Partner of the year bonus")
    assert budget_allocated(session, budget_id) == D("100001.00")
    line = session.exec(select(LedgerLine).where(LedgerLine.reason == "Partner of the year bonus")).one()
    assert line.amount == D("1.00")


def test_a_request_above_the_allocation_is_refused_with_what_is_left(session):
    w = make_world(session)
    _, allocation_id = _funded(session, w, share="8000")
    with pytest.raises(FormInvalid) as refused:
        submit_fund_request(session, w.partner, allocation_id, _request_form("9000"))
    assert refused.value.errors["requested_amount"].startswith("Only 8,000.00 USD of your allocation is left")
    with pytest.raises(NotFound):  # another partner's allocation does not exist for it
        submit_fund_request(session, w.other_partner, allocation_id, _request_form("100"))


def test_the_chain_from_request_to_payout_with_a_line_accepted_with_changes(session, tmp_path):
    w = make_world(session, holding_days=0)
    _, allocation_id = _funded(session, w)
    request_id = submit_fund_request(session, w.partner, allocation_id, _request_form("10000"))
    decide_fund_request(session, w.manager, request_id, "approve", amount="10000", reimbursement_pct="50")
    assert allocation_remaining(session, allocation_id) == D("50000.00")
    key, kind, name = _invoice(tmp_path)
    line_id = add_claim_line(
        session,
        w.partner,
        request_id,
        {"description": "Venue", "invoice_number": "INV-1", "amount": "12000"},
        key,
        kind,
        name,
    )
    _proved(session, w.partner, request_id, tmp_path)
    submit_claim(session, w.partner, request_id, "35")
    view = request_for_review(session, w.manager, request_id)
    assert view.lines[0].amount_claimed == D("12000.00")
    decide_claim_line(session, w.manager, line_id, "accepted_with_changes", "11000", "Catering is not eligible")
    assert finish_claim_review(session, w.manager, view.claim_id) == "approved"
    paid = session.exec(select(LedgerLine).where(LedgerLine.kind == "claim_approved")).one()
    assert paid.amount == D("5000.00")  # capped at 50 % of the approved 10,000
    assert "capped at 50 %" in paid.explanation
    assert allocation_remaining(session, allocation_id) == D("55000.00")  # reservation released, 5,000 spent
    mine = my_funds(session, w.partner).requests[0]
    assert (mine.lines[0].final_amount, mine.lines[0].reviewer_note) == (D("11000.00"), "Catering is not eligible")
    assert my_statement(session, w.partner).totals[0].payable == D("5000.00")
    assert create_batch(session, w.admin, "USD", "MDF", "key-mdf-1")


def test_late_claims_are_blocked_with_the_deadline_and_unclaimed_requests_expire(session, tmp_path):
    w = make_world(session)
    _, allocation_id = _funded(session, w)
    form = _request_form("1000", starts_on=str(TODAY - timedelta(days=60)), ends_on=str(TODAY - timedelta(days=45)))
    request_id = submit_fund_request(session, w.partner, allocation_id, form)
    decide_fund_request(session, w.manager, request_id, "approve")
    due = TODAY - timedelta(days=15)
    with pytest.raises(DomainError, match=f"deadline was {due:%d %b %Y}"):
        add_claim_line(session, w.partner, request_id, {}, *_invoice(tmp_path))
    assert expire_fund_requests(session, Actor.system("MDF expiry")) == 1
    assert session.get(FundRequest, request_id).status == "expired"
    assert allocation_remaining(session, allocation_id) == D("60000.00")


def test_rejected_can_be_resubmitted_declined_cannot(session):
    w = make_world(session)
    _, allocation_id = _funded(session, w)
    first = submit_fund_request(session, w.partner, allocation_id, _request_form("500"))
    decide_fund_request(session, w.manager, first, "reject", note="Add the venue")
    submit_fund_request(session, w.partner, allocation_id, _request_form("600"), request_id=first)
    decide_fund_request(session, w.manager, first, "decline", note="Out of scope")
    with pytest.raises(DomainError):
        submit_fund_request(session, w.partner, allocation_id, _request_form("600"), request_id=first)


def test_the_same_invoice_is_flagged_even_for_another_partner(session, tmp_path):
    w = make_world(session)
    _, allocation_id = _funded(session, w)
    other_alloc = allocate(session, w.admin, 1, w.other_partner.organization_id, "1000")
    ids = []
    for actor, alloc, number in ((w.partner, allocation_id, "INV-7"), (w.other_partner, other_alloc, "X-1")):
        rid = submit_fund_request(session, actor, alloc, _request_form("500"))
        decide_fund_request(session, w.manager, rid, "approve")
        add_claim_line(
            session, actor, rid, {"description": "Ads", "invoice_number": number, "amount": "400"}, *_invoice(tmp_path)
        )
        ids.append(rid)
    first, second = (request_for_review(session, w.manager, rid).lines[0] for rid in ids)
    assert first.duplicate_of == [second.id] and second.duplicate_of == [first.id]


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_the_last_10k_approved_by_two_managers_at_once_succeeds_once(backend, tmp_path):
    with shared_database(backend, tmp_path, "mdf_race") as engine:
        with Session(engine, expire_on_commit=False) as session:
            w = make_world(session)
            _, allocation_id = _funded(session, w, share="10000")
            ids = [submit_fund_request(session, w.partner, allocation_id, _request_form("10000")) for _ in range(2)]
            session.commit()
        results = race(engine, *(lambda s, rid=rid: decide_fund_request(s, w.manager, rid, "approve") for rid in ids))
        assert sum(r is None for r in results) == 1, results
        assert any(isinstance(r, OverBudget) for r in results), results
        with Session(engine) as session:
            assert allocation_remaining(session, allocation_id) == D("0.00")


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_two_managers_marking_a_batch_paid_at_once_pay_once(backend, tmp_path):
    from prm_app.deals import close_deal
    from prm_app.incentives import approve_batch, mark_batch_paid
    from tests.incentives.test_commissions import _gold_rule
    from tests.incentives.world import T0, approved_deal

    with shared_database(backend, tmp_path, "pay_race") as engine:
        with Session(engine, expire_on_commit=False) as session:
            w = make_world(session, holding_days=0)
            _gold_rule(session, w)
            close_deal(session, w.partner, approved_deal(session, w), won=True, final_amount="1000", now=T0)
            batch = create_batch(session, w.admin, "USD", "Race", "key-race-1")
            approve_batch(session, w.admin, batch)
            session.commit()
        results = race(engine, *(lambda s: mark_batch_paid(s, w.admin, batch, "BANK-R") for _ in range(2)))
        assert sorted(results) == [False, True], results
        with Session(engine) as session:
            assert len(session.exec(select(LedgerLine).where(LedgerLine.kind == "payout")).all()) == 1


def test_the_periodic_job_expires_and_an_invoice_reaches_only_its_partner_and_managers(session, tmp_path):
    from prm_app.incentives import claim_invoice, expire_unclaimed_requests
    from prm_app.runtime.jobs import SCHEDULED

    assert "expire_fund_requests" in {job.name for job in SCHEDULED}
    w = make_world(session)
    _, allocation_id = _funded(session, w)
    request_id = submit_fund_request(session, w.partner, allocation_id, _request_form("1000"))
    decide_fund_request(session, w.manager, request_id, "approve")
    line_id = add_claim_line(
        session,
        w.partner,
        request_id,
        {"description": "Ads", "invoice_number": "A-1", "amount": "900"},
        *_invoice(tmp_path),
    )
    assert claim_invoice(session, w.partner, line_id) == (b"%PDF-1.4\n% invoice 1\n", "invoice.pdf")
    assert claim_invoice(session, w.manager, line_id)[1] == "invoice.pdf"
    with pytest.raises(NotFound):
        claim_invoice(session, w.other_partner, line_id)
    assert expire_unclaimed_requests(session) == 0  # its activity has not even ended yet


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_a_payout_failed_while_its_batch_is_being_paid_is_not_paid_twice(backend, tmp_path):
    """Manager A marks the batch paid (not committed yet) while manager B records the payment as failed: B must
    wait for A and then see the payout paid (posting the returned line), not overwrite "paid" with "failed" and free
    its lines while their payout line stands (the lines would be paid again by the next batch)."""
    import threading

    from prm_app.deals import close_deal
    from prm_app.incentives import approve_batch, fail_payout, mark_batch_paid
    from prm_app.incentives.ledger import earnings_balance
    from prm_app.incentives.models import Payout
    from prm_app.incentives.payouts import open_lines
    from tests.incentives.test_commissions import _gold_rule
    from tests.incentives.world import T0, approved_deal

    with shared_database(backend, tmp_path, "pay_fail_race") as engine:
        with Session(engine, expire_on_commit=False) as session:
            w = make_world(session, holding_days=0)
            _gold_rule(session, w)
            close_deal(session, w.partner, approved_deal(session, w), won=True, final_amount="1000", now=T0)
            batch = create_batch(session, w.admin, "USD", "Race", "key-race-fail")
            approve_batch(session, w.admin, batch)
            payout_id = session.exec(select(Payout.id)).one()
            session.commit()
        failed: list[object] = []

        def fail() -> None:
            with Session(engine, expire_on_commit=False) as other:
                try:
                    fail_payout(other, w.admin, payout_id, "Account closed")
                    other.commit()
                    failed.append(None)
                except Exception as exc:  # reported below
                    other.rollback()
                    failed.append(exc)

        with Session(engine, expire_on_commit=False) as paying:
            assert mark_batch_paid(paying, w.admin, batch, "BANK-R")
            paying.flush()
            thread = threading.Thread(target=fail, daemon=True)
            thread.start()
            thread.join(timeout=1.5)  # B runs up to where it waits for A
            paying.commit()
        thread.join(timeout=30)
        assert failed == [None], failed
        with Session(engine) as session:
            payout = session.get(Payout, payout_id)
            assert payout is not None and payout.status == "failed"
            kinds = sorted(line.kind for line in session.exec(select(LedgerLine)).all())
            assert kinds == ["accrual", "payout", "payout_returned"], kinds
            # The accrual is payable again once, and the balance says so.
            assert [line.amount for line in open_lines(session, "USD")] == [D("120.00")]
            assert earnings_balance(session, w.org.id, "USD") == D("120.00")


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_a_claim_handed_in_while_its_request_expires_is_refused_and_never_paid(backend, tmp_path):
    """The expiry job releases a reservation (not committed yet) while the partner hands the claim in: the claim
    waits for the expiry and is refused, and a claim on an expired request can never be approved into the ledger."""
    import threading

    from prm_app.incentives.models import FundClaim

    with shared_database(backend, tmp_path, "expiry_race") as engine:
        with Session(engine, expire_on_commit=False) as session:
            w = make_world(session)
            _, allocation_id = _funded(session, w)
            request_id = submit_fund_request(session, w.partner, allocation_id, _request_form("1000"))
            decide_fund_request(session, w.manager, request_id, "approve")
            add_claim_line(
                session,
                w.partner,
                request_id,
                {"description": "Ads", "invoice_number": "EXP-1", "amount": "900"},
                *_invoice(tmp_path),
            )
            _proved(session, w.partner, request_id, tmp_path)
            session.commit()
        handed: list[object] = []

        def hand_in() -> None:
            with Session(engine, expire_on_commit=False) as other:
                try:
                    submit_claim(other, w.partner, request_id, "3")
                    other.commit()
                    handed.append(None)
                except Exception as exc:  # reported below
                    other.rollback()
                    handed.append(exc)

        with Session(engine, expire_on_commit=False) as job:
            assert expire_fund_requests(job, Actor.system("test"), today=TODAY + timedelta(days=100)) == 1
            job.flush()
            thread = threading.Thread(target=hand_in, daemon=True)
            thread.start()
            thread.join(timeout=1.5)
            job.commit()
        thread.join(timeout=30)
        assert len(handed) == 1 and isinstance(handed[0], DomainError), handed
        with Session(engine, expire_on_commit=False) as session:
            claim = session.exec(select(FundClaim)).one()
            assert claim.status == "draft"
            claim.status = "submitted"  # even if it had got through, the review must not pay an expired request
            session.add(claim)
            session.flush()
            for line_id in session.exec(select(ClaimLine.id)).all():
                decide_claim_line(session, w.manager, line_id, "accepted")
            with pytest.raises(DomainError):
                finish_claim_review(session, w.manager, claim.id)


def test_a_partner_is_never_told_about_another_partners_invoice(session, tmp_path):
    """The duplicate flag is for the reviewer: a partner reusing (or probing) an invoice number another partner used
    sees no trace of the other's claim line; a repeat within its own claims is still shown to it."""
    w = make_world(session)
    _, allocation_id = _funded(session, w)
    other_alloc = allocate(session, w.admin, 1, w.other_partner.organization_id, "1000")
    for actor, alloc, number in ((w.partner, allocation_id, "INV-7"), (w.other_partner, other_alloc, "INV-7")):
        rid = submit_fund_request(session, actor, alloc, _request_form("500"))
        decide_fund_request(session, w.manager, rid, "approve")
        add_claim_line(
            session,
            actor,
            rid,
            {"description": "Ads", "invoice_number": number, "amount": "100"},
            *_invoice(tmp_path, b"%PDF-1.4\n% " + number.encode() + actor.user_id.to_bytes(4, "big")),
        )
    mine = my_funds(session, w.other_partner).requests[0]
    assert mine.lines[0].duplicate_of == []
    assert request_for_review(session, w.manager, mine.id).lines[0].duplicate_of != []
    add_claim_line(
        session,
        w.other_partner,
        mine.id,
        {"description": "Ads again", "invoice_number": "INV-7", "amount": "50"},
        *_invoice(tmp_path, b"%PDF-1.4\n% again"),
    )
    first, second = my_funds(session, w.other_partner).requests[0].lines
    assert first.duplicate_of == [second.id] and second.duplicate_of == [first.id]


def test_amounts_are_typed_in_the_budgets_currency_minor_unit(session):
    """KWD keeps its third decimal (the shared money parser rounds half-up to cents: 1000.125 became 1000.13); a
    fraction of a yen is refused beside the field instead of being stored on the request and rounded away later."""
    from prm_app.incentives.ledger import budget_amount

    w = make_world(session)
    kwd = create_budget(session, w.admin, "KWD fund", str(TODAY), str(TODAY + timedelta(days=90)), "KWD", "1000.125")
    assert budget_amount(session, kwd) == D("1000.125")
    with pytest.raises(FormInvalid) as refused:
        create_budget(session, w.admin, "KWD fund 2", str(TODAY), str(TODAY + timedelta(days=9)), "KWD", "1.0005")
    assert "3 decimals" in refused.value.errors["amount"]
    jpy = create_budget(session, w.admin, "JPY fund", str(TODAY), str(TODAY + timedelta(days=90)), "JPY", "5000000")
    allocation_id = allocate(session, w.admin, jpy, w.org.id, "1000000")
    with pytest.raises(FormInvalid) as refused:
        submit_fund_request(session, w.partner, allocation_id, _request_form("250000.5"))
    assert "no decimals" in refused.value.errors["requested_amount"]
    request_id = submit_fund_request(session, w.partner, allocation_id, _request_form("250000"))
    with pytest.raises(FormInvalid) as refused:
        decide_fund_request(session, w.manager, request_id, "approve", amount="200000.4")
    assert "no decimals" in refused.value.errors["approved_amount"]


def test_claim_amounts_are_in_the_budgets_minor_unit_too(session, tmp_path):
    w = make_world(session)
    kwd = create_budget(session, w.admin, "KWD fund", str(TODAY), str(TODAY + timedelta(days=90)), "KWD", "5000")
    request_id = submit_fund_request(
        session, w.partner, allocate(session, w.admin, kwd, w.org.id, "3000"), _request_form("1000")
    )
    decide_fund_request(session, w.manager, request_id, "approve")
    form = {"description": "Venue", "invoice_number": "K-1", "amount": "900.125"}
    line_id = add_claim_line(session, w.partner, request_id, form, *_invoice(tmp_path))
    assert my_funds(session, w.partner).requests[0].lines[0].amount_claimed == D("900.125")
    _proved(session, w.partner, request_id, tmp_path)
    submit_claim(session, w.partner, request_id, "1")
    with pytest.raises(DomainError, match="3 decimals"):
        decide_claim_line(session, w.manager, line_id, "accepted_with_changes", "800.1255", "Parking not covered")
    decide_claim_line(session, w.manager, line_id, "accepted_with_changes", "800.125", "Parking not covered")
    claim_id = request_for_review(session, w.manager, request_id).claim_id
    add_rate(session, w.admin, "KWD", str(TODAY), "3.2550", "CBK")  # the approval locks the claim's rate (fx)
    assert finish_claim_review(session, w.manager, claim_id) == "approved"
    paid = session.exec(select(LedgerLine).where(LedgerLine.kind == "claim_approved")).one()
    assert (paid.amount, paid.currency) == (D("800.125"), "KWD")


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_a_line_decided_while_the_claim_is_approved_is_refused(backend, tmp_path):
    """Reviewer A approves the claim (not committed yet) while reviewer B changes a line to denied: B waits for A
    and is told the claim is decided, so the lines always say what the ledger paid."""
    import threading

    with shared_database(backend, tmp_path, "line_race") as engine:
        with Session(engine, expire_on_commit=False) as session:
            w = make_world(session)
            _, allocation_id = _funded(session, w)
            request_id = submit_fund_request(session, w.partner, allocation_id, _request_form("1000"))
            decide_fund_request(session, w.manager, request_id, "approve")
            form = {"description": "Ads", "invoice_number": "LR-1", "amount": "900"}
            line_id = add_claim_line(session, w.partner, request_id, form, *_invoice(tmp_path))
            _proved(session, w.partner, request_id, tmp_path)
            submit_claim(session, w.partner, request_id, "2")
            decide_claim_line(session, w.manager, line_id, "accepted")
            claim_id = request_for_review(session, w.manager, request_id).claim_id
            session.commit()
        other: list[object] = []

        def deny() -> None:
            with Session(engine, expire_on_commit=False) as s:
                try:
                    decide_claim_line(s, w.manager, line_id, "denied", "", "Not eligible")
                    s.commit()
                    other.append(None)
                except Exception as exc:  # reported below
                    s.rollback()
                    other.append(exc)

        with Session(engine, expire_on_commit=False) as first:
            assert finish_claim_review(first, w.manager, claim_id) == "approved"
            first.flush()
            thread = threading.Thread(target=deny, daemon=True)
            thread.start()
            thread.join(timeout=1.5)
            first.commit()
        thread.join(timeout=30)
        assert len(other) == 1 and isinstance(other[0], DomainError), other
        with Session(engine) as session:
            line = session.get(ClaimLine, line_id)
            assert line is not None and (line.status, line.final_amount) == ("accepted", D("900.00"))
