"""Conflict check of one new registration against 100k registrations and 20k direct accounts (target: p95 < 20 ms).

Builds a fresh database -- a SQLite file in a temp dir by default, or a private schema in PostgreSQL with
`--db postgresql+psycopg://postgres@127.0.0.1:5432/test` (the public schema is never touched; the schema is dropped
at the end) -- migrated with `alembic upgrade head` and seeded with the demo partners, then bulk-inserts N deal
registrations (with products and blocking keys) and M direct-sales accounts with Core `insert` executemany. Names
come from Faker in several locales plus coined brand names and city + trade names, with deliberate near-duplicates
(case, legal form, punctuation, spacing, a typo) of earlier customers, several sites per customer spelled
differently. Everything is seeded, so two runs with the same flags build the same data.

Then times `prm_app.deals.matching.store.find_conflicts` for K new subjects -- a third exact domain hits, a third
name variants of existing customers on another domain, a third brand-new companies -- each call in a fresh
`Session` (as the app does, one `session_scope` per check), with `time.perf_counter`. Next to it, the same subjects
through a raw indexed `SELECT id FROM deal WHERE domain = ?` on a fresh pooled connection: the floor any lookup
pays, so the difference is the cost of blocking + loading + scoring. Prints figures only; it asserts nothing.

Tables are not ANALYZEd on SQLite (the app never does it, so its planner has no statistics) and are on PostgreSQL
(autovacuum would); `--analyze` / `--no-analyze` overrides that. The build takes well under a minute on SQLite.

Run from the repo root: `python bench/conflict_check.py [--deals N] [--accounts N] [--checks N] [--db URL]`.
Results also go to bench/results/conflict_check_<backend>.json (with `_analyzed` / `_not_analyzed` appended when
the ANALYZE default is overridden). `--profile` adds a cProfile of find_conflicts and the plan of its deal query.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"

# Re-run under the project's venv if started with another interpreter (Faker, SQLAlchemy and the app live there),
# and with a fixed hash seed: some Faker locales (it_IT cities) build their word lists from sets, so without it the
# same --seed gives different data from run to run.
_WRONG_PYTHON = (VENV_BIN / "python").exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve()
if _WRONG_PYTHON or os.environ.get("PYTHONHASHSEED") != "0":
    _python = str(VENV_BIN / "python") if _WRONG_PYTHON else sys.executable
    os.execve(_python, [_python, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})  # noqa: S606  (same script)
sys.path.insert(0, str(ROOT))  # `python bench/conflict_check.py` puts bench/, not the repo root, on sys.path
os.environ.setdefault("REFLEX_TELEMETRY_ENABLED", "false")

from faker import Faker  # noqa: E402
from sqlalchemy import Engine, event, func, insert, make_url, text  # noqa: E402
from sqlmodel import Session, col, or_, select  # noqa: E402

from prm_app.deals.matching.rules import Subject, normalize_company_name, registrable_domain  # noqa: E402
from prm_app.deals.matching.store import (  # noqa: E402
    DIRECT_ACCOUNT,
    REGISTRATION,
    conflict_keys,
    find_conflicts,
    search_keys,
)
from prm_app.deals.models import LIVE_STATUSES, ConflictKey, Deal, DealProduct, DirectAccount, Product  # noqa: E402
from prm_app.deals.seed import seed as seed_deals  # noqa: E402
from prm_app.identity.models import User  # noqa: E402
from prm_app.partners.models import Organization  # noqa: E402
from prm_app.partners.seed import seed  # noqa: E402
from prm_app.platform.db import make_engine  # noqa: E402

TARGET_P95_MS = 20.0
SEED = 20261126
BATCH = 5_000
WARMUP_CHECKS = 50
RESULTS_DIR = ROOT / "bench" / "results"

# locale -> (share of customers, top-level domain, country, currency)
LOCALES: dict[str, tuple[float, str, str, str]] = {
    "en_US": (0.30, "com", "US", "USD"),
    "en_GB": (0.10, "co.uk", "GB", "GBP"),
    "de_DE": (0.10, "de", "DE", "EUR"),
    "fr_FR": (0.07, "fr", "FR", "EUR"),
    "es_ES": (0.05, "es", "ES", "EUR"),
    "it_IT": (0.05, "it", "IT", "EUR"),
    "nl_NL": (0.04, "nl", "NL", "EUR"),
    "pl_PL": (0.04, "pl", "PL", "EUR"),
    "sv_SE": (0.03, "se", "SE", "SEK"),
    "pt_BR": (0.07, "com.br", "BR", "BRL"),
    "ja_JP": (0.05, "co.jp", "JP", "JPY"),
    "en_IN": (0.10, "in", "IN", "INR"),
}
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "en_US": ("Inc.", "Inc", "LLC", "Corp.", "Corporation", "Co.", "Incorporated", "L.L.C.", "", ""),
    "en_GB": ("Ltd", "Limited", "Ltd.", "PLC", "LLP", ""),
    "de_DE": ("GmbH", "AG", "GmbH & Co. KG", "KG", "e.K.", ""),
    "fr_FR": ("SAS", "SA", "SARL", "S.A.S.", ""),
    "es_ES": ("S.L.", "S.A.", "SL", "SA", ""),
    "it_IT": ("S.p.A.", "S.r.l.", "SRL", "SpA", ""),
    "nl_NL": ("B.V.", "BV", "N.V.", ""),
    "pl_PL": ("Sp. z o.o.", "S.A.", "sp. z o.o.", ""),
    "sv_SE": ("AB", "Aktiebolag", ""),
    "pt_BR": ("Ltda.", "S/A", "Ltda", "S.A.", ""),
    "ja_JP": ("株式会社", "KK", "Co., Ltd.", "合同会社"),
    "en_IN": ("Pvt Ltd", "Private Limited", "Pvt. Ltd.", "Ltd", "LLP", ""),
}
TRADES = """Systems Logistics Foods Analytics Health Energy Labs Consulting Software Capital Partners Motors Bio Pharma
Robotics Media Studio Retail Textiles Farms Brewing Mining Aerospace Marine Dental Legal Insurance Freight Hotels
Builders Engineering Solutions Networks Security Semiconductors Plastics Steel Paper Optics Genomics Furniture
Apparel Cosmetics Bakery Coffee Wines Water Solar Wind Cargo Aviation Fintech Payments Travel Games Toys Sports
Clinics Diagnostics Devices Instruments Chemicals Coatings Packaging Printing Publishing Records Films
Telecom""".split()
GENERIC_ADJ = (
    "Global United International General National Advanced Integrated Universal Pacific Atlantic First".split()
)
ONSETS = "b br c cr d dr f fl g gr k kl l m n p pr qu r s st t tr v z x h j sh th w".split()
NUCLEI = "a e i o u ae ia io ea ou y ai".split()
CODAS = ["", "", "n", "r", "s", "x", "l", "m", "nt", "st", "rk", "v"]
SITE_STYLES = ("{d}", "www.{d}", "https://www.{d}", "https://{d}/", "http://www.{d}/contact", "info@{d}")
STATUS_WEIGHTS = {
    "draft": 2,
    "submitted": 12,
    "info_requested": 3,
    "approved": 25,
    "rejected": 10,
    "withdrawn": 5,
    "expired": 20,
    "won": 15,
    "lost": 8,
}
STAGES = ("Prospecting", "Discovery", "Proposal", "Negotiation", "Verbal commit")
LIVE = [s.value for s in LIVE_STATUSES]


# ---------------------------------------------------------------------------------------------------------------
# Synthetic customers


@dataclass
class Customer:
    name: str
    locale: str
    slug: str  # ASCII stem the domains are made from
    domain: str  # the customer's main registrable domain ("" for none)


@dataclass
class NameFactory:
    """Seeded generator of company names, domains and their near-duplicates."""

    rng: random.Random
    fake: Faker
    used_domains: set[str] = field(default_factory=set)
    locales: list[str] = field(default_factory=lambda: list(LOCALES))
    weights: list[float] = field(default_factory=lambda: [v[0] for v in LOCALES.values()])

    def locale(self) -> str:
        return self.rng.choices(self.locales, self.weights)[0]

    def brand(self) -> str:
        syllables = self.rng.choice((2, 2, 2, 3))
        word = "".join(
            self.rng.choice(ONSETS) + self.rng.choice(NUCLEI) + self.rng.choice(CODAS) for _ in range(syllables)
        )
        return word.capitalize()

    def name(self, loc: str) -> str:
        legal = self.rng.choice(LEGAL_FORMS[loc])
        roll = self.rng.random()
        if roll < 0.50:  # Faker's surname-based names: "Carroll Inc", "Carter, Metcalfe and Williams", 中村銀行
            base = self.fake[loc].company()
            return base if self.rng.random() < 0.6 or not legal else f"{base} {legal}"
        if roll < 0.84:  # coined brands: "Velantra Logistics GmbH"
            parts = [self.brand()]
            if self.rng.random() < 0.6:
                parts.append(self.rng.choice(TRADES))
        elif roll < 0.97:  # place + trade: "Wismar Freight AG"
            parts = [self.fake[loc].city(), self.rng.choice(TRADES)]
        else:  # every word generic: "United Data Systems" (an "n:" key)
            parts = [self.rng.choice(GENERIC_ADJ), self.rng.choice(("Data", "Digital", "Cloud", "Health")), "Systems"]
        return " ".join([*parts, legal]).strip()

    @staticmethod
    def slug_of(name: str) -> list[str]:
        ascii_name = unicodedata.normalize("NFKD", normalize_company_name(name)).encode("ascii", "ignore").decode()
        return re.findall(r"[a-z0-9]+", ascii_name)

    def new_domain(self, words: list[str], tld: str) -> str:
        if not words:
            words = [self.brand().lower()]  # e.g. a Japanese name: its site is romanized or a brand
        style = self.rng.random()
        stem = words[0] if style < 0.15 else ("-".join(words) if style < 0.40 else "".join(words))
        stem = stem[:40].strip("-") or "co"
        domain = f"{stem}.{tld}"
        while domain in self.used_domains:  # a real domain belongs to one company
            domain = (
                f"{stem}-{self.rng.choice(('group', 'hq', 'global', 'online', 'corp', self.brand().lower()))}.{tld}"
            )
        self.used_domains.add(domain)
        return domain

    def customer(self) -> Customer:
        loc = self.locale()
        name = self.name(loc)
        words = self.slug_of(name)
        return Customer(name, loc, "-".join(words), self.new_domain(words, LOCALES[loc][1]))

    def site(self, domain: str) -> str:
        return self.rng.choice(SITE_STYLES).format(d=domain)

    def variant(self, name: str) -> str:
        """The same customer written differently: 1-2 of case, legal form, punctuation, spacing, '&', a typo."""
        out = name
        for op in self.rng.sample(range(7), self.rng.choice((1, 1, 2))):
            if op == 0:
                out = self.rng.choice((out.upper(), out.lower(), out.title()))
            elif op == 1:
                out = f"{out} {self.rng.choice(('Inc.', 'Ltd', 'LLC', 'GmbH', 'S.A.', 'Corp'))}"
            elif op == 2:
                out = re.sub(r"[.,]", "", out)
            elif op == 3:
                out = out.replace(" and ", " & ") if " and " in out else out.replace(" & ", " and ")
            elif op == 4:  # "Northwind" -> "North wind"
                words = out.split()
                i = next((k for k, w in enumerate(words) if len(w) >= 8 and w.isalpha()), None)
                if i is not None:
                    words[i] = f"{words[i][:4]} {words[i][4:]}"
                out = " ".join(words)
            elif op == 5:  # a typo in the last long word (the first significant word keeps its key)
                words = out.split()
                i = max(range(len(words)), key=lambda k: (len(words[k]), k))
                w = words[i]
                if len(w) >= 5 and i > 0:
                    j = self.rng.randrange(1, len(w) - 2)
                    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
                out = " ".join(words)
            else:
                out = f"The {out}" if not out.lower().startswith("the ") else out[4:]
        return out


# ---------------------------------------------------------------------------------------------------------------
# Database


def _fresh_database(db: str | None, tmp: Path) -> tuple[str, str, Engine | None, str]:
    """(url the app uses, backend, admin engine to drop the schema with, description)."""
    if not db:
        return f"sqlite:///{tmp / 'conflict_check.db'}", "sqlite", None, "SQLite (file in a temp dir)"
    url = make_url(db)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        if not url.database or url.database == ":memory:" or path.exists():
            raise SystemExit(f"--db {db}: give a SQLite file that does not exist yet (the build must start empty)")
        return db, "sqlite", None, f"SQLite ({path})"
    if url.get_backend_name() != "postgresql":
        raise SystemExit(f"--db {db}: only sqlite:/// and postgresql+psycopg:// URLs are supported")
    schema = f"bench_conflicts_{uuid.uuid4().hex[:10]}"
    admin = make_engine(db)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    private = url.update_query_dict({"options": f"-csearch_path={schema}"})
    shown = url.render_as_string(hide_password=True)
    return private.render_as_string(hide_password=False), "postgresql", admin, f"PostgreSQL {shown}, schema {schema}"


def _drop_schema(admin: Engine, url: str) -> None:
    schema = make_url(url).query["options"].split("=", 1)[1]
    assert schema.startswith("bench_conflicts_")  # never anything else, never public
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _migrate(url: str) -> None:
    env = dict(os.environ, REFLEX_DB_URL=url, REFLEX_TELEMETRY_ENABLED="false")
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(["alembic", "upgrade", "head"], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"alembic upgrade head failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


@dataclass
class World:
    """What the build made, kept in memory to pick check subjects from."""

    deals: list[tuple[str, str, str]]  # (customer name, domain, locale)
    accounts: list[tuple[str, str, str]]
    partner_org_ids: list[int]
    product_ids: list[int]
    counts: dict[str, int]
    key_sizes: dict[str, list[tuple[str, int]]]


def _insert(conn, table, rows: list[dict]) -> None:
    for i in range(0, len(rows), BATCH):
        conn.execute(insert(table), rows[i : i + BATCH])


def _deal_dates(status: str, rng: random.Random, now: datetime) -> dict:
    day = timedelta(days=1)
    out = {"submitted_at": None, "decided_at": None, "protection_ends_at": None, "closed_at": None}
    if status == "draft":
        out["created_at"] = now - rng.uniform(0, 30) * day
        return out
    if status in ("submitted", "info_requested", "withdrawn"):
        out["submitted_at"] = now - rng.uniform(0, 20 if status != "withdrawn" else 400) * day
    else:
        decided = now - rng.uniform(0, 88 if status == "approved" else 700) * day
        if status == "expired":
            decided = now - rng.uniform(95, 700) * day
        out["decided_at"] = decided
        out["submitted_at"] = decided - rng.uniform(0.1, 3) * day
        if status != "rejected":
            out["protection_ends_at"] = decided + 90 * day
        if status in ("won", "lost"):
            out["closed_at"] = min(now, decided + rng.uniform(5, 85) * day)
    out["created_at"] = out["submitted_at"] - rng.uniform(0, 1) * day
    return out


def build(engine: Engine, n_deals: int, n_accounts: int, rng: random.Random, fake: Faker) -> tuple[World, dict]:
    timings: dict[str, float] = {}
    t = time.perf_counter()
    with Session(engine) as session:
        seed(session)
        session.flush()
        seed_deals(session)
        session.commit()
        users = session.exec(select(User.id, User.organization_id, User.role).order_by(User.id)).all()
        orgs = session.exec(select(Organization.id, Organization.tier_id).order_by(Organization.id)).all()
        products = sorted(session.exec(select(Product.id)).all())
        existing = session.exec(select(Deal.customer_name, Deal.domain).order_by(Deal.id)).all()
        existing_accounts = session.exec(
            select(DirectAccount.name, DirectAccount.domain).order_by(DirectAccount.id)
        ).all()
        deal_id0 = (session.exec(select(func.max(Deal.id))).one() or 0) + 1
        account_id0 = (session.exec(select(func.max(DirectAccount.id))).one() or 0) + 1
    timings["seed_s"] = time.perf_counter() - t

    t = time.perf_counter()
    now = datetime.now(UTC)
    people: dict[int, list[int]] = {}
    for user_id, org_id, _role in users:
        if org_id is not None:
            people.setdefault(org_id, []).append(user_id)
    managers = [u for u, o, r in users if o is None and r == "channel_manager"]
    partner_orgs = sorted(o for o, _tier in orgs if o in people)
    org_weight = {o: 1 + tier for o, tier in orgs}  # better tiers register more
    weights = [org_weight[o] for o in partner_orgs]
    contacts = [fake["en_US"].name() for _ in range(500)]
    names = NameFactory(rng, fake)
    names.used_domains.update(d for _n, d in [*existing, *existing_accounts] if d)

    world_deals: list[tuple[str, str, str]] = [(n, d, "en_US") for n, d in existing]
    customers: list[Customer] = []
    deal_rows: list[dict] = []
    product_rows: list[dict] = []
    key_rows: list[dict] = []
    statuses, status_w = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    for i in range(n_deals):
        deal_id = deal_id0 + i
        roll = rng.random()
        if customers and roll < 0.08:  # the same customer again (another partner, or the same one re-registering)
            c = rng.choice(customers)
            name = names.variant(c.name) if rng.random() < 0.7 else c.name
            r2 = rng.random()
            if r2 < 0.75:
                site = names.site(c.domain)
            elif r2 < 0.90:  # the customer's regional site
                site = names.site(names.new_domain(c.slug.split("-"), rng.choice(("com", "de", "co.uk", "fr", "net"))))
            else:
                site = f"{c.slug.split('-')[0] or 'buyer'}.team@gmail.com"  # free mail: no domain evidence
            loc = c.locale
        else:
            c = names.customer()
            customers.append(c)
            name, loc = c.name, c.locale
            site = names.site(c.domain)
        name_norm = normalize_company_name(name)
        domain = registrable_domain(site)
        status = rng.choices(statuses, status_w)[0]
        org = rng.choices(partner_orgs, weights)[0]
        dates = _deal_dates(status, rng, now)
        value = Decimal(rng.randrange(2_000, 900_000)).quantize(Decimal("1.00"))
        contact = rng.choice(contacts)
        deal_rows.append(
            {
                "id": deal_id,
                "organization_id": org,
                "created_by_id": rng.choice(people[org]),
                "status": status,
                "customer_name": name[:200],
                "name_norm": name_norm[:200],
                "customer_site": site[:254],
                "domain": domain,
                "country": LOCALES[loc][2],
                "contact_name": contact,
                "contact_email": f"{contact.split()[0].lower()}@{domain or 'gmail.com'}",
                "estimated_value": value,
                "currency": LOCALES[loc][3],
                "expected_close": (dates["created_at"] + timedelta(days=rng.randrange(20, 200))).date(),
                "stage": rng.choice(STAGES),
                "description": "",
                "created_at": dates["created_at"],
                "submitted_at": dates["submitted_at"],
                "decided_at": dates["decided_at"],
                "decided_by_id": rng.choice(managers) if dates["decided_at"] else None,
                "protection_ends_at": dates["protection_ends_at"],
                "expiry_notice_sent_at": None,
                "decision_note": "Duplicate of an earlier registration." if status == "rejected" else "",
                "final_amount": value if status == "won" else None,
                "closed_at": dates["closed_at"],
            }
        )
        for product_id in rng.sample(products, rng.choice((1, 1, 2, 2, 3))):
            product_rows.append({"deal_id": deal_id, "product_id": product_id})
        for key in conflict_keys(name_norm, domain):  # as the app files them: name keys and the brand key
            key_rows.append({"key": key, "kind": REGISTRATION, "record_id": deal_id})
        world_deals.append((name, domain, loc))

    account_rows: list[dict] = []
    account_key_rows: list[dict] = []
    world_accounts: list[tuple[str, str, str]] = [(n, d, "en_US") for n, d in existing_accounts]
    for i in range(n_accounts):
        account_id = account_id0 + i
        if customers and rng.random() < 0.10:  # a customer partners also registered
            c = rng.choice(customers)
            name = names.variant(c.name) if rng.random() < 0.5 else c.name
            domain = c.domain
        else:
            c = names.customer()
            name, domain = c.name, c.domain
        name_norm = normalize_company_name(name)
        roll = rng.random()
        protected_until = None if roll < 0.2 else now + timedelta(days=rng.uniform(-300, 600))
        rep = rng.choice(contacts)
        account_rows.append(
            {
                "id": account_id,
                "name": name[:200],
                "name_norm": name_norm[:200],
                "domain": domain,
                "country": LOCALES[c.locale][2],
                "rep_name": rep,
                "rep_email": rep.lower().replace(" ", ".") + "@vendor.example",
                "protected_until": protected_until,
                "created_at": now - timedelta(days=rng.uniform(0, 2000)),
            }
        )
        for key in conflict_keys(name_norm, domain):
            account_key_rows.append({"key": key, "kind": DIRECT_ACCOUNT, "record_id": account_id})
        world_accounts.append((name, domain, c.locale))
    timings["generate_s"] = time.perf_counter() - t

    t = time.perf_counter()
    with engine.begin() as conn:
        _insert(conn, Deal.__table__, deal_rows)
        _insert(conn, DealProduct.__table__, product_rows)
        _insert(conn, ConflictKey.__table__, key_rows)
        _insert(conn, DirectAccount.__table__, account_rows)
        _insert(conn, ConflictKey.__table__, account_key_rows)
        if engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
            conn.execute(text("SELECT setval(pg_get_serial_sequence('deal', 'id'), (SELECT max(id) FROM deal))"))
            conn.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('direct_account', 'id'), "
                    "(SELECT max(id) FROM direct_account))"
                )
            )
    timings["insert_s"] = time.perf_counter() - t

    with Session(engine) as session:
        counts = {
            "deals": session.exec(select(func.count()).select_from(Deal)).one(),
            "live_deals": session.exec(select(func.count()).where(col(Deal.status).in_(LIVE))).one(),
            "deal_products": session.exec(select(func.count()).select_from(DealProduct)).one(),
            "direct_accounts": session.exec(select(func.count()).select_from(DirectAccount)).one(),
            "registration_keys": session.exec(select(func.count()).where(ConflictKey.kind == REGISTRATION)).one(),
            "account_keys": session.exec(select(func.count()).where(ConflictKey.kind == DIRECT_ACCOUNT)).one(),
            "distinct_deal_domains": session.exec(select(func.count(func.distinct(Deal.domain)))).one(),
        }
        key_sizes = {}
        for kind in (REGISTRATION, DIRECT_ACCOUNT):
            n = func.count().label("n")
            stmt = select(ConflictKey.key, n).where(ConflictKey.kind == kind).group_by(ConflictKey.key)
            key_sizes[kind] = [tuple(r) for r in session.exec(stmt.order_by(n.desc(), ConflictKey.key).limit(8))]
    world = World(world_deals, world_accounts, partner_orgs, products, counts, key_sizes)
    return world, timings


# ---------------------------------------------------------------------------------------------------------------
# Check subjects


@dataclass(frozen=True)
class Check:
    kind: str  # "domain hit" | "name variant" | "new name" (a company nobody has registered)
    subject: Subject
    organization_id: int


CHECK_KINDS = ("domain hit", "name variant", "new name")


def make_checks(world: World, n: int, rng: random.Random, fake: Faker, used_domains: set[str]) -> list[Check]:
    names = NameFactory(rng, fake, used_domains=used_domains)
    known_norms = {normalize_company_name(name) for name, _d, _l in world.deals + world.accounts}
    pool = [r for r in world.deals + world.accounts if r[1]]  # records with a domain
    checks = []
    for i in range(n):
        kind = CHECK_KINDS[i % 3]
        if kind == "domain hit":
            name, domain, _loc = rng.choice(pool)
            typed_name = names.variant(name) if rng.random() < 0.5 else name
            site = names.site(domain)
        elif kind == "name variant":  # the same customer, typed differently, on a regional domain nobody has
            name, _domain, _loc = rng.choice(pool)
            typed_name = names.variant(name)
            site = names.site(names.new_domain(names.slug_of(name), rng.choice(("net", "io", "eu", "co", "biz"))))
        else:
            while True:
                c = names.customer()
                if normalize_company_name(c.name) not in known_norms:
                    break
            typed_name, site = c.name, names.site(c.domain)
        products = frozenset(rng.sample(world.product_ids, rng.choice((1, 2, 3))))
        subject = Subject(
            name=typed_name,
            name_norm=normalize_company_name(typed_name),
            domain=registrable_domain(site),
            product_ids=products,
            registered_at=None,
        )
        checks.append(Check(kind, subject, rng.choice(world.partner_org_ids)))
    rng.shuffle(checks)
    return checks


# ---------------------------------------------------------------------------------------------------------------
# Timing


def time_find_conflicts(engine: Engine, checks: list[Check], now: datetime) -> tuple[list[float], list[int]]:
    """ms per check (a fresh Session each; the first statement checks a connection out of the pool), and the
    number of conflicts each found."""
    times, found = [], []
    for check in checks:
        with Session(engine) as session:
            t0 = time.perf_counter()
            matches = find_conflicts(session, check.subject, organization_id=check.organization_id, now=now)
            times.append((time.perf_counter() - t0) * 1000)
        found.append(len(matches))
    return times, found


BASELINE_SQL = text("SELECT id FROM deal WHERE domain = :domain")
BASELINE_LABEL = "raw SELECT id FROM deal WHERE domain = ?"


def time_baseline(engine: Engine, checks: list[Check]) -> list[float]:
    """ms per raw indexed domain lookup, on a connection checked out of the pool inside the timing."""
    times = []
    for check in checks:
        t0 = time.perf_counter()
        conn = engine.connect()
        conn.execute(BASELINE_SQL, {"domain": check.subject.domain}).all()
        times.append((time.perf_counter() - t0) * 1000)
        conn.close()
    return times


def count_reads(engine: Engine, checks: list[Check], now: datetime) -> list[dict[str, int]]:
    """Untimed pass: rows find_conflicts materializes (ORM load events), statements, and blocking-key postings."""
    state = {"deals": 0, "accounts": 0, "statements": 0}

    def on_deal(*_args) -> None:
        state["deals"] += 1

    def on_account(*_args) -> None:
        state["accounts"] += 1

    def on_statement(*_args) -> None:
        state["statements"] += 1

    event.listen(Deal, "load", on_deal)
    event.listen(DirectAccount, "load", on_account)
    event.listen(engine, "before_cursor_execute", on_statement)
    out = []
    try:
        for check in checks:
            state.update(deals=0, accounts=0, statements=0)
            with Session(engine) as session:
                find_conflicts(session, check.subject, organization_id=check.organization_id, now=now)
            row = dict(state)
            keys = search_keys(check.subject.name_norm, check.subject.domain)
            with Session(engine) as session:
                postings = select(func.count()).where(col(ConflictKey.key).in_(keys)) if keys else None
                row["key_postings"] = session.exec(postings).one() if postings is not None else 0
                row["domain_rows"] = (
                    session.exec(select(func.count()).where(Deal.domain == check.subject.domain)).one()
                    if check.subject.domain
                    else 0
                )
            out.append(row)
    finally:
        event.remove(Deal, "load", on_deal)
        event.remove(DirectAccount, "load", on_account)
        event.remove(engine, "before_cursor_execute", on_statement)
    return out


def _pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(values), 3),
        "p95_ms": round(_pct(values, 95), 3),
        "p99_ms": round(_pct(values, 99), 3),
        "max_ms": round(max(values), 3),
        "mean_ms": round(statistics.fmean(values), 3),
    }


def profile(engine: Engine, checks: list[Check], now: datetime) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    time_find_conflicts(engine, checks, now)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)
    return out.getvalue()


def query_plan(engine: Engine, check: Check) -> str:
    """The plan of find_conflicts' candidate query for deals (rebuilt here the way it builds it) for one subject."""
    keys = search_keys(check.subject.name_norm, check.subject.domain)
    postings = select(ConflictKey.record_id).where(ConflictKey.kind == REGISTRATION, col(ConflictKey.key).in_(keys))
    where = [col(Deal.id).in_(postings)] if keys else []
    if check.subject.domain:
        where.append(Deal.domain == check.subject.domain)
    stmt = select(Deal).where(or_(*where), col(Deal.status).in_(LIVE))
    compiled = stmt.compile(engine, compile_kwargs={"literal_binds": True})
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + str(compiled)).all()
    return "\n".join(" | ".join(str(v) for v in r) for r in rows)


