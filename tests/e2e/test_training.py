"""Training end to end, the issue's story: Lena (Northwind, a distributor) opens Core Platform essentials,
completes two lessons, leaves and comes back to lesson 3; the tour video resumes near the second she left it at;
she fails the quiz, tries again and passes, and a third attempt from a tab opened earlier is refused; the course
gives her the Core Platform Associate certificate, whose public verify page says valid, and expired once its
expiry has passed. Hostile: the Security Suite course (MSPs and integrators only) does not open for her by URL,
nor its PDF, nor its quiz. Axe on every page; the catalogue and player at 375 px."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlmodel import select

from prm_app.training.demo_media import demo_pdf
from tests.e2e.conftest import BASE_URL, actor_of, assert_accessible, at, live_goto, log_in, wait_live

LEARNER = "lena.fischer@northwind-dist.example"
COURSE = "Core Platform essentials"


def _course_id(app_db, code: str) -> int:
    from prm_app.training.models import Course

    with app_db() as session:
        return session.exec(select(Course.id).where(Course.code == code)).one()


def _lesson_title(page: Page):
    return page.locator("#lesson-title")


def _answer_right(page: Page) -> None:
    page.get_by_label("The registering partner and its channel manager").check()
    for option in ("Deal registration", "Lead distribution", "Partner scorecards"):
        page.get_by_label(option, exact=True).check()
    page.get_by_label("Your answer (a number)").fill("1000")
    page.get_by_label("Until the expected close date, extendable on request").check()


def test_a_learner_resumes_passes_the_quiz_and_her_certificate_verifies(page: Page, browser, app_server, app_db):
    log_in(page, LEARNER, expect_path="/portal")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Learning").click()
    page.wait_for_url(at("/learn"))
    expect(page.get_by_role("heading", name=COURSE)).to_be_visible()
    expect(page.get_by_text("Deploying Security Suite")).to_have_count(0)  # not for distributors
    assert_accessible(page)
    page.get_by_role("link", name=f"Start: {COURSE}").click()
    page.wait_for_url(at(r"/learn/\d+", regex=True))
    wait_live(page)
    expect(_lesson_title(page)).to_have_text("What the Core Platform does")
    page.get_by_role("button", name="Done, next lesson").click()
    expect(_lesson_title(page)).to_have_text("Registering your first deal")
    expect(_lesson_title(page)).to_be_focused()  # moving on puts the focus on the new lesson
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Done, next lesson").click()
    expect(_lesson_title(page)).to_have_text("A tour of the Core Platform")
    assert_accessible(page)
    course_url = page.url

    # leave, come back: the player opens at lesson 3
    page.goto("/portal")
    wait_live(page)
    page.goto("/learn")
    page.get_by_role("link", name=f"Resume: {COURSE}").click()
    page.wait_for_url(at(r"/learn/\d+", regex=True))
    expect(_lesson_title(page)).to_have_text("A tour of the Core Platform")
    expect(page.get_by_text("2 of 4 lessons done")).to_be_visible()
    outline = page.get_by_role("navigation", name="Course outline")
    expect(outline.get_by_role("img", name="Done", exact=True)).to_have_count(2)
    expect(outline.get_by_role("button", name="A tour of the Core Platform")).to_have_attribute("aria-current", "step")

    # the video: watched to 0:12, then left; it resumes there
    video = page.locator("video")
    page.wait_for_function("() => document.querySelector('video') && document.querySelector('video').readyState >= 1")
    video.evaluate("v => { v.currentTime = 12; }")
    page.wait_for_function("() => Math.floor(document.querySelector('video').currentTime) === 12")
    page.wait_for_timeout(500)  # the seeked beacon
    page.goto("/portal")
    wait_live(page)
    page.goto(course_url)
    expect(_lesson_title(page)).to_have_text("A tour of the Core Platform")
    expect(page.locator("video")).to_have_attribute("data-start-at", "12")
    page.wait_for_function("() => document.querySelector('video').currentTime >= 11")
    expect(page.get_by_role("button", name="Done, next lesson")).to_have_count(0)  # a video completes by being watched
    expect(page.get_by_text("Watch the video to the end to complete this lesson.")).to_be_visible()
    video.evaluate("v => { v.muted = true; v.currentTime = v.duration - 1.5; return v.play(); }")
    expect(page.get_by_text("3 of 4 lessons done")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Next").click()
    expect(_lesson_title(page)).to_have_text("Core Platform essentials quiz")

    received: list[str] = []  # what the event socket brings the page, from here on
    page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: received.append(str(frame))))
    page.reload()
    expect(_lesson_title(page)).to_have_text("Core Platform essentials quiz")
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_role("group").first).to_be_visible()
    sent_before_submit = "".join(received)
    assert "The registering partner and its channel manager" in sent_before_submit  # the paper came this way
    for secret in ("Payroll is not part of a PRM", '"answer"', '"explanation"', '"correct"', "40 × 25"):
        assert secret not in sent_before_submit, f"{secret!r} reached the browser before submitting"
    assert_accessible(page)
    page.get_by_role("button", name="Submit answers").click()  # nothing answered
    expect(page.locator("#quiz-result")).to_contain_text("Not passed: 0.0%")
    expect(page.get_by_text("Payroll is not part of a PRM")).to_have_count(0)  # explanations only on pass or at the end

    # a second tab, opened on the quiz now, stays behind
    other = live_goto(page.context.new_page())
    other.goto(course_url)
    expect(other.locator("#lesson-title")).to_have_text("Core Platform essentials quiz")
    expect(other.get_by_role("button", name="Try again")).to_be_visible()
    page.get_by_role("button", name="Try again").click()
    _answer_right(page)
    page.get_by_role("button", name="Submit answers").click()
    expect(page.locator("#quiz-result")).to_contain_text("Passed: 100.0%")
    expect(page.get_by_text("Payroll is not part of a PRM")).to_be_visible()
    expect(page.get_by_text("4 of 4 lessons done")).to_be_visible()

    other.get_by_role("button", name="Try again").click()  # the stale tab asks for a third attempt
    expect(other.get_by_text("You have passed this quiz already.")).to_be_visible()
    expect(other.get_by_role("button", name="Submit answers")).to_have_count(0)
    other.close()

    # the certificate, and its public verify page
    page.goto("/learn")
    wait_live(page)
    certificate = page.locator("li.certificate-line").filter(has_text="Certified Core Platform Associate")
    expect(certificate).to_contain_text("Valid")
    verify = certificate.get_by_role("link", name="Verify link").get_attribute("href")
    assert verify and verify.startswith("/verify/")
    pdf = page.request.get(certificate.get_by_role("link", name="Printable PDF").get_attribute("href") or "")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF-")

    anonymous = browser.new_context(base_url=app_server)
    public = live_goto(anonymous.new_page())
    public.goto(verify)
    expect(public.locator("#certificate-status")).to_have_text("Valid")
    expect(public.get_by_text("Lena Fischer")).to_be_visible()
    assert_accessible(public)

    from prm_app.training.models import Certificate

    with app_db() as session:  # move the clock past the expiry: the certificate's year is up
        row = session.exec(select(Certificate).where(Certificate.code == verify.rsplit("/", 1)[-1])).one()
        row.expires_at, row.issued_at = row.issued_at - timedelta(days=1), row.issued_at - timedelta(days=367)
        session.add(row)
        session.commit()
    public.goto(verify)
    expect(public.locator("#certificate-status")).to_have_text("Expired")
    public.goto("/verify/" + "0" * 32)
    expect(public.get_by_text("There is no certificate with this code.")).to_be_visible()
    anonymous.close()


def test_a_course_for_other_partner_types_does_not_open_by_url(page: Page, app_db):
    security = _course_id(app_db, "SEC-201")
    from prm_app.platform.errors import NotFound
    from prm_app.training.models import Lesson, Quiz
    from prm_app.training.quizzes import start_attempt

    with app_db() as session:
        pdf = session.exec(select(Lesson.id).where(Lesson.course_id == security, Lesson.kind == "pdf")).one()
        quiz = session.exec(
            select(Quiz.id).join(Lesson, Lesson.id == Quiz.lesson_id).where(Lesson.course_id == security)
        ).one()
        lena = actor_of(session, LEARNER)
        try:
            start_attempt(session, lena, quiz)
            raise AssertionError("a distributor started the Security Suite quiz")
        except NotFound:
            pass
    log_in(page, LEARNER, expect_path="/portal")
    page.goto(f"/learn/{security}")
    expect(page.get_by_text("Course not found.")).to_be_visible()
    expect(page.get_by_text("Before you deploy")).to_have_count(0)
    assert page.request.get(f"/_files/training/lesson/{pdf}").status == 404
    assert page.request.post(f"/_files/training/lesson/{pdf}/position", data='{"seconds": 5}').status == 404
    with app_db() as session:  # nor its SCORM lesson's package
        scorm = session.exec(select(Lesson).where(Lesson.course_id == security, Lesson.kind == "scorm")).one()
    launch = {"package_id": scorm.scorm_package_id, "context": f"lesson:{scorm.id}"}
    own = {"origin": BASE_URL, "content-type": "application/json"}
    assert page.request.post("/_scorm/launch", data=launch, headers=own).status == 404


def test_the_catalogue_and_player_at_375_px(mobile_page: Page, app_db):
    log_in(mobile_page, "omar.haddad@northwind-dist.example", expect_path="/portal")
    mobile_page.goto("/learn")
    expect(mobile_page.get_by_role("link", name=f"Resume: {COURSE}")).to_be_visible()
    assert_accessible(mobile_page)
    mobile_page.goto(f"/learn/{_course_id(app_db, 'CORE-101')}")
    expect(mobile_page.locator("#lesson-title")).to_have_text("A tour of the Core Platform")
    assert_accessible(mobile_page)
    width = mobile_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the player scrolls sideways at 375 px ({width} px)"


def test_a_manager_builds_publishes_and_reads_the_insight(page: Page, tmp_path):
    log_in(page, "maya.cm@vendor.example", expect_path="/partners")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Training").click()
    page.wait_for_url(at("/training"))
    expect(page.get_by_role("region", name="Courses").get_by_role("row").filter(has_text="CORE-101")).to_be_visible()
    expect(page.get_by_role("region", name="Certified headcount")).to_contain_text("Northwind Distribution")
    expect(page.get_by_role("region", name="Questions answered correctly least often")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Create course").click()
    expect(page.get_by_text("Give a short code")).to_be_visible()
    page.get_by_label("Course code").fill("PARTNER-201")
    page.get_by_label("Course title").fill("Co-selling with the vendor")
    page.get_by_role("button", name="Create course").click()
    page.wait_for_url(at(r"/training/courses/\d+", regex=True))
    expect(page.get_by_role("heading", name="Co-selling with the vendor", level=1)).to_be_visible()
    page.get_by_label("MSP", exact=True).check()
    page.get_by_role("button", name="Save course").click()
    expect(page.get_by_text("Course saved.")).to_be_visible()
    page.get_by_role("button", name="Publish a new version").click()
    expect(page.get_by_text("Add a lesson before publishing.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("New lesson").fill("Joint account planning")
    page.get_by_role("button", name="Add lesson to Module 1").click()
    page.wait_for_url(at(r"/training/lessons/\d+", regex=True))
    page.get_by_label("Text (Markdown)").fill("# Plan together\n\nAgree on **three** target accounts.")
    page.get_by_role("button", name="Save lesson").click()
    expect(page.get_by_text("Lesson saved.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Co-selling with the vendor").click()
    page.wait_for_url(at(r"/training/courses/\d+", regex=True))
    page.get_by_role("button", name="Publish a new version").click()
    expect(page.get_by_text("Version 1 published.")).to_be_visible()
    expect(page.get_by_text("PARTNER-201 · published · version 1")).to_be_visible()

    # a PDF lesson: a file that is no PDF is refused beside the upload, a PDF is taken
    page.get_by_label("New lesson").fill("Joint plan template")
    page.get_by_label("Kind").select_option("pdf")
    page.get_by_role("button", name="Add lesson to Module 1").click()
    page.wait_for_url(at(r"/training/lessons/\d+", regex=True))
    wait_live(page)
    fake = tmp_path / "plan.pdf"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    page.locator('input[type="file"]').set_input_files(str(fake))
    page.get_by_role("button", name="Upload file").click()
    expect(page.locator("#field-media-error")).to_contain_text("That file is not an MP4 video or a PDF.")
    real = tmp_path / "plan-real.pdf"
    real.write_bytes(demo_pdf("Joint plan", [("Accounts", "Three named accounts.")]))
    page.locator('input[type="file"]').set_input_files(str(real))
    page.get_by_role("button", name="Upload file").click()
    expect(page.get_by_text("A file is uploaded; a new one replaces it.")).to_be_visible()


def _scorm_attempt(app_db, email: str, lesson_id: int, done, timeout: float = 10.0):
    """The person's SCORM attempt for the lesson once `done(attempt)` holds (a beacon lands a moment later)."""
    import time

    from prm_app.scorm import ScormAttempt

    deadline = time.time() + timeout
    while True:
        with app_db() as session:
            user_id = actor_of(session, email).user_id
            found = session.exec(
                select(ScormAttempt).where(
                    ScormAttempt.user_id == user_id, ScormAttempt.context == f"lesson:{lesson_id}"
                )
            ).first()
        if (found is not None and done(found)) or time.time() > deadline:
            return found
        time.sleep(0.25)


