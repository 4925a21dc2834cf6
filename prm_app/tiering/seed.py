"""Demo tiering: a partner program (resellers, VARs, MSPs, ISVs, integrators, referral and affiliate partners) and
a distribution program (revenue or scorecard only) over Registered < Silver < Gold < Platinum, with criteria the
demo data makes meaningful (revenue from won deals, approved registrations, lead acceptance, the channel team's
scorecard points, a custom metric, and for Platinum a certified security specialist), benefits per tier, the
scorecard values, and this period's evaluation: Atlas Value Partners qualifies for Gold (an open proposal), Lumen
Software Labs and Sakura Solutions are in grace. Rows are found by natural keys (program name; tier; metric and
name; organization and name), never duplicated."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from prm_app.partners import Organization, Tier
from prm_app.platform.clock import utcnow
from prm_app.tiering.evaluate import evaluate_tiers
from prm_app.tiering.models import CustomMetricValue, ProgramTier, TierBenefit, TierCriterion, TierProgram

SCORE = "Partner scorecard points"
COLORS = {"Registered": "gray", "Silver": "indigo", "Gold": "amber", "Platinum": "purple"}
# tier -> ((metric, param, threshold, group), ...): same group = alternatives, every group must hold.
CRITERIA = {
    "Silver": (("revenue", "", "20000", 1), ("custom", SCORE, "50", 1)),
    "Gold": (("revenue", "", "40000", 1), ("custom", SCORE, "70", 1),
             ("approved_registrations", "", "1", 2), ("lead_acceptance", "", "80", 2)),
    "Platinum": (("revenue", "", "250000", 1), ("custom", SCORE, "90", 1), ("won_deals", "", "5", 2),
                 ("approved_registrations", "", "1", 2), ("lead_acceptance", "", "90", 2),
                 ("certified_headcount", "CSS", "1", 3)),
}  # fmt: skip
BENEFITS = {
    "Registered": (("discount_pct", "5"), ("deal_protection_days", "60")),
    "Silver": (("discount_pct", "10"), ("deal_protection_days", "90"), ("lead_weight", "1"), ("mdf_share", "0")),
    "Gold": (("discount_pct", "20"), ("deal_protection_days", "120"), ("lead_weight", "2"), ("mdf_share", "5"),
             ("audience", "Gold courses and sales assets")),
    "Platinum": (("discount_pct", "30"), ("deal_protection_days", "180"), ("lead_weight", "3"), ("mdf_share", "10"),
                 ("audience", "Every course and asset, joint business planning")),
}  # fmt: skip
PROGRAMS = (
    ("Partner program", "reseller,var,msp,isv,system_integrator,referral,affiliate"),
    ("Distribution program", "distributor"),
)
SCORES = {
    "Bluepeak Resellers": 55, "Harbor Tech Supply": 30, "Cobalt Systems VAR": 74, "Andes Cloud Services": 52,
    "Lumen Software Labs": 68, "Meridian Integration Group": 93, "Fjord Managed IT": 78, "Atlas Value Partners": 60,
    "Sahara Digital Referrals": 12, "Sakura Solutions KK": 71, "Koala Affiliates": 15, "Deccan Resellers": 22,
    "Northwind Distribution": 95, "Ganges Tech Distributors": 81,
}  # fmt: skip


def seed(session: Session) -> dict[str, int]:
    """The demo programs, criteria, benefits, scorecard points and this period's evaluation (run again: the same)."""
    created = {"tier programs": 0, "tier criteria": 0, "scorecard values": 0}
    tiers = {t.name: t for t in session.exec(select(Tier)).all()}
    if not tiers:
        return created
    start = date(2026, 1, 1)
    for name, types in PROGRAMS:
        program = session.exec(select(TierProgram).where(col(TierProgram.name) == name)).first()
        if program is None:
            program = TierProgram(name=name, partner_types=types)
            session.add(program)
            session.flush()
            created["tier programs"] += 1
        for tier_name, tier in tiers.items():
            pt = session.exec(
                select(ProgramTier).where(
                    col(ProgramTier.program_id) == program.id, col(ProgramTier.tier_id) == tier.id
                )
            ).first()
            if pt is None:
                pt = ProgramTier(program_id=program.id or 0, tier_id=tier.id or 0, color=COLORS.get(tier_name, "gray"))
                session.add(pt)
                session.flush()
            for metric, param, threshold, group in CRITERIA.get(tier_name, ()):
                where = (col(TierCriterion.metric) == metric, col(TierCriterion.param) == param)
                have = session.exec(select(TierCriterion.id).where(col(TierCriterion.program_tier_id) == pt.id, *where))
                if group > 1 and name == "Distribution program":
                    continue  # distributors register no deals and take no leads themselves
                if have.first() is None:
                    session.add(TierCriterion(program_tier_id=pt.id or 0, metric=metric, param=param,
                                              threshold=Decimal(threshold), group=group))  # fmt: skip
                    created["tier criteria"] += 1
            for kind, value in BENEFITS.get(tier_name, ()):
                benefit = session.exec(
                    select(TierBenefit.id).where(
                        col(TierBenefit.program_tier_id) == pt.id, col(TierBenefit.kind) == kind
                    )
                ).first()
                if benefit is None:
                    session.add(TierBenefit(program_tier_id=pt.id or 0, kind=kind, value=value, effective_from=start))
    today = utcnow().date()
    entered = today.replace(day=1) - timedelta(days=1)  # last month's scorecard
    for org_id, org_name in session.exec(select(Organization.id, Organization.name)).all():
        if org_name not in SCORES:
            continue
        entered_value = session.exec(
            select(CustomMetricValue.id).where(col(CustomMetricValue.organization_id) == org_id,
                                               col(CustomMetricValue.name) == SCORE)
        ).first()  # fmt: skip
        if entered_value is None:
            session.add(CustomMetricValue(organization_id=org_id or 0, name=SCORE, value=Decimal(SCORES[org_name]),
                                          as_of=entered))  # fmt: skip
            created["scorecard values"] += 1
    session.flush()
    evaluate_tiers(session, today)
    return created
