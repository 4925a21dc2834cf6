"""What a partner tells routing about itself: the countries it serves, its verticals, how many leads a month it can
take, and whether it takes new leads at all (its routing profile). Its people read them on their Leads page; its
partner admins change them, audited, and routing reads the new values from the next run on.

Certified products and the location stay the vendor's to set (they come from certifications and the address).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session

from prm_app.leads.models import RoutingProfile
from prm_app.leads.vocabulary import VERTICALS
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.errors import PermissionDenied, ValidationError
from prm_app.platform.i18n import Words
from prm_app.platform.places import country_code, fold

MAX_CAPACITY = 1000


@dataclass(frozen=True)
class LeadPreferences:
    countries: tuple[str, ...]  # ISO 3166 alpha-2, in the order given
    verticals: tuple[str, ...]  # canonical names from vocabulary.VERTICALS, in that list's order
    monthly_capacity: int  # leads a month routing may offer
    accepts_leads: bool  # False: routing offers none
    can_edit: bool  # the asking person may change them (partner admins)


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\n]", text or "") if part.strip()]


def parse_countries(text: str) -> tuple[str, ...]:
    """Countries typed as codes or names ("DE, France; usa") -> ISO codes without repeats; ValidationError naming
    the first one that is not a country, or when none is given."""
    codes: list[str] = []
    for part in _split(text):
        code = country_code(part)
        if not code:
            raise ValidationError(Words("leads.error.unknown_country", {"country": part}), "countries")
        if code not in codes:
            codes.append(code)
    if not codes:
        raise ValidationError(Words("leads.error.no_country"), "countries")
    return tuple(codes)


def parse_capacity(text: str) -> int:
    value = (text or "").strip()
    if not value.isdigit() or int(value) > MAX_CAPACITY:
        raise ValidationError(Words("leads.error.capacity", {"max": MAX_CAPACITY}), "monthly_capacity")
    return int(value)


def _profile(session: Session, actor: Actor) -> RoutingProfile:
    if not actor.is_partner or actor.organization_id is None:
        raise PermissionDenied()
    profile = session.get(RoutingProfile, actor.organization_id)
    return profile or RoutingProfile(organization_id=actor.organization_id, accepts_leads=False)


def _read(profile: RoutingProfile, actor: Actor) -> LeadPreferences:
    chosen = {fold(v) for v in _split(profile.verticals)}
    return LeadPreferences(
        countries=tuple(c.upper() for c in _split(profile.countries)),
        verticals=tuple(v for v in VERTICALS if fold(v) in chosen),
        monthly_capacity=profile.monthly_capacity,
        accepts_leads=profile.accepts_leads,
        can_edit=actor.can(Permission.MANAGE_TEAM),
    )


def my_lead_preferences(session: Session, actor: Actor) -> LeadPreferences:
    """The actor's organization's lead preferences (a partner without a profile yet takes no leads)."""
    actor.require(Permission.WORK_LEADS)
    return _read(_profile(session, actor), actor)


def update_lead_preferences(
    session: Session, actor: Actor, countries: str, verticals: list[str], monthly_capacity: str, accepts_leads: bool
) -> LeadPreferences:
    """A partner admin sets their organization's lead preferences. Every field is checked before anything is
    written; the audit entry keeps what they were and what they are now."""
    actor.require(Permission.WORK_LEADS)
    actor.require(Permission.MANAGE_TEAM)
    codes = parse_countries(countries)
    capacity = parse_capacity(monthly_capacity)
    unknown = [v for v in verticals if v not in VERTICALS]
    if unknown:
        raise ValidationError(Words("leads.error.unknown_vertical", {"vertical": unknown[0]}), "verticals")
    profile = _profile(session, actor)
    before = _read(profile, actor)
    profile.countries = ",".join(codes)
    profile.verticals = ",".join(v for v in VERTICALS if v in verticals)
    profile.monthly_capacity = capacity
    profile.accepts_leads = bool(accepts_leads)
    session.add(profile)
    after = _read(profile, actor)
    audit(
        session, actor, "lead_preferences_changed", "organization", actor.organization_id,
        before=_facts(before), after=_facts(after),
    )  # fmt: skip
    return after


def _facts(p: LeadPreferences) -> dict[str, object]:
    return {"countries": list(p.countries), "verticals": list(p.verticals), "monthly_capacity": p.monthly_capacity,
            "accepts_leads": p.accepts_leads}  # fmt: skip
