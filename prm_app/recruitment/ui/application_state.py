"""The state of one application's page: what it shows (formatted here from the raw read) and the reviewer's actions,
each one use case through the front door, its refusal shown beside its field."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from prm_app.identity import with_zone
from prm_app.partners import country_name, directory_filter_options, type_label
from prm_app.platform.access import Actor, Permission
from prm_app.platform.errors import DomainError, FormInvalid, NotAuthenticated, NotFound, PermissionDenied
from prm_app.recruitment import (
    adjust_criterion,
    application_detail,
    approve_application,
    decline_application,
    reject_application,
    save_reviewer_fields,
    start_review,
)
from prm_app.recruitment.rules import OPEN_STATUSES, REJECT_REASONS, REVENUE_BANDS, STATUS_LABELS, VERTICALS
from prm_app.web.format import moment
from prm_app.web.record import RecordActions
from prm_app.web.state import AuthState


@dataclass
class Fact:
    label: str = ""
    value: str = ""


@dataclass
class ScoreLine:
    key: str = ""
    label: str = ""
    points: str = ""  # "13 of 25"
    reason: str = ""
    adjusted: str = ""  # "Adjusted from 13 by Lars Jensen, 1 Dec 2026, 10:00 CET: why"


@dataclass
class Option:
    value: str = ""
    label: str = ""


def _detail(session: Session, actor: Actor, application_id: int):
    managers = directory_filter_options(session, actor).managers if actor.can(Permission.RECRUIT_PARTNERS) else []
    return application_detail(session, actor, application_id), managers, actor.can(Permission.RECRUIT_PARTNERS)


class ApplicationState(RecordActions, AuthState):
    found: bool = True
    title: str = ""
    status: str = ""
    is_open: bool = False
    can_decide: bool = False
    facts: list[Fact] = []
    answers: list[Fact] = []
    reviewer_fields: list[Fact] = []  # label, value (the key is in reviewer_keys, same order)
    reviewer_keys: list[str] = []
    scores: list[ScoreLine] = []
    total: str = ""
    managers: list[Option] = []
    errors: dict[str, str] = {}
    _record_id: int = 0

    def _reload(self) -> None:
        try:
            (d, managers, self.can_decide), zone = self._run(with_zone, _detail, self._record_id)
        except NotFound:
            self.found, self.title = False, ""
            return
        self.found, self.title, self.status = True, d.company, STATUS_LABELS[d.status]
        self.is_open = d.status in OPEN_STATUSES
        decision = REJECT_REASONS.get(d.reject_reason, "")
        self.facts = [Fact(label, value) for label, value in [
            ("Reference", d.reference), ("Program", f"{d.program} (becomes {type_label(d.partner_type)})"),
            ("Status", self.status + (f": {decision}" if decision else "")), ("Decision note", d.decision_note),
            ("Submitted", moment(d.submitted_at, zone)), ("Reviewer", d.reviewer or "—"),
            ("Website", d.website), ("Country", country_name(d.country)),
            ("Partner type wanted", type_label(d.partner_type_wanted)),
            ("Verticals", ", ".join(VERTICALS.get(v, v) for v in d.verticals)), ("Team size", str(d.team_size)),
            ("Annual revenue", REVENUE_BANDS.get(d.revenue_band, d.revenue_band)),
            ("Customers", f"{d.customer_count:,}"), ("Certified staff", str(d.certified_staff)),
            ("Other vendors", ", ".join(d.vendors) or "—"),
            ("Contact", f"{d.contact_name}, {d.contact_title}" if d.contact_title else d.contact_name),
            ("Email", d.contact_email), ("Phone", d.contact_phone or "—"), ("Motivation", d.motivation),
        ] if value]  # fmt: skip
        self.answers = [Fact(a.label, a.value or "—") for a in d.answers if not a.hidden]
        self.reviewer_fields = [Fact(a.label, a.value) for a in d.answers if a.hidden]
        self.reviewer_keys = [a.key for a in d.answers if a.hidden]
        self.scores = [
            ScoreLine(s.key, s.label, f"{s.points} of {s.weight}", s.reason,
                      f"Adjusted from {s.computed} by {s.adjustment.by}, {moment(s.adjustment.at, zone)}: "
                      f"{s.adjustment.note}" if s.adjustment else "")
            for s in d.scores
        ]  # fmt: skip
        self.total = f"{d.score} of {d.max_score}"
        self.managers = [Option(str(m.id), m.name) for m in managers]

    @rx.event
    def load(self):
        self._open_record()

    @rx.event
    def take(self):
        return self._act(start_review, self._record_id, success="The application is yours to review.")

    @rx.event
    def adjust(self, form: dict):
        return self._form_act(adjust_criterion, str(form.get("criterion", "")), str(form.get("points", "")),
                              str(form.get("note", "")), success="Points adjusted; the note is kept.")  # fmt: skip

    @rx.event
    def save_fields(self, form: dict):
        values = {k: str(form.get(k, "")) for k in self.reviewer_keys}
        return self._form_act(save_reviewer_fields, values, success="Reviewer fields saved.")

    @rx.event
    def approve(self, form: dict):
        manager = str(form.get("channel_manager_id", ""))
        return self._form_act(approve_application, int(manager) if manager.isdigit() else None,
                              success="Approved: the partner exists and its admin is invited.")  # fmt: skip

    @rx.event
    def reject(self, form: dict):
        return self._form_act(reject_application, str(form.get("reason", "")), str(form.get("note", "")),
                              success="Rejected.", rename={"note": "reject-note"})  # fmt: skip

    @rx.event
    def decline(self):
        return self._act(decline_application, self._record_id, "", success="Declined for good.")

    def _form_act(self, fn, *args, success: str, rename: dict[str, str] | None = None):
        """`_act` for a form: every field's message beside its field (`rename`: where this form shows a field)."""
        names = rename or {}
        try:
            self._run(fn, self._record_id, *args)
        except FormInvalid as exc:
            self.errors = {names.get(k, k): v for k, v in exc.errors.items()}
            return None
        except (NotAuthenticated, PermissionDenied):
            raise
        except DomainError as exc:
            self.errors = {names.get(exc.field or "", exc.field or "action"): exc.message}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success(success)
