"""The review queue's stored conflict figures (matching.queued) equal a fresh `evidence()` computation: over random
sequences of registrations, decisions, withdrawals, wins, extensions, expiry runs and new direct accounts, at the
moment of each step and at moments when protections have lapsed with no expiry run in between; and the queue pages
in SQL with a total."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import Session, col, select

from prm_app.deals.conflicts import evidence
from prm_app.deals.matching.queued import effective_score, rebuild_queued_conflicts
from prm_app.deals.models import Deal, DealExtension, DealStatus, QueuedConflict
from prm_app.deals.queries import QUEUE_PAGE_SIZE, review_queue
from prm_app.deals.review import (
    approve_deal,
    bulk_approve_clean,
    decide_extension,
    expire_deals,
    reject_deal,
    request_more_info,
)
from prm_app.deals.service import answer_info_request, close_deal, request_extension, submit_draft, withdraw_deal
from prm_app.platform.errors import DomainError
from tests.deals.factories import make_direct_account, make_world, register
from tests.factories import T0

HOUR, DAY = timedelta(hours=1), timedelta(days=1)

# Few customers, many spellings and sites: most registrations meet another one (same domain, similar name, both,
# or a similar name on a different domain), so scores cross the threshold in every direction.
CUSTOMERS = [
    ("Acme Corporation", "www.acme.com"),
    ("ACME, Inc.", "shop.acme.com"),
    ("Acme Labs", "acme.co.uk"),
    ("Acme Corp", "acmecorp.io"),
    ("Globex Corporation", "globex.com"),
    ("Globex UK Ltd", "globex.co.uk"),
    ("Initech", "initech.com"),
    ("Initech Systems", "initech.com"),
    ("Hooli", "hooli.xyz"),
]
ACCOUNTS = [("Acme Holdings", "acme.com"), ("Globex", "globex.com"), ("Initech GmbH", "initech.de")]


@pytest.fixture
def w(session: Session) -> SimpleNamespace:
    return make_world(session)


def _stored(session: Session, deal_id: int, now: datetime) -> dict[tuple[str, int], int]:
    score = effective_score(now)
    rows = session.exec(
        select(QueuedConflict.kind, QueuedConflict.other_id, score).where(QueuedConflict.deal_id == deal_id)
    ).all()
    return {(kind, other): s for kind, other, s in rows if s >= 50}


def assert_stored_equals_evidence(session: Session, w: SimpleNamespace, now: datetime) -> int:
    """Every submitted registration's stored conflicts, and the queue's figures, equal evidence() at `now`."""
    session.expire_all()
    queue = {r.id: (r.conflicts, r.top_score) for r in review_queue(session, w.admin, now=now).rows}
    submitted = session.exec(select(Deal).where(Deal.status == DealStatus.SUBMITTED)).all()
    assert set(queue) == {d.id for d in submitted}
    for deal in submitted:
        fresh = evidence(session, deal, now)
        assert _stored(session, deal.id, now) == {(e.kind, e.id): e.score for e in fresh}, (deal.id, now)
        assert queue[deal.id] == (len(fresh), max((e.score for e in fresh), default=None)), (deal.id, now)
    return sum(len(evidence(session, d, now)) for d in submitted)


def _pick(session: Session, rng: random.Random, *statuses: DealStatus) -> Deal | None:
    deals = session.exec(select(Deal).where(col(Deal.status).in_(statuses)).order_by(col(Deal.id))).all()
    return rng.choice(deals) if deals else None


def _step(session: Session, w: SimpleNamespace, rng: random.Random, now: datetime) -> None:
    """One random use case at `now` (refusals by the domain are part of the game)."""
    partner = rng.choice([w.a, w.a2, w.b])
    own = {w.a.organization_id: (w.a, w.a2), w.b.organization_id: (w.b,)}
    action = rng.choices(
        ["register", "draft", "submit", "approve", "bulk", "reject", "ask", "answer", "withdraw", "close", "extend",
         "expire", "account"],
        [12, 2, 2, 4, 1, 1, 2, 2, 1, 1, 4, 2, 1],
    )[0]  # fmt: skip
    products = tuple(rng.sample([w.p1.id, w.p2.id, w.p3.id], rng.randint(1, 3)))
    if action in ("register", "draft"):
        name, site = rng.choice(CUSTOMERS)
        register(session, partner, products, submit=action == "register", now=now, customer_name=name,
                 customer_site=site)  # fmt: skip
        return
    if action == "account":
        name, site = rng.choice(ACCOUNTS)
        until = now + rng.choice([-DAY, 6 * HOUR, 3 * DAY]) if rng.random() < 0.7 else None
        make_direct_account(session, name, site, protected_until=until)
        return
    if action == "expire":
        expire_deals(session, now=now)
        return
    if action == "bulk":
        waiting = session.exec(select(Deal.id).where(Deal.status == DealStatus.SUBMITTED)).all()
        bulk_approve_clean(session, w.manager, list(waiting), now=now)
        return
    status = {
        "submit": DealStatus.DRAFT, "approve": DealStatus.SUBMITTED, "reject": DealStatus.SUBMITTED,
        "ask": DealStatus.SUBMITTED, "answer": DealStatus.INFO_REQUESTED, "close": DealStatus.APPROVED,
        "extend": DealStatus.APPROVED,
    }.get(action)  # fmt: skip
    deal = _pick(session, rng, status) if status else _pick(session, rng, *DealStatus)
    if deal is None:
        return
    owner = rng.choice(own[deal.organization_id])
    try:
        if action == "submit":
            submit_draft(session, owner, deal.id, now=now)
        elif action == "approve":
            approve_deal(session, w.manager, deal.id, protection_days=rng.randint(1, 3), now=now)
        elif action == "reject":
            reject_deal(session, w.manager, deal.id, "Duplicate.", now=now)
        elif action == "ask":
            request_more_info(session, w.manager, deal.id, "Which site?")
        elif action == "answer":
            answer_info_request(session, owner, deal.id, "The head office.")
        elif action == "withdraw":
            withdraw_deal(session, owner, deal.id, "Lost interest.")
        elif action == "close":
            close_deal(session, owner, deal.id, won=rng.random() < 0.5, final_amount="1000", now=now)
        elif action == "extend":
            ext_id = request_extension(session, owner, deal.id, rng.randint(1, 3), "Procurement is slow.", now=now)
            decide_extension(session, w.manager, ext_id, approve=rng.random() < 0.7, now=now)
    except DomainError:  # overlapping a protected claim, not withdrawable any more, an extension pending, ...
        session.rollback()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stored_figures_equal_fresh_evidence_over_random_histories(session, w, seed):
    rng = random.Random(seed)
    now, seen = T0, 0
    for _ in range(60):
        _step(session, w, rng, now)
        session.commit()
        seen += assert_stored_equals_evidence(session, w, now)
        # Later, with no expiry run: protections that lapsed meanwhile must stop counting by themselves.
        assert_stored_equals_evidence(session, w, now + rng.choice([HOUR, 7 * HOUR, 2 * DAY, 5 * DAY]))
        now += rng.choice([timedelta(minutes=10), 5 * HOUR, DAY])
    assert seen > 20, "the random history should produce conflicts to compare"
    pending = session.exec(select(DealExtension).where(DealExtension.status == "pending")).all()
    assert pending == []  # every extension asked was decided in the same step


def test_rebuild_gives_what_the_refreshes_kept(session, w):
    rng = random.Random(9)
    for n in range(30):
        _step(session, w, rng, T0 + n * HOUR)
        session.commit()
    kept = sorted(
        (r.deal_id, r.kind, r.other_id, r.score, r.protected_score, r.protected_until)
        for r in session.exec(select(QueuedConflict)).all()
    )
    assert rebuild_queued_conflicts(session) == len(
        session.exec(select(Deal.id).where(Deal.status == DealStatus.SUBMITTED)).all()
    )
    session.commit()
    session.expire_all()
    rebuilt = sorted(
        (r.deal_id, r.kind, r.other_id, r.score, r.protected_score, r.protected_until)
        for r in session.exec(select(QueuedConflict)).all()
    )
    assert kept and rebuilt == kept


def test_the_queue_pages_in_sql_oldest_first_with_a_total(session, w):
    ids = [
        register(
            session,
            w.a if n % 2 else w.b,
            w.products,
            now=T0 + n * HOUR,
            customer_name=f"Zq{n:03d}x Traders",
            customer_site=f"zq{n:03d}x.com",
        )
        for n in range(QUEUE_PAGE_SIZE + 5)
    ]
    session.commit()

    first = review_queue(session, w.manager, now=T0 + 60 * DAY)
    second = review_queue(session, w.manager, now=T0 + 60 * DAY, page=2)
    assert (first.total, first.page, first.pages) == (QUEUE_PAGE_SIZE + 5, 1, 2)
    assert (second.total, second.page, second.pages) == (QUEUE_PAGE_SIZE + 5, 2, 2)
    assert [r.id for r in first.rows] + [r.id for r in second.rows] == ids
    assert review_queue(session, w.manager, now=T0, page=99).page == 2  # clamped, as the partner's list
    assert [r.id for r in review_queue(session, w.manager, now=T0, page=-3).rows] == ids[:QUEUE_PAGE_SIZE]
    empty = review_queue(session, w.other_manager, now=T0)
    assert (empty.rows, empty.total, empty.page, empty.pages) == ([], 0, 1, 1)
