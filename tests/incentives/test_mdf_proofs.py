"""The proof-of-performance checklist per activity type: a claim is refused until every required item has a file
(a message per missing item), a new upload replaces an item's file, another partner can neither attach to nor read
a request's proofs, and the reviewer sees the checklist ticked."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session

from prm_app.incentives import (
    PROOFS,
    add_claim_line,
    allocate,
    create_budget,
    decide_fund_request,
    submit_claim,
    submit_fund_request,
)
from prm_app.incentives.mdf_proofs import add_proof, my_checklist, proof_download, review_checklist
from prm_app.incentives.mdf_rules import PROOF_ITEMS, missing_proofs
from prm_app.incentives.models import FundClaim
from prm_app.platform.errors import FormInvalid, NotFound, ValidationError
from tests.incentives.world import make_world

TODAY = date.today()


@pytest.mark.pure
def test_every_activity_type_has_a_checklist_and_missing_items_are_named():
    assert set(PROOF_ITEMS) == {"event", "digital_campaign", "content_syndication", "training"}
    assert missing_proofs("event", ["photos"]) == {"attendees": "Upload a file for “Attendee list” first."}
    assert missing_proofs("training", ["attendance"]) == {}


def _approved(session: Session, w, activity="digital_campaign") -> int:
    budget = create_budget(session, w.admin, "Q3 MDF", str(TODAY), str(TODAY + timedelta(days=90)), "USD", "50000")
    allocation = allocate(session, w.admin, budget, w.org.id, "20000")
    form = {
        "activity_type": activity, "title": "Search ads", "starts_on": str(TODAY), "ends_on": str(TODAY),
        "expected_leads": "10", "requested_amount": "3000", "partner_contribution": "0",
    }  # fmt: skip
    request_id = submit_fund_request(session, w.partner, allocation, form)
    decide_fund_request(session, w.manager, request_id, "approve")
    return request_id


def _file(tmp_path, key: str, body: bytes = b"%PDF-1.4\n% proof\n") -> str:
    PROOFS.folder = tmp_path
    (tmp_path / key).write_bytes(body)
    return key


def test_a_claim_waits_for_every_proof_and_the_reviewer_sees_them_ticked(session: Session, tmp_path):
    w = make_world(session)
    request_id = _approved(session, w)
    add_claim_line(
        session, w.partner, request_id, {"description": "Ads", "invoice_number": "G-1", "amount": "2500"},
        _file(tmp_path, "a" * 32), "application/pdf", "invoice.pdf",
    )  # fmt: skip
    add_proof(session, w.partner, request_id, "screenshots", _file(tmp_path, "b" * 32), "image/png", "ads.png")
    with pytest.raises(FormInvalid) as refused:
        submit_claim(session, w.partner, request_id, "12")
    assert refused.value.errors == {"proof_lead_list": "Upload a file for “The campaign's lead list” first."}
    assert session.get(FundClaim, 1).status == "draft"
    ticks = {v.item: v.proof_id is not None for v in review_checklist(session, w.manager, request_id)}
    assert ticks == {"screenshots": True, "lead_list": False}

    _, replaced = add_proof(
        session, w.partner, request_id, "screenshots", _file(tmp_path, "c" * 32), "image/png", "v2.png"
    )
    assert replaced == "b" * 32  # the page deletes the replaced file once this is saved
    add_proof(session, w.partner, request_id, "lead_list", _file(tmp_path, "d" * 32), "application/pdf", "leads.pdf")
    submit_claim(session, w.partner, request_id, "12")
    assert session.get(FundClaim, 1).status == "submitted"
    seen = review_checklist(session, w.manager, request_id)
    assert [(v.label, v.file_name) for v in seen] == [
        ("Screenshots of the ads", "v2.png"),
        ("The campaign's lead list", "leads.pdf"),
    ]
    assert proof_download(session, w.manager, seen[1].proof_id) == (b"%PDF-1.4\n% proof\n", "leads.pdf")


def test_only_the_checklists_items_and_only_the_partners_own_request(session: Session, tmp_path):
    w = make_world(session)
    request_id = _approved(session, w, "training")
    with pytest.raises(ValidationError, match="Choose which proof"):
        add_proof(session, w.partner, request_id, "photos", _file(tmp_path, "e" * 32), "image/png", "x.png")
    proof_id, _ = add_proof(
        session, w.partner, request_id, "attendance", _file(tmp_path, "f" * 32), "image/png", "a.png"
    )
    with pytest.raises(NotFound):
        add_proof(session, w.other_partner, request_id, "attendance", "f" * 32, "image/png", "a.png")
    with pytest.raises(NotFound):
        my_checklist(session, w.other_partner, request_id)
    with pytest.raises(NotFound):
        proof_download(session, w.other_partner, proof_id)
    assert [v.file_name for v in my_checklist(session, w.partner, request_id)] == ["a.png"]
