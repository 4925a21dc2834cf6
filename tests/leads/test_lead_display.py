"""How the lead pages show the area's read models (pure: no database, no browser): the queue's rows, the
fairness table, the partner's list and lead page, and the deal form's start from an accepted lead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from prm_app.deals.ui.deal_form import DealPrefill, deal_prefill_from_lead
from prm_app.leads import LeadDealPrefill
from prm_app.leads.assignment import PartnerOption
from prm_app.leads.fairness import FairnessLine
from prm_app.leads.models import LeadStatus
from prm_app.leads.my_leads import MyLead, MyLeadDetail
from prm_app.leads.queries import QueuedLead
from prm_app.leads.queue_access import QueueOption
from prm_app.leads.ui.display import (
    FairnessRow,
    LeadCard,
    MyLeadLine,
    PartnerChoice,
    QueueChoice,
    QueueRow,
    fairness_row,
    lead_card,
    my_lead_line,
    partner_choice,
    queue_choice,
    queue_row,
)
from prm_app.leads.ui.labels import LEAD_STATUS_LABELS

DEADLINE = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
NOW = DEADLINE - timedelta(hours=47, minutes=10)


def test_every_lead_status_has_a_label():
    assert set(LEAD_STATUS_LABELS) == set(LeadStatus)
    assert LEAD_STATUS_LABELS[LeadStatus.NEW] == "In queue"


def test_queue_picker_and_partner_choices_carry_ids_as_text():
    assert queue_choice(QueueOption(id=3, name="Americas")) == QueueChoice(id="3", name="Americas")
    assert partner_choice(PartnerOption(id=7, name="Bluepeak")) == PartnerChoice(value="7", label="Bluepeak")


def test_a_proposed_lead_shows_where_it_is_its_partner_score_and_reasons():
    lead = QueuedLead(
        id=12,
        company="Acme Retail",
        city="Detroit",
        country="US",
        vertical="retail",
        status=LeadStatus.PROPOSED,
        partner="Northwind Distribution",
        score=75.0,
        reasons=("distance unknown", "retail vertical"),
    )

    assert queue_row(lead) == QueueRow(
        id="12",
        label="Acme Retail",
        sublabel="Detroit · United States · retail",
        status="proposed",
        status_label="Proposed",
        partner="Northwind Distribution",
        score="75.0",
        reasons=("distance unknown", "retail vertical"),
    )


def test_a_lead_nobody_matched_shows_no_partner_and_no_score_and_skips_missing_places():
    lead = QueuedLead(12, "Monterrey Foods", "", "MX", "", LeadStatus.NEW, None, None, ("no partner serves MX",))

    row = queue_row(lead)

    assert (row.sublabel, row.status_label, row.partner, row.score) == ("Mexico", "In queue", "", "")


def test_fairness_shows_the_share_of_capacity_and_the_average_score_or_a_dash():
    busy = FairnessLine("Alpha", offered=3, capacity=20, accepted=1, declined=1, expired=1, average_score=60.1666)
    idle = FairnessLine("Gamma", offered=0, capacity=0, accepted=0, declined=0, expired=0, average_score=None)

    assert fairness_row(busy) == FairnessRow("Alpha", "3", "20", "15%", "1", "1", "1", "60.2")
    assert fairness_row(idle) == FairnessRow("Gamma", "0", "0", "—", "0", "0", "0", "—")
    assert busy.share == 0.15 and idle.share is None


def _my_lead(status: LeadStatus, **changes) -> MyLead:
    values = dict(
        id=5, company="Acme Retail", status=status, city="Detroit", country="US", vertical="retail",
        accept_deadline=DEADLINE, overdue=False,
    )  # fmt: skip
    return MyLead(**{**values, **changes})


def test_an_offer_in_the_partners_list_is_news_with_its_deadline():
    assert my_lead_line(_my_lead(LeadStatus.OFFERED), now=NOW) == MyLeadLine(
        id=5,
        company="Acme Retail",
        status="offered",
        status_label="New offer",
        where="Detroit, United States",
        vertical="retail",
        deadline="4 Mar 2026, 09:30 UTC (in 47 h)",
    )


def test_an_offers_deadline_reads_in_the_partners_zone():
    line = my_lead_line(_my_lead(LeadStatus.OFFERED), ZoneInfo("America/Detroit"), NOW)

    assert line.deadline == "4 Mar 2026, 04:30 EST (in 47 h)"
    assert my_lead_line(_my_lead(LeadStatus.OFFERED), now=DEADLINE + timedelta(minutes=5)).deadline.endswith(
        "(5 min ago)"
    )


def test_an_accepted_lead_shows_no_deadline_and_an_unknown_vertical_shows_a_dash():
    line = my_lead_line(_my_lead(LeadStatus.ACCEPTED, vertical="", city=""))

    assert (line.status_label, line.where, line.vertical, line.deadline) == ("Accepted", "United States", "—", "—")


def test_the_partners_lead_page_shows_every_fact():
    lead = MyLeadDetail(
        id=5,
        company="Acme Retail",
        domain="acmeretail.example",
        status=LeadStatus.OFFERED,
        contact_name="Jo Buyer",
        contact_email="jo@acmeretail.example",
        city="Detroit",
        postcode="48201",
        country="US",
        vertical="retail",
        products=("Core Platform", "Security Suite"),
        estimated_size=Decimal("25000"),
        currency="USD",
        accept_deadline=DEADLINE,
        status_note="",
        deal_id=None,
    )

    assert lead_card(lead, now=NOW) == LeadCard(
        id=5,
        company="Acme Retail",
        domain="acmeretail.example",
        status="offered",
        status_label="Offered",
        contact="Jo Buyer",
        email="jo@acmeretail.example",
        where="Detroit, 48201, United States",
        vertical="retail",
        products="Core Platform, Security Suite",
        size="25,000.00 USD",
        deadline="4 Mar 2026, 09:30 UTC (in 47 h)",
        note="",
        deal_id=0,
    )


def test_a_converted_lead_page_links_its_deal_and_shows_dashes_for_what_is_unknown():
    lead = MyLeadDetail(
        5, "Acme Retail", "", LeadStatus.CONVERTED, "", "", "", "", "US", "", (), None, "USD", None, "Signed", 44
    )

    card = lead_card(lead)

    assert (card.status_label, card.vertical, card.products, card.size, card.deadline) == (
        "Converted to deal",
        "—",
        "—",
        "—",
        "",
    )
    assert (card.note, card.deal_id) == ("Signed", 44)


def test_an_accepted_leads_prefill_becomes_the_deal_forms_starting_values():
    lead = LeadDealPrefill(
        lead_id=9,
        customer_name="Hooli",
        customer_site="hooli.com",
        country="US",
        contact_name="Gavin Belson",
        contact_email="gavin@hooli.com",
        estimated_size=Decimal("48000"),
        product_ids=(1, 3),
    )

    assert deal_prefill_from_lead(lead) == DealPrefill(
        lead_id="9",
        customer_name="Hooli",
        customer_site="hooli.com",
        country="US",
        contact_name="Gavin Belson",
        contact_email="gavin@hooli.com",
        estimated_value="48000.00",
        products=("1", "3"),
    )
    unknown_size = LeadDealPrefill(9, "Hooli", "", "US", "", "", None, ())
    assert (deal_prefill_from_lead(unknown_size).estimated_value, deal_prefill_from_lead(unknown_size).products) == (
        "",
        (),
    )


def test_the_partners_leads_in_the_readers_language():
    """German: the status, the country, the vertical, the deadline with the time left and the amount; the company
    and the city as they are."""
    from prm_app.platform.i18n import catalogue

    german = catalogue("de")
    line = my_lead_line(_my_lead(LeadStatus.OFFERED), ZoneInfo("Europe/Berlin"), NOW, german)
    assert (line.status_label, line.where, line.vertical, line.deadline) == (
        "Neues Angebot",
        "Detroit, Vereinigte Staaten",
        "Einzelhandel",
        "04.03.2026, 10:30 CET (in 47 Std.)",
    )
    accepted = my_lead_line(_my_lead(LeadStatus.ACCEPTED, vertical="space travel"), words=catalogue("ja"))
    assert (accepted.status_label, accepted.vertical, accepted.deadline) == ("承諾済み", "space travel", "—")
    lead = MyLeadDetail(
        5, "Acme Retail", "", LeadStatus.OFFERED, None, None, "Köln", "", "DE", "retail", (), Decimal("25000"), "EUR",
        DEADLINE, "", None,
    )  # fmt: skip
    card = lead_card(lead, UTC, NOW, german)
    assert (card.contact, card.email, card.where, card.size) == (
        "Sichtbar, sobald Sie annehmen",
        "Sichtbar, sobald Sie annehmen",
        "Köln, Deutschland",
        "25.000,00\xa0€",
    )