def test_a_scorm_lesson_keeps_its_place_resumes_and_completes_the_lesson(page: Page, app_db):
    from prm_app.training.models import Lesson

    learner, title = "anna.schmidt@meridian-ig.example", "Security Suite fundamentals (interactive)"
    with app_db() as session:
        lesson_id = session.exec(select(Lesson.id).where(Lesson.title == title)).one()
    log_in(page, learner, expect_path="/portal")
    page.goto("/learn")
    page.get_by_role("link", name="Resume: Deploying Security Suite").click()
    expect(_lesson_title(page)).to_have_text(title)  # two lessons done in the seed: the third is the SCORM one
    content = page.frame_locator(f'iframe[title="{title}"]')
    expect(content.locator("#entry")).to_have_text("Entry: ab-initio. Starting from the beginning.")
    content.get_by_role("link", name="Next: knowledge check").click()
    expect(content.locator("#saved")).to_have_text("Your place is saved: part 2.")
    assert_accessible(page)

    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Learning").click()  # leave
    page.wait_for_url(at("/learn"))
    attempt = _scorm_attempt(app_db, learner, lesson_id, lambda a: a.exit == "suspend")
    assert attempt is not None and attempt.location == "page2" and "page2" in attempt.suspend_data

    page.get_by_role("link", name="Resume: Deploying Security Suite").click()
    expect(_lesson_title(page)).to_have_text(title)
    expect(content.locator("#entry")).to_have_text("Welcome back. Entry: resume. Last location: page2.")
    content.get_by_role("link", name="Continue where you left off").click()
    content.get_by_label("Web Gateway").check()
    content.get_by_role("button", name="Submit answer").click()
    expect(content.locator("#result")).to_contain_text("Course complete")
    assert _scorm_attempt(app_db, learner, lesson_id, lambda a: a.passed_at is not None) is not None
    page.reload()
    expect(page.get_by_text("3 of 4 lessons done")).to_be_visible()  # the SCO's pass completed the lesson
    outline = page.get_by_role("navigation", name="Course outline")
    expect(
        outline.get_by_role("listitem").filter(has_text=title).get_by_role("img", name="Done", exact=True)
    ).to_be_visible()


