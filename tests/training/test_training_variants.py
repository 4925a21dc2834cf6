"""Courses in several languages on SQLite and PostgreSQL: the reader's variant with fallback, lessons in its
words, one progress and completion whatever the language, and the audience rule deciding in every language."""

from __future__ import annotations

import pytest
from sqlmodel import select

from prm_app.audience import AudienceRule
from prm_app.platform.access import Role
from prm_app.platform.errors import FormInvalid, NotFound, PermissionDenied
from prm_app.platform.variants import VariantText
from prm_app.training.learning import catalogue, complete_lesson, open_course, show_lesson
from prm_app.training.models import Enrollment
from prm_app.training.variants import course_variants, remove_course_variant, save_course_variant
from tests.factories import actor_for, make_org, make_user
from tests.training.test_training_service import _course


@pytest.fixture
def w(session):
    admin = actor_for(make_user(session, Role.ADMIN))
    acme = make_org(session, name="Acme Resell")
    bolt = make_org(session, name="Bolt MSP", partner_type="msp")
    return {
        "admin": admin,
        "greta": actor_for(make_user(session, Role.PARTNER_USER, acme, full_name="Greta German")),
        "ed": actor_for(make_user(session, Role.PARTNER_USER, acme, full_name="Ed English")),
        "bo": actor_for(make_user(session, Role.PARTNER_USER, bolt)),
    }


def _translate(session, w, course) -> None:
    save_course_variant(
        session,
        w["admin"],
        course.id,
        VariantText("de", "Grundlagenkurs", "Das Wichtigste"),
        {course.one: ("Erste Lektion", "# Hallo\n\nWillkommen"), course.two: ("", "ignored without a title")},
    )


def test_a_german_learner_reads_the_german_course_and_its_lessons_an_english_one_the_english(session, w):
    course = _course(session, w["admin"], "VAR-1")
    _translate(session, w, course)
    de = open_course(session, w["greta"], course.id, language="de")
    assert (de.title, de.language, de.languages) == ("Grundlagenkurs", "de", ("en", "de"))
    assert [x.title for x in de.modules[0].lessons] == ["Erste Lektion", "Reading two", "The quiz"]
    lesson = show_lesson(session, w["greta"], course.id, course.one, language="de")
    assert lesson.title == "Erste Lektion" and "Willkommen" in lesson.html
    assert show_lesson(session, w["greta"], course.id, course.two, language="de").title == "Reading two"
    en = open_course(session, w["ed"], course.id, language="ja")  # no Japanese: English
    assert (en.title, en.language) == ("Course VAR-1", "en")
    assert show_lesson(session, w["ed"], course.id, course.one, language="en").title == "Reading one"
    rows = {r.title: r.language for r in catalogue(session, w["greta"], "grundlagen", reader="de")}
    assert rows == {"Grundlagenkurs": "de"}
    assert catalogue(session, w["ed"], "grundlagen", reader="en") == []


def test_progress_is_the_courses_whatever_the_language_it_was_read_in(session, w):
    course = _course(session, w["admin"], "VAR-2")
    _translate(session, w, course)
    open_course(session, w["greta"], course.id, language="de")
    complete_lesson(session, w["greta"], course.one)
    assert open_course(session, w["greta"], course.id, language="en").done == 1  # switched: the same progress
    assert open_course(session, w["greta"], course.id, language="de").done == 1
    enrolments = session.exec(select(Enrollment).where(Enrollment.course_id == course.id)).all()
    assert len(enrolments) == 1


def test_a_removed_variant_falls_back_and_one_language_is_one_variant(session, w):
    course = _course(session, w["admin"], "VAR-3")
    _translate(session, w, course)
    save_course_variant(session, w["admin"], course.id, VariantText("de", "Basiskurs"), {})
    view = course_variants(session, w["admin"], course.id)
    assert [(v.language, v.title) for v in view.variants] == [("de", "Basiskurs")] and view.languages == ("en", "de")
    assert [x.title for x in view.variants[0].lessons] == ["Erste Lektion", "", ""]  # untouched lessons keep theirs
    with pytest.raises(FormInvalid):
        save_course_variant(session, w["admin"], course.id, VariantText("en", "Course again"), {})
    with pytest.raises(PermissionDenied):
        save_course_variant(session, w["greta"], course.id, VariantText("fr", "Cours"), {})
    remove_course_variant(session, w["admin"], course.id, "de")
    assert open_course(session, w["greta"], course.id, language="de").title == "Course VAR-3"
    assert show_lesson(session, w["greta"], course.id, course.one, language="de").title == "Reading one"


def test_a_course_the_audience_hides_is_hidden_in_every_language(session, w):
    course = _course(session, w["admin"], "VAR-MSP", AudienceRule(partner_types=("msp",)))
    _translate(session, w, course)
    for language in ("de", "en"):
        assert catalogue(session, w["greta"], "grundlagen", reader=language) == []
        with pytest.raises(NotFound):
            open_course(session, w["greta"], course.id, language=language)
        with pytest.raises(NotFound):
            show_lesson(session, w["greta"], course.id, course.one, language=language)
    assert open_course(session, w["bo"], course.id, language="de").title == "Grundlagenkurs"
