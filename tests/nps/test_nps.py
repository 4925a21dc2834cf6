"""NPS partner surveys: launching, answering once, the maths, the reports and the demo data."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, func, select

from prm_app.identity.models import User
from prm_app.notifications.models import Notification
from prm_app.nps import service as nps
from prm_app.nps.models import NpsResponse, NpsSurvey
from prm_app.nps.queries import (
    SurveyToAnswer,
    get_survey_for_partner,
    list_surveys,
    surveys_to_answer,
)
from prm_app.nps.reports import Detractor, detractors_for, nps_report
from prm_app.nps.rules import nps_score, survey_status, tally
from prm_app.nps.service import answer_survey, launch_survey
from prm_app.partners.models import PartnerType
from prm_app.platform.access import Role
from prm_app.platform.db import make_engine
from prm_app.platform.errors import DomainError, FormInvalid, NotFound, PermissionDenied, ValidationError
from prm_app.platform.models import AuditLog, EngagementEvent
from tests.conftest import private_pg_schema
from tests.factories import T0, actor_for, make_org, make_tier, make_user

DAY = timedelta(days=1)


@pytest.fixture
def w(session):
    """Two managers' books across tiers, types and regions, plus an admin and an exec."""
    gold, silver = make_tier(session, name="Gold", rank=2), make_tier(session, name="Silver", rank=1)
    maya, lars = make_user(session, Role.CHANNEL_MANAGER), make_user(session, Role.CHANNEL_MANAGER)
    admin, exec_ = make_user(session, Role.ADMIN), make_user(session, Role.EXEC)
    acme = make_org(
        session, name="Acme Resell", tier=gold, partner_type=PartnerType.RESELLER, region="EMEA", manager=maya
    )
    bolt = make_org(session, name="Bolt MSP", tier=silver, partner_type=PartnerType.MSP, region="APAC", manager=lars)
    core = make_org(session, name="Core MSP", tier=gold, partner_type=PartnerType.MSP, region="EMEA", manager=maya)
    quiet = make_org(session, name="Quiet Ltd", tier=silver, manager=lars)  # only a deactivated user
    make_org(session, name="Empty Ltd", tier=silver)  # nobody at all
    people = SimpleNamespace(
        ann=make_user(session, Role.PARTNER_ADMIN, acme, full_name="Ann Acme"),
        al=make_user(session, Role.PARTNER_USER, acme, full_name="Al Acme"),
        bo=make_user(session, Role.PARTNER_ADMIN, bolt, full_name="Bo Bolt"),
        cy=make_user(session, Role.PARTNER_ADMIN, core, full_name="Cy Core"),
        gone=make_user(session, Role.PARTNER_USER, quiet, is_active=False),
    )
    session.commit()
    return SimpleNamespace(
        maya=actor_for(maya),
        lars=actor_for(lars),
        admin=actor_for(admin),
        exec=actor_for(exec_),
        orgs=SimpleNamespace(acme=acme, bolt=bolt, core=core, quiet=quiet),
        p=SimpleNamespace(**{k: actor_for(v) for k, v in vars(people).items()}),
    )


def launch(session, actor, title="Q1 pulse", opens=T0, closes=T0 + 30 * DAY, now=T0):
    return launch_survey(
        session,
        actor,
        title=title,
        question="How likely are you to recommend us?",
        opens_at=opens,
        closes_at=closes,
        now=now,
    )


def count(session, model, *where):
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


# --- launching -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["maya", "admin"])
def test_a_manager_or_admin_launches_a_survey_and_partners_with_active_users_are_notified(session, w, who):
    survey_id = launch(session, getattr(w, who), title="  Q1 pulse  ", now=T0 - DAY)
    session.commit()

    survey = session.get(NpsSurvey, survey_id)
    assert (survey.title, survey.opens_at, survey.closes_at) == ("Q1 pulse", T0, T0 + 30 * DAY)
    notes = session.exec(select(Notification).order_by(Notification.organization_id)).all()
    assert [n.organization_id for n in notes] == [w.orgs.acme.id, w.orgs.bolt.id, w.orgs.core.id]
    assert {(n.kind, n.link) for n in notes} == {("nps_survey", f"/portal/survey/{survey_id}")}
    assert "Q1 pulse" in notes[0].message and "Opens 15 Jan 2030 (UTC)" in notes[0].message
    log = session.exec(select(AuditLog).where(AuditLog.action == "launch_survey")).one()
    assert (log.record_id, json.loads(log.summary)["notified"]) == (survey_id, 3)


