"""Managers' use cases: re-evaluate now, decide a proposal, edit a tier's
criteria (each change raises the program's rule version), enter a custom metric, and the what-if that re-runs the
latest evaluations against a changed threshold without saving anything."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlmodel import Session, col, select

from prm_app.deals import CURRENCIES
from prm_app.notifications import notify
from prm_app.partners import Organization, PartnerType, Tier
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import FormInvalid, NotFound, ValidationError
from prm_app.tiering.book import partner_in_book
from prm_app.tiering.decisions import decide_once
from prm_app.tiering.evaluate import EvaluationRun, change_tier, evaluate_tiers, program_rules
from prm_app.tiering.models import (
    CustomMetricValue,
    ProgramTier,
    TierBenefit,
    TierCriterion,
    TierEvaluation,
    TierProgram,
    TierProposal,
)
from prm_app.tiering.rules import BENEFITS, CADENCES, METRICS, WINDOWS, CriterionRule, TierRule, eligible
from prm_app.training import certification_names

ALREADY_DECIDED = "This proposal was already decided."
TIER_MOVED = "The partner's tier changed since this proposal was made; re-evaluate to get a current one, or reject it."


def reevaluate_now(
    session: Session, actor: Actor, program_id: int, as_of: str = "", today: date | None = None
) -> EvaluationRun:
    """Evaluate a program's partners now for today's period, or for the period of a past day `as_of` (ISO): that
    period's evaluations are replaced with what the data says now (a deal recorded late counts)."""
    actor.require(Permission.MANAGE_TIERS)
    if session.get(TierProgram, program_id) is None:
        raise NotFound("program")
    today = today or utcnow().date()
    try:
        day = date.fromisoformat(as_of) if as_of else today
    except ValueError:
        raise FormInvalid({"as_of": "Give the day to evaluate, or leave it empty for today."}) from None
    if day > today:
        raise FormInvalid({"as_of": "Evaluate today or a past day; the future has no data yet."})
    run = evaluate_tiers(session, day, program_id=program_id)
    audit(session, actor, "reevaluate_tiers", "tier_program", program_id, evaluated=run.evaluated)
    return run


def decide_proposal(session: Session, actor: Actor, proposal_id: int, approve: bool, note: str = "") -> None:
    """Approve (the partner takes the proposed tier now) or reject a pending proposal; either way the partner is
    told (a notice on its bell)."""
    actor.require(Permission.MANAGE_TIERS)
    proposal = session.get(TierProposal, proposal_id)
    if proposal is None:
        raise NotFound("proposal")
    org = partner_in_book(session, actor, proposal.organization_id)
    if proposal.status != "pending":
        raise ValidationError(ALREADY_DECIDED)
    if approve and org.tier_id != proposal.from_tier_id:  # an override or another proposal moved it meanwhile
        raise ValidationError(TIER_MOVED)
    decide_once(session, TierProposal, proposal_id, actor, approve, note, ALREADY_DECIDED)
    session.refresh(proposal)
    names = dict(
        session.exec(
            select(Tier.id, Tier.name).where(col(Tier.id).in_([proposal.from_tier_id, proposal.to_tier_id]))
        ).all()
    )
    if approve:  # change_tier tells the partner
        change_tier(
            session,
            actor,
            proposal.organization_id,
            proposal.to_tier_id,
            "proposal",
            note.strip() or f"Proposal for {names[proposal.to_tier_id]} approved.",
        )
    else:
        notify(
            session,
            proposal.organization_id,
            "tier_proposal_rejected",
            f"Your tier stays {names[proposal.from_tier_id]}: the proposed change to {names[proposal.to_tier_id]} "
            "was not made." + (f" {note.strip()[:300]}" if note.strip() else ""),
            "/portal/tier",
        )
    audit(session, actor, "decide_tier_proposal", "tier_proposal", proposal_id, approved=approve)


