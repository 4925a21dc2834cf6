"""The rules of one lead, for a lead typed into the form and for every row of a lead CSV (leads/table.py plugs them
into the record import engine, platform/table_io.py): clean drafts plus a list of problems. Pure: no database, no
network; the caller stores the drafts (and shows the errors).

- Every bad cell of a row is reported (a row with two bad cells gives two errors, joined into the row's reason by
  the import) and a bad row gives no draft; the good rows still import.
- Required: company, domain, contact_email, country.
- Blank `source` means "other"; blank `vertical` stays ""; blank `estimated_size` is None; an unknown city is not
  an error, it only leaves lat/lon as None.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

from prm_app.deals import FREE_MAIL_DOMAINS, registrable_domain
from prm_app.leads.vocabulary import (
    _SOURCE_SYNONYMS,
    _VERTICAL_SYNONYMS,
    HEADERS,
    LEAD_SOURCES,
    VERTICALS,
)
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
    external_id: str = ""  # its key in a CSV import (leads/table.py); "" for a lead typed into the form


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet line number, as in LeadDraft
    field: str  # the column name (HEADERS), or "header" / "file" for problems with the whole file
    message: str
    value: str  # the raw cell (cut to 200 characters)


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


def _email(text: str) -> str:
    return validate_email(text, check_deliverability=False).normalized.lower()


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
