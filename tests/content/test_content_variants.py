"""Assets in several languages on SQLite and PostgreSQL: the reader's variant with fallback, its own file, search
by its words in the reader's language, and the audience rule deciding in every language."""

from __future__ import annotations

import pytest
from sqlmodel import select

from prm_app.audience import AudienceRule
from prm_app.content.kits import running_kits
from prm_app.content.models import Asset
from prm_app.content.queries import LibraryQuery, asset_view, library
from prm_app.content.rules import AssetInput
from prm_app.content.service import create_asset, file_to_serve
from prm_app.content.variants import asset_variants, remove_asset_variant, save_asset_variant, variant_file
from prm_app.platform.errors import FormInvalid, NotFound, PermissionDenied
from prm_app.platform.models import EngagementEvent
from prm_app.platform.variants import VariantText
from tests.content.factories import make_asset, make_world, pdf_bytes, put


def _id(session, slug: str) -> int:
    return session.exec(select(Asset.id).where(Asset.slug == slug)).one()


def test_a_german_reader_gets_the_german_variant_and_its_file_others_the_english(session, stores):
    w = make_world(session)
    slug = make_asset(session, w.manager, "Storage price list", description="Partner prices")
    german = put(pdf_bytes("Preisliste"), "preisliste.pdf")
    save_asset_variant(
        session, w.manager, _id(session, slug), VariantText("de", "Preisliste Speicher", "Preise"), german
    )

    de = asset_view(session, w.gold, slug, language="de")
    assert (de.title, de.description, de.language, de.languages) == (
        "Preisliste Speicher",
        "Preise",
        "de",
        ("en", "de"),
    )
    assert de.variant_file is not None and de.variant_file.file_name == "preisliste.pdf"
    assert variant_file(session, w.gold, slug, "de", download=True).key == german.key
    en = asset_view(session, w.gold, slug, language="ja")  # no Japanese: English
    assert (en.title, en.language, en.variant_file) == ("Storage price list", "en", None)
    assert file_to_serve(session, w.gold, slug, None, download=True).key != german.key
    # a download of either language counts for the one asset
    kinds = session.exec(select(EngagementEvent.subject_id).where(EngagementEvent.kind == "content_downloaded")).all()
    assert len(kinds) == 2 and len(set(kinds)) == 1


def test_editing_keeps_one_variant_per_language_and_removing_falls_back(session, stores):
    w = make_world(session)
    slug = make_asset(session, w.manager, "Brand guide")
    asset_id = _id(session, slug)
    save_asset_variant(session, w.manager, asset_id, VariantText("de", "Markenleitfaden"))
    save_asset_variant(session, w.manager, asset_id, VariantText("de", "Markenhandbuch"))
    assert [v.title for v in asset_variants(session, w.manager, asset_id).variants] == ["Markenhandbuch"]
    assert asset_view(session, w.gold, slug, language="de").title == "Markenhandbuch"
    with pytest.raises(FormInvalid):
        save_asset_variant(session, w.manager, asset_id, VariantText("en", "Brand guide again"))
    remove_asset_variant(session, w.manager, asset_id, "de")
    assert asset_view(session, w.gold, slug, language="de").title == "Brand guide"
    with pytest.raises(NotFound):
        remove_asset_variant(session, w.manager, asset_id, "de")
    with pytest.raises(PermissionDenied):
        save_asset_variant(session, w.gold, asset_id, VariantText("fr", "Guide de marque"))


def test_the_library_shows_and_finds_each_card_in_the_readers_language(session, stores):
    w = make_world(session)
    slug = make_asset(session, w.manager, "Backup datasheet", description="Specifications")
    make_asset(session, w.manager, "Brand guidelines", description="Logos")
    save_asset_variant(session, w.manager, _id(session, slug), VariantText("de", "Datenblatt Sicherung", "Technik"))

    de = library(session, w.gold, LibraryQuery(text="sicherung"), reader="de")
    assert [(c.slug, c.title) for c in de.cards] == [(slug, "Datenblatt Sicherung")]
    assert library(session, w.gold, LibraryQuery(text="sicherung"), reader="en").total == 0  # not the reader's words
    assert library(session, w.gold, LibraryQuery(text="backup"), reader="de").cards[0].title == "Datenblatt Sicherung"
    titles = {c.title for c in library(session, w.gold, LibraryQuery(), reader="de").cards}
    assert titles == {"Datenblatt Sicherung", "Brand guidelines"}  # untranslated: English
    assert [c.slug for c in library(session, w.gold, LibraryQuery(language="de"), reader="en").cards] == [slug]


def test_an_asset_the_audience_hides_stays_hidden_in_every_language(session, stores):
    w = make_world(session)
    slug = make_asset(session, w.manager, "Gold playbook", description="Secret plays", min_tier="Gold")
    make_asset(session, w.manager, "Open guide")
    save_asset_variant(
        session, w.manager, _id(session, slug), VariantText("de", "Gold-Handbuch", "Geheim"), put(pdf_bytes("de"))
    )
    for language in ("de", "en", "fr"):
        view = asset_view(session, w.silver, slug, language=language)
        assert view.version is None and view.variant_file is None and view.locked_from_tier == "Gold"
        with pytest.raises(NotFound):
            variant_file(session, w.silver, slug, language, download=True)
    found = library(session, w.silver, LibraryQuery(text="geheim"), reader="de")
    assert [c.locked_from_tier for c in found.cards] == ["Gold"]  # locked, its file out of reach, as in English
    assert running_kits(session, w.silver, reader="de") == []


def test_an_asset_for_other_countries_is_not_found_by_its_german_words_nor_at_its_address(session, stores):
    w = make_world(session)
    stored = put(pdf_bytes("JP"))
    slug = create_asset(
        session,
        w.manager,
        AssetInput(title="Japan launch kit", description="Tokyo", category="campaign"),
        AudienceRule(countries=("JP",)),
        stored,
    ).slug
    save_asset_variant(session, w.manager, _id(session, slug), VariantText("de", "Japan-Startpaket", "Tokio"))
    for language in ("de", "en"):
        assert library(session, w.gold, LibraryQuery(text="tokio"), reader=language).total == 0
        with pytest.raises(NotFound):
            asset_view(session, w.gold, slug, language=language)
        with pytest.raises(NotFound):
            variant_file(session, w.gold, slug, language, download=False)
