"""Forgot password: ask for a link by email, then choose a new password with it. Both pages are public."""

from __future__ import annotations

import reflex as rx

from prm_app.identity.password import RESET_PATH, check_reset_link, request_password_reset, reset_password
from prm_app.identity.rules import LOGIN_PATH
from prm_app.identity.ui.login import FORGOT_PATH
from prm_app.platform.errors import DomainError
from prm_app.web.components.forms import field, form_error
from prm_app.web.components.new_password import TokenPasswordMixin, new_password_fields
from prm_app.web.layout import public_page
from prm_app.web.registry import Audience, page
from prm_app.web.state import off_loop, run_public


class ForgotState(rx.State):
    sent: str = ""  # the one answer, whether or not the address has an account
    email_error: str = ""

    @rx.event
    def load(self):
        self.sent = self.email_error = ""

    @rx.event
    @off_loop
    def submit(self, form: dict):
        self.email_error = ""
        email = str(form.get("email", ""))[:254]
        try:
            self.sent = run_public(request_password_reset, email, ip=self.router.session.client_ip)
        except DomainError as exc:
            self.email_error = exc.message


@page(FORGOT_PATH, title="Forgot your password", audience=Audience.PUBLIC, on_load=ForgotState.load)
def forgot_password_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            rx.text("Enter the email address you sign in with. We'll email you a link to choose a new password."),
            field("Email", "email", ForgotState.email_error, type="email", autocomplete="username"),
            rx.button("Email me a link", type="submit", size="3", width="100%", disabled=~rx.State.is_hydrated),
            spacing="4",
            width="100%",
        ),
        on_submit=ForgotState.submit,
        reset_on_submit=False,
        no_validate=True,  # our messages sit next to the field; the browser bubble does not
        width="100%",
        aria_label="Ask for a password reset link",
    )
    return public_page(
        rx.vstack(
            rx.cond(
                ForgotState.sent != "",
                rx.callout(ForgotState.sent, icon="mail", color_scheme="green", role="status", width="100%"),
                form,
            ),
            rx.link("Back to sign in", href=LOGIN_PATH, size="2"),
            spacing="4",
            width="100%",
        ),
        "Forgot your password",
    )


class ResetState(TokenPasswordMixin, rx.State):
    email: str = ""

    @rx.event
    @off_loop
    def load(self):
        self._open()
        try:
            self.email = run_public(check_reset_link, self._token).email
        except DomainError as exc:
            self.valid, self.problem = False, exc.message
            return
        self.valid = True

    @rx.event
    @off_loop
    def submit(self, form: dict):
        self._choose_password(reset_password, form)


@page(f"{RESET_PATH}[token]", title="Choose a new password", audience=Audience.PUBLIC, on_load=ResetState.load)
def reset_password_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            rx.text("For ", rx.text.strong(ResetState.email), ". Signing in elsewhere ends when you save."),
            new_password_fields(ResetState.password_error, ResetState.confirm_error),
            # Until the app has hydrated the form would submit natively, putting the password in the URL.
            rx.button("Set new password", type="submit", size="3", width="100%", disabled=~rx.State.is_hydrated),
            spacing="4",
            width="100%",
        ),
        on_submit=ResetState.submit,
        no_validate=True,
        width="100%",
        aria_label="Choose a new password",
    )
    return public_page(
        rx.cond(
            ResetState.done,
            rx.vstack(
                rx.callout("Your new password is set. Sign in with it now.", icon="circle_check", color_scheme="green"),
                rx.link("Go to sign in", href=LOGIN_PATH, weight="medium"),
            ),
            rx.cond(
                ResetState.valid,
                form,
                rx.vstack(
                    form_error(ResetState.problem),
                    rx.link("Ask for a new link", href=FORGOT_PATH),
                    rx.link("Go to sign in", href=LOGIN_PATH),
                ),
            ),
        ),
        "Choose a new password",
    )
