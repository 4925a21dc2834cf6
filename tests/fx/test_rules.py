"""FX rules without a database: which rate a day takes, the missing-rate message, rounding into the corporate
currency (JPY and KWD sources included), and the rates CSV."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from prm_app.fx.rules import (
    DatedRate,
    FxRateMissing,
    check_rate,
    corporate_amount,
    parse_rates_csv,
    quarter_of,
    rate_on,
)
from prm_app.fx.ui.rates_state import coded

RATES = [DatedRate(date(2028, 3, 24), D("1.07"), "ECB"), DatedRate(date(2028, 3, 31), D("1.08"), "ECB")]


def test_the_latest_rate_on_or_before_the_day_and_never_a_later_one():
    assert rate_on("EUR", date(2028, 3, 31), RATES).rate == D("1.08")
    assert rate_on("EUR", date(2028, 4, 2), RATES) == RATES[1]  # Friday's rate on the Sunday
    assert rate_on("EUR", date(2028, 3, 30), RATES).rate == D("1.07")  # not the 31st's, which came later


def test_the_corporate_currency_takes_1_without_a_row():
    assert rate_on("USD", date(2028, 3, 31), []) == DatedRate(date(2028, 3, 31), D(1), "")


def test_a_missing_rate_names_the_currency_and_the_iso_day():
    with pytest.raises(FxRateMissing, match=r"^missing FX rate for KWD on 2028-03-31$"):
        rate_on("KWD", date(2028, 3, 31), [])
    with pytest.raises(FxRateMissing, match="missing FX rate for EUR on 2028-04-08"):
        rate_on("EUR", date(2028, 4, 8), RATES)  # the last rate is 8 days old: too old to stand for the day


def test_corporate_amounts_round_half_even_to_cents_from_any_source_currency():
    assert corporate_amount(D("10000.00"), D("1.08")) == D("10800.00")
    assert corporate_amount(D("12345"), D("0.001")) == D("12.34")  # JPY: 12.345 USD, half-even down
    assert corporate_amount(D("12355"), D("0.001")) == D("12.36")  # 12.355, half-even up
    assert corporate_amount(D("1.025"), D("3")) == D("3.08")  # KWD's third decimal: 3.075 USD, half-even up
    assert corporate_amount(D("1.005"), D("2.5")) == D("2.51")  # 2.5125


def test_amounts_show_in_their_currency_s_own_decimals():
    assert coded(D("1234567"), "JPY") == "JPY 1,234,567"
    assert coded(D("1.025"), "KWD") == "KWD 1.025"
    assert coded(D("10800"), "USD") == "USD 10,800.00"


def test_quarters():
    assert [quarter_of(date(2028, m, 1)) for m in (1, 3, 4, 12)] == ["2028 Q1", "2028 Q1", "2028 Q2", "2028 Q4"]


def test_a_rate_as_typed_gets_a_message_per_bad_field():
    row, errors = check_rate("eur", "2028-03-31", "1.08", " ECB ")
    assert row is not None and (row.currency, row.rate, row.source) == ("EUR", D("1.08"), "ECB")
    assert errors == {}
    row, errors = check_rate("XYZ", "31/03/2028", "-1", "")
    assert row is None and set(errors) == {"currency", "on_date", "rate", "source"}
    quoted = check_rate("USD", "2028-03-31", "1", "ECB")[1]["currency"]
    assert quoted.startswith("USD is the currency rates are quoted in")
    assert "rate" in check_rate("EUR", "2028-03-31", "1.000000001", "ECB")[1]  # a 9th decimal is refused


def test_a_rates_csv_lists_every_bad_line_by_number():
    text = (
        "currency,date,rate,source\n"
        "EUR,2028-03-31,1.08,ECB\n"
        "\n"
        "KWD,2028-03-31,abc,CBK\n"
        "JPY,2028-03-31,0.0067\n"
        "EUR,2028-03-31,1.09,ECB\n"
        "GBP,2028-03-31,1.27,BoE\n"
    )
    rows, problems = parse_rates_csv(text)
    assert [(r.currency, r.line) for r in rows] == [("EUR", 2), ("GBP", 7)]
    assert [p.row for p in problems] == [4, 5, 6]
    assert "above 0" in problems[0].message
    assert problems[1].message == "Expected 4 values, found 3."
    assert problems[2].message == "EUR on 2028-03-31 is on line 2 too."


def test_a_rates_csv_needs_its_header_and_a_rate():
    assert parse_rates_csv("code,day,value\nEUR,2028-03-31,1.08\n")[1][0].row == 1
    assert parse_rates_csv("currency,date,rate,source\n")[1][0].message == "The file has no rates."
