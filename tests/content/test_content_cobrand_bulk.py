"""Every partner's co-branded copy as a job run (prm_app/content/cobrand_bulk.py): started once however often it
is asked, rendered in steps with progress the page can read mid-run, resumed after a consumer died without
rendering anyone twice, worked by one of two consumers sent the same run, refused when the starter left; the
copies download as one zip. SQLite file (WAL) and PostgreSQL."""

from __future__ import annotations

import threading
import zipfile
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select, update

from prm_app.content import cobrand
from prm_app.content.cobrand import add_zone
from prm_app.content.cobrand_bulk import (
    COBRAND_BULK,
    copies_zip,
    latest_bulk_render,
    run_bulk_render,
    start_bulk_render,
)
from prm_app.content.models import Asset, CobrandRender
from prm_app.content.rules import ZoneInput
from prm_app.identity import User
from prm_app.platform import jobs_progress
from prm_app.platform.access import Actor, Role
from prm_app.platform.clock import utcnow
from prm_app.platform.db import session_scope
from prm_app.platform.errors import DomainError, NotFound
from prm_app.platform.jobs_progress import STALE_AFTER, JobRun, register_sender
from tests.conftest import SHARED_BACKENDS, shared_database
from tests.content.factories import make_asset, make_world, pdf_bytes
from tests.factories import actor_for, make_org, make_user
from tests.job_runs import ConsumerKilled, transactions

PARTNERS = 7  # the world's two and five more


@pytest.fixture(params=SHARED_BACKENDS, ids=["sqlite", "pg"])
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    with shared_database(request.param, tmp_path, "cobrand_bulk") as engine:
        yield engine


@pytest.fixture
def sent(monkeypatch) -> list[int]:
    ids: list[int] = []
    monkeypatch.setattr(jobs_progress, "_senders", {})
    register_sender(COBRAND_BULK, ids.append)
    return ids


