"""Lead import from CSV (pure; no database): clean files, per-row errors, file-level problems, the lookups
(country, city coordinates, vertical, products, source), duplicates, the template, and a 10k-row file."""

from __future__ import annotations

import ast
import time
from decimal import Decimal
from pathlib import Path

import pytest

from prm_app.leads import intake as lead_import
from prm_app.leads.intake import (
    HEADERS,
    LEAD_SOURCES,
    VERTICALS,
    ImportPreview,
    LeadDraft,
    RowError,
    parse_leads_csv,
    template_csv,
)
from prm_app.platform import places

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


def only_draft(preview: ImportPreview) -> LeadDraft:
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

    preview = parse_leads_csv(text, CATALOGUE)

    assert preview.errors == [] and preview.bad_rows == 0 and preview.duplicate_rows == []
    assert preview.total_rows == 2
    first, second = preview.drafts
    assert first == LeadDraft(
        row=2, company="Acme Health", domain="acmehealth.com", contact_name="Ana Silva",
        contact_email="ana@acmehealth.com", country="PT", city="Lisbon", postcode="1000-001",
        lat=first.lat, lon=first.lon, vertical="healthcare", product_ids=(1,),
        estimated_size=Decimal("25000.00"), source="event",
    )  # fmt: skip
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

    preview = parse_leads_csv(text, CATALOGUE)

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

    preview = parse_leads_csv(text, CATALOGUE)

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
        draft = only_draft(parse_leads_csv(data, CATALOGUE))
        assert draft.company == "Café Ünïon"
        assert draft.city == "Porto"


def test_semicolon_delimited_files_are_sniffed():
    text = csv_of(row(sep=";", products='"PRM-CORE;PRM-MDF"', size="12.500,50"), header=";".join(HEADERS))

    draft = only_draft(parse_leads_csv(text, CATALOGUE))

    assert draft.company == "Acme Health"
    assert draft.product_ids == (1, 2)
    assert draft.estimated_size == Decimal("12500.50")  # a European amount in a European file


def test_header_names_ignore_case_spacing_aliases_and_extra_columns():
    header = " Company ,Website,Contact Name,CONTACT-EMAIL,country,City,Zip,Industry,Product Interest,Estimated Size,Lead source,Notes"  # noqa: E501
    text = csv_of(row() + ",call me on Monday", header=header)

    draft = only_draft(parse_leads_csv(text, CATALOGUE))

    assert (draft.domain, draft.contact_email, draft.postcode) == ("acmehealth.com", "ana@acmehealth.com", "1000-001")
    assert (draft.vertical, draft.product_ids, draft.source) == ("healthcare", (1,), "event")


@pytest.mark.parametrize("typed", ["acme.pt", "ACME.PT", "https://shop.acme.pt/en", "sales@acme.pt"])
def test_domain_is_the_registrable_domain_of_a_website_or_an_email(typed):
    assert only_draft(parse_leads_csv(csv_of(row(domain=typed)), CATALOGUE)).domain == "acme.pt"


def test_columns_may_come_in_any_order_and_optional_ones_may_be_missing():
    text = "country,contact_email,domain,company\nPortugal,ana@acme.pt,acme.pt,Acme\n"

    draft = only_draft(parse_leads_csv(text, CATALOGUE))

    assert (draft.company, draft.domain, draft.country, draft.city, draft.lat) == ("Acme", "acme.pt", "PT", "", None)


def test_a_missing_required_header_is_one_error_and_nothing_imports():
    text = csv_of(row(), header="company,contact_name,contact_email,city")

    preview = parse_leads_csv(text, CATALOGUE)

    assert preview.drafts == []
    assert preview.errors == [
        RowError(1, "header", "The header row is missing the required columns: domain, country.",
                 "company,contact_name,contact_email,city")
    ]  # fmt: skip


