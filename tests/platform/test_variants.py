"""The language-variant rule shared by assets and courses: the reader's language, else English, else the item's
own; the languages line; what a variant's words must be."""

from __future__ import annotations

import pytest

from prm_app.platform.errors import FormInvalid
from prm_app.platform.variants import VariantText, check_variant, languages_text, variant_language


@pytest.mark.parametrize(
    ("wanted", "available", "own", "expected"),
    [
        ("de", ("en", "de"), "en", "de"),  # the person's language when the item has it
        ("ja", ("en", "de"), "en", "en"),  # else the program's default
        ("fr", ("de",), "de", "de"),  # else the item's own (written in German, never translated)
        ("fr", ("de", "es"), "de", "de"),  # another variant is no better than the item's own
        ("es", ("de", "es"), "de", "es"),
        ("", ("en", "de"), "en", "en"),
    ],
)
def test_a_reader_gets_their_language_else_english_else_the_items_own(wanted, available, own, expected):
    assert variant_language(wanted, available, own) == expected


def test_a_removed_variant_falls_back_to_english():
    before = ("en", "de", "ja")
    assert variant_language("de", before, "en") == "de"
    after = tuple(c for c in before if c != "de")
    assert variant_language("de", after, "en") == "en"


def test_the_languages_line_is_in_the_shipped_order_once_each():
    assert languages_text({"ja", "en", "de"}) == "EN · DE · JA"
    assert languages_text(["de", "de", "pt"]) == "DE · PT"
    assert languages_text([]) == ""


def test_a_variant_needs_another_shipped_language_and_a_title():
    assert check_variant(VariantText("de", "  Preisliste ", " Text "), "en") == VariantText("de", "Preisliste", "Text")
    with pytest.raises(FormInvalid) as own:
        check_variant(VariantText("en", "Price list"), "en")
    assert "own language" in own.value.errors["language"]
    with pytest.raises(FormInvalid) as wrong:
        check_variant(VariantText("xx", "ab", "x" * 4001), "en")
    assert set(wrong.value.errors) == {"language", "title", "description"}
