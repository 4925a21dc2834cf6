"""Apply to become a partner (public, no sign-in): /apply lists the open programs (or opens the only one), and
/apply/<program> is its form. The reference number shows on screen and comes by email; a refusal (already applied,
already a partner, too many tries) shows above the form, with what was typed kept.

Public handlers: the program comes from the page's address, the funnel's visit id is made here (a backend var the
browser never sees or sets), and the use cases decide everything else (web/state.py `run_public`)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import reflex as rx

from prm_app.partners import type_label
from prm_app.platform.errors import DomainError, FormInvalid, NotFound
from prm_app.platform.i18n import reader_language
from prm_app.recruitment import open_program, open_programs, record_step, submit_application
from prm_app.recruitment.ui.form import FieldView, application_fields, field_views
from prm_app.web.components.forms import form_error
from prm_app.web.language_state import LanguageState, t
from prm_app.web.registry import Audience, page
from prm_app.web.state import off_loop, run_public


@dataclass
class ProgramLink:
    slug: str = ""
    name: str = ""
    kind: str = ""
    intro_html: str = ""


def public_frame(title: rx.Var | str, *body: rx.Component) -> rx.Component:
    """A public page wider than the sign-in card: the form needs room, and reads at 375 px too."""
    return rx.el.main(
        rx.box(
            rx.hstack(rx.text("Open PRM", size="4", weight="bold", as_="p", color_scheme="indigo"), align="center"),
            rx.heading(title, size="7", as_="h1", margin_y="0.75rem"),
            *body,
            max_width="44rem", margin="0 auto", padding="1.25rem 1rem 3rem",
        ),
        id="main",
        custom_attrs={"data-hydrated": rx.cond(rx.State.is_hydrated, "true", "false")},
    )  # fmt: skip


def intro(html: rx.Var) -> rx.Component:
    return rx.box(
        rx.html(html),  # sanitized by rules.intro_html
        class_name="program-intro",
        width="100%",
        style={
            "& h2": {"font_size": "1.25rem", "font_weight": "700", "margin": "0.25rem 0 0.5rem"},
            "& h3, & h4": {"font_weight": "700", "margin": "0.5rem 0"},
            "& p": {"margin": "0.5rem 0"},
            "& ul, & ol": {"padding_left": "1.5rem", "margin": "0.5rem 0"},
            "& ul": {"list_style": "disc"},
            "& ol": {"list_style": "decimal"},
        },
    )


class ProgramsState(LanguageState):
    programs: list[ProgramLink] = []

    @rx.event
    @off_loop
    def load(self):
        self._show_language(reader_language(self.router.headers.accept_language))
        cards = run_public(open_programs)
        self.programs = [ProgramLink(p.slug, p.name, type_label(p.partner_type), p.intro_html) for p in cards]
        if len(cards) == 1:
            return rx.redirect(f"/apply/{cards[0].slug}")
        return None


@page("/apply", title="Become a partner", audience=Audience.PUBLIC, on_load=ProgramsState.load)
def programs_page() -> rx.Component:
    return public_frame(
        t("recruitment.apply.become_partner"),
        rx.text(t("recruitment.apply.choose_program"), margin_bottom="1rem"),
        rx.cond(
            ProgramsState.programs.length() > 0,
            rx.vstack(
                rx.foreach(
                    ProgramsState.programs,
                    lambda p: rx.card(
                        rx.heading(p.name, size="5", as_="h2"),
                        rx.text(t("recruitment.apply.partner_type"), " ", p.kind, size="2", color_scheme="gray"),
                        intro(p.intro_html),
                        rx.link(
                            t("recruitment.apply.apply_to").replace("{program}", p.name),
                            href="/apply/" + p.slug,
                            weight="bold",
                        ),
                        width="100%",
                    ),
                ),
                spacing="4",
            ),
            rx.text(t("recruitment.apply.no_programs")),
        ),
    )


class ApplyState(LanguageState):
    found: bool = True
    name: str = ""
    intro_html: str = ""
    fields: list[FieldView] = []
    values: dict[str, str] = {}  # always empty here: the form is new (the resubmit page fills its own)
    errors: dict[str, str] = {}
    problem: str = ""
    reference: str = ""
    email: str = ""
    _slug: str = ""
    _visit: str = ""
    _started: bool = False

    @rx.event
    @off_loop
    def load(self):
        self._slug = self.router.url.path.rstrip("/").rsplit("/", 1)[-1][:60]
        self.errors, self.problem, self.reference, self.email = {}, "", "", ""
        self._show_language(reader_language(self.router.headers.accept_language))  # as the sign-in page does
        try:
            program = run_public(open_program, self._slug)
        except NotFound:
            self.found = False
            return
        self.found, self.name, self.intro_html = True, program.name, program.intro_html
        self.fields = field_views(program)
        self._visit, self._started = secrets.token_urlsafe(12), False
        run_public(record_step, self._slug, self._visit, "visited", ip=self.router.session.client_ip or "")

    @rx.event
    @off_loop
    def started(self):
        """The first focus in the form: the funnel's "started" step, once per visit."""
        if self._visit and not self._started:
            self._started = True
            run_public(record_step, self._slug, self._visit, "started", ip=self.router.session.client_ip or "")

    @rx.event
    @off_loop
    def submit(self, form: dict):
        self.errors, self.problem = {}, ""
        try:
            done = run_public(
                submit_application, self._slug, form, visit=self._visit, ip=self.router.session.client_ip or "",
                language=self.language,
            )  # fmt: skip
        except FormInvalid as exc:
            self.errors = exc.errors
            return rx.set_focus(f"field-{next(iter(exc.errors))}")
        except NotFound:
            self.found = False
            return None
        except DomainError as exc:
            self.problem = exc.message
            return rx.scroll_to("apply-problem")
        self.reference, self.email = done.reference, done.email
        return None


def confirmation(reference: rx.Var, email: rx.Var) -> rx.Component:
    return rx.callout(
        rx.text(t("recruitment.apply.received"), " ", t("recruitment.apply.reference"), " ",
                rx.text.strong(reference, id="reference"), ". ", t("recruitment.apply.sent_to"), " ",
                rx.text.strong(email)),
        icon="circle_check", color_scheme="green", role="status", width="100%",
    )  # fmt: skip


@page("/apply/[program]", title="Apply", audience=Audience.PUBLIC, on_load=ApplyState.load)
def apply_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            application_fields(ApplyState.errors, ApplyState.values, ApplyState.fields),
            rx.button(t("recruitment.apply.send"), type="submit", size="3", disabled=~rx.State.is_hydrated),
            spacing="4",
            width="100%",
        ),
        on_submit=ApplyState.submit,
        on_focus=ApplyState.started,
        no_validate=True,
        reset_on_submit=False,
        aria_label="Application",
        width="100%",
    )
    return public_frame(
        rx.cond(ApplyState.found, ApplyState.name, t("recruitment.apply.heading")),
        rx.cond(
            ApplyState.found,
            rx.cond(
                ApplyState.reference != "",
                confirmation(ApplyState.reference, ApplyState.email),
                rx.vstack(
                    intro(ApplyState.intro_html),
                    rx.box(form_error(ApplyState.problem), id="apply-problem", width="100%"),
                    form,
                    spacing="4",
                    width="100%",
                ),
            ),
            rx.vstack(
                rx.callout(t("recruitment.apply.closed"), icon="circle_alert", role="alert"),
                rx.link(t("recruitment.apply.see_programs"), href="/apply"),
            ),
        ),
    )
