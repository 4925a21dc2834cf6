"""Campaign kits: a named bundle of assets for a campaign period. Managers make and fill them; partners see the
kits running now, each with the assets of it they may see (a kit shows no asset its audience rule hides)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from prm_app.content.models import Asset, CampaignKit, KitAsset
from prm_app.content.rules import row_number
from prm_app.content.variants import titles_in
from prm_app.content.visibility import facts_of, partner_access
from prm_app.identity import viewer_zone
from prm_app.platform.access import Actor, Permission
from prm_app.platform.audit import audit
from prm_app.platform.clock import utcnow
from prm_app.platform.db import saved_id, savepoint
from prm_app.platform.errors import FormInvalid, NotFound
from prm_app.platform.i18n import DEFAULT_LANGUAGE


@dataclass(frozen=True)
class KitInput:
    name: str
    description: str
    starts_on: date | None
    ends_on: date | None
    slugs: tuple[str, ...]  # the assets, by slug


def _checked(session: Session, data: KitInput) -> tuple[KitInput, list[int]]:
    errors: dict[str, str] = {}
    if not 3 <= len(data.name.strip()) <= 120:
        errors["name"] = "Enter a name of 3 to 120 characters."
    if data.starts_on is None:
        errors["starts_on"] = "Enter the first day of the campaign."
    if data.ends_on is None or (data.starts_on and data.ends_on < data.starts_on):
        errors["ends_on"] = "Enter a last day on or after the first."
    slugs = [s.strip() for s in data.slugs if s.strip()][:50]
    found = dict(
        session.exec(
            select(Asset.slug, Asset.id).where(col(Asset.slug).in_(slugs), col(Asset.deleted_at).is_(None))
        ).all()
    )
    if missing := [s for s in slugs if s not in found]:
        errors["assets"] = "No asset has the link " + ", ".join(missing[:3]) + "."
    elif not slugs:
        errors["assets"] = "Add at least one asset."
    if errors:
        raise FormInvalid(errors)
    return data, [asset_id for s in slugs if (asset_id := found[s]) is not None]


def create_kit(session: Session, actor: Actor, data: KitInput) -> int:
    """A kit of the assets named by slug (each must exist); names are unique."""
    actor.require(Permission.MANAGE_CONTENT)
    data, asset_ids = _checked(session, data)
    assert data.starts_on is not None and data.ends_on is not None  # _checked refuses a kit without its days
    kit = CampaignKit(
        name=data.name.strip(), description=data.description.strip()[:2000],
        starts_on=data.starts_on, ends_on=data.ends_on,
    )  # fmt: skip
    try:
        with savepoint(session):
            session.add(kit)
            session.flush()
    except IntegrityError:
        raise FormInvalid({"name": "A kit already has this name."}) from None
    for asset_id in dict.fromkeys(asset_ids):
        session.add(KitAsset(kit_id=saved_id(kit), asset_id=asset_id))
    audit(session, actor, "content.kit_created", "content_kit", kit.id, about=kit.name)
    return saved_id(kit)


def delete_kit(session: Session, actor: Actor, kit_id: int) -> None:
    actor.require(Permission.MANAGE_CONTENT)
    kit = session.get(CampaignKit, row_number(kit_id))
    if kit is None:
        raise NotFound("kit")
    session.delete(kit)
    audit(session, actor, "content.kit_deleted", "content_kit", kit_id, about=kit.name)


@dataclass(frozen=True)
class KitItem:
    slug: str
    title: str


@dataclass(frozen=True)
class KitView:
    id: int
    name: str
    description: str
    starts_on: date
    ends_on: date
    items: tuple[KitItem, ...]


def _items(session: Session, kit_id: int) -> list[Asset]:
    return list(
        session.exec(
            select(Asset)
            .join(KitAsset, col(KitAsset.asset_id) == Asset.id)
            .where(KitAsset.kit_id == kit_id)
            .order_by(col(Asset.title))
        ).all()
    )


def all_kits(session: Session, actor: Actor) -> list[KitView]:
    """Every kit, latest campaign first, with all its assets (for the channel team)."""
    actor.require(Permission.MANAGE_CONTENT)
    kits = session.exec(select(CampaignKit).order_by(col(CampaignKit.starts_on).desc())).all()
    out = []
    for k in kits:
        items = tuple(KitItem(a.slug, a.title) for a in _items(session, saved_id(k)) if a.deleted_at is None)
        out.append(KitView(saved_id(k), k.name, k.description, k.starts_on, k.ends_on, items))
    return out


def running_kits(
    session: Session, actor: Actor, today: date | None = None, reader: str = DEFAULT_LANGUAGE
) -> list[KitView]:
    """The kits whose period includes today (the reader's today, in their zone: a kit starting on the 9th shows in
    Tokyo on the morning of the 9th, while it is still the 8th in UTC), each with only the assets this partner may
    open, titled in the `reader`'s language (content/variants.py); kits left empty by the partner's audience are
    not shown."""
    actor.require(Permission.USE_PORTAL)
    facts = facts_of(session, actor)
    if facts is None:
        return []
    today = today or utcnow().astimezone(viewer_zone(session, actor)).date()
    kits = session.exec(
        select(CampaignKit)
        .where(col(CampaignKit.starts_on) <= today, col(CampaignKit.ends_on) >= today)
        .order_by(col(CampaignKit.ends_on))
    ).all()
    opened = {
        saved_id(kit): [a for a in _items(session, saved_id(kit)) if (seen := partner_access(a, facts)) and seen.open]
        for kit in kits
    }
    titles = titles_in(session, [a for assets in opened.values() for a in assets], reader)  # every kit's, at once
    out = []
    for kit in kits:
        items = [KitItem(a.slug, titles[a.id or 0][0]) for a in opened[saved_id(kit)]]
        if items:
            out.append(KitView(saved_id(kit), kit.name, kit.description, kit.starts_on, kit.ends_on, tuple(items)))
    return out