def _in_zone(session, actor, name: str):
    session.get(User, actor.user_id).time_zone = name
    session.flush()
    return actor


def test_days_from_the_form_are_whole_days_in_the_launching_managers_zone(session, w):
    """ "From 1 to 14 Dec" chosen in Los Angeles: open from 00:00 on 1 Dec to the end of 14 Dec there, and the survey
    keeps that zone, so its days read the same for everyone (a later change of the manager's setting moves nothing)."""
    la = ZoneInfo("America/Los_Angeles")
    maya = _in_zone(session, w.maya, "America/Los_Angeles")
    now = datetime(2030, 11, 20, 12, tzinfo=UTC)

    survey_id = launch(session, maya, opens=date(2030, 12, 1), closes=date(2030, 12, 14), now=now)
    session.commit()

    survey = session.get(NpsSurvey, survey_id)
    assert survey.time_zone == "America/Los_Angeles"
    assert survey.opens_at == datetime(2030, 12, 1, tzinfo=la) == datetime(2030, 12, 1, 8, tzinfo=UTC)  # PST: -8
    assert survey.closes_at == datetime(2030, 12, 15, 7, 59, 59, tzinfo=UTC)  # 23:59:59 on 14 Dec in Los Angeles
    note = session.exec(select(Notification)).first()
    assert "Opens 1 Dec 2030 (America / Los Angeles)" in note.message
    log = json.loads(session.exec(select(AuditLog).where(AuditLog.action == "launch_survey")).one().summary)
    assert log["time_zone"] == "America/Los_Angeles"

    _in_zone(session, maya, "Asia/Tokyo")  # the manager travels: the survey's days stay Los Angeles days
    (summary,) = list_surveys(session, maya, now=now)
    assert (summary.time_zone, summary.first_day, summary.last_day) == (
        "America/Los_Angeles",
        date(2030, 12, 1),
        date(2030, 12, 14),
    )
    # A partner in any zone reads the same last day; the survey takes answers to the last second of it.
    partner_view = get_survey_for_partner(session, w.p.al, survey_id, now=datetime(2030, 12, 15, 7, 59, tzinfo=UTC))
    assert partner_view.last_day == date(2030, 12, 14)
    with pytest.raises(NotFound):
        get_survey_for_partner(session, w.p.al, survey_id, now=datetime(2030, 12, 15, 8, tzinfo=UTC))


def test_a_manager_without_a_zone_chooses_utc_days_and_today_still_counts(session, w):
    now = datetime(2030, 1, 15, 22, tzinfo=UTC)  # late on 15 Jan: a survey closing "today" still has two hours

    survey_id = launch(session, w.maya, opens=date(2030, 1, 10), closes=date(2030, 1, 15), now=now)

    survey = session.get(NpsSurvey, survey_id)
    assert (survey.time_zone, survey.opens_at, survey.closes_at) == (
        "UTC",
        datetime(2030, 1, 10, tzinfo=UTC),
        datetime(2030, 1, 15, 23, 59, 59, tzinfo=UTC),
    )
    assert "Open until 15 Jan 2030 (UTC)" in session.exec(select(Notification)).first().message
    with pytest.raises(ValidationError) as err:  # yesterday is over, in the manager's zone as in any
        launch(session, w.maya, opens=date(2030, 1, 10), closes=date(2030, 1, 14), now=now)
    assert err.value.field == "closes_at"


def test_a_closing_day_already_over_in_the_managers_zone_is_refused_though_not_over_in_utc(session, w):
    maya = _in_zone(session, w.maya, "Pacific/Kiritimati")  # UTC+14: 16 Jan has begun there at 10:00 UTC on 15 Jan
    now = datetime(2030, 1, 15, 10, 30, tzinfo=UTC)

    with pytest.raises(ValidationError) as err:
        launch(session, maya, opens=date(2030, 1, 10), closes=date(2030, 1, 15), now=now)

    assert (err.value.field, err.value.message) == ("closes_at", "The closing date must be in the future.")
    assert launch(session, maya, opens=date(2030, 1, 10), closes=date(2030, 1, 16), now=now)


