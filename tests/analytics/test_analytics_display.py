"""How the dashboard and scorecard pages show the reports (prm_app/analytics/ui/display.py): pure functions, no
database, no browser. The text is what the pages showed before the reports became typed."""

from __future__ import annotations

from datetime import date

from prm_app.analytics.dashboards import PartnerRevenue
from prm_app.analytics.engagement import EngagementKpis, EngagementReport, QuietPartner
from prm_app.analytics.labels import age_label, group_name
from prm_app.analytics.metrics import EfficiencyReport
from prm_app.analytics.scorecard import ScorecardFigure
from prm_app.analytics.ui.display import (
    DashboardKpis,
    EfficiencyFacts,
    QuietPartnerLine,
    ScorecardLine,
    TopPartnerLine,
    dashboard_kpis,
    efficiency_facts,
    quiet_partner_line,
    scorecard_line,
    top_partner_line,
)
from prm_app.nps import NpsReport
from prm_app.nps.rules import NO_ANSWERS, tally


def _nps(t) -> NpsReport:
    return NpsReport(survey_id=None, survey=None, by="tier", tally=t, groups=(), trend=())


def test_kpis_are_thousands_separated_and_nps_has_one_decimal():
    engagement = EngagementReport(by="tier", kpis=EngagementKpis(1234, 56789, 12, 0), weekly=(), least_engaged=())

    assert dashboard_kpis(engagement, _nps(tally(3, 2, 0))) == DashboardKpis(
        active="1,234", logins="56,789", registrations="12", acceptances="0", nps="66.7"
    )
    assert dashboard_kpis(engagement, _nps(NO_ANSWERS)).nps == "—"


def test_efficiency_facts():
    report = EfficiencyReport(
        decisions=1200,
        approval_hours_median=60.0,
        approvals_within_sla_pct=74.6,
        sla_business_days=2,
        lead_response_hours_median=None,
        leads_recycled=3,
    )

    assert efficiency_facts(report) == EfficiencyFacts(
        approval="60.0 h", within_sla="75%", sla="2 business days", response="—", recycled="3", decisions="1,200"
    )


def test_least_engaged_and_top_partner_lines():
    never = QuietPartner(partner_id=4, partner="Partner D", manager=None, last_login=None, events=0)
    seen = QuietPartner(partner_id=5, partner="Partner E", manager="Maya", last_login=date(2029, 6, 1), events=3)

    assert quiet_partner_line(never) == QuietPartnerLine(partner="Partner D", manager="", last_login="", events="0")
    busy = QuietPartner(partner_id=6, partner="Partner F", manager="Maya", last_login=date(2029, 6, 1), events=1234)
    assert quiet_partner_line(seen) == QuietPartnerLine("Partner E", "Maya", "1 Jun 2029", "3")
    assert quiet_partner_line(busy).events == "1,234"
    # Whole USD with thousands separated, as every total on the dashboards (the table's title names the currency).
    assert top_partner_line(PartnerRevenue(1, "Partner A", 6200.0, 0.0, 6200.5)) == TopPartnerLine(
        partner="Partner A", sourced="6,200", influenced="0", total="6,200"
    )
    assert top_partner_line(PartnerRevenue(2, "Partner B", 48500.0, 1250.75, 49750.75)).total == "49,751"


def test_scorecard_lines_count_whole_money_whole_and_measure_to_one_decimal():
    money = ScorecardFigure("sourced_usd", 6200.0, 3000.0, 106.7, 1000.0)
    logins = ScorecardFigure("logins", 1234, 1, 300.0, None)
    rate = ScorecardFigure("win_rate", None, None, None, None)

    assert scorecard_line(money) == ScorecardLine(
        label="Sourced revenue (USD)", current="6,200", previous="3,000", change="+107%", median="1,000"
    )
    hours = ScorecardFigure("lead_response_hours", 12.25, None, None, 8.0)
    assert scorecard_line(hours) == ScorecardLine("Lead response time (median hours)", "12.2", "—", "—", "8.0")
    assert scorecard_line(logins) == ScorecardLine("Portal logins", "1,234", "1", "+300%", "—")
    assert scorecard_line(rate) == ScorecardLine("Win rate (%)", "—", "—", "—", "—")


def test_labels_for_codes():
    assert [age_label(0, 3), age_label(3, 8), age_label(8, 31), age_label(31, None)] == [
        "0-2 days", "3-7 days", "8-30 days", "31+ days",
    ]  # fmt: skip
    assert (group_name("partner_type", "msp"), group_name("region", None), group_name("tier", "Gold")) == (
        "MSP",
        "—",
        "Gold",
    )


def test_a_scorecard_line_in_the_readers_language():
    from prm_app.analytics.scorecard import ScorecardFigure

    logins = ScorecardFigure("logins", 1234, 1, 300.0, None)
    assert scorecard_line(logins, "de") == ScorecardLine("Portal-Anmeldungen", "1.234", "1", "+300\xa0%", "—")
