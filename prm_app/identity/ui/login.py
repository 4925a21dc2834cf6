"""Sign in: a native form post to the sign-in endpoint (session_http.py), which sets the HttpOnly cookie.

Nobody is signed in here, so the page speaks the browser's language (Accept-Language), as do its refusals (the
endpoint says them in the language of the browser that posted); once signed in, the person's own choice rules."""

from __future__ import annotations

import reflex as rx

from prm_app.identity.rules import safe_next_path
from prm_app.platform.errors import NotAuthenticated
from prm_app.platform.i18n import DEFAULT_LANGUAGE, Words, reader_language
from prm_app.web.components.forms import field, form_error
from prm_app.web.components.native_form import native_form
from prm_app.web.language_state import t
from prm_app.web.layout import public_page, tab_token_input
from prm_app.web.registry import Audience, page
from prm_app.web.session_cookie import SIGN_IN_PATH
from prm_app.web.state import AuthState, home_for

FORGOT_PATH = "/forgot-password"
ZONE_INPUT = "field-time-zone"
# The browser's own zone, put in the form's hidden field; the sign-in endpoint keeps it for a person with none yet.
_BROWSER_ZONE = (
    f"(e => {{ if (e) e.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; }})"
    f"(document.getElementById('{ZONE_INPUT}'))"
)


def missing_fields(email: str, password: str, language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """What an empty sign-in lacks, by field, in `language`: the endpoint says so beside the field instead of
    "wrong email or password" (nothing was wrong yet; nothing is counted against the account)."""
    missing = {}
    if not email.strip():
        missing["email"] = Words("auth.email_missing").say(language)
    if not password:
        missing["password"] = Words("auth.password_missing").say(language)
    return missing


class LoginState(AuthState):
    error: str = ""
    errors: dict[str, str] = {}  # by field: what an empty try lacked
    # Where to return after signing in (`/login?next=/deals/12`); only a same-origin path is kept, and the sign-in
    # endpoint checks it again (this var is only the form's hidden field).
    next_path: str = ""
    # Left here by the sign-in endpoint after a refused try, shown once by `load` (backend vars: never sent as such).
    _flash_error: str = ""
    _flash_email: str = ""
    _flash_errors: dict[str, str] = {}

    @rx.event
    def load(self):
        """Already signed in? Go home. Otherwise show the form, with the message of a refused try if there was one.

        The email input is not bound to state: after a refused try the endpoint hands back what was typed once,
        and a later visit never pre-fills someone else's address from this tab's earlier session."""
        self.error, self._flash_error = self._flash_error, ""
        self.errors, self._flash_errors = self._flash_errors, {}
        email, self._flash_email = self._flash_email, ""
        self.next_path = safe_next_path(self.router.url.query_parameters.get("next", "")) or ""
        try:
            actor = self._actor()
        except NotAuthenticated:
            self._show_language(reader_language(self.router.headers.accept_language))
            zone = rx.call_script(_BROWSER_ZONE)
            if self.errors:
                return [zone, rx.set_value("field-email", email), rx.set_focus(f"field-{next(iter(self.errors))}")]
            if self.error:
                return [zone, rx.set_value("field-email", email), rx.set_focus("field-password")]
            return zone
        return rx.redirect(self.next_path or home_for(actor.role))


@page("/login", title="Sign in", audience=Audience.PUBLIC, on_load=LoginState.load)
def login_page() -> rx.Component:
    return public_page(
        native_form(
            rx.vstack(
                form_error(LoginState.error),
                field(
                    t("auth.email"), "email", LoginState.errors.get("email", ""), type="email", autocomplete="username"
                ),
                field(
                    t("auth.password"),
                    "password",
                    LoginState.errors.get("password", ""),
                    type="password",
                    autocomplete="current-password",
                ),
                rx.hstack(
                    rx.el.input(type="checkbox", id="field-remember", name="remember", class_name="checkbox"),
                    rx.el.label(t("auth.keep_signed_in"), html_for="field-remember"),
                    align="center",
                    spacing="2",
                ),
                tab_token_input(),
                rx.el.input(type="hidden", name="next", value=LoginState.next_path),
                rx.el.input(type="hidden", name="time_zone", id=ZONE_INPUT),
                # The tab's token arrives with hydration; until then the form could not reset this tab's state.
                rx.button(t("auth.sign_in"), type="submit", size="3", width="100%", disabled=~rx.State.is_hydrated),
                rx.link(t("auth.forgot"), href=FORGOT_PATH, size="2"),
                # For people without an account: the public pages of onboarding and recruitment (by address: this
                # area stands below them).
                rx.text(
                    t("auth.no_account"),
                    " ",
                    rx.link(t("auth.ask_to_join"), href="/request-access"),
                    " ",
                    t("auth.or"),
                    " ",
                    rx.link(t("auth.apply"), href="/apply"),
                    t("auth.full_stop"),
                    size="2",
                ),
                spacing="4",
                width="100%",
            ),
            method="post",
            action=SIGN_IN_PATH,
            no_validate=True,  # our messages sit next to the field; the browser bubble does not
            width="100%",
            aria_label=t("auth.sign_in"),
        ),
        t("auth.sign_in"),
    )
