"""A partner's incentive statement to take away: CSV (formula-safe cells) and PDF (fpdf2), both from the same
statement the Incentives page shows (queries.my_statement), so the three never disagree.

The PDF uses DejaVu Sans where the system has it (every name as typed), else the core Helvetica font with
Latin-1 only, as the signed agreements do."""

from __future__ import annotations

import csv
import io

from fpdf import FPDF
from sqlmodel import Session

from prm_app.incentives.queries import Statement, my_statement
from prm_app.incentives.rules import csv_cell, minor_units, to_minor
from prm_app.partners import Organization
from prm_app.platform.access import Actor
from prm_app.platform.clock import utcnow
from prm_app.platform.pdf_fonts import unicode_font

STATUS = {
    "accrued": "Accrued (holding)",
    "payable": "Payable",
    "in_payout": "In a payout",
    "paid": "Paid",
    "payout": "Payout",
}


def _amount(value, currency: str) -> str:  # type: ignore[no-untyped-def]
    return f"{to_minor(value, currency):,.{minor_units(currency)}f} {currency}"


def my_statement_csv(session: Session, actor: Actor) -> str:
    statement = my_statement(session, actor)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "date",
            "what",
            "amount",
            "currency",
            "status",
            "payable_from",
            "original_amount",
            "original_currency",
            "fx_rate",
            "fx_date",
            "reason",
        ]
    )
    for line in statement.lines:
        # Numbers are written as numbers: only text goes through the formula guard, which would turn a payout's
        # or a reversal's "-120.00" into the text "'-120.00" in finance's spreadsheet.
        writer.writerow(
            [
                line.at.date().isoformat(),
                csv_cell(line.explanation),
                f"{to_minor(line.amount, line.currency):f}",
                line.currency,
                line.status,
                line.payable_from.date().isoformat() if line.payable_from else "",
                f"{to_minor(line.source_amount, line.source_currency):f}",
                line.source_currency,
                f"{line.fx_rate.normalize():f}",
                line.fx_date.isoformat(),
                csv_cell(line.reason),
            ]
        )
    return out.getvalue()


def _pdf(statement: Statement, organization: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    family = "helvetica"
    if (fonts := unicode_font()) is not None:
        pdf.add_font("dejavu", "", str(fonts[0]))
        pdf.add_font("dejavu", "B", str(fonts[1]))
        family = "dejavu"

    def plain(text: str) -> str:
        return text if family == "dejavu" else text.encode("latin-1", "replace").decode("latin-1")

    pdf.set_title(plain(f"Incentive statement, {organization}"))
    pdf.add_page()
    pdf.set_font(family, "", 15)
    pdf.multi_cell(0, 8, plain(f"Incentive statement: {organization}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 9)
    pdf.multi_cell(
        0,
        5,
        f"Made {utcnow():%d %b %Y, %H:%M} UTC. Amounts rounded half-even to each currency's minor unit.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    for t in statement.totals:
        pdf.multi_cell(
            0,
            5,
            plain(
                f"{t.currency}: accrued {_amount(t.accrued, t.currency)} · payable {_amount(t.payable, t.currency)} · "
                f"in a payout {_amount(t.in_payout, t.currency)} · paid {_amount(t.paid, t.currency)}"
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(3)
    with pdf.table(col_widths=(22, 98, 35, 25), text_align=("LEFT", "LEFT", "RIGHT", "LEFT")) as table:
        table.row(["Date", "What", "Amount", "Status"])
        for line in statement.lines:
            table.row(
                [
                    f"{line.at:%d %b %Y}",
                    plain((line.explanation or line.kind) + (f" (reason: {line.reason})" if line.reason else "")),
                    _amount(line.amount, line.currency),
                    STATUS.get(line.status, line.status),
                ]
            )
    return bytes(pdf.output())


def my_statement_pdf(session: Session, actor: Actor) -> bytes:
    """The actor's own organization's statement as a PDF."""
    statement = my_statement(session, actor)
    org = session.get(Organization, actor.organization_id)
    return _pdf(statement, org.name if org else "")
