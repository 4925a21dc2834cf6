"""The header's search: each kind of record found under the same scope as its list page (a partner never finds
another organization's deals or leads; a channel manager finds deals only in their own book and leads only in the
queues they work), on SQLite and PostgreSQL (the session fixture)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from prm_app.leads.models import LeadStatus
from prm_app.platform.access import Role
from prm_app.platform.errors import ValidationError
from prm_app.search import search_everything
from tests.deals.factories import make_world, register
from tests.factories import make_user
from tests.leads.factories import make_lead, make_queue


@pytest.fixture
def w(session: Session):
    w = make_world(session)
    w.acme_a = register(session, w.a, w.products, customer_name="Acme Corporation", customer_site="acme.com")
    w.acme_b = register(session, w.b, w.products, customer_name="ACME Europe GmbH", customer_site="acme.de")
    w.draft_a = register(
        session, w.a, w.products, submit=False, customer_name="Acme Draft Co", customer_site="acmedraft.com"
    )
    w.other = register(session, w.a, w.products, customer_name="Globex", customer_site="globex-acme.net")
    queue = make_queue(session, "Americas", members=[w.manager])
    w.lead_offered = make_lead(session, queue, "Acme Labs")
    w.lead_offered.status, w.lead_offered.partner_id = LeadStatus.OFFERED, w.alpha.id
    w.lead_new = make_lead(session, queue, "Acme Waiting Room")  # still in the queue: no partner sees it
    w.lead_other_queue = make_lead(session, make_queue(session, "EMEA", "DE"), "Acme Berlin")
    session.commit()
    return w


def test_a_partner_finds_its_own_deals_and_leads_only(session, w):
    found = search_everything(session, w.a2, "acme")

    assert {d.id for d in found.deals} == {w.acme_a, w.draft_a, w.other}  # by name or by website; drafts are its own
    assert all(d.own for d in found.deals)
    assert [lead.company for lead in found.leads] == ["Acme Labs"]
    assert found.partners == () and found.people == ()  # the directory is the vendor's
    assert {d.id for d in search_everything(session, w.b, "ACME").deals} == {w.acme_b}


def test_a_channel_manager_finds_registrations_in_the_book_and_leads_in_their_queues(session, w):
    found = search_everything(session, w.manager, "acme")

    assert {d.id for d in found.deals} == {w.acme_a, w.acme_b, w.other}  # not the draft: not registered yet
    assert not any(d.own for d in found.deals)
    assert {lead.company for lead in found.leads} == {"Acme Labs", "Acme Waiting Room"}  # not the EMEA queue's
    assert search_everything(session, w.other_manager, "acme").deals == ()  # another book


def test_the_vendors_people_find_partners_and_their_people(session, w):
    assert [p.name for p in search_everything(session, w.exec, "alpha res").partners] == ["Alpha Resellers"]
    make_user(session, Role.PARTNER_USER, w.beta, full_name="Morgan Quill", email="morgan@beta.example")
    make_user(session, Role.CHANNEL_MANAGER, full_name="Morgan Staff", email="morgan@vendor.example")
    session.commit()

    people = search_everything(session, w.admin, "MORGAN").people  # by name, any case
    assert [(p.full_name, p.organization, p.organization_id) for p in people] == [
        ("Morgan Quill", "Beta Systems", w.beta.id)
    ]  # the vendor's own staff are not partners' people
    assert [p.full_name for p in search_everything(session, w.manager, "morgan@beta").people] == ["Morgan Quill"]


@pytest.mark.parametrize("text", ["", " ", "a", " b "])
def test_a_search_needs_two_characters(session, w, text):
    with pytest.raises(ValidationError) as refused:
        search_everything(session, w.a, text)
    assert refused.value.field == "q"


def test_wildcards_are_plain_characters_and_spaces_collapse(session, w):
    assert search_everything(session, w.manager, "%%").deals == ()  # not "everything"
    assert search_everything(session, w.manager, "a_me").deals == ()  # "_" is not "any one character"
    assert search_everything(session, w.a, "  Acme    Corporation ").text == "Acme Corporation"
    assert {d.id for d in search_everything(session, w.a, "Acme    Corporation").deals} == {w.acme_a}
