"""The signed-in person's own account: their name, title and phone, changing their password, their language and
time zone, and where they are signed in (with signing out any other browser, or all of them at once). Its words are
in the person's language (web/language_state.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, tzinfo

import reflex as rx

from prm_app.identity.password import change_password
from prm_app.identity.profile import my_profile, update_my_profile
from prm_app.identity.rules import describe_browser
from prm_app.identity.sessions import BrowserSession, end_my_other_sessions, end_my_session, my_sessions
from prm_app.identity.time_zones import with_zone
from prm_app.identity.ui.language_card import LanguageCardState, language_card
from prm_app.identity.ui.time_zone_card import TimeZoneState, time_zone_card
from prm_app.platform.access import Actor
from prm_app.platform.errors import DomainError, FormInvalid
from prm_app.platform.i18n import DEFAULT_LANGUAGE, catalogue
from prm_app.web.components.forms import field
from prm_app.web.components.tables import data_table
from prm_app.web.format import moment
from prm_app.web.language_state import t
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
    sign_out_label: str  # its button's accessible name: "Sign out Firefox on Linux, last active 7 Dec 2026, 11:05 UTC"


def session_line(s: BrowserSession, zone: tzinfo = UTC, language: str = DEFAULT_LANGUAGE) -> SessionLine:
    browser, last_active = describe_browser(s.user_agent), moment(s.last_active_at, zone, language=language)
    return SessionLine(
        id=s.id,
        browser=browser,
        user_agent=s.user_agent,
        ip=s.ip or "—",
        signed_in=moment(s.signed_in_at, zone, language=language),
        last_active=last_active,
        current=s.current,
        sign_out_label=catalogue(language).text("account.sign_out_session", browser=browser, when=last_active),
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
        self.email, self.role_label = actor.email, self._words().text(f"role.{actor.role.value}")
        profile = self._run(my_profile)
        self.full_name, self.title, self.phone = profile.full_name, profile.title, profile.phone

    def _this_browser(self) -> str:
        return session_token_hash(self.router.headers.raw_headers)

    def _list_sessions(self) -> None:
        sessions, zone = self._run(with_zone, my_sessions, self._this_browser())
        self.sessions = [session_line(s, zone, self.language) for s in sessions]

    @rx.event
    def list_sessions(self):
        """The list again (after the person changed their time zone or language)."""
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
        return rx.toast.success(self._words().text("account.browser_signed_out"))

    @rx.event
    def sign_out_elsewhere(self):
        ended = self._run(end_my_other_sessions, self._this_browser())
        self._list_sessions()
        return rx.toast.success(self._words().plural("account.signed_out_elsewhere", ended))

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
            rx.toast.success(self._words().text("account.profile_saved")),
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
            rx.toast.success(self._words().text("account.password_changed")),
        ]


def _profile_form() -> rx.Component:
    errors = AccountState.profile_errors
    return rx.card(
        rx.heading(t("account.profile"), size="4", as_="h2", margin_bottom="0.75rem"),
        rx.form(
            rx.vstack(
                rx.text(t("account.sign_in_email"), " ", rx.text.strong(AccountState.email), size="2"),
                field(
                    t("account.full_name"),
                    "full_name",
                    errors.get("full_name", ""),
                    default_value=AccountState.full_name,
                    autocomplete="name",
                ),
                field(
                    t("account.job_title"),
                    "title",
                    errors.get("title", ""),
                    default_value=AccountState.title,
                    autocomplete="organization-title",
                    required=False,
                    hint=t("account.optional"),
                ),
                field(
                    t("account.phone"),
                    "phone",
                    errors.get("phone", ""),
                    type="tel",
                    default_value=AccountState.phone,
                    autocomplete="tel",
                    required=False,
                    hint=t("account.phone_hint"),
                ),
                rx.button(t("account.save_profile"), type="submit", disabled=~rx.State.is_hydrated),
                spacing="3",
                width="100%",
            ),
            on_submit=AccountState.save_profile,
            reset_on_submit=False,
            no_validate=True,
            aria_label=t("account.profile"),
        ),
        width="100%",
    )


def _password_form() -> rx.Component:
    return rx.card(
        rx.heading(t("account.change_password"), size="4", as_="h2", margin_bottom="0.75rem"),
        rx.form(
            rx.vstack(
                field(
                    t("account.current_password"),
                    "current",
                    AccountState.errors.get("current", ""),
                    type="password",
                    autocomplete="current-password",
                ),
                field(
                    t("account.new_password"),
                    "password",
                    AccountState.errors.get("password", ""),
                    type="password",
                    autocomplete="new-password",
                    hint=t("account.password_hint"),
                ),
                field(
                    t("account.repeat_password"),
                    "confirm",
                    AccountState.errors.get("confirm", ""),
                    type="password",
                    autocomplete="new-password",
                ),
                rx.button(t("account.change_password"), type="submit", disabled=~rx.State.is_hydrated),
                spacing="3",
                width="100%",
            ),
            on_submit=AccountState.change,
            reset_on_submit=False,
            no_validate=True,
            aria_label=t("account.change_password"),
        ),
        width="100%",
    )


def _session_row(s: rx.Var[SessionLine]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.text(s.browser, weight="medium"),
            rx.cond(s.current, rx.badge(t("account.this_browser"), color_scheme="indigo", high_contrast=True)),
            rx.text(s.user_agent, size="1", color_scheme="gray", max_width="22rem", overflow_wrap="anywhere"),
        ),
        rx.table.cell(s.ip),
        rx.table.cell(s.signed_in),
        rx.table.cell(s.last_active),
        rx.table.cell(
            rx.cond(
                s.current,
                rx.text("—", aria_label=t("account.use_header_sign_out")),
                rx.button(
                    t("shell.sign_out"),
                    size="1",
                    variant="soft",
                    aria_label=s.sign_out_label,
                    on_click=AccountState.sign_out_session(s.id),
                ),
            )
        ),
    )


def _sessions() -> rx.Component:
    return rx.card(
        rx.heading(t("account.where_signed_in"), size="4", as_="h2", margin_bottom="0.75rem"),
        data_table(
            [
                *[
                    rx.table.column_header_cell(t(f"account.col_{name}"))
                    for name in ("browser", "ip", "signed_in", "last_active")
                ],
                "",
            ],
            AccountState.sessions,
            _session_row,
            label=t("account.browsers"),
            size="1",
        ),
        rx.cond(
            AccountState.sessions.length() > 1,
            rx.button(
                t("account.sign_out_everywhere"),
                variant="soft",
                color_scheme="red",
                on_click=AccountState.sign_out_elsewhere,
                margin_top="0.75rem",
            ),
            rx.text(t("account.only_this_browser"), size="2", color_scheme="gray", margin_top="0.5rem"),
        ),
        width="100%",
    )


@page(
    ACCOUNT_PATH,
    title="Your account",
    audience=Audience.ANY,
    on_load=[AccountState.load, LanguageCardState.load, TimeZoneState.load],
)
def account_page() -> rx.Component:
    return rx.vstack(
        rx.vstack(
            _profile_form(),
            _password_form(),
            language_card(then=[AccountState.list_sessions, TimeZoneState.load]),
            time_zone_card(then=AccountState.list_sessions),
            spacing="5",
            width="100%",
            max_width="32rem",
        ),
        _sessions(),
        spacing="5",
        width="100%",
    )