@pytest.mark.parametrize("who", ["exec", "p.ann", "p.al"])
def test_execs_and_partners_cannot_launch(session, w, who):
    actor = w.exec if who == "exec" else getattr(w.p, who[2:])

    with pytest.raises(PermissionDenied):
        launch(session, actor)

    assert count(session, NpsSurvey) == count(session, Notification) == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"question": ""}, "question"),
        ({"question": "?" * 1001}, "question"),
        ({"closes_at": T0}, "closes_at"),  # closes when it opens
        ({"closes_at": T0 - DAY}, "closes_at"),
        ({"opens_at": T0 - 30 * DAY, "closes_at": T0 - DAY}, "closes_at"),  # already over
        ({"opens_at": T0.replace(tzinfo=None)}, "opens_at"),  # naive: which zone?
        ({"closes_at": None}, "closes_at"),
        ({"closes_at": "2030-02-01"}, "closes_at"),  # text the page could not read as a day
    ],
)
def test_launch_refuses_bad_input_with_the_field_and_writes_nothing(session, w, changes, field):
    fields = {"title": "Q1", "question": "Recommend us?", "opens_at": T0, "closes_at": T0 + DAY, **changes}

    with pytest.raises(ValidationError) as err:
        launch_survey(session, w.maya, now=T0, **fields)

    assert err.value.field == field
    assert count(session, NpsSurvey) == count(session, Notification) == 0


def test_launch_reports_every_bad_field_at_once_and_accepts_the_limits(session, w):
    with pytest.raises(FormInvalid) as err:
        launch_survey(session, w.maya, title="", question=" ", opens_at=T0, closes_at=T0 - DAY, now=T0)
    assert set(err.value.errors) == {"title", "question", "closes_at"}

    survey_id = launch(session, w.maya, title="x" * 120, opens=T0 - 10 * DAY, closes=T0 + DAY)  # opened earlier: fine
    assert session.get(NpsSurvey, survey_id).title == "x" * 120


# --- partners see and answer -----------------------------------------------------------------------------------


def test_partners_see_only_surveys_open_now_with_their_own_answered_flag(session, w):
    open_a = launch(session, w.maya, "Open A", opens=T0, closes=T0 + 5 * DAY, now=T0 - DAY)
    open_b = launch(session, w.maya, "Open B", opens=T0 - DAY, closes=T0 + 2 * DAY, now=T0 - DAY)
    launch(session, w.maya, "Scheduled", opens=T0 + DAY, closes=T0 + 5 * DAY, now=T0 - DAY)
    launch(session, w.maya, "Ends now", opens=T0 - 5 * DAY, closes=T0, now=T0 - DAY)  # closes_at is excluded
    answer_survey(session, w.p.ann, open_a, 9, "", now=T0)
    session.commit()

    mine = surveys_to_answer(session, w.p.ann, now=T0)
    colleague = surveys_to_answer(session, w.p.al, now=T0)

    assert [(s.id, s.title, s.answered) for s in mine] == [(open_b, "Open B", False), (open_a, "Open A", True)]
    assert [(s.id, s.answered) for s in colleague] == [(open_b, False), (open_a, False)]
    assert surveys_to_answer(session, w.maya, now=T0) == []


def test_surveys_to_answer_are_raw(session, w):
    open_a = launch(session, w.maya, "Open A", opens=T0, closes=T0 + 5 * DAY, now=T0 - DAY)
    answer_survey(session, w.p.ann, open_a, 9, "Fine", now=T0)
    session.commit()

    typed = surveys_to_answer(session, w.p.ann, now=T0)

    assert typed == [
        SurveyToAnswer(open_a, "Open A", "How likely are you to recommend us?", T0 + 5 * DAY, True, 9, "Fine")
    ]
    assert surveys_to_answer(session, w.maya, now=T0) == []


def test_a_partner_gets_an_open_survey_with_its_own_answer(session, w):
    survey_id = launch(session, w.maya)

    before = get_survey_for_partner(session, w.p.al, survey_id, now=T0 + DAY)
    answer_survey(session, w.p.al, survey_id, 8, "  Good support  ", now=T0 + DAY)
    after = get_survey_for_partner(session, w.p.al, survey_id, now=T0 + DAY)

    assert (before.answered, before.score, before.question) == (
        False,
        None,
        "How likely are you to recommend us?",
    )
    assert (after.answered, after.score, after.comment) == (True, 8, "Good support")


