"""A fund request's return, on the partner's request page (report the results, link its own deals) and, read only,
on the reviewer's: ROI, cost per lead, attributed won revenue and pipeline beside the partner's own figures."""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx

from prm_app.incentives.mdf_roi import Roi, link_deal, linkable_deals, my_request_roi, report_results, unlink_deal
from prm_app.incentives.mdf_roi_reports import roi_words
from prm_app.incentives.ui.display import amount
from prm_app.platform.errors import DomainError, FormInvalid, NotFound
from prm_app.web.components.forms import field as input_field
from prm_app.web.components.forms import labelled
from prm_app.web.components.tables import data_table
from prm_app.web.state import AuthState


@dataclass(frozen=True)
class RoiCard:
    shown: bool = False
    facts: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    deals: list[tuple[str, str, str, str]] = field(default_factory=list)  # (id, customer, status, amount)
    note: str = ""


def roi_card(r: Roi) -> RoiCard:
    c = r.currency
    facts = [
        ("ROI", roi_words(r.roi)),
        ("Reimbursed", amount(r.reimbursed, c)),
        ("Attributed won revenue", amount(r.attributed_won, c)),
        ("Attributed pipeline", amount(r.attributed_pipeline, c)),
        ("Cost per lead", amount(r.cost_per_lead, c)),
        ("Leads", str(r.leads)),
    ]
    if r.reported:
        facts += [
            ("Opportunities (reported)", str(r.opportunities)),
            ("Pipeline (reported)", amount(r.reported_pipeline, c)),
            ("Won revenue (reported)", amount(r.reported_won, c)),
        ]
    note = f"{r.unconverted} linked deal(s) left out: no exchange rate for their day." if r.unconverted else ""
    deals = [(str(d.deal_id), d.customer, d.status.capitalize(), amount(d.amount, d.currency)) for d in r.deals]
    return RoiCard(True, facts, deals, note)


def roi_facts(card: rx.Var[RoiCard], unlink=None) -> rx.Component:
    """The figures as a definition grid, then the linked deals (with an Unlink button when `unlink` is given)."""

    def deal_row(d: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.row_header_cell(d[1]),
            rx.table.cell(d[2]),
            rx.table.cell(d[3], white_space="nowrap"),
            *(
                [
                    rx.table.cell(
                        rx.button("Unlink " + d[1], on_click=unlink(d[0]), variant="ghost", size="1", type="button")
                    )
                ]
                if unlink
                else []
            ),
        )

    return rx.vstack(
        rx.grid(
            rx.foreach(
                card.facts,
                lambda f: rx.box(rx.text(f[0], size="1", color_scheme="gray"), rx.text(f[1], weight="bold")),
            ),
            columns={"initial": "2", "sm": "3"},
            spacing="3",
            width="100%",
            role="group",
            aria_label="Return on the funds",
        ),
        rx.cond(card.note != "", rx.text(card.note, size="2")),
        rx.cond(
            card.deals.length() > 0,
            data_table(
                ["Linked deal", "Status", "Amount", *(["Action"] if unlink else [])],
                card.deals,
                deal_row,
                label="Linked deals",
            ),
        ),
        spacing="3",
        width="100%",
    )


class RequestRoiState(AuthState):
    """The partner's side: its request's return, its report of the results and the deals it links."""

    card: RoiCard = RoiCard()
    deal_options: list[tuple[str, str]] = []
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    _request_id: int = 0

    def _reload(self) -> None:
        try:
            r = self._run(my_request_roi, self._request_id)
        except NotFound:
            self.card, self.deal_options = RoiCard(), []
            return
        self.card = roi_card(r)
        self.deal_options = [(str(i), name) for i, name in self._run(linkable_deals, self._request_id)]
        self.values = {
            "leads": str(r.leads) if r.reported else "",
            "opportunities": str(r.opportunities) if r.reported else "",
            "pipeline": f"{r.reported_pipeline:f}" if r.reported else "",
            "won_revenue": f"{r.reported_won:f}" if r.reported else "",
        }

    @rx.event
    def load(self):
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.errors, self._request_id = {}, int(raw) if raw.isdigit() and len(raw) < 12 else 0
        self._reload()

    def _try(self, use_case, *args) -> bool:
        try:
            self._run(use_case, self._request_id, *args)
        except FormInvalid as exc:
            self.errors = exc.errors
            return False
        except DomainError as exc:
            if isinstance(exc, NotFound) and exc.message != "Deal not found.":
                raise
            self.errors = {exc.field or "roi": exc.message}
            return False
        self.errors = {}
        self._reload()
        return True

    @rx.event
    def report(self, form: dict):
        fields = {k: str(form.get(k, ""))[:30] for k in ("leads", "opportunities", "pipeline", "won_revenue")}
        self.values = fields
        if self._try(report_results, fields):
            return rx.toast.success("Results saved.")
        return None

    @rx.event
    def link(self, form: dict):
        raw = str(form.get("deal_id", "")) if isinstance(form, dict) else ""
        if not raw.isdigit() or len(raw) > 11:
            self.errors = {"deal_id": "Choose one of your deals."}
            return None
        if self._try(link_deal, int(raw)):
            return rx.toast.success("Deal linked to the activity.")
        return None

    @rx.event
    def unlink(self, deal_id: str):
        raw = str(deal_id)
        if raw.isdigit() and len(raw) < 12:
            self._try(unlink_deal, int(raw))


def partner_roi_section() -> rx.Component:
    s = RequestRoiState
    e = s.errors
    return rx.card(
        rx.vstack(
            rx.heading("Results and return", size="4", as_="h2"),
            roi_facts(s.card, s.unlink),
            rx.cond(
                e.get("roi", "") != "",
                rx.callout(e.get("roi", ""), icon="circle_alert", color_scheme="red", role="alert"),
            ),
            rx.form(
                rx.flex(
                    labelled(
                        e,
                        "Deal that came from this activity",
                        "deal_id",
                        rx.el.select(
                            rx.el.option("Choose one of your deals…", value=""),
                            rx.foreach(s.deal_options, lambda o: rx.el.option(o[1], value=o[0])),
                            id="field-deal_id",
                            name="deal_id",
                            class_name="native-select",
                        ),
                    ),
                    rx.button("Link deal", type="submit"),
                    spacing="3",
                    align="end",
                    direction={"initial": "column", "sm": "row"},
                    width="100%",
                ),
                on_submit=s.link,
                reset_on_submit=True,
                no_validate=True,
                aria_label="Link a deal",
            ),
            rx.form(
                rx.vstack(
                    rx.heading("Report the results", size="3", as_="h3"),
                    rx.flex(
                        input_field("Leads", "leads", e.get("leads", ""), default_value=s.values.get("leads", "")),
                        input_field(
                            "Opportunities",
                            "opportunities",
                            e.get("opportunities", ""),
                            default_value=s.values.get("opportunities", ""),
                        ),
                        spacing="3",
                        width="100%",
                        direction={"initial": "column", "sm": "row"},
                    ),
                    rx.flex(
                        input_field(
                            "Pipeline", "pipeline", e.get("pipeline", ""), default_value=s.values.get("pipeline", "")
                        ),
                        input_field(
                            "Won revenue",
                            "won_revenue",
                            e.get("won_revenue", ""),
                            default_value=s.values.get("won_revenue", ""),
                        ),
                        spacing="3",
                        width="100%",
                        direction={"initial": "column", "sm": "row"},
                    ),
                    rx.button("Save results", type="submit"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=s.report,
                reset_on_submit=False,
                no_validate=True,
                aria_label="Report the results",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