# ---------------------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deals", type=int, default=100_000, help="registrations to build (default 100000)")
    parser.add_argument("--accounts", type=int, default=20_000, help="direct-sales accounts (default 20000)")
    parser.add_argument("--checks", type=int, default=500, help="new subjects to check (default 500)")
    parser.add_argument("--db", default=None, help="database URL; default a SQLite file in a temp dir")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed for the data and the subjects")
    parser.add_argument(
        "--analyze",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run ANALYZE after the build (default: yes on PostgreSQL, where autovacuum would; no on SQLite, "
        "which the app never analyzes)",
    )
    parser.add_argument("--profile", action="store_true", help="also cProfile find_conflicts and show its query plan")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    Faker.seed(args.seed)
    fake = Faker(list(LOCALES))
    with tempfile.TemporaryDirectory(prefix="prm-conflicts-") as tmp_name:
        url, backend, admin, where = _fresh_database(args.db, Path(tmp_name))
        engine = None
        try:
            print(
                f"conflict check: building {args.deals:,} registrations + {args.accounts:,} direct accounts in {where}"
            )
            t_total = time.perf_counter()
            t = time.perf_counter()
            _migrate(url)
            build_times = {"migrate_s": time.perf_counter() - t}
            engine = make_engine(url)
            world, more = build(engine, args.deals, args.accounts, rng, fake)
            build_times.update(more)
            analyze = args.analyze if args.analyze is not None else backend == "postgresql"
            if analyze:
                t = time.perf_counter()
                with engine.begin() as conn:
                    conn.exec_driver_sql("ANALYZE")
                build_times["analyze_s"] = time.perf_counter() - t
            build_times["total_s"] = time.perf_counter() - t_total

            used = {d for _n, d, _l in world.deals + world.accounts if d}
            checks = make_checks(world, args.checks, random.Random(args.seed + 1), fake, used)
            warmups = make_checks(world, WARMUP_CHECKS, random.Random(args.seed + 2), fake, set(used))
            now = datetime.now(UTC)
            time_find_conflicts(engine, warmups, now)  # page cache, statement cache, connection pool
            time_baseline(engine, warmups)
            conflict_ms, found = time_find_conflicts(engine, checks, now)
            baseline_ms = time_baseline(engine, checks)
            reads = count_reads(engine, checks, now)
            prof = plan = ""
            if args.profile:
                prof = profile(engine, checks, now)
                slowest = max(range(len(checks)), key=lambda i: conflict_ms[i])
                plan = query_plan(engine, checks[slowest])
        finally:
            if engine is not None:
                engine.dispose()
            if admin is not None:
                _drop_schema(admin, url)

    report = _report(args, backend, where, world, build_times, analyze, checks, conflict_ms, baseline_ms, found, reads)
    print(report["text"])
    if args.profile:
        print("\n--- cProfile of find_conflicts over all checks ---")
        print(prof)
        print("--- query plan of the deal candidate query for the slowest subject ---")
        print(plan)
    default_analyze = backend == "postgresql"
    variant = "" if analyze == default_analyze else ("_analyzed" if analyze else "_not_analyzed")
    out = RESULTS_DIR / f"conflict_check_{backend}{variant}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report["json"], indent=2, default=str) + "\n")
    print(f"\nwrote {out.relative_to(ROOT)}")
    return 0


def _report(args, backend, where, world, build_times, analyze, checks, conflict_ms, baseline_ms, found, reads):
    c = world.counts
    fc, base = summary(conflict_ms), summary(baseline_ms)
    candidates = [r["deals"] + r["accounts"] for r in reads]
    by_kind = {}
    for kind in CHECK_KINDS:
        idx = [i for i, ch in enumerate(checks) if ch.kind == kind]
        if len(idx) >= 2:
            by_kind[kind] = {
                "n": len(idx),
                **summary([conflict_ms[i] for i in idx]),
                "avg_candidates": round(statistics.fmean(candidates[i] for i in idx), 1),
                "with_conflict": sum(1 for i in idx if found[i]),
            }
    met = fc["p95_ms"] < TARGET_P95_MS
    lines = [
        "",
        f"database: {where}; ANALYZE {'run' if analyze else 'not run'}",
        f"rows: {c['deals']:,} registrations ({c['live_deals']:,} live: submitted / info requested / approved; "
        f"{c['distinct_deal_domains']:,} distinct domains), {c['deal_products']:,} deal products, "
        f"{c['registration_keys']:,} registration keys; {c['direct_accounts']:,} direct accounts, "
        f"{c['account_keys']:,} account keys",
        "build: "
        + ", ".join(f"{k.removesuffix('_s')} {v:.1f} s" for k, v in build_times.items() if k != "total_s")
        + f"; total {build_times['total_s']:.1f} s",
        "largest blocking keys (registrations): " + ", ".join(f"{k} {n}" for k, n in world.key_sizes[REGISTRATION][:6]),
        "largest blocking keys (direct accounts): "
        + ", ".join(f"{k} {n}" for k, n in world.key_sizes[DIRECT_ACCOUNT][:4]),
        f"checks: {len(checks)} subjects ("
        + ", ".join(f"{sum(1 for ch in checks if ch.kind == k)} {k}s" for k in CHECK_KINDS)
        + f"), each find_conflicts in a fresh Session; {WARMUP_CHECKS} warm-up checks before, not counted",
        "",
        f"{'ms per check':<44}{'median':>8}{'p95':>8}{'p99':>8}{'max':>8}",
        f"{'find_conflicts (blocking + load + score)':<44}"
        f"{fc['median_ms']:>8.2f}{fc['p95_ms']:>8.2f}{fc['p99_ms']:>8.2f}{fc['max_ms']:>8.2f}",
    ]
    for kind, s in by_kind.items():
        lines.append(
            f"{'  ' + kind + 's':<44}{s['median_ms']:>8.2f}{s['p95_ms']:>8.2f}{s['p99_ms']:>8.2f}{s['max_ms']:>8.2f}"
        )
    lines += [
        f"{BASELINE_LABEL:<44}"
        f"{base['median_ms']:>8.2f}{base['p95_ms']:>8.2f}{base['p99_ms']:>8.2f}{base['max_ms']:>8.2f}",
        f"{'overhead (find_conflicts - raw lookup)':<44}{fc['median_ms'] - base['median_ms']:>8.2f}"
        f"{fc['p95_ms'] - base['p95_ms']:>8.2f}",
        "",
        f"candidate rows read per check (deals + direct accounts loaded): avg {statistics.fmean(candidates):.1f}, "
        f"median {statistics.median(candidates):.0f}, max {max(candidates)}",
        f"  avg deals {statistics.fmean(r['deals'] for r in reads):.1f}, "
        f"avg accounts {statistics.fmean(r['accounts'] for r in reads):.1f}; "
        f"key postings matched avg {statistics.fmean(r['key_postings'] for r in reads):.1f} "
        f"(max {max(r['key_postings'] for r in reads)}); "
        f"SQL statements per check {statistics.fmean(r['statements'] for r in reads):.1f}",
        f"conflicts found: {sum(1 for f in found if f)} of {len(found)} subjects "
        + "("
        + ", ".join(f"{k}s {s['with_conflict']}/{s['n']}" for k, s in by_kind.items())
        + ")",
        "",
        f"target: p95 < {TARGET_P95_MS:.0f} ms in the domain -> p95 {fc['p95_ms']:.2f} ms: "
        + ("MET" if met else "NOT MET"),
    ]
    if not met and not args.profile:
        lines.append("(run again with --profile for a cProfile of find_conflicts and the plan of its deal query)")
    data = {
        "benchmark": "conflict_check",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": where,
        "backend": backend,
        "analyze": analyze,
        "args": {"deals": args.deals, "accounts": args.accounts, "checks": args.checks, "seed": args.seed},
        "counts": c,
        "largest_keys": world.key_sizes,
        "build_seconds": {k: round(v, 2) for k, v in build_times.items()},
        "timing": "time.perf_counter around find_conflicts(...) in a fresh Session per check (pool checkout "
        "included); baseline: perf_counter around engine.connect() + SELECT id FROM deal WHERE domain = ?",
        "warmup_checks": WARMUP_CHECKS,
        "find_conflicts": fc,
        "find_conflicts_by_kind": by_kind,
        "baseline_domain_lookup": base,
        "candidates": {
            "avg": round(statistics.fmean(candidates), 2),
            "max": max(candidates),
            "avg_key_postings": round(statistics.fmean(r["key_postings"] for r in reads), 2),
            "avg_statements": round(statistics.fmean(r["statements"] for r in reads), 2),
        },
        "subjects_with_conflict": sum(1 for f in found if f),
        "target_p95_ms": TARGET_P95_MS,
        "target_met": met,
        "samples_ms": [round(v, 3) for v in conflict_ms],
        "baseline_samples_ms": [round(v, 3) for v in baseline_ms],
        "env": {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count()},
    }
    return {"text": "\n".join(lines), "json": data}


if __name__ == "__main__":
    sys.exit(main())