@pytest.mark.parametrize(
    ("who", "at"),
    [("p.al", T0 - DAY), ("p.al", T0 + 30 * DAY), ("p.al", T0 + 60 * DAY), ("maya", T0 + DAY), ("admin", T0 + DAY)],
    ids=["scheduled", "closed-at-the-second", "closed", "manager", "admin"],
)
def test_a_survey_that_is_not_open_or_an_internal_actor_gets_not_found(session, w, who, at):
    survey_id = launch(session, w.maya, now=T0 - 2 * DAY)
    actor = w.p.al if who == "p.al" else getattr(w, who)

    with pytest.raises(NotFound):
        get_survey_for_partner(session, actor, survey_id, now=at)
    with pytest.raises(NotFound):
        get_survey_for_partner(session, w.p.al, survey_id + 999, now=T0 + DAY)


def test_an_answer_is_recorded_for_the_person_and_organization_counted_and_audited(session, w):
    survey_id = launch(session, w.maya)

    answer_survey(session, w.p.al, survey_id, 3, "  Slow approvals  ", now=T0 + DAY)
    session.commit()

    r = session.exec(select(NpsResponse)).one()
    assert (r.survey_id, r.user_id, r.organization_id, r.score, r.comment, r.answered_at) == (
        survey_id,
        w.p.al.user_id,
        w.orgs.acme.id,
        3,
        "Slow approvals",
        T0 + DAY,
    )
    event = session.exec(select(EngagementEvent).where(EngagementEvent.kind == "nps_answered")).one()
    assert (event.user_id, event.organization_id, event.subject_type, event.subject_id) == (
        w.p.al.user_id,
        w.orgs.acme.id,
        "nps_survey",
        survey_id,
    )
    log = session.exec(select(AuditLog).where(AuditLog.action == "answer_survey")).one()
    assert (log.actor_user_id, log.record_id, json.loads(log.summary)) == (
        w.p.al.user_id,
        survey_id,
        {"score": 3, "commented": True},
    )


def test_a_second_answer_is_refused_and_the_first_one_kept(session, w):
    survey_id = launch(session, w.maya)
    answer_survey(session, w.p.al, survey_id, 9, "Great", now=T0 + DAY)
    session.commit()

    with pytest.raises(DomainError) as err:
        answer_survey(session, w.p.al, survey_id, 2, "Changed my mind", now=T0 + 2 * DAY)
    assert err.value.message == "You have already answered this survey."
    answer_survey(session, w.p.ann, survey_id, 7, "", now=T0 + 2 * DAY)  # a colleague still answers
    session.commit()

    rows = session.exec(select(NpsResponse.user_id, NpsResponse.score).order_by(NpsResponse.score)).all()
    assert rows == [(w.p.ann.user_id, 7), (w.p.al.user_id, 9)]
    assert count(session, EngagementEvent, EngagementEvent.kind == "nps_answered") == 2


def test_a_racing_second_answer_is_refused_by_the_database_and_the_transaction_survives(session, w, monkeypatch):
    """Two answers that both pass the check: the UNIQUE constraint refuses the second inside a savepoint."""
    survey_id = launch(session, w.maya)
    session.commit()
    answer_survey(session, w.p.al, survey_id, 9, "First tab", now=T0 + DAY)  # not committed yet
    # The other tab's answer lands between our check and our insert: the check sees nothing.
    monkeypatch.setattr(nps, "_answer_of", lambda *_args: None)
    session.add(NpsResponse(survey_id=survey_id, user_id=w.p.ann.user_id, organization_id=w.orgs.acme.id, score=10))
    session.flush()

    with pytest.raises(DomainError) as err:
        answer_survey(session, w.p.al, survey_id, 2, "Second tab", now=T0 + DAY)
    assert (err.value.message, err.value.field) == ("You have already answered this survey.", None)
    with pytest.raises(DomainError, match="already answered"):
        answer_survey(session, w.p.ann, survey_id, 0, "Row inserted directly", now=T0 + DAY)

    # The caller's unit of work is intact: earlier writes are still there and it can go on and commit.
    answer_survey(session, w.p.bo, survey_id, 5, "", now=T0 + DAY)
    session.commit()
    rows = session.exec(select(NpsResponse.user_id, NpsResponse.score, NpsResponse.comment)).all()
    assert sorted(rows) == sorted(
        [(w.p.al.user_id, 9, "First tab"), (w.p.ann.user_id, 10, ""), (w.p.bo.user_id, 5, "")]
    )
    assert count(session, EngagementEvent, EngagementEvent.kind == "nps_answered") == 2  # the refused ones count 0
    assert count(session, Notification) == 3


