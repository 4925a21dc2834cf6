"""Two-tier distribution on registrations: the "who sees what" matrix per deal (reseller, its distributor shared and
not shared, another reseller, another distributor, the channel manager), in the list, search, deal URL and API;
unticking "do not share" shows it and tells the distributor once; a distributor registering for its reseller; the
program's "distributor required" setting."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlmodel import Session, select

from prm_app.deals import (
    change_distributor,
    distributes,
    find_deals,
    get_deal_for_review,
    get_my_deal,
    list_my_deals,
    list_reseller_deals,
    registration_choices,
    set_distributor_required,
    set_distributor_sharing,
    submit_draft,
)
from prm_app.deals.distribution import distributor_credit_pct, set_distributor_credit
from prm_app.deals.models import Deal
from prm_app.deals.rules import RoleCredit, check_credit_pct, role_credits
from prm_app.integrations.reads import list_deals
from prm_app.notifications.models import Notification
from prm_app.partners import PartnerRelation, PartnerType, add_relation, end_relation
from prm_app.platform.access import Actor, Role
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, PermissionDenied, ValidationError
from prm_app.platform.models import AuditLog
from tests.deals.factories import make_product, register
from tests.factories import actor_for, make_org, make_user


@pytest.fixture
def w(session: Session) -> SimpleNamespace:
    """Distributor D above resellers R and R2; distributor E above nobody here; the channel manager of them all."""
    manager = make_user(session, Role.CHANNEL_MANAGER)
    w = SimpleNamespace(manager=actor_for(manager))
    w.D = make_org(session, name="Dee Distribution", partner_type=PartnerType.DISTRIBUTOR, manager=manager)
    w.E = make_org(session, name="Eee Distribution", partner_type=PartnerType.DISTRIBUTOR, manager=manager)
    w.R = make_org(session, name="Arr Resellers", manager=manager)
    w.R2 = make_org(session, name="Arr Two Resellers", manager=manager)
    for org in (w.R, w.R2):
        add_relation(session, w.manager, org.id, str(w.D.id), "distributor", "2026-01-01")
    w.d, w.e = (actor_for(make_user(session, Role.PARTNER_USER, o)) for o in (w.D, w.E))
    w.r, w.r2 = (actor_for(make_user(session, Role.PARTNER_ADMIN, o)) for o in (w.R, w.R2))
    w.products = [make_product(session, "SKU-D1").id]
    return w


def _sees(session: Session, actor: Actor, deal_id: int, customer: str) -> dict[str, bool]:
    """Whether `actor` reaches the deal by each road: URL (detail), list, search, API list and API detail."""
    if actor.is_partner:
        try:
            get_my_deal(session, actor, deal_id)
            url = True
        except NotFound:
            url = False
        listed = any(r.id == deal_id for r in list_my_deals(session, actor).rows) or any(
            r.id == deal_id for r in list_reseller_deals(session, actor).rows
        )
    else:
        try:
            get_deal_for_review(session, actor, deal_id)
            url = True
        except NotFound:
            url = False
        listed = url
    found = any(h.id == deal_id for h in find_deals(session, actor, customer))
    api = any(d.id == deal_id for d in list_deals(session, actor, 0, 100).data)
    return {"url": url, "list": listed, "search": found, "api": api}


ALL = {"url": True, "list": True, "search": True, "api": True}
NONE = {"url": False, "list": False, "search": False, "api": False}


def test_who_sees_what_per_deal(session, w):
    shared = register(session, w.r, w.products, customer_name="Shared Co", distributor_id=str(w.D.id))
    hidden = register(
        session, w.r, w.products, customer_name="Hidden Co", distributor_id=str(w.D.id), hide_from_distributor=True
    )
    plain = register(session, w.r, w.products, customer_name="Plain Co")  # names no distributor
    draft = register(session, w.r, w.products, customer_name="Draft Co", distributor_id=str(w.D.id), submit=False)
    matrix = {
        "reseller": w.r,
        "distributor": w.d,
        "other reseller": w.r2,
        "other distributor": w.e,
        "manager": w.manager,
    }
    others = {"other reseller": NONE, "other distributor": NONE}
    expected = {
        shared: {"reseller": ALL, "distributor": ALL, **others, "manager": ALL},
        hidden: {"reseller": ALL, "distributor": NONE, **others, "manager": ALL},
        plain: {"reseller": ALL, "distributor": NONE, **others, "manager": ALL},
        # a draft is the reseller's alone (the vendor's people do not see drafts in search either)
        draft: {"reseller": ALL, "distributor": NONE, **others},
    }
    names = {shared: "Shared Co", hidden: "Hidden Co", plain: "Plain Co", draft: "Draft Co"}
    for deal_id, rows in expected.items():
        for who, roads in rows.items():
            assert _sees(session, matrix[who], deal_id, names[deal_id]) == roads, (names[deal_id], who)
    # The distributor's view is read-only and names the parties.
    seen = get_my_deal(session, w.d, shared)
    assert (seen.own, seen.parties.reseller, seen.parties.distributor, seen.parties.shared) == (
        False, "Arr Resellers", "Dee Distribution", True,
    )  # fmt: skip


def _notices(session: Session, org_id: int) -> list[str]:
    return list(session.exec(select(Notification.kind).where(Notification.organization_id == org_id)).all())


def test_unticking_shows_the_deal_and_tells_the_distributor_once(session, w):
    deal_id = register(
        session, w.r, w.products, customer_name="Toggle Co", distributor_id=str(w.D.id), hide_from_distributor=True
    )
    assert _notices(session, w.D.id) == []
    with pytest.raises(NotFound):
        get_my_deal(session, w.d, deal_id)
    set_distributor_sharing(session, w.r, deal_id, hidden=False)
    assert get_my_deal(session, w.d, deal_id).own is False
    assert _notices(session, w.D.id) == ["deal_shared_with_distributor"]
    set_distributor_sharing(session, w.r, deal_id, hidden=True)
    with pytest.raises(NotFound):
        get_my_deal(session, w.d, deal_id)
    assert _notices(session, w.D.id) == []  # the notice naming the customer is taken back, read or not
    set_distributor_sharing(session, w.r, deal_id, hidden=False)
    assert _notices(session, w.D.id) == ["deal_shared_with_distributor"]  # once
    # Nobody else can flip it: not the distributor, not another reseller.
    for actor in (w.d, w.r2):
        with pytest.raises(NotFound):
            set_distributor_sharing(session, actor, deal_id, hidden=True)


def test_a_shared_draft_tells_the_distributor_when_submitted(session, w):
    deal_id = register(session, w.r, w.products, customer_name="Later Co", distributor_id=str(w.D.id), submit=False)
    assert _notices(session, w.D.id) == []
    submit_draft(session, w.r, deal_id)
    assert _notices(session, w.D.id) == ["deal_shared_with_distributor"]


def test_a_distributor_registers_for_its_reseller(session, w):
    deal_id = register(session, w.d, w.products, customer_name="Behalf Co", for_organization_id=str(w.R.id))
    deal = session.get(Deal, deal_id)
    assert (deal.organization_id, deal.distributor_id, deal.registered_by_org_id, deal.distributor_hidden) == (
        w.R.id, w.D.id, w.D.id, False,
    )  # fmt: skip
    assert _notices(session, w.R.id) == ["deal_registered_for_you"]
    assert _notices(session, w.D.id) == []  # it registered it itself
    mine = get_my_deal(session, w.r, deal_id)
    assert mine.own and mine.parties.registered_by == "Dee Distribution"
    assert get_my_deal(session, w.d, deal_id).own is False  # the distributor reads it, the reseller acts on it
    with pytest.raises(DomainError, match="registered this deal for you"):
        set_distributor_sharing(session, w.r, deal_id, hidden=True)


def test_a_distributor_registers_only_for_its_own_resellers_and_never_a_draft(session, w):
    with pytest.raises(FormInvalid) as exc:
        register(session, w.e, w.products, for_organization_id=str(w.R.id))
    assert "for_organization_id" in exc.value.errors
    with pytest.raises(FormInvalid) as exc:
        register(session, w.d, w.products, for_organization_id=str(w.R.id), submit=False)
    assert "drafts are your own" in exc.value.errors["for_organization_id"]


def test_a_reseller_names_only_its_own_distributors_and_the_program_may_require_one(session, w):
    with pytest.raises(FormInvalid) as exc:
        register(session, w.r, w.products, distributor_id=str(w.E.id), customer_name="")
    assert set(exc.value.errors) >= {"distributor_id", "customer_name"}  # every message at once
    choices = registration_choices(session, w.r)
    assert choices.distributors == ((w.D.id, "Dee Distribution"),) and not choices.distributor_required
    assert registration_choices(session, w.d).resellers == ((w.R.id, "Arr Resellers"), (w.R2.id, "Arr Two Resellers"))
    with pytest.raises(PermissionDenied):
        set_distributor_required(session, w.r, True)
    set_distributor_required(session, w.manager, True)
    assert registration_choices(session, w.r).distributor_required
    with pytest.raises(FormInvalid) as exc:
        register(session, w.r, w.products)
    assert exc.value.errors == {"distributor_id": "Choose the distributor that will fulfil this deal."}
    register(session, w.e, w.products, customer_name="No Parent Co")  # a partner without a distributor is not asked


def test_a_deal_list_links_to_resellers_deals_only_for_a_distributor(session, w):
    assert distributes(session, w.d) and not distributes(session, w.r) and not distributes(session, w.e)


def test_a_distributor_whose_relation_ended_sees_the_resellers_deals_no_more(session, w):
    deal_id = register(session, w.r, w.products, customer_name="Former Co", distributor_id=str(w.D.id))
    assert _sees(session, w.d, deal_id, "Former Co") == ALL
    relation = session.exec(
        select(PartnerRelation).where(PartnerRelation.parent_id == w.D.id, PartnerRelation.child_id == w.R.id)
    ).one()
    end_relation(session, w.manager, relation.id or 0)
    assert _sees(session, w.d, deal_id, "Former Co") == NONE
    assert _sees(session, w.r, deal_id, "Former Co") == ALL  # the reseller keeps its own deal


def test_the_reseller_names_another_distributor_while_the_registration_is_open(session, w):
    """The one named before loses sight of it and its notice; the new one sees it and is told; "do not share"
    carries over; only the reseller's current distributors, and none only while the program allows it."""
    add_relation(session, w.manager, w.R.id, str(w.E.id), "distributor", "2026-01-01")
    deal_id = register(session, w.r, w.products, customer_name="Switch Co", distributor_id=str(w.D.id))
    assert _notices(session, w.D.id) == ["deal_shared_with_distributor"]
    change_distributor(session, w.r, deal_id, str(w.E.id))
    with pytest.raises(NotFound):
        get_my_deal(session, w.d, deal_id)
    assert _notices(session, w.D.id) == []
    assert get_my_deal(session, w.e, deal_id).parties.distributor == "Eee Distribution"
    assert _notices(session, w.E.id) == ["deal_shared_with_distributor"]
    for bad in (str(w.R2.id), "x"):
        with pytest.raises(DomainError) as exc:
            change_distributor(session, w.r, deal_id, bad)
        assert (exc.value.field, exc.value.message) == ("distributor_id", "Choose one of your distributors.")
    set_distributor_required(session, w.manager, True)
    with pytest.raises(DomainError, match="Choose the distributor"):
        change_distributor(session, w.r, deal_id, "")
    set_distributor_required(session, w.manager, False)
    set_distributor_sharing(session, w.r, deal_id, hidden=True)
    change_distributor(session, w.r, deal_id, str(w.D.id))
    with pytest.raises(NotFound):
        get_my_deal(session, w.d, deal_id)  # still kept from whoever it names
    change_distributor(session, w.r, deal_id, "")
    assert get_my_deal(session, w.r, deal_id).parties.distributor == ""
    for actor in (w.d, w.r2):  # nobody else can change it
        with pytest.raises(NotFound):
            change_distributor(session, actor, deal_id, str(w.E.id))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("100", "100.00"), ("12.5", "12.50"), (" 0 % ", "0.00"), ("50%", "50.00")],
)
def test_the_distributor_share_reads_as_typed(text, expected):
    assert str(check_credit_pct(text)) == expected


