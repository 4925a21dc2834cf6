"""The manager's corrections of a closed deal, on its review page: the partner's credit (sourced or influenced), the
customer's payments, refunds, and "lost after all" / "won after all". A correction that reverses money is checked
first (its reason is required), then a dialog names the consequence before anything happens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

import reflex as rx

from prm_app.deals import corrections
from prm_app.deals.corrections import CREDIT_LABELS, DealMoney, check_reason, deal_money
from prm_app.deals.models import Credit
from prm_app.deals.ui.deal_fields import native_select
from prm_app.identity import with_zone
from prm_app.platform.access import Permission
from prm_app.platform.errors import NotFound, ValidationError
from prm_app.web.components.confirm import confirm_dialog
from prm_app.web.components.forms import field_error, labelled
from prm_app.web.format import day, money
from prm_app.web.record import RecordActions
from prm_app.web.state import AuthState

CONSEQUENCES = {
    "refund": "The refund is recorded against the customer's payments, and every commission on this deal is reduced "
    "by the same share of its final amount. A commission already paid is taken back from the partner's next "
    "payout. The partner sees the reversal with your reason. This cannot be undone.",
    "lost": "The deal closes as lost and every commission on it is reversed. A commission already paid is taken back "
    "from the partner's next payout. The partner sees the reversal with your reason.",
    "won": "The deal is won again at its final amount and its commission accrues again, once.",
}


@dataclass(frozen=True)
class PaymentRow:
    id: int = 0
    day: str = ""
    what: str = ""  # "Payment" | "Refund: <reason>"
    amount: str = ""


@dataclass(frozen=True)
class MoneyCard:
    status: str = ""
    credit: str = "sourced"
    credit_label: str = ""
    final_amount: str = ""
    paid: str = ""
    refunded: str = ""
    can_be_won_again: bool = False


def money_card(m: DealMoney) -> MoneyCard:
    return MoneyCard(
        status=m.status,
        credit=m.credit,
        credit_label=CREDIT_LABELS[Credit(m.credit)],
        final_amount=money(m.final_amount, m.currency) if m.final_amount is not None else "",
        paid=money(m.paid, m.currency),
        refunded=money(m.refunded, m.currency),
        can_be_won_again=m.status == "lost" and m.final_amount is not None,
    )


def payment_row(p: corrections.PaymentLine, currency: str, zone: tzinfo) -> PaymentRow:
    what = "Payment" if p.kind == "payment" else f"Refund: {p.reason}"
    return PaymentRow(p.id, day(p.on_date, zone), what, money(p.amount, currency))


class DealMoneyState(RecordActions, AuthState):
    found: bool = False
    can_correct: bool = False
    card: MoneyCard = MoneyCard()
    payments: list[PaymentRow] = []
    errors: dict[str, str] = {}
    confirming: str = ""  # "refund" | "lost" | "won" while the dialog asks; "" otherwise
    _record_id: int = 0
    _pending: dict[str, str] = {}

    def _reload(self) -> None:
        self.can_correct = self._actor().can(Permission.DECIDE_DEALS)
        try:
            m, zone = self._run(with_zone, deal_money, self._record_id)
        except NotFound:
            self.found, self.card, self.payments = False, MoneyCard(), []
            return
        self.found, self.card = True, money_card(m)
        self.payments = [payment_row(p, m.currency, zone) for p in m.payments]

    @rx.event
    def load(self) -> None:
        self.confirming, self._pending = "", {}
        self._open_record()

    @rx.event
    def save_credit(self, form: dict[str, Any]) -> Any:
        return self._act(corrections.set_credit, self._record_id, str(form.get("credit", "")), success="Credit saved.")

    @rx.event
    def record_payment(self, form: dict[str, Any]) -> Any:
        return self._act(
            corrections.record_payment,
            self._record_id,
            str(form.get("payment_amount", "")),
            str(form.get("paid_on", "")),
            success="Payment recorded.",
        )

    def _ask(self, what: str, reason: str, field: str, **pending: str) -> None:
        try:
            reason = check_reason(reason, field)
        except ValidationError as exc:
            self.errors = {field: exc.message}
            return
        self.errors, self._pending, self.confirming = {}, {"reason": reason, **pending}, what

    @rx.event
    def refund(self, form: dict[str, Any]) -> None:
        """Check the reason, then ask (the dialog's button runs `confirm`)."""
        full = str(form.get("refund_scope", "")) == "full"
        amount = "" if full else str(form.get("refund_amount", ""))
        if not full and not amount.strip():
            self.errors = {"refund_amount": "Enter the amount refunded, or choose a full refund."}
            return
        self._ask(
            "refund", str(form.get("refund_reason", "")), "refund_reason", amount=amount, full="1" if full else ""
        )

    @rx.event
    def correct(self, form: dict[str, Any]) -> None:
        what = "won" if self.card.can_be_won_again else "lost"
        self._ask(what, str(form.get("correction_reason", "")), "correction_reason")

    @rx.event
    def set_confirming(self, is_open: bool) -> None:
        if not is_open:
            self.confirming = ""

    @rx.event
    def confirm(self) -> Any:
        what, pending = self.confirming, self._pending
        self.confirming, self._pending = "", {}
        reason = pending.get("reason", "")
        if what == "refund":
            full = bool(pending.get("full"))
            return self._act(
                corrections.refund_deal,
                self._record_id,
                pending.get("amount", ""),
                reason,
                full=full,
                success="Refund recorded; commissions reversed in proportion.",
            )
        if what in ("lost", "won"):
            fn = corrections.correct_to_lost if what == "lost" else corrections.correct_to_won
            return self._act(fn, self._record_id, reason, success=f"Deal corrected to {what}; commissions updated.")
        return None


def _labelled(label: str, name: str, control: rx.Component) -> rx.Component:
    return labelled(DealMoneyState.errors, label, name, control)


def _payment(row: rx.Var[PaymentRow]) -> rx.Component:
    return rx.el.li(rx.text(row.day, " · ", row.what, " · ", rx.text.strong(row.amount)))


def _credit_form() -> rx.Component:
    return rx.form(
        rx.heading("Partner credit", size="3", as_="h3"),
        native_select(
            DealMoneyState.errors,
            "Credit",
            "credit",
            [(c.value, label) for c, label in CREDIT_LABELS.items()],
            default=DealMoneyState.card.credit,
        ),
        rx.button("Save credit", type="submit", variant="soft", margin_top="0.5rem"),
        key=DealMoneyState.card.credit,
        on_submit=DealMoneyState.save_credit,
        no_validate=True,
        aria_label="Partner credit",
    )


def _won_forms() -> rx.Component:
    return rx.grid(
        rx.form(
            rx.heading("Customer payment", size="3", as_="h3"),
            _labelled("Amount paid", "payment_amount", rx.input(id="field-payment_amount", name="payment_amount")),
            _labelled("Paid on", "paid_on", rx.input(id="field-paid_on", name="paid_on", type="date")),
            rx.button("Record payment", type="submit", margin_top="0.5rem"),
            on_submit=DealMoneyState.record_payment,
            reset_on_submit=False,
            no_validate=True,
            aria_label="Record a customer payment",
        ),
        rx.form(
            rx.heading("Refund", size="3", as_="h3"),
            _labelled("Amount refunded", "refund_amount", rx.input(id="field-refund_amount", name="refund_amount")),
            rx.el.label(
                rx.el.input(type="checkbox", name="refund_scope", value="full", id="field-refund_scope"),
                " Refund everything the customer paid",
                html_for="field-refund_scope",
                display="flex",
                gap="0.5rem",
            ),
            _labelled(
                "Reason (shown to the partner)",
                "refund_reason",
                rx.text_area(id="field-refund_reason", name="refund_reason", rows="2"),
            ),
            rx.button("Refund…", type="submit", color_scheme="red", variant="soft", margin_top="0.5rem"),
            on_submit=DealMoneyState.refund,
            reset_on_submit=False,
            no_validate=True,
            aria_label="Refund the customer",
        ),
        _correction_form("Lost after all?", "Mark as lost…"),
        columns={"initial": "1", "md": "3"},
        spacing="5",
        width="100%",
    )


def _correction_form(heading: str, button: str) -> rx.Component:
    return rx.form(
        rx.heading(heading, size="3", as_="h3"),
        _labelled(
            "Reason (shown to the partner)",
            "correction_reason",
            rx.text_area(id="field-correction_reason", name="correction_reason", rows="2"),
        ),
        rx.button(button, type="submit", color_scheme="red" if "lost" in button else "green", margin_top="0.5rem"),
        on_submit=DealMoneyState.correct,
        reset_on_submit=False,
        no_validate=True,
        aria_label=heading,
    )


def deal_money_panel(then: Any) -> rx.Component:
    """The partner's credit on the deal and, once it is won or lost, its money and corrections; for those who
    decide deals (nothing otherwise). `then` runs after a confirmed correction: the page's own reload (its facts and
    history change too), handed in so this module needs nothing of the page."""
    s, c = DealMoneyState, DealMoneyState.card
    return rx.cond(
        s.found & s.can_correct,
        rx.card(
            rx.heading("Credit, money and corrections", size="4", as_="h2", margin_bottom="0.5rem"),
            field_error(s.errors, "action"),
            rx.text(
                "Credit: ",
                rx.text.strong(c.credit_label),
                rx.cond(
                    c.final_amount != "",
                    rx.text.span(
                        " · Final amount: ",
                        rx.text.strong(c.final_amount),
                        " · Paid: ",
                        rx.text.strong(c.paid),
                        " · Refunded: ",
                        rx.text.strong(c.refunded),
                    ),
                ),
                id="deal-money-facts",
            ),
            rx.cond(s.payments.length() > 0, rx.el.ul(rx.foreach(s.payments, _payment), padding_left="1.25rem")),
            rx.vstack(
                _credit_form(),
                rx.cond(c.status == "won", _won_forms()),
                rx.cond(c.can_be_won_again, _correction_form("Won after all?", "Mark as won again…")),
                spacing="4",
                width="100%",
                margin_top="0.75rem",
            ),
            confirm_dialog(
                open=s.confirming != "",
                on_open_change=DealMoneyState.set_confirming,
                title="Confirm the correction",
                consequence=rx.match(s.confirming, *[(k, v) for k, v in CONSEQUENCES.items()], ""),
                on_confirm=[DealMoneyState.confirm, then],
                confirm_label="Confirm",
            ),
            width="100%",
        ),
    )
