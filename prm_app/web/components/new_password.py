"""Choosing a new password on a page opened by an emailed link (an invitation, a password reset): the link's
token, the two fields and where a refusal shows.

The rules are identity's `check_new_password`; its refusals name the field ("password" or "confirm"). Nobody is
signed in on these pages: the words, and the refusals, are in the browser's language (the page's state is a
LanguageState that its `load` sets from Accept-Language)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from prm_app.platform.errors import DomainError
from prm_app.platform.i18n import DEFAULT_LANGUAGE
from prm_app.web.components.forms import field
from prm_app.web.language_state import t
from prm_app.web.state import run_public


def new_password_fields(password_error: rx.Var | str, confirm_error: rx.Var | str) -> rx.Component:
    return rx.fragment(
        field(
            t("account.new_password"),
            "password",
            password_error,
            type="password",
            autocomplete="new-password",
            hint=t("account.password_hint"),
        ),
        field(t("password.repeat"), "confirm", confirm_error, type="password", autocomplete="new-password"),
    )


def new_password_errors(exc: DomainError, language: str = DEFAULT_LANGUAGE) -> tuple[str, str, str]:
    """(password field's message, confirm field's message, the page's message) for a refused new password, in
    `language`."""
    said = exc.in_language(language)
    if exc.field == "password":
        return said, "", ""
    if exc.field == "confirm":
        return "", said, ""
    return "", "", said


class TokenPasswordMixin(rx.State, mixin=True):
    """The state of a page at /…/[token] whose form sets a password. The token (the credential) stays a backend
    var; the page's own `load` and `submit` handlers call the helpers below."""

    _token: str = ""
    valid: bool = False  # the link works (else `problem` says why)
    done: bool = False
    problem: str = ""
    password_error: str = ""
    confirm_error: str = ""

    def _open(self) -> None:
        """Take the token from the page's path and clear the form's outcome."""
        self._token = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.done, self.problem, self.password_error, self.confirm_error = False, "", "", ""

    def _choose_password(self, use_case: Any, form: dict, language: str) -> None:
        """Run `use_case(session, token, password, confirm)`; show a refusal next to its field, or as the page's,
        in `language` (the page's)."""
        self.password_error = self.confirm_error = ""
        try:
            run_public(use_case, self._token, str(form.get("password", "")), str(form.get("confirm", "")))
        except DomainError as exc:
            self.password_error, self.confirm_error, problem = new_password_errors(exc, language)
            if problem:
                self.valid, self.problem = False, problem
            return
        self.done = True
