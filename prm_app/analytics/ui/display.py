"""What the dashboard and scorecard pages show: the reports in, small frozen rows of display text out.

All formatting of analytics happens here (with prm_app/web/format.py); names for codes come from labels.py and
charts from charts.py. Pure functions: tested in tests/analytics/test_analytics_display.py without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass

from prm_app.analytics.dashboards import PartnerRevenue
from prm_app.analytics.engagement import EngagementReport, QuietPartner
from prm_app.analytics.labels import SCORECARD_LABELS
from prm_app.analytics.metrics import EfficiencyReport
from prm_app.analytics.scorecard import ScorecardFigure
from prm_app.nps import NpsReport
from prm_app.web.format import hours, number, percent, raw_number


@dataclass(frozen=True)
class DashboardKpis:
    """The headline figures ("" before the first load)."""

    active: str = ""
    logins: str = ""
    registrations: str = ""
    acceptances: str = ""
    nps: str = ""


def dashboard_kpis(engagement: EngagementReport, nps: NpsReport) -> DashboardKpis:
    k = engagement.kpis
    return DashboardKpis(
        active=number(k.active_partners_30d),
        logins=number(k.logins),
        registrations=number(k.registrations),
        acceptances=number(k.lead_acceptances),
        nps=number(nps.tally.nps, 1),
    )


@dataclass(frozen=True)
class EfficiencyFacts:
    """How fast the program works, as the dashboard's facts read."""

    approval: str = ""
    within_sla: str = ""
    sla: str = ""
    response: str = ""
    recycled: str = ""
    decisions: str = ""


def efficiency_facts(report: EfficiencyReport) -> EfficiencyFacts:
    return EfficiencyFacts(
        approval=hours(report.approval_hours_median),
        within_sla=percent(report.approvals_within_sla_pct),
        sla=f"{report.sla_business_days} business days",
        response=hours(report.lead_response_hours_median),
        recycled=number(report.leads_recycled),
        decisions=number(report.decisions),
    )


@dataclass(frozen=True)
class QuietPartnerLine:
    """One of the least engaged partners ("" for no manager and for never signed in)."""

    partner: str
    manager: str
    last_login: str
    events: str


def quiet_partner_line(p: QuietPartner) -> QuietPartnerLine:
    return QuietPartnerLine(
        partner=p.partner,
        manager=p.manager or "",
        last_login=p.last_login.isoformat() if p.last_login else "",
        events=str(p.events),
    )


@dataclass(frozen=True)
class TopPartnerLine:
    """One of the top partners by won revenue, in USD."""

    partner: str
    sourced: str
    influenced: str
    total: str


def top_partner_line(p: PartnerRevenue) -> TopPartnerLine:
    return TopPartnerLine(
        partner=p.partner,
        sourced=raw_number(p.sourced_usd),
        influenced=raw_number(p.influenced_usd),
        total=raw_number(p.total_usd),
    )


@dataclass(frozen=True)
class ScorecardLine:
    """One figure of a scorecard: this period, the previous one, the change and the program median."""

    label: str
    current: str
    previous: str
    change: str
    median: str


def _figure(value: float | int | None) -> str:
    """Counts as whole numbers, money, rates and hours to one decimal, "—" when there is none."""
    return number(value, 1 if isinstance(value, float) else 0)


def scorecard_line(figure: ScorecardFigure) -> ScorecardLine:
    return ScorecardLine(
        label=SCORECARD_LABELS[figure.key],
        current=_figure(figure.current),
        previous=_figure(figure.previous),
        change=percent(figure.change_pct, signed=True),
        median=_figure(figure.program_median),
    )
