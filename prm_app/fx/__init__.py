"""Currencies: dated exchange rates kept with their source, and the rate a business event took locked with it
(deal won, refund), so a closed period's numbers never move when a rate is added later. A currency without a rate
for the event's day refuses the event: "missing FX rate for KWD on 2028-03-31".

The area's public API: other areas import from here only. `rules.py` is the pure part (which rate a day takes,
cross rates, rounding into the corporate currency, the rates CSV)."""

from prm_app.fx.models import CorporateCurrency, FxLock
from prm_app.fx.queries import (
    LockView,
    QuarterRevenue,
    RatesPage,
    RateView,
    UsedRate,
    locked_deals,
    rates_page,
    revenue_by_quarter,
)
from prm_app.fx.rules import (
    CSV_COLUMNS,
    DEFAULT_CORPORATE,
    FX_LOOKBACK_DAYS,
    QUOTE,
    DatedRate,
    FxRateMissing,
    quarter_of,
    rate_on,
)
from prm_app.fx.service import (
    RATES_ADDED,
    Backfill,
    RatesRefused,
    add_rate,
    backfill_locks,
    corporate_currency,
    dated_rate,
    import_rates,
    lock_rate,
    rate_between,
    set_corporate_currency,
)

__all__ = [
    "CSV_COLUMNS",
    "DEFAULT_CORPORATE",
    "FX_LOOKBACK_DAYS",
    "QUOTE",
    "RATES_ADDED",
    "Backfill",
    "CorporateCurrency",
    "DatedRate",
    "FxLock",
    "FxRateMissing",
    "LockView",
    "QuarterRevenue",
    "RateView",
    "RatesPage",
    "RatesRefused",
    "UsedRate",
    "add_rate",
    "backfill_locks",
    "corporate_currency",
    "dated_rate",
    "import_rates",
    "lock_rate",
    "locked_deals",
    "quarter_of",
    "rate_between",
    "rate_on",
    "rates_page",
    "revenue_by_quarter",
    "set_corporate_currency",
]
