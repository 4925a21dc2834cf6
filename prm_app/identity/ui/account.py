"""The signed-in person's own account: their name, and changing their password."""

from __future__ import annotations

import reflex as rx

from prm_app.identity.password import change_password, rename_self
from prm_app.platform.access import ROLE_LABELS, Actor
from prm_app.platform.errors import DomainError
from prm_app.web.components.forms import field
from prm_app.web.registry import Audience, page
from prm_app.web.session_cookie import session_token_hash
from prm_app.web.state import AuthState

ACCOUNT_PATH = "/account"


class AccountState(AuthState):
    email: str = ""
    full_name: str = ""
    name_error: str = ""
    errors: dict[str, str] = {}  # the password form's messages by field: current, password, confirm

    def _show(self, actor: Actor) -> None:
        self.email, self.full_name, self.role_label = actor.email, actor.name, ROLE_LABELS[actor.role]

    @rx.event
    def load(self):
        self.name_error, self.errors = "", {}
        self._show(self._actor())

    @rx.event
    def rename(self, form: dict):
        self.name_error = ""
        try:
            self.full_name = self.user_name = self._run(rename_self, str(form.get("full_name", ""))[:200])
        except DomainError as exc:
            self.name_error = exc.message
            return None
        return rx.toast.success("Your name is saved.")

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
        return [
            rx.set_value("field-current", ""),
            rx.set_value("field-password", ""),
            rx.set_value("field-confirm", ""),
            rx.toast.success("Your password is changed. You were signed out everywhere else."),
        ]


def _name_form() -> rx.Component:
    return rx.card(
        rx.heading("Your name", size="4", as_="h2", margin_bottom="0.75rem"),
        rx.form(
            rx.vstack(
                rx.text("Sign-in email: ", rx.text.strong(AccountState.email), size="2"),
                field(
                    "Full name",
                    "full_name",
                    AccountState.name_error,
                    default_value=AccountState.full_name,
                    autocomplete="name",
                ),
                rx.button("Save name", type="submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=AccountState.rename,
            reset_on_submit=False,
            no_validate=True,
            aria_label="Your name",
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


@page(ACCOUNT_PATH, title="Your account", audience=Audience.ANY, on_load=AccountState.load)
def account_page() -> rx.Component:
    return rx.vstack(_name_form(), _password_form(), spacing="5", width="100%", max_width="32rem")
