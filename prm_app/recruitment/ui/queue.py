"""The applications queue for the channel team: filters, sort and paging done in SQL, each row's score and age,
and bulk approve / reject of the rows ticked. The nav shows how many applications wait for a decision."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from prm_app.partners import country_name, directory_filter_options
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import FormInvalid
from prm_app.recruitment import QueueQuery, all_programs, bulk_decide, pending_count, queue
from prm_app.recruitment.rules import REJECT_REASONS, STATUS_LABELS
from prm_app.web.components.forms import field_error
from prm_app.web.components.tables import data_table, pager
from prm_app.web.format import plural
from prm_app.web.registry import Audience, Badge, Nav, page
from prm_app.web.state import AuthState

STATUS_FILTER = [("open", "Waiting for a decision"), ("", "Any status"), *STATUS_LABELS.items()]
SORT_OPTIONS = [("newest", "Newest first"), ("oldest", "Oldest first"), ("score", "Highest score"),
                ("company", "Company A–Z")]  # fmt: skip
REVIEWER_OPTIONS = [("", "Anyone"), ("me", "Taken by me"), ("none", "Not taken")]


@dataclass
class QueueLine:
    id: int = 0
    reference: str = ""
    company: str = ""
    country: str = ""
    program: str = ""
    status: str = ""
    score: int = 0
    age: str = ""
    reviewer: str = ""


@dataclass
class Option:
    value: str = ""
    label: str = ""


def _view(session: Session, actor: Actor, query: QueueQuery) -> tuple:
    can_decide = actor.can(Permission.RECRUIT_PARTNERS)
    programs = all_programs(session, actor) if can_decide else []
    managers = directory_filter_options(session, actor).managers if can_decide else []
    return queue(session, actor, query), programs, managers, can_decide, actor.user_id


class QueueState(AuthState):
    rows: list[QueueLine] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    status: str = "open"
    program: str = ""
    reviewer: str = ""
    sort: str = "newest"
    q: str = ""
    programs: list[Option] = []
    managers: list[Option] = []
    manager: str = ""
    can_decide: bool = False
    selected: list[int] = []
    errors: dict[str, str] = {}
    outcome: str = ""

    def _reload(self) -> None:
        query = QueueQuery(self.status, int(self.program or 0), self.reviewer, self.q, self.sort, self.page)
        found, programs, managers, self.can_decide, me = self._run(_view, query)
        now = utcnow()
        self.rows = [
            QueueLine(r.id, r.reference, r.company, country_name(r.country), r.program, STATUS_LABELS[r.status],
                      r.score, plural((now - r.submitted_at).days, "day"), r.reviewer or "—")
            for r in found.rows
        ]  # fmt: skip
        self.total, self.page, self.pages = found.total, found.page, found.pages
        self.programs = [Option("", "Every program"), *(Option(str(p.id), p.name) for p in programs)]
        self.managers = [Option(str(m.id), m.name) for m in managers]
        if not self.manager and me is not None and any(m.id == me for m in managers):
            self.manager = str(me)
        shown = {r.id for r in found.rows}
        self.selected = [i for i in self.selected if i in shown]

    @rx.event
    def load(self):
        self.errors, self.outcome = {}, ""
        self._reload()

    @rx.event
    def filter(self, name: str, value: str):
        if name in {"status", "program", "reviewer", "sort"}:
            setattr(self, name, str(value)[:40])
        self.page = 1
        self._reload()

    @rx.event
    def search(self, form: dict):
        self.q, self.page = str(form.get("q", ""))[:100], 1
        self._reload()

    @rx.event
    def go_to(self, page: int):
        self.page = max(1, int(page))
        self._reload()

    @rx.event
    def toggle(self, application_id: int):
        i = int(application_id)
        self.selected = [s for s in self.selected if s != i] if i in self.selected else [*self.selected, i]

    @rx.event
    def choose_manager(self, value: str):
        self.manager = str(value)[:12]

    @rx.event
    def bulk(self, form: dict):
        decision = "approved" if form.get("decision") == "approve" else "rejected"
        try:
            result = self._run(
                bulk_decide, list(self.selected), decision, channel_manager_id=int(self.manager or 0) or None,
                reason=str(form.get("reason", "")), note=str(form.get("note", "")),
            )  # fmt: skip
        except FormInvalid as exc:
            self.errors = exc.errors
            return None
        self.errors = {}
        self.outcome = f"{plural(result.done, 'application')} {decision}." + (
            " Left as they were: " + "; ".join(result.refused) if result.refused else ""
        )
        self.selected = []
        self._reload()
        return rx.toast.success(self.outcome)


def _select(label: str, name: str, options, value) -> rx.Component:
    items = (
        [rx.el.option(t, value=v) for v, t in options]
        if isinstance(options, list)
        else [rx.foreach(options, lambda o: rx.el.option(o.label, value=o.value))]
    )
    return rx.box(
        rx.el.label(label, html_for=f"queue-{name}", class_name="field-label"),
        rx.el.select(
            *items,
            id=f"queue-{name}",
            value=value,
            class_name="native-select",
            on_change=lambda v: QueueState.filter(name, v),
        ),
        min_width="11rem",
    )


def _filters() -> rx.Component:
    return rx.flex(
        _select("Status", "status", STATUS_FILTER, QueueState.status),
        _select("Program", "program", QueueState.programs, QueueState.program),
        _select("Reviewer", "reviewer", REVIEWER_OPTIONS, QueueState.reviewer),
        _select("Sort", "sort", SORT_OPTIONS, QueueState.sort),
        rx.form(
            rx.el.label("Company or reference", html_for="queue-q", class_name="field-label"),
            rx.hstack(rx.input(id="queue-q", name="q", type="search", size="3"), rx.button("Search", type="submit")),
            on_submit=QueueState.search,
            reset_on_submit=False,
            role="search",
            aria_label="Search applications",
        ),
        wrap="wrap",
        spacing="3",
        align="end",
    )


def _row(r: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.el.input(
                type="checkbox",
                checked=QueueState.selected.contains(r.id),
                aria_label="Select " + r.reference,
                on_change=lambda _checked: QueueState.toggle(r.id),
            ),
        ),
        rx.table.row_header_cell(rx.link(r.company, href="/recruitment/application/" + r.id.to(str))),
        rx.table.cell(r.reference),
        rx.table.cell(r.country),
        rx.table.cell(r.program),
        rx.table.cell(r.status),
        rx.table.cell(r.score),
        rx.table.cell(r.age),
        rx.table.cell(r.reviewer),
    )


def _bulk() -> rx.Component:
    return rx.card(
        rx.heading("Decide the ticked applications", size="4", as_="h2"),
        rx.text(QueueState.selected.length(), " ticked.", size="2"),
        rx.form(
            rx.flex(
                rx.box(
                    rx.el.label("Channel manager (approve)", html_for="bulk-manager", class_name="field-label"),
                    rx.el.select(
                        rx.el.option("Choose…", value=""),
                        rx.foreach(QueueState.managers, lambda m: rx.el.option(m.label, value=m.value)),
                        id="bulk-manager",
                        name="channel_manager",
                        value=QueueState.manager,
                        class_name="native-select",
                        on_change=QueueState.choose_manager,
                    ),
                ),
                rx.box(
                    rx.el.label("Reason (reject)", html_for="field-reason", class_name="field-label"),
                    rx.el.select(
                        *[rx.el.option(t, value=v) for v, t in REJECT_REASONS.items() if v != "needs_more_detail"],
                        id="field-reason",
                        name="reason",
                        class_name="native-select",
                    ),
                    field_error(QueueState.errors, "reason"),
                ),
                rx.box(
                    rx.el.label("Note (reject)", html_for="field-note", class_name="field-label"),
                    rx.input(id="field-note", name="note", size="3"),
                    field_error(QueueState.errors, "note"),
                ),
                wrap="wrap",
                spacing="3",
                align="end",
            ),
            rx.hstack(
                rx.box(
                    rx.el.label("Decision", html_for="bulk-decision", class_name="field-label"),
                    rx.el.select(
                        rx.el.option("Approve", value="approve"),
                        rx.el.option("Reject", value="reject"),
                        id="bulk-decision",
                        name="decision",
                        class_name="native-select",
                    ),
                ),
                rx.button("Decide ticked", type="submit", size="3"),
                margin_top="0.75rem",
                align="end",
            ),
            on_submit=QueueState.bulk,
            reset_on_submit=False,
            aria_label="Decide the ticked applications",
        ),
        rx.cond(QueueState.outcome != "", rx.text(QueueState.outcome, role="status", size="2")),
        width="100%",
    )


@page(
    "/recruitment",
    title="Applications",
    audience=Audience.INTERNAL,
    on_load=QueueState.load,
    nav=Nav("Applications", "user-plus", 45, Permission.VIEW_PARTNERS),
    badge=Badge(pending_count, "waiting"),
)
def queue_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.link("Funnel", href="/recruitment/funnel"),
            rx.cond(QueueState.can_decide, rx.link("Programs and scoring", href="/recruitment/programs")),
            spacing="4",
        ),
        _filters(),
        rx.text(plural_var(QueueState.total), size="2", role="status"),
        data_table(
            ["", "Company", "Reference", "Country", "Program", "Status", "Score", "Age", "Reviewer"],
            QueueState.rows,
            _row,
            label="Applications",
        ),
        pager(QueueState.page, QueueState.pages, QueueState.go_to),
        rx.cond(QueueState.can_decide & (QueueState.selected.length() > 0), _bulk()),
        spacing="4",
        width="100%",
    )


def plural_var(count: rx.Var) -> rx.Var:
    return rx.cond(count == 1, "1 application", count.to(str) + " applications")
