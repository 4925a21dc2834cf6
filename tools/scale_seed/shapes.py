"""The shapes of the scale data: how partners spread over tiers, types, regions and currencies, deal statuses
and actions, the words names are made of, and the random draws (instants, log-normal amounts, hours)."""

from __future__ import annotations

import numpy as np

from prm_app.partners import PartnerType

DAY = 86_400_000_000  # microseconds: every instant here is an int64 of microseconds since the epoch, -1 = NULL
HOUR = 3_600_000_000
TIERS = [("Registered", 0.50, 1.0), ("Silver", 0.30, 1.8), ("Gold", 0.15, 3.0), ("Platinum", 0.05, 5.0)]
TYPES = {PartnerType.RESELLER: 30, PartnerType.VAR: 15, PartnerType.MSP: 15, PartnerType.ISV: 7,
         PartnerType.SYSTEM_INTEGRATOR: 10, PartnerType.DISTRIBUTOR: 4, PartnerType.REFERRAL: 11,
         PartnerType.AFFILIATE: 8}  # fmt: skip
REGION_WEIGHTS = [0.40, 0.10, 0.32, 0.18]  # in REGIONS order: North America, Latin America, EMEA, APAC
COUNTRIES = [["US", "CA"], ["BR", "MX", "CL"], ["DE", "GB", "FR", "NL", "SE", "ZA"], ["AU", "JP", "IN", "SG"]]
CURRENCY_CODES = ["USD", "CAD", "BRL", "MXN", "EUR", "GBP", "CHF", "SEK", "ZAR", "AUD", "JPY", "INR"]
REGION_CURRENCIES = [{"USD": 0.9, "CAD": 0.1}, {"USD": 0.6, "BRL": 0.25, "MXN": 0.15},
                     {"EUR": 0.62, "GBP": 0.25, "CHF": 0.05, "SEK": 0.05, "ZAR": 0.03},
                     {"USD": 0.3, "AUD": 0.3, "JPY": 0.25, "INR": 0.15}]  # fmt: skip
USD_PER_UNIT = {
    "EUR": 1.08,
    "GBP": 1.27,
    "CAD": 0.73,
    "AUD": 0.66,
    "JPY": 0.0067,
    "INR": 0.012,
    "CHF": 1.13,
    "SEK": 0.095,
    "BRL": 0.20,
    "MXN": 0.058,
}  # fmt: skip  (no ZAR on purpose)
STATUSES = np.array(["draft", "submitted", "info_requested", "approved", "rejected", "withdrawn", "expired", "won",
                     "lost"])  # fmt: skip
DRAFT, SUBMITTED, INFO, APPROVED, REJECTED, WITHDRAWN, EXPIRED, WON, LOST = range(9)
# Deal history: action, the status it leads to, the engagement kind it counts as ("" = none).
DEAL_ACTIONS = [("created", "draft", ""), ("submitted", "submitted", "deal_registered"),
                ("info_requested", "info_requested", ""), ("approved", "approved", "deal_approved"),
                ("rejected", "rejected", "deal_rejected"), ("withdrawn", "withdrawn", "deal_withdrawn"),
                ("won", "won", "deal_won"), ("lost", "lost", "deal_lost"),
                ("expired", "expired", "deal_expired")]  # fmt: skip
LEAD_ACTIONS = np.array(["offered", "declined", "expired", "accepted", "contacted", "qualified", "disqualified",
                         "converted", "returned"])  # fmt: skip
KINDS = np.array(["login", *[k for _a, _s, k in DEAL_ACTIONS if k], "lead_accepted", "lead_converted"])
WORDS = (["North", "Blue", "Summit", "Bright", "Iron", "Silver", "Cedar", "Harbor", "Nova", "Apex", "Delta", "Prime"],
         ["Systems", "Networks", "Solutions", "Digital", "Partners", "Cloud", "Data", "Tech", "Group",
          "Labs"])  # fmt: skip


def _times(rng: np.random.Generator, n: int, start: int, end: int) -> np.ndarray:
    """`n` instants in [start, end): later days weigh up to twice as much, weekends a quarter, UTC daytime."""
    days = max(1, (end - start) // DAY)
    weekday = (start // DAY + np.arange(days) + 3) % 7  # 1970-01-01 was a Thursday
    w = (1 + np.arange(days) / days) * np.where(weekday >= 5, 0.25, 1.0)
    day = rng.choice(days, size=n, p=w / w.sum())
    tod = (np.clip(rng.normal(14.0, 3.5, n), 0, 23.99) * HOUR).astype(np.int64)
    return np.minimum(start + day * DAY + tod, end - 1)


def _lognormal(rng: np.random.Generator, median: float, sigma: float, n: int) -> np.ndarray:
    return np.exp(rng.normal(np.log(median), sigma, n))


def _hours(rng: np.random.Generator, median: float, sigma: float, n: int, lo: float, hi: float) -> np.ndarray:
    return (_lognormal(rng, median, sigma, n).clip(lo, hi) * HOUR).astype(np.int64)


def _deal_history(deals: dict, d_user: np.ndarray, d_manager: np.ndarray) -> dict:
    """The deal_event rows, in time order, from the deals' own dates: (deal, at, action code, user or -1)."""
    status = deals["status"]
    steps = [  # (action code in DEAL_ACTIONS, which deals, when, who)
        (0, status == DRAFT, deals["created"], d_user),
        (1, deals["submitted"] >= 0, deals["submitted"], d_user),
        (2, deals["info_at"] >= 0, deals["info_at"], d_manager),
        (3, (deals["decided"] >= 0) & (status != REJECTED), deals["decided"], d_manager),
        (4, status == REJECTED, deals["decided"], d_manager),
        (5, deals["withdrawn_at"] >= 0, deals["withdrawn_at"], d_user),
        (6, status == WON, deals["closed"], d_user),
        (7, status == LOST, deals["closed"], d_user),
        (8, deals["expired_at"] >= 0, deals["expired_at"], np.full(len(status), -1)),
    ]
    idx = [np.flatnonzero(mask) for _c, mask, _at, _who in steps]
    deal = np.concatenate(idx)
    at = np.concatenate([when[i] for i, (_c, _m, when, _w) in zip(idx, steps, strict=True)])
    action = np.concatenate([np.full(len(i), code) for i, (code, *_rest) in zip(idx, steps, strict=True)])
    user = np.concatenate([who[i] for i, (*_rest, who) in zip(idx, steps, strict=True)])
    order = np.argsort(at, kind="stable")
    return {"deal": deal[order], "at": at[order], "action": action[order], "user": user[order]}
