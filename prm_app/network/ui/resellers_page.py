"""A distributor's "Your resellers" page: each partner below it today with its tier, certified people and
certifications, and what it shares with the distributor (open registrations, won this year). Read-only."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import reflex as rx

from prm_app.network.queries import ResellerSummary, my_resellers
from prm_app.web.components.tables import data_table
from prm_app.web.format import DASH, day, money, plural
from prm_app.web.registry import Audience, page, url_for
from prm_app.web.state import AuthState


@dataclass(frozen=True)
class ResellerLine:
    id: int
    name: str
    relation: str  # "Reseller since 1 Jan 2026"
    tier: str
    certified: str  # "3 certified people"
    certifications: str  # "Core Platform Professional, Security Specialist" or "—"
    open_deals: str  # "2 registrations: 45,000.00 USD"
    won: str


def _amounts(rows: tuple[tuple[str, Decimal], ...]) -> str:
    return "; ".join(money(amount, currency) for currency, amount in rows) or DASH


def reseller_line(r: ResellerSummary) -> ResellerLine:
    return ResellerLine(
        id=r.id,
        name=r.name,
        relation=f"{r.kind} since {day(r.since)}",
        tier=r.tier,
        certified=plural(r.certified_people, "certified person", "certified people"),
        certifications=", ".join(r.certifications) or DASH,
        open_deals=f"{plural(r.open_deals, 'registration')}: {_amounts(r.open_pipeline)}" if r.open_deals else DASH,
        won=f"{plural(r.won_deals, 'deal')}: {_amounts(r.won_this_year)}" if r.won_deals else DASH,
    )


class ResellersState(AuthState):
    rows: list[ResellerLine] = []
    total_text: str = ""

    @rx.event
    def load(self) -> None:
        rows = self._run(my_resellers)
        self.rows = [reseller_line(r) for r in rows]
        self.total_text = plural(len(rows), "partner") + " below you today"


def _row(r: rx.Var[ResellerLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(rx.text(r.name, weight="medium"), rx.text(r.relation, size="1"), spacing="0")
        ),
        rx.table.cell(r.tier),
        rx.table.cell(rx.vstack(rx.text(r.certified), rx.text(r.certifications, size="1"), spacing="0")),
        rx.table.cell(r.open_deals),
        rx.table.cell(r.won),
    )


@page("/resellers", title="Your resellers", audience=Audience.PARTNER, on_load=ResellersState.load)
def resellers_page() -> rx.Component:
    return rx.vstack(
        rx.text(
            "The partners below you as their distributor or master agent today: their tier, their certified people, "
            "and the registrations they share with you. Registrations they keep to themselves are not counted.",
            size="2",
        ),
        rx.link("Registrations your resellers share with you", href=url_for("reseller_deals_page")),
        rx.text(ResellersState.total_text, size="2", color_scheme="gray", role="status"),
        rx.cond(
            ResellersState.rows.length() > 0,
            data_table(
                ["Partner", "Tier", "Certifications", "Open registrations shared", "Won this year (shared)"],
                ResellersState.rows,
                _row,
                label="Your resellers and agents",
            ),
            rx.callout(
                "No reseller or agent is below your company today. Your channel manager keeps these relations.",
                icon="info",
                width="100%",
            ),
        ),
        spacing="4",
        width="100%",
    )
