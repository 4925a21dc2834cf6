"""Two job consumers at once (`python -m prm_app.cli worker`, the real program, each with two threads) on
PostgreSQL and one Redis queue: many runs of the expiry and recycling jobs, taken concurrently, change each record
exactly once. And SIGTERM stops a consumer gracefully.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
import redis
from huey import RedisHuey
from sqlmodel import Session, SQLModel, func, select

from prm_app.deals.models import Deal, DealEvent, DealStatus
from prm_app.leads.models import Lead, LeadDecline, LeadStatus
from prm_app.platform.access import Role
from prm_app.platform.clock import utcnow
from prm_app.platform.settings import PROJECT_DIR, settings
from tests.conftest import private_pg_schema
from tests.deals.factories import make_world, register
from tests.factories import actor_for, make_user
from tests.leads.factories import make_lead, make_partner, make_queue, send

pytestmark = pytest.mark.integration

REDIS_URL = os.environ.get("PRM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
LEADS, DEALS, RUNS = 12, 12, 15


def _redis_or_skip() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")


def _environment(engine_url: str, queue_name: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(REFLEX_DB_URL=engine_url, REFLEX_REDIS_URL=REDIS_URL, PRM_JOBS_QUEUE=queue_name)
    return env


def _python(env: dict[str, str], *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, *args], cwd=PROJECT_DIR, env=env, **kwargs)


def test_two_consumers_take_each_record_once_and_stop_gracefully():
    _redis_or_skip()
    with private_pg_schema("jobs") as engine:
        SQLModel.metadata.create_all(engine)
        overdue_since = utcnow() - timedelta(hours=3 * settings.lead_accept_hours)
        with Session(engine, expire_on_commit=False) as session:
            manager = actor_for(make_user(session, Role.CHANNEL_MANAGER))
            queue = make_queue(session, "Americas", "US", [manager])
            for rank in (2, 1, 0):
                make_partner(session, f"Rank {rank} Partners", capacity=100, tier_rank=rank)
            leads = [make_lead(session, queue, f"Lead {n}") for n in range(LEADS)]
            send(session, manager, queue, leads, now=overdue_since)  # every offer is past its deadline now
            w = make_world(session)
            deal_ids = [register(session, w.a, w.products, customer_name=f"Customer {n}") for n in range(DEALS)]
            for deal in session.exec(select(Deal).where(Deal.id.in_(deal_ids))).all():  # type: ignore[union-attr]
                deal.status, deal.protection_ends_at = DealStatus.APPROVED, utcnow() - timedelta(days=1)
            session.commit()

        url = engine.url.render_as_string(hide_password=False)
        env = _environment(url, f"prm-jobs-test-{uuid.uuid4().hex[:8]}")
        consumers = [_python(env, "-m", "prm_app.cli", "worker", "--threads", "2") for _ in range(2)]
        try:
            enqueue = (
                "from prm_app.runtime.jobs import expire_deals_job, recycle_leads_job\n"
                f"for _ in range({RUNS}):\n    expire_deals_job(); recycle_leads_job()\n"
            )
            # A bound, not a target: importing the app alone took 23 s on a machine at load 12.
            subprocess.run([sys.executable, "-c", enqueue], cwd=PROJECT_DIR, env=env, check=True, timeout=180)
            jobs_queue = RedisHuey(env["PRM_JOBS_QUEUE"], url=REDIS_URL)
            deadline = time.time() + 60
            while time.time() < deadline and jobs_queue.pending_count():
                time.sleep(0.2)
            time.sleep(2)  # the last jobs taken finish (each is a few milliseconds)
        finally:
            for consumer in consumers:
                consumer.send_signal(signal.SIGTERM)
            codes = [consumer.wait(timeout=40) for consumer in consumers]
        assert codes == [0, 0], f"consumers did not stop gracefully: {codes}"

        with Session(engine) as session:
            recycled = session.exec(select(Lead.status, Lead.recycle_count).order_by(Lead.id)).all()
            assert recycled == [(LeadStatus.OFFERED, 1)] * LEADS
            declines = session.exec(select(LeadDecline.lead_id, func.count()).group_by(LeadDecline.lead_id)).all()
            assert sorted(n for _, n in declines) == [1] * LEADS
            statuses = session.exec(select(Deal.status).where(Deal.id.in_(deal_ids))).all()  # type: ignore[union-attr]
            assert statuses == [DealStatus.EXPIRED] * DEALS
            expired_events = session.exec(
                select(DealEvent.deal_id, func.count()).where(DealEvent.action == "expired").group_by(DealEvent.deal_id)
            ).all()
            assert sorted(n for _, n in expired_events) == [1] * DEALS