@pytest.mark.parametrize("text", ["", "-1", "100.01", "1e3", "NaN", "abc", "12.345", "Infinity"])
def test_a_distributor_share_outside_0_to_100_is_refused_by_its_field(text):
    with pytest.raises(ValidationError) as exc:
        check_credit_pct(text)
    assert exc.value.field == "distributor_credit_pct"


def test_each_party_is_credited_once_by_its_role():
    assert role_credits(1, "sourced", None, Decimal(100)) == (RoleCredit(1, "reseller", "sourced", Decimal(100)),)
    assert role_credits(1, "influenced", 2, Decimal("12.5")) == (
        RoleCredit(1, "reseller", "influenced", Decimal(100)),
        RoleCredit(2, "distributor", "fulfilment", Decimal("12.5")),
    )
    assert len(role_credits(2, "sourced", 2, Decimal(100))) == 1  # a distributor's own deal: one party
    assert len(role_credits(1, "sourced", 2, Decimal(0))) == 1  # a zero share credits nobody else


def test_the_channel_team_sets_the_share_and_each_registration_shows_its_credit(session, w):
    deal_id = register(session, w.r, w.products, customer_name="Credit Co", distributor_id=str(w.D.id),
                       estimated_value="40,000")  # fmt: skip
    credits = get_deal_for_review(session, w.manager, deal_id).parties.credits
    assert credits == (
        ("Arr Resellers", "reseller", "sourced", Decimal(100)),
        ("Dee Distribution", "distributor", "fulfilment", Decimal(100)),
    )
    with pytest.raises(PermissionDenied):
        set_distributor_credit(session, w.r, "50")
    with pytest.raises(ValidationError):
        set_distributor_credit(session, w.manager, "150")
    assert distributor_credit_pct(session) == Decimal(100)
    set_distributor_credit(session, w.manager, "25")
    assert get_my_deal(session, w.r, deal_id).parties.credits[1][3] == Decimal("25.00")
    audit = session.exec(select(AuditLog).where(AuditLog.action == "deal_setting_changed")).all()[-1]
    assert "25.00" in audit.summary
