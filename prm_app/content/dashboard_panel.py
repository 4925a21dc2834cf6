"""The content library on the executive dashboards (#14): views and downloads in the period by category, the most
used assets, and how many of the selected partners used the library at all.

Read from the usage the library records as engagement events (a partner opening an asset's page is a view, a
download or a co-branded copy is a download), each counted for the partner it was recorded for, within the
dashboard's period and partner filters. Registered at import, which reactions.py triggers (analytics sits below
content and cannot call it).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, func, select

from prm_app.analytics import Panel, PanelBars, PanelFact, PanelTable, register_dashboard_panel
from prm_app.content.models import Asset, AssetVersion
from prm_app.content.rules import CATEGORY_LABELS, Category
from prm_app.content.service import DOWNLOADED, SUBJECT, VIEWED
from prm_app.partners import Filters, Organization, org_filters
from prm_app.platform.models import EngagementEvent

TOP_ASSETS = 10
CATEGORY_VALUES = frozenset(c.value for c in Category)


def content_panel(session: Session, f: Filters, now: datetime) -> Panel:
    """The content panel for these filters (`now` is unused: every figure follows the period)."""
    # the library's usage events in the period, of the segment's partners (the queries join Organization). Its two
    # kinds are recorded only for SUBJECT (content.service), so the kind alone picks them: the partners' count then
    # reads the index on (kind, at, organization_id) alone, not 100,000 rows a year at a few thousand partners.
    usage: list[ColumnElement[bool]] = [
        col(EngagementEvent.kind).in_((VIEWED, DOWNLOADED)),
        col(EngagementEvent.at) >= f.lo,
        col(EngagementEvent.at) < f.hi,
        *org_filters(f),
    ]
    used = (
        select(col(AssetVersion.asset_id), col(EngagementEvent.kind), func.count())
        .select_from(EngagementEvent)
        .join(AssetVersion, col(AssetVersion.id) == EngagementEvent.subject_id)
        .join(Organization, col(Organization.id) == EngagementEvent.organization_id)
        .where(*usage, col(EngagementEvent.subject_type) == SUBJECT)
        .group_by(col(AssetVersion.asset_id), col(EngagementEvent.kind))
    )
    counts: dict[int, dict[str, int]] = {}
    for asset_id, kind, n in session.exec(used).all():
        counts.setdefault(asset_id, {})[kind] = n
    assets = session.exec(select(Asset).where(col(Asset.id).in_(list(counts)))).all()
    per_asset = {a.id or 0: (a.title, a.category, counts[a.id or 0]) for a in assets}
    users = session.exec(
        select(func.count(func.distinct(EngagementEvent.organization_id)))
        .join(Organization, col(Organization.id) == EngagementEvent.organization_id)
        .where(*usage)
    ).one()
    partners = session.exec(select(func.count()).select_from(Organization).where(*org_filters(f))).one()

    def total(kind: str, category: str | None = None) -> int:
        return sum(c.get(kind, 0) for _t, cat, c in per_asset.values() if category in (None, cat))

    top = sorted(per_asset.values(), key=lambda a: (-sum(a[2].values()), a[0]))[:TOP_ASSETS]
    categories = list(Category)  # every category, used or not: a bar at zero says something too
    labels = tuple(CATEGORY_LABELS[c] for c in categories)
    return Panel(
        key="content",
        title="Content library",
        facts=(
            PanelFact("Asset views", f"{total(VIEWED):,}", "asset pages opened by partners in the period"),
            PanelFact("Downloads", f"{total(DOWNLOADED):,}", "files and co-branded copies, in the period"),
            PanelFact("Assets used", f"{len(per_asset):,}", "viewed or downloaded in the period"),
            PanelFact(
                "Partners using the library",
                f"{users:,} of {partners:,}",
                "viewed or downloaded something in the period",
            ),
        ),
        tables=(
            PanelTable(
                f"Most used assets (top {TOP_ASSETS})",
                ("Asset", "Category", "Views", "Downloads"),
                tuple(
                    (
                        title,
                        CATEGORY_LABELS.get(Category(cat), cat) if cat in CATEGORY_VALUES else cat,
                        f"{c.get(VIEWED, 0):,}",
                        f"{c.get(DOWNLOADED, 0):,}",
                    )
                    for title, cat, c in top
                ),
            ),
        ),
        bars=(
            *(
                PanelBars(
                    f"{name} by category",
                    labels,
                    tuple(float(total(kind, c)) for c in categories),
                    unit=name.lower(),
                    item="Category",
                )
                for kind, name in ((DOWNLOADED, "Downloads"), (VIEWED, "Views"))
            ),
            PanelBars(
                "Partners that used the library",
                ("Used it", "Did not"),
                (float(users), float(max(partners - users, 0))),
                unit="partners",
                item="Partners",
            ),
        ),
    )


register_dashboard_panel("content", 20, content_panel)
