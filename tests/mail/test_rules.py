"""Mail rules on plain values: rendering and escaping, the retry schedule, PRM_SMTP_URL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from prm_app.mail.rules import MAX_ATTEMPTS, TEMPLATES, parse_smtp_url, render, retry_delay

INVITE = {
    "name": "Casey",
    "inviter": "Dana",
    "organization": "Northwind",
    "role": "partner user",
    "link": "https://prm.example/invite/abc",
    "expires": datetime(2030, 1, 22, 9, 5, tzinfo=UTC),
}


def test_an_invitation_renders_as_text_and_html_with_its_link():
    mail = render("invitation", INVITE)
    assert mail.subject == "Dana invited you to Northwind on Open PRM"
    assert "Hello Casey," in mail.text and "https://prm.example/invite/abc" in mail.text
    assert "22 Jan 2030, 09:05 UTC" in mail.text
    assert '<a href="https://prm.example/invite/abc">Accept the invitation</a>' in mail.html
    assert mail.html.startswith("<!doctype html>")


def test_values_are_escaped_in_html_and_kept_to_one_line_in_the_subject():
    hostile = {**INVITE, "name": "<script>alert(1)</script>", "inviter": "Eve\r\nBcc: victim@example.com"}
    mail = render("invitation", hostile)
    assert "<script>" not in mail.html and "&lt;script&gt;alert(1)&lt;/script&gt;" in mail.html
    assert "\n" not in mail.subject and "\r" not in mail.subject
    assert mail.subject.startswith("Eve Bcc: victim@example.com invited you")
    assert "<script>alert(1)</script>" in mail.text  # plain text shows what was typed, as text


def test_a_quote_in_a_link_cannot_leave_the_href():
    mail = render("invitation", {**INVITE, "link": 'https://prm.example/x"onmouseover="alert(1)'})
    assert 'href="https://prm.example/x&quot;onmouseover=&quot;alert(1)"' in mail.html


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,hi", "/relative/only"])
def test_a_message_links_only_to_web_pages(link):
    with pytest.raises(ValueError):
        render("invitation", {**INVITE, "link": link})


def test_a_missing_value_or_an_unknown_kind_is_a_programming_error():
    with pytest.raises(KeyError):
        render("invitation", {"name": "Casey"})
    with pytest.raises(KeyError):
        render("no_such_kind", INVITE)


def test_every_template_renders_with_its_own_placeholders():
    notice = {"subject": "Hooli approved", "message": "Hooli approved", "preferences": "https://prm.example/account"}
    application = {"program": "MSP program", "company": "Newco", "reference": "APP-ABCDEFGH", "note": "More, please"}
    values = {**INVITE, "minutes": 60, **notice, **application}
    for kind in TEMPLATES:
        assert render(kind, values).text.strip()


def test_failed_tries_wait_1_5_30_minutes_then_2_hours_then_give_up():
    waits = [retry_delay(n) for n in range(1, MAX_ATTEMPTS + 1)]
    assert waits == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), None]
    with pytest.raises(ValueError):
        retry_delay(0)


def test_smtp_urls():
    plain = parse_smtp_url("smtp://127.0.0.1:2525")
    assert (plain.host, plain.port, plain.tls, plain.starttls, plain.username) == ("127.0.0.1", 2525, False, False, "")
    secure = parse_smtp_url("smtps://mailer%40corp:p%3Ass@smtp.corp.example")
    assert (secure.port, secure.tls, secure.username, secure.password) == (465, True, "mailer@corp", "p:ss")
    upgraded = parse_smtp_url("smtp://u:p@smtp.corp.example:587?starttls=1")
    assert (upgraded.port, upgraded.starttls, upgraded.tls) == (587, True, False)
    assert parse_smtp_url("smtp://relay.internal").port == 25
    for bad in ("http://smtp.example", "smtp://", "smtps://h?starttls=1", ""):
        with pytest.raises(ValueError):
            parse_smtp_url(bad)
