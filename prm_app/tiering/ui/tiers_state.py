"""The managers' tier page state: programs and criteria (edit a threshold, add or remove a criterion), proposals to
decide, re-evaluate now, tier distribution and movements, and the what-if (nothing saved)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import reflex as rx

from prm_app.identity import viewer_zone
from prm_app.platform.errors import FormInvalid
from prm_app.tiering import (
    add_benefit,
    ask_override,
    decide_override,
    decide_proposal,
    overview,
    pending_overrides,
    reevaluate_now,
    remove_benefit,
    remove_criterion,
    save_criterion,
    save_program,
    what_if,
)
from prm_app.tiering.charts import distribution_figure, distribution_sentence
from prm_app.tiering.rules import CADENCES, WINDOWS
from prm_app.tiering.ui.display import threshold_text, who_text
from prm_app.web.components.charts import EMPTY_FIGURE
from prm_app.web.format import day, moment, plural
from prm_app.web.state import AuthState


@dataclass
class CriterionLine:
    id: int = 0
    label: str = ""
    threshold: str = ""  # as typed in the form (plain number)
    shown: str = ""  # "≥ 250,000.00 USD"
    group: int = 1


@dataclass
class BenefitLine:
    id: int = 0
    label: str = ""
    value: str = ""
    starts: str = ""


@dataclass
class TierLine:
    program_tier_id: int = 0
    name: str = ""
    color: str = "gray"
    partners: int = 0
    criteria: list[CriterionLine] = field(default_factory=list)
    benefits: list[BenefitLine] = field(default_factory=list)


@dataclass
class ProgramLine:
    id: int = 0
    name: str = ""
    about: str = ""
    partner_types: list[str] = field(default_factory=list)
    window: str = ""
    currency: str = ""
    auto_apply: bool = False
    override_approver: bool = True
    tiers: list[TierLine] = field(default_factory=list)
    cadence: str = "monthly"


@dataclass
class ProposalLine:
    id: int = 0
    partner: str = ""
    change: str = ""
    kind: str = ""  # "Upgrade" / "Downgrade"
    period: str = ""


@dataclass
class OverrideLine:
    id: int = 0
    partner: str = ""
    change: str = ""  # "Silver → Gold"
    reason: str = ""
    asked: str = ""  # "Lars Nilsen, 7 Dec 2026 09:12"
    mine: bool = False  # asked by the reader: another manager decides


@dataclass
class Option:
    value: str = ""
    label: str = ""


@dataclass
class MoveLine:
    partner: str = ""
    now: str = ""
    would_be: str = ""
    direction: str = ""


@dataclass
class ChangeLine:
    partner: str = ""
    from_tier: str = ""
    to_tier: str = ""
    why: str = ""  # "override: Lost its two certified engineers"
    when: str = ""  # in the reader's zone, named: "7 Dec 2026, 18:05 JST"
    who: str = ""  # "Asked by Lars Nilsen, approved by Ada Admin"


def _view(session, actor):
    return overview(session, actor), pending_overrides(session, actor), viewer_zone(session, actor)


class TiersState(AuthState):
    programs: list[ProgramLine] = []
    proposals: list[ProposalLine] = []
    overrides: list[OverrideLine] = []  # waiting for a second approver
    movements: list[ChangeLine] = []
    graces: str = ""
    criteria_options: list[Option] = []
    tier_options: list[Option] = []
    errors: dict[str, str] = {}  # "c<id>.threshold", "t<program tier id>.<field>", "whatif.threshold"
    whatif_moves: list[MoveLine] = []
    distribution: dict[str, Any] = EMPTY_FIGURE
    distribution_text: str = ""
    whatif_summary: str = ""

    def _reload(self) -> None:
        o, waiting, zone = self._run(_view)
        self.overrides = [
            OverrideLine(
                x.id,
                x.partner,
                f"{x.from_tier} → {x.to_tier}",
                x.reason,
                f"{x.asked_by}, {moment(x.asked_at, zone)}",
                x.mine,
            )
            for x in waiting
        ]
        self.programs, options, tier_options = [], [], []
        for p in o.programs:
            tiers = []
            for t in p.tiers:
                lines = [
                    CriterionLine(
                        c.id,
                        c.label,
                        f"{c.threshold:f}",
                        threshold_text(c.metric, c.threshold, p.currency),
                        c.group,
                    )
                    for c in t.criteria
                ]
                options += [Option(str(c.id), f"{t.name}: {c.label} ({c.shown})") for c in lines]
                benefits = [BenefitLine(b.id, b.label, b.value, day(b.effective_from)) for b in t.benefits]
                tiers.append(TierLine(t.program_tier_id, t.name, t.color, t.partners, lines, benefits))
            window = WINDOWS.get(p.window, p.window)
            cadence = CADENCES.get(p.cadence, p.cadence).lower()
            about = (
                f"{', '.join(p.partner_types)} · {window}, evaluated {cadence} · {p.currency} · "
                f"rules version {p.rule_version}"
            )
            self.programs.append(
                ProgramLine(
                    p.id,
                    p.name,
                    about,
                    list(p.partner_types),
                    p.window,
                    p.currency,
                    p.auto_apply_upgrades,
                    p.override_approver,
                    tiers,
                    p.cadence,
                )
            )
            tier_options += [
                Option(str(t.tier_id), t.name) for t in p.tiers if str(t.tier_id) not in {o.value for o in tier_options}
            ]
        self.criteria_options, self.tier_options = options, tier_options
        self.proposals = [
            ProposalLine(x.id, x.partner, f"{x.from_tier} → {x.to_tier}", "Upgrade" if x.up else "Downgrade", x.period)
            for x in o.proposals
        ]
        self.movements = [
            ChangeLine(
                m.partner,
                m.change.from_tier,
                m.change.to_tier,
                f"{m.change.source}: {m.change.reason}",
                moment(m.change.at, zone),
                who_text(m.change),
            )
            for m in o.movements
        ]
        self.graces = plural(o.graces, "partner") + " in grace this period"
        self.distribution, self.distribution_text = (
            distribution_figure(o.distribution),
            distribution_sentence(o.distribution),
        )

    def _try(self, key: str, fn, *args, success: str):
        try:
            self._run(fn, *args)
        except FormInvalid as exc:
            self.errors = {f"{key}.{k}": v for k, v in exc.errors.items()}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success(success)

    @rx.event
    def load(self):
        self.errors, self.whatif_moves, self.whatif_summary = {}, [], ""
        self._reload()

    @rx.event
    def save_threshold(self, form: dict):
        raw = str(form.get("criterion_id", ""))
        return self._try("c" + raw, save_criterion, form, success="Threshold saved; the next evaluation uses it.")

    @rx.event
    def add_criterion(self, form: dict):
        raw = str(form.get("program_tier_id", ""))
        return self._try("t" + raw, save_criterion, form, success="Criterion added.")

    @rx.event
    def remove(self, criterion_id: int):
        return self._try("x", remove_criterion, int(criterion_id), success="Criterion removed.")

    @rx.event
    def decide(self, proposal_id: int, approve: bool):
        verb = "approved" if approve else "rejected"
        return self._try("p", decide_proposal, int(proposal_id), bool(approve), success=f"Proposal {verb}.")

    @rx.event
    def add_benefit(self, form: dict):
        raw = str(form.get("program_tier_id", ""))
        return self._try("b" + raw, add_benefit, form, success="Benefit added; it applies from its day.")

    @rx.event
    def remove_benefit(self, benefit_id: int):
        return self._try("x", remove_benefit, int(benefit_id), success="Benefit removed.")

    @rx.event
    def save_program(self, form: dict):
        raw = str(form.get("program_id", ""))
        return self._try("p" + raw, save_program, int(raw) if raw.isdigit() else 0, form, success="Program saved.")

    @rx.event
    def override(self, form: dict):
        try:
            applied = self._run(ask_override, form)
        except FormInvalid as exc:
            self.errors = {f"override.{k}": v for k, v in exc.errors.items()}
            return None
        self.errors = {}
        self._reload()
        if applied:
            return rx.toast.success("Tier changed: the partner's program asks no second approver.")
        return rx.toast.success("Override asked: it takes effect when another manager approves it.")

    @rx.event
    def decide_override(self, override_id: int, approve: bool):
        verb = "approved: the partner has its new tier" if approve else "rejected"
        return self._try("o", decide_override, int(override_id), bool(approve), success=f"Override {verb}.")

    @rx.event
    def reevaluate(self, form: dict):
        raw = str(form.get("program_id", ""))
        try:
            run = self._run(reevaluate_now, int(raw) if raw.isdigit() else 0, str(form.get("as_of", "")))
        except FormInvalid as exc:
            self.errors = {f"e{raw}.{k}": v for k, v in exc.errors.items()}
            return None
        self.errors = {}
        self._reload()
        return rx.toast.success(
            f"{plural(run.evaluated, 'partner')} evaluated: {run.upgrades} qualify higher, {run.graces} in grace, "
            f"{plural(run.proposals, 'new proposal')}."
        )

    @rx.event
    def run_what_if(self, form: dict):
        raw = str(form.get("criterion_id", ""))
        if not raw.isdigit():
            self.errors = {"whatif.criterion_id": "Choose the criterion to change."}
            return
        try:
            moves = self._run(what_if, int(raw), str(form.get("threshold", "")))
        except FormInvalid as exc:
            self.errors = {f"whatif.{k}": v for k, v in exc.errors.items()}
            return
        self.errors = {}
        self.whatif_moves = [MoveLine(m.name, m.now_tier, m.would_be, "Up" if m.up else "Down") for m in moves]
        self.whatif_summary = (
            f"{plural(len(moves), 'partner')} would change tier. Nothing was saved."
            if moves
            else "No partner would change tier. Nothing was saved."
        )
