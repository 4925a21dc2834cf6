"""A notice is said again in each reader's language: its Words are kept on it (key and typed values), the English
reader keeps reading the message as written, and a notice without Words (or with unreadable ones) reads in English.
How long ago it was, and the counted sentences of the page, follow the reader's language and CLDR plurals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from prm_app.notifications import list_notices, notify
from prm_app.notifications.models import Notification
from prm_app.notifications.ui.display import ago, notice_line
from prm_app.notifications.wording import say_notice, words_from_json, words_json
from prm_app.platform.access import Role
from prm_app.platform.i18n import Amount, Words, catalogue
from tests.factories import T0, actor_for, make_org, make_user

DEADLINE = datetime(2028, 3, 31, 12, 5, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


def test_words_keep_their_values_types_through_json():
    words = Words(
        "notice.deal_approved",
        {"customer": "Hooli", "until": DEADLINE.date(), "amount": Amount(Decimal("48500.00"), "EUR")},
    )
    back = words_from_json(words_json(words))
    assert back == words
    counted = Words("notice.protection_ending", {"customer": "Hooli", "ends": DEADLINE}, count=3)
    assert words_from_json(words_json(counted)) == counted
    assert words_json(None) is None


@pytest.mark.parametrize(
    "stored", [None, "", "not json", '{"values": {}}', '{"key": "x", "values": {"a": {"amount": "?"}}}']
)
def test_unreadable_words_are_none(stored):
    assert words_from_json(stored) is None


def test_a_notice_reads_in_the_readers_language_and_format():
    words = Words("notice.lead_offered", {"company": "Initech", "deadline": DEADLINE})
    english = "New lead: Initech. Accept by 2028-03-31 12:05 UTC."
    assert say_notice(english, words, "en") == english  # the English reader's text stays as it was written
    assert say_notice(english, words, "de", "Europe/Berlin") == (
        "Neuer Lead: Initech. Annehmen bis 31. März 2028, 14:05 CEST."
    )
    assert say_notice(english, None, "de") == english  # no Words kept: the English message
    assert say_notice(english, Words("notice.no_such_key"), "de") == english


def test_notify_keeps_the_words_and_the_list_says_them(session: Session):
    org = make_org(session, name="Wortmann GmbH")
    words = Words("notice.deal_expired", {"customer": "Hooli"})
    notify(session, org.id, "deal_expired", "Protection for Hooli has ended.", "/deals/1", at=T0, words=words)
    notify(session, org.id, "note", "Plain English only", at=T0 + timedelta(minutes=1))
    session.commit()
    stored = session.exec(select(Notification).where(Notification.kind == "deal_expired")).one()
    assert stored.words is not None
    rows = list_notices(session, actor_for(make_user(session, Role.PARTNER_USER, org))).rows
    assert [n.text("de") for n in rows] == ["Plain English only", "Der Schutz für Hooli ist abgelaufen."]
    assert [n.text("en") for n in rows] == ["Plain English only", "Protection for Hooli has ended."]


def test_how_long_ago_in_the_readers_language():
    now = T0 + timedelta(days=30)
    assert ago(now - timedelta(seconds=5), now, language="de") == "gerade eben"
    assert ago(now - timedelta(minutes=5), now) == "5 min ago"
    assert ago(now - timedelta(minutes=5), now, language="de") == "vor 5 Min."
    assert ago(now - timedelta(hours=3), now, language="fr") == "il y a 3 h"
    assert ago(now - timedelta(days=1), now, language="de") == "gestern"
    assert ago(now - timedelta(days=4), now) == "4 days ago"
    assert ago(now - timedelta(days=4), now, language="de") == "vor 4 Tagen"
    assert ago(now - timedelta(days=4), now, language="ja") == "4 日前"
    assert ago(datetime(2026, 11, 30, 12, tzinfo=UTC), datetime(2026, 12, 20, tzinfo=UTC), BERLIN, "de") == "30.11.2026"


def test_the_notice_line_labels_its_state_in_the_readers_language(session: Session):
    org = make_org(session, name="Etat SARL")
    notify(session, org.id, "note", "Hello", at=T0)
    session.commit()
    notice = list_notices(session, actor_for(make_user(session, Role.PARTNER_USER, org))).rows[0]
    line = notice_line(notice, T0 + timedelta(minutes=2), UTC, "fr")
    assert (line.state_label, line.when) == ("Non lue", "il y a 2 min")


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("en", 1, "1 unread notification"),
        ("en", 2, "2 unread notifications"),
        ("de", 1, "1 ungelesene Benachrichtigung"),
        ("de", 1200, "1.200 ungelesene Benachrichtigungen"),
        ("fr", 0, "0 notification non lue"),
        ("es", 3, "3 notificaciones sin leer"),
        ("ja", 1, "未読の通知 1 件"),
    ],
)
def test_the_unread_count_has_the_languages_plural(language, count, expected):
    assert catalogue(language).plural("notifications.unread_count", count) == expected


def test_every_notice_sentence_the_areas_give_is_in_the_catalogue():
    """The keys the writing areas build from a status (an MDF decision, a SPIFF decision) all exist, with the values
    they are given."""
    english = catalogue("en")
    for status in ("approved", "rejected", "declined", "info_requested"):
        assert english.text(f"incentives.notice.mdf_{status}", title="Q1 event", note="")
    for status in ("approved", "rejected"):
        assert english.text(f"incentives.notice.spiff_{status}", customer="Hooli", reason="")
    assert english.text("onboarding.notice.join_request", name="Jo", address="jo@x.example")
    assert english.text("onboarding.notice.task_returned", task="Plan", note="Add targets")
    claim = Words("incentives.notice.claim_approved", {"title": "Q1 event", "amount": Amount(Decimal("1200"), "EUR")})
    assert (
        say_notice("", claim, "de")
        == "MDF-Abrechnung für „Q1 event“ genehmigt: 1.200,00\xa0€ kommen zu Ihrer nächsten Auszahlung."
    )
