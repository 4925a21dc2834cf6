"""What the agreement pages show, as text: who it applies to, versions, rows, and the text's headings kept below
the page's own."""

from __future__ import annotations

from prm_app.agreements import Segment, VersionLine
from prm_app.agreements.rendering import to_page_html
from prm_app.agreements.ui.display import applies_to, change_rows, due_text, version_row
from tests.factories import T0


def test_who_an_agreement_applies_to_reads_as_words():
    assert applies_to((), ()) == "All partner types; all regions"
    assert applies_to(("msp", "var"), ("EMEA",)) == "MSP, VAR; EMEA"


def test_a_version_says_what_partners_must_do():
    first = version_row(VersionLine(1, 1, T0, "Maya Okafor", True, 0, "ab" * 32))
    again = version_row(VersionLine(2, 2, T0, "", True, 14, "cd" * 32))
    quiet = version_row(VersionLine(3, 3, T0, "", False, 0, "ef" * 32))
    assert (first.number, first.reacceptance, first.by) == (
        "Version 1",
        "First version: every partner signs",
        "Maya Okafor",
    )
    assert (again.reacceptance, again.by) == ("Re-acceptance required, 14 days' grace", "—")
    assert quiet.reacceptance == "No re-acceptance"


def test_due_dates_and_changes_as_rows():
    assert due_text(T0, False) == "Please sign by 15 Jan 2030. Until then the portal stays open."
    assert due_text(T0, True).startswith("Signing is required now")
    assert [(r.kind, r.text) for r in change_rows((Segment("added", "60"),))] == [("added", "60")]


def test_the_texts_headings_sit_below_the_pages_own():
    html = to_page_html("# Agreement\n\n## 1. Term\n\n###### Small\n\nText")
    assert "<h1>" not in html and "<h3>Agreement</h3>" in html and "<h4>1. Term</h4>" in html
    assert "<h6>Small</h6>" in html
