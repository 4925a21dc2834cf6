"""Reads: a partner's own tier page (tier, benefits in effect, progress to the next tier, what is at risk, the
projected tier, the evaluation behind it and the history) and the managers' overview (programs with their tiers
and criteria, pending proposals, distribution and recent movements; history.py reads the changes). Frozen
dataclasses with raw values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from prm_app.partners import Organization, Tier
from prm_app.platform.access import Actor, Permission
from prm_app.tiering.benefits import in_effect, program_of
from prm_app.tiering.evaluate import program_rules
from prm_app.tiering.history import HistoryEntry, Movement, movements, partner_history
from prm_app.tiering.models import ProgramTier, TierBenefit, TierEvaluation, TierProgram, TierProposal
from prm_app.tiering.rules import (
    ADDITIVE,
    BENEFITS,
    LAPSE_DAYS,
    Gap,
    TierRule,
    eligible,
    failing,
    gaps,
    projected_values,
    window_full_end,
)
from prm_app.training import certified_headcount


@dataclass(frozen=True)
class Benefit:
    label: str
    value: str
    effective_from: date


@dataclass(frozen=True)
class EvaluatedValue:
    label: str
    key: str
    value: Decimal
    sources: tuple[int, ...]
    answers: int | None = None  # how many answers an NPS rests on (its sources keep at most 200 ids)


@dataclass(frozen=True)
class Lapse:
    """A certified-headcount criterion met today that certificates lapsing by `by` would fail."""

    tier: str
    label: str
    threshold: Decimal
    held: int
    lapsing: int
    by: date


@dataclass(frozen=True)
class MyTier:
    program: str
    currency: str
    tier: str
    color: str
    benefits: tuple[Benefit, ...]
    state: str  # "" before the first evaluation
    grace_until: date | None
    next_tier: str  # "" at the top
    progress: tuple[Gap, ...]  # the next tier's criteria
    at_risk: tuple[Gap, ...]  # the current tier's criteria not met
    projected_tier: str
    as_of: date | None
    window_start: date | None
    rule_version: int
    values: tuple[EvaluatedValue, ...]
    history: tuple[HistoryEntry, ...]
    lapsing: tuple[Lapse, ...] = ()  # certificates a met criterion relies on that lapse soon


def my_tier(session: Session, actor: Actor, today: date | None = None) -> MyTier | None:
    """The signed-in partner's tier page; None when no program covers its partner type."""
    actor.require(Permission.USE_PORTAL)
    org = session.get(Organization, actor.organization_id or 0)
    if org is None:
        return None
    program = program_of(session, org.partner_type)
    if program is None:
        return None
    today = today or datetime.now(UTC).date()
    rules = program_rules(session, program.id or 0)
    tier = session.get(Tier, org.tier_id)
    current = next((t for t in rules if t.tier_id == org.tier_id), rules[0])
    higher = [t for t in rules if t.rank > (tier.rank if tier else 0)]
    pt = session.exec(
        select(ProgramTier).where(col(ProgramTier.program_id) == program.id, col(ProgramTier.tier_id) == org.tier_id)
    ).first()
    benefits = in_effect(session, (pt.id or 0) if pt else 0, today)
    evaluation = session.exec(
        select(TierEvaluation)
        .where(col(TierEvaluation.program_id) == program.id, col(TierEvaluation.organization_id) == org.id)
        .order_by(col(TierEvaluation.period).desc())
    ).first()
    stored = json.loads(evaluation.values) if evaluation else {}
    values = {k: Decimal(v["value"]) for k, v in stored.items()}
    labels = {c.key: c.label for t in rules for c in t.criteria}
    projected = ""
    if evaluation is not None:
        full_end = window_full_end(program.window, evaluation.window_start, evaluation.as_of)
        projected = eligible(
            rules, projected_values(values, evaluation.window_start, evaluation.as_of, full_end, ADDITIVE)
        ).name
    return MyTier(
        program=program.name,
        currency=program.currency,
        tier=tier.name if tier else "",
        color=pt.color if pt else "gray",
        benefits=tuple(Benefit(BENEFITS.get(b.kind, b.kind), b.value, b.effective_from) for b in benefits),
        state=evaluation.state if evaluation else "",
        grace_until=evaluation.grace_until if evaluation else None,
        next_tier=higher[0].name if higher else "",
        progress=tuple(gaps(higher[0], values)) if higher else (),
        at_risk=tuple(failing(gaps(current, values))) if evaluation else (),
        projected_tier=projected,
        as_of=evaluation.as_of if evaluation else None,
        window_start=evaluation.window_start if evaluation else None,
        rule_version=evaluation.rule_version if evaluation else 0,
        values=tuple(
            EvaluatedValue(labels.get(k, k), k, values[k], tuple(v["sources"]), v.get("answers"))
            for k, v in stored.items()
        ),
        history=partner_history(session, org.id or 0),
        lapsing=_lapsing(session, org.id or 0, [current, *higher[:1]], values, today),
    )


