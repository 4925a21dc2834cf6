"""SPIFFs paid on a claim with evidence: nothing is earned on registration; the rep claims a qualifying deal of
their own with an evidence file; the partner's channel manager approves (one earnings line to the rep's payee,
even when two managers approve at once, on both databases, then paid by a normal payout) or rejects with a reason."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest
from sqlmodel import Session, select

from prm_app.deals import Deal, DealStatus
from prm_app.incentives import approve_batch, create_batch, mark_batch_paid
from prm_app.incentives.models import LedgerLine, Payout
from prm_app.incentives.spiff_claims import (
    EVIDENCE,
    claim_spiff,
    claimable_spiffs,
    decide_spiff_claim,
    my_spiff_claims,
    spiff_claim_queue,
    spiff_evidence,
)
from prm_app.incentives.spiffs import accrue_spiffs, create_spiff
from prm_app.platform.access import Role
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, ValidationError
from tests.conftest import SHARED_BACKENDS, race, shared_database
from tests.factories import actor_for, make_user
from tests.incentives.world import approved_deal, make_world

TODAY = date.today()


def _spiff(session, w, **more) -> int:
    form = {
        "spiff_name": "Evidence SPIFF", "spiff_currency": "USD", "time_zone": "UTC",
        "window_start": str(TODAY - timedelta(days=5)), "window_end": str(TODAY + timedelta(days=5)),
        "bonus": "300", "needs_claim": "on", **more,
    }  # fmt: skip
    return create_spiff(session, w.admin, form)


def _registered(session, w, customer: str) -> int:
    deal_id = approved_deal(session, w, customer)
    deal = session.get(Deal, deal_id)
    deal.status, deal.submitted_at = DealStatus.SUBMITTED, datetime.now(UTC)
    session.add(deal)
    session.flush()
    accrue_spiffs(session, None, deal_id)  # what the registration's reaction does: nothing for a claimed SPIFF
    return deal_id


def _evidence(tmp_path, key: str = "e" * 32) -> tuple[str, str, str]:
    EVIDENCE.folder = tmp_path
    (tmp_path / key).write_bytes(b"%PDF-1.4\n% signed order\n")
    return key, "application/pdf", "order.pdf"


def test_the_rep_claims_with_evidence_and_the_manager_approves_once_then_it_is_paid(session: Session, tmp_path):
    w = make_world(session, holding_days=0)
    program = _spiff(session, w)
    deal_id = _registered(session, w, "Globex")
    assert session.exec(select(LedgerLine).where(LedgerLine.kind == "spiff")).all() == []
    [(pid, label, deals)] = claimable_spiffs(session, w.partner, today=TODAY)
    assert (pid, label, deals) == (program, "Evidence SPIFF (300.00 USD a deal)", [(deal_id, "Globex")])
    with pytest.raises(FormInvalid) as missing:
        claim_spiff(session, w.partner, program, deal_id, "", "", "")
    assert missing.value.errors == {"evidence": "Upload the evidence first."}
    claim_id = claim_spiff(session, w.partner, program, deal_id, *_evidence(tmp_path))
    with pytest.raises(FormInvalid, match="claimed for this SPIFF already"):
        claim_spiff(session, w.partner, program, deal_id, *_evidence(tmp_path))
    assert claimable_spiffs(session, w.partner, today=TODAY)[0][2] == []
    assert [c.status for c in spiff_claim_queue(session, w.manager)] == ["pending"]
    assert spiff_evidence(session, w.manager, claim_id)[1] == "order.pdf"
    with pytest.raises(ValidationError, match="Tell the rep why"):
        decide_spiff_claim(session, w.manager, claim_id, "reject")
    assert decide_spiff_claim(session, w.manager, claim_id, "approve") == "approved"
    with pytest.raises(DomainError, match="approved already"):
        decide_spiff_claim(session, w.manager, claim_id, "approve")
    line = session.exec(select(LedgerLine).where(LedgerLine.kind == "spiff")).one()
    assert (line.amount, line.payee_id is not None) == (D("300.00"), True)
    batch = create_batch(session, w.admin, "USD", "SPIFFs", "spiff-claims-1")
    approve_batch(session, w.admin, batch)
    mark_batch_paid(session, w.admin, batch, "BANK-1")
    payout = session.exec(select(Payout).where(Payout.payee_id == line.payee_id)).one()
    assert (payout.amount, payout.status) == (D("300.00"), "paid")


def test_only_the_reps_own_qualifying_deals_and_only_their_managers_decide(session: Session, tmp_path):
    w = make_world(session)
    program = _spiff(session, w)
    deal_id = _registered(session, w, "Initech")
    colleague = actor_for(make_user(session, Role.PARTNER_USER, w.org))
    with pytest.raises(ValidationError, match="deals you registered"):
        claim_spiff(session, colleague, program, deal_id, *_evidence(tmp_path))
    with pytest.raises(ValidationError, match="deals you registered"):
        claim_spiff(session, w.other_partner, program, deal_id, *_evidence(tmp_path))
    old = approved_deal(session, w, "Old Co")  # registered before the window
    session.get(Deal, old).submitted_at = datetime.now(UTC) - timedelta(days=30)
    with pytest.raises(FormInvalid, match="does not qualify"):
        claim_spiff(session, w.partner, program, old, *_evidence(tmp_path))
    plain = _spiff(session, w, spiff_name="Auto SPIFF", needs_claim="")
    with pytest.raises(ValidationError, match="open for claims"):
        claim_spiff(session, w.partner, plain, deal_id, *_evidence(tmp_path))
    claim_id = claim_spiff(session, w.partner, program, deal_id, *_evidence(tmp_path))
    stranger = actor_for(make_user(session, Role.CHANNEL_MANAGER))
    with pytest.raises(NotFound):
        decide_spiff_claim(session, stranger, claim_id, "approve")
    with pytest.raises(NotFound):
        spiff_evidence(session, w.other_partner, claim_id)
    assert spiff_claim_queue(session, stranger) == []
    assert decide_spiff_claim(session, w.manager, claim_id, "reject", "No signed order form") == "rejected"
    [mine] = my_spiff_claims(session, w.partner)
    assert (mine.status, mine.reason) == ("rejected", "No signed order form")
    assert session.exec(select(LedgerLine).where(LedgerLine.kind == "spiff")).all() == []


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_two_managers_approving_a_claim_at_once_post_one_line(backend, tmp_path):
    with shared_database(backend, tmp_path, "spiff_race") as engine:
        with Session(engine, expire_on_commit=False) as session:
            w = make_world(session)
            program = _spiff(session, w)
            claim_id = claim_spiff(
                session, w.partner, program, _registered(session, w, "Race Co"), *_evidence(tmp_path)
            )
            session.commit()
        results = race(engine, *(lambda s: decide_spiff_claim(s, w.manager, claim_id, "approve") for _ in range(2)))
        assert sorted(map(str, results)) == ["This claim was approved already.", "approved"], results
        with Session(engine) as session:
            assert len(session.exec(select(LedgerLine).where(LedgerLine.kind == "spiff")).all()) == 1


def test_approving_claims_never_pays_the_rep_past_the_spiffs_cap(session: Session, tmp_path):
    # Claims are taken while nothing is earned yet, so each passes the cap check on its own; the approval is what
    # earns, so it is where the cap holds.
    w = make_world(session)
    program = _spiff(session, w, cap="1")
    first = claim_spiff(session, w.partner, program, _registered(session, w, "One Co"), *_evidence(tmp_path))
    second = claim_spiff(session, w.partner, program, _registered(session, w, "Two Co"), *_evidence(tmp_path))
    assert decide_spiff_claim(session, w.manager, first, "approve") == "approved"
    with pytest.raises(DomainError, match="The rep has earned this SPIFF 1 times, its limit"):
        decide_spiff_claim(session, w.manager, second, "approve")
    assert decide_spiff_claim(session, w.manager, second, "reject", "Over the SPIFF's limit") == "rejected"
    assert len(session.exec(select(LedgerLine).where(LedgerLine.kind == "spiff")).all()) == 1


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_two_managers_approving_two_claims_of_a_capped_spiff_at_once_pay_it_once(backend, tmp_path):
    with shared_database(backend, tmp_path, "spiff_cap_race") as engine:
        with Session(engine, expire_on_commit=False) as session:
            w = make_world(session)
            program = _spiff(session, w, cap="1")
            claims = [
                claim_spiff(session, w.partner, program, _registered(session, w, name), *_evidence(tmp_path))
                for name in ("Cap One", "Cap Two")
            ]
            session.commit()
        results = race(engine, *(lambda s, c=c: decide_spiff_claim(s, w.manager, c, "approve") for c in claims))
        assert sorted(map(str, results)) == ["The rep has earned this SPIFF 1 times, its limit.", "approved"], results
        with Session(engine) as session:
            assert len(session.exec(select(LedgerLine).where(LedgerLine.kind == "spiff")).all()) == 1


def test_an_approved_claim_pays_in_the_partners_currency_and_a_missing_rate_holds_it(session: Session, tmp_path):
    from prm_app.fx import add_rate
    from prm_app.incentives.models import HeldEarning
    from prm_app.incentives.payout_currency import set_payout_currency

    w = make_world(session, holding_days=0)
    program = _spiff(session, w)
    set_payout_currency(session, w.admin, w.org.id, "JPY")
    claim_id = claim_spiff(session, w.partner, program, _registered(session, w, "Tokyo Co"), *_evidence(tmp_path))
    assert decide_spiff_claim(session, w.manager, claim_id, "approve") == "approved"
    assert session.exec(select(LedgerLine).where(LedgerLine.kind == "spiff")).all() == []
    held = session.exec(select(HeldEarning).where(HeldEarning.source_type == "spiff_claim")).one()
    assert (held.source_id, held.problem) == (claim_id, f"missing FX rate for JPY on {TODAY.isoformat()}")
    add_rate(session, w.admin, "JPY", str(TODAY), "0.0067", "BOJ")  # the held line posts (fx reacts)
    line = session.exec(select(LedgerLine).where(LedgerLine.kind == "spiff")).one()
    # 300 USD at 1 / 0.0067 = 149.25373134 JPY per USD = 44,776.119… → 44,776 JPY (no decimals, half-even).
    assert (line.amount, line.currency, line.source_amount, line.fx_rate) == (
        D("44776"), "JPY", D("300.00"), D("149.25373134"),
    )  # fmt: skip
    assert held.resolved_at is not None
