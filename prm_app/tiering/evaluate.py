"""`evaluate_tiers`: every partner of every program (or one) evaluated for the period of `as_of`.

Deterministic (the same data and date give the same evaluation) and idempotent: an evaluation is UNIQUE per program,
partner and period and written with an upsert, a proposal is UNIQUE per program, partner and period and written
with INSERT … ON CONFLICT DO NOTHING, so two runs at once store one evaluation and at most one proposal each.
Running a past date again re-evaluates that period with whatever data arrived since (a deal recorded late).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from prm_app.notifications import notify
from prm_app.partners import Organization, Tier
from prm_app.platform.access import Actor
from prm_app.platform.audit import audit, record_engagement
from prm_app.platform.clock import utcnow
from prm_app.tiering.metrics import measure
from prm_app.tiering.models import ProgramTier, TierChange, TierCriterion, TierEvaluation, TierProgram, TierProposal
from prm_app.tiering.rules import (
    CriterionRule,
    TierRule,
    eligible,
    gaps,
    next_period_end,
    next_state,
    period_of,
    previous_period_day,
    window_bounds,
)


@dataclass(frozen=True)
class EvaluationRun:
    evaluated: int
    upgrades: int
    graces: int
    downgrades: int
    proposals: int  # written by this run


def program_rules(session: Session, program_id: int) -> list[TierRule]:
    """The program's tiers, lowest rank first, each with its criteria."""
    tiers = session.exec(
        select(ProgramTier.id, Tier.id, Tier.name, Tier.rank)
        .join(Tier, col(Tier.id) == col(ProgramTier.tier_id))
        .where(col(ProgramTier.program_id) == program_id)
        .order_by(col(Tier.rank))
    ).all()
    criteria = session.exec(
        select(TierCriterion).where(col(TierCriterion.program_tier_id).in_([t[0] for t in tiers]))
    ).all()
    by_tier: dict[int, list[CriterionRule]] = {}
    for c in criteria:
        rule = CriterionRule(c.id or 0, c.metric, c.param, c.threshold, c.group)
        by_tier.setdefault(c.program_tier_id, []).append(rule)
    return [TierRule(tid or 0, name, rank, tuple(by_tier.get(ptid or 0, ()))) for ptid, tid, name, rank in tiers]


def program_members(session: Session, program: TierProgram) -> list[tuple[int, int, datetime]]:
    """(organization id, tier id, joined at) of the partners whose type the program covers, by id."""
    types = [t for t in program.partner_types.split(",") if t]
    rows = session.exec(
        select(Organization.id, Organization.tier_id, Organization.joined_at)
        .where(col(Organization.partner_type).in_(types))
        .order_by(col(Organization.id))
    ).all()
    return [(int(i or 0), t, j) for i, t, j in rows]


def _upsert(
    session: Session, table: type, rows: Sequence[Mapping[str, Any]], keys: list[str], update: list[str] | None
) -> None:
    if not rows:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    if update is None:
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    else:
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_={k: stmt.excluded[k] for k in update})
    for start in range(0, len(rows), 1000):
        session.execute(stmt, rows[start : start + 1000])


def evaluate_tiers(
    session: Session, as_of: date, *, program_id: int | None = None, organization_ids: Collection[int] | None = None
) -> EvaluationRun:
    """Evaluate the period of `as_of` (see the module's docstring); returns what it found and proposed."""
    query = select(TierProgram).order_by(col(TierProgram.id))
    if program_id is not None:
        query = query.where(col(TierProgram.id) == program_id)
    counts = {"evaluated": 0, "upgrade": 0, "grace": 0, "downgrade": 0, "proposals": 0}
    for program in session.exec(query).all():
        _evaluate_program(session, program, as_of, organization_ids, counts)
    return EvaluationRun(
        counts["evaluated"], counts["upgrade"], counts["grace"], counts["downgrade"], counts["proposals"]
    )


LATE_DAYS = 7  # in a month's first days the previous month is evaluated again: deals recorded late still count


def evaluate_due(session: Session, today: date) -> EvaluationRun:
    """The scheduled run: today's period, and in the first LATE_DAYS days of a month first the previous month again
    (a deal won on the 31st and recorded on the 2nd re-evaluates its month). Returns today's run."""
    if today.day <= LATE_DAYS:
        evaluate_tiers(session, today.replace(day=1) - timedelta(days=1))
    return evaluate_tiers(session, today)


