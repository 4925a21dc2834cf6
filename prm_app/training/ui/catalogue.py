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
from prm_app.training.certificates import my_certificates
from prm_app.training.certification_progress import my_certifications, start_renewal
from prm_app.training.learning import catalogue, catalogue_filters
from prm_app.training.requirements import REQUIRED_LABELS
from prm_app.training.rules import STATUS_LABELS, CertificateStatus
from prm_app.training.ui.media_http import FILES
from prm_app.web import format as fmt
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


@dataclass(frozen=True)
class CertificateLine:
    id: int
    certification: str
    dates: str
    status: str
    status_label: str
    verify: str


def _card(row) -> CourseCard:  # type: ignore[no-untyped-def]
    facts = " · ".join(
        p for p in (row.product, row.level.capitalize(), f"{row.minutes} min", fmt.plural(row.lessons, "lesson")) if p
    )
    action = "Review" if row.completed else ("Resume" if row.started else "Start")
    progress = f"{row.done} of {row.lessons} lessons done" if row.started else ""
    blocked = f"Complete “{row.blocked_by}” first." if row.blocked_by else ""
    asked = " and ".join(f"your {key}" for key in row.required_for)
    required = f"Required for {asked}" if asked else ""
    return CourseCard(row.course_id, row.title, row.summary, facts, action, progress, blocked, required)


REQUIRED = [("", "Every course"), *((key, label) for key, label in REQUIRED_LABELS.items())]


@dataclass(frozen=True)
class CertificationLine:
    code: str
    name: str
    progress: str  # "1 of 1 course done; valid 12 months"
    held: str  # "Valid", "Expiring soon", ... or ""
    exam_url: str  # the final exam's page when it is time to take it, else ""
    renewable: bool  # renewed by taking every course again: the Renew button starts that


def _certification(c) -> CertificationLine:  # type: ignore[no-untyped-def]
    progress = f"{c.courses_done} of {fmt.plural(c.courses_total, 'course')} done"
    if c.exam_quiz_id:
        progress += " and a final exam"
    held = STATUS_LABELS[CertificateStatus(c.held)] if c.held else ""
    return CertificationLine(
        c.code,
        c.name,
        f"{progress}; valid {c.valid_months} months",
        held,
        f"/learn/exam/{c.exam_quiz_id}" if c.exam_ready else "",
        c.renew_by_courses,
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
        rows = self._run(catalogue, self.search, self.product, self.level, self.required)
        self.courses = [_card(r) for r in rows]

    @rx.event
    def load(self):
        self.search, self.product, self.level, self.required = "", "", "", ""
        self._load()

    def _load(self) -> None:
        products, levels = self._run(catalogue_filters)
        self.products = [("", "Every product"), *((p, p) for p in products)]
        self.levels = [("", "Every level"), *((lv, lv.capitalize()) for lv in levels)]
        self._reload()
        certs, zone = self._run(with_zone, my_certificates)
        self.certificates = [
            CertificateLine(
                c.id,
                c.certification,
                f"Issued {fmt.day(c.issued_at, zone)}; valid until {fmt.day(c.expires_at, zone)}",
                c.status,
                STATUS_LABELS[CertificateStatus(c.status)],
                f"/verify/{c.code}",
            )
            for c in certs
        ]
        self.certifications = [_certification(c) for c in self._run(my_certifications)]
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
        return rx.toast.success("The courses are open again: complete them to renew your certificate.")

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
            rx.heading(c.title, as_="h3", size="4"),
            rx.text(c.facts, size="2", color_scheme="gray"),
            rx.cond(c.required != "", rx.badge(c.required, color_scheme="iris", variant="soft")),
            rx.text(c.summary, size="2"),
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
            rx.link("Printable PDF", href=f"{FILES}/certificate/" + c.id.to_string(), is_external=True),
            rx.link("Verify link", href=c.verify, is_external=True),
            spacing="4",
        ),
        class_name="certificate-line",
        margin_bottom="0.75rem",
    )


def _select(label: str, name: str, options: rx.Var) -> rx.Component:
    return rx.box(
        rx.el.label(label, html_for=f"field-{name}", class_name="field-label"),
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
        rx.text(c.progress + rx.cond(c.held != "", " · your certificate: " + c.held, ""), size="2"),
        rx.cond(c.exam_url != "", rx.link("Take the final exam: " + c.name, href=c.exam_url)),
        rx.cond(
            c.renewable,
            rx.button(
                "Renew: take the courses again",
                size="2",
                on_click=CatalogueState.renew(c.code),
                aria_label="Renew " + c.name + ": take the courses again",
            ),
        ),
        margin_bottom="0.75rem",
    )


def _filters() -> rx.Component:
    s = CatalogueState
    return rx.form(
        rx.flex(
            rx.box(
                rx.el.label("Search courses", html_for="field-search", class_name="field-label"),
                rx.input(id="field-search", name="search", type="search", max_length=80),
                flex="1 1 14rem",
            ),
            _select("Product", "product", s.products),
            _select("Level", "level", s.levels),
            _select("Required", "required", s.required_options),
            rx.button("Show courses", type="submit", align_self="end"),
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
        rx.cond(s.can_see_team, rx.link("Your team's training and certificates", href="/learn/team")),
        _filters(),
        rx.cond(
            s.courses.length() > 0,
            rx.grid(
                rx.foreach(s.courses, _course), columns=rx.breakpoints(initial="1", md="2"), spacing="4", width="100%"
            ),
            rx.text("No course matches these filters."),
        ),
        rx.heading("Certifications", as_="h2", size="5", margin_top="1rem"),
        rx.el.ul(rx.foreach(s.certifications, _certification_line), padding="0", list_style="none"),
        rx.heading("My certificates", as_="h2", size="5", margin_top="1rem"),
        rx.cond(
            s.certificates.length() > 0,
            rx.el.ul(rx.foreach(s.certificates, _certificate), padding="0", list_style="none"),
            rx.text("You have no certificates yet. Complete a certification's courses to earn one."),
        ),
        width="100%",
        spacing="4",
    )
