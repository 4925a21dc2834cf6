"""Tiering's pages: the partner's tier page and the managers' tiers page. Importing this package registers them."""

from prm_app.tiering.ui import my_tier, tiers

__all__ = ["my_tier", "tiers"]