def test_an_expiring_certificate_is_renewed_by_passing_the_final_exam(page: Page):
    log_in(page, "ingrid.berg@fjordit.example", expect_path="/portal")  # her Security Specialist expires soon
    page.goto("/learn")
    mine = page.locator("li.certificate-line").filter(has_text="Certified Security Specialist")
    expect(mine.filter(has_text="Expiring soon").first).to_be_visible()
    page.get_by_role("link", name="Take the final exam: Certified Security Specialist").click()
    page.wait_for_url(at(r"/learn/exam/\d+", regex=True))
    expect(page.get_by_role("heading", name="Security Specialist final exam", level=1)).to_be_visible()
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_label("Inside the customer's network, next to the systems it watches").check()
    for option in ("Register the collector", "Import the customer's asset list", "Set alert routes"):
        page.get_by_label(option, exact=True).check()
    page.get_by_label("The registering partner and its channel manager").check()
    assert_accessible(page)
    page.get_by_role("button", name="Submit answers").click()
    expect(page.locator("#quiz-result")).to_contain_text("Passed: 100.0%")
    page.get_by_role("link", name="See your certificates on the Learning page").click()
    page.wait_for_url(at("/learn"))
    certificates = page.locator("li.certificate-line").filter(has_text="Certified Security Specialist")
    expect(certificates).to_have_count(2)
    expect(certificates.filter(has_text="Replaced by a renewal")).to_have_count(1)
    expect(certificates.filter(has_text="· Valid")).to_have_count(1)


