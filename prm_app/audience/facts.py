"""A partner's facts for audience rules, loaded in a few queries (one partner, or many at once for "who sees
this?"), and the names of the keys rules store. Certifications come from the area that issues them, through a
registered source: this area knows none above it."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from babel.languages import get_official_languages
from sqlmodel import Session, col, select

from prm_app.audience.form import AudienceOptions, options_of
from prm_app.audience.models import PartnerGroup, PartnerGroupMember
from prm_app.audience.rules import Names, PartnerFacts
from prm_app.partners import Organization, Tier
from prm_app.platform.access import Actor, Permission
from prm_app.platform.errors import NotFound

Holders = Callable[[Session, Collection[int]], Mapping[int, frozenset[str]]]
NameSource = Callable[[Session], Mapping[str, str]]


@dataclass(frozen=True)
class _Source:
    holders: Holders
    names: NameSource


_SOURCES: dict[str, _Source] = {}
FACT_KINDS = ("certifications",)


def register_fact_source(kind: str, *, holders: Holders, names: NameSource) -> None:
    """Let an area supply a kind of fact ("certifications": the codes someone at each partner holds, and each
    code's name). Registered once at import (the area's reactions module); registering again replaces it."""
    if kind not in FACT_KINDS:
        raise ValueError(f"unknown fact kind {kind!r}")
    _SOURCES[kind] = _Source(holders, names)


def languages_of(country: str) -> frozenset[str]:
    """The languages a partner works in: its country's official languages, de facto ones included."""
    return frozenset(code for code in get_official_languages(country or "", de_facto=True) if len(code) == 2)


def audience_names(session: Session) -> Names:
    """Tiers in rank order, groups' and certifications' names by key."""
    tiers = tuple(session.exec(select(Tier.name).order_by(col(Tier.rank))).all())
    groups = dict(session.exec(select(PartnerGroup.key, PartnerGroup.name)).all())
    source = _SOURCES.get("certifications")
    return Names(tiers=tiers, groups=groups, certifications=dict(source.names(session)) if source else {})


def all_partner_facts(session: Session, organization_ids: Collection[int] | None = None) -> dict[int, PartnerFacts]:
    """The facts of the given partners (every partner when None), by organization id."""
    query = select(  # type: ignore[call-overload]  # sqlmodel types select() up to four columns
        col(Organization.id), Organization.name, Organization.partner_type, Tier.name, Organization.region
    )
    query = query.add_columns(Organization.country).join(Tier, col(Tier.id) == col(Organization.tier_id))
    if organization_ids is not None:
        query = query.where(col(Organization.id).in_(list(organization_ids)))
    rows = session.exec(query).all()
    ids = [row[0] for row in rows]
    groups: dict[int, set[str]] = {}
    membership = select(PartnerGroupMember.organization_id, PartnerGroup.key).join(
        PartnerGroup, col(PartnerGroup.id) == col(PartnerGroupMember.group_id)
    )
    for org_id, key in session.exec(membership.where(col(PartnerGroupMember.organization_id).in_(ids))).all():
        groups.setdefault(org_id, set()).add(key)
    source = _SOURCES.get("certifications")
    held = source.holders(session, ids) if source and ids else {}
    names = audience_names(session)
    return {
        org_id: PartnerFacts(
            organization_id=org_id,
            name=name,
            partner_type=partner_type,
            tier=tier,
            region=region,
            country=country,
            languages=languages_of(country),
            groups=frozenset(groups.get(org_id, ())),
            certifications=frozenset(held.get(org_id, ())),
            names=names,
        )
        for org_id, name, partner_type, tier, region, country in rows
    }


def partner_facts(session: Session, organization_id: int) -> PartnerFacts:
    """One partner's facts; NotFound when there is no such partner."""
    facts = all_partner_facts(session, [organization_id]).get(organization_id)
    if facts is None:
        raise NotFound("partner")
    return facts


def audience_options(session: Session, actor: Actor) -> AudienceOptions:
    """What the audience editor offers an internal user: tiers, partner groups, certifications."""
    if actor.is_partner:
        raise NotFound("audience")
    actor.require(Permission.VIEW_PARTNERS)
    return options_of(audience_names(session))