def test_an_answer_stays_in_the_callers_transaction_until_it_commits(session, w):
    """The savepoint must not commit on its own (pysqlite would, if it were the outermost transaction)."""
    survey_id = launch(session, w.maya)
    session.commit()
    session.exec(select(NpsSurvey)).all()  # a read first, as the portal page does

    answer_survey(session, w.p.al, survey_id, 9, "", now=T0 + DAY)
    session.rollback()

    assert count(session, NpsResponse) == 0
    assert count(session, EngagementEvent) == 0


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)], ids=["sqlite", "pg"])
def shared_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """An engine two threads can open sessions on, like two app workers: a SQLite file (WAL) or a private PG schema."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'nps-race.db'}")
        SQLModel.metadata.create_all(engine)
        yield engine
        engine.dispose()
        return
    with private_pg_schema("nps_race") as engine:
        SQLModel.metadata.create_all(engine)
        yield engine


def test_two_tabs_answering_at_once_store_one_answer(shared_engine, monkeypatch):
    """No monkeypatched verdicts: tab B's own check really finds nothing (tab A has not committed), then A commits
    and B's insert meets the UNIQUE constraint. B gets the friendly refusal and its session stays usable."""
    with Session(shared_engine, expire_on_commit=False) as setup:
        manager, partner = actor_for(make_user(setup, Role.CHANNEL_MANAGER)), actor_for(make_user(setup))
        survey_id = launch(setup, manager)
        setup.commit()
    real_check, b_checked = nps._answer_of, threading.Event()

    def observed_check(session, survey_id, user_id):
        found = real_check(session, survey_id, user_id)
        if threading.current_thread().name == "tab-b":
            b_checked.set()
        return found

    monkeypatch.setattr(nps, "_answer_of", observed_check)
    outcome: dict[str, object] = {}

    def tab_b() -> None:
        with Session(shared_engine, expire_on_commit=False) as session:
            try:
                answer_survey(session, partner, survey_id, 2, "Tab B", now=T0 + DAY)
                session.commit()
                outcome["b"] = "stored"
            except DomainError as exc:
                outcome["b"] = exc.message
                outcome["b usable"] = session.exec(select(func.count()).select_from(NpsResponse)).one()
                session.rollback()
            except Exception as exc:  # reported in the assertion rather than lost in the thread
                outcome["b"] = repr(exc)

    with Session(shared_engine, expire_on_commit=False) as tab_a:
        answer_survey(tab_a, partner, survey_id, 9, "Tab A", now=T0 + DAY)  # flushed, not committed
        thread = threading.Thread(target=tab_b, name="tab-b", daemon=True)
        thread.start()
        assert b_checked.wait(timeout=30), f"tab B never got past its check: {outcome}"
        tab_a.commit()
    thread.join(timeout=60)

    assert not thread.is_alive()
    assert outcome == {"b": "You have already answered this survey.", "b usable": 1}
    with Session(shared_engine) as session:
        assert session.exec(select(NpsResponse.comment)).all() == ["Tab A"]


@pytest.mark.parametrize("score", [-1, 11, 100, 7.5, 9.0, True, None, "", "ten", "-1"])
def test_scores_outside_0_to_10_are_refused(session, w, score):
    survey_id = launch(session, w.maya)

    with pytest.raises(ValidationError) as err:
        answer_survey(session, w.p.al, survey_id, score, "", now=T0 + DAY)

    assert err.value.field == "score"
    assert count(session, NpsResponse) == 0


@pytest.mark.parametrize("score", [0, 10, "6"])
def test_the_bounds_and_a_form_string_are_accepted(session, w, score):
    survey_id = launch(session, w.maya)

    answer_survey(session, w.p.al, survey_id, score, "", now=T0 + DAY)

    assert session.exec(select(NpsResponse.score)).one() == int(score)


