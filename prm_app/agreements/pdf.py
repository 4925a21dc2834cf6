"""The signed copy of an agreement as a PDF (fpdf2): the text exactly as signed, then the evidence: who signed,
the name they typed, when (UTC), from where, and the SHA-256 of the text, so anyone can check the copy.

A Unicode font (DejaVu Sans, where the system has it) draws every name as typed; without one the PDF falls back
to the core Helvetica font, which has only Latin-1, and shows other characters as "?".
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fpdf import FPDF

from prm_app.agreements.manage import SignedCopy
from prm_app.agreements.rendering import to_html

_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


@cache
def _unicode_font() -> tuple[Path, Path] | None:
    for folder in _FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


def _document() -> tuple[FPDF, str, bool]:
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    font = _unicode_font()
    if font is None:
        return pdf, "helvetica", False
    pdf.add_font("dejavu", "", str(font[0]))
    pdf.add_font("dejavu", "B", str(font[1]))
    # Italic falls back to the regular face (fpdf2 needs a face for every style write_html may ask for).
    pdf.add_font("dejavu", "I", str(font[0]))
    pdf.add_font("dejavu", "BI", str(font[1]))
    return pdf, "dejavu", True


def signed_copy_pdf(copy: SignedCopy) -> bytes:
    """The PDF of `copy`: its title, the signed text, and the signature's evidence."""
    pdf, family, unicode = _document()

    def plain(text: str) -> str:
        return text if unicode else text.encode("latin-1", "replace").decode("latin-1")

    pdf.set_title(plain(f"{copy.template}, version {copy.version_number}"))
    pdf.set_author(plain(copy.organization))
    # In the document's properties too (plain text there, where the pages' text is compressed glyph codes).
    pdf.set_subject(plain(f"Signed by {copy.signer} for {copy.organization}; SHA-256 {copy.text_sha256}"))
    pdf.add_page()
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(0, 9, plain(f"{copy.template}, version {copy.version_number}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 11)
    pdf.multi_cell(0, 6, plain(f"Signed copy for {copy.organization}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.write_html(plain(to_html(copy.text)), font_family=family)
    pdf.ln(6)
    pdf.set_font(family, "B", 12)
    pdf.multi_cell(0, 7, "Signature", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    for label, value in (
        ("Signed by", copy.signer),
        ("Typed name", copy.typed_name),
        ("Signed at", copy.signed_at.strftime("%Y-%m-%d %H:%M:%S UTC")),
        ("IP address", copy.ip or "not recorded"),
        ("Browser", copy.user_agent or "not recorded"),
        ("SHA-256 of the signed text", copy.text_sha256),
    ):
        pdf.multi_cell(0, 5.5, plain(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
