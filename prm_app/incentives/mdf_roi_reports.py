"""The return on MDF summed up: per partner and for the whole fund on the managers' MDF page, and per partner in the
dashboards' panel (claims approved in the dashboard's period, for the partners its filters keep). Every figure is
mdf_roi.request_roi's, added up per partner and currency: ROI = attributed won revenue / reimbursed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from prm_app.analytics import Panel, PanelBars, PanelFact, PanelTable
from prm_app.incentives.ledger import EARNINGS
from prm_app.incentives.mdf_roi import REPORTABLE, request_roi
from prm_app.incentives.mdf_rules import cost_per_lead, roi
from prm_app.incentives.models import FundRequest, LedgerLine, MdfAllocation
from prm_app.incentives.rules import RequestStatus, minor_units
from prm_app.partners import Filters, Organization, org_filters
from prm_app.platform.access import Actor, Permission

ZERO = Decimal(0)
PANEL_ROWS = 500  # requests read for one panel: the period's approved claims


@dataclass(frozen=True)
class RoiRow:
    organization: str
    currency: str
    reimbursed: Decimal
    attributed_won: Decimal
    leads: int
    roi: Decimal | None
    cost_per_lead: Decimal | None


def _sum_up(session: Session, requests: Iterable[tuple[FundRequest, str]], whole: str = "") -> list[RoiRow]:
    """One row per partner and currency (by name), then with `whole` one row per currency for them all."""
    sums: dict[tuple[str, str], list] = {}
    for request, name in requests:
        r = request_roi(session, request)
        for key in ((name, r.currency), *(((whole, r.currency),) if whole else ())):
            acc = sums.setdefault(key, [ZERO, ZERO, 0])
            acc[0], acc[1], acc[2] = acc[0] + r.reimbursed, acc[1] + r.attributed_won, acc[2] + r.leads
    rows = [
        RoiRow(name, currency, paid, won, leads, roi(won, paid), cost_per_lead(paid, leads, currency))
        for (name, currency), (paid, won, leads) in sums.items()
    ]
    return sorted(rows, key=lambda row: (row.organization == whole, row.organization, row.currency))


def budget_roi(session: Session, actor: Actor, budget_id: int) -> list[RoiRow]:
    """The fund's requests (approved or claimed) per partner, then the whole fund as the last row ("All partners")."""
    actor.require(Permission.MANAGE_INCENTIVES)
    rows = session.exec(
        select(FundRequest, Organization.name)
        .join(MdfAllocation, col(MdfAllocation.id) == FundRequest.allocation_id)
        .join(Organization, col(Organization.id) == FundRequest.organization_id)
        .where(MdfAllocation.budget_id == budget_id, col(FundRequest.status).in_(REPORTABLE))
        .order_by(col(FundRequest.id))
    ).all()
    return _sum_up(session, rows, whole="All partners") if rows else []


def _money(value: Decimal, currency: str) -> str:
    return f"{value:,.{minor_units(currency)}f} {currency}"


def roi_words(value: Decimal | None) -> str:
    """ "3.50×" (revenue per unit reimbursed), "–" before anything was reimbursed."""
    return f"{value:.2f}×" if value is not None else "–"


def mdf_panel(session: Session, f: Filters, now: datetime) -> Panel | None:
    """The dashboard's MDF return: the claims approved in the period, per partner the filters keep."""
    rows = session.exec(
        select(FundRequest, Organization.name)
        .join(Organization, col(Organization.id) == FundRequest.organization_id)
        .join(LedgerLine, col(LedgerLine.request_id) == FundRequest.id)
        .where(
            LedgerLine.account == EARNINGS,
            LedgerLine.kind == "claim_approved",
            col(LedgerLine.created_at) >= f.lo,
            col(LedgerLine.created_at) < f.hi,
            FundRequest.status == RequestStatus.CLAIMED,
            *org_filters(f),
        )
        .order_by(col(FundRequest.id))
        .limit(PANEL_ROWS)
    ).all()
    if not rows:
        return None
    summed = _sum_up(session, rows, whole="")
    org_of = {name: request.organization_id for request, name in rows}  # names are unique: the rows' partners
    facts = []
    for currency in sorted({r.currency for r in summed}):
        mine = [r for r in summed if r.currency == currency]
        paid = sum((r.reimbursed for r in mine), ZERO)
        won = sum((r.attributed_won for r in mine), ZERO)
        leads = sum(r.leads for r in mine)
        facts += [
            PanelFact(f"MDF reimbursed ({currency})", _money(paid, currency), "claims approved in the period"),
            PanelFact(f"Attributed won revenue ({currency})", _money(won, currency), "deals partners linked"),
            PanelFact(f"MDF ROI ({currency})", roi_words(roi(won, paid)), "won revenue per unit reimbursed"),
            PanelFact(
                f"Cost per lead ({currency})",
                _money(c, currency) if (c := cost_per_lead(paid, leads, currency)) is not None else "–",
            ),
        ]
    table = PanelTable(
        "MDF return by partner",
        ("Partner", "Reimbursed", "Attributed won revenue", "ROI", "Cost per lead"),
        tuple(
            (
                r.organization,
                _money(r.reimbursed, r.currency),
                _money(r.attributed_won, r.currency),
                roi_words(r.roi),
                _money(r.cost_per_lead, r.currency) if r.cost_per_lead is not None else "–",
            )
            for r in summed
        ),
        partners=tuple(org_of[r.organization] for r in summed),
    )
    ranked = sorted((r for r in summed if r.roi is not None), key=lambda r: r.roi or ZERO, reverse=True)[:10]
    bars = PanelBars(
        "MDF ROI by partner",
        tuple(r.organization for r in ranked),
        tuple(float(r.roi or 0) for r in ranked),
        "×",
        partners=tuple(org_of[r.organization] for r in ranked),
    )
    return Panel(
        "mdf",
        "Market development funds",
        tuple(facts),
        (table,),
        (bars,) if ranked else (),
        note="Claims approved in the period; revenue from the won deals partners linked to each activity.",
    )
