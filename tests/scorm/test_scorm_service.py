"""Importing, launching and committing, on SQLite and PostgreSQL: refused zips write nothing, commits are
idempotent, time is summed across launches, resume follows exit=suspend, completion is told once."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from sqlmodel import select

from prm_app.platform.access import Role
from prm_app.platform.errors import NotFound, PermissionDenied, ValidationError
from prm_app.scorm import ScormAttempt, ScormPackage, package_choices, service
from prm_app.scorm.queries import list_packages, package_detail
from prm_app.scorm.rules import CommitRefused
from prm_app.scorm.storage import PackageStore
from tests.factories import actor_for, make_user
from tests.scorm.factories import make_package, package_12, package_2004, write_zip


@pytest.fixture
def store(tmp_path) -> PackageStore:
    return PackageStore(tmp_path / "scorm")


@pytest.fixture
def listeners():
    """The completion listeners and launch checks registered by a test, removed after it."""
    before = (list(service._COMPLETION_LISTENERS), list(service._LAUNCH_CHECKS))
    yield
    service._COMPLETION_LISTENERS[:], service._LAUNCH_CHECKS[:] = before


def _admin(session):
    """SCORM management is admins' (MANAGE_SCORM): a package's script runs on the app's origin."""
    return actor_for(make_user(session, Role.ADMIN, full_name="Maya Chen"))


def _cmi(location="p1", suspend="", status="incomplete", exit_="suspend", session_time="00:00:00", raw=""):
    core = {"lesson_location": location, "lesson_status": status, "exit": exit_, "session_time": session_time}
    if raw:
        core["score"] = {"raw": raw, "min": "0", "max": "100"}
    return {"core": core, "suspend_data": suspend}


def _token(launch) -> str:
    return launch.commit_url.rsplit("/", 1)[-1]


def _attempt(session, user_id) -> ScormAttempt:
    return session.exec(select(ScormAttempt).where(ScormAttempt.user_id == user_id)).one()


def test_an_import_unpacks_and_records_the_package(session, store, tmp_path):
    maya = _admin(session)
    package_id = make_package(session, maya, store, tmp_path)
    package = session.get(ScormPackage, package_id)
    assert (package.title, package.version, package.launch_href, package.mastery_score) == (
        "Fundamentals", "1.2", "index.html", Decimal(80),
    )  # fmt: skip
    assert store.file(package.folder, "index.html") is not None
    assert store.file(package.folder, "../index.html") is None
    rows, total = list_packages(session, maya)
    assert total == 1 and rows[0].uploaded_by == "Maya Chen" and rows[0].sco_count == 1
    assert package_choices(session, maya) == [(package_id, "Fundamentals")]


def test_a_refused_zip_writes_nothing(session, store, tmp_path):
    maya = _admin(session)
    evil = write_zip(tmp_path, {**package_12(), "../../escape.txt": b"x"})
    with pytest.raises(ValidationError, match="outside the package") as refused:
        service.import_package(session, maya, evil, "evil.zip", store=store)
    assert refused.value.field == "package"
    assert session.exec(select(ScormPackage)).all() == []
    assert not store.packages.exists() or list(store.packages.iterdir()) == []
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path.parent / "escape.txt").exists()


def test_a_zip_found_damaged_while_unpacking_is_refused_on_the_field(session, store, tmp_path):
    """The directory checks pass; only reading the file shows its CRC is wrong: a message, nothing kept."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in package_12().items():
            archive.writestr(name, data)
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(buffer.getvalue().replace(b"<title>x</title>", b"<title>y</title>"))
    with pytest.raises(ValidationError, match="damaged") as refused:
        service.import_package(session, _admin(session), damaged, "damaged.zip", store=store)
    assert refused.value.field == "package"
    assert session.exec(select(ScormPackage)).all() == []
    assert list(store.packages.iterdir()) == []


def test_only_admins_import_and_list(session, store, tmp_path):
    partner = actor_for(make_user(session, Role.PARTNER_ADMIN))
    execs = actor_for(make_user(session, Role.EXEC))
    for actor in (partner, execs):
        with pytest.raises(PermissionDenied):
            service.import_package(session, actor, write_zip(tmp_path, package_12()), "p.zip", store=store)
        with pytest.raises(PermissionDenied):
            list_packages(session, actor)
        with pytest.raises(PermissionDenied):
            package_choices(session, actor)


def test_a_channel_manager_may_not_import_open_or_preview_but_sees_the_choices(session, store, tmp_path):
    """A package runs its script on the app's origin as whoever opens it: channel managers pick one for a lesson
    (MANAGE_TRAINING) by name, but importing, listing, opening and preview-launching are admins'."""
    package_id = make_package(session, _admin(session), store, tmp_path)
    lars = actor_for(make_user(session, Role.CHANNEL_MANAGER))
    with pytest.raises(PermissionDenied):
        service.import_package(session, lars, write_zip(tmp_path, package_12()), "p.zip", store=store)
    with pytest.raises(PermissionDenied):
        list_packages(session, lars)
    with pytest.raises(PermissionDenied):
        package_detail(session, lars, package_id)
    assert not service.may_launch(session, lars, package_id, "preview")
    with pytest.raises(NotFound):
        service.launch(session, lars, package_id, "preview")
    assert session.exec(select(ScormAttempt)).all() == []
    assert package_choices(session, lars) == [(package_id, "Fundamentals")]
    assert session.exec(select(ScormPackage)).all() == [session.get(ScormPackage, package_id)]


