"""Accept an invitation: the invited colleague chooses a password.

The account starts with the zone this browser reports, as a first sign-in would give it (identity's
`adopt_browser_zone`), so its first pages read times where the person is, whichever device they sign in on next.
Nobody is signed in yet: the page speaks the browser's language (Accept-Language), refusals included."""

from __future__ import annotations

from functools import partial

import reflex as rx

from prm_app.partners.team import accept_invite, get_invite
from prm_app.platform.errors import DomainError
from prm_app.platform.i18n import reader_language
from prm_app.web.components.forms import form_error
from prm_app.web.components.link_button import link_button
from prm_app.web.components.new_password import TokenPasswordMixin, new_password_fields
from prm_app.web.language_state import LanguageState, t
from prm_app.web.layout import public_page
from prm_app.web.registry import Audience, page, url_for
from prm_app.web.state import off_loop, run_public

# The browser's own zone ("Asia/Tokyo"), as the account page and the sign-in form read it.
_BROWSER_ZONE = "Intl.DateTimeFormat().resolvedOptions().timeZone || ''"
_ZONE_MAX = 64  # app_user.time_zone's length: anything longer is no zone name


class InviteState(TokenPasswordMixin, LanguageState):
    email: str = ""
    welcome: str = ""  # "Welcome, Dana. You are joining Northwind as Partner user.", in the page's language
    # What the browser reported (a backend var: never sent back). Only a name the tz database knows is kept, and
    # only for the account this tab's token creates: a client sending anything here changes nothing else.
    _browser_zone: str = ""

    @rx.event
    @off_loop
    def load(self):
        self._open()
        self._show_language(reader_language(self.router.headers.accept_language))
        try:
            info = run_public(get_invite, self._token)
        except DomainError as exc:
            self.valid, self.problem = False, exc.in_language(self.language)
            return
        self.valid = True
        self.email = info.email
        words = self._words()
        role = words.text(f"role.{info.role.value}")
        self.welcome = words.text("invite.welcome", name=info.full_name, organization=info.organization, role=role)
        return rx.call_script(_BROWSER_ZONE, callback=InviteState.got_browser_zone)

    @rx.event
    def got_browser_zone(self, name: str):
        self._browser_zone = name[:_ZONE_MAX] if isinstance(name, str) else ""

    @rx.event
    @off_loop
    def submit(self, form: dict):
        self._choose_password(partial(accept_invite, time_zone=self._browser_zone), form, self.language)


@page("/invite/[token]", title="Accept invitation", audience=Audience.PUBLIC, on_load=InviteState.load)
def invite_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            rx.text(InviteState.welcome),
            rx.text(t("account.sign_in_email"), " ", rx.text.strong(InviteState.email), size="2"),
            new_password_fields(InviteState.password_error, InviteState.confirm_error),
            # Until the app has hydrated the form would submit natively, putting the password in the URL.
            rx.button(t("invite.set_password"), type="submit", size="3", width="100%", disabled=~rx.State.is_hydrated),
            spacing="4",
            width="100%",
        ),
        on_submit=InviteState.submit,
        no_validate=True,  # our messages sit next to the field; the browser bubble does not
        width="100%",
        aria_label=t("invite.set_password"),
    )
    return public_page(
        rx.cond(
            InviteState.done,
            rx.vstack(
                rx.callout(t("invite.done"), icon="circle_check", color_scheme="green"),
                link_button(t("reset.go_sign_in"), url_for("login_page"), size="3"),
            ),
            rx.cond(
                InviteState.valid,
                form,
                rx.vstack(form_error(InviteState.problem), rx.link(t("reset.go_sign_in"), href=url_for("login_page"))),
            ),
        ),
        t("invite.title"),
    )
