"""The partner's agreement page: read what the organization has to sign (with what changed since the version it
signed), and, as its partner admin, sign by typing your full name. Other people see who they are waiting for.
"""

from __future__ import annotations

import reflex as rx

from prm_app.agreements import my_agreements, sign_agreement
from prm_app.agreements.rendering import to_page_html
from prm_app.agreements.ui.changes import changes_view
from prm_app.agreements.ui.display import ChangeRow, SignedRow, change_rows, due_text, signed_row
from prm_app.agreements.ui.gate import AGREEMENT_PAGE
from prm_app.agreements.ui.pdf_link import pdf_link
from prm_app.identity import with_zone
from prm_app.platform.errors import DomainError, FormInvalid, NotAuthenticated, PermissionDenied
from prm_app.web.components.forms import field_error, field_message
from prm_app.web.components.tables import data_table
from prm_app.web.registry import Audience, page
from prm_app.web.state import AuthState

# The rendered text's own elements (the app's reset leaves headings, paragraphs and lists unstyled).
AGREEMENT_TEXT = {
    "& h3": {"font_size": "1.35rem", "font_weight": "700", "margin": "0.75rem 0 0.5rem"},
    "& h4, & h5, & h6": {"font_size": "1.1rem", "font_weight": "700", "margin": "0.75rem 0 0.4rem"},
    "& p": {"margin": "0.5rem 0", "line_height": "1.6"},
    "& ul": {"list_style": "disc", "padding_left": "1.5rem", "margin": "0.5rem 0"},
    "& ol": {"list_style": "decimal", "padding_left": "1.5rem", "margin": "0.5rem 0"},
    "& li": {"margin": "0.25rem 0"},
    "& blockquote": {"border_left": "3px solid", "padding_left": "0.75rem", "margin": "0.5rem 0"},
    "& a": {"text_decoration": "underline"},
}


class SignState(AuthState):
    loaded: bool = False
    pending: bool = False
    heading: str = ""  # "Partner Program Agreement, version 3"
    position: str = ""  # "1 of 2 agreements to sign" when there are several
    due: str = ""
    overdue: bool = False
    reacceptance: str = ""  # "You signed version 2; here is what changed." ("" for a first signature)
    html: str = ""  # sanitized (agreements/rendering.py)
    changes: list[ChangeRow] = []
    can_sign: bool = False
    waiting: str = ""
    signed: list[SignedRow] = []
    errors: dict[str, str] = {}
    _version_id: int = 0
    _text_sha256: str = ""

    def _reload(self) -> None:
        view, zone = self._run(with_zone, my_agreements)
        self.loaded, self.can_sign = True, view.can_sign
        self.signed = [signed_row(s, zone) for s in view.signed]
        admins = " or ".join(view.signers) or "your organization's partner admin"
        self.waiting = f"Waiting for {admins} to sign the agreement for your organization."
        self.pending = bool(view.to_sign)
        if not view.to_sign:
            self.heading, self.html, self.changes, self._version_id, self._text_sha256 = "", "", [], 0, ""
            return
        first = view.to_sign[0]
        p = first.pending
        self.heading = f"{p.template}, version {p.version_number}"
        count = len(view.to_sign)
        self.position = f"1 of {count} agreements to sign" if count > 1 else ""
        self.due, self.overdue = due_text(p.due_at, first.overdue, zone), first.overdue
        self.reacceptance = (
            f"Your organization signed version {p.signed_number}. This is what changed since then."
            if p.signed_number is not None and first.changes
            else ""
        )
        self.html = to_page_html(first.text) if first.text else ""
        self.changes = change_rows(first.changes)
        self._version_id, self._text_sha256 = p.version_id, first.text_sha256

    @rx.event
    def load(self):
        self.errors = {}
        self._reload()

    @rx.event
    def sign(self, form: dict):
        """Sign the agreement shown (its version and text hash are this page's own, kept on the server)."""
        try:
            self._run(
                sign_agreement,
                self._version_id,
                typed_name=str(form.get("full_name", ""))[:200],
                agreed=form.get("agree") in ("on", True, "true"),
                shown_sha256=self._text_sha256,
                user_agent=self.router.headers.user_agent,
            )
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        except (NotAuthenticated, PermissionDenied):
            raise
        except DomainError as exc:  # the text changed meanwhile, or nothing is left to sign: show it afresh
            self._reload()
            self.errors = {exc.field or "full_name": exc.message}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success("Signed. Thank you: a copy is in the list below.")


