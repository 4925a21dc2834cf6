"""What the deal pages read: frozen dataclasses with raw values (Decimal beside its currency, datetimes, status
codes, None for what does not exist). How they look on screen is tested in test_deal_display.py."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal

import pytest

from prm_app.deals.models import DealStatus
from prm_app.deals.queries import (
    DealDetail,
    DealSummary,
    ExtensionRequest,
    HistoryEntry,
    ProductOption,
    get_my_deal,
    list_my_deals,
    products_for_registration,
)
from prm_app.deals.review import approve_deal, expire_deals
from prm_app.deals.service import close_deal, request_extension
from prm_app.platform.errors import PermissionDenied
from tests.deals.factories import make_product, make_world, register
from tests.factories import T0

DAY = timedelta(days=1)


@pytest.fixture
def w(session):
    return make_world(session)


def test_the_catalogue_is_the_active_products_by_name_with_their_price(session, w):
    make_product(session, "OLD", price="5.00", active=False)
    make_product(session, "AAA", price="12500.5")

    options = products_for_registration(session, w.a)

    assert options[0] == ProductOption(
        id=options[0].id, name="Product AAA", list_price=Decimal("12500.50"), currency="USD"
    )
    assert [o.name for o in options] == ["Product AAA", "Product ANL", "Product CORE", "Product SEC"]
    with pytest.raises(PermissionDenied):
        products_for_registration(session, w.manager)


def test_a_listed_deal_carries_raw_values(session, w):
    draft = register(session, w.a, w.products, submit=False, customer_name="Hooli Inc", customer_site="hooli.com")
    submitted = register(session, w.a, w.products, now=T0 + DAY)
    approve_deal(session, w.manager, submitted, now=T0 + 2 * DAY)

    rows = {r.id: r for r in list_my_deals(session, w.a).rows}

    assert rows[draft] == DealSummary(
        id=draft,
        customer="Hooli Inc",
        status=DealStatus.DRAFT,
        estimated_value=Decimal("25000.50"),
        currency="USD",
        expected_close=(T0 + 60 * DAY).date(),
        submitted_at=None,
        protection_ends_at=None,
    )
    assert rows[submitted].status == DealStatus.APPROVED
    assert rows[submitted].submitted_at == T0 + DAY
    assert rows[submitted].protection_ends_at == T0 + 2 * DAY + 90 * DAY


def test_a_deal_in_detail_carries_every_fact_raw(session, w):
    deal_id = register(session, w.a, w.products, contact_email="Jo.Buyer@ACME.com")
    approve_deal(session, w.manager, deal_id, note="Strong case.", now=T0 + DAY)
    ext_id = request_extension(session, w.a2, deal_id, 30, "Board meets in March.", now=T0 + 2 * DAY)
    close_deal(session, w.a, deal_id, won=True, final_amount="31,250.5", now=T0 + 3 * DAY)

    detail = get_my_deal(session, w.a, deal_id, now=T0 + 3 * DAY).deal

    assert isinstance(detail, DealDetail)
    facts = {f.name: getattr(detail, f.name) for f in dataclasses.fields(detail) if f.name != "history"}
    assert facts == {
        "id": deal_id,
        "customer": "Acme Corporation",
        "status": DealStatus.WON,
        "estimated_value": Decimal("25000.50"),
        "currency": "USD",
        "expected_close": (T0 + 60 * DAY).date(),
        "submitted_at": T0,
        "protection_ends_at": T0 + DAY + 90 * DAY,
        "customer_site": "https://www.acme.com",
        "domain": "acme.com",
        "country": "US",
        "contact_name": "Jo Buyer",
        "contact_email": "jo.buyer@acme.com",
        "stage": "Proposal",
        "description": "Replacing their legacy portal.",
        "products": ("Product ANL", "Product CORE"),
        "decision_note": "Strong case.",
        "final_amount": Decimal("31250.50"),
        "discount_pct": None,  # no tier benefit gives one here
        "extension": ExtensionRequest(
            id=ext_id, days=30, reason="Board meets in March.", status="pending", requested_at=T0 + 2 * DAY
        ),
    }


def test_the_history_names_who_did_what_and_the_status_it_set(session, w):
    deal_id = register(session, w.a, w.products)
    approve_deal(session, w.manager, deal_id, protection_days=10, now=T0 + DAY)
    request_extension(session, w.a, deal_id, 5, "Legal review.", now=T0 + 2 * DAY)
    expire_deals(session, now=T0 + 20 * DAY)

    history = get_my_deal(session, w.a, deal_id, now=T0 + 20 * DAY).deal.history

    assert [(h.actor_name, h.action, h.to_status) for h in history] == [
        (w.a.name, "created", DealStatus.DRAFT),
        (w.a.name, "submitted", DealStatus.SUBMITTED),
        (w.manager.name, "approved", DealStatus.APPROVED),
        (w.a.name, "extension_requested", DealStatus.APPROVED),
        (None, "expired", DealStatus.EXPIRED),  # the system did it
    ]
    assert history[2] == HistoryEntry(
        at=T0 + DAY,
        actor_name=w.manager.name,
        action="approved",
        to_status=DealStatus.APPROVED,
        note="Protected for 10 days.",
    )
    assert history[-1].at == T0 + 20 * DAY and history[-1].note == "Protection period ended."


def test_nothing_missing_is_made_up(session, w):
    deal_id = register(session, w.a, w.products, submit=False, description="")

    detail = get_my_deal(session, w.a, deal_id, now=T0).deal

    assert (detail.submitted_at, detail.protection_ends_at, detail.final_amount, detail.extension) == (None,) * 4
    assert (detail.decision_note, detail.description) == ("", "")
