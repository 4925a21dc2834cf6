"""The state of the admins' FX rates page (rates_page.py): the corporate currency (set here), the dated rates with
their source (narrowed to a currency), one added by hand or many from a CSV (all or nothing: every bad line is
listed), the values locked when deals in another currency were won, and won revenue per quarter in the corporate
currency at those locked rates."""

from __future__ import annotations

from decimal import Decimal

import reflex as rx

from prm_app.deals import CURRENCIES
from prm_app.fx import (
    QUOTE,
    LockView,
    QuarterRevenue,
    RatesRefused,
    add_rate,
    import_rates,
    locked_deals,
    rates_page,
    revenue_by_quarter,
    set_corporate_currency,
)
from prm_app.platform.access import Permission
from prm_app.platform.errors import FormInvalid, ValidationError
from prm_app.platform.money import minor_units
from prm_app.web.format import plural
from prm_app.web.state import AuthState
from prm_app.web.uploads_http import allow_upload

CSV_MAX_BYTES = 256 * 1024
UPLOAD_ID = "fx_csv"


def coded(amount: Decimal, currency: str) -> str:
    """Decimal("10800"), "USD" → "USD 10,800.00" (the currency's own decimals: JPY none, KWD three)."""
    return f"{currency} {amount:,.{minor_units(currency)}f}"


def rate_text(rate: Decimal) -> str:
    return f"{rate.normalize():f}"


def lock_sentence(lock: LockView) -> str:
    """ "EUR 10,000.00 = USD 10,800.00 at 1.08 on 2026-03-27 (ECB)"."""
    source = f" ({lock.rate_source})" if lock.rate_source else ""
    return (
        f"{coded(lock.amount, lock.currency)} = {coded(lock.corporate_amount, lock.corporate_currency)} "
        f"at {rate_text(lock.rate)} on {lock.rate_date.isoformat()}{source}"
    )


def quarter_row(q: QuarterRevenue) -> dict[str, str]:
    rates = "; ".join(
        f"{u.currency} {rate_text(u.rate)} on {u.rate_date.isoformat()}" + (f" ({u.source})" if u.source else "")
        for u in q.rates[:6]
    )
    more = f"; and {len(q.rates) - 6} more" if len(q.rates) > 6 else ""
    return {
        "quarter": q.quarter,
        "won": coded(q.won, q.corporate_currency),
        "refunded": coded(q.refunded, q.corporate_currency),
        "net": coded(q.won + q.refunded, q.corporate_currency),
        "deals": f"{q.deals:,}",
        "rates": (rates + more) or f"All in {q.corporate_currency}",
    }


class FxRatesState(AuthState):
    corporate: str = ""
    corporate_choices: list[str] = []
    corporate_error: str = ""
    rates: list[dict[str, str]] = []
    currencies: list[str] = []
    choices: list[str] = []  # what a rate may be added for: the deals' currencies and any with rates
    currency: str = ""
    more: bool = False
    locks: list[dict[str, str]] = []
    quarters: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    form_key: int = 0
    problems: list[dict[str, str]] = []
    import_problem: str = ""
    importing: bool = False

    @rx.var
    def revenue_label(self) -> str:
        return f"Won revenue in {self.corporate} by quarter"

    def _reload(self) -> None:
        view = self._run(rates_page, self.currency)
        self.corporate = view.corporate
        self.rates = [
            {
                "currency": r.currency,
                "day": r.on_date.isoformat(),
                "rate": rate_text(r.rate),
                "source": r.source or "—",
                "by": r.entered_by or "—",
            }
            for r in view.rates
        ]
        self.currencies, self.more = view.currencies, view.more
        self.choices = sorted((set(CURRENCIES) | set(view.currencies)) - {QUOTE})
        self.corporate_choices = sorted(set(CURRENCIES) | set(view.currencies) | {QUOTE})
        self.locks = [
            {
                "deal": f"{lock.customer} ({lock.partner})",
                "won": lock.event_date.isoformat(),
                "value": lock_sentence(lock),
            }
            for lock in self._run(locked_deals, self.currency)
        ]
        self.quarters = [quarter_row(q) for q in self._run(revenue_by_quarter)]

    @rx.event
    def load(self):
        self.errors, self.problems, self.import_problem, self.currency = {}, [], "", ""
        self.corporate_error = ""
        self._reload()

    @rx.event
    def filter(self, form: dict):
        wanted = str(form.get("filter_currency", ""))[:3]
        self.currency = wanted if wanted in self.currencies else ""
        self._reload()

    @rx.event
    def set_corporate(self, form: dict):
        try:
            changed = self._run(set_corporate_currency, str(form.get("corporate_currency", ""))[:8])
        except FormInvalid as exc:
            self.corporate_error = exc.errors.get("corporate_currency", "")
            return None
        self.corporate_error = ""
        self._reload()
        if not changed:
            return rx.toast.info(f"{self.corporate} is the corporate currency already.")
        return rx.toast.success(f"Corporate currency: {self.corporate}. Events from now on lock into it.")

    @rx.event
    def add(self, form: dict):
        values = [str(form.get(k, ""))[:200] for k in ("currency", "on_date", "rate", "source")]
        try:
            added = self._run(add_rate, *values)
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        self.errors, self.form_key = {}, self.form_key + 1
        self._reload()
        return rx.toast.success("Rate added." if added else "That rate was there already.")

    @rx.event(background=True)
    async def import_csv(self, chunks: rx.UploadChunkIterator):
        """The file (at most CSV_MAX_BYTES, refused by the upload guard past that) is read in memory, then every
        rate of it is added, or none when a line is bad. The upload guard refused other senders already; a call
        over the event socket is checked here, before the body is read."""
        (await self._in_thread(self._actor)).require(Permission.MANAGE_INCENTIVES)
        async with self:
            self.importing, self.problems, self.import_problem = True, [], ""
        data, name = b"", ""
        async for chunk in chunks:
            if name and chunk.filename != name:
                async with self:
                    self.importing, self.import_problem = False, "Upload one CSV file at a time."
                return None
            name = chunk.filename
            data += chunk.data
            if len(data) > CSV_MAX_BYTES:
                async with self:
                    self.importing, self.import_problem = False, "The file is larger than 256 KB: split it."
                return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = ""
        if not name or not text.strip():
            async with self:
                self.importing, self.import_problem = False, "Choose a CSV file (UTF-8) with rates first."
            return None
        try:
            added = await self._run_in_thread(import_rates, text)
        except RatesRefused as refused:
            async with self:
                self.importing, self.import_problem = False, refused.message
                self.problems = [{"line": str(p.row), "message": p.message} for p in refused.problems]
            return None
        except ValidationError as exc:
            async with self:
                self.importing, self.import_problem = False, exc.message
            return None
        async with self:
            self.importing = False
            self._reload()
        return rx.toast.success(f"Imported {plural(added, 'rate')} from {name}.")


allow_upload(FxRatesState.import_csv, Permission.MANAGE_INCENTIVES, CSV_MAX_BYTES)
