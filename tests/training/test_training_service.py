"""Training's use cases on SQLite and PostgreSQL: who sees which course, resuming, versions keeping progress,
server-graded quizzes (one open attempt, limits, deadlines, no answers before submitting), certificates (issue,
verify, renewal, reminders, headcount when people move) and the seed."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import Session, func, select

from prm_app.audience import AudienceRule
from prm_app.mail import OutboxMessage
from prm_app.notifications.models import Notification
from prm_app.platform.access import Actor, Role
from prm_app.platform.errors import DomainError, NotFound, PermissionDenied, ValidationError
from prm_app.platform.models import EngagementEvent
from prm_app.training import authoring as au
from prm_app.training import certified_headcount, verify_certificate
from prm_app.training.certificates import issue_certificate, my_certificates, remind_expiring
from prm_app.training.learning import (
    catalogue,
    complete_lesson,
    lesson_media,
    open_course,
    save_position,
    show_lesson,
)
from prm_app.training.models import (
    Certificate,
    Certification,
    CertificationCourse,
    Enrollment,
    QuestionResult,
    Quiz,
    QuizAttempt,
)
from prm_app.training.queries import course_editor
from prm_app.training.quizzes import lesson_quiz_id, quiz_summary, start_attempt, submit_attempt
from tests.conftest import SHARED_BACKENDS, race, shared_database
from tests.factories import T0, actor_for, make_org, make_user

QUIZ_VERDICTS = ("quiz_passed", "quiz_failed")


def _course(session: Session, admin: Actor, code: str, audience: AudienceRule | None = None) -> SimpleNamespace:
    """A published course: two readings and a quiz (one single-choice question worth 1, one numeric worth 1)."""
    course_id = au.create_course(session, admin, code, f"Course {code}")
    module_id = course_editor(session, admin, course_id).modules[0].id
    one = au.add_lesson(session, admin, module_id, "text", "Reading one")
    au.update_lesson(session, admin, one, "Reading one", "# Hello\n\n<script>alert(1)</script> **bold**", "", 5)
    two = au.add_lesson(session, admin, module_id, "text", "Reading two")
    quiz = au.add_lesson(session, admin, module_id, "quiz", "The quiz")
    au.add_question(session, admin, quiz, "single", "Pick B", ["A", "B", "C"], ["2"], 1, "B is right.")
    au.add_question(session, admin, quiz, "numeric", "Six times seven?", [], ["42", "0"], 1, "")
    au.update_quiz(session, admin, quiz, 100, 2, 0, 0)
    if audience is not None:
        au.update_course(
            session, admin, course_id, au.CourseDetails(f"Course {code}", "", "", "foundation", 10, (), audience)
        )
    au.publish_course(session, admin, course_id)
    return SimpleNamespace(id=course_id, one=one, two=two, quiz=quiz)


@pytest.fixture
def w(session):
    maya = make_user(session, Role.CHANNEL_MANAGER)
    acme = make_org(session, name="Acme Resell", manager=maya)
    bolt = make_org(session, name="Bolt MSP", partner_type="msp")
    admin = actor_for(make_user(session, Role.ADMIN))
    ann, al = (
        make_user(session, Role.PARTNER_ADMIN, acme, full_name="Ann Acme"),
        make_user(session, Role.PARTNER_USER, acme),
    )
    bo = make_user(session, Role.PARTNER_USER, bolt, full_name="Bo Bolt")
    core = _course(session, admin, "CORE-1")
    msp = _course(session, admin, "MSP-1", AudienceRule(partner_types=("msp",)))
    cert = Certification(code="CPA", name="Core Associate", valid_months=12, renewal="all")
    session.add(cert)
    session.flush()
    session.add(CertificationCourse(certification_id=cert.id, course_id=core.id))
    session.commit()
    return SimpleNamespace(
        acme=acme,
        bolt=bolt,
        admin=admin,
        maya=actor_for(maya),
        ann=actor_for(ann),
        al=actor_for(al),
        bo=actor_for(bo),
        core=core,
        msp=msp,
        cert=cert,
    )


def _answers(session: Session, paper, right: bool) -> dict[str, list[str]]:
    out = {}
    for item in paper.items:
        if item.kind == "numeric":
            out[str(item.question_id)] = ["42" if right else "41"]
        else:  # by the option's text, as a person picks it: "B" is right (see _course)
            out[str(item.question_id)] = [next(o.value for o in item.options if o.text == ("B" if right else "A"))]
    return out


def test_the_paper_tells_options_by_their_place_not_by_their_index_in_the_bank(session, w):
    """An option's value is its place on this attempt's paper: the bank's order (authors put the right answer
    first more often than not) does not reach the browser, and grading maps the place back."""
    quiz_id = lesson_quiz_id(session, w.ann, w.core.quiz)
    quiz = session.get(Quiz, quiz_id)
    quiz.shuffle = True
    session.add(quiz)
    for _ in range(12):  # enough draws that a shuffled "B" lands off its bank place (1) at least once, by far
        paper = start_attempt(session, w.ann, quiz_id)
        single = next(i for i in paper.items if i.kind == "single")
        assert [o.value for o in single.options] == ["0", "1", "2"]
        if next(o.value for o in single.options if o.text == "B") != "1":
            break
        session.get(QuizAttempt, paper.attempt_id).open_slot = None  # put this paper aside, draw another
        session.flush()
    else:
        pytest.fail("twelve shuffles all kept B in its bank place")
    result = submit_attempt(session, w.ann, paper.attempt_id, _answers(session, paper, right=True))
    assert result.passed


def test_the_audience_decides_who_sees_and_opens_a_course(session, w):
    assert [r.code for r in catalogue(session, w.ann)] == ["CORE-1"]
    assert {r.code for r in catalogue(session, w.bo)} == {"CORE-1", "MSP-1"}
    with pytest.raises(NotFound):
        open_course(session, w.ann, w.msp.id)
    with pytest.raises(NotFound):
        show_lesson(session, w.ann, w.msp.id, w.msp.one)
    with pytest.raises(NotFound):
        start_attempt(session, w.ann, lesson_quiz_id(session, w.bo, w.msp.quiz))
    with pytest.raises(NotFound):
        show_lesson(session, w.bo, w.core.id, w.msp.one)  # a lesson of another course
    au.retire_course(session, w.admin, w.core.id)
    assert catalogue(session, w.ann) == []
    with pytest.raises(PermissionDenied):
        au.publish_course(session, w.ann, w.core.id)


def test_reading_is_sanitized_and_the_player_resumes_at_the_last_lesson(session, w):
    player = open_course(session, w.ann, w.core.id)
    assert player.resume_lesson_id == w.core.one and player.percent == 0
    lesson = show_lesson(session, w.ann, w.core.id, w.core.one)
    assert "<script>" not in lesson.html and "<strong>bold</strong>" in lesson.html and "<h3>Hello</h3>" in lesson.html
    complete_lesson(session, w.ann, w.core.one)
    show_lesson(session, w.ann, w.core.id, w.core.two)
    complete_lesson(session, w.ann, w.core.one)  # twice: counted once
    again = open_course(session, w.ann, w.core.id)
    assert again.resume_lesson_id == w.core.two and again.done == 1 and again.percent == 33
    events = session.exec(
        select(func.count()).select_from(EngagementEvent).where(EngagementEvent.kind == "lesson_completed")
    ).one()
    assert events == 1
    with pytest.raises(DomainError):
        complete_lesson(session, w.ann, w.core.quiz)  # a quiz completes by being passed


def test_a_new_version_keeps_progress_on_unchanged_lessons(session, w):
    open_course(session, w.ann, w.core.id)
    complete_lesson(session, w.ann, w.core.one)
    complete_lesson(session, w.ann, w.core.two)
    au.update_lesson(session, w.admin, w.core.two, "Reading two", "Rewritten", "", 5)
    assert open_course(session, w.ann, w.core.id).done == 2  # not published yet: nothing changes for learners
    assert au.publish_course(session, w.admin, w.core.id).version == 2
    player = open_course(session, w.ann, w.core.id)
    done = {x.id for m in player.modules for x in m.lessons if x.done}
    assert done == {w.core.one}


def test_learners_see_the_published_copy_until_the_next_version(session, w):
    """A manager's edits make a draft: learners keep the published text, quiz settings and questions, and do not
    see a lesson added since; publishing makes it all live, and a changed lesson says so to those who did it."""
    open_course(session, w.ann, w.core.id)
    complete_lesson(session, w.ann, w.core.one)
    au.update_lesson(session, w.admin, w.core.one, "Reading one, revised", "Brand **new** text", "", 5)
    module_id = course_editor(session, w.admin, w.core.id).modules[0].id
    extra = au.add_lesson(session, w.admin, module_id, "text", "A later reading")
    au.add_question(session, w.admin, w.core.quiz, "single", "Draft only?", ["Yes", "No"], ["1"], 5, "")
    au.update_quiz(session, w.admin, w.core.quiz, 50, 9, 0, 0)
    learner = show_lesson(session, w.ann, w.core.id, w.core.one)
    assert learner.title == "Reading one" and "Hello" in learner.html and learner.done
    assert show_lesson(session, w.admin, w.core.id, w.core.one).title == "Reading one, revised"  # the preview
    with pytest.raises(NotFound):
        show_lesson(session, w.ann, w.core.id, extra)
    assert open_course(session, w.ann, w.core.id).total == 3
    quiz_id = lesson_quiz_id(session, w.ann, w.core.quiz)
    summary = quiz_summary(session, w.ann, quiz_id)
    assert (summary.questions, summary.pass_percent, summary.max_attempts) == (2, 100, 2)
    assert "Draft only?" not in [i.prompt for i in start_attempt(session, w.ann, quiz_id).items]
    changed = {x.id for m in course_editor(session, w.admin, w.core.id).modules for x in m.lessons if x.changed}
    assert changed == {w.core.one, extra, w.core.quiz}

    au.publish_course(session, w.admin, w.core.id)
    again = show_lesson(session, w.ann, w.core.id, w.core.one)
    assert again.title == "Reading one, revised" and "<strong>new</strong>" in again.html
    assert not again.done and again.changed_since_done  # progress on a changed lesson restarts, and it says so
    assert open_course(session, w.ann, w.core.id).total == 4
    assert quiz_summary(session, w.ann, quiz_id).pass_percent == 50
    assert not any(x.changed for m in course_editor(session, w.admin, w.core.id).modules for x in m.lessons)


def test_a_replaced_video_stays_while_learners_are_shown_it(session, w):
    from prm_app.training.models import Lesson

    lesson = session.get(Lesson, w.core.two)
    lesson.kind = "video"
    session.add(lesson)
    assert au.attach_media(session, w.admin, w.core.two, "a" * 32, "video/mp4") == ""
    au.publish_course(session, w.admin, w.core.id)
    assert lesson_media(session, w.ann, w.core.two)[0] == "a" * 32
    assert au.attach_media(session, w.admin, w.core.two, "b" * 32, "video/mp4") == ""  # the copy still shows it
    assert lesson_media(session, w.ann, w.core.two)[0] == "a" * 32
    assert au.publish_course(session, w.admin, w.core.id).released_media == ("a" * 32,)
    assert lesson_media(session, w.ann, w.core.two)[0] == "b" * 32


def test_quizzes_are_graded_on_the_server_with_one_open_attempt(session, w):
    open_course(session, w.ann, w.core.id)
    quiz_id = lesson_quiz_id(session, w.ann, w.core.quiz)
    paper = start_attempt(session, w.ann, quiz_id)
    shown = str([asdict(i) for i in paper.items])
    assert "B is right" not in shown and "42" not in shown  # no answer or explanation before submitting
    assert start_attempt(session, w.ann, quiz_id).attempt_id == paper.attempt_id  # a second tab: the same attempt
    with pytest.raises(NotFound):
        submit_attempt(session, w.al, paper.attempt_id, {})  # someone else's attempt
    failed = submit_attempt(session, w.ann, paper.attempt_id, _answers(session, paper, right=False))
    assert not failed.passed and failed.left == 1 and all(f.explanation == "" for f in failed.feedback)
    with pytest.raises(DomainError):
        submit_attempt(session, w.ann, paper.attempt_id, {})  # submitted already
    second = start_attempt(session, w.ann, quiz_id)
    passed = submit_attempt(session, w.ann, second.attempt_id, _answers(session, second, right=True))
    assert passed.passed and passed.percent == "100.0" and "B is right." in [f.explanation for f in passed.feedback]
    with pytest.raises(DomainError, match="passed this quiz already"):
        start_attempt(session, w.ann, quiz_id)
    assert quiz_summary(session, w.ann, quiz_id).passed


def test_attempts_run_out_and_late_submissions_count_as_not_passed(session, w):
    quiz_id = lesson_quiz_id(session, w.al, w.core.quiz)
    au.update_quiz(session, w.admin, w.core.quiz, 100, 2, 10, 0)
    au.publish_course(session, w.admin, w.core.id)  # quiz settings reach learners when published
    paper = start_attempt(session, w.al, quiz_id, now=T0)
    late = submit_attempt(
        session, w.al, paper.attempt_id, _answers(session, paper, True), now=T0 + timedelta(minutes=11)
    )
    assert late.late and not late.passed
    paper = start_attempt(session, w.al, quiz_id)
    submit_attempt(session, w.al, paper.attempt_id, {})
    with pytest.raises(DomainError, match="every attempt"):
        start_attempt(session, w.al, quiz_id)


def test_an_attempt_left_open_past_its_time_is_closed_not_handed_back(session, w):
    """Coming back after the time ran out gives a fresh paper (when an attempt is left), not the old one whose
    every answer would be refused as late; the lapsed attempt counts as a try not passed."""
    quiz_id = lesson_quiz_id(session, w.al, w.core.quiz)
    au.update_quiz(session, w.admin, w.core.quiz, 100, 2, 10, 0)
    au.publish_course(session, w.admin, w.core.id)  # quiz settings reach learners when published
    first = start_attempt(session, w.al, quiz_id, now=T0)
    later = T0 + timedelta(minutes=30)
    second = start_attempt(session, w.al, quiz_id, now=later)
    assert second.attempt_id != first.attempt_id and second.deadline == later + timedelta(minutes=10)
    lapsed = session.get(QuizAttempt, first.attempt_id)
    assert lapsed.submitted_at == later and lapsed.open_slot is None and not lapsed.passed
    assert quiz_summary(session, w.al, quiz_id).left == 1


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_two_tabs_starting_at_once_share_one_attempt(backend, tmp_path):
    with shared_database(backend, tmp_path, "quiz_race") as engine:
        with Session(engine, expire_on_commit=False) as session:
            admin = actor_for(make_user(session, Role.ADMIN))
            learner = actor_for(make_user(session, Role.PARTNER_USER))
            course = _course(session, admin, "RACE-1")
            quiz_id = lesson_quiz_id(session, learner, course.quiz)
            session.commit()
        results = race(engine, *(lambda s: start_attempt(s, learner, quiz_id).attempt_id for _ in range(2)))
        assert all(isinstance(r, int) for r in results), results
        assert results[0] == results[1]
        with Session(engine) as session:
            assert session.exec(select(func.count()).select_from(QuizAttempt)).one() == 1


def test_prerequisites_hold_on_every_way_into_a_lesson(session, w):
    """The player refuses a course whose prerequisite is not complete; its quiz, its files' route, the video
    beacon and "Done" refuse the same person by lesson or quiz id."""
    details = au.CourseDetails(
        "Course MSP-1", "", "", "foundation", 10, (w.core.id,), AudienceRule(partner_types=("msp",))
    )
    au.update_course(session, w.admin, w.msp.id, details)
    quiz_id = lesson_quiz_id(session, w.admin, w.msp.quiz)
    with pytest.raises(DomainError, match="Course CORE-1"):
        open_course(session, w.bo, w.msp.id)
    for refused in (
        lambda: start_attempt(session, w.bo, quiz_id),
        lambda: quiz_summary(session, w.bo, quiz_id),
        lambda: lesson_media(session, w.bo, w.msp.one),
        lambda: save_position(session, w.bo, w.msp.one, 30),
        lambda: complete_lesson(session, w.bo, w.msp.one),
    ):
        with pytest.raises(DomainError, match="Course CORE-1"):
            refused()
    _finish(session, w, w.bo)  # the prerequisite done: the same calls go through
    assert start_attempt(session, w.bo, quiz_id).items


@pytest.mark.parametrize("backend", SHARED_BACKENDS)
def test_one_attempt_submitted_twice_at_once_is_graded_once(backend, tmp_path):
    with shared_database(backend, tmp_path, "quiz_submit_race") as engine:
        with Session(engine, expire_on_commit=False) as session:
            admin = actor_for(make_user(session, Role.ADMIN))
            learner = actor_for(make_user(session, Role.PARTNER_USER))
            course = _course(session, admin, "RACE-2")
            quiz_id = lesson_quiz_id(session, learner, course.quiz)
            paper = start_attempt(session, learner, quiz_id)
            right, wrong = _answers(session, paper, right=True), _answers(session, paper, right=False)
            session.commit()
        results = race(
            engine,
            lambda s: submit_attempt(s, learner, paper.attempt_id, wrong),
            lambda s: submit_attempt(s, learner, paper.attempt_id, right),
        )
        graded = [r for r in results if not isinstance(r, Exception)]
        assert len(graded) == 1, results
        with Session(engine) as session:
            lines = session.exec(select(func.count()).select_from(QuestionResult)).one()
            assert lines == len(paper.items)  # one grading's lines, not two
            verdicts = session.exec(
                select(func.count()).select_from(EngagementEvent).where(EngagementEvent.kind.in_(QUIZ_VERDICTS))
            ).one()
            assert verdicts == 1
            stored = session.get(QuizAttempt, paper.attempt_id)
            assert stored is not None and stored.passed == graded[0].passed


def _finish(session: Session, w, actor: Actor) -> None:
    open_course(session, actor, w.core.id)
    complete_lesson(session, actor, w.core.one)
    complete_lesson(session, actor, w.core.two)
    quiz_id = lesson_quiz_id(session, actor, w.core.quiz)
    paper = start_attempt(session, actor, quiz_id)
    submit_attempt(session, actor, paper.attempt_id, _answers(session, paper, right=True))


def test_completing_the_courses_certifies_and_the_code_verifies(session, w):
    _finish(session, w, w.ann)
    [mine] = my_certificates(session, w.ann)
    assert mine.status == "valid" and len(mine.code) == 32
    view = verify_certificate(session, mine.code)
    assert view is not None and view.holder == "Ann Acme" and view.certification == "Core Associate"
    assert verify_certificate(session, "0" * 32) is None and verify_certificate(session, "../etc") is None
    assert verify_certificate(session, mine.code, now=mine.expires_at + timedelta(days=1)).status == "expired"
    kinds = set(session.exec(select(EngagementEvent.kind)).all())
    assert {"lesson_completed", "quiz_passed", "certified"} <= kinds
    au_row = session.exec(select(Certificate)).one()
    au_row.revoked_at = T0
    session.add(au_row)
    assert verify_certificate(session, mine.code).status == "revoked"  # revoked is shown, not a 404


def test_headcount_follows_people_and_the_fact_source_reports_it(session, w):
    from prm_app.audience import partner_facts

    _finish(session, w, w.ann)
    assert certified_headcount(session, w.acme.id, "CPA") == 1
    assert "CPA" in partner_facts(session, w.acme.id).certifications
    from prm_app.identity import User

    ann = session.get(User, w.ann.user_id)
    ann.organization_id = w.bolt.id  # Ann moves to Bolt: her certificate goes with her
    session.add(ann)
    session.flush()
    assert certified_headcount(session, w.acme.id, "CPA") == 0
    assert certified_headcount(session, w.bolt.id, "CPA") == 1


def test_reminders_at_60_and_14_days_and_expiry_recorded_once(session, w):
    from prm_app.identity import User

    user = session.get(User, w.ann.user_id)
    issue_certificate(session, w.ann, user, w.cert, T0)
    row = session.exec(select(Certificate)).one()
    job = Actor.system("test")
    assert remind_expiring(session, job, now=row.expires_at - timedelta(days=61)).reminded == 0
    assert remind_expiring(session, job, now=row.expires_at - timedelta(days=59)).reminded == 1
    assert remind_expiring(session, job, now=row.expires_at - timedelta(days=58)).reminded == 0
    assert remind_expiring(session, job, now=row.expires_at - timedelta(days=13)).reminded == 1
    assert remind_expiring(session, job, now=row.expires_at + timedelta(days=1)).expired == 1
    assert remind_expiring(session, job, now=row.expires_at + timedelta(days=2)).expired == 0
    notices = session.exec(select(Notification).where(Notification.kind == "certificate_expiring")).all()
    assert len(notices) == 2 and "Core Associate" in notices[0].message and notices[0].link == "/learn"
    mails = session.exec(select(OutboxMessage).where(OutboxMessage.to_address == user.email)).all()
    assert len(mails) == 2
    with pytest.raises(PermissionDenied):
        remind_expiring(session, w.ann)


def test_renewal_issues_a_new_certificate_that_supersedes_the_old(session, w):
    from prm_app.identity import User

    _finish(session, w, w.ann)
    old = session.exec(select(Certificate)).one()
    old.issued_at, old.expires_at = T0 - timedelta(days=400), T0 - timedelta(days=35)
    session.add(old)
    session.flush()
    cert = session.get(Certification, w.cert.id)
    assert cert is not None
    issue_certificate(session, w.ann, session.get(User, w.ann.user_id), cert, T0, replaces=old)
    views = my_certificates(session, w.ann, now=T0)
    assert [v.status for v in views] == ["valid", "superseded"]
    assert verify_certificate(session, old.code, now=T0).status == "superseded"


def test_authoring_checks_its_input(session, w):
    with pytest.raises(ValidationError):
        au.create_course(session, w.admin, "bad code!", "X")
    with pytest.raises(ValidationError):
        au.create_course(session, w.admin, "CORE-1", "Duplicate")
    with pytest.raises(ValidationError):
        au.update_lesson(session, w.admin, w.core.one, "T", "", "javascript:alert(1)", 5)
    course_id = au.create_course(session, w.admin, "EMPTY-1", "Empty")
    with pytest.raises(DomainError):
        au.publish_course(session, w.admin, course_id)
    with pytest.raises(PermissionDenied):
        au.create_course(session, w.ann, "X-1", "X")


def test_video_positions_are_kept_for_learners_only(session, w):
    from prm_app.training.models import Lesson

    lesson = session.get(Lesson, w.core.one)
    lesson.kind, lesson.video_url = "video", "https://videos.example.com/one.mp4"
    session.add(lesson)
    au.publish_course(session, w.admin, w.core.id)
    save_position(session, w.ann, w.core.one, 125)
    save_position(session, w.admin, w.core.one, 5)
    assert show_lesson(session, w.ann, w.core.id, w.core.one).position == 125
    save_position(session, w.ann, w.core.one, 10**9)
    assert show_lesson(session, w.ann, w.core.id, w.core.one).position == 24 * 3600


def test_the_seed_is_idempotent(session):
    from prm_app.audience.seed import seed as audience_seed
    from prm_app.partners.seed import seed as partners_seed
    from prm_app.training.seed import seed

    partners_seed(session)
    audience_seed(session)
    first = seed(session)
    assert first == {"training courses": 3, "certifications": 2}
    assert seed(session) == {"training courses": 0, "certifications": 0}
    assert session.exec(select(func.count()).select_from(Certificate)).one() == 5


def test_a_scorm_lesson_launches_for_enrolled_learners_and_its_completion_counts(session, w):
    from prm_app.scorm import ScormPackage, may_launch
    from prm_app.training.scorm_lessons import may_launch_lesson, scorm_lesson_reported

    package = ScormPackage(title="Demo", version="1.2", folder="f" * 32, launch_href="index.html")
    session.add(package)
    session.flush()
    module_id = course_editor(session, w.admin, w.core.id).modules[0].id
    lesson_id = au.add_lesson(session, w.admin, module_id, "scorm", "Interactive")
    with pytest.raises(DomainError, match="no SCORM package"):
        au.publish_course(session, w.admin, w.core.id)
    with pytest.raises(ValidationError):
        au.choose_package(session, w.admin, lesson_id, 999)
    au.choose_package(session, w.admin, lesson_id, package.id)
    au.publish_course(session, w.admin, w.core.id)
    context = f"lesson:{lesson_id}"
    assert not may_launch_lesson(session, w.ann, package.id, context)  # not enrolled yet
    open_course(session, w.ann, w.core.id)
    assert may_launch_lesson(session, w.ann, package.id, context) and may_launch(session, w.ann, package.id, context)
    assert not may_launch_lesson(session, w.ann, package.id, "preview")
    assert not may_launch_lesson(session, w.ann, package.id + 1, context)  # another package
    assert not may_launch_lesson(session, w.ann, package.id, f"lesson:{w.core.one}")  # not a SCORM lesson
    msp_module = course_editor(session, w.admin, w.msp.id).modules[0].id
    foreign = au.add_lesson(session, w.admin, msp_module, "scorm", "MSP interactive")
    au.choose_package(session, w.admin, foreign, package.id)
    assert not may_launch_lesson(session, w.ann, package.id, f"lesson:{foreign}")  # a course not for Acme
    scorm_lesson_reported(session, w.ann.user_id, context, False, None, None)
    assert open_course(session, w.ann, w.core.id).done == 0
    from prm_app.scorm import ScormAttempt

    # the SCORM area tells its listener once it kept the completion (the package's only SCO: the lesson is done)
    session.add(
        ScormAttempt(
            user_id=w.ann.user_id, package_id=package.id, context=context, launch_token="t" * 40, completed_at=T0
        )
    )
    session.flush()
    scorm_lesson_reported(session, w.ann.user_id, context, True, True, 100.0)
    assert {x.id for m in open_course(session, w.ann, w.core.id).modules for x in m.lessons if x.done} == {lesson_id}


def test_certification_progress_says_when_the_exam_is_due(session, w):
    from prm_app.training.certification_progress import my_certifications

    exam = Quiz(title="Final exam", pass_percent=50, max_attempts=1)
    session.add(exam)
    session.flush()
    cert = session.get(Certification, w.cert.id)
    cert.final_quiz_id, cert.renewal = exam.id, "exam"
    session.add(cert)
    session.flush()
    [before] = my_certifications(session, w.ann)
    assert (before.courses_done, before.courses_total, before.exam_ready, before.held) == (0, 1, False, "")
    _finish(session, w, w.ann)
    assert my_certificates(session, w.ann) == []  # the exam is still to pass
    [ready] = my_certifications(session, w.ann)
    assert ready.exam_ready and ready.exam_quiz_id == exam.id
    assert my_certifications(session, w.bo)[0].courses_done == 0


def test_managers_define_certifications_and_revoke_certificates(session, w):
    from prm_app.training.certification_admin import (
        certification_rows,
        exam_choices,
        revoke_by_code,
        save_certification,
    )

    quiz_id = lesson_quiz_id(session, w.admin, w.core.quiz)
    assert (quiz_id, "The quiz (Course CORE-1)") in exam_choices(session, w.admin)
    new_id = save_certification(session, w.admin, 0, "msp-pro", "MSP Professional", 24, "exam", [w.msp.id], quiz_id)
    with pytest.raises(ValidationError) as raised:
        save_certification(session, w.admin, 0, "MSP-PRO", "Again", 24, "exam", [w.msp.id], 0)
    assert raised.value.field == "code"
    for args, field in [
        (("X1", "X", 0, "exam", [w.msp.id], 0), "valid_months"),
        (("X1", "X", 12, "sometimes", [w.msp.id], 0), "renewal"),
        (("X1", "X", 12, "exam", [], 0), "courses"),
        (("X1", "X", 12, "exam", [w.msp.id], 99999), "final_quiz"),
    ]:
        with pytest.raises(ValidationError) as raised:
            save_certification(session, w.admin, 0, *args)
        assert raised.value.field == field
    save_certification(session, w.admin, new_id, "MSP-PRO", "MSP Professional", 12, "all", [w.msp.id, w.core.id], 0)
    row = next(r for r in certification_rows(session, w.admin) if r.id == new_id)
    assert (row.valid_months, row.renewal, set(row.course_ids), row.final_quiz_id) == (
        12,
        "all",
        {w.msp.id, w.core.id},
        0,
    )
    with pytest.raises(PermissionDenied):
        save_certification(session, w.ann, 0, "HACK", "Hack", 12, "exam", [w.core.id], 0)
    _finish(session, w, w.ann)
    [mine] = my_certificates(session, w.ann)
    with pytest.raises(PermissionDenied):
        revoke_by_code(session, w.ann, mine.code)
    assert revoke_by_code(session, w.admin, mine.code.upper()) == "Ann Acme"
    assert verify_certificate(session, mine.code).status == "revoked"
    with pytest.raises(NotFound):
        revoke_by_code(session, w.admin, "nope")


def test_renewal_by_taking_everything_again(session, w):
    from prm_app.platform.clock import utcnow
    from prm_app.training.certification_progress import my_certifications, start_renewal

    _finish(session, w, w.ann)
    old = session.exec(select(Certificate)).one()
    with pytest.raises(DomainError):
        start_renewal(session, w.ann, "CPA")  # valid for a year yet: nothing to renew
    old.issued_at, old.expires_at = utcnow() - timedelta(days=700), utcnow() + timedelta(days=20)
    session.add(old)
    enrolment = session.exec(select(Enrollment).where(Enrollment.user_id == w.ann.user_id)).one()
    enrolment.started_at, enrolment.completed_at = old.issued_at - timedelta(days=1), old.issued_at  # a year ago
    session.add(enrolment)
    session.flush()
    [progress] = my_certifications(session, w.ann)
    assert progress.held == "expiring" and progress.renew_by_courses
    start_renewal(session, w.ann, "CPA")
    assert open_course(session, w.ann, w.core.id).done == 0
    assert not my_certifications(session, w.ann)[0].renew_by_courses  # started: not offered twice
    _finish(session, w, w.ann)  # the quiz passed before counts no more: it is taken again
    views = my_certificates(session, w.ann)
    assert sorted(v.status for v in views) == ["superseded", "valid"]
    with pytest.raises(NotFound):
        start_renewal(session, w.ann, "NOPE")


def test_managers_author_a_standalone_final_exam_that_learners_take(session, w):
    """A final exam written on its own (no lesson): title, pass mark, attempts, time limit, a subset per attempt,
    questions with marks; a certification takes it, and a learner's attempt draws the subset with the deadline."""
    from prm_app.training.certification_admin import exam_choices, save_certification
    from prm_app.training.exams import add_exam_question, create_exam, exam_editor, exam_rows, update_exam

    with pytest.raises(ValidationError) as empty:
        create_exam(session, w.admin, "  ")
    assert empty.value.field == "title"
    exam_id = create_exam(session, w.admin, "Core final exam")
    for n in range(3):
        add_exam_question(session, w.admin, exam_id, "single", f"Question {n}?", ["Yes", "No"], ["1"], n + 1, "")
    with pytest.raises(ValidationError) as wrong:
        add_exam_question(session, w.admin, exam_id, "single", "Bad?", ["Only one"], ["1"], 1, "")
    assert wrong.value.field == "options"
    refusals = (
        ((0, 2, 30, 2), "pass_percent"),
        ((80, 99, 30, 2), "max_attempts"),
        ((80, 2, 999, 2), "time_limit_minutes"),
    )
    for bad, field in refusals:
        with pytest.raises(ValidationError) as refused:
            update_exam(session, w.admin, exam_id, "Core final exam", *bad)
        assert refused.value.field == field
    update_exam(session, w.admin, exam_id, "Core final exam", 80, 2, 30, 2, False)
    view = exam_editor(session, w.admin, exam_id)
    assert view.shuffle is False
    assert (view.pass_percent, view.max_attempts, view.time_limit_minutes, view.draw, len(view.questions)) == (
        80, 2, 30, 2, 3,
    )  # fmt: skip
    assert view.questions[2].marks == 3 and view.questions[0].answer == "1"
    assert (exam_id, "Core final exam") in exam_choices(session, w.admin)
    with pytest.raises(PermissionDenied):
        create_exam(session, w.ann, "Hack")
    with pytest.raises(NotFound):  # a lesson's quiz is edited with its course, not here
        exam_editor(session, w.admin, lesson_quiz_id(session, w.admin, w.core.quiz))

    save_certification(session, w.admin, w.cert.id, "CPA", "Core Associate", 12, "exam", [w.core.id], exam_id)
    [row] = exam_rows(session, w.admin)
    assert (row.questions, row.certifications) == (3, ("Core Associate",))
    _finish(session, w, w.ann)
    paper = start_attempt(session, w.ann, exam_id, now=T0)
    assert len(paper.items) == 2 and paper.deadline == T0 + timedelta(minutes=30)
    assert quiz_summary(session, w.ann, exam_id).questions == 2