def save_program(session: Session, actor: Actor, program_id: int, form: Mapping[str, object]) -> None:
    """A program's partner types (`type_<value>` checked), window, cadence, currency, whether upgrades apply at once
    and whether overrides need a second approver. A new window, cadence or currency raises the rule version
    (evaluations say which rules they applied)."""
    actor.require(Permission.MANAGE_TIERS)
    program = session.get(TierProgram, program_id)
    if program is None:
        raise NotFound("program")
    types = [t.value for t in PartnerType if str(form.get(f"type_{t.value}", "")) in {"on", "true", "1"}]
    window, currency = str(form.get("window", "")), str(form.get("currency", "")).strip().upper()
    cadence = str(form.get("cadence", "") or program.cadence)
    errors = {}
    if not types:
        errors["partner_types"] = "Choose at least one partner type."
    if window not in WINDOWS:
        errors["window"] = "Choose the evaluation window."
    if cadence not in CADENCES:
        errors["cadence"] = "Choose how often partners are evaluated."
    if currency not in CURRENCIES:
        errors["currency"] = "Choose one of the currencies deals are registered in."
    if errors:
        raise FormInvalid(errors)
    if (window, currency, cadence) != (program.window, program.currency, program.cadence):
        program.rule_version += 1
    program.partner_types, program.window, program.currency = ",".join(types), window, currency
    program.cadence = cadence
    program.auto_apply_upgrades = str(form.get("auto_apply", "")) in {"on", "true", "1"}
    program.override_approver = str(form.get("override_approver", "")) in {"on", "true", "1"}
    session.add(program)
    session.flush()
    audit(
        session,
        actor,
        "save_tier_program",
        "tier_program",
        program_id,
        window=window,
        currency=currency,
        cadence=cadence,
        override_approver=program.override_approver,
    )


def add_benefit(session: Session, actor: Actor, form: Mapping[str, object], today: date | None = None) -> int:
    """A benefit of a tier (`program_tier_id`) from `effective_from` on. A date before today is refused unless the
    form says `retroactive` (nothing is given for the past by accident). A later benefit of the same kind replaces
    an earlier one from its date."""
    actor.require(Permission.MANAGE_TIERS)
    value = {k: str(v or "").strip() for k, v in form.items()}
    raw = value.get("program_tier_id", "")
    if not raw.isdigit() or session.get(ProgramTier, int(raw)) is None:
        raise NotFound("tier")
    errors = {}
    if value.get("kind") not in BENEFITS:
        errors["kind"] = "Choose the kind of benefit."
    if not 0 < len(value.get("value", "")) <= 200:
        errors["value"] = "Give the benefit's value (at most 200 characters), like 20 or Gold courses."
    try:
        starts = date.fromisoformat(value.get("effective_from", ""))
    except ValueError:
        starts = None
        errors["effective_from"] = "Give the day it starts."
    if starts is not None and starts < (today or utcnow().date()) and value.get("retroactive") not in {"on", "true"}:
        errors["effective_from"] = "That day is past: tick 'applies retroactively' to mean it."
    if errors or starts is None:
        raise FormInvalid(errors)
    benefit = TierBenefit(program_tier_id=int(raw), kind=value["kind"], value=value["value"], effective_from=starts)
    session.add(benefit)
    session.flush()
    audit(session, actor, "add_tier_benefit", "tier_benefit", benefit.id, kind=benefit.kind, starts=str(starts))
    return benefit.id or 0


def remove_benefit(session: Session, actor: Actor, benefit_id: int) -> None:
    actor.require(Permission.MANAGE_TIERS)
    benefit = session.get(TierBenefit, benefit_id)
    if benefit is None:
        raise NotFound("benefit")
    session.delete(benefit)
    session.flush()
    audit(session, actor, "remove_tier_benefit", "tier_benefit", benefit_id)


def threshold_number(text: object) -> Decimal:
    try:
        value = Decimal(str(text or "").replace(",", "").strip())
    except InvalidOperation:
        raise FormInvalid({"threshold": "Enter the threshold as a number, like 250000."}) from None
    if not value.is_finite() or value < 0 or value >= Decimal("1e13") or value != value.quantize(Decimal("0.01")):
        raise FormInvalid({"threshold": "Enter a threshold of 0 or more with at most 2 decimals."})
    return value


