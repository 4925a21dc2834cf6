"""Lead rows from CSV as the one record import reads them (platform/table_io.py's reading and repeats, the lead rules
of intake.py per row; pure, no database): clean files, per-row errors, file-level problems, the lookups (country,
city coordinates, vertical, products, source), repeated leads, the template."""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pytest

from prm_app.leads import intake as lead_import
from prm_app.leads.intake import HEADERS, LEAD_SOURCES, LeadDraft, RowError, check_lead
from prm_app.leads.table import LEAD_TABLE
from prm_app.platform.table_io import KEY, MAX_ROWS, read_table, repeats, template_csv

CATALOGUE = {"prm-core": 1, "prm core": 1, "prm-mdf": 2, "mdf module": 2, "prm-lms": 3, "learning suite": 3}
HEADER = ",".join(HEADERS)


def csv_of(*rows: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def row(
    company="Acme Health",
    domain="acmehealth.com",
    name="Ana Silva",
    email="ana@acmehealth.com",
    country="PT",
    city="Lisbon",
    postcode="1000-001",
    vertical="healthcare",
    products="PRM-CORE",
    size="25000",
    source="event",
    sep=",",
) -> str:
    return sep.join([company, domain, name, email, country, city, postcode, vertical, products, size, source])


@dataclass(frozen=True)
class Read:
    drafts: list[LeadDraft]
    errors: list[RowError]  # a row's problems, then (field KEY) that it repeats an earlier row
    total_rows: int
    bad_rows: int


def read_leads(data: bytes | str, catalogue=CATALOGUE, *, max_rows: int = MAX_ROWS) -> Read:
    """A lead file as the import reads it, each row checked by the lead rules; a file-level problem is one error
    with field "file"."""
    mapped = read_table(LEAD_TABLE, data, max_rows=max_rows)
    if mapped.problem:
        return Read([], [RowError(mapped.problem_line, "file", mapped.problem, "")], 0, 0)
    repeated = repeats(LEAD_TABLE, mapped.rows)
    drafts: list[LeadDraft] = []
    errors: list[RowError] = []
    for line, cells in mapped.rows:
        problems, draft = check_lead(cells, catalogue)
        problems = [replace(p, row=line) for p in problems]
        if line in repeated:
            problems.append(RowError(line, KEY, repeated[line], cells[KEY]))
        if problems:
            errors.extend(problems)
        elif draft is not None:
            drafts.append(replace(draft, row=line, external_id=cells[KEY]))
    return Read(drafts, errors, len(mapped.rows), len({e.row for e in errors}))


def only_draft(preview: Read) -> LeadDraft:
    assert preview.errors == []
    assert len(preview.drafts) == 1
    return preview.drafts[0]


def test_a_clean_file_becomes_drafts_numbered_as_spreadsheet_rows():
    text = csv_of(
        row(),
        row(company="Northwind", domain="https://www.northwind.co.uk/about", name=" Bob  Lee ",
            email="Bob.Lee@Northwind.co.uk", country="United Kingdom", city="London", postcode="sw1a 1aa",
            vertical="", products="", size="", source=""),
    )  # fmt: skip

    preview = read_leads(text)

    assert preview.errors == [] and preview.bad_rows == 0
    assert preview.total_rows == 2
    first, second = preview.drafts
    assert first == LeadDraft(
        row=2, company="Acme Health", domain="acmehealth.com", contact_name="Ana Silva",
        contact_email="ana@acmehealth.com", country="PT", city="Lisbon", postcode="1000-001",
        lat=first.lat, lon=first.lon, vertical="healthcare", product_ids=(1,),
        estimated_size=Decimal("25000.00"), source="event", external_id="acmehealth.com/ana@acmehealth.com",
    )  # fmt: skip
    assert second.external_id == "northwind.co.uk/bob.lee@northwind.co.uk"  # no external_id: domain and e-mail
    assert second.row == 3
    assert second.domain == "northwind.co.uk"
    assert second.contact_name == "Bob Lee"
    assert second.contact_email == "bob.lee@northwind.co.uk"
    assert second.country == "GB"
    assert second.postcode == "SW1A 1AA"
    assert (second.vertical, second.product_ids, second.estimated_size) == ("", (), None)
    assert second.source == "other"  # a blank source is "other"


def test_two_bad_rows_are_reported_with_their_fields_and_the_rest_import():
    text = csv_of(
        row(email="a@acme1.com", domain="acme1.com"),
        row(email="not-an-email", domain="acme2.com"),
        row(email="c@acme3.com", domain="acme3.com"),
        row(email="d@acme4.com", domain="acme4.com", country="Atlantis"),
        row(email="e@acme5.com", domain="acme5.com"),
    )

    preview = read_leads(text)

    assert [(e.row, e.field, e.value) for e in preview.errors] == [
        (3, "contact_email", "not-an-email"),
        (5, "country", "Atlantis"),
    ]
    assert preview.errors[1].message == "country 'Atlantis' is not a country"
    assert "not a valid email address" in preview.errors[0].message
    assert [d.row for d in preview.drafts] == [2, 4, 6]
    assert (preview.total_rows, preview.bad_rows) == (5, 2)


def test_every_bad_cell_of_a_row_is_reported_in_column_order():
    text = csv_of(row(company="", domain="gmail.com", email="x@", country="", vertical="astrology", size="-5",
                      source="carrier pigeon", products="PRM-CORE;Nope"))  # fmt: skip

    preview = read_leads(text)

    assert [e.field for e in preview.errors] == [
        "company", "domain", "contact_email", "country", "vertical", "products", "estimated_size", "source",
    ]  # fmt: skip
    assert {e.row for e in preview.errors} == {2}
    assert preview.bad_rows == 1 and preview.drafts == []
    messages = {e.field: e.message for e in preview.errors}
    assert "free-mail" in messages["domain"]
    assert "negative" in messages["estimated_size"]
    assert "healthcare" in messages["vertical"]
    assert "webinar" in messages["source"]


def test_utf8_bom_and_cp1252_bytes_are_read():
    with_bom = b"\xef\xbb\xbf" + csv_of(row(company="Café Ünïon", city="Porto")).encode("utf-8")
    cp1252 = csv_of(row(company="Café Ünïon", city="Porto")).encode("cp1252")

    for data in (with_bom, cp1252, with_bom.decode("utf-8")):
        draft = only_draft(read_leads(data))
        assert draft.company == "Café Ünïon"
        assert draft.city == "Porto"


def test_semicolon_delimited_files_are_sniffed():
    text = csv_of(row(sep=";", products='"PRM-CORE;PRM-MDF"', size="12.500,50"), header=";".join(HEADERS))

    draft = only_draft(read_leads(text))

    assert draft.company == "Acme Health"
    assert draft.product_ids == (1, 2)
    assert draft.estimated_size == Decimal("12500.50")  # a European amount in a European file


def test_header_names_ignore_case_spacing_aliases_and_extra_columns():
    header = " Company ,Website,Contact Name,CONTACT-EMAIL,country,City,Zip,Industry,Product Interest,Estimated Size,Lead source,Notes"  # noqa: E501
    text = csv_of(row() + ",call me on Monday", header=header)

    draft = only_draft(read_leads(text))

    assert (draft.domain, draft.contact_email, draft.postcode) == ("acmehealth.com", "ana@acmehealth.com", "1000-001")
    assert (draft.vertical, draft.product_ids, draft.source) == ("healthcare", (1,), "event")


@pytest.mark.parametrize("typed", ["acme.pt", "ACME.PT", "https://shop.acme.pt/en", "sales@acme.pt"])
def test_domain_is_the_registrable_domain_of_a_website_or_an_email(typed):
    assert only_draft(read_leads(csv_of(row(domain=typed)))).domain == "acme.pt"


def test_columns_may_come_in_any_order_and_optional_ones_may_be_missing():
    text = "country,contact_email,domain,company\nPortugal,ana@acme.pt,acme.pt,Acme\n"

    draft = only_draft(read_leads(text))

    assert (draft.company, draft.domain, draft.country, draft.city, draft.lat) == ("Acme", "acme.pt", "PT", "", None)


def test_a_missing_required_header_is_one_error_and_nothing_imports():
    text = csv_of(row(), header="company,contact_name,contact_email,city")

    preview = read_leads(text)

    assert preview.drafts == []
    assert preview.errors == [RowError(1, "file", "No column of the file is mapped to: domain, country.", "")]


@pytest.mark.parametrize("text", ["", "\r\n\r\n", b""])
def test_an_empty_file_is_one_error(text):
    preview = read_leads(text)

    assert [(e.row, e.field, e.message) for e in preview.errors] == [
        (1, "file", "The file is empty; start from the template.")
    ]
    assert preview.drafts == [] and preview.total_rows == 0


def test_a_header_without_rows_is_one_error():
    preview = read_leads(HEADER + "\r\n\r\n")

    assert [(e.row, e.field, e.message) for e in preview.errors] == [
        (2, "file", "The file has no rows below the header.")
    ]


def test_blank_lines_are_skipped_but_keep_their_row_number():
    text = csv_of(row(), "", ",,,,,,,,,,", row(email="b@acmehealth.com", country="Nowhere"))

    preview = read_leads(text)

    assert [d.row for d in preview.drafts] == [2]
    assert [(e.row, e.field) for e in preview.errors] == [(5, "country")]
    assert preview.total_rows == 2


def test_more_than_max_rows_is_refused():
    text = csv_of(*(row(email=f"c{i}@acme.com") for i in range(4)))

    assert len(read_leads(text, CATALOGUE, max_rows=4).drafts) == 4
    preview = read_leads(text, CATALOGUE, max_rows=3)
    assert preview.drafts == []
    assert [(e.row, e.field) for e in preview.errors] == [(5, "file")]
    assert "more than 3 rows" in preview.errors[0].message


def test_short_rows_read_missing_cells_as_blank():
    text = csv_of("Acme,acme.com,Ana,ana@acme.com,PT")

    draft = only_draft(read_leads(text))

    assert (draft.city, draft.source, draft.product_ids) == ("", "other", ())


@pytest.mark.parametrize(
    ("typed", "code"),
    [("PT", "PT"), ("pt", "PT"), ("PRT", "PT"), ("Portugal", "PT"), ("united states", "US"), ("USA", "US"),
     ("UK", "GB"), ("Russia", "RU"), ("Côte d'Ivoire", "CI"), ("cote d ivoire", "CI"), ("Türkiye", "TR"),
     ("South Korea", "KR"), ("Bolivia", "BO")],
)  # fmt: skip
def test_countries_by_code_or_common_name(typed, code):
    assert only_draft(read_leads(csv_of(row(country=typed, city="")))).country == code


def test_products_by_sku_or_name_and_unknown_ones_are_listed():
    good = read_leads(csv_of(row(products='"prm-core | Learning Suite; MDF MODULE;PRM-CORE"')))
    bad = read_leads(csv_of(row(products='"PRM-CORE;Widget;Gizmo"')))

    assert only_draft(good).product_ids == (1, 2, 3)
    assert [(e.field, e.message) for e in bad.errors] == [
        ("products", "unknown products 'Widget', 'Gizmo'; use the SKU or the name from the catalogue")
    ]


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("Finance", "financial services"), ("health", "healthcare"), ("Financial Services", "financial services"),
     ("PUBLIC-SECTOR", "public sector"), ("IT", "technology"), ("Oil & Gas", "energy"), ("", "")],
)  # fmt: skip
def test_vertical_synonyms(typed, canonical):
    assert only_draft(read_leads(csv_of(row(vertical=typed)))).vertical == canonical


