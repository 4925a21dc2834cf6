"""Recruitment rules on plain values: the form's checks, domains, regions, the score and its reasons, the funnel,
and the intro's sanitizing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from prm_app.recruitment.rules import (
    Adjustment,
    CriterionSetting,
    ExtraField,
    Facts,
    check_adjustment,
    check_application,
    dump_fields,
    field_key,
    funnel,
    intro_html,
    parse_fields,
    region_for,
    registrable_domain,
    score,
    total,
)

COUNTRIES = ["DE", "US", "FR"]
TYPES = ["reseller", "msp"]


def good_form(**over: str) -> dict[str, str]:
    form = {
        "company": "Acme <b>GmbH</b>", "website": "https://www.acme.co.uk/about", "country": "DE",
        "partner_type": "reseller", "team_size": "40", "revenue_band": "5m_20m",
        "vendors": "Contoso, Fabrikam\nContoso",
        "customer_count": "1,200", "certified_staff": "3", "contact_name": "Ada Lovelace",
        "contact_email": "Ada@Acme.co.uk", "motivation": "Growth", "vertical_finance": "on", "vertical_retail": "on",
    }  # fmt: skip
    form.update(over)
    return form


def test_a_good_form_reads_as_an_application():
    data, errors = check_application(good_form(), [], countries=COUNTRIES, partner_types=TYPES)
    assert errors == {} and data is not None
    assert data.domain == "acme.co.uk"
    assert data.company == "Acme <b>GmbH</b>"  # kept as typed: escaping is the page's job
    assert data.contact_email == "ada@acme.co.uk"
    assert data.verticals == ("finance", "retail")
    assert data.vendors == ("Contoso", "Fabrikam")
    assert data.customer_count == 1200


def test_each_wrong_field_gets_its_own_message():
    form = good_form(website="not a site", contact_email="nope", country="XX", team_size="many", motivation="")
    del form["vertical_finance"], form["vertical_retail"]
    data, errors = check_application(form, [], countries=COUNTRIES, partner_types=TYPES)
    assert data is None
    assert set(errors) == {"website", "contact_email", "country", "team_size", "motivation", "verticals"}


def test_extra_fields_required_select_and_hidden():
    fields = [
        ExtraField("x_tier", "Tier", "select", ("Gold", "Silver"), required=True),
        ExtraField("x_terms", "I accept", "checkbox", required=True),
        ExtraField("x_internal", "Internal note", "text", hidden=True, required=True),
    ]
    _, errors = check_application(good_form(x_tier="Bronze", x_internal="typed by a robot"), fields,
                                  countries=COUNTRIES, partner_types=TYPES)  # fmt: skip
    assert errors == {"x_tier": "Choose one of the options.", "x_terms": "Confirm this to apply."}
    data, errors = check_application(good_form(x_tier="Gold", x_terms="on", x_internal="robot"), fields,
                                     countries=COUNTRIES, partner_types=TYPES)  # fmt: skip
    assert data is not None and dict(data.extra) == {"x_tier": "Gold", "x_terms": "yes"}  # the hidden one unread


def test_fields_round_trip_and_keys_are_unique():
    fields = [ExtraField("x_a", "A", "select", ("1", "2"), True, False)]
    assert parse_fields(dump_fields(fields)) == fields
    assert parse_fields("not json") == [] and parse_fields('[{"kind": "bogus", "key": "k"}]') == []
    assert field_key("Preferred distributor!", ["x_preferred_distributor"]) == "x_preferred_distributor_2"


@pytest.mark.parametrize(
    ("text", "domain"),
    [("https://www.Acme.co.uk/x", "acme.co.uk"), ("jo@sales.acme.com", "acme.com"),
     ("shop.newco.example", "newco.example"),
     ("", ""), ("localhost", ""), ("javascript:alert(1)", "")],
)  # fmt: skip
def test_registrable_domain(text, domain):
    assert registrable_domain(text) == domain


@pytest.mark.parametrize(
    ("country", "region"),
    [("DE", "EMEA"), ("AE", "EMEA"), ("ZA", "EMEA"), ("US", "North America"), ("CA", "North America"),
     ("MX", "Latin America"), ("BR", "Latin America"), ("JP", "APAC"), ("AU", "APAC")],
)  # fmt: skip
def test_region_for(country, region):
    assert region_for(country) == region


FACTS = Facts("5m_20m", ("finance", "retail"), "Germany", 2, 3, ("Contoso", "Fabrikam"))
SETTINGS = [
    CriterionSetting("revenue_band", 20), CriterionSetting("vertical_fit", 25, ("finance", "Healthcare")),
    CriterionSetting("coverage_gap", 25), CriterionSetting("certified_staff", 15),
    CriterionSetting("competitors", 15, ("contoso",)),
]  # fmt: skip


def test_score_gives_points_and_reasons():
    scores = {s.key: s for s in score(FACTS, SETTINGS)}
    assert (scores["revenue_band"].points, scores["revenue_band"].reason) == (10, "Annual revenue 5M–20M.")
    assert scores["vertical_fit"].points == 13  # one target vertical of two: half of 25, rounded half up
    assert scores["vertical_fit"].reason == "Sells into Financial services, which we target."
    assert (scores["coverage_gap"].points, scores["coverage_gap"].reason) == (13, "2 partners already in Germany.")
    assert (scores["certified_staff"].points, scores["certified_staff"].reason) == (9, "3 certified people.")
    assert (scores["competitors"].points, scores["competitors"].reason) == (8, "Carries Contoso, which competes.")
    assert total(scores.values()) == 53


def test_no_partner_in_the_country_is_the_whole_gap_and_many_are_none():
    empty = Facts("over_100m", (), "France", 0, 9, ())
    scores = {s.key: s for s in score(empty, SETTINGS)}
    assert scores["coverage_gap"].points == 25 and scores["coverage_gap"].reason == "No partner in France yet."
    assert scores["vertical_fit"].points == 0 and scores["competitors"].points == 15
    crowded = Facts("under_1m", (), "France", 6, 0, ())
    assert {s.key: s.points for s in score(crowded, SETTINGS)}["coverage_gap"] == 0


def test_the_latest_adjustment_counts_within_the_weight():
    at = datetime(2026, 12, 1, tzinfo=UTC)
    adjustments = [
        Adjustment("coverage_gap", 25, "first", "Maya", at),
        Adjustment("coverage_gap", 20, "Partner in Munich is leaving", "Lars", at.replace(day=2)),
        Adjustment("competitors", 99, "capped", "Lars", at),
    ]
    scores = {s.key: s for s in score(FACTS, SETTINGS, adjustments)}
    assert scores["coverage_gap"].points == 20 and scores["coverage_gap"].computed == 13
    assert scores["coverage_gap"].adjustment and scores["coverage_gap"].adjustment.by == "Lars"
    assert scores["competitors"].points == 15


def test_an_adjustment_needs_points_in_range_and_a_note():
    assert check_adjustment(" 12 ", " why ", 25) == (12, "why")
    with pytest.raises(ValueError, match="points"):
        check_adjustment("26", "why", 25)
    with pytest.raises(ValueError, match="note"):
        check_adjustment("3", "  ", 25)


def test_funnel_conversion_from_the_step_before():
    steps = funnel({"visited": 200, "started": 80, "submitted": 30, "approved": 10, "first_deal": 0})
    assert [(s.stage, s.count, s.rate) for s in steps] == [
        ("visited", 200, None), ("started", 80, 40.0), ("submitted", 30, 37.5), ("approved", 10, 33.3),
        ("first_deal", 0, 0.0), ("first_win", 0, None),
    ]  # fmt: skip


def test_intro_markdown_is_rendered_and_sanitized():
    html = intro_html("# Join us\n**Grow** with [us](https://x.example) <script>alert(1)</script> [bad](javascript:x)")
    assert "<h2>Join us</h2>" in html and "<strong>Grow</strong>" in html
    assert '<a href="https://x.example" rel="noopener noreferrer">us</a>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html  # left as text, never a link