def save_criterion(session: Session, actor: Actor, form: Mapping[str, object]) -> int:
    """Add a criterion to a tier (`program_tier_id`) or change one (`criterion_id`); returns its id."""
    actor.require(Permission.MANAGE_TIERS)
    value = {k: str(v or "").strip() for k, v in form.items()}
    raw_id = value.get("criterion_id", "")
    if raw_id.isdigit():
        criterion = session.get(TierCriterion, int(raw_id))
        if criterion is None:
            raise NotFound("criterion")
    else:
        tier_raw = value.get("program_tier_id", "")
        if not tier_raw.isdigit() or session.get(ProgramTier, int(tier_raw)) is None:
            raise NotFound("tier")
        metric = value.get("metric", "")
        if metric not in METRICS:
            raise FormInvalid({"metric": "Choose what the criterion measures."})
        param = value.get("param", "")
        if metric == "custom" and not 0 < len(param) <= 60:
            raise FormInvalid({"param": "Name the custom metric (at most 60 characters)."})
        if metric == "certified_headcount" and param.upper() not in certification_names(session):
            raise FormInvalid({"param": "Give the code of a certification, like CPA."})
        param = param.upper() if metric == "certified_headcount" else param
        criterion = TierCriterion(
            program_tier_id=int(tier_raw),
            metric=metric,
            param=param if metric in {"custom", "certified_headcount"} else "",
            threshold=Decimal(0),
        )
    # complete or not: the one threshold that means anything is 1 (whatever the form says)
    criterion.threshold = Decimal(1) if criterion.metric == "onboarding" else threshold_number(value.get("threshold"))
    group = value.get("group", "") or str(criterion.group)
    if not group.isdigit() or not 1 <= int(group) <= 9:
        raise FormInvalid({"group": "Use a group from 1 to 9 (criteria of one group are alternatives)."})
    criterion.group = int(group)
    session.add(criterion)
    session.flush()
    _bump(session, criterion.program_tier_id)
    audit(session, actor, "save_tier_criterion", "tier_criterion", criterion.id, threshold=str(criterion.threshold))
    return criterion.id or 0


def remove_criterion(session: Session, actor: Actor, criterion_id: int) -> None:
    actor.require(Permission.MANAGE_TIERS)
    criterion = session.get(TierCriterion, criterion_id)
    if criterion is None:
        raise NotFound("criterion")
    session.delete(criterion)
    _bump(session, criterion.program_tier_id)
    audit(session, actor, "remove_tier_criterion", "tier_criterion", criterion_id)


def _bump(session: Session, program_tier_id: int) -> None:
    tier = session.get(ProgramTier, program_tier_id)
    program = session.get(TierProgram, tier.program_id) if tier else None
    if program is not None:
        program.rule_version += 1
        session.add(program)


def set_custom_metric(session: Session, actor: Actor, organization_id: int, name: str, value: str, on: date) -> None:
    """Enter a partner's custom metric valid from `on` (entering it again that day replaces it)."""
    actor.require(Permission.MANAGE_TIERS)
    partner_in_book(session, actor, organization_id)
    amount = threshold_number(value)
    row = session.exec(
        select(CustomMetricValue).where(
            col(CustomMetricValue.organization_id) == organization_id,
            col(CustomMetricValue.name) == name,
            col(CustomMetricValue.as_of) == on,
        )
    ).first() or CustomMetricValue(organization_id=organization_id, name=name, value=amount, as_of=on)
    row.value, row.by_id = amount, actor.user_id
    session.add(row)
    audit(session, actor, "set_custom_metric", "organization", organization_id, name=name, value=str(amount))


@dataclass(frozen=True)
class WhatIfMove:
    organization_id: int
    name: str
    now_tier: str  # the tier it qualifies for under the current rules
    would_be: str
    up: bool


def what_if(session: Session, actor: Actor, criterion_id: int, threshold: str) -> list[WhatIfMove]:
    """The partners (of the actor's book) whose tier the latest evaluation would change if the criterion's threshold
    were `threshold`: nothing is saved."""
    actor.require(Permission.VIEW_PARTNERS)
    criterion = session.get(TierCriterion, criterion_id)
    tier = session.get(ProgramTier, criterion.program_tier_id) if criterion else None
    if criterion is None or tier is None:
        raise NotFound("criterion")
    new = threshold_number(threshold)
    rules = program_rules(session, tier.program_id)
    changed = [
        TierRule(
            t.tier_id,
            t.name,
            t.rank,
            tuple(
                CriterionRule(c.id, c.metric, c.param, new if c.id == criterion_id else c.threshold, c.group)
                for c in t.criteria
            ),
        )
        for t in rules
    ]
    latest = session.exec(
        select(
            TierEvaluation.organization_id,
            TierEvaluation.values,
            Organization.name,
            Organization.channel_manager_id,
        )
        .join(Organization, col(Organization.id) == col(TierEvaluation.organization_id))
        .where(col(TierEvaluation.program_id) == tier.program_id)
        .order_by(col(TierEvaluation.organization_id), col(TierEvaluation.period).desc())
    ).all()
    seen: set[int] = set()
    moves = []
    for org_id, raw, name, cm in latest:
        if org_id in seen or not actor.reaches_book_of(cm):
            continue
        seen.add(org_id)
        values = {k: Decimal(v["value"]) for k, v in json.loads(raw).items()}
        before, after = eligible(rules, values), eligible(changed, values)
        if before.tier_id != after.tier_id:
            moves.append(WhatIfMove(org_id, name, before.name, after.name, after.rank > before.rank))
    return sorted(moves, key=lambda m: m.name)
