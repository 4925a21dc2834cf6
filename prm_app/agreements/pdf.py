"""The signed copy of an agreement as a PDF (fpdf2): the text exactly as signed, then the evidence: who signed,
the name they typed, when, from where, and the SHA-256 of the text, so anyone can check the copy.

Its own words (title, labels) and the moment of signing are in the language version signed, as the certificate
PDF is in its reader's language (training/certificate_pdf.py): the words from the message catalogue, the date in
the language's regional format (Babel's CLDR patterns). Fonts (platform/pdf_fonts.py): DejaVu Sans draws German,
French and Spanish texts and any typed name as written; a Japanese copy embeds IPAexGothic (kana and kanji).
Without a font for its script the copy falls back to core Helvetica (Latin-1 only, other characters as "?") and,
for a Japanese copy, to English words around the text.
"""

from __future__ import annotations

from datetime import UTC

from babel.dates import format_datetime
from fpdf import FPDF

from prm_app.agreements.manage import SignedCopy
from prm_app.agreements.rendering import to_html
from prm_app.platform.i18n import DEFAULT_LANGUAGE, FORMAT_LOCALES, catalogue
from prm_app.platform.pdf_fonts import japanese_font, unicode_font


def _document(language: str) -> tuple[FPDF, str, bool]:
    """The document with a font family that draws `language` (and whether it is a Unicode font)."""
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_lang(language)
    font = unicode_font()
    if language == "ja":  # one face for every style: the font has no bold, and fpdf2 needs a face for each
        japanese = japanese_font()
        font = (japanese, japanese) if japanese is not None else None
    if font is None:
        return pdf, "helvetica", False
    for style, path in (("", font[0]), ("B", font[1]), ("I", font[0]), ("BI", font[1])):
        pdf.add_font("body", style, str(path))  # italic falls back to the regular face
    return pdf, "body", True


def copy_language(language: str) -> str:
    """The language the PDF's own words are in: the one signed, unless no font here can draw it (then English)."""
    if language == "ja" and japanese_font() is None:
        return DEFAULT_LANGUAGE
    return language if language in FORMAT_LOCALES else DEFAULT_LANGUAGE


def signed_copy_pdf(copy: SignedCopy) -> bytes:
    """The PDF of `copy`: its title, the signed text, and the signature's evidence, in the language signed."""
    language = copy_language(copy.language)
    words = catalogue(language)
    pdf, family, unicode = _document(copy.language if language == copy.language else DEFAULT_LANGUAGE)

    def plain(text: str) -> str:
        return text if unicode else text.encode("latin-1", "replace").decode("latin-1")

    title = words.text("agreements.pdf.title", template=copy.template, number=copy.version_number)
    pdf.set_title(plain(title))
    pdf.set_author(plain(copy.organization))
    # In the document's properties too (plain text there, where the pages' text is compressed glyph codes).
    pdf.set_subject(plain(f"Signed by {copy.signer} for {copy.organization}; SHA-256 {copy.text_sha256}"))
    pdf.add_page()
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(0, 9, plain(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 11)
    pdf.multi_cell(0, 6, plain(words.text("agreements.pdf.copy_for", organization=copy.organization)),
                   new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.ln(4)
    pdf.write_html(plain(to_html(copy.text)), font_family=family)
    pdf.ln(6)
    pdf.set_font(family, "B", 12)
    pdf.multi_cell(0, 7, plain(words.text("agreements.pdf.signature")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    signed_at = format_datetime(copy.signed_at.astimezone(UTC), "long", tzinfo=UTC,
                                locale=FORMAT_LOCALES.get(language, "en_GB"))  # fmt: skip
    not_recorded = words.text("agreements.pdf.not_recorded")
    for key, value in (
        ("agreements.pdf.signed_by", copy.signer),
        ("agreements.pdf.typed_name", copy.typed_name),
        ("agreements.pdf.signed_at", signed_at),
        ("agreements.pdf.language", words.text(f"agreements.language.{copy.language}")),
        ("agreements.pdf.ip", copy.ip or not_recorded),
        ("agreements.pdf.browser", copy.user_agent or not_recorded),
        ("agreements.pdf.sha", copy.text_sha256),
    ):
        pdf.multi_cell(0, 5.5, plain(f"{words.text(key)}: {value}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
