"""Accept an invitation: the invited colleague chooses a password.

The account starts with the zone this browser reports, as a first sign-in would give it (identity's
`adopt_browser_zone`), so its first pages read times where the person is, whichever device they sign in on next."""

from __future__ import annotations

from functools import partial

import reflex as rx

from prm_app.partners.team import accept_invite, get_invite
from prm_app.platform.access import ROLE_LABELS
from prm_app.platform.errors import DomainError
from prm_app.web.components.forms import form_error
from prm_app.web.components.link_button import link_button
from prm_app.web.components.new_password import TokenPasswordMixin, new_password_fields
from prm_app.web.layout import public_page
from prm_app.web.registry import Audience, page, url_for
from prm_app.web.state import off_loop, run_public

# The browser's own zone ("Asia/Tokyo"), as the account page and the sign-in form read it.
_BROWSER_ZONE = "Intl.DateTimeFormat().resolvedOptions().timeZone || ''"
_ZONE_MAX = 64  # app_user.time_zone's length: anything longer is no zone name


class InviteState(TokenPasswordMixin, rx.State):
    email: str = ""
    full_name: str = ""
    organization: str = ""
    role_label: str = ""
    # What the browser reported (a backend var: never sent back). Only a name the tz database knows is kept, and
    # only for the account this tab's token creates: a client sending anything here changes nothing else.
    _browser_zone: str = ""

    @rx.event
    @off_loop
    def load(self):
        self._open()
        try:
            info = run_public(get_invite, self._token)
        except DomainError as exc:
            self.valid, self.problem = False, exc.message
            return
        self.valid = True
        self.email, self.full_name = info.email, info.full_name
        self.organization, self.role_label = info.organization, ROLE_LABELS[info.role]
        return rx.call_script(_BROWSER_ZONE, callback=InviteState.got_browser_zone)

    @rx.event
    def got_browser_zone(self, name: str):
        self._browser_zone = name[:_ZONE_MAX] if isinstance(name, str) else ""

    @rx.event
    @off_loop
    def submit(self, form: dict):
        self._choose_password(partial(accept_invite, time_zone=self._browser_zone), form)


@page("/invite/[token]", title="Accept invitation", audience=Audience.PUBLIC, on_load=InviteState.load)
def invite_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            rx.text(
                "Welcome, ",
                rx.text.strong(InviteState.full_name),
                ". You are joining ",
                rx.text.strong(InviteState.organization),
                " as ",
                InviteState.role_label,
                ".",
            ),
            rx.text("Your sign-in email: ", rx.text.strong(InviteState.email), size="2"),
            new_password_fields(InviteState.password_error, InviteState.confirm_error),
            # Until the app has hydrated the form would submit natively, putting the password in the URL.
            rx.button("Set password", type="submit", size="3", width="100%", disabled=~rx.State.is_hydrated),
            spacing="4",
            width="100%",
        ),
        on_submit=InviteState.submit,
        no_validate=True,  # our messages sit next to the field; the browser bubble does not
        width="100%",
        aria_label="Set your password",
    )
    return public_page(
        rx.cond(
            InviteState.done,
            rx.vstack(
                rx.callout("Your password is set. You can sign in now.", icon="circle_check", color_scheme="green"),
                link_button("Go to sign in", url_for("login_page"), size="3"),
            ),
            rx.cond(
                InviteState.valid,
                form,
                rx.vstack(form_error(InviteState.problem), rx.link("Go to sign in", href=url_for("login_page"))),
            ),
        ),
        "Accept your invitation",
    )