def test_resume_after_suspend_with_location_and_suspend_data(session, store, tmp_path):
    maya = _admin(session)
    package_id = make_package(session, maya, store, tmp_path)
    first = service.launch(session, maya, package_id, "preview")
    assert first.cmi["core"]["entry"] == "ab-initio" and first.launch_url.endswith("/index.html")
    assert first.cmi["core"]["student_name"] == "Chen, Maya"
    service.commit(session, maya, _token(first), 1, _cmi("p7", "d" * 4096, session_time="00:10:00"))
    second = service.launch(session, maya, package_id, "preview")
    core = second.cmi["core"]
    assert (core["entry"], core["lesson_location"], core["total_time"]) == ("resume", "p7", "0000:10:00.00")
    assert second.cmi["suspend_data"] == "d" * 4096
    assert _token(second) != _token(first)
    with pytest.raises(NotFound):  # the earlier launch is over: its late commits are not taken
        service.commit(session, maya, _token(first), 2, _cmi("p1"))


def test_commits_are_idempotent_and_time_sums_across_launches(session, store, tmp_path):
    maya = _admin(session)
    package_id = make_package(session, maya, store, tmp_path)
    token = _token(service.launch(session, maya, package_id, "preview"))
    assert service.commit(session, maya, token, 1, _cmi(session_time="00:05:00")).applied
    assert service.commit(session, maya, token, 2, _cmi(session_time="00:10:00")).applied
    assert not service.commit(session, maya, token, 2, _cmi(session_time="00:10:00")).applied  # the beacon again
    assert not service.commit(session, maya, token, 1, _cmi("stale", session_time="00:05:00")).applied  # late
    attempt = _attempt(session, maya.user_id)
    assert (attempt.total_seconds, attempt.location, attempt.commit_seq) == (Decimal(600), "p1", 2)
    token = _token(service.launch(session, maya, package_id, "preview"))
    service.commit(session, maya, token, 1, _cmi(session_time="00:05:00"))
    service.commit(session, maya, token, 1, _cmi(session_time="00:05:00"))
    assert _attempt(session, maya.user_id).total_seconds == Decimal(900)  # 10 + 5 minutes, never 10 + 5 + 5


def test_a_finished_launch_starts_afresh_but_keeps_status_and_time(session, store, tmp_path):
    maya = _admin(session)
    package_id = make_package(session, maya, store, tmp_path)
    token = _token(service.launch(session, maya, package_id, "preview"))
    service.commit(session, maya, token, 1, _cmi("p9", "s", "completed", "", "00:01:00", raw="90"))
    again = service.launch(session, maya, package_id, "preview").cmi["core"]
    assert again["entry"] == "ab-initio" and "lesson_location" not in again
    assert (again["lesson_status"], again["total_time"]) == ("passed", "0000:01:00.00")  # mastery 80: 90 passes


def test_completion_is_told_once_in_the_commits_transaction(session, store, tmp_path, listeners):
    maya = _admin(session)
    heard = []
    service.register_completion_listener(lambda s, *args: heard.append(args))
    package_id = make_package(session, maya, store, tmp_path)
    token = _token(service.launch(session, maya, package_id, "lesson:7"))
    service.commit(session, maya, token, 1, _cmi(status="incomplete"))
    service.commit(session, maya, token, 2, _cmi(status="completed", raw="60"))  # completed, failed (mastery 80)
    service.commit(session, maya, token, 3, _cmi(status="completed", raw="60"))
    service.commit(session, maya, token, 4, _cmi(status="completed", raw="95"))  # now passed too
    service.commit(session, maya, token, 5, _cmi(status="completed", raw="100"))
    assert heard == [
        (maya.user_id, "lesson:7", True, False, Decimal("60.00")),
        (maya.user_id, "lesson:7", True, True, Decimal("95.00")),
    ]


