"""Drawing a partner's details onto a co-brand template: pure file work, no database.

fpdf2 draws one overlay page per template page that has zones (same size, origin moved from PDF's bottom-left to
fpdf's top-left), and pypdf merges each onto its original page, so the template's own content is never redrawn.
A logo fits its box with its aspect kept and is centred; a partner without a logo gets its company name as text.
Text is shrunk until it fits its box's width (down to 5 pt), in a font that has its letters (platform/pdf_fonts.py:
DejaVu Sans, IPAexGothic for Japanese); without one, fpdf2's core font takes Latin-1 and other characters are
replaced."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter

from prm_app.platform.pdf_fonts import font_for

MIN_FONT = 5.0


@dataclass(frozen=True)
class Stamp:
    page: int  # from 1
    x: float
    y: float  # from the page's bottom
    w: float
    h: float
    text: str = ""  # drawn when there is no image
    image: Path | None = None


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Each page's (width, height) in points."""
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(pdf).pages]


def fit_box(
    image_w: float, image_h: float, x: float, top: float, w: float, h: float
) -> tuple[float, float, float, float]:
    """Where an image of that size goes in the box (x, top, w, h): as large as fits, aspect kept, centred."""
    scale = min(w / image_w, h / image_h)
    fitted_w, fitted_h = image_w * scale, image_h * scale
    return x + (w - fitted_w) / 2, top + (h - fitted_h) / 2, fitted_w, fitted_h


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def _font(pdf: FPDF, text: str) -> tuple[str, str]:
    """(the family to draw `text` with, `text` as that font can draw it)."""
    path = font_for(text)
    if path is None:
        return "helvetica", _latin1(text)
    family = path.stem.lower()
    if family not in pdf.fonts:
        pdf.add_font(family, "", str(path))
    return family, text


def _draw_text(pdf: FPDF, stamp: Stamp, top: float) -> None:
    family, text = _font(pdf, " ".join(stamp.text.split()))
    size = min(stamp.h * 0.75, 28.0)
    pdf.set_font(family, size=size)
    while size > MIN_FONT and pdf.get_string_width(text) > stamp.w:
        size -= 0.5
        pdf.set_font(family, size=size)
    pdf.set_xy(stamp.x, top)
    pdf.cell(stamp.w, stamp.h, text, align="L")


def _overlay(width: float, height: float, stamps: list[Stamp]) -> bytes:
    pdf = FPDF(unit="pt", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.add_page()
    for stamp in stamps:
        top = height - stamp.y - stamp.h
        if stamp.image is not None:
            with Image.open(stamp.image) as picture:
                size = picture.size
            x, y, w, h = fit_box(size[0], size[1], stamp.x, top, stamp.w, stamp.h)
            pdf.image(str(stamp.image), x=x, y=y, w=w, h=h)
        else:
            _draw_text(pdf, stamp, top)
    return bytes(pdf.output())


def stamp_pdf(template: Path, stamps: list[Stamp]) -> bytes:
    """The template with every stamp drawn on its page (stamps on pages it lacks are ignored)."""
    reader = PdfReader(template)
    writer = PdfWriter(clone_from=reader)
    for index, page in enumerate(writer.pages):
        mine = [s for s in stamps if s.page == index + 1]
        if not mine:
            continue
        box = page.mediabox
        overlay = PdfReader(io.BytesIO(_overlay(float(box.width), float(box.height), mine))).pages[0]
        page.merge_translated_page(overlay, float(box.left), float(box.bottom))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
