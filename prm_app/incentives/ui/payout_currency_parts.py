"""The payouts page's card for each partner's payout currency (admins): choose a partner and the currency it is
paid in, or each program's own. Earnings posted afterwards are converted into it at the rate of their day."""

from __future__ import annotations

import reflex as rx

from prm_app.incentives.payout_currency import payout_currencies, set_payout_currency
from prm_app.incentives.rules import CURRENCIES
from prm_app.platform.errors import FormInvalid, NotFound
from prm_app.web.components.forms import field_error, select_field
from prm_app.web.components.tables import data_table
from prm_app.web.state import AuthState


class PayoutCurrencyState(AuthState):
    partners: list[tuple[str, str]] = []  # (id, name)
    chosen: list[tuple[str, str]] = []  # (partner, currency) of the partners paid in a currency of their own
    errors: dict[str, str] = {}

    def _reload(self) -> None:
        rows = self._run(payout_currencies)
        self.partners = [(str(i), name) for i, name, _ in rows]
        self.chosen = [(name, currency) for _, name, currency in rows if currency]

    @rx.event
    def load(self):
        self.errors = {}
        self._reload()

    @rx.event
    def save(self, form: dict):
        raw = str(form.get("partner_id", "")) if isinstance(form, dict) else ""
        if not raw.isdigit() or len(raw) > 9:
            self.errors = {"partner_id": "Choose a partner."}
            return None
        try:
            currency = self._run(set_payout_currency, int(raw), str(form.get("payout_currency", ""))[:8])
        except NotFound:
            self.errors = {"partner_id": "Choose a partner."}
            return None
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        self.errors = {}
        self._reload()
        said = f"paid in {currency}" if currency else "paid in each program's own currency"
        return rx.toast.success(f"From now on the partner's earnings are {said}.")


def payout_currency_card() -> rx.Component:
    s, e = PayoutCurrencyState, PayoutCurrencyState.errors
    return rx.card(
        rx.heading("Payout currency per partner", size="4", as_="h2", margin_bottom="0.5rem"),
        rx.text(
            "Earnings posted from now on are converted into it at the stored rate of their day; the rate and its "
            "date stay on each line. Lines already posted keep their currency.",
            size="2",
            color_scheme="gray",
        ),
        rx.form(
            rx.flex(
                rx.box(
                    rx.el.label("Partner", html_for="field-partner_id", class_name="field-label"),
                    rx.el.select(
                        rx.el.option("Choose a partner", value=""),
                        rx.foreach(s.partners, lambda p: rx.el.option(p[1], value=p[0])),
                        id="field-partner_id",
                        name="partner_id",
                        class_name="native-select",
                    ),
                    field_error(e, "partner_id"),
                ),
                select_field(
                    "Payout currency",
                    "payout_currency",
                    [("", "Each program's own")] + [(c, c) for c in CURRENCIES],
                    "",
                    e.get("payout_currency", ""),
                ),
                rx.button("Save payout currency", type="submit"),
                spacing="3",
                align="end",
                wrap="wrap",
                width="100%",
            ),
            on_submit=s.save,
            reset_on_submit=False,
            no_validate=True,
            aria_label="Set a partner's payout currency",
            margin_top="0.5rem",
        ),
        rx.cond(
            s.chosen.length() > 0,
            data_table(
                ["Partner", "Paid in"],
                s.chosen,
                lambda r: rx.table.row(rx.table.row_header_cell(r[0]), rx.table.cell(r[1])),
                label="Partners paid in a currency of their own",
            ),
        ),
        width="100%",
    )
