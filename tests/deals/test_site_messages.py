"""The registration form's message for a customer site it cannot use says why: "free-mail" only for free-mail."""

from __future__ import annotations

import pytest

from prm_app.deals.matching.rules import free_mail_host


@pytest.mark.parametrize(
    ("site", "provider"),
    [
        ("someone@gmail.com", "gmail.com"),
        ("https://www.outlook.com/", "outlook.com"),
        ("Jo <jo@yahoo.com>", "yahoo.com"),
        ("acme.com", ""),
        ("acme.cmo", ""),
        ("acme.local", ""),
        ("", ""),
    ],
)
def test_free_mail_is_named_only_when_it_is_free_mail(site, provider):
    assert free_mail_host(site) == provider


def _site_message(site: str) -> str:
    from datetime import date

    from prm_app.deals.rules import DealInput, clean_deal_input
    from prm_app.platform.errors import FormInvalid

    with pytest.raises(FormInvalid) as caught:
        clean_deal_input(DealInput(customer_site=site), set(), date(2030, 1, 1))
    return caught.value.errors["customer_site"]


def test_an_unknown_but_valid_domain_is_not_called_free_mail():
    assert "free-mail" not in _site_message("acme.cmo")
    assert (
        _site_message("acme.cmo")
        == "That is not a public website or email domain: use the company's own, like acme.com."
    )
    assert _site_message("jo@gmail.com").startswith("gmail.com is a free-mail provider")
