"""The demo library's files, drawn at seed time: PDFs with a title, a few lines and a footer (fpdf2), banner
images (Pillow), and a spreadsheet (a minimal OOXML workbook), so every preview and download in the demo works."""

from __future__ import annotations

import io
import zipfile

from fpdf import FPDF

BRAND = (18, 74, 140)


def demo_pdf(title: str, lines: list[str], *, version: int = 1, pages: int = 1, cobrand: bool = False) -> bytes:
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    for page in range(1, pages + 1):
        pdf.add_page()
        pdf.set_fill_color(*BRAND)
        pdf.rect(0, 0, 595, 90, style="F")
        pdf.set_text_color(255, 255, 255)
        pdf.set_font("helvetica", "B", 22)
        pdf.set_xy(40, 30)
        pdf.cell(515, 30, title)
        pdf.set_text_color(30, 30, 30)
        pdf.set_font("helvetica", size=12)
        pdf.set_xy(40, 120)
        for line in lines if page == 1 else [f"{title}, continued."]:
            pdf.multi_cell(515, 18, line)
            pdf.ln(6)
            pdf.set_x(40)
        if cobrand:
            pdf.set_draw_color(180, 180, 180)
            pdf.rect(40, 700, 200, 80)  # where the partner's logo goes
            pdf.set_font("helvetica", "I", 9)
            pdf.set_xy(260, 700)
            pdf.cell(295, 14, "Your local partner:")
        pdf.set_font("helvetica", size=8)
        pdf.set_xy(40, 815)
        pdf.cell(515, 12, f"Open PRM Vendor Inc. · Version {version} · Page {page} of {pages}")
    return bytes(pdf.output())


def demo_png(title: str, width: int = 1200, height: int = 628) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), BRAND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, height - 140, width - 40, height - 40), fill=(255, 255, 255))
    draw.text((60, height - 110), title, fill=BRAND)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _cell(column: str, row: int, text: str) -> str:
    return f'<c r="{column}{row}" t="inlineStr"><is><t>{text}</t></is></c>'


def demo_xlsx(rows: list[tuple[str, str]]) -> bytes:
    """A one-sheet workbook with inline strings (enough for Excel, LibreOffice and the content check)."""
    cells = "".join(
        f'<row r="{i}">{_cell("A", i, a)}{_cell("B", i, b)}</row>' for i, (a, b) in enumerate(rows, start=1)
    )
    ns = "http://schemas.openxmlformats.org"
    files = {
        "[Content_Types].xml": f'<?xml version="1.0"?><Types xmlns="{ns}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="r1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{ns}/spreadsheetml/2006/main" '
        f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="Prices" sheetId="1" r:id="r1"/>'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="r1" Type="{ns}/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet xmlns="{ns}/spreadsheetml/2006/main">'
        f"<sheetData>{cells}</sheetData></worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()
