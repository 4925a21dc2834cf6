"""Content test helpers: a small partner world (Silver and Gold partners, a manager, an admin), files put in a
temporary store, and assets made through the managers' use cases."""

from __future__ import annotations

import io
from dataclasses import dataclass

from fpdf import FPDF
from sqlmodel import Session

from prm_app.audience import AudienceRule
from prm_app.content import storage
from prm_app.content.rules import AssetInput
from prm_app.content.service import create_asset
from prm_app.platform.access import Actor, Role
from prm_app.platform.uploads import StoredFile
from tests.factories import actor_for, make_org, make_tier, make_user


def pdf_bytes(text: str = "Price list", pages: int = 1) -> bytes:
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_font("helvetica", size=14)
    for n in range(pages):
        pdf.add_page()
        pdf.cell(200, 20, f"{text} page {n + 1}")
    return bytes(pdf.output())


def png_bytes(width: int = 300, height: int = 30) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 80, 160)).save(out, format="PNG")
    return out.getvalue()


def put(data: bytes, name: str = "file.pdf", content_type: str = "application/pdf") -> StoredFile:
    return storage.CONTENT_FILES.put(data, name, content_type)


@dataclass
class World:
    manager: Actor
    admin: Actor
    gold: Actor
    silver: Actor
    gold_org_id: int
    silver_org_id: int


def make_world(session: Session) -> World:
    silver_tier = make_tier(session, name="Silver", rank=1)
    gold_tier = make_tier(session, name="Gold", rank=2)
    gold_org = make_org(session, name="Cobalt Systems VAR", tier=gold_tier)
    gold_org.phone = "+1 512 555 0147"
    session.add(gold_org)
    silver_org = make_org(session, name="Bluepeak Resellers", tier=silver_tier)
    return World(
        manager=actor_for(make_user(session, Role.CHANNEL_MANAGER)),
        admin=actor_for(make_user(session, Role.ADMIN)),
        gold=actor_for(make_user(session, Role.PARTNER_USER, gold_org)),
        silver=actor_for(make_user(session, Role.PARTNER_USER, silver_org)),
        gold_org_id=gold_org.id or 0,
        silver_org_id=silver_org.id or 0,
    )


def make_asset(
    session: Session,
    manager: Actor,
    title: str = "Q3 Price List",
    *,
    description: str = "Partner prices for the storage appliances",
    min_tier: str = "",
    data: bytes | None = None,
    category: str = "sales",
    tags: str = "pricing",
    cobrand: bool = False,
) -> str:
    stored = put(data or pdf_bytes(title))
    return create_asset(
        session,
        manager,
        AssetInput(title=title, description=description, category=category, tags=tags),
        AudienceRule(min_tier=min_tier),
        stored,
        sha256=storage.CONTENT_FILES.sha256(stored.key),
        cobrand=cobrand,
    ).slug
