"""A certificate as a printable PDF (fpdf2): landscape A4 with the holder, the certification, the dates and the
verify link and code, so whoever reads the paper can check it is still valid. Its words and dates are in the reader's
language (German, French, Spanish; English otherwise: the PDF's core fonts draw Latin-1 only, so a Japanese reader
gets the English certificate rather than one of question marks)."""

from __future__ import annotations

from fpdf import FPDF

from prm_app.platform.i18n import DEFAULT_LANGUAGE, catalogue, long_day
from prm_app.training.certificates import CertificateView, verify_url

LATIN_LANGUAGES = frozenset({"en", "de", "fr", "es"})  # what the core fonts can write


def _latin(text: str) -> str:
    """The PDF's core fonts draw Latin-1: other letters become "?" rather than failing the certificate."""
    return text.encode("latin-1", "replace").decode("latin-1")


def certificate_language(language: str) -> str:
    """The language a reader's certificate is written in: theirs if the PDF can draw it, else English."""
    return language if language in LATIN_LANGUAGES else DEFAULT_LANGUAGE


def certificate_pdf(view: CertificateView, language: str = DEFAULT_LANGUAGE) -> bytes:
    language = certificate_language(language)
    words = catalogue(language)
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(_latin(f"{view.certification}: {view.holder}"))
    pdf.set_lang(language)
    pdf.add_page()
    pdf.set_draw_color(30, 80, 150)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, 277, 190)
    pdf.set_y(38)
    pdf.set_font("Helvetica", "", 16)
    pdf.cell(0, 10, _latin(words.text("certificate.title")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 30)
    pdf.multi_cell(0, 16, _latin(view.holder), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 14)
    pdf.cell(0, 10, _latin(words.text("certificate.has_earned")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 22)
    pdf.multi_cell(0, 14, _latin(view.certification), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 12)
    dates = words.text(
        "certificate.dates", issued=long_day(view.issued_at, language), until=long_day(view.expires_at, language)
    )
    pdf.cell(0, 8, _latin(dates), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(14)
    pdf.set_font("Helvetica", "", 10)
    verify = words.text("certificate.verify_at", url=verify_url(view.code))
    pdf.cell(0, 6, _latin(verify), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, _latin(words.text("certificate.code", code=view.code)), align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