def test_a_comment_over_2000_characters_is_refused(session, w):
    survey_id = launch(session, w.maya)

    with pytest.raises(ValidationError) as err:
        answer_survey(session, w.p.al, survey_id, 8, "x" * 2001, now=T0 + DAY)
    assert err.value.field == "comment"

    answer_survey(session, w.p.al, survey_id, 8, "x" * 2000, now=T0 + DAY)
    assert len(session.exec(select(NpsResponse.comment)).one()) == 2000


@pytest.mark.parametrize(
    ("at", "message"),
    [
        (T0 + 30 * DAY, "This survey is closed."),
        (T0 + 90 * DAY, "This survey is closed."),
        (T0 - DAY, "This survey is not open yet."),
    ],
)
def test_only_an_open_survey_takes_answers(session, w, at, message):
    survey_id = launch(session, w.maya, now=T0 - 2 * DAY)

    with pytest.raises(DomainError) as err:
        answer_survey(session, w.p.al, survey_id, 9, "", now=at)
    assert err.value.message == message

    assert count(session, NpsResponse) == 0


@pytest.mark.parametrize("who", ["maya", "admin", "exec"])
def test_internal_users_cannot_answer(session, w, who):
    survey_id = launch(session, w.maya)

    with pytest.raises(PermissionDenied):
        answer_survey(session, getattr(w, who), survey_id, 9, "", now=T0 + DAY)


def test_answering_an_unknown_survey_is_not_found(session, w):
    with pytest.raises(NotFound):
        answer_survey(session, w.p.al, 12345, 9, "", now=T0)


# --- the maths -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([10, 9, 10], 100.0),
        ([0, 6, 3, 5], -100.0),
        ([7, 8, 8], 0.0),  # passives only
        ([10, 9, 8, 7, 6, 0], 0.0),
        ([10, 10, 10, 8, 3], 40.0),
        ([10, 7, 7], 33.3),
        ([0, 0, 9], -33.3),
        ([10, 10, 7], 66.7),
        ([9] + [7] * 39, 2.5),
        ([9] + [7] * 1999, 0.1),  # 0.05 rounds half up
        ([6] + [7] * 1999, -0.1),
        ([], None),
    ],
)
def test_nps_is_promoters_minus_detractors_in_percent(scores, expected):
    assert nps_score(scores) == expected


def test_nps_score_takes_any_iterable_and_refuses_impossible_scores():
    assert nps_score(s for s in (9, 10)) == 100.0
    with pytest.raises(ValueError):
        nps_score([11])
    with pytest.raises(ValueError):
        nps_score([-1])


def test_survey_status_boundaries():
    assert survey_status(T0, T0 + DAY, T0 - timedelta(seconds=1)) == "scheduled"
    assert survey_status(T0, T0 + DAY, T0) == "open"
    assert survey_status(T0, T0 + DAY, T0 + DAY) == "closed"


# --- reports ---------------------------------------------------------------------------------------------------


def _answered(session, w, survey_id, answers, at):
    for who, score in answers:
        answer_survey(session, getattr(w.p, who), survey_id, score, f"{who} says {score}", now=at)


