"""The public "request access" page: someone at a partner company asks to join its team. The answer is the same
whether or not their email matched a partner (no account enumeration); the request is rate-limited per IP."""

from __future__ import annotations

import reflex as rx

from prm_app.identity import LOGIN_PATH
from prm_app.onboarding import request_to_join
from prm_app.platform.errors import DomainError, FormInvalid
from prm_app.web.components.forms import field, form_error
from prm_app.web.layout import public_page
from prm_app.web.registry import Audience, page
from prm_app.web.state import off_loop, run_public


class RequestAccessState(rx.State):
    sent: str = ""  # the one answer
    errors: dict[str, str] = {}
    problem: str = ""  # the rate limit

    @rx.event
    def load(self):
        self.sent, self.errors, self.problem = "", {}, ""

    @rx.event
    @off_loop
    def submit(self, form: dict):
        self.errors, self.problem = {}, ""
        try:
            self.sent = run_public(
                request_to_join,
                email=str(form.get("email", ""))[:254],
                full_name=str(form.get("full_name", ""))[:200],
                ip=self.router.session.client_ip,
            )
        except FormInvalid as exc:
            self.errors = exc.errors
        except DomainError as exc:
            self.problem = exc.message


@page("/request-access", title="Request access", audience=Audience.PUBLIC, on_load=RequestAccessState.load)
def request_access_page() -> rx.Component:
    s = RequestAccessState
    form = rx.form(
        rx.vstack(
            rx.text("Work for one of our partners? Ask to join your company's team; its administrator decides."),
            form_error(s.problem),
            field("Your name", "full_name", s.errors.get("full_name", ""), autocomplete="name"),
            field("Work email", "email", s.errors.get("email", ""), type="email", autocomplete="email"),
            rx.button("Request access", type="submit", size="3", width="100%", disabled=~rx.State.is_hydrated),
            spacing="4",
            width="100%",
        ),
        on_submit=s.submit,
        reset_on_submit=False,
        no_validate=True,
        width="100%",
        aria_label="Request access",
    )
    return public_page(
        rx.vstack(
            rx.cond(
                s.sent != "", rx.callout(s.sent, icon="mail", color_scheme="green", role="status", width="100%"), form
            ),
            rx.link("Back to sign in", href=LOGIN_PATH, size="2"),
            spacing="4",
            width="100%",
        ),
        "Request access",
    )
