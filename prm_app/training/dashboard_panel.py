"""Training on the executive dashboards (#13): certified headcount per certification, by partner and by tier (the
filters narrow it by region, type, tier and manager), certificates issued and course completions in the period,
certificates expiring soon, for the partners the dashboard's filters select.

People count for the partner they belong to now (a certificate follows its holder, as certified_headcount does).
Headcount and "expiring" are as of today whatever the period; the panel's note says so. Registered at import,
which reactions.py triggers (analytics sits below training and cannot call it).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import Select, SelectOfScalar

from prm_app.analytics import Panel, PanelBars, PanelFact, PanelTable, register_dashboard_panel
from prm_app.identity import User
from prm_app.partners import Filters, Organization, Tier, org_filters
from prm_app.training.models import Certificate, Certification, Enrollment

EXPIRING_DAYS = 60
TOP_PARTNERS = 20
S = TypeVar("S", Select[int, int], SelectOfScalar[int])  # the two shapes of query this panel narrows


def _live(now: datetime) -> list[ColumnElement[bool]]:
    """A certificate in force at `now`: not revoked, not replaced by a renewal, not expired."""
    return [
        col(Certificate.revoked_at).is_(None),
        col(Certificate.superseded_by_id).is_(None),
        col(Certificate.expires_at) > now,
    ]


def training_panel(session: Session, f: Filters, now: datetime) -> Panel | None:
    """The training panel for these filters; None while no certification exists (nothing to report on)."""
    certifications = session.exec(select(Certification.id, Certification.name).order_by(col(Certification.name))).all()
    if not certifications:
        return None
    segment = org_filters(f)
    soon = now + timedelta(days=EXPIRING_DAYS)

    def of_segment(stmt: S, person: Any) -> S:  # people who belong now to a partner of the segment
        return (
            stmt.join(User, col(User.id) == person)
            .join(Organization, col(Organization.id) == User.organization_id)
            .where(*segment)
        )

    per_certification = of_segment(
        select(Certificate.certification_id, func.count(func.distinct(Certificate.user_id))), Certificate.user_id
    ).group_by(col(Certificate.certification_id))
    held: dict[int, int] = dict(session.exec(per_certification.where(*_live(now))).all())
    expiring: dict[int, int] = dict(
        session.exec(per_certification.where(*_live(now), col(Certificate.expires_at) <= soon)).all()
    )
    people = session.exec(
        of_segment(select(func.count(func.distinct(Certificate.user_id))), Certificate.user_id).where(*_live(now))
    ).one()
    issued = session.exec(
        of_segment(select(func.count()).select_from(Certificate), Certificate.user_id).where(
            col(Certificate.issued_at) >= f.lo, col(Certificate.issued_at) < f.hi
        )
    ).one()
    completions = session.exec(
        of_segment(select(func.count()).select_from(Enrollment), Enrollment.user_id).where(
            col(Enrollment.completed_at) >= f.lo, col(Enrollment.completed_at) < f.hi
        )
    ).one()
    by_partner = session.exec(
        of_segment(
            select(  # type: ignore[call-overload]  # sqlmodel types select() up to four columns
                col(Organization.id), Organization.name, Tier.name, Organization.region,
                func.count(func.distinct(Certificate.user_id)),
            ),
            Certificate.user_id,
        )
        .join(Tier, col(Tier.id) == col(Organization.tier_id))
        .where(*_live(now))
        .group_by(col(Organization.id), Organization.name, Tier.name, Organization.region)
        .order_by(func.count(func.distinct(Certificate.user_id)).desc(), Organization.name)
    ).all()  # fmt: skip
    by_tier: dict[str, int] = {}
    for _org, _name, tier, _region, count in by_partner:
        by_tier[tier] = by_tier.get(tier, 0) + count
    tiers = [t for t in session.exec(select(Tier.name).order_by(col(Tier.rank))).all() if t in by_tier]
    top = by_partner[:TOP_PARTNERS]
    names = [name for _id, name in certifications]
    return Panel(
        key="training",
        title="Training and certification",
        facts=(
            PanelFact("Certified people", f"{people:,}", "people holding a valid certificate today"),
            PanelFact("Certificates issued", f"{issued:,}", "in the period"),
            PanelFact("Course completions", f"{completions:,}", "in the period"),
            PanelFact(
                "Certificates expiring soon",
                f"{sum(expiring.values()):,}",
                f"valid today, expiring in the next {EXPIRING_DAYS} days",
            ),
        ),
        tables=(
            PanelTable(
                "Certified and expiring, by certification",
                ("Certification", "Certified people", f"Expiring in {EXPIRING_DAYS} days"),
                tuple(
                    (name, f"{held.get(cid or 0, 0):,}", f"{expiring.get(cid or 0, 0):,}")
                    for cid, name in certifications
                ),
            ),
            PanelTable(
                f"Certified people by partner (top {TOP_PARTNERS})",
                ("Partner", "Tier", "Region", "Certified people"),
                tuple((name, tier, region, f"{count:,}") for _org, name, tier, region, count in top),
                partners=tuple(org for org, *_rest in top),
            ),
        ),
        bars=(
            PanelBars(
                "Certified headcount by certification",
                tuple(names),
                tuple(float(held.get(cid or 0, 0)) for cid, _name in certifications),
                unit="people",
                item="Certification",
            ),
            PanelBars(
                "Certified headcount by tier",
                tuple(tiers),
                tuple(float(by_tier[t]) for t in tiers),
                unit="people",
                item="Tier",
            ),
        ),
        note="Certified headcount and expiring certificates are as of today, not the period; people count for the "
        "partner they belong to now.",
    )


register_dashboard_panel("training", 10, training_panel)
