"""The managers' Incentives page: the MDF requests and claims waiting for them (their book), and for admins the
commission plans with their rules (set a rule: it applies from now, history keeps the old one) and the earnings a
missing rate holds. Exchange rates are entered in one place, the FX rates page (with their source and author), linked
from here; MDF budgets and payouts have their own pages too."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import reflex as rx

from prm_app.identity import with_zone
from prm_app.incentives import create_program, review_queue, set_commission_rule
from prm_app.incentives.program_queries import programs_overview
from prm_app.incentives.rules import CAP_PERIODS, CREDITS, CURRENCIES, EVENTS
from prm_app.incentives.ui.display import RequestRow, amount, request_row
from prm_app.incentives.ui.parts import request_card
from prm_app.partners import PARTNER_TYPE_LABELS
from prm_app.platform.access import Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import FormInvalid
from prm_app.web.components.forms import field, field_error, select_field
from prm_app.web.components.link_button import link_button
from prm_app.web.format import moment
from prm_app.web.registry import Audience, Nav, page
from prm_app.web.state import AuthState


@dataclass(frozen=True)
class RuleLine:
    words: str = ""
    period: str = ""
    current: bool = False


@dataclass(frozen=True)
class ProgramCard:
    id: int = 0
    name: str = ""
    terms: str = ""
    rules: list[RuleLine] = dataclasses.field(default_factory=list)


class IncentivesConsoleState(AuthState):
    can_manage: bool = False
    queue: list[RequestRow] = []
    programs: list[ProgramCard] = []
    tiers: list[tuple[str, str]] = []
    products: list[tuple[str, str]] = []
    held: list[tuple[str, str]] = []
    errors: dict[str, str] = {}
    form_key: int = 0

    def _reload(self) -> None:
        today = utcnow().date()
        self.queue = [request_row(r, today) for r in self._run(review_queue)]
        self.can_manage = self._actor().can(Permission.MANAGE_INCENTIVES)
        if not self.can_manage:
            return
        view, zone = self._run(with_zone, programs_overview)
        self.programs = [
            ProgramCard(
                p.id,
                p.name,
                f"Paid in {p.currency} after a {p.holding_days}-day hold; minimum payout "
                f"{amount(p.min_payout, p.currency)}",
                [
                    RuleLine(
                        r.words,
                        f"from {moment(r.effective_from, zone)}"
                        + (f" to {moment(r.effective_to, zone)}" if r.effective_to else ""),
                        r.effective_to is None,
                    )
                    for r in p.rules
                ],
            )
            for p in view.programs
        ]
        self.tiers, self.products = view.tiers, view.products
        self.held = [(h.organization, h.problem) for h in view.held]

    @rx.event
    def load(self):
        self.errors = {}
        self._reload()

    @rx.event
    def set_rule(self, form: dict):
        raw = str(form.get("program_id", ""))
        if not raw.isdigit():
            self.errors = {"program_id": "Choose a plan."}
            return None
        fields = {k: str(v)[:40] for k, v in form.items() if isinstance(v, str)}
        try:
            self._run(set_commission_rule, int(raw), fields)
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        self.errors, self.form_key = {}, self.form_key + 1
        self._reload()
        return rx.toast.success("Rule in force from now; earlier events keep their rule.")

    @rx.event
    def new_program(self, form: dict):
        try:
            self._run(
                create_program,
                *(
                    str(form.get(k, ""))[:120]
                    for k in ("program_name", "program_currency", "holding_days", "min_payout")
                ),
            )
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        self.errors, self.form_key = {}, self.form_key + 1
        self._reload()
        return rx.toast.success("Plan created: now set its rules.")


def _rule_form() -> rx.Component:
    s = IncentivesConsoleState
    e = s.errors
    opts = [("", "Any")]
    return rx.form(
        rx.vstack(
            rx.box(
                rx.el.label("Plan", html_for="field-program_id", class_name="field-label"),
                rx.el.select(
                    rx.foreach(s.programs, lambda p: rx.el.option(p.name, value=p.id.to_string())),
                    id="field-program_id",
                    name="program_id",
                    class_name="native-select",
                ),
                field_error(e, "program_id"),
                width="100%",
            ),
            rx.flex(
                select_field("Event", "event", list(EVENTS.items()), "deal_won", e.get("event", "")),
                rx.box(
                    rx.el.label("Tier", html_for="field-tier_id", class_name="field-label"),
                    rx.el.select(
                        rx.el.option("Any tier", value=""),
                        rx.foreach(s.tiers, lambda t: rx.el.option(t[1], value=t[0])),
                        id="field-tier_id",
                        name="tier_id",
                        class_name="native-select",
                    ),
                    field_error(e, "tier_id"),
                    width="100%",
                ),
                select_field(
                    "Partner type",
                    "partner_type",
                    opts + [(k.value, v) for k, v in PARTNER_TYPE_LABELS.items()],
                    "",
                    e.get("partner_type", ""),
                ),
                rx.box(
                    rx.el.label("Product", html_for="field-product_id", class_name="field-label"),
                    rx.el.select(
                        rx.el.option("Any product", value=""),
                        rx.foreach(s.products, lambda p: rx.el.option(p[1], value=p[0])),
                        id="field-product_id",
                        name="product_id",
                        class_name="native-select",
                    ),
                    field_error(e, "product_id"),
                    width="100%",
                ),
                select_field(
                    "Partner credit",
                    "credit",
                    [(k, v.capitalize()) for k, v in CREDITS.items()],
                    "",
                    e.get("credit", ""),
                ),
                spacing="3",
                width="100%",
                direction={"initial": "column", "sm": "row"},
            ),
            rx.flex(
                select_field(
                    "Calculation",
                    "calc",
                    [("percent", "Percent of the deal"), ("flat", "Flat amount")],
                    "percent",
                    e.get("calc", ""),
                ),
                field("Rate (% or amount)", "rate", e.get("rate", "")),
                spacing="3",
                width="100%",
                direction={"initial": "column", "sm": "row"},
            ),
            rx.flex(
                field("Step down after (months)", "step_months", e.get("step_months", ""), required=False),
                field("Then rate", "then_rate", e.get("then_rate", ""), required=False),
                field("Stop after (months)", "max_months", e.get("max_months", ""), required=False),
                spacing="3",
                width="100%",
                direction={"initial": "column", "sm": "row"},
            ),
            rx.flex(
                field("Cap amount", "cap_amount", e.get("cap_amount", ""), required=False),
                select_field("Cap period", "cap_period", list(CAP_PERIODS.items()), "", e.get("cap_period", "")),
                spacing="3",
                width="100%",
                direction={"initial": "column", "sm": "row"},
            ),
            rx.button("Put rule in force", type="submit"),
            spacing="3",
            width="100%",
        ),
        key=s.form_key,
        on_submit=s.set_rule,
        reset_on_submit=False,
        no_validate=True,
        aria_label="Set a commission rule",
    )


def _program_form() -> rx.Component:
    e = IncentivesConsoleState.errors
    return rx.form(
        rx.flex(
            field("Plan name", "program_name", e.get("program_name", "")),
            select_field(
                "Currency", "program_currency", [(c, c) for c in CURRENCIES], "USD", e.get("program_currency", "")
            ),
            field("Holding period (days)", "holding_days", e.get("holding_days", ""), default_value="30"),
            field("Minimum payout", "min_payout", e.get("min_payout", ""), default_value="100"),
            rx.button("Create plan", type="submit"),
            spacing="3",
            align="end",
            wrap="wrap",
            width="100%",
        ),
        key=IncentivesConsoleState.form_key,
        on_submit=IncentivesConsoleState.new_program,
        reset_on_submit=False,
        no_validate=True,
        aria_label="New commission plan",
    )


def _program(p: rx.Var[ProgramCard]) -> rx.Component:
    return rx.card(
        rx.heading(p.name, size="3", as_="h3"),
        rx.text(p.terms, size="2", color_scheme="gray"),
        rx.el.ul(
            rx.foreach(
                p.rules,
                lambda r: rx.el.li(
                    rx.text(r.words, weight=rx.cond(r.current, "medium", "regular"), as_="span"),
                    rx.text(" — ", r.period, size="1", color_scheme="gray", as_="span"),
                ),
            ),
            padding_left="1.25rem",
        ),
        width="100%",
    )


@page(
    "/incentives",
    title="Incentives",
    audience=Audience.INTERNAL,
    on_load=IncentivesConsoleState.load,
    nav=Nav("Incentives", "coins", 48, Permission.REVIEW_FUNDS),
)
def incentives_console_page() -> rx.Component:
    s = IncentivesConsoleState
    return rx.vstack(
        rx.cond(
            s.can_manage,
            rx.flex(
                link_button("MDF budgets", "/incentives/funds", variant="soft"),
                link_button("Payouts", "/incentives/payouts", variant="soft"),
                link_button("Rebates and SPIFFs", "/incentives/rebates", variant="soft"),
                link_button("FX revaluation", "/incentives/revaluation", variant="soft"),
                spacing="3",
                wrap="wrap",
            ),
        ),
        rx.heading("MDF requests and claims", size="5", as_="h2"),
        rx.cond(
            s.queue.length() > 0,
            rx.vstack(rx.foreach(s.queue, lambda r: request_card(r, "/incentives/requests/")), width="100%"),
            rx.text("Nothing is waiting for you.", size="2"),
        ),
        rx.cond(
            s.can_manage,
            rx.vstack(
                rx.heading("Commission plans", size="5", as_="h2", margin_top="1rem"),
                rx.foreach(s.programs, _program),
                rx.card(
                    rx.heading("Set a rule", size="4", as_="h3", margin_bottom="0.5rem"), _rule_form(), width="100%"
                ),
                rx.card(
                    rx.heading("New plan", size="4", as_="h3", margin_bottom="0.5rem"), _program_form(), width="100%"
                ),
                rx.heading("Exchange rates", size="5", as_="h2", margin_top="1rem"),
                rx.cond(
                    s.held.length() > 0,
                    rx.callout(
                        rx.foreach(s.held, lambda h: rx.text(h[0], ": ", h[1], as_="p")),
                        icon="triangle_alert",
                        color_scheme="amber",
                        width="100%",
                    ),
                ),
                rx.text(
                    "Rates are entered on the FX rates page, with their source; earnings a missing rate held post "
                    "as soon as it is added.",
                    size="2",
                ),
                link_button("Enter exchange rates", "/settings/fx-rates", variant="soft"),
                spacing="3",
                width="100%",
            ),
        ),
        spacing="3",
        width="100%",
    )
