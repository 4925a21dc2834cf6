"""The distribution chart's data and its sentence, without a database."""

from prm_app.tiering.charts import distribution_figure, distribution_sentence
from prm_app.tiering.queries import PeriodCount

COUNTS = [PeriodCount("2026-10", "Silver", 1, 4), PeriodCount("2026-11", "Gold", 2, 2),
          PeriodCount("2026-11", "Silver", 1, 3)]  # fmt: skip


def test_one_stacked_trace_per_tier_lowest_first_with_zeros_for_missing_months() -> None:
    fig = distribution_figure(COUNTS)
    assert [t["name"] for t in fig["data"]] == ["Silver", "Gold"]
    assert fig["data"][1]["x"] == ["2026-10", "2026-11"] and fig["data"][1]["y"] == [0, 2]
    assert fig["layout"]["barmode"] == "stack"


def test_the_sentence_names_the_latest_month() -> None:
    assert distribution_sentence(COUNTS) == "Partners per tier by evaluated month; in 2026-11: 2 Gold, 3 Silver."
    assert distribution_sentence([]) == "No evaluations yet."
