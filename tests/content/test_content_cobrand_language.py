"""A co-branded copy's added words in the partner's language (issue #18): the date of the copy in its regional
format and its address's country by name, drawn in a font that has their letters; a change of language is a new
render. The partner's language is the one most of its people read the app in."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlmodel import select

from prm_app.content import storage
from prm_app.content.cobrand import add_zone, cobranded_file, partner_language
from prm_app.content.models import Asset
from prm_app.content.rules import ZoneInput
from prm_app.identity import User
from prm_app.partners import Organization
from prm_app.platform.clock import utcnow
from tests.content.factories import make_asset, make_world, pdf_bytes

GERMAN_MONTHS = "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split()


def _text(key: str) -> str:
    path = storage.RENDERS.path(key)
    assert path is not None
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


def _people_read(session, org_id: int, language: str) -> None:
    for user in session.exec(select(User).where(User.organization_id == org_id)).all():
        user.language = language
        session.add(user)
    session.flush()


def test_the_date_and_the_country_are_in_the_partners_language(session, stores):
    w = make_world(session)
    slug = make_asset(session, w.manager, "Co-branded flyer", data=pdf_bytes("Flyer"), cobrand=True)
    asset_id = session.exec(select(Asset.id).where(Asset.slug == slug)).one()
    add_zone(session, w.manager, asset_id, ZoneInput(1, 40, 40, 300, 20, "field", binding="date"))
    add_zone(session, w.manager, asset_id, ZoneInput(1, 40, 90, 400, 20, "field", binding="address"))
    org = session.get(Organization, w.gold_org_id)
    org.street, org.postal_code, org.city, org.country = "Domstraße 1", "50667", "Köln", "DE"
    session.add(org)
    session.flush()
    today = utcnow().date()

    english = cobranded_file(session, w.gold, slug, {})
    assert partner_language(session, org) == "en"
    text = _text(english.key)
    assert f"{today.day} {today:%B %Y}" in text and "Germany" in text and "Domstraße 1" in text

    _people_read(session, w.gold_org_id, "de")
    german = cobranded_file(session, w.gold, slug, {})
    assert german.key != english.key  # another language: another render
    text = _text(german.key)
    assert f"{today.day}. {GERMAN_MONTHS[today.month - 1]} {today.year}" in text and "Deutschland" in text

    _people_read(session, w.gold_org_id, "ja")
    text = _text(cobranded_file(session, w.gold, slug, {}).key)
    assert f"{today.year}年{today.month}月{today.day}日" in text and "ドイツ" in text
