"""Turns an exception escaping an event handler into something a person can act on."""

from __future__ import annotations

import logging

import reflex as rx
from redis import exceptions as redis_errors
from reflex.event import EventSpec
from reflex.utils.exceptions import LockExpiredError
from sqlalchemy import exc as db_errors

from prm_app.identity import login_url
from prm_app.platform.errors import DomainError, NotAuthenticated

log = logging.getLogger("prm_app")

# A database or Redis that is briefly down (a restart, a failover): say so, and that trying again will work.
UNAVAILABLE = "The service is briefly unavailable. Nothing was saved; please try again in a moment."
_OUTAGES = (
    db_errors.OperationalError,
    db_errors.InterfaceError,
    redis_errors.ConnectionError,
    redis_errors.TimeoutError,
)


# An event that outlived its tab's state lock (10 s): its database work was committed, only the page's copy of the
# state was not kept, so "nothing was saved" would be false. The load bench saw this past its ceiling.
TOO_SLOW = "That took too long, so this page may be out of date. Reload it to see what was saved."


def is_outage(exception: BaseException) -> bool:
    """Whether the error is a lost or refused connection to the database or Redis (temporary), not a bug."""
    if isinstance(exception, db_errors.DBAPIError) and exception.connection_invalidated:
        return True
    return isinstance(exception, _OUTAGES)


def backend_exception_handler(exception: Exception) -> EventSpec:
    if isinstance(exception, NotAuthenticated):  # to sign in, and back to the page when it is known (web.state)
        return rx.redirect(login_url(getattr(exception, "return_to", None)))
    if isinstance(exception, DomainError):
        return rx.toast.error(exception.message, id="domain_error")
    if is_outage(exception):
        log.warning("An event met a database or Redis outage: %s", type(exception).__name__)
        return rx.toast.error(UNAVAILABLE, id="backend_unavailable")
    if isinstance(exception, LockExpiredError):
        log.warning("An event outlived its state lock: %s", exception)
        return rx.toast.error(TOO_SLOW, id="backend_slow")
    log.exception("Unexpected error in an event handler", exc_info=exception)
    return rx.toast.error("Something went wrong. Nothing was saved.", id="backend_error")