def test_sources_are_canonical():
    typed = ["Trade Show", "WEBINAR", "Inbound Call"]
    text = csv_of(*(row(email=f"s{i}@acme.com", source=source) for i, source in enumerate(typed)))

    drafts = read_leads(text).drafts

    assert [d.source for d in drafts] == ["event", "webinar", "inbound call"]
    assert set(LEAD_SOURCES) >= {d.source for d in drafts}


def test_a_repeated_domain_and_email_repeats_the_first_row_and_so_does_a_repeated_external_id():
    text = csv_of(
        row(),
        row(email="other@acmehealth.com"),
        row(company="ACME Health Ltd", domain="www.acmehealth.com", email="ANA@acmehealth.com"),
        row(email="ana@acmehealth.com", country="Atlantis"),
    )
    keyed = "external_id," + HEADER + "\r\nL-1," + row() + "\r\nL-1," + row(email="bo@acmehealth.com") + "\r\n"

    preview = read_leads(text)

    assert [d.row for d in preview.drafts] == [2, 3]
    repeat = "external_id 'acmehealth.com/ana@acmehealth.com' repeats line 2"
    assert [(e.row, e.field, e.message) for e in preview.errors] == [
        (4, KEY, repeat),
        (5, "country", "country 'Atlantis' is not a country"),
        (5, KEY, repeat),
    ]
    assert preview.bad_rows == 2
    assert [(e.row, e.message) for e in read_leads(keyed).errors] == [(3, "external_id 'L-1' repeats line 2")]


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("12,500", Decimal("12500.00")), ("12500.5", Decimal("12500.50")), ("$ 1,000", Decimal("1000.00")),
     ("1.250.000", Decimal("1250000.00")), ("99,5", Decimal("99.50")), ("0", Decimal("0.00"))],
)  # fmt: skip
def test_estimated_size_is_a_decimal(typed, amount):
    assert only_draft(read_leads(csv_of(row(size=f'"{typed}"')))).estimated_size == amount


