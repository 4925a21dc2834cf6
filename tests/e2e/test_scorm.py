"""SCORM in Chromium: an admin previews the demo SCORM 1.2 package, moves to its second page (the package's
LMSCommit gets the server's "true"), leaves; the server holds its location and suspend data; relaunched, the
package reads entry=resume and its location, and passing its check is kept as passed. A zip that would write
outside its folder is refused next to the upload with nothing kept; a good (2004) one is imported, opens, and
resumes the same way, with the objectives it committed. A channel manager may not list, open, import or
preview packages (their script runs on the app's origin as whoever opens them) but picks one for a lesson.
Accessible (axe) with the player running and at 375 px."""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect
from sqlmodel import select

from prm_app.scorm.seed import DEMO, zip_folder
from tests.e2e.conftest import BASE_URL, actor_of, assert_accessible, at, log_in, wait_live
from tests.scorm.factories import package_12, write_zip

ADMIN = "admin@vendor.example"  # SCORM management is admins' (MANAGE_SCORM)
MANAGER = "maya.cm@vendor.example"
PARTNER = "omar.haddad@northwind-dist.example"
TITLE_12 = "Security Suite fundamentals (SCORM 1.2)"


def _attempt(app_db, email: str, title: str):
    from prm_app.scorm import ScormAttempt, ScormPackage

    with app_db() as session:
        actor = actor_of(session, email)
        package_id = session.exec(select(ScormPackage.id).where(ScormPackage.title == title)).one()
        return session.exec(
            select(ScormAttempt).where(
                ScormAttempt.user_id == actor.user_id,
                ScormAttempt.package_id == package_id,
                ScormAttempt.context == "preview",
            )
        ).first()


def _attempt_once(app_db, done, timeout: float = 10.0):
    """The admin's preview attempt at the 1.2 package once `done(attempt)` holds (a beacon lands a moment later)."""
    deadline = time.time() + timeout
    while True:
        attempt = _attempt(app_db, ADMIN, TITLE_12)
        if (attempt is not None and done(attempt)) or time.time() > deadline:
            return attempt
        time.sleep(0.25)


def test_the_12_package_resumes_where_it_was_left(page: Page, app_db):
    log_in(page, ADMIN)
    page.goto("/training/scorm")
    page.get_by_role("link", name=TITLE_12).click()
    expect(page.get_by_role("heading", name=TITLE_12)).to_be_visible()
    expect(page.get_by_role("region", name="SCOs in this package")).to_contain_text("index.html")
    page.get_by_role("button", name="Launch preview").click()
    content = page.frame_locator(f'iframe[title="{TITLE_12}"]')
    expect(content.locator("#entry")).to_have_text("Entry: ab-initio. Starting from the beginning.")
    content.get_by_role("link", name="Next: knowledge check").click()
    expect(content.locator("#saved")).to_have_text("Your place is saved: part 2.")  # LMSCommit: the server's "true"
    assert_accessible(page)

    page.get_by_role("link", name="All SCORM packages").click()  # leaving finishes the launch (a beacon)
    page.wait_for_url(at("/training/scorm"))
    attempt = _attempt_once(app_db, lambda a: a.exit == "suspend")
    assert attempt is not None and attempt.location == "page2"
    assert '"page1","page2"' in attempt.suspend_data and attempt.lesson_status == "incomplete"

    page.get_by_role("link", name=TITLE_12).click()
    page.get_by_role("button", name="Launch preview").click()
    expect(content.locator("#entry")).to_have_text("Welcome back. Entry: resume. Last location: page2.")
    content.get_by_role("link", name="Continue where you left off").click()
    content.get_by_label("Web Gateway").check()
    content.get_by_role("button", name="Submit answer").click()
    expect(content.locator("#result")).to_contain_text("Course complete")
    passed = _attempt_once(app_db, lambda a: a.passed_at is not None)
    assert passed is not None and passed.lesson_status == "passed" and passed.score_raw == 100
    page.get_by_role("button", name="Close preview").click()
    expect(page.get_by_role("group", name="Your preview attempt")).to_contain_text("passed")


def test_a_malicious_zip_is_refused_and_a_good_one_imported(page: Page, app_db, tmp_path):
    from prm_app.scorm import ScormPackage

    with app_db() as session:
        before = len(session.exec(select(ScormPackage)).all())
    log_in(page, ADMIN)
    page.goto("/training/scorm")
    assert_accessible(page, phone=True)
    evil = write_zip(tmp_path, {**package_12(title="Evil"), "../../../tmp/owned.sh": b"#!/bin/sh\n"}, "evil.zip")
    page.locator('input[type="file"]').set_input_files(str(evil))
    page.get_by_role("button", name="Import package").click()
    expect(page.locator("#field-package-error")).to_contain_text("points outside the package")
    with app_db() as session:
        assert len(session.exec(select(ScormPackage)).all()) == before

    good = zip_folder(DEMO / "partner_onboarding_2004", tmp_path / "onboarding.zip")
    page.locator('input[type="file"]').set_input_files(str(good))
    page.get_by_role("button", name="Import package").click()
    page.wait_for_url(at(r"/training/scorm/\d+", regex=True))
    expect(page.get_by_role("heading", name="Partner onboarding essentials (SCORM 2004)")).to_be_visible()
    expect(page.get_by_role("group", name="Package facts")).to_contain_text("SCORM 2004")
    assert_accessible(page, phone=True)
    page.get_by_role("button", name="Launch preview").click()
    content = page.frame_locator('iframe[title="Partner onboarding essentials (SCORM 2004)"]')
    expect(content.locator("#entry")).to_have_text("Entry: ab-initio. Starting from the beginning.")
    expect(content.locator("#parts")).to_have_text("Parts completed so far: 0.")
    content.get_by_role("link", name="Next: check your understanding").click()
    expect(content.locator("#saved")).to_have_text("Your place is saved: part 2.")
    detail = page.url
    page.get_by_role("link", name="All SCORM packages").click()  # leaves: the 2004 runtime terminates
    page.wait_for_url(at("/training/scorm"))
    page.goto(detail)
    page.get_by_role("button", name="Launch preview").click()
    expect(content.locator("#entry")).to_have_text("Welcome back. Entry: resume. Last location: page2.")
    expect(content.locator("#parts")).to_have_text("Parts completed so far: 2.")  # the objectives it committed