def test_a_resumed_2004_launch_gets_its_objectives_and_interactions_back(session, store, tmp_path):
    maya = _admin(session)
    package_id = make_package(session, maya, store, tmp_path, package_2004())
    token = _token(service.launch(session, maya, package_id, "preview"))
    objectives = {"0": {"id": "obj-a", "success_status": "passed", "score": {"scaled": "0.9"}}}
    interactions = {"0": {"id": "q1", "type": "true-false", "learner_response": "true", "result": "correct"}}
    cmi = {"location": "p2", "exit": "suspend", "objectives": objectives, "interactions": interactions}
    service.commit(session, maya, token, 1, cmi)
    launch = service.launch(session, maya, package_id, "preview")
    assert launch.cmi["entry"] == "resume"
    assert (launch.cmi["objectives"], launch.cmi["interactions"]) == ([objectives["0"]], [interactions["0"]])
    service.commit(session, maya, _token(launch), 1, {**cmi, "exit": "normal"})  # finished: the next starts afresh
    fresh = service.launch(session, maya, package_id, "preview").cmi
    assert fresh["entry"] == "ab-initio" and "objectives" not in fresh


def test_a_2004_package_maps_thresholds_and_sums_iso_durations(session, store, tmp_path):
    maya = _admin(session)
    package_id = make_package(session, maya, store, tmp_path, package_2004())
    token = _token(service.launch(session, maya, package_id, "preview"))
    service.commit(session, maya, token, 1, {"session_time": "PT10M", "exit": "suspend", "location": "p2"})
    launch = service.launch(session, maya, package_id, "preview")
    assert (launch.cmi["entry"], launch.cmi["total_time"]) == ("resume", "PT0H10M0S")
    token = _token(launch)
    service.commit(
        session, maya, token, 1,
        {"session_time": "PT5M", "score": {"scaled": "0.85"}, "progress_measure": "1", "exit": "normal"},
    )  # fmt: skip
    attempt = _attempt(session, maya.user_id)
    assert (attempt.total_seconds, attempt.success_status, attempt.completion_status) == (900, "passed", "completed")
    assert attempt.passed_at is not None and attempt.completed_at is not None


def test_a_refused_commit_keeps_nothing(session, store, tmp_path, monkeypatch):
    monkeypatch.setenv("PRM_SCORM_SUSPEND_DATA_MAX", "100")
    maya = _admin(session)
    package_id = make_package(session, maya, store, tmp_path)
    token = _token(service.launch(session, maya, package_id, "preview"))
    service.commit(session, maya, token, 1, _cmi("p1", "ok"))
    with pytest.raises(CommitRefused) as refused:
        service.commit(session, maya, token, 2, _cmi("p2", "x" * 101))
    assert refused.value.code == 405
    attempt = _attempt(session, maya.user_id)
    assert (attempt.location, attempt.suspend_data, attempt.commit_seq) == ("p1", "ok", 1)


def test_a_sequence_number_past_the_column_is_refused(session, store, tmp_path):
    maya = _admin(session)
    token = _token(service.launch(session, maya, make_package(session, maya, store, tmp_path), "preview"))
    for seq in (2**31, 10**30, 0, -1, True, 1.5, "2"):
        with pytest.raises(CommitRefused) as refused:
            service.commit(session, maya, token, seq, _cmi("p9"))
        assert refused.value.code == 101
    assert service.commit(session, maya, token, 2**31 - 1, _cmi("p9")).applied
    assert _attempt(session, maya.user_id).location == "p9"


def test_who_may_launch(session, store, tmp_path, listeners):
    maya = _admin(session)
    ann = actor_for(make_user(session, Role.PARTNER_USER))
    package_id = make_package(session, maya, store, tmp_path)
    with pytest.raises(NotFound):  # no launch check registered: SCORM admins only
        service.launch(session, ann, package_id, "lesson:1")
    service.register_launch_check(lambda s, actor, pid, context: context == "lesson:1" and actor.is_partner)
    assert service.launch(session, ann, package_id, "lesson:1").version == "1.2"
    for package, context in ((package_id, "lesson:2"), (package_id, "preview"), (package_id + 99, "lesson:1")):
        with pytest.raises(NotFound):
            service.launch(session, ann, package, context)
    for bad in ("../x", "", "lesson:1;drop"):
        with pytest.raises(NotFound):
            service.launch(session, maya, package_id, bad)
    with pytest.raises(PermissionDenied):
        package_detail(session, ann, package_id)


def test_one_persons_launch_is_nobody_elses(session, store, tmp_path):
    maya, lars = _admin(session), actor_for(make_user(session, Role.ADMIN))
    package_id = make_package(session, maya, store, tmp_path)
    token = _token(service.launch(session, maya, package_id, "preview"))
    with pytest.raises(NotFound):
        service.commit(session, lars, token, 1, _cmi())
    with pytest.raises(NotFound):
        service.launched_file(session, lars, token)
    assert service.launched_file(session, maya, token) == session.get(ScormPackage, package_id).folder
    detail = package_detail(session, maya, package_id)
    assert detail.preview is not None and detail.preview.launches == 1
    assert package_detail(session, lars, package_id).preview is None