def test_a_manager_defines_a_certification_and_revokes_a_certificate(page: Page, app_db, browser, app_server):
    from prm_app.training.models import Certificate, Certification

    with app_db() as session:  # Priya's Core Platform Associate certificate (seeded, valid)
        code = session.exec(
            select(Certificate.code)
            .join(Certification, Certification.id == Certificate.certification_id)
            .where(Certificate.holder_name == "Priya Shah", Certification.code == "CPA")
        ).one()
    log_in(page, "lars.cm@vendor.example", expect_path="/partners")
    page.goto("/training")
    page.get_by_role("link", name="Certifications").click()
    page.wait_for_url(at("/training/certifications"))
    table = page.get_by_role("region", name="Certifications")
    expect(table.get_by_role("row").filter(has_text="Certified Security Specialist")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save certification").click()
    expect(page.get_by_text("Give a short code")).to_be_visible()
    page.get_by_label("Code", exact=True).fill("ANA-PRO")
    page.get_by_label("Name", exact=True).fill("Analytics Cloud Sales Professional")
    page.get_by_label("Valid for (months)").fill("18")
    page.get_by_role("button", name="Save certification").click()
    expect(page.get_by_text("Choose the courses to pass.")).to_be_visible()
    expect(page.get_by_label("Code", exact=True)).to_have_value("ANA-PRO")  # what was typed stays
    page.get_by_label("Selling Analytics Cloud").check()
    page.get_by_label("Final exam").select_option(label="Selling Analytics Cloud quiz (Selling Analytics Cloud)")
    page.get_by_role("button", name="Save certification").click()
    expect(table.get_by_role("row").filter(has_text="Analytics Cloud Sales Professional")).to_contain_text("18 months")

    page.get_by_label("Revoke the certificate with code").fill(code)
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Priya Shah's certificate is revoked")).to_be_visible()
    anonymous = browser.new_context(base_url=app_server)
    public = live_goto(anonymous.new_page())
    public.goto(f"/verify/{code}")
    expect(public.locator("#certificate-status")).to_have_text("Revoked")  # revoked is said, not hidden
    anonymous.close()


def test_a_certificate_renewed_by_retaking_its_courses_opens_them_again(page: Page):
    log_in(page, "dana.price@northwind-dist.example", expect_path="/portal")  # her Core Platform Associate expires soon
    page.goto("/learn")
    expect(page.get_by_text("1 of 1 course done; valid 12 months · your certificate: Expiring soon")).to_be_visible()
    page.get_by_role("button", name="Renew Certified Core Platform Associate: take the courses again").click()
    expect(page.get_by_text("The courses are open again")).to_be_visible()
    expect(page.get_by_text("0 of 1 course done; valid 12 months · your certificate: Expiring soon")).to_be_visible()
    expect(page.get_by_role("link", name=f"Resume: {COURSE}")).to_be_visible()
    expect(page.get_by_text("0 of 4 lessons done")).to_be_visible()