def test_a_passed_quiz_changed_by_a_new_version_can_be_passed_again(session, w):
    """A quiz lesson changed by a new version restarts for those who passed it (the player says "take it again"):
    their earlier attempts do not count against it, so they can pass it again and finish the course, not stay
    stuck on "You have passed this quiz already"."""
    open_course(session, w.ann, w.core.id)
    complete_lesson(session, w.ann, w.core.one)
    quiz_id = lesson_quiz_id(session, w.ann, w.core.quiz)
    wrong = start_attempt(session, w.ann, quiz_id, now=T0)
    submit_attempt(session, w.ann, wrong.attempt_id, _answers(session, wrong, right=False), now=T0)
    paper = start_attempt(session, w.ann, quiz_id, now=T0 + timedelta(minutes=1))
    done = T0 + timedelta(minutes=2)
    assert submit_attempt(session, w.ann, paper.attempt_id, _answers(session, paper, right=True), now=done).passed
    au.add_question(session, w.admin, w.core.quiz, "numeric", "Two plus two?", [], ["4", "0"], 1, "")
    au.publish_course(session, w.admin, w.core.id, now=T0 + timedelta(days=1))
    shown = show_lesson(session, w.ann, w.core.id, w.core.quiz)
    assert shown.changed_since_done and not shown.done
    summary = quiz_summary(session, w.ann, quiz_id)
    assert (summary.used, summary.passed) == (0, False)  # both attempts were at the earlier version
    again = start_attempt(session, w.ann, quiz_id, now=T0 + timedelta(days=2))
    answers = _answers(session, again, right=True)
    for item in again.items:
        if item.prompt == "Two plus two?":
            answers[str(item.question_id)] = ["4"]
    assert submit_attempt(session, w.ann, again.attempt_id, answers, now=T0 + timedelta(days=2)).passed
    complete_lesson(session, w.ann, w.core.two)
    assert open_course(session, w.ann, w.core.id).completed


