"""The demo packages: built from prm_app/scorm/demo/, imported through the same checks, never twice; two identical
commits racing (a beacon and its repeat) are applied once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import Session, select

from prm_app.platform.access import Role
from prm_app.scorm import ScormAttempt, ScormPackage, service
from prm_app.scorm.seed import seed
from prm_app.scorm.storage import PackageStore
from tests.conftest import SHARED_BACKENDS, race, shared_database
from tests.factories import actor_for, make_user


def test_seed_imports_both_demo_packages_once(session, tmp_path):
    store = PackageStore(tmp_path / "scorm")
    make_user(session, Role.ADMIN, full_name="Avery Admin")
    assert seed(session, store) == {"scorm packages": 2}
    assert seed(session, store) == {"scorm packages": 0}
    packages = {p.title: p for p in session.exec(select(ScormPackage)).all()}
    fundamentals = packages["Security Suite fundamentals (SCORM 1.2)"]
    essentials = packages["Partner onboarding essentials (SCORM 2004)"]
    assert (fundamentals.version, fundamentals.mastery_score, fundamentals.launch_href) == ("1.2", 80, "index.html")
    assert (essentials.version, essentials.scaled_passing_score) == ("2004", Decimal("0.8"))
    for package in packages.values():
        for name in ("index.html", "page2.html", "course.js", "course.css"):
            assert store.file(package.folder, name) is not None
    assert len(list(store.packages.iterdir())) == 2


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_a_commit_and_its_repeat_racing_are_applied_once(backend, tmp_path):
    with shared_database(backend, tmp_path, "scorm_race") as engine:
        store = PackageStore(tmp_path / "scorm")
        with Session(engine, expire_on_commit=False) as session:
            maya = actor_for(make_user(session, Role.ADMIN))
            seed(session, store)
            package_id = session.exec(select(ScormPackage.id).where(ScormPackage.version == "1.2")).one()
            token = service.launch(session, maya, package_id, "preview").commit_url.rsplit("/", 1)[-1]
            session.commit()
        cmi = {"core": {"lesson_location": "page2", "exit": "suspend", "session_time": "00:07:00"}}
        results = race(engine, *[lambda s: service.commit(s, maya, token, 1, cmi)] * 2)
        assert sorted(r.applied for r in results) == [False, True], results  # type: ignore[union-attr]
        with Session(engine) as session:
            attempt = session.exec(select(ScormAttempt)).one()
            assert (attempt.total_seconds, attempt.commit_seq, attempt.location) == (Decimal(420), 1, "page2")


def test_orphan_files_go_after_an_hour_and_packages_stay(session, tmp_path):
    import os
    from datetime import timedelta

    from prm_app.platform.clock import utcnow
    from prm_app.scorm.housekeeping import remove_orphan_files

    store = PackageStore(tmp_path / "scorm")
    seed(session, store)
    store.incoming.folder.mkdir(parents=True, exist_ok=True)
    (stale := store.incoming.folder / ("a" * 32)).write_bytes(b"PK\x03\x04")
    (orphan := store.packages / ("b" * 32)).mkdir()
    (fresh := store.packages / ("c" * 32)).mkdir()
    hours_ago = (utcnow() - timedelta(hours=2)).timestamp()
    for path in (stale, orphan, *store.packages.iterdir()):
        if path != fresh:
            os.utime(path, (hours_ago, hours_ago))
    run = remove_orphan_files(session, store)
    assert (run.zips, run.folders) == (1, 1)
    assert not stale.exists() and not orphan.exists() and fresh.exists()  # an import under way keeps its folder
    assert len(list(store.packages.iterdir())) == 3  # the two seeded packages and the fresh folder
    assert remove_orphan_files(session, store) == type(run)(0, 0)