@pytest.fixture
def stamped(monkeypatch) -> list[int]:
    """Every PDF stamped, counted (a render made, not one taken from the cache)."""
    made: list[int] = []
    real = cobrand.stamp_pdf

    def counting(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(cobrand, "stamp_pdf", counting)
    return made


def template(engine: Engine) -> tuple[Actor, int, str]:
    """A manager and a co-brand template open to every partner: (manager, asset id, slug)."""
    with session_scope(engine) as session:
        w = make_world(session)
        for n in range(PARTNERS - 2):
            make_org(session, name=f"Partner {n}")
        slug = make_asset(session, w.manager, "Datasheet", data=pdf_bytes("Datasheet"), cobrand=True)
        asset_id = session.exec(select(Asset.id).where(Asset.slug == slug)).one()
        add_zone(session, w.manager, asset_id, ZoneInput(1, 40, 40, 200, 40, "logo"))
        return w.manager, asset_id or 0, slug


def renders(engine: Engine) -> list[int]:
    with Session(engine) as session:
        return sorted(session.exec(select(CobrandRender.organization_id)).all())


def test_started_once_rendered_in_steps_with_progress_and_zipped(engine, sent, stamped, stores, tmp_path):
    manager, asset_id, slug = template(engine)
    with session_scope(engine) as session:
        run_id = start_bulk_render(session, manager, asset_id)
    with session_scope(engine) as session:
        assert start_bulk_render(session, manager, asset_id) == run_id  # a double click starts nothing new
    assert sent == [run_id]
    seen: list[tuple[str, int, int]] = []

    def look(_n: int) -> None:  # the page's poll between the consumer's transactions
        with session_scope(engine) as session:
            run = latest_bulk_render(session, manager, asset_id)
            assert run is not None
            seen.append((run.status, run.done, run.total))

    run_bulk_render(run_id, transactions(engine, look), step=3)

    assert seen[1:-1] == [("running", 0, PARTNERS), ("running", 3, PARTNERS), ("running", 6, PARTNERS),
                          ("running", 7, PARTNERS)]  # fmt: skip
    with session_scope(engine) as session:
        done = latest_bulk_render(session, manager, asset_id)
        assert done is not None and done.finished and (done.copies, done.without_logo) == (PARTNERS, PARTNERS)
        path, name = copies_zip(session, manager, slug, tmp_path)
    assert len(stamped) == PARTNERS and len(renders(engine)) == PARTNERS
    with zipfile.ZipFile(path) as archive:
        assert len(archive.namelist()) == PARTNERS and "cobalt-systems-var-" in " ".join(archive.namelist())
    assert name == f"{slug}-co-branded-copies.zip"

    with session_scope(engine) as session:  # again, nothing changed: every copy comes from the cache
        again = start_bulk_render(session, manager, asset_id)
    run_bulk_render(again, transactions(engine))
    assert again != run_id and len(stamped) == PARTNERS

    with session_scope(engine) as session:
        for outsider in (make_user(session, Role.PARTNER_ADMIN), make_user(session, Role.EXEC)):
            with pytest.raises(DomainError):  # the route's one 404: only the channel team gets the copies
                copies_zip(session, actor_for(outsider), slug, tmp_path)
        for odd in ("..", "../renders", f"{slug}/../{slug}", f"{slug}\x00"):  # no slug: nothing read from disk
            with pytest.raises(NotFound):
                copies_zip(session, manager, odd, tmp_path)
    assert sorted(tmp_path.glob("*.zip")) == [path]  # refusals leave no file behind


def test_a_consumer_that_dies_mid_way_is_followed_by_one_that_renders_only_the_rest(engine, sent, stamped, stores):
    manager, asset_id, _slug = template(engine)
    with session_scope(engine) as session:
        run_id = start_bulk_render(session, manager, asset_id)

    def die_after_the_first_step(n: int) -> None:
        if n == 3:  # claim, plan, one step of 3 committed
            raise ConsumerKilled()

    with pytest.raises(ConsumerKilled):
        run_bulk_render(run_id, transactions(engine, die_after_the_first_step), step=3)
    assert len(renders(engine)) == 3
    with session_scope(engine) as session:  # its heartbeat goes stale: the run may be claimed again
        session.execute(update(JobRun).values(heartbeat_at=utcnow() - STALE_AFTER - timedelta(seconds=1)))

    run_bulk_render(run_id, transactions(engine), step=3)

    assert len(stamped) == PARTNERS and len(renders(engine)) == PARTNERS  # nobody twice
    with session_scope(engine) as session:
        run = latest_bulk_render(session, manager, asset_id)
        assert run is not None and run.status == "done" and run.done == PARTNERS


def test_two_consumers_sent_the_same_run_render_each_partner_once(engine, sent, stamped, stores):
    manager, asset_id, _slug = template(engine)
    with session_scope(engine) as session:
        run_id = start_bulk_render(session, manager, asset_id)
    start = threading.Barrier(2)

    def consumer() -> None:
        start.wait(timeout=30)
        run_bulk_render(run_id, transactions(engine), step=2)

    threads = [threading.Thread(target=consumer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(stamped) == PARTNERS and renders(engine) == sorted(set(renders(engine)))
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(CobrandRender)).one() == PARTNERS


def test_a_starter_who_left_is_refused_and_outsiders_get_nothing(engine, sent, stores, tmp_path):
    manager, asset_id, slug = template(engine)
    with session_scope(engine) as session:
        run_id = start_bulk_render(session, manager, asset_id)
        user = session.get(User, manager.user_id)
        assert user is not None
        user.is_active = False
        session.add(user)
    run_bulk_render(run_id, transactions(engine))
    with session_scope(engine) as session:
        other = actor_for(make_user(session, Role.CHANNEL_MANAGER))
    with session_scope(engine) as session:
        run = latest_bulk_render(session, other, asset_id)  # the rest of the team sees how it ended
        assert run is not None and run.status == "failed" and "can no longer manage content" in run.error
        with pytest.raises(NotFound):
            copies_zip(session, other, slug, tmp_path)  # no copy was made
        partner = actor_for(make_user(session, Role.PARTNER_ADMIN))
        with pytest.raises(Exception):  # noqa: B017  (PermissionDenied or NotFound: never a run)
            start_bulk_render(session, partner, asset_id)
    assert renders(engine) == []
