"""How the NPS pages show the read models (prm_app/nps/ui/display.py): pure functions, no database, no browser.
The text must stay what the pages showed when they rendered raw values: "20" for 20.0, "" for no NPS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from prm_app.nps.queries import SurveySummary, SurveyToAnswer
from prm_app.nps.reports import Detractor, NpsGroup, NpsReport, NpsTrendPoint
from prm_app.nps.rules import NO_ANSWERS, tally
from prm_app.nps.ui.display import (
    DetractorLine,
    GroupLine,
    NpsHeadline,
    SurveyCard,
    SurveyLine,
    detractor_line,
    group_line,
    nps_headline,
    survey_card,
    survey_line,
)

OPENS = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)
CLOSES = datetime(2030, 2, 14, 23, 59, 59, tzinfo=UTC)


def test_headline_and_groups():
    report = NpsReport(
        survey_id=None,
        survey=None,
        by="partner_type",
        tally=tally(6, 3, 2),
        groups=(NpsGroup("msp", tally(2, 1, 0)), NpsGroup("unknown-kind", NO_ANSWERS)),
        trend=(NpsTrendPoint(1, "Q1", OPENS, tally(6, 3, 2)),),
    )

    assert nps_headline(report) == NpsHeadline(nps="16.7", responses="6")
    assert [group_line(g, report.by) for g in report.groups] == [
        GroupLine(group="MSP", nps="50", responses="2", promoters="1", passives="1", detractors="0"),
        GroupLine(group="unknown-kind", nps="", responses="0", promoters="0", passives="0", detractors="0"),
    ]
    assert group_line(NpsGroup("Gold", tally(1, 1, 0)), "tier").group == "Gold"  # tier names and regions as they are
    assert NpsHeadline() == NpsHeadline(nps="", responses="")  # what shows before the first load


def test_survey_and_detractor_lines():
    survey = SurveySummary(7, "Q1 pulse", "Recommend us?", OPENS, CLOSES, "open", tally(3, 1, 1))
    assert survey_line(survey) == SurveyLine(
        id=7, title="Q1 pulse", status="open", opens="15 Jan 2030", closes="14 Feb 2030", nps="0", responses="3"
    )
    assert survey_line(SurveySummary(8, "New", "?", OPENS, CLOSES, "scheduled", NO_ANSWERS)).nps == ""
    detractor = Detractor("Q1 pulse", "Acme", "Al Acme", "al@acme.example", 0, "Slow", OPENS)
    assert detractor_line(detractor) == DetractorLine(
        partner="Acme", person="Al Acme", email="al@acme.example", score="0", comment="Slow", survey="Q1 pulse",
        answered="15 Jan 2030",
    )  # fmt: skip
    assert detractor_line(detractor, ZoneInfo("Pacific/Honolulu")).answered == "14 Jan 2030"  # 09:00 UTC is 23:00 there


def test_survey_card_before_and_after_answering():
    before = SurveyToAnswer(3, "Q1 pulse", "Recommend us?", CLOSES, answered=False, score=None, comment="")
    after = SurveyToAnswer(3, "Q1 pulse", "Recommend us?", CLOSES, answered=True, score=10, comment="Great")

    now = CLOSES - timedelta(days=3)
    assert survey_card(before, now=now) == SurveyCard(
        id=3,
        title="Q1 pulse",
        question="Recommend us?",
        closes="14 Feb 2030, 23:59 UTC (in 3 days)",
        answered=False,
        score="",
        comment="",
    )
    assert survey_card(before, ZoneInfo("Europe/Paris"), now).closes == "15 Feb 2030, 00:59 CET (in 3 days)"
    assert (survey_card(after).answered, survey_card(after).score) == (True, "10")
