"""Which courses a partner is asked to take, for the catalogue's "required for my tier" and "required for my
onboarding" filters.

Tiering sits above training and cannot be imported here: it registers a reader (`register_required_certifications`)
answering which certification codes the partner's current and next tier count through their certified-headcount
criteria; the courses of those certifications are required for its tier. Onboarding sits below: its checklist's
open "complete a course" tasks name the courses required for its onboarding (onboarding.open_course_codes)."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, col, select

from prm_app.onboarding import open_course_codes
from prm_app.training.models import Certification, CertificationCourse, Course

RequiredCertifications = Callable[[Session, int], frozenset[str]]  # (session, organization id) -> codes
_READERS: list[RequiredCertifications] = []

TIER = "tier"
ONBOARDING = "onboarding"
REQUIRED_LABELS = {TIER: "Required for my tier", ONBOARDING: "Required for my onboarding"}


def register_required_certifications(reader: RequiredCertifications) -> RequiredCertifications:
    """Let `reader(session, organization_id)` say which certification codes the partner's tiers ask for."""
    if reader not in _READERS:
        _READERS.append(reader)
    return reader


def tier_course_ids(session: Session, organization_id: int) -> set[int]:
    """The courses of the certifications the partner's current and next tier count."""
    codes = {code for reader in _READERS for code in reader(session, organization_id)}
    if not codes:
        return set()
    return set(
        session.exec(
            select(CertificationCourse.course_id)
            .join(Certification, col(Certification.id) == CertificationCourse.certification_id)
            .where(col(Certification.code).in_(sorted(codes)))
        ).all()
    )


def onboarding_course_ids(session: Session, organization_id: int) -> set[int]:
    """The courses the partner's onboarding checklist still waits for."""
    codes = open_course_codes(session, organization_id)
    if not codes:
        return set()
    return {i for i in session.exec(select(Course.id).where(col(Course.code).in_(sorted(codes)))).all() if i}


def required_course_ids(session: Session, organization_id: int | None) -> dict[str, set[int]]:
    """For a partner: TIER and ONBOARDING -> the course ids each asks for (internal people: nothing)."""
    if organization_id is None:
        return {TIER: set(), ONBOARDING: set()}
    return {
        TIER: tier_course_ids(session, organization_id),
        ONBOARDING: onboarding_course_ids(session, organization_id),
    }
