"""Who sees which asset: the one place the library asks the audience engine (prm_app.audience).

Internal people with the content permission see every asset that is not deleted. A partner sees an asset that is
published, not expired, has a version, and whose audience rule holds for its organization; an asset whose rule
fails only on the tier is shown locked ("available from Gold") but its files stay out of reach. Anything else is
not found, the same answer as an asset that does not exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from prm_app.audience import AudienceRule, PartnerFacts, Verdict, partner_facts, verdict
from prm_app.content.models import Asset
from prm_app.content.rules import is_live
from prm_app.platform.access import Actor, Permission
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import NotFound


@dataclass(frozen=True)
class Access:
    open: bool  # may read its files
    locked_from_tier: str  # shown locked: "available from <tier>"


def rule_of(asset: Asset) -> AudienceRule:
    return AudienceRule.from_json(asset.audience or "{}")


def facts_of(session: Session, actor: Actor) -> PartnerFacts | None:
    """The actor's partner facts (loaded once per request), or None for internal people."""
    if actor.is_partner and actor.organization_id is not None:
        return partner_facts(session, actor.organization_id)
    return None


def access_to(asset: Asset, actor: Actor, facts: PartnerFacts | None, now: datetime | None = None) -> Access | None:
    """What `actor` may do with `asset`, or None when it must not even know it exists."""
    if asset.deleted_at is not None:
        return None
    if actor.can(Permission.MANAGE_CONTENT):
        return Access(open=True, locked_from_tier="")
    if not actor.can(Permission.USE_PORTAL) or facts is None:
        return None
    return partner_access(asset, facts, now)


def partner_access(asset: Asset, facts: PartnerFacts, now: datetime | None = None) -> Access | None:
    """What the partner of `facts` may do with `asset` (open, locked, or None: not to be known)."""
    if (
        asset.deleted_at is not None
        or asset.current_n == 0
        or not is_live(asset.publish_at, asset.expire_at, now or utcnow())
    ):
        return None
    seen = verdict(rule_of(asset), facts)
    if seen.visible:
        return Access(open=True, locked_from_tier="")
    return Access(open=False, locked_from_tier=seen.locked_from_tier) if seen.locked_from_tier else None


def visible_asset(session: Session, actor: Actor, slug: str) -> tuple[Asset, Access]:
    """The asset of `slug` that `actor` may at least see (maybe locked); NotFound otherwise."""
    # a NUL byte (a %00 in the URL) is no slug, and PostgreSQL refuses it in a query with an error, not a miss
    asset = session.exec(select(Asset).where(Asset.slug == slug[:80])).first() if "\x00" not in slug else None
    access = access_to(asset, actor, facts_of(session, actor)) if asset else None
    if asset is None or access is None:
        raise NotFound("asset")
    return asset, access


def open_asset(session: Session, actor: Actor, slug: str) -> Asset:
    """The asset of `slug` whose files `actor` may read; NotFound otherwise (locked counts as not found)."""
    asset, access = visible_asset(session, actor, slug)
    if not access.open:
        raise NotFound("asset")
    return asset


def audiences_for(session: Session, facts: PartnerFacts) -> tuple[list[str], dict[str, str]]:
    """The distinct stored rules (as JSON) that are open to this partner, and those locked (rule -> tier). Rules
    are few (assets share them), so the library evaluates each once and filters assets in SQL by the rule text."""
    texts = session.exec(select(Asset.audience).where(col(Asset.deleted_at).is_(None)).distinct()).all()
    open_rules, locked = [], {}
    for text in texts:
        seen: Verdict = verdict(AudienceRule.from_json(text or "{}"), facts)
        if seen.visible:
            open_rules.append(text)
        elif seen.locked_from_tier:
            locked[text] = seen.locked_from_tier
    return open_rules, locked