def test_a_lesson_edited_and_edited_back_keeps_everyones_progress(session, w):
    """A SCORM package chosen and then chosen back (or a text edited and restored) is no change to learners:
    publishing keeps their completion. Before, the lesson took a new revision, and a SCORM lesson whose SCOs were
    completed already could never complete again (its package reports completion only once)."""
    from prm_app.scorm import ScormPackage

    packages = [ScormPackage(title=t, version="1.2", folder=t * 32, launch_href="index.html") for t in "ab"]
    session.add_all(packages)
    session.flush()
    module_id = course_editor(session, w.admin, w.core.id).modules[0].id
    lesson_id = au.add_lesson(session, w.admin, module_id, "scorm", "Interactive")
    au.choose_package(session, w.admin, lesson_id, packages[0].id)
    au.publish_course(session, w.admin, w.core.id)
    open_course(session, w.ann, w.core.id)
    complete_lesson(session, w.ann, w.core.one)
    from prm_app.training.learning import mark_done
    from prm_app.training.published import live_lesson

    mark_done(session, w.ann, live_lesson(session, lesson_id, draft=False), T0)  # as its SCO's report does
    au.choose_package(session, w.admin, lesson_id, packages[1].id)
    au.choose_package(session, w.admin, lesson_id, packages[0].id)
    au.update_lesson(session, w.admin, w.core.one, "Reading one", "Changed for a moment", "", 5)
    body = "# Hello\n\n<script>alert(1)</script> **bold**"
    au.update_lesson(session, w.admin, w.core.one, "Reading one, renamed", body, "", 5)
    au.publish_course(session, w.admin, w.core.id)
    done = {x.id for m in open_course(session, w.ann, w.core.id).modules for x in m.lessons if x.done}
    assert done == {w.core.one, lesson_id}
    assert show_lesson(session, w.ann, w.core.id, w.core.one).title == "Reading one, renamed"
    au.choose_package(session, w.admin, lesson_id, packages[1].id)  # a real change still restarts it
    au.publish_course(session, w.admin, w.core.id)
    assert show_lesson(session, w.ann, w.core.id, lesson_id).changed_since_done
