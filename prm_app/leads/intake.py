"""Lead import from CSV: turn an uploaded file into clean lead drafts plus a per-row list of problems, before
anything is stored. Pure: no database, no network; the caller stores the drafts (and shows the errors).

Conventions a manager sees in the preview:

- **Row numbers are spreadsheet line numbers**: the header is row 1, the first data row is row 2, and blank lines
  still count (a spreadsheet shows them too), so "row 7" is the 7th line in Excel. File-level problems are
  reported once and then nothing imports: an empty file or missing required columns on row 1, field "header";
  no data rows, too many rows or unreadable CSV on the row concerned, field "file".
- Every bad cell of a row is reported (a row with two bad cells gives two errors) and a bad row gives no draft;
  the good rows still import.
- Required columns: company, domain, contact_email, country; each needs a value in every row.
- Blank `source` means "other"; blank `vertical` stays ""; blank `estimated_size` is None; an unknown city is not
  an error, it only leaves lat/lon as None.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

from prm_app.deals import FREE_MAIL_DOMAINS, registrable_domain
from prm_app.leads.vocabulary import (
    _HEADER_ALIASES,
    _SOURCE_SYNONYMS,
    _VERTICAL_SYNONYMS,
    HEADERS,
    LEAD_SOURCES,
    REQUIRED_HEADERS,
    VERTICALS,
)
from prm_app.platform.csv_files import Unreadable as _Unreadable
from prm_app.platform.csv_files import decode as _decode
from prm_app.platform.csv_files import records as _records
from prm_app.platform.money import MAX_VALUE, parse_money
from prm_app.platform.places import city_coordinates, country_code
from prm_app.platform.places import fold as _fold

# Column limits of the lead table, so a draft always fits.
_MAX_LENGTH = {"company": 200, "contact_name": 120, "city": 120, "postcode": 20}
_VALUE_SHOWN = 200  # a raw cell echoed back in an error is cut to this many characters

_PRODUCT_SEPARATORS = re.compile(r"[;|]")


@dataclass(frozen=True)
class LeadDraft:
    """One clean row, ready to store. `row` is its spreadsheet line number (the header is row 1)."""

    row: int
    company: str
    domain: str
    contact_name: str
    contact_email: str
    country: str
    city: str
    postcode: str
    lat: float | None
    lon: float | None
    vertical: str
    product_ids: tuple[int, ...]
    estimated_size: Decimal | None
    source: str


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet line number, as in LeadDraft
    field: str  # the column name (HEADERS), or "header" / "file" for problems with the whole file
    message: str
    value: str  # the raw cell (cut to 200 characters)


@dataclass(frozen=True)
class ImportPreview:
    drafts: list[LeadDraft]
    errors: list[RowError]
    total_rows: int  # non-blank data rows read
    bad_rows: int  # distinct data rows with at least one error
    duplicate_rows: list[int]  # rows repeating an earlier row's (domain, contact_email); also in `errors`


def _header_key(text: str) -> str:
    key = _fold(text.lstrip("\ufeff")).replace(" ", "_")
    return _HEADER_ALIASES.get(key, key)


@lru_cache(maxsize=1024)
def _vertical(text: str) -> str | None:
    key = _fold(text.replace("&", " and "))  # "Oil & Gas" -> "oil and gas"
    if key in VERTICALS:
        return key
    return _VERTICAL_SYNONYMS.get(key)


@lru_cache(maxsize=1024)
def _source(text: str) -> str | None:
    key = _fold(text)
    if key in LEAD_SOURCES:
        return key
    return _SOURCE_SYNONYMS.get(key)


def _parse_size(text: str) -> Decimal:
    """parse_money, plus the unambiguous European spellings: "12.500,50", "1.250.000" and "99,5"."""
    cleaned = text.strip().strip("$€£¥").replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." in cleaned and cleaned.rfind(",") > cleaned.rfind("."):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif cleaned.count(".") > 1 and "," not in cleaned:
        cleaned = cleaned.replace(".", "")
    elif re.fullmatch(r"-?\d+,\d{1,2}", cleaned):
        cleaned = cleaned.replace(",", ".")
    return parse_money(cleaned)  # "12,500" (a thousands comma) and "12500.5" go straight through


def _shown(value: str) -> str:
    return value if len(value) <= _VALUE_SHOWN else value[: _VALUE_SHOWN - 1] + "…"


def parse_leads_csv(data: bytes | str, catalogue: Mapping[str, int], *, max_rows: int = 50_000) -> ImportPreview:
    """Read a lead CSV (UTF-8 with or without BOM, else cp1252; "," ";" or tab separated) into drafts and errors.

    `catalogue` maps each product's lower-cased SKU and lower-cased name to its id. Header names are matched
    ignoring case, spacing and punctuation (plus a few aliases such as "Website", "Industry", "Zip"); unknown
    columns are ignored, and a repeated column is read from its first occurrence. Guarantees: every data row ends up
    either as exactly one draft or with at least one error; errors are in row order, and within a row in column
    order; a file-level problem (empty file, missing required columns, no data rows, more than `max_rows` data
    rows, unreadable CSV) gives a single error and no drafts.
    """
    try:
        read = _read_rows(_decode(data), max_rows)
    except _Unreadable as problem:
        return _file_problem(problem.row, "file", f"The file is not a readable CSV ({problem}).", "", 0)
    if isinstance(read, ImportPreview):
        return read

    drafts: list[LeadDraft] = []
    errors: list[RowError] = []
    duplicates: list[int] = []
    first_seen: dict[tuple[str, str], int] = {}
    bad_rows = 0
    for number, cells in read:
        row_errors, draft = _check_row(number, cells, catalogue)
        key = (draft.domain, draft.contact_email) if draft is not None else _dedup_key(cells)
        if key is not None:
            if key in first_seen:
                duplicates.append(number)
                message = f"duplicate of row {first_seen[key]} (same domain and contact email)"
                row_errors.append(RowError(number, "contact_email", message, _shown(cells["contact_email"])))
            else:
                first_seen[key] = number
        if row_errors:
            bad_rows += 1
            errors.extend(row_errors)
        elif draft is not None:
            drafts.append(draft)
    return ImportPreview(drafts, errors, len(read), bad_rows, duplicates)


def _read_rows(text: str, max_rows: int) -> list[tuple[int, dict[str, str]]] | ImportPreview:
    """The data rows as {column: stripped cell} for every column of HEADERS ("" when absent), or the preview of a
    file-level problem."""
    records = _records(text)
    header_row, header = next(records, (1, []))
    if not header:
        return _file_problem(1, "header", "The file is empty; start from the template.", "", 0)
    columns: dict[str, int] = {}
    for position, name in enumerate(header):
        columns.setdefault(_header_key(name), position)
    missing = [name for name in REQUIRED_HEADERS if name not in columns]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        message = f"The header row is missing the required column{plural}: {', '.join(missing)}."
        return _file_problem(header_row, "header", message, _shown(",".join(header)), 0)
    positions = [(name, columns.get(name)) for name in HEADERS]
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in records:
        if len(rows) == max_rows:
            message = f"The file has more than {max_rows:,} rows; split it into smaller files."
            return _file_problem(number, "file", message, "", max_rows + 1)
        width = len(cells)
        rows.append((number, {n: cells[p].strip() if p is not None and p < width else "" for n, p in positions}))
    if not rows:
        return _file_problem(header_row + 1, "file", "The file has no leads below the header row.", "", 0)
    return rows


def _file_problem(row: int, field: str, message: str, value: str, total: int) -> ImportPreview:
    return ImportPreview([], [RowError(row, field, message, value)], total, 0, [])


def _email(text: str) -> str:
    return validate_email(text, check_deliverability=False).normalized.lower()


def _dedup_key(cells: Mapping[str, str]) -> tuple[str, str] | None:
    """The (domain, email) of a row that has other errors, when both of those two cells are themselves fine."""
    domain = registrable_domain(cells["domain"]) if cells["domain"] else ""
    try:
        email = _email(cells["contact_email"])
    except EmailNotValidError:
        return None
    return (domain, email) if domain else None


def _check_row(
    number: int, cells: Mapping[str, str], catalogue: Mapping[str, int]
) -> tuple[list[RowError], LeadDraft | None]:
    """Every problem of one row, in column order, and its draft when there is none."""
    errors: list[RowError] = []

    def problem(field: str, message: str) -> None:
        errors.append(RowError(number, field, message, _shown(cells[field])))

    company = " ".join(cells["company"].split())
    if not company:
        problem("company", "company is missing; enter the customer's company name")
    for field in ("company", "contact_name", "city", "postcode"):
        if len(cells[field]) > _MAX_LENGTH[field]:
            problem(field, f"{field.replace('_', ' ')} is longer than {_MAX_LENGTH[field]} characters")

    domain = ""
    if not cells["domain"]:
        problem("domain", "domain is missing; enter the company's website or email domain, like acme.com")
    else:
        domain = registrable_domain(cells["domain"])
        if not domain:
            raw = cells["domain"].rsplit("@", 1)[-1].strip().lower()
            if raw.removeprefix("www.") in FREE_MAIL_DOMAINS:
                problem("domain", f"domain '{raw}' is a free-mail provider; use the company's own website")
            else:
                problem("domain", f"domain '{cells['domain']}' is not a company website or email domain")

    contact_email = ""
    if not cells["contact_email"]:
        problem("contact_email", "contact email is missing")
    else:
        try:
            contact_email = _email(cells["contact_email"])
        except EmailNotValidError:
            problem("contact_email", f"contact email '{cells['contact_email']}' is not a valid email address")

    country = ""
    if not cells["country"]:
        problem("country", "country is missing; enter a country name or its two-letter code, like PT")
    elif not (country := country_code(cells["country"])):
        problem("country", f"country '{cells['country']}' is not a country")

    vertical = _vertical(cells["vertical"]) or "" if cells["vertical"] else ""
    if cells["vertical"] and not vertical:
        problem("vertical", f"vertical '{cells['vertical']}' is not one of: {', '.join(VERTICALS)}")

    product_ids: list[int] = []
    unknown: list[str] = []
    for part in _PRODUCT_SEPARATORS.split(cells["products"]):
        if name := " ".join(part.split()):
            product_id = catalogue.get(name.lower())
            if product_id is None:
                unknown.append(f"'{name}'")
            else:
                product_ids.append(product_id)
    if unknown:
        noun = "products" if len(unknown) > 1 else "product"
        problem("products", f"unknown {noun} {', '.join(unknown)}; use the SKU or the name from the catalogue")

    size: Decimal | None = None
    if cells["estimated_size"]:
        try:
            size = _parse_size(cells["estimated_size"])
            if size < 0:
                problem("estimated_size", "estimated size cannot be negative")
            elif size >= MAX_VALUE:
                problem("estimated_size", "estimated size is too large; check the number")
        except ValueError:
            problem("estimated_size", f"estimated size '{cells['estimated_size']}' is not a number, like 25000")

    source = _source(cells["source"]) or "" if cells["source"] else "other"
    if not source:
        problem("source", f"source '{cells['source']}' is not one of: {', '.join(LEAD_SOURCES)}")

    if errors:
        return errors, None
    coordinates = city_coordinates(cells["city"], country)
    return errors, LeadDraft(
        row=number,
        company=company,
        domain=domain,
        contact_name=" ".join(cells["contact_name"].split()),
        contact_email=contact_email,
        country=country,
        city=" ".join(cells["city"].split()),
        postcode=cells["postcode"].upper(),
        lat=coordinates[0] if coordinates else None,
        lon=coordinates[1] if coordinates else None,
        vertical=vertical,
        product_ids=tuple(sorted(set(product_ids))),
        estimated_size=size,
        source=source,
    )


def check_lead(cells: Mapping[str, str], catalogue: Mapping[str, int]) -> tuple[list[RowError], LeadDraft | None]:
    """One lead typed into the form, checked by exactly the rules a CSV row gets (missing cells count as blank)."""
    return _check_row(2, {h: str(cells.get(h, "") or "") for h in HEADERS}, catalogue)


def template_csv() -> str:
    """The downloadable template: the header row and two example rows that import cleanly when the catalogue has
    a product with SKU "PRM-CORE"."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerow(["Example Health", "www.example.com", "Ana Silva", "ana.silva@example.com", "Portugal", "Lisbon",
                     "1000-001", "healthcare", "PRM-CORE", "25000", "event"])  # fmt: skip
    writer.writerow(["Example Retail", "example.org", "John Smith", "john.smith@example.org", "US", "Chicago",
                     "60601", "retail", "PRM-CORE", "12,500.00", "website"])  # fmt: skip
    return out.getvalue()
