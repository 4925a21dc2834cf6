"""The organization profile's pure rules: what an address, website and phone may be, and what a logo file is."""

from __future__ import annotations

import pytest

from prm_app.partners.rules import OrgProfileInput, check_org_profile, logo_type, normalize_website
from prm_app.platform.errors import FormInvalid

GOOD = OrgProfileInput(
    street="  Friedrichstraße   12 ",
    city="Berlin",
    postal_code="10117",
    country="DE",
    website="northwind.example",
    phone="+49 30 1234 5678",
)

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00"


def test_a_good_profile_is_trimmed_and_normalized():
    clean = check_org_profile(GOOD)
    assert clean.street == "Friedrichstraße 12"
    assert clean.country == "DE"
    assert clean.website == "https://northwind.example"
    assert clean.phone == "+49 30 1234 5678"


def test_countries_by_name_and_optional_fields_may_be_blank():
    clean = check_org_profile(
        OrgProfileInput(street="1 Main St", city="Austin", country="United States", postal_code="", website="")
    )
    assert (clean.country, clean.postal_code, clean.website, clean.phone) == ("US", "", "", "")


def test_every_bad_field_is_named_at_once():
    with pytest.raises(FormInvalid) as caught:
        check_org_profile(
            OrgProfileInput(
                street="", city="", postal_code="10117!!", country="Atlantis", website="ftp://x", phone="call me"
            )
        )
    assert set(caught.value.errors) == {"street", "city", "postal_code", "country", "website", "phone"}
    assert caught.value.errors["country"] == "Choose the country from the list."


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("acme.com", "https://acme.com"),
        ("http://www.acme.co.uk/about", "http://www.acme.co.uk/about"),
        ("  https://Acme.com  ", "https://Acme.com"),
        ("", ""),
    ],
)
def test_websites(typed, stored):
    assert normalize_website(typed) == stored


@pytest.mark.parametrize(
    "bad", ["javascript:alert(1)", "acme", "https://user:pw@acme.com", "https://acme .com", "mailto:a@acme.com"]
)
def test_what_is_no_website(bad):
    with pytest.raises(ValueError):
        normalize_website(bad)


@pytest.mark.parametrize("phone", ["12345", "+1 555", "phone 555 0100 1234", "+1 415 555 0100 x1234567"])
def test_what_is_no_phone_number(phone):
    with pytest.raises(FormInvalid) as caught:
        check_org_profile(OrgProfileInput(**{**GOOD.__dict__, "phone": phone}))
    assert set(caught.value.errors) == {"phone"}


def test_phone_extensions_are_allowed():
    assert check_org_profile(OrgProfileInput(**{**GOOD.__dict__, "phone": "+1 415 555 0100 ext. 12"})).phone


def test_logo_types_are_judged_by_content():
    assert logo_type(PNG) == "image/png"
    assert logo_type(JPEG) == "image/jpeg"
    assert logo_type(WEBP) == "image/webp"
    assert logo_type(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>") is None
    assert logo_type(b"GIF89a\x01\x00\x01\x00") is None
    assert logo_type(b"\x89PNG\r\n\x1a\n<html>") is None  # a signature alone is not enough
    assert logo_type(b"RIFF\x24\x00\x00\x00WAVEfmt ") is None  # RIFF, but audio
    assert logo_type(b"") is None
