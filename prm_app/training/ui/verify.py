"""The public verify page /verify/<code>: anyone holding a certificate's link or code sees the holder, the
certification, the issue and expiry dates and its status now (valid, expiring soon, expired, revoked, or replaced
by a renewal). The code is the credential; an unknown code says so and nothing else. The page speaks the visitor's
browser language (Accept-Language) when it is one we ship, English otherwise."""

from __future__ import annotations

import reflex as rx

from prm_app.platform.i18n import DEFAULT_LANGUAGE, from_accept_language
from prm_app.training.certificates import verify_certificate
from prm_app.web import format as fmt
from prm_app.web.language_state import LanguageState, t
from prm_app.web.layout import public_page
from prm_app.web.registry import Audience, page
from prm_app.web.state import off_loop, run_public

COLOURS = {"valid": "green", "expiring": "amber", "expired": "red", "revoked": "red", "superseded": "gray"}


class VerifyState(LanguageState):
    loaded: bool = False
    known: bool = False
    holder: str = ""
    certification: str = ""
    issued: str = ""
    expires: str = ""
    status: str = ""
    status_label: str = ""

    @rx.event
    @off_loop
    def load(self):
        code = self.router.url.path.rstrip("/").rsplit("/", 1)[-1][:40]
        self._show_language(from_accept_language(self.router.headers.accept_language) or DEFAULT_LANGUAGE)
        view = run_public(verify_certificate, code)
        self.loaded, self.known = True, view is not None
        if view is None:
            self.holder = self.certification = self.issued = self.expires = self.status = self.status_label = ""
            return
        self.holder, self.certification = view.holder, view.certification
        self.issued = fmt.day(view.issued_at, language=self.language)
        self.expires = fmt.day(view.expires_at, language=self.language)
        self.status, self.status_label = view.status, self._words().text(f"verify.status.{view.status}")


def _fact(label: rx.Var, value: rx.Var) -> rx.Component:
    return rx.box(rx.text(label, size="2", color_scheme="gray"), rx.text(value, weight="medium"))


def _body() -> rx.Component:
    s = VerifyState
    return rx.cond(
        s.loaded,
        rx.cond(
            s.known,
            rx.vstack(
                rx.badge(
                    s.status_label,
                    size="3",
                    id="certificate-status",
                    color_scheme=rx.match(s.status, *COLOURS.items(), "gray"),
                ),
                _fact(t("verify.holder"), s.holder),
                _fact(t("verify.certification"), s.certification),
                _fact(t("verify.issued"), s.issued),
                _fact(t("verify.valid_until"), s.expires),
                spacing="3",
                align="start",
            ),
            rx.callout(
                t("verify.unknown"),
                icon="circle_alert",
                color_scheme="gray",
                role="alert",
            ),
        ),
        rx.text(t("verify.checking")),
    )


@page("/verify/[code]", title="Verify a certificate", audience=Audience.PUBLIC, on_load=VerifyState.load)
def verify_page() -> rx.Component:
    return public_page(_body(), t("verify.title"))
