"""Tiering's pages: the partner's tier page, the managers' tiers page and their custom-metric entry page. Importing
this package registers them."""

from prm_app.tiering.ui import custom_metrics, my_tier, tiers

__all__ = ["custom_metrics", "my_tier", "tiers"]
