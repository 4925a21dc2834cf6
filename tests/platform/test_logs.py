"""Logs: the app's stdlib records leave as one JSON object a line with timestamp, level, logger and the request or
event they belong to; credentials and personal data never reach the line, whatever the call site passed."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from prm_app.platform import logs, settings


@pytest.fixture
def lines(capsys):
    """Configure JSON logging onto this test's captured stderr; returns a reader of the lines written so far."""
    logs.configure_logging("json")

    def read():
        err = capsys.readouterr().err
        assert "Logging error" not in err, err
        return [json.loads(line) for line in err.splitlines() if line.strip()]

    yield read
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == "prm_app"]:
        root.removeHandler(handler)


SECRETS = {
    "password": "hunter2-correct-horse",
    "token": "tok_live_4f9a8b7c6d5e",
    "cookie": "prm_session=abcdef0123456789",
    "authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig",
    "email": "dana.price@northwind-dist.example",
}


def test_a_line_with_secret_and_personal_fields_does_not_carry_them(lines):
    log = logging.getLogger("prm_app.identity")

    log.warning(
        "sign-in failed for dana.price@northwind-dist.example with Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig",
        extra={
            **SECRETS,
            "contact_email": "omar.haddad@northwind-dist.example",
            "headers": {"Set-Cookie": "prm_session=abcdef0123456789", "Accept": "text/html"},
            "attempts": 3,
        },
    )

    (line,) = lines()
    text = json.dumps(line)
    for secret in [*SECRETS.values(), "omar.haddad@northwind-dist.example", "abcdef0123456789", "payload.sig"]:
        assert secret not in text
    assert "@" not in text
    assert {k: line[k] for k in (*SECRETS, "contact_email")} == dict.fromkeys((*SECRETS, "contact_email"), logs.MASK)
    assert line["headers"] == {"Set-Cookie": logs.MASK, "Accept": "text/html"}
    assert line["attempts"] == 3  # what is neither secret nor personal stays
    assert line["event"] == f"sign-in failed for {logs.MASK} with Bearer {logs.MASK}"


def test_an_exception_is_logged_with_its_traceback_scrubbed(lines):
    try:
        raise ValueError("no account for erin.exec@vendor.example")
    except ValueError:
        logging.getLogger("prm_app").exception("unexpected error in an event handler")

    (line,) = lines()
    assert "ValueError" in line["exception"] and "Traceback" in line["exception"]
    assert "erin.exec@vendor.example" not in line["exception"]


def test_each_line_has_an_iso_utc_timestamp_level_logger_and_its_request_id(lines):
    log = logging.getLogger("prm_app.jobs")

    with logs.request_context("req-0123456789"):
        log.info("expired %d registrations", 4)
    log.info("outside any request")

    inside, outside = lines()
    assert inside["event"] == "expired 4 registrations"
    assert (inside["level"], inside["logger"], inside["request_id"]) == ("info", "prm_app.jobs", "req-0123456789")
    assert inside["timestamp"].endswith("Z") and "T" in inside["timestamp"]
    assert "request_id" not in outside


def test_an_event_id_stays_with_its_own_task(lines):
    log = logging.getLogger("prm_app.web")

    async def event(handler: str) -> None:
        logs.bind_event(f"event-{handler}", handler)
        await asyncio.sleep(0)  # the other event runs meanwhile
        log.info("handled")

    async def both() -> None:
        await asyncio.gather(event("DealsState.approve"), event("LeadsState.accept"))

    asyncio.run(both())

    assert sorted((line["handler"], line["event_id"]) for line in lines()) == [
        ("DealsState.approve", "event-DealsState.approve"),
        ("LeadsState.accept", "event-LeadsState.accept"),
    ]


def test_configuring_twice_keeps_one_handler(lines):
    logs.configure_logging("json")
    logging.getLogger("prm_app").info("once")

    assert len(lines()) == 1


def test_console_format_is_readable_and_redacted_too(capsys):
    root = logging.getLogger()
    handler = logging.StreamHandler()
    handler.setFormatter(logs.formatter("console"))
    root.addHandler(handler)
    try:
        logging.getLogger("prm_app").warning("invited", extra={"email": "sam.carter@bluepeak.example"})
    finally:
        root.removeHandler(handler)

    err = capsys.readouterr().err
    assert "invited" in err and "[prm_app]" in err
    assert "sam.carter" not in err


def test_a_request_id_from_a_proxy_is_kept_only_when_it_is_a_plain_token():
    assert logs.new_request_id("lb-7f3a9c21") == "lb-7f3a9c21"
    for offered in (None, "", "short", 'x" level=error', "a\nb" * 10, "x" * 65):
        fresh = logs.new_request_id(offered)
        assert len(fresh) == 32 and fresh != offered


@pytest.mark.parametrize(
    ("env", "demo", "expected"),
    [("", True, "console"), ("", False, "json"), ("json", True, "json"), ("CONSOLE", False, "console")],
)
def test_log_format_defaults_to_readable_in_the_demo_and_json_in_production(monkeypatch, env, demo, expected):
    monkeypatch.setenv("PRM_LOG_FORMAT", env)

    assert settings._log_format(demo) == expected
