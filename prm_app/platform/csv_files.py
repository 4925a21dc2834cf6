"""Reading and writing CSV the way spreadsheets do, for every import and export (leads, prm_app/dataio's records).

Reading: UTF-8 with or without BOM, else cp1252 (what Excel on Windows saves); ",", ";" or tab, whichever the header
line uses most; row numbers are spreadsheet line numbers (the header is row 1, blank lines still count).

Writing: CRLF lines, optionally a UTF-8 BOM (Excel then opens UTF-8 correctly), and formula-safe cells: a cell that
a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) gets a leading apostrophe
(OWASP "CSV injection"), which `unguarded` takes off again on import, so export → import changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Unreadable(Exception):
    """The CSV cannot be read past spreadsheet row `row`."""

    def __init__(self, row: int, reason: str):
        super().__init__(reason)
        self.row = row


def decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix(BOM)
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # what Excel on Windows saves as "CSV"
    except UnicodeDecodeError:
        return data.decode("latin-1")  # the five bytes cp1252 leaves undefined; never fails


def delimiter(text: str) -> str:
    """The delimiter the header line uses most: a comma, a semicolon (European Excel) or a tab."""
    first = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row number, cells) of every non-blank record; a blank record still takes up a row number.
    Raises Unreadable at the record the csv module cannot read."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if any(cell.strip() for cell in cells):
                yield number, cells
    except csv.Error as error:
        raise Unreadable(number + 1, str(error)) from None


def guarded(value: str) -> str:
    """The cell as written to a file people open in a spreadsheet: never a formula."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def unguarded(value: str) -> str:
    """A cell as `guarded` wrote it, back to its value (other cells pass unchanged)."""
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_STARTS) else value


def write_csv(header: Sequence[str], rows: Iterable[Sequence[str]], *, bom: bool = False) -> str:
    """A CSV text with `header` and `rows`, every cell formula-safe; with `bom` it starts with a UTF-8 BOM."""
    out = io.StringIO()
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([guarded(h) for h in header])
    writer.writerows([guarded(str(cell)) for cell in row] for row in rows)
    return out.getvalue()
