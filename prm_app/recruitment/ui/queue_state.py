"""The queue page's state: the filters, sort and page it asks for (all applied in SQL), the ticked rows, and the bulk
decision over them."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from prm_app.partners import country_name, directory_filter_options
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import FormInvalid
from prm_app.recruitment import QueueQuery, all_programs, bulk_decide, queue
from prm_app.recruitment.rules import STATUS_LABELS
from prm_app.web.format import plural
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
