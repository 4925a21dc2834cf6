"""A certificate as a printable PDF (fpdf2): landscape A4 with the holder, the certification, the dates and the
verify link and code, so whoever reads the paper can check it is still valid."""

from __future__ import annotations

from datetime import datetime

from fpdf import FPDF

from prm_app.training.certificates import CertificateView, verify_url


def _day(value: datetime) -> str:
    return value.strftime("%-d %B %Y")


def _latin(text: str) -> str:
    """The PDF's core fonts draw Latin-1: other letters become "?" rather than failing the certificate."""
    return text.encode("latin-1", "replace").decode("latin-1")


def certificate_pdf(view: CertificateView) -> bytes:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(_latin(f"{view.certification}: {view.holder}"))
    pdf.add_page()
    pdf.set_draw_color(30, 80, 150)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, 277, 190)
    pdf.set_y(38)
    pdf.set_font("Helvetica", "", 16)
    pdf.cell(0, 10, "Certificate of achievement", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 30)
    pdf.multi_cell(0, 16, _latin(view.holder), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 14)
    pdf.cell(0, 10, "has earned the certification", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 22)
    pdf.multi_cell(0, 14, _latin(view.certification), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 12)
    pdf.cell(
        0,
        8,
        f"Issued {_day(view.issued_at)}  ·  Valid until {_day(view.expires_at)}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(14)
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, f"Verify at {verify_url(view.code)}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, f"Code {view.code}", align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