def _changes() -> rx.Component:
    return rx.cond(
        SignState.reacceptance != "",
        rx.card(
            rx.heading("What changed", size="4", as_="h2"),
            rx.text(SignState.reacceptance, size="2"),
            rx.text("Added text is underlined, removed text is struck through.", size="1", color_scheme="gray"),
            changes_view(SignState.changes),
            width="100%",
        ),
    )


def _sign_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading("Sign", size="4", as_="h2"),
            field_error(SignState.errors, "text"),
            rx.box(
                rx.el.label("Your full name, as on your account", html_for="field-full_name", class_name="field-label"),
                rx.input(
                    id="field-full_name",
                    name="full_name",
                    auto_complete="name",
                    size="3",
                    width="100%",
                    custom_attrs={
                        "aria-describedby": "field-full_name-error",
                        "aria-invalid": rx.cond(SignState.errors.contains("full_name"), "true", "false"),
                    },
                ),
                field_error(SignState.errors, "full_name"),
                width="100%",
            ),
            rx.box(
                rx.el.label(
                    rx.el.input(type="checkbox", name="agree", id="field-agree", aria_describedby="field-agree-error"),
                    " I have read and agree to this agreement on behalf of my organization",
                    html_for="field-agree",
                    display="flex",
                    gap="0.5rem",
                    align_items="center",
                ),
                field_message(SignState.errors.get("agree", ""), "field-agree"),
                width="100%",
            ),
            rx.button("Sign the agreement", type="submit", size="3"),
            spacing="3",
            width="100%",
            max_width="32rem",
        ),
        on_submit=SignState.sign,
        reset_on_submit=False,
        no_validate=True,
        aria_label="Sign the agreement",
    )


def _pending() -> rx.Component:
    return rx.vstack(
        rx.heading(SignState.heading, size="5", as_="h2"),
        rx.cond(SignState.position != "", rx.text(SignState.position, size="2")),
        rx.callout(SignState.due, icon="info", color_scheme=rx.cond(SignState.overdue, "amber", "blue"), width="100%"),
        rx.cond(
            SignState.can_sign,
            rx.vstack(
                _changes(),
                rx.card(
                    rx.heading("The agreement", size="4", as_="h2"),
                    rx.html(SignState.html, class_name="agreement-text", style=AGREEMENT_TEXT),
                    width="100%",
                ),
                _sign_form(),
                spacing="4",
                width="100%",
            ),
            rx.callout(SignState.waiting, icon="hourglass", color_scheme="gray", width="100%", id="waiting"),
        ),
        spacing="4",
        width="100%",
    )


def _signed() -> rx.Component:
    return rx.cond(
        SignState.signed.length() > 0,
        rx.vstack(
            rx.heading("Signed agreements", size="4", as_="h2"),
            data_table(
                ["Agreement", "Version", "Signed by", "Signed", "Copy"],
                SignState.signed,
                lambda s: rx.table.row(
                    rx.table.row_header_cell(s.agreement),
                    rx.table.cell(s.version),
                    rx.table.cell(s.signer, rx.text("typed “", s.typed_name, "”", size="1", as_="p")),
                    rx.table.cell(s.signed),
                    rx.table.cell(pdf_link("Download PDF", s.pdf, f"Download PDF of {s.agreement} {s.version}")),
                ),
                label="Signed agreements",
            ),
            width="100%",
        ),
    )


@page(
    AGREEMENT_PAGE,
    title="Partner agreement",
    audience=Audience.PARTNER,
    on_load=SignState.load,
)  # no header entry: the gate and its banner lead here, and the organization page links to the signed copies
def agreement_page() -> rx.Component:
    return rx.vstack(
        rx.cond(
            SignState.loaded & ~SignState.pending,
            rx.callout(
                "Your organization has signed every agreement that applies to it.",
                icon="circle_check",
                color_scheme="green",
                width="100%",
            ),
        ),
        rx.cond(SignState.pending, _pending()),
        # While something waits for the partner admin, the others see only who they wait for.
        rx.cond(SignState.can_sign | ~SignState.pending, _signed()),
        spacing="5",
        width="100%",
        max_width="52rem",
    )