def _evaluate_program(
    session: Session, program: TierProgram, as_of: date, only: Collection[int] | None, counts: dict[str, int]
) -> None:
    tiers = program_rules(session, program.id or 0)
    if not tiers:
        return
    members = [m for m in program_members(session, program) if only is None or m[0] in only]
    windows = {org: window_bounds(program.window, as_of, joined.astimezone(UTC).date()) for org, _t, joined in members}
    keys = {c.key for t in tiers for c in t.criteria}
    measured = measure(session, windows, as_of, program.currency, keys)
    period = period_of(as_of, program.cadence)
    previous_period = period_of(previous_period_day(as_of, program.cadence), program.cadence)
    before = dict(
        session.exec(
            select(TierEvaluation.organization_id, TierEvaluation.state).where(
                col(TierEvaluation.program_id) == program.id, col(TierEvaluation.period) == previous_period
            )
        ).all()
    )
    rank_of = {t.tier_id: t.rank for t in tiers}
    all_ranks = dict(session.exec(select(Tier.id, Tier.rank)).all())
    now = utcnow()
    rows, moves = [], []
    for org_id, tier_id, _joined in members:
        m = measured[org_id]
        best = eligible(tiers, m.values)
        current_rank = rank_of.get(tier_id, all_ranks.get(tier_id, 0))
        state = next_state(current_rank, best.rank, before.get(org_id, "ok"))
        values = {
            key: {"value": str(value), "sources": m.sources.get(key, []), **_basis(m.basis, key)}
            for key, value in sorted(m.values.items())
        }
        rows.append(
            {
                "program_id": program.id,
                "organization_id": org_id,
                "period": period,
                "as_of": as_of,
                "window_start": windows[org_id][0],
                "rule_version": program.rule_version,
                "values": json.dumps(values, sort_keys=True),
                "current_tier_id": tier_id,
                "eligible_tier_id": best.tier_id,
                "state": state,
                "grace_until": next_period_end(as_of, program.cadence) if state == "grace" else None,
                "evaluated_at": now,
            }
        )
        counts["evaluated"] += 1
        if state != "ok":
            counts[state] += 1
            moves.append((org_id, tier_id, best, state))
    _upsert(
        session,
        TierEvaluation,
        rows,
        ["program_id", "organization_id", "period"],
        [k for k in rows[0] if k not in {"program_id", "organization_id", "period"}] if rows else None,
    )
    if not moves:
        return
    ids = dict(
        session.exec(
            select(TierEvaluation.organization_id, TierEvaluation.id).where(
                col(TierEvaluation.program_id) == program.id, col(TierEvaluation.period) == period
            )
        ).all()
    )
    proposals = []
    for org_id, tier_id, best, state in moves:
        if state == "upgrade" and program.auto_apply_upgrades:
            change_tier(session, None, org_id, best.tier_id, "evaluation", f"Qualified for {best.name} on {as_of}.")
        elif state in {"upgrade", "downgrade"}:
            proposals.append(
                {
                    "program_id": program.id,
                    "organization_id": org_id,
                    "period": period,
                    "evaluation_id": ids[org_id],
                    "from_tier_id": tier_id,
                    "to_tier_id": best.tier_id,
                    "status": "pending",
                    "created_at": now,
                    "note": "",
                }
            )
        elif state == "grace":
            missing = [g for t in tiers if t.tier_id == tier_id for g in gaps(t, measured[org_id].values) if not g.met]
            what = ", ".join(g.label for g in missing) or "the criteria of your tier"
            by = next_period_end(as_of, program.cadence)
            notify(
                session,
                org_id,
                "tier_grace",
                f"Your tier is at risk: {what} below its threshold. Reach it by {by:%d %b %Y} to keep your tier.",
                "/portal/tier",
                once=f"tier-grace:{program.id}:{period}",
            )
    before_count = _count_proposals(session, program.id or 0, period)
    _upsert(session, TierProposal, proposals, ["program_id", "organization_id", "period"], None)
    counts["proposals"] += _count_proposals(session, program.id or 0, period) - before_count


def _basis(basis: Mapping[str, int], key: str) -> dict[str, int]:
    """ "answers": how many records a value rests on, kept when it is not simply its sources' count (NPS)."""
    return {"answers": basis[key]} if key in basis else {}


def _count_proposals(session: Session, program_id: int, period: str) -> int:
    return len(
        session.exec(
            select(TierProposal.id).where(
                col(TierProposal.program_id) == program_id, col(TierProposal.period) == period
            )
        ).all()
    )


def change_tier(
    session: Session,
    actor: Actor | None,
    organization_id: int,
    tier_id: int,
    source: str,
    reason: str,
    asked_by_id: int | None = None,
) -> None:
    """Give the partner `tier_id` from now on (routing and audience rules read Organization.tier_id), keep the
    change in its history (by the actor; `asked_by_id`: the manager who asked for an override another approved) and
    tell the partner (a notice on its bell); nothing when it already holds that tier."""
    org = session.get(Organization, organization_id)
    if org is None or org.tier_id == tier_id:
        return
    session.add(
        TierChange(
            organization_id=organization_id,
            from_tier_id=org.tier_id,
            to_tier_id=tier_id,
            source=source,
            reason=reason,
            by_id=actor.user_id if actor else None,
            asked_by_id=asked_by_id,
        )
    )
    audit(session, actor, "change_tier", "organization", organization_id, frm=org.tier_id, to=tier_id, source=source)
    names = dict(session.exec(select(Tier.id, Tier.name).where(col(Tier.id).in_([org.tier_id, tier_id]))).all())
    notify(
        session,
        organization_id,
        "tier_changed",
        f"Your tier changed from {names.get(org.tier_id, '')} to {names.get(tier_id, '')}: {reason}",
        "/portal/tier",
    )
    who = actor or Actor.system("Tier evaluation")  # webhooks: partner.tier_changed, in this transaction
    record_engagement(session, who, "tier_changed", "organization", organization_id, organization_id=organization_id)
    org.tier_id = tier_id
    session.add(org)
    session.flush()
