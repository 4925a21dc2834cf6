"""Turns an exception escaping an event handler into something a person can act on."""

from __future__ import annotations

import logging

import reflex as rx
from reflex.event import EventSpec

from prm_app.platform.errors import DomainError, NotAuthenticated

log = logging.getLogger("prm_app")


def backend_exception_handler(exception: Exception) -> EventSpec:
    if isinstance(exception, NotAuthenticated):
        return rx.redirect("/login")
    if isinstance(exception, DomainError):
        return rx.toast.error(exception.message, id="domain_error")
    log.exception("Unexpected error in an event handler", exc_info=exception)
    return rx.toast.error("Something went wrong. Nothing was saved.", id="backend_error")