@pytest.mark.parametrize("typed", ["lots", "-1", "1e30", "NaN"])
def test_estimated_size_that_is_not_a_usable_amount_is_an_error(typed):
    preview = read_leads(csv_of(row(size=typed)))

    assert [(e.field, e.value) for e in preview.errors] == [("estimated_size", typed)]


def test_city_coordinates_come_from_geonames():
    text = csv_of(
        row(email="a@acme.com", city="Lisbon"),
        row(email="b@acme.com", city="porto"),
        row(email="c@acme.com", city="Lisboa"),
        row(email="d@acme.com", city="São Paulo", country="Brazil"),
        row(email="e@acme.com", city="Sao Paulo", country="BR"),
        row(email="f@acme.com", city="Nowhereville"),
    )

    lisbon, porto, lisboa, sao_paulo, sao_paulo_plain, nowhere = read_leads(text).drafts

    assert lisbon.lat == pytest.approx(38.72, abs=0.1) and lisbon.lon == pytest.approx(-9.14, abs=0.1)
    assert porto.lat == pytest.approx(41.15, abs=0.1) and porto.lon == pytest.approx(-8.61, abs=0.1)
    assert (lisboa.lat, lisboa.lon) == (lisbon.lat, lisbon.lon)  # an alternate name
    assert sao_paulo.lat == pytest.approx(-23.55, abs=0.1) and (sao_paulo.lat, sao_paulo.lon) == (
        sao_paulo_plain.lat,
        sao_paulo_plain.lon,
    )
    assert (nowhere.lat, nowhere.lon) == (None, None)  # not an error


def test_the_template_is_every_column_with_a_bom():
    assert template_csv(LEAD_TABLE) == "\ufeff" + KEY + "," + HEADER + "\r\n"
    assert [c.name for c in LEAD_TABLE.columns if c.required] == ["company", "domain", "contact_email", "country"]


def test_the_module_is_pure():
    tree = ast.parse(Path(lead_import.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}

    assert not {name for name in imported if name.split(".")[0] in {"reflex", "sqlmodel", "sqlalchemy"}}
