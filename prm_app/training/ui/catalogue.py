"""The partners' Learning page: the catalogue of the courses their partner may take (search, product, level, and
what requires a course: the partner's tier or its onboarding) with their own status per course (Start / Resume /
Review), and their certificates with a printable PDF and the public verify link. Partner admins reach their team's
view from here."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from prm_app.identity import with_zone
from prm_app.platform.access import Permission
from prm_app.platform.errors import DomainError, NotFound
from prm_app.platform.i18n import Catalogue
from prm_app.training.certificates import my_certificates
from prm_app.training.certification_progress import my_certifications, start_renewal
from prm_app.training.learning import catalogue, catalogue_filters
from prm_app.training.requirements import REQUIRED_LABELS
from prm_app.training.rules import LEVELS
from prm_app.training.ui.media_http import FILES
from prm_app.web import format as fmt
from prm_app.web.language_state import t
from prm_app.web.registry import Audience, Nav, page
from prm_app.web.state import AuthState


@dataclass(frozen=True)
class CourseCard:
    id: int
    title: str
    summary: str
    facts: str  # "Core Platform · Foundation · 25 min · 4 lessons"
    action: str  # Start, Resume, Review
    progress: str  # "2 of 4 lessons done", "" before starting
    blocked: str  # "Complete “Core Platform essentials” first.", "" when open
    required: str = ""  # "Required for your tier and your onboarding", "" when nothing asks for it
    language: str = "en"  # the language of its title and summary (the reader's, else the fallback)


@dataclass(frozen=True)
class CertificateLine:
    id: int
    certification: str
    dates: str
    status: str
    status_label: str
    verify: str


def level_text(level: str, words: Catalogue) -> str:
    return words.text(f"training.level_{level}") if level in LEVELS else level.capitalize()


def _card(row, words: Catalogue) -> CourseCard:  # type: ignore[no-untyped-def]
    minutes, lessons = words.text("training.minutes", n=row.minutes), words.plural("training.lesson_count", row.lessons)
    facts = " · ".join(p for p in (row.product, level_text(row.level, words), minutes, lessons) if p)
    action = words.text(
        "training.review" if row.completed else ("training.resume" if row.started else "training.start")
    )
    progress = words.plural("training.lessons_done", row.lessons, done=row.done) if row.started else ""
    blocked = words.text("training.complete_first", title=row.blocked_by) if row.blocked_by else ""
    asked = "_".join(row.required_for)  # "tier", "onboarding", "tier_onboarding"
    required = words.text(f"training.required_for_{asked}") if asked else ""
    return CourseCard(row.course_id, row.title, row.summary, facts, action, progress, blocked, required, row.language)


def _required_options(words: Catalogue) -> list[tuple[str, str]]:
    return [
        ("", words.text("training.every_course")),
        *((k, words.text(f"training.required_{k}")) for k in REQUIRED_LABELS),
    ]


REQUIRED = [("", "Every course"), *((key, label) for key, label in REQUIRED_LABELS.items())]


@dataclass(frozen=True)
class CertificationLine:
    code: str
    name: str
    progress: str  # "1 of 1 course done; valid 12 months"
    held: str  # "Valid", "Expiring soon", ... or ""
    exam_url: str  # the final exam's page when it is time to take it, else ""
    renewable: bool  # renewed by taking every course again: the Renew button starts that
    renew_label: str = ""  # "Renew <name>: take the courses again"


def _certification(c, words: Catalogue) -> CertificationLine:  # type: ignore[no-untyped-def]
    progress = words.plural("training.courses_done", c.courses_total, done=c.courses_done)
    if c.exam_quiz_id:
        progress = words.text("training.with_exam", progress=progress)
    held = words.text(f"training.status_{c.held}") if c.held else ""
    return CertificationLine(
        c.code,
        c.name,
        words.plural("training.valid_for", c.valid_months, progress=progress),
        held,
        f"/learn/exam/{c.exam_quiz_id}" if c.exam_ready else "",
        c.renew_by_courses,
        words.text("training.renew_named", name=c.name),
    )


class CatalogueState(AuthState):
    courses: list[CourseCard] = []
    certificates: list[CertificateLine] = []
    certifications: list[CertificationLine] = []
    products: list[tuple[str, str]] = [("", "Every product")]
    levels: list[tuple[str, str]] = [("", "Every level")]
    search: str = ""
    product: str = ""
    level: str = ""
    required: str = ""
    required_options: list[tuple[str, str]] = REQUIRED
    can_see_team: bool = False

    def _reload(self) -> None:
        rows = self._run(catalogue, self.search, self.product, self.level, self.required, reader=self.language)
        words = self._words()
        self.courses = [_card(r, words) for r in rows]

    @rx.event
    def load(self):
        self.search, self.product, self.level, self.required = "", "", "", ""
        self._load()

    def _load(self) -> None:
        products, levels = self._run(catalogue_filters)
        words, language = self._words(), self.language
        self.products = [("", words.text("training.every_product")), *((p, p) for p in products)]
        self.levels = [("", words.text("training.every_level")), *((lv, level_text(lv, words)) for lv in levels)]
        self.required_options = _required_options(words)
        self._reload()
        certs, zone = self._run(with_zone, my_certificates)
        self.certificates = [
            CertificateLine(
                c.id,
                c.certification,
                words.text(
                    "training.issued",
                    issued=fmt.day(c.issued_at, zone, language=language),
                    until=fmt.day(c.expires_at, zone, language=language),
                ),
                c.status,
                words.text(f"training.status_{c.status}"),
                f"/verify/{c.code}",
            )
            for c in certs
        ]
        self.certifications = [_certification(c, words) for c in self._run(my_certifications)]
        self.can_see_team = self._actor().can(Permission.MANAGE_TEAM)

    @rx.event
    def renew(self, code: str):
        """Renew a certificate by taking its courses again (its rule says so, and it is expiring or expired)."""
        try:
            self._run(start_renewal, str(code)[:40])
        except NotFound:
            return None
        except DomainError as exc:
            if type(exc) is not DomainError:
                raise
            return rx.toast.error(exc.message)
        self._load()
        return rx.toast.success(self._words().text("training.renew_started"))

    @rx.event
    def filter(self, form: dict):
        if not isinstance(form, dict):
            return
        self.search = str(form.get("search", ""))[:80]
        self.product = str(form.get("product", ""))[:80]
        self.level = str(form.get("level", ""))[:20]
        self.required = str(form.get("required", ""))[:20]
        self._reload()


def _course(c: rx.Var[CourseCard]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(c.title, as_="h3", size="4", lang=c.language),
            rx.text(c.facts, size="2", color_scheme="gray"),
            rx.cond(c.required != "", rx.badge(c.required, color_scheme="iris", variant="soft")),
            rx.text(c.summary, size="2", lang=c.language),
            rx.cond(c.progress != "", rx.text(c.progress, size="2", weight="medium")),
            rx.cond(
                c.blocked != "",
                rx.text(c.blocked, size="2", color_scheme="amber"),
                rx.link(
                    rx.button(c.action, size="2", tab_index=-1),
                    href="/learn/" + c.id.to_string(),
                    aria_label=c.action + ": " + c.title,
                ),
            ),
            spacing="2",
            align="start",
        ),
        class_name="course-card",
        width="100%",
    )


def _certificate(c: rx.Var[CertificateLine]) -> rx.Component:
    return rx.el.li(
        rx.text(c.certification, weight="bold"),
        rx.text(c.dates + " · " + c.status_label, size="2"),
        rx.hstack(
            rx.link(t("training.printable_pdf"), href=f"{FILES}/certificate/" + c.id.to_string(), is_external=True),
            rx.link(t("training.verify_link"), href=c.verify, is_external=True),
            spacing="4",
        ),
        class_name="certificate-line",
        margin_bottom="0.75rem",
    )


def _select(label: str, name: str, options: rx.Var) -> rx.Component:
    return rx.box(
        rx.el.label(t(label), html_for=f"field-{name}", class_name="field-label"),
        rx.el.select(
            rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0])),
            id=f"field-{name}",
            name=name,
            class_name="native-select",
        ),
        flex="1 1 10rem",
    )


def _certification_line(c: rx.Var[CertificationLine]) -> rx.Component:
    return rx.el.li(
        rx.text(c.name, weight="bold"),
        rx.text(
            c.progress + rx.cond(c.held != "", " · " + t("training.your_certificate") + " " + c.held, ""), size="2"
        ),
        rx.cond(c.exam_url != "", rx.link(t("training.take_exam") + " " + c.name, href=c.exam_url)),
        rx.cond(
            c.renewable,
            rx.button(
                t("training.renew"),
                size="2",
                on_click=CatalogueState.renew(c.code),
                aria_label=c.renew_label,
            ),
        ),
        margin_bottom="0.75rem",
    )


def _filters() -> rx.Component:
    s = CatalogueState
    return rx.form(
        rx.flex(
            rx.box(
                rx.el.label(t("training.search_courses"), html_for="field-search", class_name="field-label"),
                rx.input(id="field-search", name="search", type="search", max_length=80),
                flex="1 1 14rem",
            ),
            _select("training.product", "product", s.products),
            _select("training.level", "level", s.levels),
            _select("training.required", "required", s.required_options),
            rx.button(t("training.show_courses"), type="submit", align_self="end"),
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
        on_submit=s.filter,
        reset_on_submit=False,
        width="100%",
    )


@page(
    "/learn",
    title="Learning",
    audience=Audience.PARTNER,
    nav=Nav("Learning", "graduation-cap", 35),
    on_load=CatalogueState.load,
)
def learning_page() -> rx.Component:
    s = CatalogueState
    return rx.vstack(
        rx.cond(s.can_see_team, rx.link(t("training.team_link"), href="/learn/team")),
        _filters(),
        rx.cond(
            s.courses.length() > 0,
            rx.grid(
                rx.foreach(s.courses, _course), columns=rx.breakpoints(initial="1", md="2"), spacing="4", width="100%"
            ),
            rx.text(t("training.no_course")),
        ),
        rx.heading(t("training.certifications"), as_="h2", size="5", margin_top="1rem"),
        rx.el.ul(rx.foreach(s.certifications, _certification_line), padding="0", list_style="none"),
        rx.heading(t("training.my_certificates"), as_="h2", size="5", margin_top="1rem"),
        rx.cond(
            s.certificates.length() > 0,
            rx.el.ul(rx.foreach(s.certificates, _certificate), padding="0", list_style="none"),
            rx.text(t("training.no_certificates")),
        ),
        width="100%",
        spacing="4",
    )