def test_nps_report_overall_and_by_tier_type_and_region(session, w):
    q1 = launch(session, w.maya, "Q1", opens=T0, closes=T0 + 10 * DAY, now=T0 - DAY)
    q2 = launch(session, w.maya, "Q2", opens=T0 + 20 * DAY, closes=T0 + 40 * DAY, now=T0 - DAY)
    # Acme (Gold, reseller, EMEA): 10, 3 · Bolt (Silver, MSP, APAC): 8 · Core (Gold, MSP, EMEA): 9
    _answered(session, w, q1, [("ann", 10), ("al", 3), ("bo", 8), ("cy", 9)], T0 + DAY)
    _answered(session, w, q2, [("ann", 0), ("bo", 10)], T0 + 21 * DAY)
    session.commit()

    by_tier = nps_report(session, w.exec, survey_id=q1, by="tier", now=T0 + 30 * DAY)
    assert (by_tier.survey, by_tier.tally.nps, by_tier.tally.responses) == ("Q1", 25.0, 4)
    assert (by_tier.tally.promoters, by_tier.tally.passives, by_tier.tally.detractors) == (2, 1, 1)
    assert [(g.key, g.tally) for g in by_tier.groups] == [
        ("Gold", tally(responses=3, promoters=2, detractors=1)),  # nps 33.3, no passives
        ("Silver", tally(responses=1, promoters=0, detractors=0)),  # nps 0.0, one passive
    ]
    assert (by_tier.groups[0].tally.nps, by_tier.groups[1].tally.passives) == (33.3, 1)

    by_type = nps_report(session, w.admin, survey_id=q1, by="partner_type", now=T0 + 30 * DAY)
    assert [(g.key, g.tally.nps, g.tally.responses) for g in by_type.groups] == [
        ("msp", 50.0, 2),  # the partner type's code; the page shows its label
        ("reseller", 0.0, 2),
    ]

    by_region = nps_report(session, w.maya, by="region", now=T0 + 30 * DAY)  # every survey
    assert (by_region.survey, by_region.tally.nps, by_region.tally.responses) == (None, 16.7, 6)  # all surveys
    assert [(g.key, g.tally.nps, g.tally.responses) for g in by_region.groups] == [
        ("APAC", 50.0, 2),
        ("EMEA", 0.0, 4),
    ]
    everything = session.exec(select(NpsResponse.score)).all()
    assert by_region.tally.nps == nps_score(everything)


def test_nps_trend_has_one_point_per_opened_survey_oldest_first(session, w):
    later = launch(session, w.maya, "Later", opens=T0 + 40 * DAY, closes=T0 + 50 * DAY, now=T0 - DAY)
    first = launch(session, w.maya, "First", opens=T0, closes=T0 + 10 * DAY, now=T0 - DAY)
    quiet = launch(session, w.maya, "Nobody answered", opens=T0 + 20 * DAY, closes=T0 + 30 * DAY, now=T0 - DAY)
    launch(session, w.maya, "Not yet open", opens=T0 + 90 * DAY, closes=T0 + 99 * DAY, now=T0 - DAY)
    _answered(session, w, first, [("ann", 10), ("bo", 2)], T0 + DAY)
    _answered(session, w, later, [("ann", 9), ("bo", 9), ("cy", 7)], T0 + 41 * DAY)
    session.commit()

    trend = nps_report(session, w.exec, now=T0 + 45 * DAY).trend

    assert [(t.survey_id, t.survey, t.opens_at, t.tally.nps, t.tally.responses) for t in trend] == [
        (first, "First", T0, 0.0, 2),  # 2030-01-15
        (quiet, "Nobody answered", T0 + 20 * DAY, None, 0),
        (later, "Later", T0 + 40 * DAY, 66.7, 3),
    ]


def test_nps_report_with_no_answers_and_its_guards(session, w):
    empty = nps_report(session, w.exec, now=T0)
    assert (empty.tally.nps, empty.tally.responses, empty.groups, empty.trend) == (None, 0, (), ())

    with pytest.raises(PermissionDenied):
        nps_report(session, w.p.ann)
    with pytest.raises(ValidationError) as err:
        nps_report(session, w.exec, by="country")
    assert err.value.field == "by"
    with pytest.raises(NotFound):
        nps_report(session, w.exec, survey_id=999)


def test_detractors_go_to_their_channel_manager_newest_first(session, w):
    survey_id = launch(session, w.maya)
    _answered(session, w, survey_id, [("al", 3)], T0 + DAY)  # Acme: Maya's book
    _answered(session, w, survey_id, [("bo", 6)], T0 + 2 * DAY)  # Bolt: Lars's book
    _answered(session, w, survey_id, [("cy", 0)], T0 + 3 * DAY)  # Core: Maya's book
    _answered(session, w, survey_id, [("ann", 7)], T0 + 4 * DAY)  # a passive is no detractor
    session.commit()

    maya = detractors_for(session, w.maya)
    assert maya == [
        Detractor(
            survey="Q1 pulse",
            partner="Core MSP",
            person="Cy Core",
            email=session.get(User, w.p.cy.user_id).email,
            score=0,
            comment="cy says 0",
            answered_at=T0 + 3 * DAY,  # 2030-01-18
        ),
        Detractor(
            survey="Q1 pulse",
            partner="Acme Resell",
            person="Al Acme",
            email=session.get(User, w.p.al.user_id).email,
            score=3,
            comment="al says 3",
            answered_at=T0 + DAY,  # 2030-01-16
        ),
    ]
    assert [(d.person, d.score) for d in detractors_for(session, w.lars)] == [("Bo Bolt", 6)]
    for actor in (w.admin, w.exec):
        assert [d.person for d in detractors_for(session, actor)] == ["Cy Core", "Bo Bolt", "Al Acme"]
    assert [d.person for d in detractors_for(session, w.admin, limit=1)] == ["Cy Core"]
    with pytest.raises(PermissionDenied):
        detractors_for(session, w.p.ann)