@pytest.mark.parametrize("text", ["", "\r\n\r\n", b""])
def test_an_empty_file_is_one_error(text):
    preview = parse_leads_csv(text, CATALOGUE)

    assert [(e.row, e.field) for e in preview.errors] == [(1, "header")]
    assert preview.drafts == [] and preview.total_rows == 0


def test_a_header_without_rows_is_one_error():
    preview = parse_leads_csv(HEADER + "\r\n\r\n", CATALOGUE)

    assert [(e.row, e.field, e.message) for e in preview.errors] == [
        (2, "file", "The file has no leads below the header row.")
    ]


def test_blank_lines_are_skipped_but_keep_their_row_number():
    text = csv_of(row(), "", ",,,,,,,,,,", row(email="b@acmehealth.com", country="Nowhere"))

    preview = parse_leads_csv(text, CATALOGUE)

    assert [d.row for d in preview.drafts] == [2]
    assert [(e.row, e.field) for e in preview.errors] == [(5, "country")]
    assert preview.total_rows == 2


def test_more_than_max_rows_is_refused():
    text = csv_of(*(row(email=f"c{i}@acme.com") for i in range(4)))

    assert len(parse_leads_csv(text, CATALOGUE, max_rows=4).drafts) == 4
    preview = parse_leads_csv(text, CATALOGUE, max_rows=3)
    assert preview.drafts == []
    assert [(e.row, e.field) for e in preview.errors] == [(5, "file")]
    assert "more than 3 rows" in preview.errors[0].message


def test_short_rows_read_missing_cells_as_blank():
    text = csv_of("Acme,acme.com,Ana,ana@acme.com,PT")

    draft = only_draft(parse_leads_csv(text, CATALOGUE))

    assert (draft.city, draft.source, draft.product_ids) == ("", "other", ())


@pytest.mark.parametrize(
    ("typed", "code"),
    [("PT", "PT"), ("pt", "PT"), ("PRT", "PT"), ("Portugal", "PT"), ("united states", "US"), ("USA", "US"),
     ("UK", "GB"), ("Russia", "RU"), ("Côte d'Ivoire", "CI"), ("cote d ivoire", "CI"), ("Türkiye", "TR"),
     ("South Korea", "KR"), ("Bolivia", "BO")],
)  # fmt: skip
def test_countries_by_code_or_common_name(typed, code):
    assert only_draft(parse_leads_csv(csv_of(row(country=typed, city="")), CATALOGUE)).country == code


def test_products_by_sku_or_name_and_unknown_ones_are_listed():
    good = parse_leads_csv(csv_of(row(products='"prm-core | Learning Suite; MDF MODULE;PRM-CORE"')), CATALOGUE)
    bad = parse_leads_csv(csv_of(row(products='"PRM-CORE;Widget;Gizmo"')), CATALOGUE)

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
    assert only_draft(parse_leads_csv(csv_of(row(vertical=typed)), CATALOGUE)).vertical == canonical


def test_sources_are_canonical():
    typed = ["Trade Show", "WEBINAR", "Inbound Call"]
    text = csv_of(*(row(email=f"s{i}@acme.com", source=source) for i, source in enumerate(typed)))

    drafts = parse_leads_csv(text, CATALOGUE).drafts

    assert [d.source for d in drafts] == ["event", "webinar", "inbound call"]
    assert set(LEAD_SOURCES) >= {d.source for d in drafts}


