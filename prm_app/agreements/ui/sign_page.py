"""The partner's agreement page: read what the organization has to sign (with what changed since the version it
signed), and, as its partner admin, sign by typing your full name. Other people see who they are waiting for.

In the person's language: the page's words, and the agreement's text when the version has that language version
(English otherwise, and a choice among the languages it has: the language shown is the one signed).
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
from prm_app.platform.i18n import LANGUAGES
from prm_app.web.components.forms import field_error, field_message
from prm_app.web.components.tables import data_table
from prm_app.web.language_state import t
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
    text_language: str = ""  # the language version shown (and signed): a code of LANGUAGES
    text_languages: list[list[str]] = []  # [code, name] of each language version the agreement has
    _asked: str = ""  # the language version the person chose on this page ("": theirs, else English)
    _version_id: int = 0
    _text_sha256: str = ""

    def _reload(self) -> None:
        view, zone = self._run(with_zone, my_agreements, None, self._asked or None)
        words, language = self._words(), self.language
        self.loaded, self.can_sign = True, view.can_sign
        self.signed = [signed_row(s, zone, language) for s in view.signed]
        admins = ", ".join(view.signers) or words.text("agreements.sign.waiting_admin")
        self.waiting = words.text("agreements.sign.waiting", admins=admins)
        self.pending = bool(view.to_sign)
        if not view.to_sign:
            self.heading, self.html, self.changes, self._version_id, self._text_sha256 = "", "", [], 0, ""
            return
        first = view.to_sign[0]
        p = first.pending
        self.heading = words.text("agreements.pdf.title", template=p.template, number=p.version_number)
        count = len(view.to_sign)
        self.position = words.plural("agreements.sign.position", count) if count > 1 else ""
        self.due, self.overdue = due_text(p.due_at, first.overdue, zone, language), first.overdue
        self.reacceptance = (
            words.text("agreements.sign.reacceptance", number=p.signed_number)
            if p.signed_number is not None and first.changes
            else ""
        )
        self.html = to_page_html(first.text) if first.text else ""
        self.changes = change_rows(first.changes)
        self.text_language = first.language
        self.text_languages = [[code, LANGUAGES[code]] for code in first.languages]
        self._version_id, self._text_sha256 = p.version_id, first.text_sha256

    @rx.event
    def load(self):
        self.errors, self._asked = {}, ""
        self._reload()

    @rx.event
    def choose_language(self, code: str):
        """Show the agreement's text in another of its language versions (an unknown code shows the default)."""
        self._asked = str(code)[:8] if str(code) in LANGUAGES else ""
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
                language=self.text_language or "en",
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
        return rx.toast.success(self._words().text("agreements.sign.signed"))


def _changes() -> rx.Component:
    return rx.cond(
        SignState.reacceptance != "",
        rx.card(
            rx.heading(t("agreements.sign.what_changed"), size="4", as_="h2"),
            rx.text(SignState.reacceptance, size="2"),
            rx.text(t("agreements.sign.changes_hint"), size="1", color_scheme="gray"),
            changes_view(SignState.changes),
            width="100%",
        ),
    )


def _language_choice() -> rx.Component:
    """The language versions the agreement has (shown only when there are several): the one shown is signed."""
    return rx.cond(
        SignState.text_languages.length() > 1,
        rx.box(
            rx.el.label(t("agreements.sign.language_label"), html_for="field-text_language", class_name="field-label"),
            rx.el.select(
                rx.foreach(SignState.text_languages, lambda o: rx.el.option(o[1], value=o[0])),
                id="field-text_language",
                value=SignState.text_language,
                on_change=SignState.choose_language,
                class_name="native-select",
                custom_attrs={"aria-describedby": "text-language-hint"},
            ),
            rx.text(t("agreements.sign.language_hint"), size="1", color_scheme="gray", id="text-language-hint"),
            width="100%",
        ),
    )


def _sign_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading(t("agreements.sign.sign"), size="4", as_="h2"),
            field_error(SignState.errors, "text"),
            rx.box(
                rx.el.label(t("agreements.sign.full_name"), html_for="field-full_name", class_name="field-label"),
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
                    " ",
                    t("agreements.sign.agree"),
                    html_for="field-agree",
                    display="flex",
                    gap="0.5rem",
                    align_items="center",
                ),
                field_message(SignState.errors.get("agree", ""), "field-agree"),
                width="100%",
            ),
            field_error(SignState.errors, "language"),
            rx.button(t("agreements.sign.submit"), type="submit", size="3"),
            spacing="3",
            width="100%",
            max_width="32rem",
        ),
        on_submit=SignState.sign,
        reset_on_submit=False,
        no_validate=True,
        aria_label=t("agreements.sign.submit"),
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
                    rx.heading(t("agreements.sign.the_agreement"), size="4", as_="h2"),
                    _language_choice(),
                    rx.html(
                        SignState.html,
                        class_name="agreement-text",
                        style=AGREEMENT_TEXT,
                        custom_attrs={"lang": SignState.text_language},
                    ),
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
            rx.heading(t("agreements.sign.signed_heading"), size="4", as_="h2"),
            data_table(
                [
                    rx.fragment(t(f"agreements.sign.col_{c}"))
                    for c in ("agreement", "version", "signed_by", "signed", "language", "copy")
                ],
                SignState.signed,
                lambda s: rx.table.row(
                    rx.table.row_header_cell(s.agreement),
                    rx.table.cell(s.version),
                    rx.table.cell(s.signer, rx.text(s.typed, size="1", as_="p")),
                    rx.table.cell(s.signed),
                    rx.table.cell(s.language),
                    rx.table.cell(pdf_link(t("agreements.sign.download"), s.pdf, s.pdf_label)),
                ),
                label=t("agreements.sign.signed_heading"),
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
                t("agreements.sign.all_signed"),
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
