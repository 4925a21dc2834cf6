"""How the deal pages show the read models (prm_app/deals/ui/display.py) and read the registration form
(ui/deal_form.py): pure functions, no database and no browser. Days and moments in web/format.py's one style,
in the viewer's zone; countries by name."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from prm_app.deals.conflicts import Evidence
from prm_app.deals.matching.store import DIRECT_ACCOUNT, REGISTRATION
from prm_app.deals.models import DealStatus
from prm_app.deals.queries import (
    DealDetail,
    DealSummary,
    ExtensionRequest,
    HistoryEntry,
    ProductOption,
    QueuedDeal,
)
from prm_app.deals.rules import DealInput
from prm_app.deals.ui.deal_form import deal_input_from_form
from prm_app.deals.ui.display import (
    DealCard,
    DealLine,
    EvidenceCard,
    HistoryLine,
    ProductChoice,
    QueueLine,
    deal_card,
    deal_line,
    evidence_card,
    history_line,
    product_choice,
    queue_line,
)

SUBMITTED_AT = datetime(2030, 1, 15, 9, 5, tzinfo=UTC)
ENDS_AT = datetime(2030, 4, 15, 9, 5, tzinfo=UTC)
NOW = datetime(2030, 1, 20, 9, 5, tzinfo=UTC)
TOKYO = ZoneInfo("Asia/Tokyo")


def _summary(**changes) -> DealSummary:
    values = {
        "id": 7,
        "customer": "Acme Corporation",
        "status": DealStatus.APPROVED,
        "estimated_value": Decimal("25000.5"),
        "currency": "EUR",
        "expected_close": date(2030, 3, 16),
        "submitted_at": SUBMITTED_AT,
        "protection_ends_at": ENDS_AT,
    }
    return DealSummary(**{**values, **changes})


def _detail(**changes) -> DealDetail:
    summary = _summary()
    values = {
        **{name: getattr(summary, name) for name in summary.__dataclass_fields__},
        "customer_site": "https://www.acme.com",
        "domain": "acme.com",
        "country": "US",
        "contact_name": "Jo Buyer",
        "contact_email": "jo.buyer@acme.com",
        "stage": "Proposal",
        "description": "Replacing their legacy portal.",
        "products": ("Analytics Add-on", "Core Platform"),
        "decision_note": "",
        "final_amount": None,
        "discount_pct": None,
        "extension": None,
        "history": (),
    }
    return DealDetail(**{**values, **changes})


def test_a_list_line_shows_money_days_and_the_status_label():
    assert deal_line(_summary()) == DealLine(
        id=7,
        customer="Acme Corporation",
        status="approved",
        status_label="Approved",
        value="25,000.50 EUR",
        submitted="15 Jan 2030",
        protection_ends="15 Apr 2030",
    )


def test_a_list_line_in_the_readers_language():
    german = deal_line(_summary(), language="de")
    assert (german.status_label, german.value, german.submitted) == ("Genehmigt", "25.000,50\xa0€", "15.01.2030")
    french = deal_line(_summary(status=DealStatus.INFO_REQUESTED), language="fr")
    assert (french.status_label, french.value) == ("Informations complémentaires demandées", "25\u202f000,50\xa0€")


def test_a_list_line_shows_days_as_they_fall_in_the_viewers_zone():
    late = datetime(2030, 1, 15, 20, 0, tzinfo=UTC)  # already the 16th in Tokyo

    line = deal_line(_summary(submitted_at=late), TOKYO)

    assert (line.submitted, line.protection_ends) == ("16 Jan 2030", "15 Apr 2030")


def test_a_draft_line_shows_a_dash_for_what_has_not_happened():
    line = deal_line(_summary(status=DealStatus.DRAFT, submitted_at=None, protection_ends_at=None))

    assert (line.status_label, line.submitted, line.protection_ends) == ("Draft", "—", "—")


def test_a_deal_card_shows_every_fact_with_the_country_by_name_and_how_long_protection_lasts():
    assert deal_card(_detail(), now=NOW) == DealCard(
        id=7,
        customer="Acme Corporation",
        status="approved",
        status_label="Approved",
        site="https://www.acme.com",
        country="United States",
        contact="Jo Buyer <jo.buyer@acme.com>",
        products="Analytics Add-on, Core Platform",
        value="25,000.50 EUR",
        close="16 Mar 2030",
        stage="Proposal",
        submitted="15 Jan 2030",
        protection_ends="15 Apr 2030, 09:05 UTC (in 85 days)",
        final_amount="",
        description="Replacing their legacy portal.",
        decision_note="",
        extension="",
        extension_pending=False,
    )


def test_a_deal_card_reads_in_the_viewers_zone():
    card = deal_card(_detail(), TOKYO, now=ENDS_AT - timedelta(hours=30))

    assert card.protection_ends == "15 Apr 2030, 18:05 JST (in 30 h)"
    assert card.close == "16 Mar 2030"  # a day the partner chose is the same day everywhere


def test_optional_facts_are_empty_so_the_page_leaves_them_out():
    card = deal_card(_detail(status=DealStatus.SUBMITTED, protection_ends_at=None))

    assert (card.protection_ends, card.final_amount, card.extension) == ("", "", "")
    assert card.status_label == "Submitted"


def test_a_won_deal_shows_its_final_amount_and_its_extension_request():
    pending = ExtensionRequest(id=3, days=30, reason="Board meets in March.", status="pending", requested_at=ENDS_AT)
    card = deal_card(_detail(status=DealStatus.WON, final_amount=Decimal("51250"), extension=pending))

    assert card.final_amount == "51,250.00 EUR"
    assert (card.extension, card.extension_pending) == ("30 days requested (pending): Board meets in March.", True)
    one = deal_card(_detail(extension=ExtensionRequest(4, 1, "One more day.", "pending", ENDS_AT)))
    assert one.extension == "1 day requested (pending): One more day."
    declined = deal_card(_detail(extension=ExtensionRequest(3, 30, "Too late.", "declined", ENDS_AT)))
    assert (declined.extension, declined.extension_pending) == ("30 days requested (declined): Too late.", False)


def test_a_history_line_names_the_system_when_nobody_signed_in_acted():
    entry = HistoryEntry(
        at=datetime(2030, 4, 15, 9, 5, 59, tzinfo=UTC),
        actor_name=None,
        action="info_requested",
        to_status=DealStatus.INFO_REQUESTED,
        note="Which products exactly?",
    )

    assert history_line(entry) == HistoryLine(
        action="info requested",
        who="System",
        at="15 Apr 2030, 09:05 UTC",
        status="More info requested",
        note="Which products exactly?",
    )
    assert history_line(HistoryEntry(SUBMITTED_AT, "Priya Shah", "created", None, "")).status == ""
    assert history_line(entry, TOKYO).at == "15 Apr 2030, 18:05 JST"


def test_an_evidence_card_titles_the_other_claim():
    registration = Evidence(
        kind=REGISTRATION,
        id=12,
        customer="Acme Corp",
        holder="Alpha Resellers",
        status=DealStatus.APPROVED,
        score=65,
        reasons=("same normalized domain acme.com", "registered 1 day earlier by another partner, still protected"),
        protected=True,
    )
    account = Evidence(DIRECT_ACCOUNT, 4, "Globex", "Hank Scorpio", None, 60, ("direct-sales account",), False)

    assert evidence_card(registration) == EvidenceCard(
        title="Acme Corp — Registration #12 by Alpha Resellers (approved)",
        score=65,
        protected=True,
        reasons=registration.reasons,
    )
    assert evidence_card(account).title == "Globex — Direct account owned by Hank Scorpio"


def test_a_queue_line_carries_its_id_as_text_the_minute_without_a_zone_and_counts_in_words():
    item = QueuedDeal(
        id=41,
        customer="Nordlys Energi AS",
        partner="Fjord Managed IT",
        status=DealStatus.SUBMITTED,
        estimated_value=Decimal("18000"),
        currency="NOK",
        submitted_at=SUBMITTED_AT,
        age_business_days=3,
        overdue=True,
        conflicts=0,
        top_score=None,
    )

    assert queue_line(item) == QueueLine(
        id="41",
        customer="Nordlys Energi AS",
        partner="Fjord Managed IT",
        value="18,000.00 NOK",
        submitted="15 Jan 2030, 09:05",  # the column header names the zone
        age_business_days=3,
        waiting="3 business days",
        overdue=True,
        conflicts=0,
        conflicts_text="",
        top_score=0,
    )
    one = queue_line(replace(item, age_business_days=1, conflicts=1, top_score=81), TOKYO)
    assert (one.submitted, one.waiting, one.conflicts_text) == (
        "15 Jan 2030, 18:05",
        "1 business day",
        "1 possible conflict, best score 81",
    )


def test_a_product_choice_shows_the_list_price():
    option = ProductOption(id=5, name="Core Platform (annual)", list_price=Decimal("24000"), currency="USD")

    assert product_choice(option) == ProductChoice(id="5", name="Core Platform (annual)", price="24,000.00 USD")


def test_a_submitted_form_is_read_as_typed_with_the_ticked_products():
    form = {
        "customer_name": "  Vandelay Industries ",
        "customer_site": "vandelay.com",
        "country": "US",
        "contact_name": "Art Vandelay",
        "contact_email": "art@vandelay.com",
        "product_3": "on",
        "product_1": "on",
        "product_x": "on",  # not an id: ignored
        "estimated_value": "48,000",
        "currency": "USD",
        "expected_close": "2030-03-01",
        "stage": "Proposal",
        "unexpected": "ignored",
    }

    assert deal_input_from_form(form) == DealInput(
        customer_name="  Vandelay Industries ",
        customer_site="vandelay.com",
        country="US",
        contact_name="Art Vandelay",
        contact_email="art@vandelay.com",
        product_ids=(3, 1),
        estimated_value="48,000",
        currency="USD",
        expected_close="2030-03-01",
        stage="Proposal",
        description="",
    )
    assert deal_input_from_form({}) == DealInput(currency="")


def test_a_draft_keeps_the_forms_fields_and_restores_them_over_a_leads_values():
    from prm_app.deals.ui.deal_form import DealPrefill, draft_fields, draft_form_key, prefill_from_draft

    form = {"customer_name": "Acme", "product_4": "on", "product_x": "on", "tab": "t", "description": "Big one"}
    kept = draft_fields(form)
    assert kept == {"customer_name": "Acme", "product_4": "on", "description": "Big one"}
    lead = DealPrefill(lead_id="9", customer_name="Acme Inc", contact_name="Jo", products=("1",), key="lead-9")
    restored = prefill_from_draft(kept, lead, "draft-1")
    assert restored.customer_name == "Acme" and restored.contact_name == "Jo"  # typed wins, the rest from the lead
    assert restored.products == ("4",) and restored.description == "Big one" and restored.key == "draft-1"
    assert restored.lead_id == "9"
    assert (draft_form_key(0), draft_form_key(9)) == ("deal:new", "deal:lead:9")