def test_a_repeated_domain_and_email_is_a_duplicate_of_the_first_row():
    text = csv_of(
        row(),
        row(email="other@acmehealth.com"),
        row(company="ACME Health Ltd", domain="www.acmehealth.com", email="ANA@acmehealth.com"),
        row(email="ana@acmehealth.com", country="Atlantis"),
    )

    preview = parse_leads_csv(text, CATALOGUE)

    assert [d.row for d in preview.drafts] == [2, 3]
    assert preview.duplicate_rows == [4, 5]
    assert [(e.row, e.field, e.message) for e in preview.errors] == [
        (4, "contact_email", "duplicate of row 2 (same domain and contact email)"),
        (5, "country", "country 'Atlantis' is not a country"),
        (5, "contact_email", "duplicate of row 2 (same domain and contact email)"),
    ]
    assert preview.bad_rows == 2


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("12,500", Decimal("12500.00")), ("12500.5", Decimal("12500.50")), ("$ 1,000", Decimal("1000.00")),
     ("1.250.000", Decimal("1250000.00")), ("99,5", Decimal("99.50")), ("0", Decimal("0.00"))],
)  # fmt: skip
def test_estimated_size_is_a_decimal(typed, amount):
    assert only_draft(parse_leads_csv(csv_of(row(size=f'"{typed}"')), CATALOGUE)).estimated_size == amount


@pytest.mark.parametrize("typed", ["lots", "-1", "1e30", "NaN"])
def test_estimated_size_that_is_not_a_usable_amount_is_an_error(typed):
    preview = parse_leads_csv(csv_of(row(size=typed)), CATALOGUE)

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

    lisbon, porto, lisboa, sao_paulo, sao_paulo_plain, nowhere = parse_leads_csv(text, CATALOGUE).drafts

    assert lisbon.lat == pytest.approx(38.72, abs=0.1) and lisbon.lon == pytest.approx(-9.14, abs=0.1)
    assert porto.lat == pytest.approx(41.15, abs=0.1) and porto.lon == pytest.approx(-8.61, abs=0.1)
    assert (lisboa.lat, lisboa.lon) == (lisbon.lat, lisbon.lon)  # an alternate name
    assert sao_paulo.lat == pytest.approx(-23.55, abs=0.1) and (sao_paulo.lat, sao_paulo.lon) == (
        sao_paulo_plain.lat,
        sao_paulo_plain.lon,
    )
    assert (nowhere.lat, nowhere.lon) == (None, None)  # not an error


def test_the_template_round_trips():
    preview = parse_leads_csv(template_csv(), {"prm-core": 7})

    assert template_csv().splitlines()[0] == HEADER
    assert preview.errors == [] and len(preview.drafts) == 2
    assert all(d.product_ids == (7,) and d.lat is not None for d in preview.drafts)
    assert all(d.vertical in VERTICALS for d in preview.drafts)


def test_the_module_is_pure():
    tree = ast.parse(Path(lead_import.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}

    assert not {name for name in imported if name.split(".")[0] in {"reflex", "sqlmodel", "sqlalchemy"}}


def test_ten_thousand_rows_parse_quickly(capsys):
    # A generous guard, not a benchmark: the issue asks for 10k rows imported in < 10 s, and parsing is one part.
    countries = ["PT", "Portugal", "US", "Germany", "fr", "United Kingdom", "ES", "Italy"]
    cities = ["Lisbon", "Porto", "Chicago", "Berlin", "Paris", "London", "Madrid", "Nowhereville"]
    rows = [
        row(company=f"Company {i}", domain=f"company{i}.com", email=f"buyer{i}@company{i}.com",
            country=countries[i % 8], city=cities[i % 8], products='"PRM-CORE;Learning Suite"',
            size=f'"{i * 10:,}"', vertical=VERTICALS[i % len(VERTICALS)], source=LEAD_SOURCES[i % 7])
        for i in range(10_000)
    ]  # fmt: skip
    data = csv_of(*rows).encode("utf-8")
    places._city_index()  # built once per process (lru_cache); not part of the per-file cost

    start = time.perf_counter()
    preview = parse_leads_csv(data, CATALOGUE)
    elapsed = time.perf_counter() - start

    with capsys.disabled():
        print(f"\n10k-row lead CSV parsed in {elapsed:.2f} s ({len(data) / 1e6:.1f} MB)")
    assert preview.errors == [] and len(preview.drafts) == 10_000
    assert elapsed < 5