def _lapsing(session: Session, organization_id: int, tiers: list[TierRule], values: dict[str, Decimal],
             today: date) -> tuple[Lapse, ...]:  # fmt: skip
    """Each certified-headcount criterion met now that certificates lapsing within LAPSE_DAYS would fail, with the
    first day it would (training's count at a later moment sees which certificates will have expired by then; the
    day is found by halving the span: about 7 counts)."""

    def held(code: str, days: int) -> int:
        at = datetime.combine(today + timedelta(days=days), datetime.min.time(), tzinfo=UTC)
        return certified_headcount(session, organization_id, code, at)

    out = []
    for tier in tiers:
        for c in tier.criteria:
            now = values.get(c.key, Decimal(0))
            if c.metric != "certified_headcount" or now < c.threshold:
                continue
            left = held(c.param, LAPSE_DAYS)
            if left >= c.threshold:
                continue
            lo, hi = 0, LAPSE_DAYS  # still met on day lo (today), no longer on day hi
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (mid, hi) if held(c.param, mid) >= c.threshold else (lo, mid)
            out.append(Lapse(tier.name, c.label, c.threshold, int(now), int(now) - left, today + timedelta(days=hi)))
    return tuple(out)


@dataclass(frozen=True)
class CriterionView:
    id: int
    label: str
    metric: str
    threshold: Decimal
    group: int


@dataclass(frozen=True)
class BenefitView:
    id: int
    label: str
    value: str
    effective_from: date


@dataclass(frozen=True)
class TierView:
    program_tier_id: int
    tier_id: int
    name: str
    rank: int
    color: str
    criteria: tuple[CriterionView, ...]
    partners: int
    benefits: tuple[BenefitView, ...] = ()


@dataclass(frozen=True)
class ProgramView:
    id: int
    name: str
    partner_types: tuple[str, ...]
    currency: str
    window: str
    auto_apply_upgrades: bool
    rule_version: int
    tiers: tuple[TierView, ...]
    override_approver: bool = True
    cadence: str = "monthly"


@dataclass(frozen=True)
class ProposalView:
    id: int
    organization_id: int
    partner: str
    from_tier: str
    to_tier: str
    up: bool
    period: str
    created_at: datetime


@dataclass(frozen=True)
class PeriodCount:
    period: str  # "2026-11"
    tier: str
    rank: int
    partners: int


@dataclass(frozen=True)
class Overview:
    programs: tuple[ProgramView, ...]
    proposals: tuple[ProposalView, ...]
    movements: tuple[Movement, ...]
    graces: int
    distribution: tuple[PeriodCount, ...] = ()  # per evaluated period (the latest 12): partners per tier held


