"""Co-branded collateral: zones checked against the PDF's pages, a partner's stamped copy holds its name and phone,
renders are reused until the profile changes, locked zones stay locked, and the bulk view names partners without
a logo."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import event
from sqlmodel import col, func, select

from prm_app.content import storage
from prm_app.content.cobrand import LockedZone, add_zone, cobranded_file, render_for, template_partners, zones_of
from prm_app.content.models import Asset
from prm_app.content.rules import ZoneInput
from prm_app.content.stamping import fit_box
from prm_app.partners import Organization, Tier
from prm_app.platform.access import Role
from prm_app.platform.errors import FormInvalid, NotFound
from tests.content.factories import make_asset, make_world, pdf_bytes, png_bytes
from tests.factories import make_org, make_user


def _text(key: str) -> str:
    path = storage.RENDERS.path(key)
    assert path is not None
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


def _template(session, w):
    slug = make_asset(session, w.manager, "Co-branded datasheet", data=pdf_bytes("Datasheet", pages=2), cobrand=True)
    asset_id = session.exec(select(Asset.id).where(Asset.slug == slug)).one()
    add_zone(session, w.manager, asset_id, ZoneInput(1, 40, 40, 200, 40, "logo"))
    add_zone(session, w.manager, asset_id, ZoneInput(1, 40, 90, 300, 20, "field", binding="phone"))
    add_zone(session, w.manager, asset_id, ZoneInput(2, 40, 90, 300, 20, "free_text", text="Call us today"))
    add_zone(
        session, w.manager, asset_id, ZoneInput(2, 40, 120, 300, 20, "free_text", text="Offer ends soon", locked=True)
    )
    return slug, asset_id


def render_everyone(session, w, asset_id) -> list[bool]:
    """Each partner's copy with the manager's texts (what the bulk run makes); whether each was made now."""
    asset = session.get(Asset, asset_id)
    ready = template_partners(session, w.manager, asset_id)
    return [render_for(session, asset, session.get(Organization, p.organization_id), {})[1] for p in ready]


def test_a_partner_downloads_its_own_stamped_copy_and_the_render_is_reused_until_its_phone_changes(session, stores):
    w = make_world(session)
    slug, asset_id = _template(session, w)
    free, locked = [z.id for z in zones_of(session, asset_id) if z.kind == "free_text"]
    first = cobranded_file(session, w.gold, slug, {free: "Ask Priya for a demo"})
    text = _text(first.key)
    assert "Cobalt Systems VAR" in text  # no logo: the company name stands in its box
    assert "+1 512 555 0147" in text and "Ask Priya for a demo" in text and "Offer ends soon" in text
    assert cobranded_file(session, w.gold, slug, {free: "Ask Priya for a demo"}).key == first.key  # cached
    org = session.get(Organization, w.gold_org_id)
    org.phone = "+1 512 555 0199"
    session.add(org)
    again = cobranded_file(session, w.gold, slug, {free: "Ask Priya for a demo"})
    assert again.key != first.key and "+1 512 555 0199" in _text(again.key)
    with pytest.raises(LockedZone):
        cobranded_file(session, w.gold, slug, {locked: "50% off everything"})


def test_zones_must_sit_on_a_page_and_the_bulk_view_names_partners_without_a_logo(session, stores):
    w = make_world(session)
    slug, asset_id = _template(session, w)
    with pytest.raises(FormInvalid) as wrong:
        add_zone(session, w.manager, asset_id, ZoneInput(3, 0, 0, 10, 10, "logo"))
    assert "page" in wrong.value.errors
    with pytest.raises(FormInvalid) as outside:
        add_zone(session, w.manager, asset_id, ZoneInput(1, 500, 800, 200, 100, "logo"))
    assert "fit on the page" in outside.value.errors["w"]
    ready = {p.name: p for p in template_partners(session, w.manager, asset_id)}
    assert set(ready) == {"Cobalt Systems VAR", "Bluepeak Resellers"}
    assert not ready["Cobalt Systems VAR"].has_logo and not ready["Cobalt Systems VAR"].rendered
    assert render_everyone(session, w, asset_id) == [True, True]
    assert render_everyone(session, w, asset_id) == [False, False]  # cached
    assert all(p.rendered for p in template_partners(session, w.manager, asset_id))
    with pytest.raises(NotFound):
        cobranded_file(session, w.manager, slug, {})  # a partner's copy needs a partner


def test_a_wide_logo_fits_its_box_with_its_aspect_kept():
    x, top, w, h = fit_box(3000, 300, 40, 100, 200, 80)
    assert (w, h) == (200, 20) and x == 40 and top == 130  # full width, centred vertically
    x, top, w, h = fit_box(300, 300, 40, 100, 200, 80)
    assert (w, h) == (80, 80) and x == 100 and top == 100


def test_a_partner_with_a_logo_gets_it_stamped_instead_of_its_name(session, stores, monkeypatch):

    from prm_app.partners import logos

    monkeypatch.setattr(logos.LOGOS, "folder", stores / "logos")
    (stores / "logos").mkdir()
    (stores / "logos" / ("a" * 32)).write_bytes(png_bytes(3000, 300))
    w = make_world(session)
    slug, _ = _template(session, w)
    org = session.get(Organization, w.gold_org_id)
    org.logo_key = "a" * 32
    session.add(org)
    stamped = cobranded_file(session, w.gold, slug, {})
    reader = PdfReader(io.BytesIO(storage.RENDERS.path(stamped.key).read_bytes()))  # type: ignore[union-attr]
    assert len(reader.pages[0].images) == 1
    assert "Cobalt Systems VAR" not in reader.pages[0].extract_text()


def test_a_partner_varying_its_text_keeps_only_its_latest_renders(session, stores):
    from prm_app.content.cobrand import KEPT_RENDERS
    from prm_app.content.models import CobrandRender

    w = make_world(session)
    slug, asset_id = _template(session, w)
    free = next(z.id for z in zones_of(session, asset_id) if z.kind == "free_text" and not z.locked)
    keys = [cobranded_file(session, w.gold, slug, {free: f"Offer number {n}"}).key for n in range(KEPT_RENDERS + 3)]
    render_everyone(session, w, asset_id)
    rows = session.exec(select(CobrandRender.file_key, CobrandRender.organization_id)).all()
    gold = [key for key, org in rows if org == w.gold_org_id]
    assert len(gold) == KEPT_RENDERS and keys[-1] in gold and keys[0] not in gold
    assert any(org == w.silver_org_id for _, org in rows)
    assert sorted(p.name for p in (stores / "renders").iterdir()) == sorted(key for key, _ in rows)


def test_purging_a_deleted_template_deletes_its_renders_files_too(session, stores):
    from datetime import timedelta

    from prm_app.content.service import delete_asset, purge_deleted
    from prm_app.content.storage import forget_files
    from prm_app.platform.access import Actor

    w = make_world(session)
    _slug, asset_id = _template(session, w)
    render_everyone(session, w, asset_id)
    assert len(list((stores / "renders").iterdir())) == 2
    delete_asset(session, w.manager, asset_id)
    asset = session.get(Asset, asset_id)
    asset.deleted_at -= timedelta(days=31)
    session.add(asset)
    forget_files(purge_deleted(session, Actor.system("Content purge")))
    assert list((stores / "renders").iterdir()) == [] and list((stores / "content").iterdir()) == []


def test_the_bulk_view_reads_the_same_few_statements_for_two_partners_or_twelve(session, stores):
    """A program has thousands of partners: the readiness of each is worked out from a few reads, not per partner."""
    w = make_world(session)
    _slug, asset_id = _template(session, w)
    render_everyone(session, w, asset_id)
    session.commit()

    def statements() -> int:
        seen: list[str] = []
        bind = session.get_bind()
        listen = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(bind, "before_cursor_execute", listen)
        try:
            ready = template_partners(session, w.manager, asset_id)
        finally:
            event.remove(bind, "before_cursor_execute", listen)
        assert len(ready) == session.exec(select(func.count(col(Organization.id)))).one()
        return len(seen)

    two = statements()
    tier = session.get_one(Tier, session.get_one(Organization, w.gold_org_id).tier_id)
    for n in range(10):
        make_user(session, Role.PARTNER_USER, make_org(session, name=f"Partner {n}", tier=tier))
    session.commit()
    assert statements() == two
