"""The return on MDF summed up: per partner and for the whole fund on the managers' MDF page, and per partner in the
dashboards' panel (claims approved in the dashboard's period, for the partners its filters keep). Every figure is
mdf_roi.request_roi's, added up per partner and currency: ROI = attributed won revenue / reimbursed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from prm_app.analytics import Panel, PanelBars, PanelFact, PanelTable
from prm_app.deals import Deal, DealStatus
from prm_app.incentives.ledger import EARNINGS, convert
from prm_app.incentives.mdf_models import FundRequestDeal, FundResult
from prm_app.incentives.mdf_roi import REPORTABLE, request_roi
from prm_app.incentives.mdf_rules import cost_per_lead, roi
from prm_app.incentives.models import FundClaim, FundRequest, LedgerLine, MdfAllocation, MdfBudget
from prm_app.incentives.rules import FxMissing, RequestStatus, minor_units, to_minor
from prm_app.partners import Filters, Organization, org_filters
from prm_app.platform.access import Actor, Permission

ZERO = Decimal(0)


@dataclass(frozen=True)
class RoiRow:
    organization: str
    currency: str
    reimbursed: Decimal
    attributed_won: Decimal
    leads: int
    roi: Decimal | None
    cost_per_lead: Decimal | None


Figures = tuple[str, str, Decimal, Decimal, int]  # one request's partner, currency, reimbursed, attributed won, leads


def _sum_up(figures: Iterable[Figures], whole: str = "") -> list[RoiRow]:
    """One row per partner and currency (by name), then with `whole` one row per currency for them all."""
    sums: dict[tuple[str, str], list[Any]] = {}
    for name, currency, paid, won, leads in figures:
        for key in ((name, currency), *(((whole, currency),) if whole else ())):
            acc = sums.setdefault(key, [ZERO, ZERO, 0])
            acc[0], acc[1], acc[2] = acc[0] + paid, acc[1] + won, acc[2] + leads
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
    rois = ((request_roi(session, request), name) for request, name in rows)
    return _sum_up(((name, r.currency, r.reimbursed, r.attributed_won, r.leads) for r, name in rois), "All partners")


def _money(value: Decimal, currency: str) -> str:
    return f"{value:,.{minor_units(currency)}f} {currency}"


def roi_words(value: Decimal | None) -> str:
    """ "3.50×" (revenue per unit reimbursed), "–" before anything was reimbursed."""
    return f"{value:.2f}×" if value is not None else "–"


def _period_figures(session: Session, f: Filters, now: datetime) -> list[tuple[int, Figures]]:
    """Per claim approved in the period, of the partners the filters keep: its partner's id and its figures as
    request_roi counts them (reimbursed, the linked won deals in the budget's currency at the rate of the day they
    closed, leads reported or else claimed), read in a few queries for them all: a year's claims at a few thousand
    partners are thousands, and the panel is read again at every data change."""
    claimed = (
        select(FundRequest.id)
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
    )
    requests = session.exec(
        select(FundRequest.id, FundRequest.organization_id, Organization.name, MdfBudget.currency)
        .join(Organization, col(Organization.id) == FundRequest.organization_id)
        .join(MdfAllocation, col(MdfAllocation.id) == FundRequest.allocation_id)
        .join(MdfBudget, col(MdfBudget.id) == MdfAllocation.budget_id)
        .where(col(FundRequest.id).in_(claimed))
        .order_by(col(FundRequest.id))
    ).all()
    paid: dict[int, Decimal] = {}
    for request_id, amount in session.exec(
        select(col(LedgerLine.request_id), col(LedgerLine.amount)).where(
            LedgerLine.account == EARNINGS, LedgerLine.kind == "claim_approved", col(LedgerLine.request_id).in_(claimed)
        )
    ).all():
        paid[request_id or 0] = paid.get(request_id or 0, ZERO) + amount
    claimed_leads = dict(
        session.exec(
            select(FundClaim.request_id, FundClaim.leads_generated).where(col(FundClaim.request_id).in_(claimed))
        ).all()
    )
    reported_leads = dict(
        session.exec(
            select(FundResult.request_id, FundResult.leads).where(col(FundResult.request_id).in_(claimed))
        ).all()
    )
    currency_of = {request_id: currency for request_id, _org, _name, currency in requests}
    won: dict[int, Decimal] = {}
    rates: dict[tuple[str, str, date], Decimal | None] = {}  # one lookup per pair of currencies and day
    for request_id, deal in session.exec(
        select(FundRequestDeal.request_id, Deal)
        .join(Deal, col(Deal.id) == FundRequestDeal.deal_id)
        .where(col(FundRequestDeal.request_id).in_(claimed), Deal.status == DealStatus.WON)
    ).all():
        target, day = currency_of[request_id], (deal.closed_at or now).date()
        if (deal.currency, target, day) not in rates:
            try:
                rates[deal.currency, target, day] = convert(session, Decimal(1), deal.currency, target, day)[1].rate
            except FxMissing:
                rates[deal.currency, target, day] = None  # left out, as request_roi does
        rate = rates[deal.currency, target, day]
        value = deal.final_amount if deal.final_amount is not None else deal.estimated_value
        if rate is not None and value:
            won[request_id] = won.get(request_id, ZERO) + value * rate
    return [
        (
            org_id,
            (
                name,
                currency,
                paid.get(rid or 0, ZERO),
                to_minor(won.get(rid or 0, ZERO), currency),
                reported_leads.get(rid or 0, claimed_leads.get(rid or 0, 0)),
            ),
        )
        for rid, org_id, name, currency in requests
    ]


def mdf_panel(session: Session, f: Filters, now: datetime) -> Panel | None:
    """The dashboard's MDF return: the claims approved in the period, per partner the filters keep."""
    figures = _period_figures(session, f, now)
    if not figures:
        return None
    summed = _sum_up(figure for _org, figure in figures)
    org_of = {figure[0]: org_id for org_id, figure in figures}  # names are unique: the rows' partners
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