def test_list_surveys_shows_status_and_counts_for_internal_users_only(session, w):
    closed = launch(session, w.maya, "Closed", opens=T0, closes=T0 + DAY, now=T0 - DAY)
    open_ = launch(session, w.maya, "Open", opens=T0, closes=T0 + 30 * DAY, now=T0 - DAY)
    scheduled = launch(session, w.maya, "Scheduled", opens=T0 + 9 * DAY, closes=T0 + 30 * DAY, now=T0 - DAY)
    _answered(session, w, closed, [("ann", 10), ("bo", 4)], T0 + timedelta(hours=1))
    _answered(session, w, open_, [("cy", 9)], T0 + timedelta(hours=1))
    session.commit()

    rows = list_surveys(session, w.exec, now=T0 + 2 * DAY)

    assert [(r.id, r.status, r.tally.responses, r.tally.nps) for r in rows] == [
        (scheduled, "scheduled", 0, None),
        (open_, "open", 1, 100.0),
        (closed, "closed", 2, 0.0),
    ]
    assert rows[1].opens_at == T0 and rows[1].closes_at == T0 + 30 * DAY  # 2030-01-15, 2030-02-14
    with pytest.raises(PermissionDenied):
        list_surveys(session, w.p.ann)


# --- demo data -------------------------------------------------------------------------------------------------


def test_seed_nps_builds_a_closed_and_an_open_survey_once(session):
    from prm_app.nps.seed import Q3_TITLE, Q4_TITLE
    from prm_app.nps.seed import seed as seed_nps
    from prm_app.partners.seed import seed

    seed(session)
    assert seed_nps(session) == {"surveys": 2}
    session.commit()
    assert seed_nps(session) == {"surveys": 0}
    session.commit()

    now = datetime.now(UTC)
    surveys = {s.title: s for s in session.exec(select(NpsSurvey)).all()}
    assert set(surveys) == {Q3_TITLE, Q4_TITLE}
    q3, q4 = surveys[Q3_TITLE], surveys[Q4_TITLE]
    assert q3.closes_at < now and q4.opens_at < now < q4.closes_at
    partners = count(session, User, User.organization_id.is_not(None))
    q3_scores = session.exec(select(NpsResponse.score).where(NpsResponse.survey_id == q3.id)).all()
    assert 0.5 * partners <= len(q3_scores) <= 0.7 * partners
    assert len(set(q3_scores)) >= 5, "a believable spread"
    q3_detractors = session.exec(
        select(NpsResponse.comment).where(NpsResponse.survey_id == q3.id, NpsResponse.score <= 6)
    ).all()
    assert len(q3_detractors) >= 3 and all(q3_detractors)
    q3_times = session.exec(select(NpsResponse.answered_at).where(NpsResponse.survey_id == q3.id)).all()
    assert all(q3.opens_at <= at < q3.closes_at for at in q3_times)
    q4_answers = count(session, NpsResponse, NpsResponse.survey_id == q4.id)
    assert 3 <= q4_answers <= 6

    people = {u.email: actor_for(u) for u in session.exec(select(User)).all()}
    for email in ("dana.price@northwind-dist.example", "sam.carter@bluepeak.example"):
        [row] = [s for s in surveys_to_answer(session, people[email]) if s.id == q4.id]
        assert row.answered is False
    report = nps_report(session, people["erin.exec@vendor.example"])
    assert [t.survey for t in report.trend] == [Q3_TITLE, Q4_TITLE]
    assert report.tally.responses == len(q3_scores) + q4_answers
    assert detractors_for(session, people["maya.cm@vendor.example"])
