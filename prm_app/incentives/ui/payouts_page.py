"""Payout batches for admins: make a batch of everything payable in a currency, approve it, mark it paid with the
bank's reference, download it for finance, record a payment the bank returned. A double click, a retry or a second
admin never pays twice (payouts.py says how); the page just says what happened."""

from __future__ import annotations

import secrets

import reflex as rx

from prm_app.identity import with_zone
from prm_app.incentives import approve_batch, batch_csv, create_batch, fail_payout, mark_batch_paid, payout_batches
from prm_app.incentives.rules import CURRENCIES
from prm_app.incentives.ui.display import BatchRow, PayoutLine, batch_row
from prm_app.incentives.ui.payout_currency_parts import PayoutCurrencyState, payout_currency_card
from prm_app.platform.errors import DomainError, NotFound, ValidationError
from prm_app.web.components.forms import field, select_field
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState


def _id(form: object, name: str) -> int | None:
    raw = str(form.get(name, "")) if isinstance(form, dict) else ""
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


class PayoutsState(AuthState):
    batches: list[BatchRow] = []
    errors: dict[str, str] = {}
    _batch_key: str = ""

    def _reload(self) -> None:
        rows, zone = self._run(with_zone, payout_batches)
        self.batches = [batch_row(b, zone) for b in rows]

    @rx.event
    def load(self):
        self.errors, self._batch_key = {}, secrets.token_urlsafe(16)
        self._reload()

    @rx.event
    def create(self, form: dict):
        try:
            self._run(create_batch, str(form.get("currency", ""))[:3], str(form.get("label", ""))[:80], self._batch_key)
        except ValidationError as exc:
            self.errors = {exc.field or "label": exc.message}
            return None
        self.errors, self._batch_key = {}, secrets.token_urlsafe(16)
        self._reload()
        return rx.toast.success("Batch created: approve it, then mark it paid.")

    def _act(self, fn, *args, done: str, again: str):
        try:
            moved = self._run(fn, *args)
        except ValidationError as exc:
            self.errors = {exc.field or "reference": exc.message}
            return None
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            return rx.toast.error(exc.message)
        self.errors = {}
        self._reload()
        return rx.toast.success(done) if moved else rx.toast.info(again)

    @rx.event
    def approve(self, batch_id: int):
        if isinstance(batch_id, int) and not isinstance(batch_id, bool):
            return self._act(approve_batch, batch_id, done="Batch approved.", again="This batch was already approved.")

    @rx.event
    def mark_paid(self, form: dict):
        # The ids come in the form (a hidden field): a form's submit handler inside rx.foreach cannot see the
        # item (Reflex 0.10 hoists it out of the loop), and they are looked up again anyway.
        batch_id = _id(form, "batch_id")
        if batch_id is not None:
            return self._act(
                mark_batch_paid,
                batch_id,
                str(form.get("reference", ""))[:80],
                done="Batch marked paid.",
                again="This batch was already paid; nothing was paid again.",
            )

    @rx.event
    def payment_failed(self, form: dict):
        payout_id = _id(form, "payout_id")
        if payout_id is not None:
            try:
                self._run(fail_payout, payout_id, str(form.get("reason", ""))[:500])
            except ValidationError as exc:
                return rx.toast.error(exc.message)
            self._reload()
            return rx.toast.success("Payment recorded as failed; its earnings are payable again.")

    @rx.event
    def download(self, batch_id: int):
        if isinstance(batch_id, int) and not isinstance(batch_id, bool):
            return rx.download(data=self._run(batch_csv, batch_id), filename=f"payout-batch-{batch_id}.csv")


def _payout(p: rx.Var[PayoutLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(p.partner),
        rx.table.cell(p.amount, white_space="nowrap"),
        rx.table.cell(p.status, rx.cond(p.reason != "", rx.text(p.reason, size="1", as_="p"))),
        rx.table.cell(
            rx.cond(
                p.status == "Paid",
                rx.form(
                    rx.flex(
                        rx.input(
                            name="reason",
                            placeholder="Why it failed",
                            aria_label="Why the payment to " + p.partner + " failed",
                            size="2",
                        ),
                        rx.button("Payment failed", type="submit", size="2", variant="soft", color_scheme="red"),
                        spacing="2",
                        wrap="wrap",
                    ),
                    rx.el.input(type="hidden", name="payout_id", value=p.id),
                    on_submit=PayoutsState.payment_failed,
                    reset_on_submit=True,
                ),
            )
        ),
    )


def _batch(b: rx.Var[BatchRow]) -> rx.Component:
    s = PayoutsState
    return rx.card(
        rx.flex(
            rx.heading(b.label, size="3", as_="h2"),
            rx.badge(b.status, variant="soft"),
            rx.text(b.total, " · created ", b.created, size="2"),
            rx.cond(b.reference != "", rx.text("Reference ", b.reference, size="2")),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        data_table(["Partner", "Amount", "Status", ""], b.payouts, _payout, label="Payouts of " + b.label),
        rx.flex(
            rx.cond(b.status_code == "draft", rx.button("Approve", on_click=s.approve(b.id))),
            rx.cond(
                b.status_code == "approved",
                rx.form(
                    rx.flex(
                        rx.box(
                            rx.el.label(
                                "Payment reference", html_for="reference-" + b.id.to_string(), class_name="field-label"
                            ),
                            rx.input(id="reference-" + b.id.to_string(), name="reference", size="2"),
                        ),
                        rx.button("Mark paid", type="submit", color_scheme="green"),
                        spacing="2",
                        align="end",
                        wrap="wrap",
                    ),
                    rx.el.input(type="hidden", name="batch_id", value=b.id),
                    on_submit=PayoutsState.mark_paid,
                    reset_on_submit=False,
                    no_validate=True,
                    aria_label="Mark " + b.label + " paid",
                ),
            ),
            rx.button("Download CSV", on_click=s.download(b.id), variant="soft", type="button"),
            spacing="3",
            align="end",
            wrap="wrap",
            margin_top="0.5rem",
        ),
        width="100%",
    )


@page(
    "/incentives/payouts",
    title="Payouts",
    audience=Audience.INTERNAL,
    on_load=[PayoutsState.load, PayoutCurrencyState.load],
)
def payouts_page() -> rx.Component:
    s, e = PayoutsState, PayoutsState.errors
    return rx.vstack(
        rx.card(
            rx.heading("New batch", size="4", as_="h2", margin_bottom="0.5rem"),
            rx.form(
                rx.flex(
                    select_field("Currency", "currency", [(c, c) for c in CURRENCIES], "USD", e.get("currency", "")),
                    field("Batch name", "label", e.get("label", "")),
                    rx.button("Create batch", type="submit"),
                    spacing="3",
                    align="end",
                    wrap="wrap",
                    width="100%",
                ),
                on_submit=s.create,
                reset_on_submit=False,
                no_validate=True,
                aria_label="New payout batch",
            ),
            rx.text(e.get("reference", ""), color=rx.color("red", 11), size="2", role="alert"),
            width="100%",
        ),
        rx.cond(s.batches.length() > 0, rx.foreach(s.batches, _batch), rx.text("No payout batches yet.", size="2")),
        payout_currency_card(),
        spacing="4",
        width="100%",
    )
