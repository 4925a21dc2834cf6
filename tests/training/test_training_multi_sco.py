"""Multi-SCO packages in a lesson, with real packages (tests/scorm/packages: a two-SCO SCORM 1.2 package and a
two-SCO 2004 one, each SCO an HTML page calling the run-time): every SCO launches its own file in its own context,
keeps its own CMI data and completion, and the lesson completes when the last SCO does."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from prm_app.platform.access import Role
from prm_app.platform.errors import NotFound
from prm_app.scorm import ScormAttempt, import_package, service
from prm_app.scorm.seed import zip_folder
from prm_app.scorm.storage import PackageStore
from prm_app.training import authoring as au
from prm_app.training.learning import open_course, show_lesson
from prm_app.training.queries import course_editor
from tests.factories import actor_for, make_org, make_user

PACKAGES = Path(__file__).resolve().parent.parent / "scorm" / "packages"
DONE_12 = {"core": {"lesson_status": "completed", "session_time": "00:01:00", "exit": ""}, "suspend_data": ""}
DONE_2004 = {"completion_status": "completed", "session_time": "PT1M", "exit": "normal"}


@pytest.mark.parametrize(
    ("folder", "titles", "done"),
    [
        ("two_sco_12", ("Part one: the program", "Part two: registering deals"), DONE_12),
        ("two_sco_2004", ("Welcome", "First steps"), DONE_2004),
    ],
)
def test_every_sco_launches_keeps_its_own_data_and_the_lesson_completes_with_the_last(
    session, tmp_path, folder, titles, done
):
    admin = actor_for(make_user(session, Role.ADMIN))
    learner = actor_for(make_user(session, Role.PARTNER_USER, make_org(session)))
    store = PackageStore(tmp_path / "scorm")
    archive = zip_folder(PACKAGES / folder, tmp_path / f"{folder}.zip")
    package_id = import_package(session, admin, archive, archive.name, store=store)
    course_id = au.create_course(session, admin, "MULTI-1", "In two parts")
    module_id = course_editor(session, admin, course_id).modules[0].id
    lesson = au.add_lesson(session, admin, module_id, "scorm", "Both parts")
    au.choose_package(session, admin, lesson, package_id)
    au.publish_course(session, admin, course_id)
    open_course(session, learner, course_id)
    shown = show_lesson(session, learner, course_id, lesson)
    assert shown.scos == ((titles[0], False), (titles[1], False))

    first = service.launch(session, learner, package_id, f"lesson:{lesson}")
    second = service.launch(session, learner, package_id, f"lesson:{lesson}/1")
    assert first.launch_url.endswith("/part1.html") and second.launch_url.endswith("/part2.html")
    with pytest.raises(NotFound):  # the package has no third SCO
        service.launch(session, learner, package_id, f"lesson:{lesson}/2")
    outsider = actor_for(make_user(session, Role.PARTNER_USER, make_org(session)))
    with pytest.raises(NotFound):  # a further SCO is no way around the lesson's launch check (not enrolled)
        service.launch(session, outsider, package_id, f"lesson:{lesson}/1")
    location = {"core": {"lesson_location": "part2", "exit": "suspend"}} if "core" in done else {"location": "part2"}
    service.commit(session, learner, second.commit_url.rsplit("/", 1)[-1], 1, location)
    service.commit(session, learner, first.commit_url.rsplit("/", 1)[-1], 1, done)
    shown = show_lesson(session, learner, course_id, lesson)
    assert shown.scos == ((titles[0], True), (titles[1], False)) and not shown.done  # one SCO is not the lesson
    rows = session.exec(select(ScormAttempt).where(ScormAttempt.user_id == learner.user_id)).all()
    kept = {a.context: a.location for a in rows}
    assert kept == {f"lesson:{lesson}": "", f"lesson:{lesson}/1": "part2"}  # one attempt, its own CMI, per SCO

    service.commit(session, learner, second.commit_url.rsplit("/", 1)[-1], 2, done)
    shown = show_lesson(session, learner, course_id, lesson)
    assert shown.scos == ((titles[0], True), (titles[1], True)) and shown.done
    assert open_course(session, learner, course_id).completed


def test_the_lesson_completes_when_its_scos_did_though_no_single_report_saw_them_all(session, tmp_path):
    """Two SCOs completing at once (two tabs, two transactions) each see only their own completion, and a package
    reports a completion once: the lesson is done when the learner next opens it, not never. So too a lesson whose
    package was published again after the learner completed it (its attempts are kept, nothing reports again)."""
    admin = actor_for(make_user(session, Role.ADMIN))
    learner = actor_for(make_user(session, Role.PARTNER_USER, make_org(session)))
    archive = zip_folder(PACKAGES / "two_sco_12", tmp_path / "two.zip")
    package_id = import_package(session, admin, archive, archive.name, store=PackageStore(tmp_path / "scorm"))
    course_id = au.create_course(session, admin, "MULTI-2", "In two parts")
    lesson = au.add_lesson(session, admin, course_editor(session, admin, course_id).modules[0].id, "scorm", "Parts")
    au.choose_package(session, admin, lesson, package_id)
    au.publish_course(session, admin, course_id)
    open_course(session, learner, course_id)
    for context in (f"lesson:{lesson}", f"lesson:{lesson}/1"):  # kept by commits whose listeners saw one each
        session.add(
            ScormAttempt(
                user_id=learner.user_id, package_id=package_id, context=context, launch_token=context * 2,
                lesson_status="completed", completed_at=service.utcnow(),
            )
        )  # fmt: skip
    session.flush()
    assert not open_course(session, learner, course_id).completed
    assert show_lesson(session, learner, course_id, lesson).done
    assert open_course(session, learner, course_id).completed
