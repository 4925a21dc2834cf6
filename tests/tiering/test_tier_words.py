"""The tier card's sentences in the reader's language (prm_app/tiering/ui/display.py): the same facts, the amounts
and days in the language's region, the counts in its plural forms; English stays as it was."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from prm_app.tiering.queries import Lapse
from prm_app.tiering.rules import Gap
from prm_app.tiering.ui.display import _in_words, lapse_sentence, missing_sentence, state_label


def _gap(key: str, missing: str, group: int = 1, label: str = "") -> Gap:
    return Gap(1, key, label or key, Decimal(0), Decimal(missing), Decimal(missing), group)


def test_what_is_missing_reads_in_each_language():
    revenue, deals = _gap("revenue", "228000"), _gap("won_deals", "2", group=2)

    assert _in_words([revenue, deals], "USD") == "228,000.00 USD more revenue; and 2 more won deals"
    assert _in_words([revenue, deals], "USD", "de") == "228.000,00\xa0$ mehr Umsatz; und 2 weitere gewonnene Deals"
    assert missing_sentence(revenue, "EUR", "fr") == "228\u202f000,00\xa0€ de chiffre d'affaires en plus"
    assert missing_sentence(_gap("won_deals", "1"), "USD", "es") == "1 oportunidad ganada más"
    assert missing_sentence(_gap("won_deals", "1"), "USD", "ja") == "受注案件をあと 1 件"
    assert missing_sentence(_gap("revenue", "0"), "USD", "de") == "Erfüllt"


def test_a_lapse_takes_the_plural_form_of_its_count():
    one = Lapse(tier="Platinum", label="Certified people (CSS)", threshold=Decimal(2), held=3, lapsing=1,
                by=date(2027, 1, 14))  # fmt: skip
    two = Lapse(**{**one.__dict__, "lapsing": 2})

    assert "1 of your 3 certificates lapses by 14 Jan 2027" in lapse_sentence(one)
    assert "2 of your 3 certificates lapse by 14 Jan 2027" in lapse_sentence(two)
    assert "1 Ihrer 3 Zertifikate läuft bis 14.01.2027 ab" in lapse_sentence(one, "de")
    assert "2 Ihrer 3 Zertifikate laufen bis 14.01.2027 ab" in lapse_sentence(two, "de")


def test_the_tier_state_in_words():
    assert (state_label("grace"), state_label("grace", "de"), state_label("", "fr")) == (
        "At risk (grace)",
        "Gefährdet (Kulanzfrist)",
        "Pas encore évalué",
    )
