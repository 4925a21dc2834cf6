"""What a person sees when an event handler fails: a domain refusal as written, an outage of the database or Redis
as temporary (try again), anything else as "something went wrong" — never the error itself."""

from __future__ import annotations

import psycopg
import redis
from sqlalchemy import exc as db_errors

from prm_app.platform.errors import ValidationError
from prm_app.web.errors import UNAVAILABLE, backend_exception_handler, is_outage


def _toast_text(spec) -> str:
    return str(spec)


def test_a_lost_database_or_redis_connection_is_an_outage():
    lost = db_errors.OperationalError("SELECT 1", {}, psycopg.OperationalError("server closed the connection"))
    assert is_outage(lost)
    assert is_outage(redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused."))
    assert is_outage(redis.TimeoutError("Timeout reading from socket"))
    invalidated = db_errors.DBAPIError("SELECT 1", {}, Exception("reset"), connection_invalidated=True)
    assert is_outage(invalidated)


def test_bugs_and_refusals_are_not_outages():
    assert not is_outage(ValueError("bad"))
    assert not is_outage(db_errors.IntegrityError("INSERT", {}, Exception("duplicate key")))
    assert not is_outage(ValidationError("Enter an amount above zero."))


def test_the_person_is_told_to_try_again_and_nothing_of_the_error():
    spec = backend_exception_handler(redis.ConnectionError("Error 111 connecting to secret-host:6379"))
    assert UNAVAILABLE.split(".")[0] in _toast_text(spec)
    assert "secret-host" not in _toast_text(spec)
    other = backend_exception_handler(RuntimeError("secret detail"))
    assert "Something went wrong" in _toast_text(other) and "secret detail" not in _toast_text(other)


def test_an_event_that_outlived_its_state_lock_does_not_claim_nothing_was_saved():
    from reflex.utils.exceptions import LockExpiredError

    from prm_app.web.errors import TOO_SLOW

    text = _toast_text(backend_exception_handler(LockExpiredError("Lock expired for token tok-5e1f9 while processing")))
    assert TOO_SLOW.split(",")[0] in text and "Nothing was saved" not in text and "tok-5e1f9" not in text
