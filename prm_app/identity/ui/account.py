"""The signed-in person's own account: their name, title and phone, changing their password, their time zone,
and where they are signed in (with signing out any other browser, or all of them at once)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, tzinfo

import reflex as rx

from prm_app.identity.password import change_password
from prm_app.identity.profile import my_profile, update_my_profile
from prm_app.identity.rules import describe_browser
from prm_app.identity.sessions import BrowserSession, end_my_other_sessions, end_my_session, my_sessions
from prm_app.identity.time_zones import with_zone
from prm_app.identity.ui.time_zone_card import TimeZoneState, time_zone_card
from prm_app.platform.access import ROLE_LABELS, Actor
from prm_app.platform.errors import DomainError, FormInvalid
from prm_app.web.components.forms import field
from prm_app.web.components.tables import data_table
from prm_app.web.format import moment
from prm_app.web.registry import Audience, page
from prm_app.web.session_cookie import session_token_hash
from prm_app.web.state import AuthState

ACCOUNT_PATH = "/account"


@dataclass(frozen=True)
class SessionLine:
    """One signed-in browser as the account page lists it."""

    id: int
    browser: str
    user_agent: str
    ip: str
    signed_in: str
    last_active: str
    current: bool


def session_line(s: BrowserSession, zone: tzinfo = UTC) -> SessionLine:
    return SessionLine(
        id=s.id,
        browser=describe_browser(s.user_agent),
        user_agent=s.user_agent,
        ip=s.ip or "—",
        signed_in=moment(s.signed_in_at, zone),
        last_active=moment(s.last_active_at, zone),
        current=s.current,
    )


class AccountState(AuthState):
    email: str = ""
    full_name: str = ""
    title: str = ""
    phone: str = ""
    profile_errors: dict[str, str] = {}  # the profile form's messages by field: full_name, title, phone
    errors: dict[str, str] = {}  # the password form's messages by field: current, password, confirm
    sessions: list[SessionLine] = []

    def _show(self, actor: Actor) -> None:
        self.email, self.role_label = actor.email, ROLE_LABELS[actor.role]
        profile = self._run(my_profile)
        self.full_name, self.title, self.phone = profile.full_name, profile.title, profile.phone

    def _this_browser(self) -> str:
        return session_token_hash(self.router.headers.raw_headers)

    def _list_sessions(self) -> None:
        sessions, zone = self._run(with_zone, my_sessions, self._this_browser())
        self.sessions = [session_line(s, zone) for s in sessions]

    @rx.event
    def list_sessions(self):
        """The list again (after the person changed their time zone)."""
        self._list_sessions()

    @rx.event
    def load(self):
        self.profile_errors, self.errors = {}, {}
        self._show(self._actor())
        self._list_sessions()

    @rx.event
    def sign_out_session(self, session_id: int):
        """Sign out one other browser (an id not among this person's other sessions is simply not found)."""
        if not str(session_id).isdigit():
            return None
        try:
            self._run(end_my_session, int(session_id), self._this_browser())
        except DomainError as exc:
            self._list_sessions()
            return rx.toast.error(exc.message)
        self._list_sessions()
        return rx.toast.success("That browser is signed out.")

    @rx.event
    def sign_out_elsewhere(self):
        ended = self._run(end_my_other_sessions, self._this_browser())
        self._list_sessions()
        return rx.toast.success(f"Signed out of {ended} other browser{'s' if ended != 1 else ''}.")

    @rx.event
    def save_profile(self, form: dict):
        """The person's own name, title and phone (the use case takes the actor's own row; the form names no id)."""
        self.profile_errors = {}
        typed = [str(form.get(k, ""))[:200] for k in ("full_name", "title", "phone")]
        try:
            saved = self._run(update_my_profile, *typed)
        except FormInvalid as exc:
            self.profile_errors = exc.errors
            return None
        except DomainError as exc:
            self.profile_errors = {exc.field or "full_name": exc.message}
            return None
        self.full_name = self.user_name = saved.full_name
        self.title, self.phone = saved.title, saved.phone
        return [
            # The fields show what was stored (spaces tidied), as the next visit will.
            rx.set_value("field-full_name", saved.full_name),
            rx.set_value("field-title", saved.title),
            rx.set_value("field-phone", saved.phone),
            rx.toast.success("Your profile is saved."),
        ]

    @rx.event
    def change(self, form: dict):
        self.errors = {}
        # This browser's session stays signed in; every other one of this person ends.
        keep = session_token_hash(self.router.headers.raw_headers)
        try:
            self._run(
                change_password,
                str(form.get("current", "")),
                str(form.get("password", "")),
                str(form.get("confirm", "")),
                keep_token_hash=keep,
            )
        except DomainError as exc:
            self.errors = {exc.field or "current": exc.message}
            return None
        self._list_sessions()
        return [
            rx.set_value("field-current", ""),
            rx.set_value("field-password", ""),
            rx.set_value("field-confirm", ""),
            rx.toast.success("Your password is changed. You were signed out everywhere else."),
        ]


def _profile_form() -> rx.Component:
    errors = AccountState.profile_errors
    return rx.card(
        rx.heading("Your profile", size="4", as_="h2", margin_bottom="0.75rem"),
        rx.form(
            rx.vstack(
                rx.text("Sign-in email: ", rx.text.strong(AccountState.email), size="2"),
                field(
                    "Full name",
                    "full_name",
                    errors.get("full_name", ""),
                    default_value=AccountState.full_name,
                    autocomplete="name",
                ),
                field(
                    "Job title",
                    "title",
                    errors.get("title", ""),
                    default_value=AccountState.title,
                    autocomplete="organization-title",
                    required=False,
                    hint="Optional.",
                ),
                field(
                    "Phone",
                    "phone",
                    errors.get("phone", ""),
                    type="tel",
                    default_value=AccountState.phone,
                    autocomplete="tel",
                    required=False,
                    hint="Optional. Digits, spaces and + - ( ) . such as +1 415 555 0100.",
                ),
                rx.button("Save profile", type="submit", disabled=~rx.State.is_hydrated),
                spacing="3",
                width="100%",
            ),
            on_submit=AccountState.save_profile,
            reset_on_submit=False,
            no_validate=True,
            aria_label="Your profile",
        ),
        width="100%",
    )


def _password_form() -> rx.Component:
    return rx.card(
        rx.heading("Change password", size="4", as_="h2", margin_bottom="0.75rem"),
        rx.form(
            rx.vstack(
                field(
                    "Current password",
                    "current",
                    AccountState.errors.get("current", ""),
                    type="password",
                    autocomplete="current-password",
                ),
                field(
                    "New password",
                    "password",
                    AccountState.errors.get("password", ""),
                    type="password",
                    autocomplete="new-password",
                    hint="At least 10 characters.",
                ),
                field(
                    "Repeat the new password",
                    "confirm",
                    AccountState.errors.get("confirm", ""),
                    type="password",
                    autocomplete="new-password",
                ),
                rx.button("Change password", type="submit", disabled=~rx.State.is_hydrated),
                spacing="3",
                width="100%",
            ),
            on_submit=AccountState.change,
            reset_on_submit=False,
            no_validate=True,
            aria_label="Change password",
        ),
        width="100%",
    )


def _session_row(s: rx.Var[SessionLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.text(s.browser, weight="medium"),
            rx.cond(s.current, rx.badge("This browser", color_scheme="indigo", high_contrast=True)),
            rx.text(s.user_agent, size="1", color_scheme="gray", max_width="22rem", overflow_wrap="anywhere"),
        ),
        rx.table.cell(s.ip),
        rx.table.cell(s.signed_in),
        rx.table.cell(s.last_active),
        rx.table.cell(
            rx.cond(
                s.current,
                rx.text("—", aria_label="Use Sign out in the header"),
                rx.button(
                    "Sign out",
                    size="1",
                    variant="soft",
                    aria_label="Sign out " + s.browser.to(str) + ", last active " + s.last_active.to(str),
                    on_click=AccountState.sign_out_session(s.id),
                ),
            )
        ),
    )


def _sessions() -> rx.Component:
    return rx.card(
        rx.heading("Where you're signed in", size="4", as_="h2", margin_bottom="0.75rem"),
        data_table(
            ["Browser", "IP address", "Signed in", "Last active", ""],
            AccountState.sessions,
            _session_row,
            label="Your signed-in browsers",
            size="1",
        ),
        rx.cond(
            AccountState.sessions.length() > 1,
            rx.button(
                "Sign out everywhere else",
                variant="soft",
                color_scheme="red",
                on_click=AccountState.sign_out_elsewhere,
                margin_top="0.75rem",
            ),
            rx.text("You are signed in on this browser only.", size="2", color_scheme="gray", margin_top="0.5rem"),
        ),
        width="100%",
    )


@page(ACCOUNT_PATH, title="Your account", audience=Audience.ANY, on_load=[AccountState.load, TimeZoneState.load])
def account_page() -> rx.Component:
    return rx.vstack(
        rx.vstack(
            _profile_form(),
            _password_form(),
            time_zone_card(then=AccountState.list_sessions),
            spacing="5",
            width="100%",
            max_width="32rem",
        ),
        _sessions(),
        spacing="5",
        width="100%",
    )
