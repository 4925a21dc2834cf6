"""The library's use cases on SQLite and PostgreSQL: audiences (open, locked, not found), search, versions at
stable links, material-change notices, delete and restore, usage."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from prm_app.content.manage_queries import asset_detail, list_assets, why_not
from prm_app.content.models import Asset
from prm_app.content.queries import LibraryQuery, asset_view, library
from prm_app.content.service import (
    add_version,
    delete_asset,
    file_to_serve,
    note_view,
    purge_deleted,
    restore_asset,
    roll_back,
)
from prm_app.notifications.models import Notification
from prm_app.platform.access import Actor
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import NotFound, PermissionDenied
from tests.content.factories import make_asset, make_world, pdf_bytes, put


def _asset_id(session, slug: str) -> int:
    return session.exec(select(Asset.id).where(Asset.slug == slug)).one()


def test_a_gold_asset_is_open_to_gold_locked_for_silver_and_found_by_a_word_of_its_description(session, stores):
    w = make_world(session)
    slug = make_asset(
        session, w.manager, "EMEA Price List", description="Confidential storage appliance prices", min_tier="Gold"
    )
    make_asset(session, w.manager, "Brand guidelines", description="Logos and colours")

    gold = library(session, w.gold, LibraryQuery(text="appliance"))
    assert [c.slug for c in gold.cards] == [slug] and gold.cards[0].locked_from_tier == ""
    assert file_to_serve(session, w.gold, slug, None, download=True).content_type == "application/pdf"

    silver = library(session, w.silver, LibraryQuery())
    locked = {c.slug: c.locked_from_tier for c in silver.cards}
    assert locked[slug] == "Gold" and len(locked) == 2
    assert asset_view(session, w.silver, slug).version is None  # what it is, never its file
    with pytest.raises(NotFound):
        file_to_serve(session, w.silver, slug, None, download=True)
    with pytest.raises(NotFound):
        file_to_serve(session, w.silver, "no-such-asset", None, download=True)
    answer = why_not(session, w.manager, _asset_id(session, slug), w.silver_org_id)
    assert not answer.sees and answer.locked_from_tier == "Gold" and "Silver" in " ".join(answer.reasons)
    assert why_not(session, w.manager, _asset_id(session, slug), w.gold_org_id).sees


def test_search_needs_every_word_and_matches_prefixes_and_tags(session, stores):
    w = make_world(session)
    make_asset(session, w.manager, "Backup appliance datasheet", description="Specifications", tags="hardware, backup")
    make_asset(session, w.manager, "Cloud backup battlecard", description="Against the competition", tags="competitive")
    titles = lambda q: sorted(c.title for c in library(session, w.gold, LibraryQuery(text=q)).cards)  # noqa: E731
    assert titles("backup") == ["Backup appliance datasheet", "Cloud backup battlecard"]
    assert titles("hardw back") == ["Backup appliance datasheet"]
    assert titles('"battle*(:^') == ["Cloud backup battlecard"]  # FTS syntax is no syntax here
    assert titles("nothing-like-it") == []


def test_a_new_version_is_served_at_the_stable_link_and_the_old_one_stays_pinned(session, stores):
    w = make_world(session)
    slug = make_asset(session, w.manager, "Price list")
    asset_id = _asset_id(session, slug)
    v1 = file_to_serve(session, w.gold, slug, None, download=True)
    n = add_version(session, w.manager, asset_id, put(pdf_bytes("v2")), changelog="New prices", material_change=True)
    assert n == 2
    assert file_to_serve(session, w.gold, slug, None, download=True).key != v1.key
    assert file_to_serve(session, w.gold, slug, 1, download=True).key == v1.key
    view = asset_view(session, w.gold, slug, 1)
    assert view.shown_n == 1 and view.current_n == 2
    with pytest.raises(NotFound):
        asset_view(session, w.gold, slug, 9)
    notices = session.exec(select(Notification).where(Notification.organization_id == w.gold_org_id)).all()
    assert len(notices) == 1 and "changed materially" in notices[0].message  # Cobalt downloaded v1
    assert not session.exec(select(Notification).where(Notification.organization_id == w.silver_org_id)).all()
    roll_back(session, w.manager, asset_id, 1)
    assert file_to_serve(session, w.gold, slug, None, download=True).key == v1.key
    detail = asset_detail(session, w.manager, asset_id)
    assert [(u.version.n, u.downloads) for u in detail.versions] == [(2, 1), (1, 3)]
    assert detail.partners[0].organization == "Cobalt Systems VAR"


def test_deleted_assets_vanish_and_only_admins_restore_them_within_30_days(session, stores):
    w = make_world(session)
    slug = make_asset(session, w.manager, "Old deck")
    asset_id = _asset_id(session, slug)
    delete_asset(session, w.manager, asset_id)
    with pytest.raises(NotFound):
        file_to_serve(session, w.gold, slug, None, download=True)
    assert library(session, w.gold, LibraryQuery()).total == 0
    with pytest.raises(PermissionDenied):
        restore_asset(session, w.manager, asset_id)
    assert [r.slug for r in list_assets(session, w.admin, deleted=True).rows] == [slug]
    restore_asset(session, w.admin, asset_id)
    assert library(session, w.gold, LibraryQuery()).total == 1
    delete_asset(session, w.manager, asset_id)
    asset = session.get(Asset, asset_id)
    asset.deleted_at = asset.deleted_at - timedelta(days=31)
    session.add(asset)
    keys = purge_deleted(session, Actor.system("Content purge"))
    assert len(keys) == 1 and session.get(Asset, asset_id) is None


def test_partners_cannot_manage_and_new_since_last_visit_counts_later_assets(session, stores):
    w = make_world(session)
    make_asset(session, w.manager, "First")
    with pytest.raises(PermissionDenied):
        make_asset(session, w.gold, "Mine")
    first = library(session, w.gold, LibraryQuery(), opening=True)
    assert first.since is None and first.new_count == 0
    asset = session.exec(select(Asset)).one()
    asset.publish_at -= timedelta(hours=1)
    session.add(asset)
    second = library(session, w.gold, LibraryQuery(), opening=True)
    assert second.since is not None and second.new_count == 0
    make_asset(session, w.manager, "Second")
    third = library(session, w.gold, LibraryQuery(new_only=True), opening=True)
    assert [c.title for c in third.cards] == ["Second"] and third.cards[0].is_new


def test_most_used_sorts_by_views_and_downloads_and_pages_hold_twelve(session, stores):
    w = make_world(session)
    slugs = [make_asset(session, w.manager, f"Asset number {n}") for n in range(14)]
    for _ in range(3):
        file_to_serve(session, w.gold, slugs[2], None, download=True)
    note_view(session, w.gold, slugs[5], None)
    first = library(session, w.gold, LibraryQuery(sort="most_used"))
    assert [c.slug for c in first.cards[:2]] == [slugs[2], slugs[5]] and first.cards[0].uses == 3
    assert (first.total, first.pages, len(first.cards)) == (14, 2, 12)
    second = library(session, w.gold, LibraryQuery(sort="most_used", page=2))
    assert len(second.cards) == 2 and not {c.slug for c in second.cards} & {c.slug for c in first.cards}


def test_a_running_kit_shows_a_partner_only_the_assets_it_may_open(session, stores):
    from datetime import date

    from prm_app.content.kits import KitInput, all_kits, create_kit, running_kits
    from prm_app.platform.errors import FormInvalid

    w = make_world(session)
    open_slug = make_asset(session, w.manager, "Campaign guide")
    gold_slug = make_asset(session, w.manager, "Gold call script", min_tier="Gold")
    today = date.today()
    period = dict(starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=30))
    create_kit(session, w.manager, KitInput("Spring refresh", "Four weeks", slugs=(open_slug, gold_slug), **period))
    with pytest.raises(FormInvalid) as wrong:
        create_kit(session, w.manager, KitInput("Spring refresh", "", slugs=("no-such",), **period))
    assert "assets" in wrong.value.errors
    with pytest.raises(PermissionDenied):
        running_kits(session, w.manager)
    assert [i.slug for i in running_kits(session, w.gold)[0].items] == [open_slug, gold_slug]
    assert [i.slug for i in running_kits(session, w.silver)[0].items] == [open_slug]
    assert len(all_kits(session, w.manager)[0].items) == 2


def test_the_team_previews_the_library_as_a_partner_without_counting_anything(session, stores):
    from prm_app.content.queries import library_as

    w = make_world(session)
    slug = make_asset(session, w.manager, "Gold price list", min_tier="Gold")
    as_silver = library_as(session, w.manager, w.silver_org_id, LibraryQuery())
    assert [(c.slug, c.locked_from_tier) for c in as_silver.cards] == [(slug, "Gold")]
    assert library_as(session, w.manager, w.gold_org_id, LibraryQuery()).cards[0].locked_from_tier == ""
    with pytest.raises(PermissionDenied):
        library_as(session, w.gold, w.silver_org_id, LibraryQuery())
    with pytest.raises(NotFound):
        library_as(session, w.manager, 999_999, LibraryQuery())


def test_a_link_whose_name_resolves_to_loopback_is_refused_on_create_and_on_edit(session, stores, monkeypatch):
    from prm_app.audience import AudienceRule
    from prm_app.content import links
    from prm_app.content.rules import AssetInput
    from prm_app.content.service import create_asset, update_asset
    from prm_app.platform.errors import FormInvalid

    w = make_world(session)
    answers = {"localtest.me": ["127.0.0.1"], "partners.example.com": ["93.184.215.14"]}
    monkeypatch.setattr(links, "_addresses", lambda host: answers.get(host, []))
    data = AssetInput(title="Demo video", description="", category="sales", link_url="https://localtest.me/admin")
    with pytest.raises(FormInvalid) as refused:
        create_asset(session, w.manager, data, AudienceRule())
    assert set(refused.value.errors) == {"link_url"}
    good = AssetInput(title="Demo video", description="", category="sales", link_url="https://partners.example.com/")
    created = create_asset(session, w.manager, good, AudienceRule())
    with pytest.raises(FormInvalid):
        update_asset(session, w.manager, created.id, data, AudienceRule())
    assert session.get(Asset, created.id).link_url == "https://partners.example.com/"


def test_the_product_filter_names_only_products_of_assets_the_partner_may_see(session, stores):
    w = make_world(session)
    for title, product in (("Shipping datasheet", "NovaStor 5"), ("Launch plan", "Project Falcon"), ("Old", "Zeta")):
        asset = session.get(Asset, _asset_id(session, make_asset(session, w.manager, title)))
        asset.product = product
        session.add(asset)
    session.get(Asset, _asset_id(session, "launch-plan")).publish_at = utcnow() + timedelta(days=30)
    delete_asset(session, w.manager, _asset_id(session, "old"))
    session.flush()
    assert library(session, w.gold, LibraryQuery()).products == ("NovaStor 5",)


def test_numbers_past_the_integer_columns_are_not_found_on_both_databases(session, stores):
    from prm_app.content.cobrand import remove_zone
    from prm_app.content.kits import delete_kit
    from prm_app.content.queries import library_as

    w = make_world(session)
    slug = make_asset(session, w.manager, "Price list")
    asset_id, huge = _asset_id(session, slug), 2**40
    calls = [
        lambda: file_to_serve(session, w.gold, slug, huge, download=True),
        lambda: note_view(session, w.gold, slug, huge),
        lambda: asset_view(session, w.gold, slug, huge),
        lambda: asset_detail(session, w.manager, huge),
        lambda: roll_back(session, w.manager, asset_id, huge),
        lambda: why_not(session, w.manager, asset_id, huge),
        lambda: library_as(session, w.manager, huge, LibraryQuery()),
        lambda: remove_zone(session, w.manager, huge, 1),
        lambda: delete_kit(session, w.manager, huge),
    ]
    for call in calls:
        with pytest.raises(NotFound):
            call()
    assert file_to_serve(session, w.gold, slug, 1, download=True).content_type == "application/pdf"  # still usable


def test_a_slug_with_a_nul_byte_is_not_found_on_both_databases(session, stores):
    w = make_world(session)
    slug = make_asset(session, w.manager, "Price list")
    for wrong in (slug + "\x00", "\x00" + slug, "../../etc/passwd\x00.pdf"):
        with pytest.raises(NotFound):
            file_to_serve(session, w.gold, wrong, None, download=True)
        with pytest.raises(NotFound):
            asset_view(session, w.gold, wrong)


def test_usage_is_counted_per_utc_month_in_sql(session, stores):
    from datetime import UTC, datetime

    from prm_app.platform.models import EngagementEvent

    w = make_world(session)
    slug = make_asset(session, w.manager, "Monthly deck")
    note_view(session, w.gold, slug, None)
    file_to_serve(session, w.gold, slug, None, download=True)
    file_to_serve(session, w.silver, slug, None, download=True)
    session.flush()
    first = session.exec(select(EngagementEvent).where(EngagementEvent.kind == "content_downloaded")).first()
    first.at = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)  # late on the 31st: still January in UTC
    session.add(first)
    session.commit()
    months = asset_detail(session, w.manager, _asset_id(session, slug)).months
    now = utcnow().strftime("%Y-%m")
    assert [(m.month, m.views, m.downloads) for m in months] == [("2026-01", 0, 1), (now, 1, 1)]
