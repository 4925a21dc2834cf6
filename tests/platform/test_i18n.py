"""The message catalogue: CLDR plural rules, English fallback, and no missing key in any shipped language."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import prm_app.app  # noqa: F401  (importing the app registers every page)
from prm_app.platform import i18n
from prm_app.platform.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Catalogue,
    catalogue,
    from_accept_language,
    plain_messages,
    plural_category,
    supported,
)
from prm_app.web.registry import pages

ENGLISH = Catalogue("en", {"files": {"one": "{count} file", "other": "{count} files"}, "hello": "Hello, {name}."})
# A Polish test catalogue: Polish is not shipped, but its one/few/many/other forms prove the rules are CLDR's.
POLISH = Catalogue(
    "pl",
    {"files": {"one": "{count} plik", "few": "{count} pliki", "many": "{count} plików", "other": "{count} pliku"}},
    ENGLISH,
)


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 plik"),
        (2, "2 pliki"),
        (4, "4 pliki"),
        (5, "5 plików"),
        (12, "12 plików"),  # the teens take "many", not "few"
        (22, "22 pliki"),
        (25, "25 plików"),
        (0, "0 plików"),
        (Decimal("1.5"), "1,5 pliku"),  # fractions take "other" (and a Polish decimal comma)
    ],
)
def test_polish_plurals_follow_cldr_one_few_many(count, expected):
    assert POLISH.plural("files", count) == expected


def test_plural_categories_of_the_shipped_languages():
    assert [plural_category("en", n) for n in (0, 1, 2)] == ["other", "one", "other"]
    assert [plural_category("fr", n) for n in (0, 1, 2)] == ["one", "one", "other"]  # French: 0 is singular
    assert [plural_category("ja", n) for n in (0, 1, 2)] == ["other", "other", "other"]
    assert catalogue("fr").plural("home.team_size", 0) == "0 personne active dans votre équipe."
    assert catalogue("en").plural("home.team_size", 1) == "1 active person in your team."
    assert catalogue("en").plural("home.team_size", 1234) == "1,234 active people in your team."
    assert catalogue("de").plural("home.team_size", 1234) == "1.234 aktive Personen in Ihrem Team."


def test_a_missing_key_reads_in_english():
    assert POLISH.text("hello", name="Ola") == "Hello, Ola."
    german = Catalogue("de", {}, catalogue("en"))
    assert german.text("shell.sign_out") == "Sign out"
    assert german.plural("home.team_size", 2) == "2 active people in your team."
    assert german.plain()["shell.sign_out"] == "Sign out"


def test_an_unknown_key_is_an_error_not_a_blank():
    with pytest.raises(KeyError):
        catalogue("de").text("no.such.key")


def test_a_missing_form_falls_back_to_other():
    sparse = Catalogue("pl", {"files": {"one": "{count} plik", "other": "{count} pliku"}})
    assert sparse.plural("files", 5) == "5 pliku"


def test_missing_lists_keys_forms_and_placeholders():
    english = Catalogue("en", {"a": "A", "b": "Hi {name}", "n": {"one": "{count} x", "other": "{count} xs"}})
    french = Catalogue("fr", {"b": "Salut {nom}", "n": {"one": "{count} x", "other": "{count} x"}})
    assert french.missing(english) == ["a: missing", "b: placeholders differ from en", "n: no many form"]
    assert Catalogue("de", {"a": {"other": "A"}, "b": "Hallo {name}", "n": "x"}).missing(english) == [
        "a: a plain message expected",
        "n: plural forms expected",
    ]


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != DEFAULT_LANGUAGE])
def test_no_shipped_language_misses_a_key(language):
    """Every key English has, every plural form the language's CLDR rules need, the same placeholders."""
    assert catalogue(language).missing(catalogue(DEFAULT_LANGUAGE)) == []


def test_every_navigation_entry_and_title_has_words():
    """Each page in the header's navigation reads its label and title from the catalogue (web/layout.py)."""
    english = plain_messages("en")
    for spec in pages():
        if spec.nav is not None:
            assert english[f"nav.{spec.name}"] == spec.nav.label
            assert english[f"page.{spec.name}"] == spec.title


def test_the_browser_gets_plain_messages_only():
    german = plain_messages("de")
    assert german["shell.sign_out"] == "Abmelden"
    assert "home.team_size" not in german  # counted messages are made on the server
    assert set(german) == set(plain_messages("en"))


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7", "de"),
        ("pl-PL,pl;q=0.9,fr;q=0.5,es;q=0.6", "es"),
        ("ja", "ja"),
        ("en-GB", "en"),
        ("pl, ru", None),
        ("*", None),
        ("", None),
        ("de;q=0, fr", "fr"),
        ("x-klingon;q=1, es;q=0.1", "es"),
        ("de;q=abc, fr;q=0.4", "fr"),
    ],
)
def test_the_browser_language_decides_the_first_language(header, expected):
    assert from_accept_language(header) == expected


def test_supported_codes():
    assert supported("de-AT") == "de"
    assert supported("FR_ca") == "fr"
    assert supported("pl") == "en"
    assert supported(None) == "en"


def _write(folder, language, messages):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{language}.json").write_text(json.dumps(messages), encoding="utf-8")


def test_each_area_keeps_its_words_beside_its_package(tmp_path, monkeypatch):
    """The shared catalogue and an area's (`prm_app/<area>/locales`) read as one; a key in two files is refused."""
    _write(tmp_path / "platform" / "locales", "en", {"shell.hello": "Hello"})
    _write(tmp_path / "leads" / "locales", "en", {"leads.offer": "Offer"})
    monkeypatch.setattr(i18n, "_LOCALES", tmp_path / "platform" / "locales")
    monkeypatch.setattr(i18n, "_PACKAGE", tmp_path)
    assert i18n._read("en") == {"shell.hello": "Hello", "leads.offer": "Offer"}
    _write(tmp_path / "training" / "locales", "en", {"leads.offer": "Again"})
    with pytest.raises(ValueError, match=r"defines leads\.offer again"):
        i18n._read("en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_area_with_words_has_them_in_every_shipped_language(language):
    """An area's catalogue files come as a set: one per shipped language, or none."""
    areas = {path.parent.parent.name for path in i18n.catalogue_files(DEFAULT_LANGUAGE)[1:]}
    assert {path.parent.parent.name for path in i18n.catalogue_files(language)[1:]} == areas
