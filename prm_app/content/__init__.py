"""The content library: assets partners may see by audience rule (prm_app.audience), with immutable versions at
stable links, usage counted as engagement events, campaign kits, and co-branded PDFs stamped per partner.

The area's public API: other areas import from here only."""

from prm_app.content.cobrand_bulk import COBRAND_BULK, run_bulk_render
from prm_app.content.rules import CATEGORY_LABELS, Category
from prm_app.content.service import DOWNLOADED, VIEWED, purge_deleted_assets
from prm_app.content.storage import forget_files

__all__ = [
    "CATEGORY_LABELS",
    "COBRAND_BULK",
    "DOWNLOADED",
    "VIEWED",
    "Category",
    "forget_files",
    "purge_deleted_assets",
    "run_bulk_render",
]
