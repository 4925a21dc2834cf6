"""Sign in."""

from __future__ import annotations

import reflex as rx

from prm_app.identity.auth import log_in
from prm_app.platform.errors import AuthError, NotAuthenticated
from prm_app.web.components.forms import field, form_error
from prm_app.web.layout import public_page
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState, home_for, run_public


class LoginState(AuthState):
    error: str = ""

    @rx.event
    def load(self):
        """Already signed in? Go home. Otherwise show a clean form.

        The email input is not bound to state: after a failed try the browser keeps what was typed, and a new
        visit never pre-fills someone else's address from this tab's earlier session."""
        self.error = ""
        try:
            actor = self._actor()
        except NotAuthenticated:
            return None
        return rx.redirect(home_for(actor.role))

    @rx.event
    def submit(self, form: dict):
        email = str(form.get("email", ""))[:254]
        try:
            signed_in = run_public(
                log_in,
                email,
                str(form.get("password", "")),
                ip=self.router.session.client_ip,
                user_agent=self.router.headers.user_agent,
            )
        except AuthError as exc:
            self.error = exc.message
            # Keep the email, empty the password: the next try starts clean and the attempt is visibly done.
            return [rx.set_value("field-password", ""), rx.set_focus("field-password")]
        self.error = ""
        self.token = signed_in.token
        self._show_actor(signed_in.actor)
        return rx.redirect(home_for(signed_in.actor.role))


@page("/login", title="Sign in", audience=Audience.PUBLIC, on_load=LoginState.load)
def login_page() -> rx.Component:
    return public_page(
        rx.form(
            rx.vstack(
                form_error(LoginState.error),
                field("Email", "email", type="email", autocomplete="username"),
                field("Password", "password", type="password", autocomplete="current-password"),
                # Until the app has hydrated the form would submit natively, putting the password in the URL.
                rx.button("Sign in", type="submit", size="3", width="100%", disabled=~rx.State.is_hydrated),
                spacing="4",
                width="100%",
            ),
            on_submit=LoginState.submit,
            no_validate=True,  # our messages sit next to the field; the browser bubble does not
            width="100%",
            aria_label="Sign in",
        ),
        "Sign in",
    )
