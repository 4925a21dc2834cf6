"""Forgot password: ask for a link by email, then choose a new password with it. Both pages are public, so they
speak the browser's language (Accept-Language), refusals included."""

from __future__ import annotations

import reflex as rx

from prm_app.identity.password import (
    RESET_PATH,
    RESET_SENT_WORDS,
    check_reset_link,
    request_password_reset,
    reset_password,
)
from prm_app.identity.rules import LOGIN_PATH
from prm_app.identity.ui.login import FORGOT_PATH
from prm_app.platform.errors import DomainError
from prm_app.platform.i18n import reader_language
from prm_app.web.components.forms import field, form_error
from prm_app.web.components.new_password import TokenPasswordMixin, new_password_fields
from prm_app.web.language_state import LanguageState, t
from prm_app.web.layout import public_page
from prm_app.web.registry import Audience, page
from prm_app.web.state import off_loop, run_public


class ForgotState(LanguageState):
    sent: str = ""  # the one answer, whether or not the address has an account
    email_error: str = ""

    @rx.event
    def load(self):
        self.sent = self.email_error = ""
        self._show_language(reader_language(self.router.headers.accept_language))

    @rx.event
    @off_loop
    def submit(self, form: dict):
        self.email_error = ""
        email = str(form.get("email", ""))[:254]
        try:
            run_public(request_password_reset, email, ip=self.router.session.client_ip)
        except DomainError as exc:
            self.email_error = exc.in_language(self.language)
            return
        self.sent = RESET_SENT_WORDS.say(self.language)


@page(FORGOT_PATH, title="Forgot your password", audience=Audience.PUBLIC, on_load=ForgotState.load)
def forgot_password_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            rx.text(t("reset.intro")),
            field(t("auth.email"), "email", ForgotState.email_error, type="email", autocomplete="username"),
            rx.button(t("reset.email_me"), type="submit", size="3", width="100%", disabled=~rx.State.is_hydrated),
            spacing="4",
            width="100%",
        ),
        on_submit=ForgotState.submit,
        reset_on_submit=False,
        no_validate=True,  # our messages sit next to the field; the browser bubble does not
        width="100%",
        aria_label=t("reset.ask_link"),
    )
    return public_page(
        rx.vstack(
            rx.cond(
                ForgotState.sent != "",
                rx.callout(ForgotState.sent, icon="mail", color_scheme="green", role="status", width="100%"),
                form,
            ),
            rx.link(t("reset.back_to_sign_in"), href=LOGIN_PATH, size="2"),
            spacing="4",
            width="100%",
        ),
        t("auth.forgot"),
    )


class ResetState(TokenPasswordMixin, LanguageState):
    for_email: str = ""  # "For dana@example.com. Signing in elsewhere ends when you save.", in the page's language

    @rx.event
    @off_loop
    def load(self):
        self._open()
        self._show_language(reader_language(self.router.headers.accept_language))
        try:
            email = run_public(check_reset_link, self._token).email
        except DomainError as exc:
            self.valid, self.problem = False, exc.in_language(self.language)
            return
        self.valid, self.for_email = True, self._words().text("reset.for_email", email=email)

    @rx.event
    @off_loop
    def submit(self, form: dict):
        self._choose_password(reset_password, form, self.language)


@page(f"{RESET_PATH}[token]", title="Choose a new password", audience=Audience.PUBLIC, on_load=ResetState.load)
def reset_password_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            rx.text(ResetState.for_email),
            new_password_fields(ResetState.password_error, ResetState.confirm_error),
            # Until the app has hydrated the form would submit natively, putting the password in the URL.
            rx.button(t("reset.set"), type="submit", size="3", width="100%", disabled=~rx.State.is_hydrated),
            spacing="4",
            width="100%",
        ),
        on_submit=ResetState.submit,
        no_validate=True,
        width="100%",
        aria_label=t("reset.title"),
    )
    return public_page(
        rx.cond(
            ResetState.done,
            rx.vstack(
                rx.callout(t("reset.done"), icon="circle_check", color_scheme="green"),
                rx.link(t("reset.go_sign_in"), href=LOGIN_PATH, weight="medium"),
            ),
            rx.cond(
                ResetState.valid,
                form,
                rx.vstack(
                    form_error(ResetState.problem),
                    rx.link(t("reset.ask_new"), href=FORGOT_PATH),
                    rx.link(t("reset.go_sign_in"), href=LOGIN_PATH),
                ),
            ),
        ),
        t("reset.title"),
    )
