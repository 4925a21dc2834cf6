"""How the NPS pages show the read models (prm_app/nps/ui/display.py): pure functions, no database, no browser.
The text must stay what the pages showed when they rendered raw values: "20" for 20.0, "" for no NPS."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from prm_app.nps.queries import SurveySummary, SurveyToAnswer
from prm_app.nps.reports import Detractor, NpsGroup, NpsReport, NpsTrendPoint
from prm_app.nps.rules import NO_ANSWERS, survey_day, survey_window, tally
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
from prm_app.web.format import day

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
        id=7,
        title="Q1 pulse",
        status="open",
        opens="15 Jan 2030",
        closes="14 Feb 2030 (UTC)",
        ends="14 Feb 2030, 23:59 UTC",
        nps="0",
        responses="3",
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
        last_day="14 Feb 2030 (UTC)",
        closes="14 Feb 2030, 23:59 UTC (in 3 days)",
        answered=False,
        score="",
        comment="",
        open_sentence="Open until 14 Feb 2030 (UTC); it closes 14 Feb 2030, 23:59 UTC (in 3 days). Your answer goes to "
        "the channel team.",
    )
    paris = survey_card(before, ZoneInfo("Europe/Paris"), now)
    assert (paris.last_day, paris.closes) == ("14 Feb 2030 (UTC)", "15 Feb 2030, 00:59 CET (in 3 days)")
    assert (survey_card(after).answered, survey_card(after).score) == (True, "10")
    assert survey_card(after).answered_sentence == "You answered 10 out of 10. Thank you."


def test_survey_card_in_the_readers_language():
    before = SurveyToAnswer(3, "Q1 pulse", "Recommend us?", CLOSES, answered=False, score=None, comment="")
    after = SurveyToAnswer(3, "Q1 pulse", "Recommend us?", CLOSES, answered=True, score=9, comment="")
    german = survey_card(before, ZoneInfo("Europe/Berlin"), CLOSES - timedelta(days=3), "de")
    assert german.open_sentence == (
        "Offen bis 14.02.2030 (UTC); sie schließt 15.02.2030, 00:59 CET (in 3 Tagen). Ihre Antwort geht an das "
        "Channel-Team."
    )
    assert survey_card(after, language="ja").answered_sentence == "10 点中 9 点と回答しました。ありがとうございました。"


# A survey launched in Los Angeles "from 1 Dec to 14 Dec 2030": 00:00 on 1 Dec to 23:59:59 on 14 Dec, there.
LA, TOKYO = ZoneInfo("America/Los_Angeles"), ZoneInfo("Asia/Tokyo")
LA_OPENS, LA_CLOSES = survey_window(date(2030, 12, 1), date(2030, 12, 14), LA)


def test_every_reader_sees_the_managers_days_and_the_end_in_their_own_zone():
    """A reader in Tokyo, where the survey's last second is already 15 Dec, still reads "14 Dec" as its last day
    (the zone named), and when that is for them; a reader in Los Angeles reads the same day."""
    summary = SurveySummary(9, "Q4", "?", LA_OPENS, LA_CLOSES, "open", NO_ANSWERS, "America/Los_Angeles")
    to_answer = SurveyToAnswer(9, "Q4", "?", LA_CLOSES, False, None, "", "America/Los_Angeles")
    now = datetime(2030, 12, 12, 8, tzinfo=UTC)

    in_tokyo, in_la = survey_line(summary, TOKYO), survey_line(summary, LA)
    assert (in_tokyo.opens, in_tokyo.closes, in_tokyo.ends) == (
        "1 Dec 2030",
        "14 Dec 2030 (America / Los Angeles)",
        "15 Dec 2030, 16:59 JST",
    )
    assert (in_la.opens, in_la.closes, in_la.ends) == (
        "1 Dec 2030",
        "14 Dec 2030 (America / Los Angeles)",
        "14 Dec 2030, 23:59 PST",
    )
    card = survey_card(to_answer, TOKYO, now)
    assert (card.last_day, card.closes) == ("14 Dec 2030 (America / Los Angeles)", "15 Dec 2030, 16:59 JST (in 71 h)")
    assert survey_card(to_answer, LA, now).last_day == card.last_day
    # Where the day would have shifted had it been read in the viewer's zone: the bug this replaces.
    assert day(LA_CLOSES, TOKYO) == "15 Dec 2030" and day(LA_OPENS, ZoneInfo("Pacific/Honolulu")) == "30 Nov 2030"


def test_a_surveys_window_is_whole_days_in_its_zone_across_a_clock_change():
    opens, closes = survey_window(date(2030, 3, 1), date(2030, 3, 31), ZoneInfo("Europe/Berlin"))  # CET, then CEST

    assert opens == datetime(2030, 2, 28, 23, tzinfo=UTC)
    assert closes == datetime(2030, 3, 31, 21, 59, 59, tzinfo=UTC)
    assert (survey_day(opens, "Europe/Berlin"), survey_day(closes, "Europe/Berlin")) == (
        date(2030, 3, 1),
        date(2030, 3, 31),
    )
    assert survey_day(closes, "Not/AZone") == date(2030, 3, 31)  # an unknown name reads as UTC (still 31 Mar there)
    assert survey_day(closes, "UTC") == date(2030, 3, 31)
