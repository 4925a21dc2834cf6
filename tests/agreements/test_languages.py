"""Agreements in the partner's language (issue #18), on SQLite and PostgreSQL: a manager adds a published version's
text in another language (corrected until someone signs it), a partner admin reads and signs it in their language
(English when the version has none; the choice on the page), the signature keeps the language, and the signed PDF's
words and dates are in it (Japanese with a font that has kana and kanji, when the system has one)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlmodel import Session

from prm_app.agreements import my_agreements, save_language_version, signed_copy, template_detail
from prm_app.agreements.languages import language_to_sign, version_texts
from prm_app.agreements.models import AgreementSignature
from prm_app.agreements.pdf import copy_language, signed_copy_pdf
from prm_app.agreements.queries import merge_values
from prm_app.identity import User
from prm_app.platform.errors import FormInvalid, PermissionDenied
from prm_app.platform.pdf_fonts import japanese_font
from tests.agreements.test_agreements import _publish, _sign, _world
from tests.factories import T0, actor_for

GERMAN = "# Vereinbarung\n\nZwischen uns und {{company_name}}.\n\nKündigung: 30 Tage.\n\nAm {{date}}."
JAPANESE = "# 契約書\n\n{{company_name}} と当社との契約です。\n\n{{date}} 署名"


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _reads(session: Session, person, language: str) -> None:
    user = session.get(User, person.id)
    assert user is not None
    user.language = language
    session.add(user)
    session.flush()


def test_the_language_shown_is_the_one_asked_then_the_persons_then_english():
    assert language_to_sign(["en", "de"], "de", "fr") == "de"
    assert language_to_sign(["en", "de"], None, "de") == "de"
    assert language_to_sign(["en", "de"], "ja", "fr") == "en"
    assert language_to_sign(["en"], None, "de") == "en"


def test_merge_values_write_the_date_and_country_as_the_language_does(session):
    _, org, _, _ = _world(session)
    org.country = "DE"
    assert merge_values(org, "Ingrid Berg", T0, "de")["date"].endswith(f"{T0.year}")
    assert "." in merge_values(org, "Ingrid Berg", T0, "de")["date"]  # "15. Januar 2030"
    assert "Deutschland" in merge_values(org, "Ingrid Berg", T0, "de")["company_address"]
    assert "年" in merge_values(org, "Ingrid Berg", T0, "ja")["date"]


def test_a_german_partner_reads_and_signs_the_german_version_and_its_pdf_is_german(session):
    manager, _, admin, user = _world(session)
    tid, vid = _publish(session, manager)
    with pytest.raises(PermissionDenied):
        save_language_version(session, actor_for(admin), vid, language="de", body=GERMAN)
    with pytest.raises(FormInvalid) as refused:
        save_language_version(session, actor_for(manager), vid, language="en", body="")
    assert set(refused.value.errors) == {"language", "translation"}
    save_language_version(session, actor_for(manager), vid, language="de", body=GERMAN.replace("30", "20"))
    save_language_version(session, actor_for(manager), vid, language="de", body=GERMAN)  # corrected: one row
    assert version_texts(session, vid)["de"] == GERMAN.strip()

    english = my_agreements(session, actor_for(admin), now=T0 + timedelta(hours=1)).to_sign[0]
    assert english.language == "en" and english.languages == ("en", "de")
    _reads(session, admin, "de")
    german = my_agreements(session, actor_for(admin), now=T0 + timedelta(hours=1)).to_sign[0]
    assert german.language == "de" and "Zwischen uns und Fjord Managed IT" in german.text
    asked = my_agreements(session, actor_for(admin), now=T0 + timedelta(hours=1), language="en").to_sign[0]
    assert asked.language == "en" and "Between us" in asked.text

    with pytest.raises(FormInvalid) as wrong:
        _sign(session, admin, vid, T0 + timedelta(hours=1), language="ja")
    assert "language" in wrong.value.errors
    signature_id = _sign(session, admin, vid, T0 + timedelta(hours=1), language="de")
    signature = session.get(AgreementSignature, signature_id)
    assert signature is not None and signature.language == "de" and "Kündigung" in signature.text

    with pytest.raises(FormInvalid) as frozen:
        save_language_version(session, actor_for(manager), vid, language="de", body=GERMAN + "\n\nMehr.")
    assert "can no longer change" in frozen.value.errors["translation"]
    detail = template_detail(session, actor_for(manager), tid)
    assert [(v.language, v.signatures) for v in detail.languages] == [("de", 1)]
    assert detail.signatures[0].language == "de"

    copy = signed_copy(session, actor_for(user), signature_id)
    text = _text(signed_copy_pdf(copy))
    assert "Unterschrift" in text and "Unterzeichnet von: Ingrid Berg" in text and "Kündigung" in text
    assert "Januar 2030" in text and "Deutsch" in text


def test_an_english_signature_keeps_english_words(session):
    manager, _, admin, user = _world(session)
    _, vid = _publish(session, manager)
    signature_id = _sign(session, admin, vid, T0 + timedelta(hours=1))
    text = _text(signed_copy_pdf(signed_copy(session, actor_for(user), signature_id)))
    assert "Signed by: Ingrid Berg" in text and "English" in text


def test_a_japanese_copy_draws_kana_and_kanji_when_a_font_has_them(session):
    manager, _, admin, user = _world(session)
    _, vid = _publish(session, manager)
    save_language_version(session, actor_for(manager), vid, language="ja", body=JAPANESE)
    _reads(session, admin, "ja")
    signature_id = _sign(session, admin, vid, T0 + timedelta(hours=1), language="ja")
    pdf = signed_copy_pdf(signed_copy(session, actor_for(user), signature_id))
    if japanese_font() is None:  # the words fall back to English; the text is as signed
        assert copy_language("ja") == "en"
        return
    text = _text(pdf)
    assert "署名者: Ingrid Berg" in text and "契約です" in text and "2030年1月" in text
