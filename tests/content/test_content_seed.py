"""The demo library: 25 assets over every category, seeded once, with files that prove their own types."""

from __future__ import annotations

from sqlmodel import func, select

from prm_app.audience import AudienceRule
from prm_app.content.models import Asset, AssetVersion, CobrandZone
from prm_app.content.rules import Category, sniff
from prm_app.content.seed import seed
from prm_app.content.storage import CONTENT_FILES


def test_the_demo_library_covers_every_category_once(session, stores):
    assert seed(session) == {"content assets": 25, "content kits": 1}
    assert seed(session) == {"content assets": 0, "content kits": 0}
    assert set(session.exec(select(Asset.category)).all()) == {c.value for c in Category}
    assert session.exec(select(func.count()).select_from(CobrandZone)).one() == 6
    twice = session.exec(select(func.count()).where(AssetVersion.n == 2)).one()
    assert twice >= 3
    gated = [a for a in session.exec(select(Asset)).all() if AudienceRule.from_json(a.audience).min_tier == "Gold"]
    assert len(gated) >= 3
    for version in session.exec(select(AssetVersion)).all():
        path = CONTENT_FILES.path(version.file_key)
        assert path is not None
        kind = sniff(path.read_bytes()[:8192])
        assert kind == version.content_type or (kind == "application/zip" and version.content_type.endswith("sheet"))
