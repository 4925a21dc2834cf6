"""A certificate's PDF speaks its reader's language: the words of the catalogue and the language's long dates
(French "15 mars 2028", German "15. März 2028"); a language the PDF's fonts cannot draw (Japanese) gets English."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from prm_app.training.certificate_pdf import certificate_pdf
from prm_app.training.certificates import CertificateView

VIEW = CertificateView(
    id=1, code="a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6", holder="Amélie Dubois", certification="Core Platform Associate",
    certification_code="CORE", issued_at=datetime(2027, 3, 15, 9, tzinfo=UTC),
    expires_at=datetime(2028, 3, 15, 9, tzinfo=UTC), status="valid",
)  # fmt: skip


def _text(language: str) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(certificate_pdf(VIEW, language))).pages)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ("Certificate of achievement", "Issued 15 March 2027", "Valid until 15 March 2028", "Verify at")),
        ("fr", ("Certificat de réussite", "Délivré le 15 mars 2027", "Valable jusqu'au 15 mars 2028", "Vérifier sur")),
        ("de", ("Leistungszertifikat", "Ausgestellt am 15. März 2027", "Gültig bis 15. März 2028")),
        ("es", ("Certificado de logro", "Emitido el 15 de marzo de 2027", "Código a1b2")),
        ("ja", ("Certificate of achievement", "Valid until 15 March 2028")),  # no Japanese glyphs: English
    ],
)
def test_a_certificate_is_written_in_its_readers_language(language, words):
    text = _text(language)
    for expected in (*words, "Amélie Dubois", "Core Platform Associate"):
        assert expected in text, (expected, text)
