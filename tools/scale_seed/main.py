"""Scale data for the dashboards: thousands of partners, a million deal registrations, leads with their history and
millions of engagement events, bulk-inserted into an empty, migrated database.

Run (after `alembic upgrade head` on an EMPTY database):
    python -m tools.scale_seed.main --partners 5000 --deals 1000000 --leads 200000 --events 5000000 [--db URL]
    python -m tools.scale_seed.main --scale 0.1          # a tenth of those sizes, for development

The database is REFLEX_DB_URL (or --db). Everything is drawn from a seeded numpy generator: the same flags and
`--now` give the same rows. SQLite is written through a plain sqlite3 connection (no journal while loading, each
table's indexes dropped and rebuilt once after it is filled); PostgreSQL through psycopg COPY, likewise, then
VACUUM ANALYZE (see tools.scale_seed.writers). About a minute for the full sizes on either, with 2 cores.

What it looks like: partners over types, tiers (half Registered, few Platinum), regions and channel managers, with a
lognormal activity level and a dormant 15% that stopped logging in; deal registrations over two years (growing,
quieter at weekends), lognormal values in the currencies of the partner's region (3% of EMEA deals in ZAR, which has
no exchange rate, so the dashboards' `missing_rate_deals` has something to count), decided after a lognormal review
time, then won, lost or expired at the end of protection; leads offered, some declined or let expire and recycled,
accepted, worked, a fifth converted to deals; engagement events for every deal and lead action above, plus logins
making up the requested total. Nobody can sign in as a generated user (the password hash is not a real one).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

import numpy as np
from sqlalchemy.engine import make_url

from prm_app.deals import DEAL_STAGES
from prm_app.partners import REGIONS
from prm_app.platform.settings import settings
from tools.scale_seed.shapes import (
    APPROVED,
    COUNTRIES,
    CURRENCY_CODES,
    DAY,
    DEAL_ACTIONS,
    DRAFT,
    EXPIRED,
    HOUR,
    INFO,
    KINDS,
    LEAD_ACTIONS,
    LOST,
    REGION_CURRENCIES,
    REGION_WEIGHTS,
    REJECTED,
    STATUSES,
    SUBMITTED,
    TIERS,
    TYPES,
    USD_PER_UNIT,
    WITHDRAWN,
    WON,
    WORDS,
    _deal_history,
    _hours,
    _lognormal,
    _times,
)
from tools.scale_seed.writers import PostgresWriter, Progress, SqliteWriter, dates, load, nullable


def _deals(rng: np.random.Generator, n: int, org_p: np.ndarray, p_region: np.ndarray, now: int, start: int) -> dict:
    """Registrations with a believable life: submitted, reviewed, then won/lost before protection ends, or expired."""
    org = rng.choice(len(org_p), n, p=org_p)
    submitted = _times(rng, n, start, now)
    created = submitted - (rng.random(n) * 2 * HOUR).astype(np.int64)
    draft = rng.random(n) < 0.02
    created[draft] = _times(rng, int(draft.sum()), now - 60 * DAY, now)
    submitted[draft] = -1
    decided = submitted + _hours(rng, 26, 1.1, n, 0.05, 600)
    u = rng.random(n)
    withdrawn = ~draft & (u < 0.03) & (decided < now)
    # Most are decided within days; a few wait for weeks (the ageing chart's long tail).
    stale = (rng.random(n) < 0.03) & (submitted > now - 45 * DAY)
    pending = ~draft & ~withdrawn & ((decided >= now) | stale)
    rejected = ~draft & ~withdrawn & ~pending & (u < 0.13)
    approved = ~draft & ~withdrawn & ~pending & ~rejected
    status = np.full(n, APPROVED)
    status[draft], status[withdrawn], status[rejected] = DRAFT, WITHDRAWN, REJECTED
    status[pending] = np.where(rng.random(int(pending.sum())) < 0.25, INFO, SUBMITTED)
    close_days = _lognormal(rng, 45, 0.6, n)
    outcome = rng.random(n)
    closed = decided + (close_days * DAY).astype(np.int64)
    expires = decided + 90 * DAY
    closes = approved & (outcome < 0.8) & (close_days <= 90) & (closed < now)
    status[closes] = np.where(outcome[closes] < 0.45, WON, LOST)
    status[approved & ~closes & ((outcome >= 0.8) | (close_days > 90)) & (expires < now)] = EXPIRED
    closed = np.where(closes, closed, -1)
    value = np.round(_lognormal(rng, 20_000, 1.1, n).clip(500, 5_000_000), -2)
    currency = np.empty(n, np.int64)
    for r, mix in enumerate(REGION_CURRENCIES):
        here = p_region[org] == r
        codes = [CURRENCY_CODES.index(c) for c in mix]
        currency[here] = rng.choice(codes, int(here.sum()), p=list(mix.values()))
    final = np.where(status == WON, np.round(value * rng.uniform(0.7, 1.15, n), 2), -1.0)
    stage = np.where(closes, rng.integers(3, 5, n), rng.choice(5, n, p=[0.3, 0.25, 0.2, 0.15, 0.1]))
    return {
        "org": org, "status": status, "created": created, "submitted": submitted, "value": value,
        "decided": np.where(approved | rejected, decided, -1), "closed": closed, "final": final,
        "withdrawn_at": np.where(withdrawn, submitted + (decided - submitted) // 2, -1),
        "info_at": np.where(status == INFO, submitted + (now - submitted) // 2, -1),
        "expired_at": np.where(status == EXPIRED, expires, -1), "currency": currency, "stage": stage,
        "expected_close": np.maximum(submitted, created) + rng.integers(14, 180, n) * DAY,
        "customer": rng.integers(0, max(1, n // 3), n),
    }  # fmt: skip


def _leads(rng: np.random.Generator, n: int, deals: dict, org_p: np.ndarray, now: int, start: int) -> dict:
    """Leads and their history. The first fifth were converted into existing deals of the partner that accepted
    them (their dates are set back from the deal's); the rest arrive over two years and meet one of these fates:
    accepted and worked (72%), recycled until nobody is left and back in the queue (12%), still in the queue (10%),
    proposed (6%). Any lead may first have been declined (70%) or left to expire (30%) by one or two partners."""
    n_partners = len(org_p)
    eligible = np.flatnonzero(deals["submitted"] >= start + 40 * DAY)
    n_conv = min(n // 5, len(eligible))
    conv = np.sort(rng.choice(eligible, n_conv, replace=False))
    partner = rng.choice(n_partners, n, p=org_p)
    partner[:n_conv] = deals["org"][conv]
    deal = np.full(n, -1)
    deal[:n_conv] = conv
    fate = rng.choice(4, n, p=[0.72, 0.12, 0.10, 0.06])
    fate[:n_conv] = 0
    recycles = rng.choice(3, n, p=[0.75, 0.18, 0.07])
    recycles[fate == 1] = np.maximum(recycles[fate == 1], 1)
    recycles[fate >= 2] = 0
    expired = rng.random((2, n)) < 0.3
    waits = np.where(expired, 48 * HOUR, _hours(rng, 8, 1.0, 2 * n, 0.2, 47).reshape(2, n))
    waits[0][recycles < 1] = 0
    waits[1][recycles < 2] = 0
    routed = _hours(rng, 4, 1.0, n, 0.1, 72)
    response = _hours(rng, 5, 1.0, n, 0.05, 47.5)
    converted_at = np.full(n, -1)
    converted_at[:n_conv] = deals["created"][conv]
    accepted = np.empty(n, np.int64)
    accepted[:n_conv] = (
        converted_at[:n_conv] - rng.integers(1, 20, n_conv) * DAY - (rng.random(n_conv) * DAY).astype(np.int64)
    )
    created = np.empty(n, np.int64)
    created[:n_conv] = accepted[:n_conv] - response[:n_conv] - waits[:, :n_conv].sum(0) - routed[:n_conv]
    created[n_conv:] = _times(rng, n - n_conv, start, now)
    created[fate >= 2] = now - rng.integers(1, 14 * DAY, int((fate >= 2).sum()))  # queues hold recent leads
    offers = np.stack([created + routed, created + routed + waits[0]])  # the recycled offers, if any
    offered = created + routed + waits.sum(0)
    accepted[n_conv:] = (offered + response)[n_conv:]
    status = np.full(n, "new", dtype=object)
    status[fate == 3] = "proposed"
    work = fate == 0
    status[work & (offered < now)] = "offered"
    took = work & (accepted < now)
    step = rng.choice(np.array(["accepted", "contacted", "qualified", "disqualified"]), n, p=[0.2, 0.3, 0.2, 0.3])
    step_at = accepted + _hours(rng, 30, 1.0, n, 2, 400)
    stepped = took & (step != "accepted") & (step_at < now)
    status[took] = "accepted"
    status[stepped] = step[stepped]
    status[:n_conv] = "converted"
    stepped[:n_conv] = False
    # lead_event rows: (lead, at, action code in LEAD_ACTIONS, partner or -1).
    prev = rng.integers(0, n_partners, (2, n))
    ev = []
    for k in (0, 1):
        i = np.flatnonzero(recycles > k)
        ev.append((i, offers[k][i], 0, prev[k][i]))
        ev.append((i, offers[k][i] + waits[k][i], np.where(expired[k][i], 2, 1), prev[k][i]))
    back = np.flatnonzero(fate == 1)
    ev.append((back, offered[back], 8, np.full(len(back), -1)))
    shown = np.flatnonzero(work & (offered < now))
    ev.append((shown, offered[shown], 0, partner[shown]))
    i = np.flatnonzero(took)
    ev.append((i, accepted[i], 3, partner[i]))
    i = np.flatnonzero(stepped)
    ev.append((i, step_at[i], np.select([step[i] == "contacted", step[i] == "qualified"], [4, 5], 6), partner[i]))
    i = np.arange(n_conv)
    ev.append((i, converted_at[i], 7, partner[i]))
    lead, at, action, by = (
        np.concatenate([np.broadcast_to(np.asarray(e[j]), e[0].shape) for e in ev]) for j in range(4)
    )
    order = np.argsort(at, kind="stable")
    order = order[at[order] < now]  # a lead routed "later" than now has no history yet
    owner = np.where((status == "new"), -1, partner)
    return {
        "n": n, "status": status, "partner": owner, "created": created, "deal": deal, "recycles": recycles,
        "offered": np.where((status == "new") | (fate == 3), -1, offered), "accepted": np.where(took, accepted, -1),
        "converted_at": converted_at,
        "events": {"lead": lead[order], "at": at[order], "action": action[order], "partner": by[order]},
    }  # fmt: skip


def _logins(rng: np.random.Generator, n: int, org_p: np.ndarray, last_active: np.ndarray, now: int, start: int):
    """Logins by activity; a dormant partner's fall before its last active day (its times are squeezed into it)."""
    org = rng.choice(len(org_p), n, p=org_p)
    at = _times(rng, n, start, now)
    return org, start + ((at - start) * ((last_active[org] - start) / (now - start))).astype(np.int64)


def world(rng: np.random.Generator, args: argparse.Namespace, now: int, ts: Callable) -> dict[str, tuple[dict, int]]:
    """Every table to write, in order, as (columns, row count)."""
    start = now - 730 * DAY
    n_p, n_d, n_l = args.partners, args.deals, args.leads
    n_mgr = max(len(REGIONS), n_p // 100)
    fake_hash = "!scale-data: no password signs in here"
    long_ago = ts(np.array([start - 400 * DAY]))[0]
    out: dict[str, tuple[dict, int]] = {}
    out["tier"] = ({"id": [1, 2, 3, 4], "name": [t[0] for t in TIERS], "rank": [0, 1, 2, 3], "benefits": ""}, 4)
    mgr_region = np.arange(n_mgr) % len(REGIONS)
    internal = n_mgr + 2
    out["app_user"] = ({
        "id": list(range(1, internal + 1)),
        "email": [f"cm{i + 1}@vendor.scale.example" for i in range(n_mgr)] + ["exec@vendor.scale.example",
                                                                              "admin@vendor.scale.example"],
        "full_name": [f"Manager {i + 1} ({REGIONS[r]})" for i, r in enumerate(mgr_region)]
        + ["Scale Exec", "Scale Admin"],
        "title": "", "password_hash": fake_hash, "role": ["channel_manager"] * n_mgr + ["exec", "admin"],
        "organization_id": None, "is_active": True, "created_at": long_ago, "time_zone": "",
    }, internal)  # fmt: skip
    months = np.arange(np.datetime64(args.now, "M") - 26, np.datetime64(args.now, "M") + 1)
    rates = [("USD", f"{months[0]}-01", 1.0)]
    for code, base in USD_PER_UNIT.items():
        walk = base * np.exp(np.cumsum(rng.normal(0, 0.015, len(months))))
        rates += [(code, f"{m}-01", round(float(r), 8)) for m, r in zip(months, walk, strict=True)]
    codes, days, values = (list(c) for c in zip(*rates, strict=True))
    out["exchange_rate"] = (
        {"id": list(range(1, len(rates) + 1)), "currency": codes, "as_of": days, "usd_per_unit": values},
        len(rates),
    )

    types = list(TYPES)
    p_type = rng.choice(len(types), n_p, p=np.array(list(TYPES.values())) / sum(TYPES.values()))
    p_tier = rng.choice(4, n_p, p=[t[1] for t in TIERS])
    p_region = rng.choice(4, n_p, p=REGION_WEIGHTS)
    p_country = [COUNTRIES[r][k % len(COUNTRIES[r])] for r, k in zip(p_region, rng.integers(0, 60, n_p), strict=True)]
    per_region = np.array([len(range(r, n_mgr, len(REGIONS))) for r in range(len(REGIONS))])  # managers by region
    p_manager = 1 + p_region + len(REGIONS) * (rng.random(n_p) * per_region[p_region]).astype(np.int64)
    activity = _lognormal(rng, 1.0, 0.9, n_p) * np.array([t[2] for t in TIERS])[p_tier]
    dormant = rng.random(n_p) < 0.15
    activity[dormant] *= 0.05
    org_p = activity / activity.sum()
    last_active = np.where(dormant, now - rng.integers(30, 400, n_p) * DAY, now)
    names = [f"{WORDS[0][i % 12]} {WORDS[1][(i // 12) % 10]} {i + 1:05d}" for i in range(n_p)]
    out["organization"] = ({
        "id": np.arange(1, n_p + 1), "name": names, "name_lower": [x.lower() for x in names],
        "partner_type": [types[t].value for t in p_type], "tier_id": p_tier + 1,
        "region": [REGIONS[r] for r in p_region], "country": p_country, "city": "", "website": "",
        "channel_manager_id": p_manager, "parent_id": None, "joined_at": ts(start - rng.integers(0, 900, n_p) * DAY),
    }, n_p)  # fmt: skip
    per_org = 1 + rng.poisson(2.0, n_p)  # one partner admin and some partner users
    u_org = np.repeat(np.arange(n_p), per_org)
    u_first = internal + 1 + np.concatenate([[0], np.cumsum(per_org)[:-1]])
    role = np.full(len(u_org), "partner_user", dtype=object)
    role[u_first - internal - 1] = "partner_admin"
    out["app_user "] = ({  # the trailing space keeps the key apart; load() strips it
        "id": np.arange(internal + 1, internal + len(u_org) + 1),
        "email": lambda s: [f"user{i + internal + 1}@scale.example" for i in range(s.start, s.stop)],
        "full_name": lambda s: [f"Partner Person {i + 1}" for i in range(s.start, s.stop)], "title": "",
        "password_hash": fake_hash, "role": role.astype(str), "organization_id": u_org + 1, "is_active": True,
        "created_at": long_ago, "time_zone": "",
    }, len(u_org))  # fmt: skip

    def user_of(org: np.ndarray) -> np.ndarray:
        return u_first[org] + (rng.random(len(org)) * per_org[org]).astype(np.int64)

    d = _deals(rng, n_d, org_p, p_region, now, start)
    d_user, d_manager = user_of(d["org"]), p_manager[d["org"]]
    out["deal"] = ({
        "id": np.arange(1, n_d + 1), "organization_id": d["org"] + 1, "created_by_id": d_user,
        "status": lambda s: STATUSES[d["status"][s]].tolist(),
        "customer_name": lambda s: [f"Customer {k}" for k in d["customer"][s].tolist()],
        "name_norm": lambda s: [f"customer {k}" for k in d["customer"][s].tolist()], "customer_site": "",
        "domain": lambda s: [f"customer{k}.example" for k in d["customer"][s].tolist()],
        "country": lambda s: [p_country[o] for o in d["org"][s].tolist()], "contact_name": "Buyer",
        "contact_email": lambda s: [f"buyer@customer{k}.example" for k in d["customer"][s].tolist()],
        "estimated_value": d["value"], "currency": lambda s: [CURRENCY_CODES[c] for c in d["currency"][s].tolist()],
        "expected_close": lambda s: dates(d["expected_close"][s]),
        "stage": lambda s: [DEAL_STAGES[k] for k in d["stage"][s].tolist()], "description": "",
        "created_at": lambda s: ts(d["created"][s]), "submitted_at": lambda s: ts(d["submitted"][s]),
        "decided_at": lambda s: ts(d["decided"][s]),
        "decided_by_id": lambda s: nullable(np.where(d["decided"][s] >= 0, d_manager[s], -1)),
        "protection_ends_at": lambda s: ts(np.where(d["decided"][s] >= 0, d["decided"][s] + 90 * DAY, -1)),
        "decision_note": "", "final_amount": lambda s: nullable(d["final"][s]),
        "closed_at": lambda s: ts(d["closed"][s]),
    }, n_d)  # fmt: skip
    h = _deal_history(d, d_user, d_manager)
    actions, to_status = np.array([a[0] for a in DEAL_ACTIONS]), np.array([a[1] for a in DEAL_ACTIONS])
    out["deal_event"] = ({
        "id": np.arange(1, len(h["deal"]) + 1), "deal_id": h["deal"] + 1, "at": lambda s: ts(h["at"][s]),
        "actor_user_id": lambda s: nullable(h["user"][s]), "action": lambda s: actions[h["action"][s]].tolist(),
        "from_status": "", "to_status": lambda s: to_status[h["action"][s]].tolist(), "note": "",
    }, len(h["deal"]))  # fmt: skip

    le = _leads(rng, n_l, d, org_p, now, start)
    queue = np.where(le["partner"] >= 0, p_region[np.maximum(le["partner"], 0)], rng.integers(0, 4, n_l)) + 1
    out["lead_queue"] = ({"id": [1, 2, 3, 4], "name": list(REGIONS), "countries": ""}, 4)
    out["lead"] = ({
        "id": np.arange(1, n_l + 1), "queue_id": queue, "rank": 0, "status": le["status"].astype(str),
        "company": lambda s: [f"Prospect {i + 1}" for i in range(s.start, s.stop)],
        "domain": lambda s: [f"prospect{i + 1}.example" for i in range(s.start, s.stop)], "contact_name": "",
        "contact_email": lambda s: [f"cio@prospect{i + 1}.example" for i in range(s.start, s.stop)],
        "country": lambda s: [COUNTRIES[q - 1][0] for q in queue[s].tolist()], "city": "", "postcode": "",
        "vertical": "", "currency": "USD", "source": "web", "created_at": lambda s: ts(le["created"][s]),
        "partner_id": lambda s: nullable(np.where(le["partner"][s] >= 0, le["partner"][s] + 1, -1)),
        "proposal_reasons": "", "offered_at": lambda s: ts(le["offered"][s]),
        "accept_deadline": lambda s: ts(np.where(le["offered"][s] >= 0, le["offered"][s] + 48 * HOUR, -1)),
        "accepted_at": lambda s: ts(le["accepted"][s]), "status_note": "", "recycle_count": le["recycles"],
        "deal_id": lambda s: nullable(np.where(le["deal"][s] >= 0, le["deal"][s] + 1, -1)),
    }, n_l)  # fmt: skip
    ev = le["events"]
    out["lead_event"] = ({
        "id": np.arange(1, len(ev["lead"]) + 1), "lead_id": ev["lead"] + 1, "at": lambda s: ts(ev["at"][s]),
        "partner_id": lambda s: nullable(np.where(ev["partner"][s] >= 0, ev["partner"][s] + 1, -1)),
        "action": lambda s: LEAD_ACTIONS[ev["action"][s]].tolist(), "note": "",
    }, len(ev["lead"]))  # fmt: skip
    no = np.flatnonzero((ev["action"] == 1) | (ev["action"] == 2))
    out["lead_decline"] = ({
        "id": np.arange(1, len(no) + 1), "lead_id": ev["lead"][no] + 1, "partner_id": ev["partner"][no] + 1,
        "reason": np.where(ev["action"][no] == 2, "No answer in time", "No capacity"), "expired": ev["action"][no] == 2,
        "at": lambda s: ts(ev["at"][no][s]),
    }, len(no))  # fmt: skip

    # Engagement: each deal/lead action above that counts, then logins up to the requested total.
    kind_of = {code: int(np.flatnonzero(KINDS == k)[0]) for code, (_a, _s, k) in enumerate(DEAL_ACTIONS) if k}
    counted = np.isin(h["action"], list(kind_of))
    lead_acc = np.flatnonzero(ev["action"] == 3)
    lead_conv = np.flatnonzero(ev["action"] == 7)
    lead_orgs = np.concatenate([ev["partner"][lead_acc], ev["partner"][lead_conv]])
    derived = {
        "at": np.concatenate([h["at"][counted], ev["at"][lead_acc], ev["at"][lead_conv]]),
        "org": np.concatenate([d["org"][h["deal"][counted]], lead_orgs]),
        "user": np.concatenate([h["user"][counted], user_of(lead_orgs)]),
        "kind": np.concatenate([np.vectorize(kind_of.get)(h["action"][counted]) if counted.any() else [],
                                np.full(len(lead_acc), len(KINDS) - 2), np.full(len(lead_conv), len(KINDS) - 1)]),
        "subject": np.concatenate([h["deal"][counted] + 1, ev["lead"][lead_acc] + 1, ev["lead"][lead_conv] + 1]),
    }  # fmt: skip
    keep = np.arange(len(derived["at"]))
    if len(keep) > 0.8 * args.events:  # small --events: a sample of them, logins still a fifth
        keep = np.sort(rng.choice(keep, int(0.8 * args.events), replace=False))
    n_login = args.events - len(keep)
    l_org, l_at = _logins(rng, n_login, org_p, last_active, now, start)
    l_user = user_of(l_org)
    e = {
        "at": np.concatenate([derived["at"][keep], l_at]), "org": np.concatenate([derived["org"][keep], l_org]),
        "user": np.concatenate([derived["user"][keep], l_user]),
        "kind": np.concatenate([derived["kind"][keep].astype(np.int64), np.zeros(n_login, np.int64)]),
        "subject": np.concatenate([derived["subject"][keep], l_user]),
    }  # fmt: skip
    order = np.argsort(e["at"], kind="stable")
    e = {k: v[order] for k, v in e.items()}
    out["engagement_event"] = ({
        "id": np.arange(1, args.events + 1), "at": lambda s: ts(e["at"][s]),
        "user_id": lambda s: nullable(e["user"][s]),
        "organization_id": e["org"] + 1, "kind": lambda s: KINDS[e["kind"][s]].tolist(),
        "subject_type": lambda s: np.where(e["kind"][s] == 0, "user", np.where(
            e["kind"][s] >= len(KINDS) - 2, "lead", "deal")).tolist(), "subject_id": e["subject"],
    }, args.events)  # fmt: skip
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=5_000)
    parser.add_argument("--deals", type=int, default=1_000_000)
    parser.add_argument("--leads", type=int, default=200_000)
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size (e.g. 0.1 while developing)")
    parser.add_argument("--db", default="", help="database URL (default: REFLEX_DB_URL)")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--now", type=date.fromisoformat, default=datetime.now(UTC).date(), help="YYYY-MM-DD")
    args = parser.parse_args(argv)
    for name in ("partners", "deals", "leads", "events"):
        setattr(args, name, max(10, int(getattr(args, name) * args.scale)))
    url = make_url(args.db or settings.db_url)
    if url.get_backend_name() == "sqlite":
        writer: SqliteWriter | PostgresWriter = SqliteWriter(url.database or "")
    else:
        writer = PostgresWriter(url.render_as_string(hide_password=False))
    try:
        if writer.query("SELECT count(*) FROM organization")[0][0] or writer.query("SELECT count(*) FROM deal")[0][0]:
            raise SystemExit("scale_seed: the database is not empty; give it a freshly migrated one")
        t0 = time.perf_counter()
        now = int(datetime.combine(args.now, datetime.min.time(), UTC).timestamp()) * 1_000_000
        tables = world(np.random.default_rng(args.seed), args, now, writer.ts)
        print(f"generated in {time.perf_counter() - t0:.1f}s; writing", file=sys.stderr)
        progress = Progress(sum(n for _cols, n in tables.values()))
        for table, (columns, n) in tables.items():
            load(writer, progress, table.strip(), columns, n)
        progress.close()
        counts = {t: writer.query(f"SELECT count(*) FROM {t}")[0][0] for t in dict.fromkeys(t.strip() for t in tables)}  # noqa: S608
        print(f"done in {time.perf_counter() - t0:.1f}s: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    finally:
        writer.close()


if __name__ == "__main__":
    main()