def test_the_runtime_endpoints_refuse_strangers(page: Page, app_db):
    """Signed out, another person, another site: no launch, no file, no commit. The launcher gets the file with
    its real type and nosniff."""
    from prm_app.scorm import ScormPackage
    from prm_app.scorm.service import launch

    with app_db() as session:
        package_id = session.exec(select(ScormPackage.id).where(ScormPackage.title == TITLE_12)).one()
        opened = launch(session, actor_of(session, ADMIN), package_id, "preview")
        session.commit()
    own = {"origin": BASE_URL, "content-type": "application/json"}
    commit = {"seq": 1, "cmi": {"core": {"lesson_location": "hijacked"}}}

    anonymous = page.request
    assert (
        anonymous.post("/_scorm/launch", data={"package_id": package_id, "context": "preview"}, headers=own).status
        == 401
    )
    assert anonymous.get(opened.launch_url).status == 404
    assert anonymous.post(opened.commit_url, data=commit, headers=own).status == 401

    log_in(page, PARTNER)  # a partner: preview is for admins, and the launch is someone else's
    request = page.request
    assert (
        request.post("/_scorm/launch", data={"package_id": package_id, "context": "preview"}, headers=own).status == 404
    )
    assert request.get(opened.launch_url).status == 404
    assert request.post(opened.commit_url, data=commit, headers=own).status == 404

    page.context.clear_cookies()  # the partner's tab forgets its session: the admin signs in afresh
    log_in(page, ADMIN)
    evil = {"origin": "https://evil.example", "content-type": "text/plain"}
    assert page.request.post(opened.commit_url, data=commit, headers=evil).status == 403
    assert (
        page.request.post("/_scorm/launch", data={"package_id": package_id, "context": "preview"}, headers=evil).status
        == 403
    )
    served = page.request.get(opened.launch_url)
    assert served.status == 200 and served.headers["content-type"].startswith("text/html")
    assert served.headers["x-content-type-options"] == "nosniff"
    assert page.request.get(opened.launch_url.replace("index.html", "../../../prm.db")).status == 404
    assert _attempt(app_db, ADMIN, TITLE_12).location != "hijacked"


def test_a_channel_manager_may_not_list_import_or_preview_but_picks_a_package(page: Page, app_db, tmp_path):
    """A package's script runs on the app's origin as whoever opens it: only admins import, open and preview one.
    A channel manager still chooses a package for a SCORM lesson (its name only)."""
    from reflex_base.utils.format import format_event_handler

    from prm_app.scorm import ScormPackage
    from prm_app.scorm.ui.packages_page import ScormPackagesState
    from prm_app.training.models import Lesson
    from prm_app.web.uploads_http import _RULES

    with app_db() as session:
        package_id = session.exec(select(ScormPackage.id).where(ScormPackage.title == TITLE_12)).one()
        lesson_id = session.exec(
            select(Lesson.id).where(Lesson.kind == "scorm", Lesson.scorm_package_id == package_id)
        ).first()
        before = len(session.exec(select(ScormPackage)).all())
    assert lesson_id is not None
    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/training/scorm")
    expect(page.get_by_text("You are not allowed to do that.")).to_be_visible()
    expect(page.get_by_role("link", name=TITLE_12)).to_have_count(0)
    page.goto(f"/training/scorm/{package_id}")
    expect(page.get_by_text("You are not allowed to do that.")).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE_12)).to_have_count(0)
    expect(page.locator("iframe")).to_have_count(0)

    own = {"origin": BASE_URL, "content-type": "application/json"}
    preview = {"package_id": package_id, "context": "preview"}
    assert page.request.post("/_scorm/launch", data=preview, headers=own).status == 404
    handler = format_event_handler(ScormPackagesState.import_zip)
    assert handler in _RULES  # the name the page's upload sends: refused below for want of the permission
    good = zip_folder(DEMO / "partner_onboarding_2004", tmp_path / "onboarding.zip")
    tab = page.evaluate("window.sessionStorage.getItem('token')")
    upload = page.request.post(
        "/_upload",
        multipart={"files": {"name": "onboarding.zip", "mimeType": "application/zip", "buffer": good.read_bytes()}},
        headers={"origin": BASE_URL, "reflex-event-handler": handler, "reflex-client-token": tab or "x"},
    )
    assert upload.status == 403
    assert _attempt(app_db, MANAGER, TITLE_12) is None
    with app_db() as session:
        assert len(session.exec(select(ScormPackage)).all()) == before

    page.goto(f"/training/lessons/{lesson_id}")
    wait_live(page)
    expect(page.locator("#field-package option", has_text=TITLE_12)).to_have_count(1)