def overview(session: Session, actor: Actor) -> Overview:
    """Programs with tiers, criteria and how many partners (of the actor's book) hold each tier; pending proposals
    and the latest movements of the book; how many partners are in grace."""
    actor.require(Permission.VIEW_PARTNERS)
    owner = actor.book_owner()
    book = select(Organization.id)
    if owner is not None:
        book = book.where(col(Organization.channel_manager_id) == owner)
    counts_q = select(Organization.partner_type, Organization.tier_id, func.count()).group_by(
        col(Organization.partner_type), col(Organization.tier_id)
    )
    if owner is not None:
        counts_q = counts_q.where(col(Organization.channel_manager_id) == owner)
    counts = session.exec(counts_q).all()
    names = dict(session.exec(select(Tier.id, Tier.name)).all())
    programs = []
    for p in session.exec(select(TierProgram).order_by(col(TierProgram.id))).all():
        types = tuple(t for t in p.partner_types.split(",") if t)
        colors = dict(
            session.exec(
                select(ProgramTier.tier_id, ProgramTier.color).where(col(ProgramTier.program_id) == p.id)
            ).all()
        )
        benefits: dict[int, list[TierBenefit]] = {}
        for b in session.exec(
            select(TierBenefit)
            .join(ProgramTier, col(ProgramTier.id) == col(TierBenefit.program_tier_id))
            .where(col(ProgramTier.program_id) == p.id)
            .order_by(col(TierBenefit.effective_from), col(TierBenefit.id))
        ).all():
            benefits.setdefault(b.program_tier_id, []).append(b)
        pt_ids = dict(
            session.exec(select(ProgramTier.tier_id, ProgramTier.id).where(col(ProgramTier.program_id) == p.id)).all()
        )
        tiers = tuple(
            TierView(
                pt_ids[t.tier_id] or 0,
                t.tier_id,
                t.name,
                t.rank,
                colors.get(t.tier_id, "gray"),
                tuple(CriterionView(c.id, c.label, c.metric, c.threshold, c.group) for c in t.criteria),
                sum(n for typ, tid, n in counts if typ in types and tid == t.tier_id),
                tuple(
                    BenefitView(b.id or 0, BENEFITS.get(b.kind, b.kind), b.value, b.effective_from)
                    for b in benefits.get(pt_ids[t.tier_id] or 0, ())
                ),
            )
            for t in program_rules(session, p.id or 0)
        )
        programs.append(
            ProgramView(
                p.id or 0,
                p.name,
                types,
                p.currency,
                p.window,
                p.auto_apply_upgrades,
                p.rule_version,
                tiers,
                p.override_approver,
                p.cadence,
            )
        )
    proposals = session.exec(
        select(TierProposal, Organization.name)
        .join(Organization, col(Organization.id) == col(TierProposal.organization_id))
        .where(col(TierProposal.status) == "pending", col(TierProposal.organization_id).in_(book))
        .order_by(col(TierProposal.created_at), col(TierProposal.id))
        .limit(100)
    ).all()
    ranks = dict(session.exec(select(Tier.id, Tier.rank)).all())
    graces = session.exec(
        select(func.count())
        .select_from(TierEvaluation)
        .where(
            col(TierEvaluation.state) == "grace",
            col(TierEvaluation.organization_id).in_(book),
            col(TierEvaluation.period) == select(func.max(TierEvaluation.period)).scalar_subquery(),
        )
    ).one()
    periods = session.exec(
        select(TierEvaluation.period).distinct().order_by(col(TierEvaluation.period).desc()).limit(12)
    ).all()
    distribution = session.exec(
        select(TierEvaluation.period, Tier.name, Tier.rank, func.count())
        .join(Tier, col(Tier.id) == col(TierEvaluation.current_tier_id))
        .where(col(TierEvaluation.period).in_(periods), col(TierEvaluation.organization_id).in_(book))
        .group_by(col(TierEvaluation.period), col(Tier.name), col(Tier.rank))
        .order_by(col(TierEvaluation.period), col(Tier.rank))
    ).all()
    return Overview(
        distribution=tuple(PeriodCount(p, name, rank, n) for p, name, rank, n in distribution),
        programs=tuple(programs),
        proposals=tuple(
            ProposalView(
                p.id or 0,
                p.organization_id,
                name,
                names.get(p.from_tier_id, ""),
                names.get(p.to_tier_id, ""),
                ranks.get(p.to_tier_id, 0) > ranks.get(p.from_tier_id, 0),
                p.period,
                p.created_at,
            )
            for p, name in proposals
        ),
        movements=movements(session, book),
        graces=int(graces),
    )
